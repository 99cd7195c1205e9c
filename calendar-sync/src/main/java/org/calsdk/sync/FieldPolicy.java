package org.calsdk.sync;

import java.util.EnumMap;
import java.util.Map;

import org.calsdk.sync.internal.Checks;

/**
 * Which side owns each {@link SyncField} of the app's own events. A change made in the calendar to a field
 * the {@link Side#CALENDAR} owns flows back to the host ({@link SyncListener#onAppEventChange}); a change to
 * a field the {@link Side#APP} owns is reported as a {@link SyncConflict} and undone by pushing the app's
 * value again. When both sides changed a field, its owner wins and the loser is reported as a conflict.
 * Fields outside {@link SyncField} (location, attendee list, …) always come from the app.
 *
 * <p>The default lets the calendar own all four fields: the organizer's edits of title, description and
 * time, and the attendees' answers, flow back.
 *
 * <pre>{@code
 * FieldPolicy policy = FieldPolicy.builder().owner(SyncField.TITLE, FieldPolicy.Side.APP).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class FieldPolicy {
    private final Map<SyncField, Side> owners;

    private FieldPolicy(Map<SyncField, Side> owners) {
        this.owners = Map.copyOf(owners);
    }

    /** The calendar owns every field. */
    public static FieldPolicy defaults() {
        return builder().build();
    }

    /** The app owns every field: calendar edits are reported and reverted. */
    public static FieldPolicy appOwnsAll() {
        Builder b = builder();
        for (SyncField f : SyncField.values()) {
            b.owner(f, Side.APP);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Side owner(SyncField field) {
        return owners.get(Checks.notNull(field, "field"));
    }

    @Override
    public String toString() {
        return "FieldPolicy" + new java.util.TreeMap<>(owners);
    }

    /** The two sides of a synced event. @since 0.1 */
    public enum Side {
        /** The host application. */
        APP,
        /** The person's calendar (its organizer, and its attendees for their answers). */
        CALENDAR
    }

    /** Builds a {@link FieldPolicy}; fields not set are owned by the calendar. @since 0.1 */
    public static final class Builder {
        private final Map<SyncField, Side> owners = new EnumMap<>(SyncField.class);

        private Builder() {
            for (SyncField f : SyncField.values()) {
                owners.put(f, Side.CALENDAR);
            }
        }

        public Builder owner(SyncField field, Side side) {
            owners.put(Checks.notNull(field, "field"), Checks.notNull(side, "side"));
            return this;
        }

        public FieldPolicy build() {
            return new FieldPolicy(owners);
        }
    }
}
