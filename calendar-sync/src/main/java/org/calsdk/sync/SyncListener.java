package org.calsdk.sync;

import org.calsdk.api.SkippedEvent;
import org.calsdk.errors.CalendarException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/**
 * What the engine tells the host. Every method has an empty default; implement the ones you need. Calls
 * come from the engine's worker threads, for one mailbox at a time per mailbox. A method that throws
 * aborts that mailbox's pass before its cursor is saved, so the same changes are delivered again on the
 * next pass: deliveries are at least once, and hosts apply them idempotently.
 *
 * <pre>{@code
 * SyncListener listener = new SyncListener() {
 *     public void onExternalChange(ExternalChange c) { busyBlocks.apply(c); }
 *     public void onAppEventChange(AppEventChange c) { bookings.applyFromCalendar(c.key(), c.event(), c.fields()); }
 *     public void onMailboxDisconnected(Mailbox m, String reason, String relinkUrl) { notifyUser(m, relinkUrl); }
 * };
 * }</pre>
 *
 * @since 0.1
 */
public interface SyncListener {

    /**
     * An event the app did not create was created, changed or deleted in a synced calendar.
     *
     * @param change what changed in the calendar
     */
    default void onExternalChange(ExternalChange change) {}

    /**
     * The calendar changed calendar-owned fields of one of the app's events.
     *
     * @param change the calendar's change to an app event
     */
    default void onAppEventChange(AppEventChange change) {}

    /**
     * One of the app's events was deleted in the calendar (by its organizer or the person).
     *
     * @param calendar the calendar
     * @param key the host's key of the event
     */
    default void onAppEventRemoved(CalendarRef calendar, EventKey key) {}

    /**
     * A field changed against the policy, or on both sides.
     *
     * @param conflict the conflict
     */
    default void onConflict(SyncConflict conflict) {}

    /**
     * An outbox entry was written to the calendar; {@code stored} is null for deletes. Not called for an
     * upsert dropped because its event was deleted in the calendar
     * ({@link FieldPolicy.CalendarDelete#ACCEPT_DELETE}): {@link #onAppEventRemoved} tells of that.
     *
     * @param entry the outbox entry
     * @param stored what the provider stored
     */
    default void onPushed(OutboxEntry entry, Event stored) {}

    /**
     * The engine gave up on an outbox entry (not retryable, or out of attempts).
     *
     * @param entry the outbox entry
     * @param error why the push failed
     */
    default void onPushFailed(OutboxEntry entry, CalendarException error) {}

    /**
     * The mailbox's authorization is gone; it is not synced until reconnected
     * ({@link SyncEngine#reconnect(Mailbox)}).
     *
     * @param relinkUrl where the person re-authorizes, or null when the provider has no such URL
     * @param mailbox the mailbox
     * @param reason why the authorization is gone
     */
    default void onMailboxDisconnected(Mailbox mailbox, String reason, String relinkUrl) {}

    /**
     * The listener for the callbacks about the mailboxes of {@code integration}: the engine asks for it at the
     * start of each pass of a mailbox and sends that pass's callbacks to it. The callbacks name a calendar or a
     * mailbox by its email; a host whose people can be connected through several integrations (one email, two
     * mailboxes) overrides this to know which integration a callback is about. The default is this listener.
     *
     * <pre>{@code
     * public SyncListener inIntegration(String integration) {
     *     return new BookingListener(bookings.forIntegration(integration));
     * }
     * }</pre>
     *
     * @param integration the integration's name
     * @return the listener that hears that integration's passes (this one by default)
     * @since 0.4
     */
    default SyncListener inIntegration(String integration) {
        return this;
    }

    /** A listener that ignores everything. */
    SyncListener NONE = new SyncListener() {};

    /**
     * An event of a synced calendar changed but could not be read (malformed, or over one of the SDK's
     * bounds, such as a VTIMEZONE that would expand forever) and was left out of this pass. The pass
     * goes on; the mailbox's status shows the problem as its last error. The event comes again when it
     * changes again.
     *
     * @param mailbox the mailbox
     * @param calendar the calendar
     * @param skipped the event that could not be read
     */
    default void onEventSkipped(Mailbox mailbox, CalendarRef calendar, SkippedEvent skipped) {}
}
