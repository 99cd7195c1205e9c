package org.calsdk.availability;

import java.time.LocalDate;
import org.calsdk.internal.Checks;
import org.calsdk.model.BusyStatus;

/**
 * An all-day entry on a participant's calendar: it takes {@code [date 00:00, next date 00:00)} in the
 * participant's own time zone (23 or 25 hours on a daylight-saving change), with the given status.
 *
 * @param date   the local date
 * @param status how the day is taken ({@code FREE} and {@code WORKING_ELSEWHERE} never block)
 * @since 0.1
 */
public record AllDayBusy(LocalDate date, BusyStatus status) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param date the local date
     * @param status how the day is taken ({@code FREE} and {@code WORKING_ELSEWHERE} never block)
     */
    public AllDayBusy {
        Checks.notNull(date, "date");
        Checks.notNull(status, "status");
    }

    /**
     * A whole local day that blocks.
     *
     * @param date the date, in the participant's zone
     * @param status how busy
     * @return the entry
     */
    public static AllDayBusy of(LocalDate date, BusyStatus status) {
        return new AllDayBusy(date, status);
    }
}
