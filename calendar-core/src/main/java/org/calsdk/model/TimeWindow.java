package org.calsdk.model;

import java.time.Duration;
import java.time.Instant;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * A half-open stretch of time {@code [start, end)} with {@code start < end}.
 *
 * <pre>{@code
 * TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
 * }</pre>
 *
 * @param start the first instant of the window
 * @param end   the first instant after the window
 * @since 0.1
 */
public record TimeWindow(Instant start, Instant end) {
    /**
     * Checks the window.
     *
     * @param start the first instant of the window
     * @param end   the first instant after the window
     * @throws NullPointerException if {@code start} or {@code end} is null
     * @throws org.calsdk.errors.InvalidInputException if {@code end} is not after {@code start}
     */
    public TimeWindow {
        Checks.notNull(start, "start");
        Checks.notNull(end, "end");
        if (end.isBefore(start)) {
            throw new InvalidInputException("end", "end (" + end + ") is before start (" + start + ")");
        }
        if (end.equals(start)) {
            throw new InvalidInputException("end", "window is empty: end equals start (" + start + ")");
        }
    }

    /**
     * The window {@code [start, end)}.
     *
     * <pre>{@code
     * TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-09T00:00:00Z"));
     * }</pre>
     *
     * @param start the first instant in it
     * @param end the first instant after it
     * @return the window
     */
    public static TimeWindow of(Instant start, Instant end) {
        return new TimeWindow(start, end);
    }

    /**
     * The window {@code [start, start + length)}.
     *
     * @param start the first instant in it
     * @param length how long, positive
     * @return the window
     */
    public static TimeWindow of(Instant start, Duration length) {
        return new TimeWindow(start, start.plus(length));
    }

    /**
     * How long the window is.
     *
     * @return {@code end - start}
     */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /**
     * Whether {@code [s, e)} shares any time with this window.
     *
     * @param s the start
     * @param e the end, exclusive
     * @return true when the ranges overlap
     */
    public boolean overlaps(Instant s, Instant e) {
        return s.isBefore(end) && e.isAfter(start);
    }

    /**
     * Whether {@code t} is in the window (start included, end excluded).
     *
     * @param t an instant
     * @return {@code true} when {@code start <= t < end}
     */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * Splits the window into consecutive pieces no longer than {@code max}: how providers with a window
     * limit (Graph 62 days, EWS 42 days) cover a longer request.
     *
     * @param max the longest piece, positive
     * @return the pieces, in order, covering the window exactly
     */
    public java.util.List<TimeWindow> split(Duration max) {
        Checks.check(!max.isNegative() && !max.isZero(), "max", "max must be positive");
        java.util.List<TimeWindow> pieces = new java.util.ArrayList<>();
        Instant s = start;
        while (s.isBefore(end)) {
            Instant e = s.plus(max);
            if (e.isAfter(end)) {
                e = end;
            }
            pieces.add(new TimeWindow(s, e));
            s = e;
        }
        return pieces;
    }
}
