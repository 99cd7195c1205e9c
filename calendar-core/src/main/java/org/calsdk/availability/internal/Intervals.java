package org.calsdk.availability.internal;

import java.util.Arrays;

/**
 * Half-open intervals of {@code long} time points (nanoseconds from a base), as flat arrays of pairs
 * {@code [s0, e0, s1, e1, …]}: sorted by start, disjoint and not touching once merged. No objects per
 * interval, so sorting is two primitive sorts.
 */
public final class Intervals {
    static final long[] EMPTY = new long[0];

    private Intervals() {}

    /**
     * A growable list of intervals given in any order; {@link #union()} sorts and merges them.
     */
    public static final class Builder {
        private long[] starts;
        private long[] ends;
        private int n;

        public Builder(int capacity) {
            starts = new long[Math.max(4, capacity)];
            ends = new long[Math.max(4, capacity)];
        }

        /** Adds {@code [s, e)}; empty intervals are ignored. */
        public void add(long s, long e) {
            if (e <= s) {
                return;
            }
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            starts[n] = s;
            ends[n] = e;
            n++;
        }

        public int size() {
            return n;
        }

        /**
         * The union, as sorted pairs; overlapping and touching intervals are joined. O(n log n).
         *
         * <p>The union depends only on the multiset of start points and of end points, so the two are
         * sorted independently and swept with a depth counter (a start at the same point as an end is
         * taken first, which joins touching intervals).
         */
        public long[] union() {
            if (n == 0) {
                return EMPTY;
            }
            Arrays.sort(starts, 0, n);
            Arrays.sort(ends, 0, n);
            long[] out = new long[2 * n];
            int o = 0;
            int i = 0;
            int j = 0;
            int depth = 0;
            long open = 0;
            while (i < n) {
                if (starts[i] <= ends[j]) {
                    if (depth++ == 0) {
                        open = starts[i];
                    }
                    i++;
                } else {
                    if (--depth == 0) {
                        out[o++] = open;
                        out[o++] = ends[j];
                    }
                    j++;
                }
            }
            // every start is open; the last end closes the last run
            out[o++] = open;
            out[o++] = ends[n - 1];
            return Arrays.copyOf(out, o);
        }
    }

    /** {@code a} minus {@code b}, both merged pair lists; the result is merged too. O(|a| + |b|). */
    public static long[] subtract(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return a;
        }
        long[] out = new long[a.length + b.length];
        int o = 0;
        int j = 0;
        for (int i = 0; i < a.length; i += 2) {
            long s = a[i];
            long e = a[i + 1];
            while (j < b.length && b[j + 1] <= s) {
                j += 2;
            }
            int k = j;
            while (s < e && k < b.length && b[k] < e) {
                if (b[k] > s) {
                    out = ensure(out, o + 2);
                    out[o++] = s;
                    out[o++] = b[k];
                }
                s = Math.max(s, b[k + 1]);
                k += 2;
            }
            if (s < e) {
                out = ensure(out, o + 2);
                out[o++] = s;
                out[o++] = e;
            }
        }
        return Arrays.copyOf(out, o);
    }

    private static long[] ensure(long[] a, int size) {
        return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, a.length * 2));
    }

    /** Index (even) of the pair whose start is the last one at or before {@code t}, or -2 when none. */
    public static int floorPair(long[] pairs, long t) {
        int lo = 0;
        int hi = pairs.length / 2 - 1;
        int found = -2;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (pairs[2 * mid] <= t) {
                found = 2 * mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Whether {@code [s, e)} lies inside one interval of the merged {@code pairs}. */
    public static boolean contains(long[] pairs, long s, long e) {
        int i = floorPair(pairs, s);
        return i >= 0 && e <= pairs[i + 1];
    }
}
