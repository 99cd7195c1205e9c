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
    public AllDayBusy {
        Checks.notNull(date, "date");
        Checks.notNull(status, "status");
    }

    public static AllDayBusy of(LocalDate date, BusyStatus status) {
        return new AllDayBusy(date, status);
    }
}
