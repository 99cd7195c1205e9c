package org.calsdk.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * Where the sync engine keeps everything that must survive a restart: integrations, connected mailboxes
 * (matched by email, case-insensitively, within their integration), per-mailbox enabled flag
 * and health, cursors per calendar, the mapping host {@link EventKey} ↔ provider event id + version,
 * and the outbox of pending pushes. Also the leases by which several engines on one database share the
 * mailboxes.
 *
 * <p>Implementations are thread-safe. Two ship with the SDK: {@link InMemorySyncStateStore} (tests,
 * throw-away use) and {@link JdbcSyncStateStore} (H2 file by default, or PostgreSQL for a cluster).
 * Every method that names an unknown mailbox or integration throws
 * {@link org.calsdk.errors.NotFoundException}.
 *
 * <p>One email can be connected through several integrations; each such mailbox has its own state. The
 * methods that take a {@link Mailbox} or a {@link CalendarRef} address the mailbox of that email in the one
 * integration it is in, and throw {@link AmbiguousMailboxException} (naming the integrations) when it is in
 * several; {@link #inIntegration(String)} gives the view in which they address that integration's mailbox.
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

    /**
     * The view of this store in which every method that takes a {@link Mailbox} or a {@link CalendarRef}
     * addresses that email's mailbox in {@code integration} (never ambiguous; a mailbox not in that integration
     * is unknown there). Listing and integration methods are as on this store. Shares this store's state and
     * resources; closing the view closes nothing.
     *
     * @since 0.4
     */
    SyncStateStore inIntegration(String integration);

    // ---- mailboxes

    /**
     * Connects {@code mailbox} to integration {@code integration}, enabled and due for sync at once. Adding
     * it again to the same integration changes nothing; the same email can be added to other integrations too,
     * each a mailbox of its own.
     */
    void addMailbox(String integration, Mailbox mailbox);

    /** Removes a mailbox with its cursors, mappings and outbox. */
    void removeMailbox(Mailbox mailbox);

    Optional<MailboxStatus> mailbox(Mailbox mailbox);

    /** Every mailbox, sorted by address (then integration). */
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
     * {@code now} and not leased by a live owner, most overdue first. Due means the mailbox's next sync time has
     * come; recording a push makes it due at once, and a success schedules the next sync no later than the
     * earliest retry of a push left waiting ({@link JdbcSyncStateStore}; the in-memory store also looks at the
     * outbox directly).
     */
    List<Mailbox> dueMailboxes(Instant now, int limit);

    /**
     * As {@link #dueMailboxes}, each with its integration (an email connected through several integrations can be
     * due in each).
     *
     * @since 0.4
     */
    List<MailboxRef> dueMailboxRefs(Instant now, int limit);

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
     * A mailbox claimed by {@link #claimDue}: its lease, its state when it was claimed (integration, health,
     * {@link MailboxStatus#pendingPushes()}) and the cursors of its calendars read in the same round trip, by
     * calendar id. A calendar missing from {@code cursors} is read with {@link #cursor} (a store may prefetch
     * none). Lets a pass over a mailbox with nothing to do make no database round trip of its own.
     *
     * @since 0.1
     */
    record Claim(MailboxLease lease, MailboxStatus status, java.util.Map<String, SyncCursor> cursors) {
        public Claim {
            org.calsdk.internal.Checks.notNull(lease, "lease");
            org.calsdk.internal.Checks.notNull(status, "status");
            cursors = java.util.Map.copyOf(cursors == null ? java.util.Map.of() : cursors);
        }
    }

    /**
     * How a claimed pass ended, written back by {@link #finishPasses} together with other passes' ends: the
     * cursors it saved last, its outcome, and the release of its lease. All fenced by the pass's lease.
     *
     * @param lease      the pass's lease (given back by the write)
     * @param outcome    {@code SUCCESS} (as {@link #recordSuccessWithProblem} when {@code message} is set, else
     *                   {@link #recordSuccess}), {@code ERROR} (as {@link #recordError}), or {@code RELEASE} (only
     *                   the lease is given back)
     * @param at         when the pass ended (null for {@code RELEASE})
     * @param nextSyncAt the next regular sync, or the retry time of an error (null for {@code RELEASE})
     * @param message    the error, or the problem of a success that skipped events; else null
     * @param cursors    cursors to save, by calendar
     * @since 0.1
     */
    record PassEnd(
            MailboxLease lease,
            Outcome outcome,
            @Nullable Instant at,
            @Nullable Instant nextSyncAt,
            @Nullable String message,
            java.util.Map<CalendarRef, SyncCursor> cursors) {
        /** What the write-back records about the mailbox. */
        public enum Outcome {
            SUCCESS,
            ERROR,
            RELEASE
        }

        public PassEnd {
            org.calsdk.internal.Checks.notNull(lease, "lease");
            org.calsdk.internal.Checks.notNull(outcome, "outcome");
            org.calsdk.internal.Checks.check(
                    outcome == Outcome.RELEASE || at != null && nextSyncAt != null,
                    "at",
                    "a SUCCESS or ERROR needs at and nextSyncAt");
            cursors = java.util.Map.copyOf(cursors == null ? java.util.Map.of() : cursors);
        }

        public static PassEnd release(MailboxLease lease) {
            return new PassEnd(lease, Outcome.RELEASE, null, null, null, null);
        }
    }

    /**
     * Claims up to {@code limit} due mailboxes (as {@link #dueMailboxes}: enabled, connected, of an active
     * integration, due, lease free or expired), oldest due first, taking the lease of each for {@code owner}
     * (raising its generation). Atomic across engines: two engines never claim the same mailbox while its
     * lease lives. {@link JdbcSyncStateStore} claims with one {@code SELECT ... FOR UPDATE SKIP LOCKED} on the
     * due-queue index and reads the claimed mailboxes' state and cursors in the same transaction (a fixed
     * number of round trips for the whole batch). The default takes the leases one by one and re-checks each
     * mailbox is still due.
     */
    default List<Claim> claimDue(String owner, Instant now, int limit, Duration ttl) {
        List<Claim> out = new java.util.ArrayList<>();
        for (MailboxRef ref : dueMailboxRefs(now, limit)) {
            SyncStateStore scoped = inIntegration(ref.integration());
            Mailbox m = ref.mailbox();
            Optional<MailboxLease> lease = scoped.acquireLease(m, owner, now, ttl);
            if (lease.isEmpty()) {
                continue;
            }
            Optional<MailboxStatus> status = scoped.mailbox(m);
            if (status.isPresent()
                    && (!status.get().nextSyncAt().isAfter(now)
                            || !scoped.dueOutbox(m, now, 1).isEmpty())) {
                out.add(new Claim(lease.get(), status.get(), null));
            } else {
                releaseLease(lease.get()); // synced meanwhile by another engine
            }
        }
        return out;
    }

    /**
     * Writes back the ends of many claimed passes: for each whose lease still holds (fenced as {@link #fencedBy}),
     * its cursors and outcome, and gives its lease back. {@link JdbcSyncStateStore} does it in one transaction of
     * a few batched statements, however many passes. A success keeps the mailbox due when a sync was requested
     * during the pass.
     *
     * @return the ends that were written (a pass whose lease was taken meanwhile is left out)
     */
    default List<PassEnd> finishPasses(List<PassEnd> ends) {
        List<PassEnd> written = new java.util.ArrayList<>();
        for (PassEnd e : ends) {
            SyncStateStore fenced = fencedBy(e.lease());
            try {
                e.cursors().forEach(fenced::saveCursor);
                switch (e.outcome()) {
                    case SUCCESS -> {
                        if (e.message() == null) {
                            fenced.recordSuccess(e.lease().mailbox(), e.at(), e.nextSyncAt());
                        } else {
                            fenced.recordSuccessWithProblem(e.lease().mailbox(), e.at(), e.nextSyncAt(), e.message());
                        }
                    }
                    case ERROR -> fenced.recordError(e.lease().mailbox(), e.message(), e.at(), e.nextSyncAt());
                    case RELEASE -> {}
                }
                written.add(e);
            } catch (LeaseLostException lost) {
                continue;
            } finally {
                releaseLease(e.lease());
            }
        }
        return written;
    }

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

    /**
     * As {@link #enqueue(OutboxEntry)} for the entry's mailbox in {@code integration} (an {@link OutboxEntry}'s
     * calendar names only the email): the form for an email connected through several integrations.
     *
     * @return the entry's id
     * @since 0.4
     */
    default long enqueue(String integration, OutboxEntry entry) {
        return inIntegration(integration).enqueue(entry);
    }

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

    /**
     * How far behind sync is at {@code now}: due and running mailboxes, the oldest overdue poll, pushes waiting
     * and given up on. One read (a single statement on a database store).
     *
     * @since 0.3
     */
    SyncBacklog backlog(Instant now);

    /** Forgets every cursor of {@code mailbox}: its next pass reads each calendar in full (a resync). */
    void resetCursors(Mailbox mailbox);

    /** Releases resources (a connection pool). Idempotent. */
    @Override
    void close();
}
