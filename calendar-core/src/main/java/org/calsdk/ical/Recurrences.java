package org.calsdk.ical;

import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.calsdk.ical.internal.BusyMerger;
import org.calsdk.ical.internal.Expander;
import org.calsdk.internal.Checks;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyRules;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;

/**
 * Expands events and series into their occurrences inside a time window, and computes busy time.
 *
 * <p>What expansion guarantees:
 * <ul>
 *   <li>all RRULE parts of RFC 5545 §3.3.10, RDATE and EXDATE; DTSTART is always the first instance and
 *       counts towards COUNT (§3.8.5.3);</li>
 *   <li>an override ({@link Event#overrides()}) replaces the instance whose start equals its
 *       {@link Event#recurrenceId()} and appears at its own time, even when the original time lies
 *       outside the window; an override with the {@link ICalendar#PROPERTY_RANGE} property
 *       {@code THISANDFUTURE} also moves (by the same shift) and reshapes every later instance that has
 *       no override of its own;</li>
 *   <li>a cancelled override removes its instance (and with {@code THISANDFUTURE}, all later ones);
 *       a cancelled master yields its occurrences with status {@code CANCELLED};</li>
 *   <li>occurrences that started before the window but still overlap it are included; a zero-length
 *       occurrence is included when it starts inside the window;</li>
 *   <li>times in a zone are computed on the wall clock and then placed in the zone as RFC 5545 §3.3.5
 *       says: a time in a spring-forward gap moves forward by the gap's length, a time in a fall-back
 *       overlap takes the first (earlier) offset;</li>
 *   <li>the stream is lazy and sorted by start (then end): an unbounded series is never materialized,
 *       and a rule that can never match ends after a bounded search instead of hanging;</li>
 *   <li>work is bounded ({@link ExpansionLimits}): a sub-daily rule (HOURLY, MINUTELY, SECONDLY, or
 *       several times of day) yields at most {@link ExpansionLimits#maxSubDailyInstances()} instances
 *       per series and expansion; beyond that, consuming the stream throws
 *       {@link org.calsdk.errors.LimitExceededException}.</li>
 * </ul>
 *
 * <pre>{@code
 * List<Event> events = ICalendar.parse(ics);
 * TimeWindow march = TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
 * try (Stream<Occurrence> s = Recurrences.expand(events.get(0), march, ZoneId.of("Europe/Berlin"))) {
 *     s.forEach(o -> System.out.println(o.start()));
 * }
 * List<BusyInterval> busy = Recurrences.busy(events, march, ZoneId.of("Europe/Berlin"));
 * }</pre>
 *
 * <p>Stateless and thread-safe; each returned stream is for one consumer.
 *
 * @since 0.1
 */
public final class Recurrences {
    private Recurrences() {}

    /**
     * The occurrences of {@code event} that overlap {@code window}, lazily, sorted by start.
     *
     * @param event        a plain event (0 or 1 occurrence), a series master with its overrides, or a
     *                     lone override (whose master is unknown)
     * @param window       the half-open window {@code [start, end)}
     * @param floatingZone the zone in which floating and all-day times are read
     * @return the occurrences; the stream holds no resources
     * @throws org.calsdk.errors.InvalidInputException when the event's recurrence rules are invalid
     *         (a {@link org.calsdk.errors.MalformedDataException} naming the rule)
     */
    public static Stream<Occurrence> expand(Event event, TimeWindow window, ZoneId floatingZone) {
        return expand(event, window, floatingZone, ExpansionLimits.DEFAULT);
    }

    /**
     * As {@link #expand(Event, TimeWindow, ZoneId)}, with other bounds than {@link ExpansionLimits#DEFAULT}.
     *
     * @param limits the bounds on the expansion's work
     * @param event the event (a series master with its overrides, or a single event)
     * @param window the window occurrences must touch
     * @param floatingZone the zone for floating and all-day times
     * @return the occurrences; consuming the stream throws {@link org.calsdk.errors.LimitExceededException}
     *         (naming the bound) where a sub-daily rule yields more instances than allowed
     */
    public static Stream<Occurrence> expand(
            Event event, TimeWindow window, ZoneId floatingZone, ExpansionLimits limits) {
        Checks.notNull(event, "event");
        Checks.notNull(window, "window");
        Checks.notNull(floatingZone, "floatingZone");
        Checks.notNull(limits, "limits");
        return Expander.expand(event, window, floatingZone, limits);
    }

    /**
     * Whether {@code event} occurs in {@code window}: the one rule every provider uses to decide whether a
     * window read ({@link org.calsdk.api.EventQuery}) returns an event, so that the reference provider and
     * the real ones agree. True exactly when {@link #expand} yields at least one occurrence, which means:
     * <ul>
     *   <li>an occurrence overlaps the half-open window {@code [start, end)}, or is zero-length and starts
     *       inside it;</li>
     *   <li>a series counts when any of its occurrences (moved overrides at their new time included) does,
     *       even when it began before the window;</li>
     *   <li>instances removed by EXDATE or by a cancelled override do not count; a cancelled event (status
     *       {@code CANCELLED} on the event or series itself) still counts: it is in the calendar, and its
     *       status tells the reader it is cancelled.</li>
     * </ul>
     *
     * @param event        a plain event, a series master with its overrides, or a lone override
     * @param window       the window
     * @param floatingZone the zone in which floating and all-day times are read
     * @return whether the event has an occurrence in the window
     * @since 0.2
     */
    public static boolean occursIn(Event event, TimeWindow window, ZoneId floatingZone) {
        try (Stream<Occurrence> s = expand(event, window, floatingZone)) {
            return s.findAny().isPresent();
        }
    }

    /**
     * The occurrences of all {@code events} that overlap {@code window}, lazily, merged into one stream
     * sorted by start (then end).
     *
     * @param events       events and series
     * @param window       the window
     * @param floatingZone the zone in which floating and all-day times are read
     * @return the occurrences
     */
    public static Stream<Occurrence> expandAll(Collection<Event> events, TimeWindow window, ZoneId floatingZone) {
        return expandAll(events, window, floatingZone, ExpansionLimits.DEFAULT);
    }

    /**
     * As {@link #expandAll(Collection, TimeWindow, ZoneId)}, with other bounds than {@link ExpansionLimits#DEFAULT}.
     *
     * @param limits the bounds on the expansion's work (per series)
     * @param events the events
     * @param window the window occurrences must touch
     * @param floatingZone the zone for floating and all-day times
     * @return the occurrences
     */
    public static Stream<Occurrence> expandAll(
            Collection<Event> events, TimeWindow window, ZoneId floatingZone, ExpansionLimits limits) {
        Checks.notNull(events, "events");
        Checks.notNull(window, "window");
        Checks.notNull(floatingZone, "floatingZone");
        Checks.notNull(limits, "limits");
        return Expander.expandAll(List.copyOf(events), window, floatingZone, limits);
    }

    /**
     * The time the events block inside the window: occurrences that are free (transparent) or cancelled
     * are dropped; the rest are clipped to the window, and overlapping or touching intervals of the same
     * status are merged. Sorted by start, then status.
     *
     * @param events events and series
     * @param window the window
     * @param zone   the zone in which floating and all-day times are read
     * @return the busy intervals; a merged interval has no event id, a single one has its event's id
     */
    public static List<BusyInterval> busy(Collection<Event> events, TimeWindow window, ZoneId zone) {
        return busy(events, window, zone, ExpansionLimits.DEFAULT);
    }

    /**
     * As {@link #busy(Collection, TimeWindow, ZoneId)}, with other bounds than {@link ExpansionLimits#DEFAULT}.
     * Occurrences are merged as they stream by; only the merged intervals are held.
     *
     * @param limits the bounds on the expansion's work (per series)
     * @param events the events
     * @param window the window
     * @param zone the zone for floating and all-day times
     * @return the busy intervals
     * @throws org.calsdk.errors.LimitExceededException when a sub-daily series exceeds the bound
     */
    public static List<BusyInterval> busy(
            Collection<Event> events, TimeWindow window, ZoneId zone, ExpansionLimits limits) {
        Checks.notNull(events, "events");
        Checks.notNull(window, "window");
        Checks.notNull(zone, "zone");
        Checks.notNull(limits, "limits");
        return BusyMerger.busy(List.copyOf(events), window, zone, limits);
    }

    /**
     * As {@link #busy(Collection, TimeWindow, ZoneId, ExpansionLimits)}, with the host's {@link BusyRules}: with
     * {@link BusyRules#defaults()} an all-day occurrence that the calendar marks free blocks its day as BUSY
     * (the forms without rules keep the calendar's marking, as RFC 5545 reads it).
     *
     * <pre>{@code
     * List<BusyInterval> busy = Recurrences.busy(events, week, zone, ExpansionLimits.DEFAULT, BusyRules.defaults());
     * }</pre>
     *
     * @param rules how the host wants events turned into busy time
     * @param events the events
     * @param window the window
     * @param zone the zone for floating and all-day times
     * @param limits the bounds on the expansion's work
     * @return the busy intervals
     * @since 0.3
     */
    public static List<BusyInterval> busy(
            Collection<Event> events, TimeWindow window, ZoneId zone, ExpansionLimits limits, BusyRules rules) {
        Checks.notNull(events, "events");
        Checks.notNull(window, "window");
        Checks.notNull(zone, "zone");
        Checks.notNull(limits, "limits");
        Checks.notNull(rules, "rules");
        return BusyMerger.busy(List.copyOf(events), window, zone, limits, rules);
    }
}
