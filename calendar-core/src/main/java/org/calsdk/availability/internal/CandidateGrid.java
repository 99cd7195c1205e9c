package org.calsdk.availability.internal;

import java.util.Arrays;
import java.util.List;
import org.calsdk.model.TimeWindow;

/**
 * The candidate starts of a request, numbered {@code 0 … size-1} across its periods in order: period
 * {@code j} contributes {@code start_j + k × interval} for every k whose slot fits in the period. Turns a
 * participant's merged time intervals into runs of candidate numbers, so the sweep can count without
 * ever looking at a time it need not.
 */
final class CandidateGrid {
    final int size;
    private final long[] periodStart;
    private final long[] periodEnd;
    private final int[] offset;
    private final int[] count;
    private final long duration;
    private final long interval;

    CandidateGrid(List<TimeWindow> periods, TimeBase base, long duration, long interval) {
        int m = periods.size();
        periodStart = new long[m];
        periodEnd = new long[m];
        offset = new int[m];
        count = new int[m];
        this.duration = duration;
        this.interval = interval;
        long total = 0;
        for (int j = 0; j < m; j++) {
            periodStart[j] = base.rel(periods.get(j).start());
            periodEnd[j] = base.rel(periods.get(j).end());
            long room = periodEnd[j] - periodStart[j] - duration;
            offset[j] = (int) total;
            count[j] = room < 0 ? 0 : (int) (room / interval + 1);
            total += count[j];
        }
        // AvailabilityRequest caps the number of candidates far below Integer.MAX_VALUE
        size = (int) total;
    }

    /** The period candidate {@code c} belongs to, searching forward from {@code hint}. */
    int period(int c, int hint) {
        int j = hint;
        while (c >= offset[j] + count[j]) {
            j++;
        }
        return j;
    }

    /** The start of candidate {@code c}, which belongs to period {@code j}. */
    long start(int c, int j) {
        return periodStart[j] + (c - offset[j]) * interval;
    }

    long duration() {
        return duration;
    }

    /** Runs {@code [lo, hi)} of the candidates whose whole slot lies inside one of the merged {@code pairs}. */
    long[] slotsInside(long[] pairs) {
        return runs(pairs, true);
    }

    /** Runs {@code [lo, hi)} of the candidates whose start lies inside one of the merged {@code pairs}. */
    long[] startsInside(long[] pairs) {
        return runs(pairs, false);
    }

    private long[] runs(long[] pairs, boolean wholeSlot) {
        if (pairs.length == 0 || size == 0) {
            return Intervals.EMPTY;
        }
        long[] out = new long[16];
        int o = 0;
        int i = 0;
        for (int j = 0; j < periodStart.length; j++) {
            long ps = periodStart[j];
            long pe = periodEnd[j];
            if (count[j] == 0) {
                continue;
            }
            while (i < pairs.length && pairs[i + 1] <= ps) {
                i += 2;
            }
            // an interval may reach into the next period, so i stays on the first one overlapping this period
            for (int k = i; k < pairs.length && pairs[k] < pe; k += 2) {
                long from = Math.max(pairs[k], ps) - ps;
                long to = Math.min(pairs[k + 1], pe) - ps;
                long lo = ceilDiv(from, interval);
                long hi = wholeSlot ? Math.floorDiv(to - duration, interval) + 1 : ceilDiv(to, interval);
                hi = Math.min(hi, count[j]);
                if (lo < hi) {
                    if (o + 2 > out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[o++] = offset[j] + lo;
                    out[o++] = offset[j] + hi;
                }
            }
        }
        return Arrays.copyOf(out, o);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
