package org.calsdk.sync;

import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.jspecify.annotations.Nullable;

/**
 * A field of an app event that the calendar changed against the {@link FieldPolicy}, or that both sides
 * changed differently; or the event itself, deleted in the calendar while a change of the app to it was
 * pending ({@link FieldPolicy.CalendarDelete}). The {@code winner}'s value (or will) is the one that stays.
 *
 * @param calendar where the event lives
 * @param key      the app's key
 * @param field    the field, or null when the conflict is about the event's existence (see {@link #isDeletion()})
 * @param winner   whose value stays
 * @param detail   what happened, for logs (no event content)
 * @since 0.1
 */
public record SyncConflict(
        CalendarRef calendar, EventKey key, @Nullable SyncField field, FieldPolicy.Side winner, String detail) {
    /**
     * Checks that the calendar, key and winner are set; a missing detail is empty.
     *
     * @param calendar where the event lives
     * @param key the app's key
     * @param field the field, or null when the conflict is about the event's existence (see {@link #isDeletion()})
     * @param winner whose value stays
     * @param detail what happened, for logs (no event content)
     */
    public SyncConflict {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(key, "key");
        Checks.notNull(winner, "winner");
        detail = detail == null ? "" : detail;
    }

    /**
     * A conflict about the whole event: the calendar deleted it while the app's change to it was pending.
     * {@code winner} CALENDAR: the deletion stood; APP: the event was created again.
     *
     * @param calendar the calendar
     * @param key the host's key of the event
     * @param winner the side whose value stands
     * @param detail what happened, in words
     * @return a conflict about a deletion ({@link #field()} null)
     */
    public static SyncConflict deletion(CalendarRef calendar, EventKey key, FieldPolicy.Side winner, String detail) {
        return new SyncConflict(calendar, key, null, winner, detail);
    }

    /**
     * Whether this conflict is about the event's deletion in the calendar rather than one field.
     *
     * @return whether the conflict is about the event's deletion rather than one field
     */
    public boolean isDeletion() {
        return field == null;
    }
}
