package org.calsdk.sync.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.calsdk.api.ChangeBatch;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.TimeWindow;

/**
 * Where a known event lies relative to what a full read covered, so that silence is read as "deleted" only
 * where the feed looked. Floating and all-day times have no zone of their own: the engine reads them in UTC
 * and keeps 14 hours (the widest UTC offset) away from the window's edges, so an event the provider may have
 * placed just outside the window is never taken for deleted.
 */
public final class Coverages {
    private static final Duration ZONE_SLACK = Duration.ofHours(14);

    private Coverages() {}

    /** Where an event lies relative to a coverage. */
    public enum Place {
        /** Covered: had it existed, the full read would have listed it. */
        INSIDE,
        /** Wholly before the window: history the feed no longer covers. */
        BEFORE,
        /** Not covered (after the window, near its edges, or unknown). */
        OUTSIDE
    }

    /** Where {@code event} (a known event's last seen shape; null when unknown) lies relative to {@code coverage}. */
    public static Place place(Event event, ChangeBatch.Coverage coverage) {
        if (coverage instanceof ChangeBatch.Coverage.Everything) {
            return Place.INSIDE;
        }
        if (event == null) {
            return Place.OUTSIDE;
        }
        TimeWindow window = ((ChangeBatch.Coverage.Window) coverage).window();
        boolean zoned = event.start() instanceof EventTime.Zoned;
        Duration slack = zoned ? Duration.ZERO : ZONE_SLACK;
        Instant start = window.start().plus(slack);
        Instant end = window.end().minus(slack);
        if (start.isBefore(end)) {
            try (Stream<Occurrence> s = Recurrences.expand(event, TimeWindow.of(start, end), ZoneOffset.UTC)) {
                if (s.anyMatch(o -> o.status() != EventStatus.CANCELLED || !event.isRecurring())) {
                    return Place.INSIDE;
                }
            }
        }
        if (!event.isRecurring()
                && !event.end().toInstant(ZoneOffset.UTC).plus(slack).isAfter(window.start())
                && !event.start().toInstant(ZoneOffset.UTC).plus(slack).isAfter(window.start())) {
            return Place.BEFORE;
        }
        return Place.OUTSIDE;
    }

    /**
     * What the store keeps of an external event so that a later full read can place it: its times and
     * recurrence (with overrides' times), nothing the host would call content.
     */
    public static Event shape(Event event) {
        List<Event> overrides = event.overrides().stream().map(Coverages::bare).toList();
        return bare(event).toBuilder().overrides(overrides).build();
    }

    private static Event bare(Event e) {
        return Event.builder()
                .id(e.id().orElse(null))
                .recurrenceId(e.recurrenceId().orElse(null))
                .start(e.start())
                .end(e.end())
                .recurrence(e.recurrence().orElse(null))
                .status(e.status())
                .properties(Map.of())
                .build();
    }
}
