package org.calsdk.http;

import java.time.Duration;

/**
 * Waits between retries. Injected into {@link HttpTransport} so that tests control time: a fake sleeper
 * records the requested pauses (and advances a fake clock) instead of blocking.
 *
 * <pre>{@code
 * HttpTransport t = HttpTransport.builder().sleeper(Sleeper.system()).build();
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Blocks for {@code duration}.
     *
     * @param duration how long to wait, zero or positive
     * @throws InterruptedException when the waiting thread is interrupted (the call was cancelled)
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * A sleeper that really waits, with {@link Thread#sleep(long)}.
     *
     * @return the shared system sleeper
     */
    static Sleeper system() {
        return duration -> {
            long millis = duration.toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        };
    }
}
