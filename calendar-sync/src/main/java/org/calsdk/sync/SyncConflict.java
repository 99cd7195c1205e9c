package org.calsdk.sync;

import org.calsdk.sync.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;

/**
 * A field of an app event that the calendar changed against the {@link FieldPolicy}, or that both sides
 * changed differently. The {@code winner}'s value is the one that stays.
 *
 * @param calendar where the event lives
 * @param key      the app's key
 * @param field    the field
 * @param winner   whose value stays
 * @param detail   what happened, for logs (no event content)
 * @since 0.1
 */
public record SyncConflict(CalendarRef calendar, EventKey key, SyncField field, FieldPolicy.Side winner, String detail) {
    public SyncConflict {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(key, "key");
        Checks.notNull(field, "field");
        Checks.notNull(winner, "winner");
        detail = detail == null ? "" : detail;
    }
}
