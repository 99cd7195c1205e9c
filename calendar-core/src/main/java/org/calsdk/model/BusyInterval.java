package org.calsdk.model;

import java.time.Instant;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * A stretch of time {@code [start, end)} that a mailbox has taken, and how.
 *
 * @param start   inclusive
 * @param end     exclusive, after start
 * @param status  how the time is taken
 * @param eventId the provider's id of the event behind it, or null when the provider gave only free/busy
 * @since 0.1
 */
public record BusyInterval(
        Instant start,
        Instant end,
        BusyStatus status,
        @Nullable String eventId) {
    /**
     * Checks the interval.
     *
     * @param start inclusive
     * @param end exclusive, after start
     * @param status how the time is taken
     * @param eventId the provider's id of the event behind it, or null when the provider gave only free/busy
     * @throws org.calsdk.errors.InvalidInputException if {@code end} is not after {@code start}
     */
    public BusyInterval {
        Checks.notNull(start, "start");
        Checks.notNull(end, "end");
        Checks.notNull(status, "status");
        if (!end.isAfter(start)) {
            throw new InvalidInputException(
                    "end", "busy interval end (" + end + ") is not after start (" + start + ")");
        }
    }

    /**
     * A busy interval not tied to an event id.
     *
     * @param start the start
     * @param end the end (exclusive)
     * @param status how busy
     * @return the interval
     */
    public static BusyInterval of(Instant start, Instant end, BusyStatus status) {
        return new BusyInterval(start, end, status, null);
    }

    /**
     * Whether {@code [s, e)} shares any time with this interval.
     *
     * @param s the other start
     * @param e the other end (exclusive)
     * @return {@code true} on any overlap
     */
    public boolean overlaps(Instant s, Instant e) {
        return s.isBefore(end) && e.isAfter(start);
    }
}
