package org.calsdk.availability.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.function.BiConsumer;

/**
 * Maps a range of wall-clock time to the instants that show it. Exact across offset changes: the
 * instants whose local date-time lies in {@code [from, to)}, which on a day the clocks go forward skips
 * the missing hour, and on a day they go back includes both passes of the repeated hour that fall in
 * the range (one or two intervals).
 */
final class LocalTimes {
    private LocalTimes() {}

    /** Calls {@code sink} with each interval {@code [start, end)} of instants showing a time in {@code [from, to)}. */
    static void instants(LocalDateTime from, LocalDateTime to, ZoneRules rules, BiConsumer<Instant, Instant> sink) {
        if (!to.isAfter(from)) {
            return;
        }
        if (rules.isFixedOffset()) {
            ZoneOffset off = rules.getOffset(Instant.EPOCH);
            sink.accept(from.toInstant(off), to.toInstant(off));
            return;
        }
        // Every instant showing a time in [from, to) lies in [from at the largest offset, to at the smallest).
        Instant lo = from.toInstant(ZoneOffset.MAX);
        Instant hi = to.toInstant(ZoneOffset.MIN);
        Instant t = lo;
        ZoneOffset off = rules.getOffset(t);
        Instant pendingStart = null;
        Instant pendingEnd = null;
        while (t.isBefore(hi)) {
            ZoneOffsetTransition next = rules.nextTransition(t);
            Instant segEnd = next == null || !next.getInstant().isBefore(hi) ? hi : next.getInstant();
            // on [t, segEnd) the local time is instant + off, which is monotonic
            Instant s = max(t, from.toInstant(off));
            Instant e = min(segEnd, to.toInstant(off));
            if (s.isBefore(e)) {
                if (pendingEnd != null && pendingEnd.equals(s)) {
                    pendingEnd = e;
                } else {
                    if (pendingStart != null) {
                        sink.accept(pendingStart, pendingEnd);
                    }
                    pendingStart = s;
                    pendingEnd = e;
                }
            }
            if (next == null || segEnd == hi) {
                break;
            }
            t = segEnd;
            off = next.getOffsetAfter();
        }
        if (pendingStart != null) {
            sink.accept(pendingStart, pendingEnd);
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
