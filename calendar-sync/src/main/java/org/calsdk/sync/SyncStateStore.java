package org.calsdk.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;

/**
 * Where the sync engine keeps everything that must survive a restart: integrations, connected mailboxes
 * (matched by email, case-insensitively; a mailbox belongs to one integration), per-mailbox enabled flag
 * and health, cursors per calendar, the mapping host {@link EventKey} ↔ provider event id + version,
 * and the outbox of pending pushes. Also the leases by which several engines on one database share the
 * mailboxes.
 *
 * <p>Implementations are thread-safe. Two ship with the SDK: {@link InMemorySyncStateStore} (tests,
 * throw-away use) and {@link JdbcSyncStateStore} (H2 file by default, or PostgreSQL for a cluster).
 * Every method that names an unknown mailbox or integration throws
 * {@link org.calsdk.errors.NotFoundException}.
 *
 * <pre>{@code
 * SyncStateStore store = JdbcSyncStateStore.h2(dataDir);
 * store.saveIntegration(Integration.active("team", "caldav"));
 * store.addMailbox("team", Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @since 0.1
 */
public interface SyncStateStore extends AutoCloseable {

    // ---- integrations

    /** Creates or replaces the integration of that name. */
    void saveIntegration(Integration integration);

    Optional<Integration> integration(String name);

    List<Integration> integrations();

    /** Removes an integration with its mailboxes, cursors, mappings and outbox. Removing an unknown one succeeds. */
    void deleteIntegration(String name);

    // ---- mailboxes

    /**
     * Connects {@code mailbox} to integration {@code integration}, enabled and due for sync at once. Adding
     * it again to the same integration changes nothing; adding it to another fails with
     * {@link org.calsdk.errors.ConflictException}.
     */
    void addMailbox(String integration, Mailbox mailbox);

    /** Removes a mailbox with its cursors, mappings and outbox. */
    void removeMailbox(Mailbox mailbox);

    Optional<MailboxStatus> mailbox(Mailbox mailbox);

    /** Every mailbox, sorted by address. */
    List<MailboxStatus> mailboxes();

    /** The mailboxes of one integration, sorted by address. */
    List<MailboxStatus> mailboxes(String integration);

    void setEnabled(Mailbox mailbox, boolean enabled);

    /** Marks the authorization dead: the mailbox is skipped until {@link #markConnected}. */
    void markDisconnected(Mailbox mailbox, String reason, String relinkUrl, Instant at);

    /** Marks the authorization working again and the mailbox due at once; its cursors are kept. */
    void markConnected(Mailbox mailbox);

    /** Records a successful sync: clears the last error and schedules the next one. */
    void recordSuccess(Mailbox mailbox, Instant at, Instant nextSyncAt);

    /** Records a failed sync and when to try again. */
    void recordError(Mailbox mailbox, String error, Instant at, Instant nextSyncAt);

    /**
     * Records a sync that completed but left events out that could not be read (malformed, or over a
     * bound): as {@link #recordSuccess}, and {@code problem} becomes the last error, so that status
     * shows it, while the pass counts as good. The default records a success and then an error (which
     * counts one failure); the built-in stores keep failures at 0.
     */
    default void recordSuccessWithProblem(Mailbox mailbox, Instant at, Instant nextSyncAt, String problem) {
        recordSuccess(mailbox, at, nextSyncAt);
        recordError(mailbox, problem, at, nextSyncAt);
    }

    /** Makes the mailbox due at once (push notifications, on-demand sync). */
    void requestSync(Mailbox mailbox);

    // ---- scheduling and leases

    /**
     * Up to {@code limit} mailboxes that are enabled, connected, of an active integration, due at
     * {@code now} (or with outbox entries due) and not leased by a live owner, most overdue first.
     */
    List<Mailbox> dueMailboxes(Instant now, int limit);

    /**
     * Takes the lease on {@code mailbox} for {@code owner} for {@code ttl} when it is free or expired, and
     * raises its generation (the fencing token). Atomic across every engine sharing the store. Database
     * stores measure {@code ttl} and expiry on the database's clock, so nodes whose clocks disagree still agree
     * on who holds a lease; {@code now} is the engine's clock, for stores that have none of their own
     * ({@link InMemorySyncStateStore}). The engine passes an owner unique per pass (node id and a token of the
     * pass); a lease that is held, even by the same owner, is not taken again: renewal is {@link #renewLease}.
     *
     * @return the lease, empty when another owner holds it or the mailbox is not (or no longer) in the store
     */
    Optional<MailboxLease> acquireLease(Mailbox mailbox, String owner, Instant now, Duration ttl);

    /**
     * Extends {@code lease} to {@code ttl} from now (the database's clock, as {@link #acquireLease}) while its
     * owner and generation still hold the mailbox; false when it was lost (taken by another pass, or given
     * back). A lease that expired but was not taken by anyone is still this one's and is renewed.
     */
    boolean renewLease(MailboxLease lease, Instant now, Duration ttl);

    /** Whether the mailbox's lease still has {@code lease}'s owner and generation. */
    boolean holdsLease(MailboxLease lease);

    /** Gives the lease back; a lease held by another owner or generation is left alone. */
    void releaseLease(MailboxLease lease);

    /**
     * Takes the lease of every mailbox of {@code integration} for {@code owner}, whoever holds it now, raising
     * each generation: every pass in flight on those mailboxes is fenced from then on (its writes are refused,
     * see {@link #fencedBy}). For removing an integration while passes may run, on any node.
     *
     * @return how many mailboxes were seized
     */
    int seizeLeases(String integration, String owner, Instant now, Duration ttl);

    /**
     * As {@link #seizeLeases} for one mailbox: takes its lease for {@code owner}, whoever holds it, fencing a
     * pass in flight.
     *
     * @return the lease, empty when the mailbox is not in the store
     */
    Optional<MailboxLease> seizeLease(Mailbox mailbox, String owner, Instant now, Duration ttl);

    /**
     * A view of this store in which every write first checks that {@code lease} still holds its mailbox and
     * is refused with {@link LeaseLostException} when it does not (fencing); reads are as on this store. A pass
     * writes only through the view of its own lease, so a pass whose lease expired and was taken by another
     * writes nothing after that. The check and the write are one atomic step in the built-in stores (one
     * database transaction with the mailbox row locked; the in-memory store's lock). The default checks
     * {@link #holdsLease} and writes while holding this store's monitor: atomic for stores whose methods
     * synchronize on themselves; others should override it.
     */
    default SyncStateStore fencedBy(MailboxLease lease) {
        return new org.calsdk.sync.internal.FencedStore(this, lease);
    }

    // ---- cursors

    /** The cursor of a calendar, {@link SyncCursor#START} when none was saved. */
    SyncCursor cursor(CalendarRef calendar);

    void saveCursor(CalendarRef calendar, SyncCursor cursor);

    // ---- push subscriptions

    /**
     * The push subscription kept for a calendar, whichever engine made it: a restarted engine, or another
     * node, renews or replaces it instead of making a second one.
     */
    Optional<Subscription> subscription(CalendarRef calendar);

    /** Every stored push subscription of a mailbox. */
    List<Subscription> subscriptions(Mailbox mailbox);

    /**
     * The stored subscription with the provider's id {@code subscriptionId} among the mailboxes of
     * {@code integration}, with its client secret: how a webhook addressed to the whole integration finds the
     * mailboxes it is about, and what it is checked against. The default looks through the integration's
     * mailboxes; stores override it with an indexed lookup.
     */
    default Optional<Subscription> subscriptionById(String integration, String subscriptionId) {
        for (MailboxStatus m : mailboxes(integration)) {
            for (Subscription s : subscriptions(m.mailbox())) {
                if (s.id().equals(subscriptionId)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Creates or replaces the subscription of {@code subscription.calendar()} (its mailbox must be connected),
     * with its client secret, which {@link org.calsdk.api.PushChannels#handle} checks notifications against.
     * The secret is kept as it is given, as cursors are: keep the store's database as private as the host's.
     */
    void saveSubscription(Subscription subscription);

    /**
     * Marks the stored subscription of {@code calendar} as ended (expired now) when it still has the provider's
     * id {@code subscriptionId} (any id when null): the provider said it ended. The row is not deleted here:
     * only a pass, under the mailbox's lease, replaces it (subscribing again) or deletes it, so a signal
     * cannot remove a subscription that a pass has just made. Atomic in the built-in stores.
     */
    void endSubscription(CalendarRef calendar, String subscriptionId);

    /** Forgets the subscription of a calendar; forgetting an unknown one succeeds. */
    void deleteSubscription(CalendarRef calendar);

    // ---- event mappings

    Optional<EventMapping> mappingByKey(CalendarRef calendar, EventKey key);

    Optional<EventMapping> mappingByEventId(CalendarRef calendar, String eventId);

    /** Every mapping of a calendar (app and external events). */
    List<EventMapping> mappings(CalendarRef calendar);

    /**
     * The event ids of every mapping of a calendar, without their base states: what the end of a full read
     * compares with the ids it listed, so that a calendar of 100,000 events is never loaded whole. The
     * default reads {@link #mappings}; stores that can read the ids alone override it.
     */
    default List<String> mappingIds(CalendarRef calendar) {
        return mappings(calendar).stream().map(EventMapping::eventId).toList();
    }

    /** The app-event mappings of every mailbox of an integration. */
    List<EventMapping> appMappings(String integration);

    /** Creates or replaces the mapping of {@code mapping.eventId()} (and of its key, for app events). */
    void saveMapping(EventMapping mapping);

    void deleteMapping(CalendarRef calendar, String eventId);

    // ---- outbox

    /**
     * Records a pending push, replacing a not yet pushed entry for the same calendar and key.
     *
     * @return the entry's id
     */
    long enqueue(OutboxEntry entry);

    /** Entries of {@code mailbox} that are not failed and due at {@code now}, oldest first. */
    List<OutboxEntry> dueOutbox(Mailbox mailbox, Instant now, int limit);

    /** Every entry of {@code mailbox}, failed ones included, oldest first. */
    List<OutboxEntry> outbox(Mailbox mailbox);

    /** Removes a pushed entry. */
    void completeOutbox(long id);

    /** Records a failed attempt and when to try again. */
    void retryOutbox(long id, int attempts, Instant nextAttemptAt, String error);

    /** Gives up on an entry: it stays visible in {@link #outbox} but is not pushed again. */
    void failOutbox(long id, String error);

    /**
     * Puts the given-up entries of {@code mailbox} back in the queue (attempts 0, due at once) and makes the
     * mailbox due. A given-up entry whose key has a newer pending push is dropped instead: the newer one
     * supersedes it.
     *
     * @return how many entries were requeued
     */
    int requeueFailedOutbox(Mailbox mailbox);

    /**
     * Deletes the given-up entries of {@code mailbox} (after the host has dealt with them).
     *
     * @return how many were deleted
     */
    int purgeFailedOutbox(Mailbox mailbox);

    /** Forgets every cursor of {@code mailbox}: its next pass reads each calendar in full (a resync). */
    void resetCursors(Mailbox mailbox);

    /** Releases resources (a connection pool). Idempotent. */
    @Override
    void close();
}
