package org.calsdk.errors;

import java.util.Optional;
import java.util.OptionalInt;
import org.calsdk.model.Mailbox;

/**
 * The root of every error the SDK throws. Unchecked: calendar errors are usually handled far from
 * where they happen (a sync loop, a request handler), and callers choose which subclasses to catch.
 *
 * <p>Each exception says which provider and which mailbox it concerns, the HTTP status and the
 * provider's request id when there was a response, how many attempts were made, and whether trying
 * again later may succeed. Messages say what to do and never contain secrets.
 *
 * <pre>{@code
 * try {
 *     writer.create(calendar, key, event);
 * } catch (RateLimitedException e) {
 *     scheduleRetry(e.retryAfter().orElse(Duration.ofMinutes(1)));
 * } catch (ReauthorizationRequiredException e) {
 *     askUserToReconnect(e.mailbox(), e.relinkUrl());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public class CalendarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where it happened. */
    private final ErrorContext context;
    /** Whether the same call may succeed later. */
    private final boolean retryable;
    /** How many attempts were made, once known. */
    private volatile int attempts;

    /**
     * An error.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param retryable whether the same call may succeed later
     * @param cause the underlying failure
     */
    public CalendarException(String message, ErrorContext context, boolean retryable, Throwable cause) {
        super(message, cause);
        this.context = context == null ? ErrorContext.NONE : context;
        this.retryable = retryable;
        this.attempts = Math.max(1, this.context.attempts());
    }

    /**
     * An error that is not retryable.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public CalendarException(String message, ErrorContext context) {
        this(message, context, false, null);
    }

    /**
     * The provider id ({@code "caldav"}, {@code "google"}, …), or empty when the error is not a provider's.
     *
     * @return the provider id, or empty
     */
    public Optional<String> provider() {
        return Optional.ofNullable(context.provider());
    }

    /**
     * The mailbox the failed operation acted for, when there was one.
     *
     * @return the mailbox, or empty
     */
    public Optional<Mailbox> mailbox() {
        return Optional.ofNullable(context.mailbox());
    }

    /**
     * The HTTP status of the provider's answer, when there was an answer.
     *
     * @return the status, or empty when there was no answer
     */
    public OptionalInt statusCode() {
        return context.statusCode() > 0 ? OptionalInt.of(context.statusCode()) : OptionalInt.empty();
    }

    /**
     * The provider's request id (for its support), when it sent one.
     *
     * @return the request id, or empty
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(context.requestId());
    }

    /**
     * Whether the same call may succeed later without anything being changed.
     *
     * @return true when a later retry may succeed
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * How many attempts were made before giving up (1 when the call was not retried).
     *
     * @return the number of attempts, at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The context this exception was created with.
     *
     * @return the context
     */
    public ErrorContext context() {
        return context;
    }

    /**
     * Records how many attempts were made. Called by the retrying layer before it rethrows.
     *
     * @param attempts the number of attempts, at least 1
     * @return this exception
     */
    public CalendarException withAttempts(int attempts) {
        this.attempts = Math.max(1, attempts);
        return this;
    }

    @Override
    public String getMessage() {
        String base = super.getMessage();
        StringBuilder sb = new StringBuilder(base == null ? getClass().getSimpleName() : base);
        String details = context.describe();
        if (!details.isEmpty()) {
            sb.append(" [").append(details);
            if (attempts > 1) {
                sb.append(", attempts=").append(attempts);
            }
            sb.append(']');
        } else if (attempts > 1) {
            sb.append(" [attempts=").append(attempts).append(']');
        }
        return sb.toString();
    }
}
