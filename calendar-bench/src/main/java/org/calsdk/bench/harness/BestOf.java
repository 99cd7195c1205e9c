package org.calsdk.bench.harness;

import java.util.function.Supplier;

/**
 * Harness timing for CPU figures without JMH's forks: the best of k runs in this JVM after w warm-up
 * runs. On a shared machine the minimum is the least disturbed run, so it is what the harness reports
 * (JMH averages remain available in {@code benchmarks.jar}).
 */
public final class BestOf {
    private BestOf() {}

    /** Volatile sink so results are not optimised away. */
    private static volatile Object sink;

    /** Milliseconds of the fastest of {@code runs} calls after {@code warmups} unmeasured ones. */
    public static double millis(int warmups, int runs, Supplier<?> work) {
        for (int i = 0; i < warmups; i++) {
            sink = work.get();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            sink = work.get();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }
}
