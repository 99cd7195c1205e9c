package org.calsdk.ical;

import java.time.Instant;
import java.time.ZoneId;
import org.calsdk.internal.Checks;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.jspecify.annotations.Nullable;

/**
 * One occurrence of an event: the single occurrence of a plain event, or one instance of a series
 * (generated from the master, or an override that replaced it).
 *
 * <pre>{@code
 * Recurrences.expand(series, window, ZoneId.of("Europe/Berlin"))
 *     .forEach(o -> System.out.println(o.start() + " " + o.summary()));
 * }</pre>
 *
 * @param uid          the series' UID (null when the event has none)
 * @param recurrenceId the original start of this instance (RECURRENCE-ID), in the form of the master's
 *                     start; null when the event does not recur
 * @param start        when this occurrence starts
 * @param end          when it ends (exclusive)
 * @param source       the event it came from: the master, or the override that replaced this instance
 *                     (for instances after a {@code THISANDFUTURE} override, that override)
 * @since 0.1
 */
public record Occurrence(
        @Nullable String uid, @Nullable EventTime recurrenceId, EventTime start, EventTime end, Event source) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param uid the series' UID (null when the event has none)
     * @param recurrenceId the original start of this instance (RECURRENCE-ID), in the form of the master's start;
     *     null when the event does not recur
     * @param start when this occurrence starts
     * @param end when it ends (exclusive)
     * @param source the event it came from: the master, or the override that replaced this instance (for instances
     *     after a {@code THISANDFUTURE} override, that override)
     */
    public Occurrence {
        Checks.notNull(start, "start");
        Checks.notNull(end, "end");
        Checks.notNull(source, "source");
    }

    /**
     * The start as an instant, reading floating and all-day times in {@code zone}.
     *
     * @param zone the zone for floating and all-day times
     * @return the instant
     */
    public Instant startInstant(ZoneId zone) {
        return start.toInstant(zone);
    }

    /**
     * The end as an instant, reading floating and all-day times in {@code zone}.
     *
     * @param zone the zone for floating and all-day times
     * @return the instant
     */
    public Instant endInstant(ZoneId zone) {
        return end.toInstant(zone);
    }

    /**
     * The status of the event this occurrence came from.
     *
     * @return the status
     */
    public EventStatus status() {
        return source.status();
    }

    /**
     * How this occurrence takes time ({@link Event#busyStatus()} of its source).
     *
     * @return the busy status
     */
    public BusyStatus busyStatus() {
        return source.busyStatus();
    }

    /**
     * The title of its source.
     *
     * @return the title; empty when none
     */
    public String summary() {
        return source.summary();
    }

    /**
     * Whether this occurrence is a whole-day one.
     *
     * @return true for an all-day occurrence
     */
    public boolean isAllDay() {
        return start.isAllDay();
    }

    @Override
    public String toString() {
        return "Occurrence{uid=" + uid + ", recurrenceId=" + recurrenceId + ", start=" + start + ", end=" + end
                + ", status=" + status() + "}";
    }
}
