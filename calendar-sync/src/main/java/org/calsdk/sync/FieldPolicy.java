package org.calsdk.sync;

import java.util.EnumMap;
import java.util.Map;
import org.calsdk.internal.Checks;

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
 * <p>The policy also decides what happens when an app event is deleted in the calendar while a change of
 * the app to it still waits in the outbox ({@link #onCalendarDelete()}): by default the deletion stands
 * ({@link CalendarDelete#ACCEPT_DELETE}): an interview the organizer cancelled in their calendar does not
 * come back because the app had an edit to it in flight.
 *
 * <pre>{@code
 * FieldPolicy policy = FieldPolicy.builder()
 *         .owner(SyncField.TITLE, FieldPolicy.Side.APP)
 *         .onCalendarDelete(FieldPolicy.CalendarDelete.ACCEPT_DELETE)
 *         .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class FieldPolicy {
    private final Map<SyncField, Side> owners;
    private final CalendarDelete onCalendarDelete;

    private FieldPolicy(Map<SyncField, Side> owners, CalendarDelete onCalendarDelete) {
        this.owners = Map.copyOf(owners);
        this.onCalendarDelete = onCalendarDelete;
    }

    /**
     * The calendar owns every field.
     *
     * @return the default policy: the calendar owns every field, a deletion in the calendar stands
     */
    public static FieldPolicy defaults() {
        return builder().build();
    }

    /**
     * The app owns every field: calendar edits are reported and reverted. A deletion in the calendar still
     * stands ({@link CalendarDelete#ACCEPT_DELETE}); add {@code onCalendarDelete(RECREATE)} through
     * {@link #builder()} for an app that also owns the event's existence.
     *
     * @return a policy in which the app owns every field
     */
    public static FieldPolicy appOwnsAll() {
        Builder b = builder();
        for (SyncField f : SyncField.values()) {
            b.owner(f, Side.APP);
        }
        return b.build();
    }

    /**
     * A builder starting from the defaults (calendar owns every field, deletions stand).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Who owns {@code field}.
     *
     * @param field the field asked about
     * @return the side whose value wins when both changed
     */
    public Side owner(SyncField field) {
        return owners.get(Checks.notNull(field, "field"));
    }

    /**
     * What a deletion in the calendar does to an app event with a change still waiting in the outbox.
     *
     * @return what happens when the calendar deletes an app event while an app change waits
     */
    public CalendarDelete onCalendarDelete() {
        return onCalendarDelete;
    }

    @Override
    public String toString() {
        return "FieldPolicy" + new java.util.TreeMap<>(owners) + ", onCalendarDelete=" + onCalendarDelete;
    }

    /**
     * What happens when the calendar (the event's organizer, or the person) deletes one of the app's events
     * while an app change to it still waits in the outbox, or meets the deletion when it is pushed.
     * Either way the host hears a {@link SyncConflict} whose {@link SyncConflict#field()} is null (it is about
     * the event itself) and whose {@link SyncConflict#winner()} says which side's will stands. A deletion
     * with no app change pending is simply reported ({@link SyncListener#onAppEventRemoved}) under both.
     *
     * @since 0.1
     */
    public enum CalendarDelete {
        /**
         * The deletion stands (the default): the app's pending changes to that event are dropped from the
         * outbox, and the host is told by {@link SyncListener#onAppEventRemoved} and a conflict won by the
         * calendar. To bring the event back, the host records a new upsert after hearing of it.
         */
        ACCEPT_DELETE,
        /**
         * The app wins: its pending change creates the event again (under the same key, with a new provider
         * id), and the host is told by a conflict won by the app.
         */
        RECREATE
    }

    /** The two sides of a synced event. @since 0.1 */
    public enum Side {
        /** The host application. */
        APP,
        /** The person's calendar (its organizer, and its attendees for their answers). */
        CALENDAR
    }

    /**
     * Builds a {@link FieldPolicy}; fields not set are owned by the calendar, and calendar deletions stand
     * unless {@link #onCalendarDelete(CalendarDelete)} says otherwise. @since 0.1
     */
    public static final class Builder {
        private final Map<SyncField, Side> owners = new EnumMap<>(SyncField.class);
        private CalendarDelete onCalendarDelete = CalendarDelete.ACCEPT_DELETE;

        private Builder() {
            for (SyncField f : SyncField.values()) {
                owners.put(f, Side.CALENDAR);
            }
        }

        /**
         * Makes {@code side} the owner of {@code field}.
         *
         * @param field the field whose owner is set
         * @param side the side
         * @return this builder
         */
        public Builder owner(SyncField field, Side side) {
            owners.put(Checks.notNull(field, "field"), Checks.notNull(side, "side"));
            return this;
        }

        /**
         * Sets what a deletion in the calendar does to an app event with a pending change.
         *
         * @param decision what happens
         * @return this builder
         */
        public Builder onCalendarDelete(CalendarDelete decision) {
            this.onCalendarDelete = Checks.notNull(decision, "onCalendarDelete");
            return this;
        }

        /**
         * The policy as configured.
         *
         * @return the policy
         */
        public FieldPolicy build() {
            return new FieldPolicy(owners, onCalendarDelete);
        }
    }
}
