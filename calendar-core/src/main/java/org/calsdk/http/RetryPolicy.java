package org.calsdk.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.calsdk.internal.Checks;

/**
 * When and how long {@link HttpTransport} waits before trying a call again. Immutable; start from
 * {@link #defaults()} or {@link #custom()}.
 *
 * <ul>
 *   <li>At most {@link #maxAttempts()} attempts per call (the first try included).</li>
 *   <li>A {@code Retry-After} header (seconds or an HTTP-date) is honoured; if it asks for more than
 *       {@link #maxRetryAfter()} the transport does not wait at all and fails at once with a
 *       {@link org.calsdk.errors.RateLimitedException} carrying the server's value, so that a caller's
 *       thread is never parked for longer than the cap.</li>
 *   <li>Without {@code Retry-After} it backs off exponentially with full jitter: a uniformly random
 *       pause in {@code [0, min(maxBackoff, baseBackoff * 2^(n-1))]} after the n-th failed attempt.</li>
 *   <li>Which statuses and exceptions are retryable is data: {@link #retryableStatuses()} are retried
 *       for every call (they mean the server did not process the request: 429, 503),
 *       {@link #idempotentRetryableStatuses()} only for idempotent calls (500, 502, 504), and I/O
 *       failures matching {@link #retryableException()} only when the call is idempotent or the request
 *       never left (connection refused).</li>
 * </ul>
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.custom()
 *     .maxAttempts(5)
 *     .baseBackoff(Duration.ofMillis(200))
 *     .maxBackoff(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class RetryPolicy {
    private static final Predicate<IOException> DEFAULT_RETRYABLE_EXCEPTION = e -> !(e instanceof UnknownHostException)
            && !(e instanceof SSLPeerUnverifiedException)
            && !(e instanceof SSLHandshakeException)
            && !(e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException));

    private static final RetryPolicy DEFAULTS = custom().build();
    private static final RetryPolicy NONE = custom().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Set<Integer> retryableStatuses;
    private final Set<Integer> idempotentRetryableStatuses;
    private final Predicate<IOException> retryableException;
    private final Random random;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.retryableStatuses = Set.copyOf(b.retryableStatuses);
        this.idempotentRetryableStatuses = Set.copyOf(b.idempotentRetryableStatuses);
        this.retryableException = b.retryableException;
        this.random = b.random;
    }

    /**
     * Four attempts, 500 ms base and 30 s maximum backoff, {@code Retry-After} up to 60 s, statuses
     * 429/503 always and 500/502/504 for idempotent calls, and any I/O failure except unknown hosts,
     * TLS certificate errors and interruptions.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * One attempt, never a retry.
     *
     * @return the policy without retries
     */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * A builder starting from the {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder starting from this policy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.baseBackoff = baseBackoff;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.retryableStatuses = retryableStatuses;
        b.idempotentRetryableStatuses = idempotentRetryableStatuses;
        b.retryableException = retryableException;
        b.random = random;
        return b;
    }

    /**
     * Attempts per call, the first included (1 = no retries).
     *
     * @return the attempts, at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The backoff ceiling after the first failed attempt; it doubles with each further failure.
     *
     * @return the base backoff
     */
    public Duration baseBackoff() {
        return baseBackoff;
    }

    /**
     * The largest backoff ceiling.
     *
     * @return the largest backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The longest {@code Retry-After} the transport waits out; longer requests fail at once.
     *
     * @return the longest wait accepted
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * Statuses retried for every call.
     *
     * @return an immutable set of statuses
     */
    public Set<Integer> retryableStatuses() {
        return retryableStatuses;
    }

    /**
     * Statuses retried only for idempotent calls.
     *
     * @return an immutable set of statuses
     */
    public Set<Integer> idempotentRetryableStatuses() {
        return idempotentRetryableStatuses;
    }

    /**
     * Which I/O failures may be retried.
     *
     * @return the predicate
     */
    public Predicate<IOException> retryableException() {
        return retryableException;
    }

    /**
     * Whether a response with {@code status} may be retried for a call that is (not) idempotent.
     *
     * @param status the HTTP status
     * @param idempotent whether the call is idempotent
     * @return true when the status is retryable for such a call
     */
    public boolean isRetryableStatus(int status, boolean idempotent) {
        return retryableStatuses.contains(status) || (idempotent && idempotentRetryableStatuses.contains(status));
    }

    /**
     * Whether a response may be retried, given what its body says: a {@link ResponseClass.Kind#RATE_LIMITED}
     * or {@link ResponseClass.Kind#UNAVAILABLE} response was not processed, so it is retryable for every
     * call; an {@link ResponseClass.Kind#ANSWER} never is; {@link ResponseClass.Kind#BY_STATUS} goes by
     * {@link #isRetryableStatus}. (Whether attempts remain is the transport's count.)
     *
     * @param cls what the classifier made of the body
     * @param status the HTTP status
     * @param idempotent whether the call is idempotent
     * @return true when a retry is allowed
     * @since 0.2
     */
    public boolean isRetryable(ResponseClass cls, int status, boolean idempotent) {
        Checks.notNull(cls, "cls");
        return switch (cls.kind()) {
            case RATE_LIMITED, UNAVAILABLE -> true;
            case ANSWER -> false;
            case BY_STATUS -> isRetryableStatus(status, idempotent);
        };
    }

    /**
     * Whether the I/O failure {@code e} may be retried (for a call where a retry is safe at all).
     *
     * @param e the failure
     * @return true when the predicate allows it
     */
    public boolean isRetryableException(IOException e) {
        return retryableException.test(e);
    }

    /**
     * The full-jitter pause after the {@code failedAttempt}-th attempt failed (1-based): uniform in
     * {@code [0, min(maxBackoff, baseBackoff * 2^(failedAttempt-1))]}.
     *
     * @param failedAttempt the number of the attempt that failed, from 1
     * @return the pause, from zero to the ceiling
     */
    public Duration backoff(int failedAttempt) {
        Checks.check(failedAttempt >= 1, "failedAttempt", "failedAttempt must be >= 1");
        long ceiling = ceilingMillis(failedAttempt);
        if (ceiling <= 0) {
            return Duration.ZERO;
        }
        Random r = random != null ? random : ThreadLocalRandom.current();
        long millis = (long) Math.floor(r.nextDouble() * (ceiling + 1));
        return Duration.ofMillis(Math.min(millis, ceiling));
    }

    /**
     * The upper bound of {@link #backoff(int)} for {@code failedAttempt}.
     *
     * @param failedAttempt the number of the attempt that failed, from 1
     * @return the ceiling
     */
    public Duration backoffCeiling(int failedAttempt) {
        Checks.check(failedAttempt >= 1, "failedAttempt", "failedAttempt must be >= 1");
        return Duration.ofMillis(ceilingMillis(failedAttempt));
    }

    private long ceilingMillis(int failedAttempt) {
        long base = baseBackoff.toMillis();
        long max = maxBackoff.toMillis();
        int shift = Math.min(failedAttempt - 1, 40);
        long ceiling = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        return Math.min(ceiling, max);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", baseBackoff=" + baseBackoff + ", maxBackoff="
                + maxBackoff + ", maxRetryAfter=" + maxRetryAfter + ", retryableStatuses=" + retryableStatuses
                + ", idempotentRetryableStatuses=" + idempotentRetryableStatuses + "]";
    }

    /** Builds a {@link RetryPolicy}; every setter validates its argument. */
    public static final class Builder {
        private int maxAttempts = 4;
        private Duration baseBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Set<Integer> retryableStatuses = Set.of(429, 503);
        private Set<Integer> idempotentRetryableStatuses = Set.of(500, 502, 504);
        private Predicate<IOException> retryableException = DEFAULT_RETRYABLE_EXCEPTION;
        private Random random;

        private Builder() {}

        /**
         * Attempts per call including the first; at least 1.
         *
         * @param maxAttempts the attempts, at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            Checks.check(maxAttempts >= 1, "maxAttempts", "maxAttempts must be >= 1, was " + maxAttempts);
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The backoff ceiling after the first failure; zero or positive.
         *
         * @param baseBackoff the base backoff
         * @return this builder
         */
        public Builder baseBackoff(Duration baseBackoff) {
            this.baseBackoff = nonNegative(baseBackoff, "baseBackoff");
            return this;
        }

        /**
         * The largest backoff ceiling; zero or positive.
         *
         * @param maxBackoff the largest backoff
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = nonNegative(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * The longest {@code Retry-After} to wait out; zero or positive.
         *
         * @param maxRetryAfter the longest wait
         * @return this builder
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = nonNegative(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /**
         * Statuses retried for every call, idempotent or not.
         *
         * @param statuses the statuses, copied
         * @return this builder
         */
        public Builder retryableStatuses(Set<Integer> statuses) {
            this.retryableStatuses = Set.copyOf(Checks.notNull(statuses, "retryableStatuses"));
            return this;
        }

        /**
         * Statuses retried only for idempotent calls.
         *
         * @param statuses the statuses, copied
         * @return this builder
         */
        public Builder idempotentRetryableStatuses(Set<Integer> statuses) {
            this.idempotentRetryableStatuses = Set.copyOf(Checks.notNull(statuses, "idempotentRetryableStatuses"));
            return this;
        }

        /**
         * Which I/O failures may be retried.
         *
         * @param predicate the predicate, not null
         * @return this builder
         */
        public Builder retryableException(Predicate<IOException> predicate) {
            this.retryableException = Checks.notNull(predicate, "retryableException");
            return this;
        }

        /**
         * The random source of the jitter (a seeded one makes tests repeatable); default: thread-local.
         *
         * @param random the random source
         * @return this builder
         */
        public Builder random(Random random) {
            this.random = Checks.notNull(random, "random");
            return this;
        }

        /**
         * The policy.
         *
         * @return the immutable policy
         */
        public RetryPolicy build() {
            Checks.check(
                    maxBackoff.compareTo(baseBackoff) >= 0,
                    "maxBackoff",
                    "maxBackoff (" + maxBackoff + ") must not be less than baseBackoff (" + baseBackoff + ")");
            return new RetryPolicy(this);
        }

        private static Duration nonNegative(Duration d, String field) {
            Checks.notNull(d, field);
            Checks.check(!d.isNegative(), field, field + " must not be negative, was " + d);
            return d;
        }
    }
}
