package org.calsdk.testkit.memory.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;

/**
 * What the in-memory service needs of recurrence expansion, on top of {@link Recurrences}. Not public API.
 */
public final class Occurrences {
    private Occurrences() {}

    /** Whether {@code event} occurs in {@code window}, by the rule every provider shares ({@link Recurrences#occursIn}). */
    public static boolean occursIn(Event event, TimeWindow window, ZoneId zone) {
        return Recurrences.occursIn(event, window, zone);
    }

    /** Whether the series (ignoring its EXDATEs and overrides) has an occurrence starting at {@code at}. */
    public static boolean hasOccurrenceAt(Event master, Instant at, ZoneId zone) {
        Event bare = master.toBuilder()
                .overrides(List.of())
                .recurrence(master.recurrence().orElseThrow().withExdates(List.of()))
                .build();
        try (Stream<Occurrence> s = Recurrences.expand(bare, TimeWindow.of(at, at.plusSeconds(1)), zone)) {
            return s.anyMatch(o -> o.startInstant(zone).equals(at));
        }
    }

    /** Busy time of {@code events} in {@code window}. */
    public static List<BusyInterval> busy(Collection<Event> events, TimeWindow window, ZoneId zone) {
        return Recurrences.busy(events, window, zone);
    }
}
