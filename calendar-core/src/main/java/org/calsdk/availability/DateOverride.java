package org.calsdk.availability;

import java.time.LocalDate;
import java.util.List;
import org.calsdk.internal.Checks;

/**
 * A change to a participant's working hours on one local date: a day off, hours worked in addition
 * to the regular ones, or hours that replace the regular ones for that date.
 *
 * <p>On a date with several overrides, {@link Kind#DAY_OFF} wins over everything; otherwise the
 * date's hours are the {@link Kind#REPLACE_HOURS} ranges (or the weekday's regular ranges when there
 * is none) plus every {@link Kind#EXTRA_HOURS} range.
 *
 * <pre>{@code
 * DateOverride holiday = DateOverride.dayOff(LocalDate.of(2026, 12, 25));
 * DateOverride saturday = DateOverride.extraHours(LocalDate.of(2026, 3, 7),
 *         TimeOfDayRange.of(LocalTime.of(10, 0), LocalTime.of(12, 0)));
 * }</pre>
 *
 * @param date   the local date in the participant's zone
 * @param kind   what happens on that date
 * @param ranges the hours (empty for a day off)
 * @since 0.1
 */
public record DateOverride(LocalDate date, Kind kind, List<TimeOfDayRange> ranges) {

    /** What an override does to its date. */
    public enum Kind {
        /** Not working at all that date. */
        DAY_OFF,
        /** Working these hours in addition to the regular ones. */
        EXTRA_HOURS,
        /** Working these hours instead of the regular ones. */
        REPLACE_HOURS
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param date the local date in the participant's zone
     * @param kind what happens on that date
     * @param ranges the hours (empty for a day off)
     */
    public DateOverride {
        Checks.notNull(date, "date");
        Checks.notNull(kind, "kind");
        ranges = Checks.immutableList(ranges, "ranges");
        Checks.check(kind != Kind.DAY_OFF || ranges.isEmpty(), "ranges", "a day off has no hours");
        Checks.check(kind != Kind.EXTRA_HOURS || !ranges.isEmpty(), "ranges", "extra hours need at least one range");
    }

    /**
     * A day off: no working time that date.
     *
     * @param date the date
     * @return the override
     */
    public static DateOverride dayOff(LocalDate date) {
        return new DateOverride(date, Kind.DAY_OFF, List.of());
    }

    /**
     * Hours worked that date in addition to the weekday's.
     *
     * @param date the date
     * @param ranges the extra hours
     * @return the override
     */
    public static DateOverride extraHours(LocalDate date, TimeOfDayRange... ranges) {
        return new DateOverride(date, Kind.EXTRA_HOURS, List.of(ranges));
    }

    /**
     * Hours that replace the regular ones on {@code date}; no ranges at all means a day off.
     *
     * @param date the local date
     * @param ranges the hours of that day; none for a day off
     * @return the override
     */
    public static DateOverride hours(LocalDate date, TimeOfDayRange... ranges) {
        return new DateOverride(date, Kind.REPLACE_HOURS, List.of(ranges));
    }
}
