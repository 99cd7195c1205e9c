package org.calsdk.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
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

    /**
     * Creates or replaces the integration of that name.
     *
     * @param integration the integration's name
     */
    void saveIntegration(Integration integration);

    /**
     * The integration of that name.
     *
     * @param name the integration's name
     * @return the integration, empty when there is none of that name
     */
    Optional<Integration> integration(String name);

    /**
     * Every integration, sorted by name.
     *
     * @return every integration
     */
    List<Integration> integrations();

    /**
     * Removes an integration with its mailboxes, cursors, mappings and outbox. Removing an unknown one succeeds.
     *
     * @param name the integration's name
     */
    void deleteIntegration(String name);

    /**
     * The view of this store in which every method that takes a {@link Mailbox} or a {@link CalendarRef}
     * addresses that email's mailbox in {@code integration} (never ambiguous; a mailbox not in that integration
     * is unknown there). Listing and integration methods are as on this store. Shares this store's state and
     * resources; closing the view closes nothing.
     *
     * @param integration the integration's name
     * @return the view addressing {@code integration}'s mailboxes
     * @since 0.4
     */
    SyncStateStore inIntegration(String integration);

    // ---- mailboxes

    /**
     * Connects {@code mailbox} to integration {@code integration}, enabled and due for sync at once. Adding
     * it again to the same integration changes nothing; the same email can be added to other integrations too,
     * each a mailbox of its own.
     *
     * @param integration the integration's name
     * @param mailbox the mailbox
     */
    void addMailbox(String integration, Mailbox mailbox);

    /**
     * Removes a mailbox with its cursors, mappings and outbox.
     *
     * @param mailbox the mailbox
     */
    void removeMailbox(Mailbox mailbox);

    /**
     * The state of a mailbox: health, schedule, pending pushes.
     *
     * @param mailbox the mailbox
     * @return the mailbox's state, empty when it is not in the store
     */
    Optional<MailboxStatus> mailbox(Mailbox mailbox);

    /**
     * Every mailbox, sorted by address (then integration).
     *
     * @return every mailbox of every integration
     */
    List<MailboxStatus> mailboxes();

    /**
     * The mailboxes of one integration, sorted by address.
     *
     * @param integration the integration's name
     * @return the integration's mailboxes (none for an unknown integration)
     */
    List<MailboxStatus> mailboxes(String integration);

    /**
     * Enables or disables a mailbox: a disabled one is not synced, and keeps its state.
     *
     * @param mailbox the mailbox
     * @param enabled whether the mailbox is synced
     */
    void setEnabled(Mailbox mailbox, boolean enabled);

    /**
     * Marks the authorization dead: the mailbox is skipped until {@link #markConnected}.
     *
     * @param mailbox the mailbox
     * @param reason why the authorization is gone
     * @param relinkUrl where the user can authorize again, or null
     * @param at when the mailbox was found disconnected
     */
    void markDisconnected(Mailbox mailbox, String reason, String relinkUrl, Instant at);

    /**
     * Marks the authorization working again and the mailbox due at once; its cursors are kept.
     *
     * @param mailbox the mailbox
     */
    void markConnected(Mailbox mailbox);

    /**
     * Records a successful sync: clears the last error and schedules the next one.
     *
     * @param mailbox the mailbox
     * @param at when the pass ended
     * @param nextSyncAt when the mailbox is due next
     */
    void recordSuccess(Mailbox mailbox, Instant at, Instant nextSyncAt);

    /**
     * Records a failed sync and when to try again.
     *
     * @param mailbox the mailbox
     * @param error what failed
     * @param at when the pass failed
     * @param nextSyncAt when the mailbox is due next
     */
    void recordError(Mailbox mailbox, String error, Instant at, Instant nextSyncAt);

    /**
     * Records a sync that completed but left events out that could not be read (malformed, or over a
     * bound): as {@link #recordSuccess}, and {@code problem} becomes the last error, so that status
     * shows it, while the pass counts as good. The default records a success and then an error (which
     * counts one failure); the built-in stores keep failures at 0.
     *
     * @param mailbox the mailbox
     * @param at when the pass ended
     * @param nextSyncAt when the mailbox is due next
     * @param problem what was skipped, shown as the last error
     */
    default void recordSuccessWithProblem(Mailbox mailbox, Instant at, Instant nextSyncAt, String problem) {
        recordSuccess(mailbox, at, nextSyncAt);
        recordError(mailbox, problem, at, nextSyncAt);
    }

    /**
     * Makes the mailbox due at once (push notifications, on-demand sync).
     *
     * @param mailbox the mailbox
     */
    void requestSync(Mailbox mailbox);

    // ---- scheduling and leases

    /**
     * Up to {@code limit} mailboxes that are enabled, connected, of an active integration, due at
     * {@code now} and not leased by a live owner, most overdue first. Due means the mailbox's next sync time has
     * come; recording a push makes it due at once, and a success schedules the next sync no later than the
     * earliest retry of a push left waiting ({@link JdbcSyncStateStore}; the in-memory store also looks at the
     * outbox directly).
     *
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param limit at most this many
     * @return the due mailboxes, most overdue first
     */
    List<Mailbox> dueMailboxes(Instant now, int limit);

    /**
     * As {@link #dueMailboxes}, each with its integration (an email connected through several integrations can be
     * due in each).
     *
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param limit at most this many
     * @return the due mailboxes with their integrations, most overdue first
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
     * @param mailbox the mailbox
     * @param owner the lease owner (node id and pass token)
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param ttl how long the lease lives
     * @return the lease, empty when another owner holds it or the mailbox is not (or no longer) in the store
     */
    Optional<MailboxLease> acquireLease(Mailbox mailbox, String owner, Instant now, Duration ttl);

    /**
     * Extends {@code lease} to {@code ttl} from now (the database's clock, as {@link #acquireLease}) while its
     * owner and generation still hold the mailbox; false when it was lost (taken by another pass, or given
     * back). A lease that expired but was not taken by anyone is still this one's and is renewed.
     *
     * @param lease the lease
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param ttl how long the lease lives
     * @return whether the lease is still held (and now extended)
     */
    boolean renewLease(MailboxLease lease, Instant now, Duration ttl);

    /**
     * Whether the mailbox's lease still has {@code lease}'s owner and generation.
     *
     * @param lease the lease
     * @return whether the lease still holds its mailbox
     */
    boolean holdsLease(MailboxLease lease);

    /**
     * Gives the lease back; a lease held by another owner or generation is left alone.
     *
     * @param lease the lease
     */
    void releaseLease(MailboxLease lease);

    /**
     * Takes the lease of every mailbox of {@code integration} for {@code owner}, whoever holds it now, raising
     * each generation: every pass in flight on those mailboxes is fenced from then on (its writes are refused,
     * see {@link #fencedBy}). For removing an integration while passes may run, on any node.
     *
     * @param integration the integration's name
     * @param owner the lease owner (node id and pass token)
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param ttl how long the lease lives
     * @return how many mailboxes were seized
     */
    int seizeLeases(String integration, String owner, Instant now, Duration ttl);

    /**
     * As {@link #seizeLeases} for one mailbox: takes its lease for {@code owner}, whoever holds it, fencing a
     * pass in flight.
     *
     * @param mailbox the mailbox
     * @param owner the lease owner (node id and pass token)
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param ttl how long the lease lives
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
        /**
         * Checks that the lease and status are set and copies the cursors.
         *
         * @param lease the lease
         * @param status the status
         * @param cursors the cursors
         */
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
            /** Record a success and the next sync time. */
            SUCCESS,
            /** Record the error and the retry time. */
            ERROR,
            /** Only give the lease back. */
            RELEASE
        }

        /**
         * Checks that the lease and outcome are set, and the times of a SUCCESS or ERROR.
         *
         * @param lease the pass's lease (given back by the write)
         * @param outcome {@code SUCCESS} (as {@link #recordSuccessWithProblem} when {@code message} is set, else
         *                 {@link #recordSuccess}), {@code ERROR} (as {@link #recordError}), or {@code RELEASE} (only
         *                 the lease is given back)
         * @param at when the pass ended (null for {@code RELEASE})
         * @param nextSyncAt the next regular sync, or the retry time of an error (null for {@code RELEASE})
         * @param message the error, or the problem of a success that skipped events; else null
         * @param cursors cursors to save, by calendar
         */
        public PassEnd {
            org.calsdk.internal.Checks.notNull(lease, "lease");
            org.calsdk.internal.Checks.notNull(outcome, "outcome");
            org.calsdk.internal.Checks.check(
                    outcome == Outcome.RELEASE || at != null && nextSyncAt != null,
                    "at",
                    "a SUCCESS or ERROR needs at and nextSyncAt");
            cursors = java.util.Map.copyOf(cursors == null ? java.util.Map.of() : cursors);
        }

        /**
         * The end of a pass that only gives its lease back.
         *
         * @param lease the lease
         * @return the end that gives the lease back and records nothing else
         */
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
     *
     * @param owner the lease owner (node id and pass token)
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param limit at most this many
     * @param ttl how long the lease lives
     * @return the mailboxes claimed, each with its lease, state and (when the store prefetches them) cursors
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
     * @param ends the ends of the passes to write
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
     *
     * @param lease the lease
     * @return the view whose writes are fenced by {@code lease}
     */
    default SyncStateStore fencedBy(MailboxLease lease) {
        return new org.calsdk.sync.internal.FencedStore(this, lease);
    }

    // ---- cursors

    /**
     * The cursor of a calendar, {@link SyncCursor#START} when none was saved.
     *
     * @param calendar the calendar
     * @return the cursor, or {@link SyncCursor#START}
     */
    SyncCursor cursor(CalendarRef calendar);

    /**
     * Creates or replaces the cursor of a calendar.
     *
     * @param calendar the calendar
     * @param cursor the cursor
     */
    void saveCursor(CalendarRef calendar, SyncCursor cursor);

    // ---- push subscriptions

    /**
     * The push subscription kept for a calendar, whichever engine made it: a restarted engine, or another
     * node, renews or replaces it instead of making a second one.
     *
     * @param calendar the calendar
     * @return the stored subscription, empty when none is stored
     */
    Optional<Subscription> subscription(CalendarRef calendar);

    /**
     * Every stored push subscription of a mailbox.
     *
     * @param mailbox the mailbox
     * @return the subscriptions, one per subscribed calendar
     */
    List<Subscription> subscriptions(Mailbox mailbox);

    /**
     * The stored subscription with the provider's id {@code subscriptionId} among the mailboxes of
     * {@code integration}, with its client secret: how a webhook addressed to the whole integration finds the
     * mailboxes it is about, and what it is checked against. The default looks through the integration's
     * mailboxes; stores override it with an indexed lookup.
     *
     * @param integration the integration's name
     * @param subscriptionId the provider's id of the subscription
     * @return the subscription with its secret, empty when none of the integration's mailboxes has it
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
     *
     * @param subscription the subscription
     */
    void saveSubscription(Subscription subscription);

    /**
     * Marks the stored subscription of {@code calendar} as ended (expired now) when it still has the provider's
     * id {@code subscriptionId} (any id when null): the provider said it ended. The row is not deleted here:
     * only a pass, under the mailbox's lease, replaces it (subscribing again) or deletes it, so a signal
     * cannot remove a subscription that a pass has just made. Atomic in the built-in stores.
     *
     * @param calendar the calendar
     * @param subscriptionId the provider's id of the subscription
     */
    void endSubscription(CalendarRef calendar, String subscriptionId);

    /**
     * The provider asks for subscription {@code subscriptionId} of {@code calendar} (any, when null) to be
     * reauthorized (Graph {@code reauthorizationRequired}): the next pass, under the mailbox's lease, renews it in
     * place (Graph: {@code PATCH} of the same subscription's expiry) instead of making a new one. The stored expiry
     * is brought forward to {@code renewBy} when that is earlier (the engine passes now plus its renewal margin),
     * only while the row still has that id, so the next pass finds it due for renewal and still live. The row is
     * not replaced here (this runs outside the lease), as with {@link #endSubscription}. The default ends the
     * subscription instead ({@link #endSubscription}): the next pass subscribes again.
     *
     * @param calendar       the calendar whose subscription it is
     * @param subscriptionId the provider's id of the subscription, or null for whichever is stored
     * @param renewBy        the expiry to bring the stored one forward to
     * @since 0.5
     */
    default void requestRenewal(CalendarRef calendar, @Nullable String subscriptionId, Instant renewBy) {
        endSubscription(calendar, subscriptionId);
    }

    /**
     * Forgets the subscription of a calendar; forgetting an unknown one succeeds.
     *
     * @param calendar the calendar
     */
    void deleteSubscription(CalendarRef calendar);

    // ---- event mappings

    /**
     * The mapping of the app's event {@code key} in {@code calendar}.
     *
     * @param calendar the calendar
     * @param key the host's key of the event
     * @return the mapping, empty when the key is not mapped
     */
    Optional<EventMapping> mappingByKey(CalendarRef calendar, EventKey key);

    /**
     * The mapping of the provider's event {@code eventId} in {@code calendar}.
     *
     * @param calendar the calendar
     * @param eventId the provider's id of the event
     * @return the mapping, empty when the event is not mapped
     */
    Optional<EventMapping> mappingByEventId(CalendarRef calendar, String eventId);

    /**
     * Every mapping of a calendar (app and external events).
     *
     * @param calendar the calendar
     * @return the mappings, in no particular order
     */
    List<EventMapping> mappings(CalendarRef calendar);

    /**
     * The event ids of every mapping of a calendar, without their base states: what the end of a full read
     * compares with the ids it listed, so that a calendar of 100,000 events is never loaded whole. The
     * default reads {@link #mappings}; stores that can read the ids alone override it.
     *
     * @param calendar the calendar
     * @return the event ids of the calendar's mappings
     */
    default List<String> mappingIds(CalendarRef calendar) {
        return mappings(calendar).stream().map(EventMapping::eventId).toList();
    }

    /**
     * The app-event mappings of every mailbox of an integration.
     *
     * @param integration the integration's name
     * @return the app-event mappings (external events left out)
     */
    List<EventMapping> appMappings(String integration);

    /**
     * Creates or replaces the mapping of {@code mapping.eventId()} (and of its key, for app events).
     *
     * @param mapping the mapping
     */
    void saveMapping(EventMapping mapping);

    /**
     * Removes the mapping of {@code eventId} (with anything kept with it, such as its pending write); removing an
     * unknown one succeeds.
     *
     * @param calendar the calendar
     * @param eventId the provider's id of the event
     */
    void deleteMapping(CalendarRef calendar, String eventId);

    /**
     * The record of an update the engine is about to write over one of the app's events, saved before the
     * provider call: when the provider takes the write but the push's outcome is never saved (its transaction
     * failed, or the node died in between) and the host then replaces the pending change, the record still says
     * that the calendar may hold the engine's own write, so the next push does not take it for a calendar edit.
     * It is unsettled exactly while the event's mapping still has {@code version}.
     *
     * @param calendar the calendar of the event
     * @param eventId  the provider's id of the event
     * @param version  the version of the event's mapping the write is made over (null when it has none)
     * @param written  the content being written
     * @since 0.5
     */
    record PendingWrite(
            CalendarRef calendar, String eventId, @Nullable String version, Event written) {
        /**
         * Checks that the calendar, event id and content are set.
         *
         * @param calendar the calendar of the event
         * @param eventId the provider's id of the event
         * @param version the version of the event's mapping the write is made over (null when it has none)
         * @param written the content being written
         */
        public PendingWrite {
            org.calsdk.internal.Checks.notNull(calendar, "calendar");
            org.calsdk.internal.Checks.notBlank(eventId, "eventId");
            org.calsdk.internal.Checks.notNull(written, "written");
        }
    }

    /**
     * The pending write recorded for the mapped event {@code eventId} ({@link #savePendingWrite}), if any. The
     * built-in stores keep it in a column of the event's mapping row (schema V8), so it is read with it and goes
     * with it. The default keeps it in a mapping row of its own, event id {@code calsdk:w:<eventId>} (how the
     * engine kept it before V8), for stores that know nothing of it.
     *
     * @param calendar the calendar of the event
     * @param eventId  the provider's id of the event
     * @return the record, empty when none is kept
     * @since 0.5
     */
    default Optional<PendingWrite> pendingWrite(CalendarRef calendar, String eventId) {
        if (eventId.length() + PENDING_WRITE_PREFIX.length() > 1000) {
            return Optional.empty();
        }
        return mappingByEventId(calendar, PENDING_WRITE_PREFIX + eventId)
                .filter(w -> w.base() != null)
                .map(w -> new PendingWrite(calendar, eventId, w.version(), w.base()));
    }

    /**
     * Records what a push is about to write over a mapped event (see {@link PendingWrite}), replacing an older
     * record of that event. The built-in stores drop the record when the event's mapping is saved again or
     * deleted: the mapping then says what both sides agreed on.
     *
     * @param write the write about to be made
     * @since 0.5
     */
    default void savePendingWrite(PendingWrite write) {
        if (write.eventId().length() + PENDING_WRITE_PREFIX.length() > 1000) {
            return; // the id column of the built-in schemas holds 1000 characters: such ids are not met in practice
        }
        saveMapping(new EventMapping(
                write.calendar(), PENDING_WRITE_PREFIX + write.eventId(), null, write.version(), write.written()));
    }

    /**
     * The event id prefix of the mapping rows in which the default {@link #savePendingWrite} keeps its records;
     * such rows are no events and a full read does not take them for deleted ones.
     *
     * @since 0.5
     */
    String PENDING_WRITE_PREFIX = "calsdk:w:";

    /**
     * Saves the outcome of a push in one step: the event's mapping as both sides now agree on it (null when the
     * push left none to save), which settles its {@link PendingWrite}, and the removal of the pushed outbox entry.
     * The built-in stores do it in one transaction, so a crash leaves either the entry pending (its retry finds
     * the write by the mapping, the key or the pending write) or both saved. The default saves the mapping, drops
     * the default's record of the write, and then removes the entry.
     *
     * @param outboxId the entry that was pushed
     * @param mapping  the mapping to save, or null
     * @since 0.5
     */
    default void completePush(long outboxId, @Nullable EventMapping mapping) {
        if (mapping != null) {
            saveMapping(mapping);
            if (mapping.eventId().length() + PENDING_WRITE_PREFIX.length() <= 1000) {
                deleteMapping(mapping.calendar(), PENDING_WRITE_PREFIX + mapping.eventId());
            }
        }
        completeOutbox(outboxId);
    }

    /**
     * What a pass learned from one page of a calendar's change feed: the mappings it saves, the ones it deletes
     * (by event id), and the cursor to continue from (null: the cursor is not saved with this page, as in the
     * middle of a full read).
     *
     * @param calendar the calendar
     * @param saved    mappings to create or replace (one per event id)
     * @param deleted  event ids whose mappings go (none of them among {@code saved})
     * @param cursor   the cursor to save with them, or null
     * @since 0.5
     */
    record PageWrites(
            CalendarRef calendar,
            List<EventMapping> saved,
            List<String> deleted,
            @Nullable SyncCursor cursor) {
        /**
         * Copies the lists (null: none).
         *
         * @param calendar the calendar
         * @param saved mappings to create or replace (one per event id)
         * @param deleted event ids whose mappings go (none of them among {@code saved})
         * @param cursor the cursor to save with them, or null
         */
        public PageWrites {
            org.calsdk.internal.Checks.notNull(calendar, "calendar");
            saved = List.copyOf(saved == null ? List.of() : saved);
            deleted = List.copyOf(deleted == null ? List.of() : deleted);
        }

        /**
         * Whether there is nothing to write.
         *
         * @return true when no mapping is saved or deleted and no cursor is given
         */
        public boolean isEmpty() {
            return saved.isEmpty() && deleted.isEmpty() && cursor == null;
        }
    }

    /**
     * Writes one page's mappings and cursor together: deletions first, then saves (as {@link #saveMapping}), then
     * the cursor. {@link JdbcSyncStateStore} writes a page in one transaction of batched statements (fenced once
     * in a fenced view), instead of one transaction per row; the default writes them one by one in that order.
     *
     * @param page what to write
     * @since 0.5
     */
    default void writePage(PageWrites page) {
        for (String id : page.deleted()) {
            deleteMapping(page.calendar(), id);
        }
        for (EventMapping m : page.saved()) {
            saveMapping(m);
        }
        if (page.cursor() != null) {
            saveCursor(page.calendar(), page.cursor());
        }
    }

    // ---- outbox

    /**
     * Records a pending push, replacing a not yet pushed entry for the same calendar and key.
     *
     * @param entry the outbox entry
     * @return the entry's id
     */
    long enqueue(OutboxEntry entry);

    /**
     * As {@link #enqueue(OutboxEntry)} for the entry's mailbox in {@code integration} (an {@link OutboxEntry}'s
     * calendar names only the email): the form for an email connected through several integrations.
     *
     * @param integration the integration's name
     * @param entry the outbox entry
     * @return the entry's id
     * @since 0.4
     */
    default long enqueue(String integration, OutboxEntry entry) {
        return inIntegration(integration).enqueue(entry);
    }

    /**
     * Entries of {@code mailbox} that are not failed and due at {@code now}, oldest first.
     *
     * @param mailbox the mailbox
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @param limit at most this many
     * @return the due entries, oldest first
     */
    List<OutboxEntry> dueOutbox(Mailbox mailbox, Instant now, int limit);

    /**
     * Every entry of {@code mailbox}, failed ones included, oldest first.
     *
     * @param mailbox the mailbox
     * @return every entry of the mailbox, oldest first
     */
    List<OutboxEntry> outbox(Mailbox mailbox);

    /**
     * Removes a pushed entry.
     *
     * @param id the outbox entry's id
     */
    void completeOutbox(long id);

    /**
     * Records a failed attempt and when to try again.
     *
     * @param id the outbox entry's id
     * @param attempts attempts made so far
     * @param nextAttemptAt when to try the push again
     * @param error what failed
     */
    void retryOutbox(long id, int attempts, Instant nextAttemptAt, String error);

    /**
     * Gives up on an entry: it stays visible in {@link #outbox} but is not pushed again.
     *
     * @param id the outbox entry's id
     * @param error why it was given up
     */
    void failOutbox(long id, String error);

    /**
     * Puts the given-up entries of {@code mailbox} back in the queue (attempts 0, due at once) and makes the
     * mailbox due. A given-up entry whose key has a newer pending push is dropped instead: the newer one
     * supersedes it.
     *
     * @param mailbox the mailbox
     * @return how many entries were requeued
     */
    int requeueFailedOutbox(Mailbox mailbox);

    /**
     * Deletes the given-up entries of {@code mailbox} (after the host has dealt with them).
     *
     * @param mailbox the mailbox
     * @return how many were deleted
     */
    int purgeFailedOutbox(Mailbox mailbox);

    /**
     * How far behind sync is at {@code now}: due and running mailboxes, the oldest overdue poll, pushes waiting
     * and given up on. One read (a single statement on a database store).
     *
     * @param now the engine's clock's time (stores without a clock of their own use it)
     * @return the backlog at {@code now}
     * @since 0.3
     */
    SyncBacklog backlog(Instant now);

    /**
     * Forgets every cursor of {@code mailbox}: its next pass reads each calendar in full (a resync).
     *
     * @param mailbox the mailbox
     */
    void resetCursors(Mailbox mailbox);

    /** Releases resources (a connection pool). Idempotent. */
    @Override
    void close();
}
