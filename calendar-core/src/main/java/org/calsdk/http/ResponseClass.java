package org.calsdk.http;

import java.time.Duration;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What a response means, as a provider's {@link ResponseClassifier} reads it from the body where the status
 * alone does not tell: Google answers a rate limit with 403 {@code rateLimitExceeded}, EWS answers
 * throttling with a 500 SOAP fault {@code ErrorServerBusy} carrying {@code BackOffMilliseconds}, and EWS
 * answers every other SOAP error with 500 too, which is a definite answer rather than a server failure.
 *
 * @param kind       what the response is
 * @param retryAfter how long the provider asked to wait (from the body), or null for the
 *                   {@code Retry-After} header or the policy's backoff
 * @param reason     the provider's code or words for it (for messages), never a secret; empty if none
 * @since 0.2
 */
public record ResponseClass(Kind kind, @Nullable Duration retryAfter, String reason) {
    private static final ResponseClass BY_STATUS = new ResponseClass(Kind.BY_STATUS, null, "");
    private static final ResponseClass ANSWER = new ResponseClass(Kind.ANSWER, null, "");

    /** What a response is. */
    public enum Kind {
        /** Nothing in the body changes what the status says: the transport decides by status, as always. */
        BY_STATUS,
        /**
         * Throttled, whatever the status: the request was not processed, so it is retried for every call
         * (idempotent or not) after {@code retryAfter} (or the {@code Retry-After} header, or the backoff)
         * and fails with {@link org.calsdk.errors.RateLimitedException} when the retries are spent.
         */
        RATE_LIMITED,
        /**
         * The server says it did not process the request and may later (busy, in maintenance): retried for
         * every call like a 503, failing with {@link org.calsdk.errors.ProviderUnavailableException}.
         */
        UNAVAILABLE,
        /**
         * A definite answer for the caller to read, whatever the status (an EWS SOAP fault on HTTP 500):
         * returned at once, never retried and never turned into an exception by the transport.
         */
        ANSWER
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param kind what the response is
     * @param retryAfter how long the provider asked to wait (from the body), or null for the {@code Retry-After}
     *     header or the policy's backoff
     * @param reason the provider's code or words for it (for messages), never a secret; empty if none
     */
    public ResponseClass {
        Checks.notNull(kind, "kind");
        Checks.check(retryAfter == null || !retryAfter.isNegative(), "retryAfter", "retryAfter must not be negative");
        Checks.check(
                retryAfter == null || kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE,
                "retryAfter",
                "only a rate limit or an unavailable server asks to wait");
        reason = reason == null ? "" : reason;
    }

    /**
     * Decide by status.
     *
     * @return the shared instance
     */
    public static ResponseClass byStatus() {
        return BY_STATUS;
    }

    /**
     * A rate limit; {@code retryAfter} from the body, or null.
     *
     * @param retryAfter the wait the body asks for, or null
     * @param reason the provider's code, never a secret
     * @return the class
     */
    public static ResponseClass rateLimited(@Nullable Duration retryAfter, String reason) {
        return new ResponseClass(Kind.RATE_LIMITED, retryAfter, reason);
    }

    /**
     * The server did not process the request; {@code retryAfter} from the body, or null.
     *
     * @param retryAfter the wait the body asks for, or null
     * @param reason the provider's code, never a secret
     * @return the class
     */
    public static ResponseClass unavailable(@Nullable Duration retryAfter, String reason) {
        return new ResponseClass(Kind.UNAVAILABLE, retryAfter, reason);
    }

    /**
     * A definite answer: return it to the caller as it is.
     *
     * @return the shared instance
     */
    public static ResponseClass answer() {
        return ANSWER;
    }
}
