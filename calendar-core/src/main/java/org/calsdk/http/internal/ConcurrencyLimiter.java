package org.calsdk.http.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code limit} holders per key (a host, a mailbox), served first come first served (fair
 * semaphores), so that one busy mailbox cannot starve the others waiting for the same host.
 */
public final class ConcurrencyLimiter<K> {
    private final int limit;
    private final Map<K, Semaphore> semaphores = new ConcurrentHashMap<>();

    public ConcurrencyLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Blocks until a permit for {@code key} is free. */
    public void acquire(K key) throws InterruptedException {
        semaphores.computeIfAbsent(key, k -> new Semaphore(limit, true)).acquire();
    }

    /** Returns a permit taken with {@link #acquire}. */
    public void release(K key) {
        Semaphore s = semaphores.get(key);
        if (s != null) {
            s.release();
        }
    }
}
