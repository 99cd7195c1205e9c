package org.calsdk.sync;

import java.time.Instant;

import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.jspecify.annotations.Nullable;

/**
 * One pending push: make the event {@code key} in {@code calendar} look like {@code event}, or delete it.
 * The host records these (in its own transaction when it shares the database, see
 * {@link JdbcSyncStateStore#enqueue(java.sql.Connection, OutboxEntry)}); the engine's worker pushes them
 * with the provider's idempotent writes. A newer entry for the same calendar and key replaces an older one
 * that has not been pushed yet.
 *
 * <pre>{@code
 * store.enqueue(OutboxEntry.upsert(CalendarRef.primary(alice), EventKey.of("booking-42"), event));
 * store.enqueue(OutboxEntry.delete(CalendarRef.primary(alice), EventKey.of("booking-41")));
 * }</pre>
 *
 * @param id            the store's id (0 before it is stored)
 * @param calendar      where the event lives
 * @param key           the host's key
 * @param operation     what to do
 * @param event         the desired state for {@link Operation#UPSERT}, null for deletes
 * @param attempts      failed attempts so far
 * @param nextAttemptAt not before this instant (null: at once)
 * @param lastError     the last failure, or null
 * @param failed        true once given up on (not retried; reported to the listener)
 * @since 0.1
 */
public record OutboxEntry(long id, CalendarRef calendar, EventKey key, Operation operation, @Nullable Event event,
                          int attempts, @Nullable Instant nextAttemptAt, @Nullable String lastError, boolean failed) {
    public OutboxEntry {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(key, "key");
        Checks.notNull(operation, "operation");
        if (operation == Operation.UPSERT) {
            Checks.notNull(event, "event");
        }
        Checks.check(attempts >= 0, "attempts", "attempts must not be negative");
    }

    /** Create or update the event {@code key} so that it looks like {@code event}. */
    public static OutboxEntry upsert(CalendarRef calendar, EventKey key, Event event) {
        return new OutboxEntry(0, calendar, key, Operation.UPSERT, event, 0, null, null, false);
    }

    /** Delete the event {@code key} (succeeds when it is already gone). */
    public static OutboxEntry delete(CalendarRef calendar, EventKey key) {
        return new OutboxEntry(0, calendar, key, Operation.DELETE, null, 0, null, null, false);
    }

    public OutboxEntry withId(long id) {
        return new OutboxEntry(id, calendar, key, operation, event, attempts, nextAttemptAt, lastError, failed);
    }

    /** What a push does. @since 0.1 */
    public enum Operation { UPSERT, DELETE }
}
