package org.calsdk.testkit.memory;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.internal.FaultState;

/**
 * Faults an {@link InMemoryCalendarService} injects at the SPI level: typed errors on the next calls of
 * an operation (or on every call), answers "lost" after a write was committed, delays that a cancelled
 * async call interrupts, and per-mailbox free/busy errors. Rules are consumed in the order added.
 *
 * <pre>{@code
 * service.faults().failNext(SpiOperation.LIST_EVENTS, 2, 503);        // two ProviderUnavailableExceptions
 * service.faults().loseResponseAfterCommit(SpiOperation.CREATE_EVENT, 1); // created, but the caller sees an error
 * service.faults().failFreeBusy(Mailbox.of("bob@example.com"), 404);  // only bob's result fails
 * }</pre>
 *
 * @since 0.1
 */
public final class MemoryFaults {
    private final FaultState state;

    MemoryFaults(FaultState state) {
        this.state = state;
    }

    /**
     * The next {@code times} calls of {@code operation} fail as if the service had answered HTTP {@code status}
     * (400, 401, 403, 404, 409, 412, 429, 5xx), mapped to the typed exception every provider raises for it.
     *
     * @param operation the SPI operation
     * @param times how many calls fail, positive
     * @param status the HTTP status to imitate
     * @return these faults
     */
    public MemoryFaults failNext(SpiOperation operation, int times, int status) {
        return failNext(operation, null, times, status, null);
    }

    /**
     * Like {@link #failNext(SpiOperation, int, int)}, for calls concerning {@code mailbox} only (null: any), with a
     * Retry-After for 429.
     *
     * @param operation the SPI operation
     * @param mailbox the mailbox the calls must concern, or null for any
     * @param times how many calls fail, positive
     * @param status the HTTP status to imitate
     * @param retryAfter the back-off a 429 carries, or null
     * @return these faults
     */
    public MemoryFaults failNext(SpiOperation operation, Mailbox mailbox, int times, int status, Duration retryAfter) {
        Objects.requireNonNull(operation, "operation == null");
        checkTimes(times);
        FaultState.forStatus(status, retryAfter, ErrorContext.NONE); // reject unsupported statuses now
        state.fail(operation, mailbox, times, ctx -> FaultState.forStatus(status, retryAfter, ctx));
        return this;
    }

    /**
     * Every call of {@code operation} (null: every operation) fails with the exception {@code error} makes.
     *
     * @param operation the SPI operation, or null for all
     * @param error makes the exception from the call's error context
     * @return these faults
     */
    public MemoryFaults failAlways(SpiOperation operation, Function<ErrorContext, CalendarException> error) {
        state.fail(operation, null, -1, Objects.requireNonNull(error, "error == null"));
        return this;
    }

    /**
     * The next {@code times} calls of {@code operation} fail with the exception {@code error} makes from the call's
     * context.
     *
     * @param operation the SPI operation
     * @param times how many calls fail, positive
     * @param error makes the exception from the call's error context
     * @return these faults
     */
    public MemoryFaults failNextWith(
            SpiOperation operation, int times, Function<ErrorContext, CalendarException> error) {
        Objects.requireNonNull(operation, "operation == null");
        checkTimes(times);
        state.fail(operation, null, times, Objects.requireNonNull(error, "error == null"));
        return this;
    }

    /**
     * The next {@code times} calls of the write {@code operation} commit their change and then fail with a
     * {@link org.calsdk.errors.ProviderUnavailableException}, as when the connection drops before the answer
     * arrives: the case idempotent create exists for.
     *
     * @param operation the write operation
     * @param times how many calls lose their answer, positive
     * @return these faults
     */
    public MemoryFaults loseResponseAfterCommit(SpiOperation operation, int times) {
        Objects.requireNonNull(operation, "operation == null");
        Checks.check(operation.isWrite(), "operation", operation + " is not a write");
        checkTimes(times);
        state.loseResponse(operation, null, times);
        return this;
    }

    /**
     * The next {@code times} calls of {@code operation} wait {@code delay} first; cancelling an async call interrupts
     * the wait.
     *
     * @param operation the SPI operation
     * @param times how many calls wait, positive
     * @param delay the wait before each
     * @return these faults
     */
    public MemoryFaults delayNext(SpiOperation operation, int times, Duration delay) {
        Objects.requireNonNull(operation, "operation == null");
        Objects.requireNonNull(delay, "delay == null");
        checkTimes(times);
        state.delay(operation, null, times, delay);
        return this;
    }

    /**
     * Free/busy answers for {@code mailbox} carry the error for HTTP {@code status} (the other mailboxes are
     * answered).
     *
     * @param mailbox the mailbox whose answers fail
     * @param status the HTTP status to imitate
     * @return these faults
     */
    public MemoryFaults failFreeBusy(Mailbox mailbox, int status) {
        Objects.requireNonNull(mailbox, "mailbox == null");
        FaultState.forStatus(status, null, ErrorContext.NONE);
        state.failFreeBusyFor(mailbox, ctx -> FaultState.forStatus(status, null, ctx));
        return this;
    }

    /** Removes every rule. */
    public void clear() {
        state.clear();
    }

    private static void checkTimes(int times) {
        Checks.check(times > 0, "times", "times must be positive (use failAlways for every call)");
    }
}
