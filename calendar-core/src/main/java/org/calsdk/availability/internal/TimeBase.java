package org.calsdk.availability.internal;

import java.time.Instant;

/**
 * The engine's time line: instants as nanoseconds after {@code lo}, clamped to {@code [lo, hi]}. The
 * request keeps {@code hi - lo} well inside the range of a {@code long} of nanoseconds.
 */
record TimeBase(Instant lo, Instant hi) {

    /** Nanoseconds from {@code lo} to {@code t}, with {@code t} clamped to {@code [lo, hi]}. */
    long rel(Instant t) {
        if (t.isBefore(lo)) {
            t = lo;
        } else if (t.isAfter(hi)) {
            t = hi;
        }
        return (t.getEpochSecond() - lo.getEpochSecond()) * 1_000_000_000L + (t.getNano() - lo.getNano());
    }

    Instant instant(long rel) {
        return lo.plusNanos(rel);
    }
}
