package org.calsdk.sync;

import java.time.Duration;
import org.calsdk.internal.Checks;

/**
 * How long to wait before retrying a failed push (or a failed mailbox pass): exponential from
 * {@code initial}, capped at {@code max}, with up to {@code jitter} (a fraction) added at random; after
 * {@code maxAttempts} failed attempts a push is given up.
 *
 * <pre>{@code
 * BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(5), Duration.ofMinutes(15), 0.2, 12);
 * }</pre>
 *
 * @param initial     the first delay
 * @param max         the longest delay
 * @param jitter      random extra, as a fraction of the delay (0 to 1)
 * @param maxAttempts attempts before giving up on a push
 * @since 0.1
 */
public record BackoffPolicy(Duration initial, Duration max, double jitter, int maxAttempts) {
    /**
     * Checks that the initial delay is positive, the maximum at least the initial delay, the jitter between 0 and 1
     * and the attempts at least 1.
     *
     * @param initial the first delay
     * @param max the longest delay
     * @param jitter random extra, as a fraction of the delay (0 to 1)
     * @param maxAttempts attempts before giving up on a push
     */
    public BackoffPolicy {
        Checks.notNull(initial, "initial");
        Checks.notNull(max, "max");
        Checks.check(!initial.isNegative() && !initial.isZero(), "initial", "initial delay must be positive");
        Checks.check(max.compareTo(initial) >= 0, "max", "max delay must be at least the initial delay");
        Checks.check(jitter >= 0 && jitter <= 1, "jitter", "jitter must be between 0 and 1");
        Checks.check(maxAttempts >= 1, "maxAttempts", "maxAttempts must be at least 1");
    }

    /**
     * 5 s doubling to 15 min, 20% jitter, 12 attempts (about 2 hours).
     *
     * @return the default policy
     */
    public static BackoffPolicy defaults() {
        return new BackoffPolicy(Duration.ofSeconds(5), Duration.ofMinutes(15), 0.2, 12);
    }

    /**
     * The delay after {@code attempts} failures (1 = after the first), given a random number in [0,1).
     *
     * @param attempts attempts made so far (1 after the first failure)
     * @param random a random number in [0, 1), for jitter
     * @return how long to wait before the next attempt, at most the maximum delay plus jitter
     */
    public Duration delay(int attempts, double random) {
        long base = initial.toMillis();
        for (int i = 1; i < attempts && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        return Duration.ofMillis(base + (long) (base * jitter * random));
    }
}
