package org.calsdk.ical.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.calsdk.ical.Occurrence;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;

/** Implementation of {@link org.calsdk.ical.Recurrences#busy}. */
public final class BusyMerger {
    private BusyMerger() {}

    public static List<BusyInterval> busy(List<Event> events, TimeWindow window, ZoneId zone) {
        Map<BusyStatus, List<BusyInterval>> byStatus = new EnumMap<>(BusyStatus.class);
        Expander.expandAll(events, window, zone).forEach(o -> {
            BusyStatus status = o.busyStatus();
            if (status == BusyStatus.FREE) {
                return;
            }
            Instant s = max(o.startInstant(zone), window.start());
            Instant e = min(o.endInstant(zone), window.end());
            if (!e.isAfter(s)) {
                return;
            }
            List<BusyInterval> list = byStatus.computeIfAbsent(status, k -> new ArrayList<>());
            String id = eventId(o);
            // occurrences arrive sorted by start, so merging with the last interval of the same status suffices
            if (!list.isEmpty() && !list.get(list.size() - 1).end().isBefore(s)) {
                BusyInterval last = list.remove(list.size() - 1);
                Instant end = max(last.end(), e);
                String mergedId = Objects.equals(last.eventId(), id) ? id : null;
                list.add(new BusyInterval(last.start(), end, status, mergedId));
            } else {
                list.add(new BusyInterval(s, e, status, id));
            }
        });
        List<BusyInterval> out = new ArrayList<>();
        byStatus.values().forEach(out::addAll);
        out.sort(Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::status).thenComparing(BusyInterval::end));
        return List.copyOf(out);
    }

    private static String eventId(Occurrence o) {
        return o.source().id().orElse(null);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
