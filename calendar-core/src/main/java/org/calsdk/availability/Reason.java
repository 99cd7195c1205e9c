package org.calsdk.availability;

import java.util.Optional;
import org.calsdk.internal.Checks;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;

/**
 * Why one participant was not available for one candidate slot. For {@link Kind#BUSY} and
 * {@link Kind#BUFFER} the blocking interval's time is given; what it was ({@link #status()},
 * {@link #eventId()}) only when the request allowed details, otherwise {@link #label()} says just
 * {@code "busy"}.
 *
 * @since 0.1
 */
public final class Reason {

    /** The kinds of reason. */
    public enum Kind {
        /** The slot does not lie inside the participant's working hours (after date overrides). */
        OUTSIDE_WORKING_HOURS,
        /** The slot overlaps a blocking interval. */
        BUSY,
        /** The slot is clear, but the buffer before or after it overlaps a blocking interval. */
        BUFFER,
        /** The slot's local date already has the participant's maximum of meetings. */
        DAILY_LIMIT,
        /** The slot's local ISO week already has the participant's maximum of meetings. */
        WEEKLY_LIMIT
    }

    private final Kind kind;
    private final TimeWindow interval;
    private final String label;
    private final BusyStatus status;
    private final String eventId;

    /**
     * A reason.
     *
     * @param kind what kind
     * @param interval the busy interval at fault, or null
     * @param label what to show
     * @param status the busy status, or null when not shown
     * @param eventId the event, or null when not shown
     */
    public Reason(Kind kind, TimeWindow interval, String label, BusyStatus status, String eventId) {
        this.kind = Checks.notNull(kind, "kind");
        this.interval = interval;
        this.label = Checks.notNull(label, "label");
        this.status = status;
        this.eventId = eventId;
    }

    /**
     * What kind of reason.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The blocking interval (BUSY, BUFFER) or the limited day or week (DAILY_LIMIT, WEEKLY_LIMIT).
     *
     * @return the interval, or empty for reasons without one
     */
    public Optional<TimeWindow> interval() {
        return Optional.ofNullable(interval);
    }

    /**
     * A short text for people: {@code "busy"} when redacted, else e.g. {@code "oof"} or {@code "busy (event 42)"}.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * The blocking interval's status, when details are allowed.
     *
     * @return the status, or empty when redacted or not an interval reason
     */
    public Optional<BusyStatus> status() {
        return Optional.ofNullable(status);
    }

    /**
     * The blocking event's id, when details are allowed and the provider gave one.
     *
     * @return the event id, or empty
     */
    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reason r
                && kind == r.kind
                && java.util.Objects.equals(interval, r.interval)
                && label.equals(r.label)
                && status == r.status
                && java.util.Objects.equals(eventId, r.eventId);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, interval, label, status, eventId);
    }

    @Override
    public String toString() {
        return kind + (interval == null ? "" : " " + interval.start() + "/" + interval.end()) + " " + label;
    }
}
