package org.calsdk.ical.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.calsdk.ical.ExpansionLimits;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;

/** Implementation of {@link org.calsdk.ical.Recurrences#busy}. */
public final class BusyMerger {
    private BusyMerger() {}

    /** The interval being extended, per status; closed into a {@link BusyInterval} when a gap appears. */
    private static final class Open {
        Instant start;
        Instant end;
        String id;
        boolean sameEvent = true;
    }

    public static List<BusyInterval> busy(List<Event> events, TimeWindow window, ZoneId zone) {
        return busy(events, window, zone, ExpansionLimits.DEFAULT);
    }

    /**
     * Streams the occurrences and merges as they come: memory is the merged intervals (plus one open
     * interval per status), never the occurrences.
     */
    public static List<BusyInterval> busy(List<Event> events, TimeWindow window, ZoneId zone, ExpansionLimits limits) {
        return busy(events, window, zone, limits, null);
    }

    /** As above; with {@code rules} null, each occurrence's own {@link Event#busyStatus()} counts. */
    public static List<BusyInterval> busy(
            List<Event> events,
            TimeWindow window,
            ZoneId zone,
            ExpansionLimits limits,
            org.calsdk.model.@org.jspecify.annotations.Nullable BusyRules rules) {
        Map<BusyStatus, Open> open = new EnumMap<>(BusyStatus.class);
        List<BusyInterval> out = new ArrayList<>();
        // occurrences arrive sorted by start, so an interval only ever merges with the open one of its status
        Expander.expandAll(events, window, zone, limits).forEach(o -> {
            BusyStatus status = rules == null ? o.busyStatus() : rules.statusOf(o.source(), o.isAllDay());
            if (status == BusyStatus.FREE) {
                return;
            }
            Instant s = max(o.startInstant(zone), window.start());
            Instant e = min(o.endInstant(zone), window.end());
            if (!e.isAfter(s)) {
                return;
            }
            String id = o.source().id().orElse(null);
            Open cur = open.get(status);
            if (cur != null && !cur.end.isBefore(s)) {
                if (e.isAfter(cur.end)) {
                    cur.end = e;
                }
                cur.sameEvent &= Objects.equals(cur.id, id);
                return;
            }
            if (cur != null) {
                out.add(close(cur, status));
            } else {
                cur = new Open();
                open.put(status, cur);
            }
            cur.start = s;
            cur.end = e;
            cur.id = id;
            cur.sameEvent = true;
        });
        open.forEach((status, cur) -> out.add(close(cur, status)));
        out.sort(Comparator.comparing(BusyInterval::start)
                .thenComparing(BusyInterval::status)
                .thenComparing(BusyInterval::end));
        return List.copyOf(out);
    }

    private static BusyInterval close(Open o, BusyStatus status) {
        return new BusyInterval(o.start, o.end, status, o.sameEvent ? o.id : null);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
