package org.calsdk.testkit.memory.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SpiOperation;

/** The fault rules of one in-memory service. Thread-safe. Not public API. */
public final class FaultState {

    private enum Kind {
        FAIL,
        DELAY,
        LOSE_RESPONSE
    }

    private static final class Rule {
        final SpiOperation op;
        final Mailbox mailbox;
        int remaining;
        final Kind kind;
        final Function<ErrorContext, CalendarException> error;
        final Duration delay;

        Rule(
                SpiOperation op,
                Mailbox mailbox,
                int remaining,
                Kind kind,
                Function<ErrorContext, CalendarException> error,
                Duration delay) {
            this.op = op;
            this.mailbox = mailbox;
            this.remaining = remaining;
            this.kind = kind;
            this.error = error;
            this.delay = delay;
        }

        boolean matches(SpiOperation o, Mailbox m) {
            return (op == null || op == o) && (mailbox == null || mailbox.equals(m));
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final Map<Mailbox, Function<ErrorContext, CalendarException>> freeBusyFailures = new LinkedHashMap<>();

    /** Fails the next {@code times} calls (-1: every call) of {@code op} (null: any) for {@code mailbox} (null: any). */
    public synchronized void fail(
            SpiOperation op, Mailbox mailbox, int times, Function<ErrorContext, CalendarException> error) {
        rules.add(new Rule(op, mailbox, times, Kind.FAIL, error, null));
    }

    public synchronized void delay(SpiOperation op, Mailbox mailbox, int times, Duration delay) {
        rules.add(new Rule(op, mailbox, times, Kind.DELAY, null, delay));
    }

    public synchronized void loseResponse(SpiOperation op, Mailbox mailbox, int times) {
        rules.add(new Rule(op, mailbox, times, Kind.LOSE_RESPONSE, null, null));
    }

    public synchronized void failFreeBusyFor(Mailbox mailbox, Function<ErrorContext, CalendarException> error) {
        freeBusyFailures.put(mailbox, error);
    }

    public synchronized Optional<Function<ErrorContext, CalendarException>> freeBusyFailure(Mailbox mailbox) {
        return Optional.ofNullable(freeBusyFailures.get(mailbox));
    }

    public synchronized void clear() {
        rules.clear();
        freeBusyFailures.clear();
    }

    /** Applies delays, then throws the first matching failure. */
    public void beforeCall(SpiOperation op, Mailbox mailbox, ErrorContext ctx) {
        Duration delay = take(op, mailbox, Kind.DELAY).map(r -> r.delay).orElse(null);
        if (delay != null) {
            sleep(delay, ctx);
        }
        Optional<Rule> fail = take(op, mailbox, Kind.FAIL);
        if (fail.isPresent()) {
            throw fail.get().error.apply(ctx);
        }
    }

    /** Throws when the response of this committed write is to be lost. */
    public void afterCommit(SpiOperation op, Mailbox mailbox, ErrorContext ctx) {
        if (take(op, mailbox, Kind.LOSE_RESPONSE).isPresent()) {
            throw new ProviderUnavailableException(
                    "the connection was lost before the answer arrived; the change "
                            + "may or may not have been made (injected fault)",
                    ctx);
        }
    }

    private synchronized Optional<Rule> take(SpiOperation op, Mailbox mailbox, Kind kind) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.kind == kind && r.matches(op, mailbox)) {
                if (r.remaining > 0 && --r.remaining == 0) {
                    it.remove();
                }
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Waits; a cancelled async call interrupts its worker thread (see {@code CalendarConnection} facets' *Async). */
    private static void sleep(Duration delay, ErrorContext ctx) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("the call was cancelled while waiting for the service", ctx, e);
        }
    }

    /**
     * The typed exception a provider raises when its service answers HTTP {@code status}: the mapping every
     * provider of this SDK follows.
     */
    public static CalendarException forStatus(int status, Duration retryAfter, ErrorContext ctx) {
        ErrorContext c = ctx.withStatusCode(status);
        String what = "the service answered " + status + " (injected fault)";
        return switch (status) {
            case 400 -> new InvalidInputException(null, what, c, null);
            case 401 -> new ReauthorizationRequiredException(what + ": the grant was revoked; connect again", c);
            case 403 -> new PermissionDeniedException(what + ": access denied", c);
            case 404, 410 -> new NotFoundException(what + ": not found", c);
            case 409, 412 -> new ConflictException(what + ": the event changed since it was read", c);
            case 429 -> new RateLimitedException(what + ": throttled", c, retryAfter);
            default -> {
                if (status >= 500 && status <= 599) {
                    yield new ProviderUnavailableException(what + ": try again later", c);
                }
                throw new IllegalArgumentException(
                        "no fault for HTTP status " + status + " (use 400, 401, 403, 404, 409, 412, 429 or 5xx)");
            }
        };
    }
}
