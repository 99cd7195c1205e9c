package org.calsdk.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.calsdk.internal.Checks;

/**
 * The start or end of an event, in one of the three forms calendars use (RFC 5545 §3.3.4–3.3.5):
 * <ul>
 *   <li>{@link Zoned}: a date-time in a time zone, or in UTC ({@link Zoned#isUtc()});</li>
 *   <li>{@link Floating}: a wall-clock date-time with no zone, read in the viewer's zone;</li>
 *   <li>{@link AllDay}: a date with no time (all-day events; the end date is exclusive).</li>
 * </ul>
 * Floating and all-day times become instants only in a zone the caller chooses.
 *
 * <pre>{@code
 * EventTime start = EventTime.of(ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneId.of("Europe/Berlin")));
 * EventTime day = EventTime.allDay(LocalDate.of(2026, 3, 4));
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface EventTime extends Comparable<EventTime> {

    /**
     * A time in a zone.
     *
     * @param dateTime the date-time and its zone
     * @return the time
     */
    static Zoned of(ZonedDateTime dateTime) {
        return new Zoned(dateTime);
    }

    /**
     * An instant, in UTC.
     *
     * @param instant the instant
     * @return the time, {@link Zoned#isUtc()}
     */
    static Zoned utc(Instant instant) {
        return new Zoned(instant.atZone(ZoneOffset.UTC));
    }

    /**
     * A wall-clock time in no zone (read in each viewer's own).
     *
     * @param dateTime the local date-time
     * @return the time
     */
    static Floating floating(LocalDateTime dateTime) {
        return new Floating(dateTime);
    }

    /**
     * A whole day.
     *
     * @param date the date
     * @return the time
     */
    static AllDay allDay(LocalDate date) {
        return new AllDay(date);
    }

    /**
     * The instant this time stands for, reading floating and all-day times in {@code zone}.
     *
     * @param zone the zone for floating and all-day times
     * @return the instant
     */
    Instant toInstant(ZoneId zone);

    /**
     * Whether this is a date without a time.
     *
     * @return true for an all-day time
     */
    default boolean isAllDay() {
        return this instanceof AllDay;
    }

    /**
     * The local date in the time's own zone (or in {@code zone} is not used for zoned values).
     *
     * @return the local date
     */
    LocalDate date();

    /** Orders by the instant in UTC (floating and all-day read in UTC): a stable total order. */
    @Override
    default int compareTo(EventTime o) {
        return toInstant(ZoneOffset.UTC).compareTo(o.toInstant(ZoneOffset.UTC));
    }

    /**
     * A date-time in a zone; {@code Z} (UTC) when {@link #isUtc()}.
     *
     * @param dateTime the date-time with its zone
     */
    record Zoned(ZonedDateTime dateTime) implements EventTime {
        /**
         * Checks the value.
         *
         * @param dateTime the date-time with its zone
         * @throws NullPointerException if {@code dateTime} is null
         */
        public Zoned {
            Checks.notNull(dateTime, "dateTime");
        }

        /**
         * Whether the zone is UTC.
         *
         * @return {@code true} for {@code Z}
         */
        public boolean isUtc() {
            return dateTime.getZone().normalized().equals(ZoneOffset.UTC);
        }

        /**
         * The zone.
         *
         * @return the zone of the date-time
         */
        public ZoneId zone() {
            return dateTime.getZone();
        }

        @Override
        public Instant toInstant(ZoneId zone) {
            return dateTime.toInstant();
        }

        @Override
        public LocalDate date() {
            return dateTime.toLocalDate();
        }
    }

    /**
     * A wall-clock time with no zone.
     *
     * @param dateTime the wall-clock date-time, without a zone
     */
    record Floating(LocalDateTime dateTime) implements EventTime {
        /**
         * Checks the value.
         *
         * @param dateTime the wall-clock date-time, without a zone
         * @throws NullPointerException if {@code dateTime} is null
         */
        public Floating {
            Checks.notNull(dateTime, "dateTime");
        }

        @Override
        public Instant toInstant(ZoneId zone) {
            return dateTime.atZone(Checks.notNull(zone, "zone")).toInstant();
        }

        @Override
        public LocalDate date() {
            return dateTime.toLocalDate();
        }
    }

    /**
     * A date without time; as an end, exclusive.
     *
     * @param date the day
     */
    record AllDay(LocalDate date) implements EventTime {
        /**
         * Checks the value.
         *
         * @param date the day
         * @throws NullPointerException if {@code date} is null
         */
        public AllDay {
            Checks.notNull(date, "date");
        }

        @Override
        public Instant toInstant(ZoneId zone) {
            return date.atStartOfDay(Checks.notNull(zone, "zone")).toInstant();
        }
    }
}
