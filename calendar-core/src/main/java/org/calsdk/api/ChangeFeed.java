package org.calsdk.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.calsdk.internal.Async;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/**
 * Incremental changes of a calendar since an opaque, persisted {@link SyncCursor}.
 *
 * <pre>{@code
 * SyncCursor cursor = store.load(calendar);           // SyncCursor.START the first time
 * ChangeBatch batch = connection.changes().changes(calendar, cursor);
 * if (batch instanceof ChangeBatch.ResyncRequired) { cursor = SyncCursor.START; ... }
 * }</pre>
 *
 * @since 0.1
 */
public interface ChangeFeed {

    /**
     * Changes after {@code cursor}; from {@link SyncCursor#START}, every current event (a full read).
     *
     * @param calendar the calendar
     * @param cursor the cursor of the previous batch, or {@link SyncCursor#START}
     * @return the next batch, or {@link ChangeBatch.ResyncRequired} when the cursor is no longer valid
     */
    ChangeBatch changes(CalendarRef calendar, SyncCursor cursor);

    /**
     * Which calendars of {@code mailbox} changed, given the change tags seen last time (calendar id →
     * tag). Returns the calendars whose tag differs or that are new, with their current tag. Only
     * providers with {@link Capability#CALENDAR_CHANGE_TAGS} answer it, in one round trip (CalDAV: one
     * PROPFIND on the home set). The default, for providers without that capability, throws
     * {@link org.calsdk.errors.UnsupportedCapabilityException}: such a provider cannot tell cheaply, so the
     * caller reads each calendar's {@link #changes} instead (an incremental read that finds nothing is
     * that provider's cheap check).
     *
     * @param mailbox the mailbox
     * @param knownTags calendar id to the tag seen last time; empty the first time
     * @return the changed or new calendars with their current tags
     * @throws org.calsdk.errors.UnsupportedCapabilityException when the provider lacks
     *         {@link Capability#CALENDAR_CHANGE_TAGS}
     */
    default Map<CalendarRef, String> changedCalendars(Mailbox mailbox, Map<String, String> knownTags) {
        throw new org.calsdk.errors.UnsupportedCapabilityException(
                "this provider cannot tell which calendars changed; read each calendar's changes instead",
                org.calsdk.errors.ErrorContext.NONE.withMailbox(mailbox));
    }

    /**
     * {@link #changes} on the default executor; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar the calendar
     * @param cursor where the last read ended
     * @return the batch, later
     */
    default CompletableFuture<ChangeBatch> changesAsync(CalendarRef calendar, SyncCursor cursor) {
        return changesAsync(calendar, cursor, Async.defaultExecutor());
    }

    /**
     * {@link #changes} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar the calendar
     * @param cursor where the last read ended
     * @param executor runs the call
     * @return the batch, later
     */
    default CompletableFuture<ChangeBatch> changesAsync(CalendarRef calendar, SyncCursor cursor, Executor executor) {
        return Async.supply(executor, () -> changes(calendar, cursor));
    }

    /**
     * {@link #changedCalendars} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param mailbox whose calendars
     * @param knownTags the tags stored from the last answer
     * @param executor runs the call
     * @return the calendars that changed with their new tags, later
     */
    default CompletableFuture<Map<CalendarRef, String>> changedCalendarsAsync(
            Mailbox mailbox, Map<String, String> knownTags, Executor executor) {
        return Async.supply(executor, () -> changedCalendars(mailbox, knownTags));
    }
}
