package org.calsdk.availability;

import java.time.Duration;
import org.calsdk.internal.Checks;

/**
 * Free time a participant needs around a meeting: a slot {@code [start, end)} is only offered when
 * {@code [start - before, end + after)} overlaps none of the participant's blocking intervals. Buffers
 * do not extend working hours: a 09:00 slot is fine at 09:00 even with a 10-minute buffer before.
 *
 * <pre>{@code
 * Buffer buffer = Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(5));
 * }</pre>
 *
 * @param before free time needed before the meeting, zero or more
 * @param after  free time needed after the meeting, zero or more
 * @since 0.1
 */
public record Buffer(Duration before, Duration after) {
    /** No buffer. */
    public static final Buffer NONE = new Buffer(Duration.ZERO, Duration.ZERO);

    /**
     * Checks the buffer.
     *
     * @param before free time needed before the meeting, zero or more
     * @param after free time needed after the meeting, zero or more
     * @throws org.calsdk.errors.InvalidInputException if a side is negative
     */
    public Buffer {
        Checks.notNull(before, "before");
        Checks.notNull(after, "after");
        Checks.check(!before.isNegative(), "buffer.before", "buffer.before must not be negative: " + before);
        Checks.check(!after.isNegative(), "buffer.after", "buffer.after must not be negative: " + after);
    }

    /**
     * Time kept free around each slot.
     *
     * @param before before the slot's start
     * @param after after the slot's end
     * @return the buffer
     */
    public static Buffer of(Duration before, Duration after) {
        return new Buffer(before, after);
    }

    /**
     * Whether both sides are zero.
     *
     * @return {@code true} for no buffer
     */
    public boolean isNone() {
        return before.isZero() && after.isZero();
    }
}
