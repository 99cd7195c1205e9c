package org.calsdk.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider throttled the call (HTTP 429, Google {@code rateLimitExceeded}, EWS
 * {@code ErrorServerBusy}) and the retry policy gave up. Retryable: wait {@link #retryAfter()} when
 * given, else back off exponentially.
 *
 * @since 0.1
 */
public class RateLimitedException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /** How long the provider asked to wait, when it said. */
    private final Duration retryAfter;

    /**
     * Too many requests.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param retryAfter how long to wait (Retry-After), or null when not said
     */
    public RateLimitedException(String message, ErrorContext context, Duration retryAfter) {
        super(message, context, true, null);
        this.retryAfter = retryAfter;
    }

    /**
     * How long the provider asked us to wait, when it said.
     *
     * @return the wait, or empty
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
