package org.calsdk.sync;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.calsdk.internal.Checks;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyRules;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;

/**
 * A change to an event the app did not create, seen in a synced calendar: created, updated or deleted.
 * Delivered at least once (after a crash a change may come again), so hosts apply them by
 * {@link #eventId()} idempotently.
 *
 * <pre>{@code
 * switch (change) {
 *     case ExternalChange.Created c -> blocks.put(c.eventId(), c.busyBlock(zone));
 *     ...
 * }
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface ExternalChange {

    /**
     * The calendar the change happened in.
     *
     * @return the calendar
     */
    CalendarRef calendar();

    /**
     * The provider's id of the event.
     *
     * @return the provider's id of the event
     */
    String eventId();

    /** A new event. */
    record Created(CalendarRef calendar, Event event) implements ExternalChange {
        /**
         * Checks that the calendar and the event are set.
         *
         * @param calendar the calendar
         * @param event the event as it was created
         */
        public Created {
            Checks.notNull(calendar, "calendar");
            Checks.notNull(event, "event");
        }

        @Override
        public String eventId() {
            return event.id().orElseThrow();
        }
    }

    /** An event that changed. */
    record Updated(CalendarRef calendar, Event event) implements ExternalChange {
        /**
         * Checks that the calendar and the event are set.
         *
         * @param calendar the calendar
         * @param event the event as it is now
         */
        public Updated {
            Checks.notNull(calendar, "calendar");
            Checks.notNull(event, "event");
        }

        @Override
        public String eventId() {
            return event.id().orElseThrow();
        }
    }

    /** An event that is gone. */
    record Deleted(CalendarRef calendar, String eventId) implements ExternalChange {
        /**
         * Checks that the calendar is set and the event id is not blank.
         *
         * @param calendar the calendar
         * @param eventId the provider's id of the event
         */
        public Deleted {
            Checks.notNull(calendar, "calendar");
            Checks.notBlank(eventId, "eventId");
        }
    }

    /**
     * The event as it is now; empty for {@link Deleted}.
     *
     * @return the event as it is now, empty for a deletion
     */
    default Optional<Event> current() {
        if (this instanceof Created c) {
            return Optional.of(c.event());
        }
        if (this instanceof Updated u) {
            return Optional.of(u.event());
        }
        return Optional.empty();
    }

    /**
     * The busy blocks the event (a single event or a whole series with its overrides) puts in
     * {@code window}, merged per status, under {@link BusyRules#defaults()} (an all-day event blocks its day
     * even when the calendar marks it free); empty for deletions and free or cancelled events.
     *
     * @param window the window the intervals are cut to
     * @param zone the zone whole-day events are placed in
     * @return the busy intervals, empty for a deletion or an event that does not block time
     */
    default java.util.List<BusyInterval> busyBlocks(org.calsdk.model.TimeWindow window, ZoneId zone) {
        return busyBlocks(window, zone, BusyRules.defaults());
    }

    /**
     * As {@link #busyBlocks(org.calsdk.model.TimeWindow, ZoneId)}, under the host's {@code rules}.
     *
     * @param window the window the intervals are cut to
     * @param zone the zone whole-day events are placed in
     * @param rules how events count as busy
     * @return the busy intervals, empty for a deletion or an event that does not block time
     * @since 0.3
     */
    default java.util.List<BusyInterval> busyBlocks(org.calsdk.model.TimeWindow window, ZoneId zone, BusyRules rules) {
        Checks.notNull(window, "window");
        Checks.notNull(zone, "zone");
        Checks.notNull(rules, "rules");
        return current()
                .map(e -> org.calsdk.ical.Recurrences.busy(
                        java.util.List.of(e), window, zone, org.calsdk.ical.ExpansionLimits.DEFAULT, rules))
                .orElse(java.util.List.of());
    }

    /**
     * The time a single (non-recurring) event blocks, reading floating and all-day times in {@code zone},
     * under {@link BusyRules#defaults()} (an all-day event blocks even when marked free); empty for deletions,
     * free/cancelled events and series (use {@link #busyBlocks} for those).
     *
     * @param zone the zone whole-day events are placed in
     * @return the busy interval, empty for a deletion or an event that does not block time
     */
    default Optional<BusyInterval> busyBlock(ZoneId zone) {
        return busyBlock(zone, BusyRules.defaults());
    }

    /**
     * As {@link #busyBlock(ZoneId)}, under the host's {@code rules}.
     *
     * <pre>{@code
     * change.busyBlock(zone, BusyRules.asCalendarSays()); // all-day events marked free stay free
     * }</pre>
     *
     * @param zone the zone whole-day events are placed in
     * @param rules how events count as busy
     * @return the busy interval, empty for a deletion or an event that does not block time
     * @since 0.3
     */
    default Optional<BusyInterval> busyBlock(ZoneId zone, BusyRules rules) {
        Checks.notNull(zone, "zone");
        Checks.notNull(rules, "rules");
        Optional<Event> e = current();
        if (e.isEmpty() || e.get().isRecurring()) {
            return Optional.empty();
        }
        BusyStatus status = rules.statusOf(e.get(), e.get().isAllDay());
        if (status == BusyStatus.FREE) {
            return Optional.empty();
        }
        Instant s = e.get().start().toInstant(zone);
        Instant end = e.get().end().toInstant(zone);
        return end.isAfter(s) ? Optional.of(new BusyInterval(s, end, status, eventId())) : Optional.empty();
    }
}
