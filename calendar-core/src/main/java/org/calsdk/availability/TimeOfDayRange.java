package org.calsdk.availability;

import java.time.LocalTime;
import org.calsdk.internal.Checks;

/**
 * A range of wall-clock time within a day, {@code [start, end)}, as people state working hours.
 * When {@code end} is at or before {@code start} the range runs past midnight and ends on the next
 * local date: {@code 22:00-06:00} is a night shift, {@code 00:00-00:00} a whole day (write
 * {@code 24:00} as {@link LocalTime#MIDNIGHT}).
 *
 * <pre>{@code
 * TimeOfDayRange morning = TimeOfDayRange.of(LocalTime.of(9, 0), LocalTime.of(12, 0));
 * }</pre>
 *
 * @param start first local time inside the range
 * @param end   first local time after the range (on the next date when not after {@code start})
 * @since 0.1
 */
public record TimeOfDayRange(LocalTime start, LocalTime end) {
    /** The whole day, 00:00 to 24:00. */
    public static final TimeOfDayRange WHOLE_DAY = new TimeOfDayRange(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param start first local time inside the range
     * @param end first local time after the range (on the next date when not after {@code start})
     */
    public TimeOfDayRange {
        Checks.notNull(start, "start");
        Checks.notNull(end, "end");
    }

    /**
     * A range of wall-clock time; an end at or before the start runs into the next day.
     *
     * @param start the start
     * @param end the end ({@code 00:00} for midnight at the end)
     * @return the range
     */
    public static TimeOfDayRange of(LocalTime start, LocalTime end) {
        return new TimeOfDayRange(start, end);
    }

    /**
     * Whether the range ends on the next local date (its end is at or before its start).
     *
     * @return true when the range runs past midnight
     */
    public boolean crossesMidnight() {
        return !end.isAfter(start);
    }

    @Override
    public String toString() {
        return start + "-" + (end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString());
    }
}
