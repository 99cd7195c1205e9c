package org.calsdk.sync.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.EventChange;
import org.calsdk.api.SkippedEvent;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.AppEventChange;
import org.calsdk.sync.EventMapping;
import org.calsdk.sync.ExternalChange;
import org.calsdk.sync.FieldPolicy;
import org.calsdk.sync.Integration;
import org.calsdk.sync.LeaseLostException;
import org.calsdk.sync.MailboxLease;
import org.calsdk.sync.MailboxStatus;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.OutboxEntry;
import org.calsdk.sync.SyncConflict;
import org.calsdk.sync.SyncField;
import org.calsdk.sync.SyncStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over one mailbox, under its lease: push its due outbox entries, then read each synced
 * calendar's changes from the stored cursor and hand them to the host. Never creates an event twice: a
 * push first looks for a mapping, then asks the provider for the event by key, and only then creates
 * (with the provider's own idempotent create).
 */
public final class MailboxSync {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxSync.class);
    private static final int MAX_RESYNCS = 3;
    /**
     * The version a mapping keeps after the app deleted its event: providers that do not say which key a
     * deleted event had (CalDAV) still let the echo of our own delete be recognised and dropped quietly.
     */
    static final String DELETED = "calsdk:deleted";

    private final EngineSettings s;
    /** The engine's store: leases only. */
    private final SyncStateStore base;
    /** The host's listener for the mailbox's integration ({@link org.calsdk.sync.SyncListener#inIntegration}). */
    private org.calsdk.sync.SyncListener listener;
    /**
     * What the pass reads and writes through: once the lease is taken, the store's view fenced by it, so that
     * nothing is written after another pass took the lease.
     */
    private SyncStateStore store;

    private MailboxLease lease;
    private LeaseRenewer renewer;
    private final Mailbox mailbox;
    /**
     * The lease owner of this pass: the node id and a token of its own. Stores let an owner take its lease
     * again (that is how it is renewed), so with the node id alone a second pass of the same mailbox on this
     * node, or on a replica given the same node id, was let in as "mine" and ran alongside the first.
     */
    private final String leaseOwner;

    private Instant leaseRenewedAt;
    private int pulled;
    private int pushed;
    private boolean pushActive;
    private Set<EventKey> pendingKeys = new HashSet<>();
    /** Outbox entries dropped during this pass (a calendar deletion stood): not pushed even if already read. */
    private final Set<Long> dropped = new HashSet<>();
    /** Set by an upsert that met a calendar deletion which stands: the entry is done, but nothing was written. */
    private boolean upsertDropped;
    /**
     * The mapping the push being made leaves (what both sides now agree on), saved with the entry's removal in
     * one step ({@link SyncStateStore#completePush}); null when it leaves none to save.
     */
    private EventMapping pushOutcome;

    private boolean onlyIfDue;
    /** Events that could not be read in this pass: reported, never fatal to the pass. */
    private final List<SkippedEvent> skipped = new ArrayList<>();
    /** What the batch being handled covers (windowed feeds: see Coverages). */
    private ChangeBatch.Coverage coverage = ChangeBatch.Coverage.EVERYTHING;

    private java.util.function.BiFunction<Integration, Mailbox, CalendarConnection> connector;
    /** Set for a pass of a claimed mailbox: its lease, state and cursors came with the claim. */
    private SyncStateStore.Claim claim;

    private java.util.function.Function<String, Optional<Integration>> integrations;
    /** A claimed pass's last cursor saves and outcome, written back with other passes' ({@link #end()}). */
    private final java.util.Map<CalendarRef, SyncCursor> finalCursors = new java.util.LinkedHashMap<>();

    private SyncStateStore.PassEnd end;

    /** The integration the mailbox is synced through, once known (given, claimed, or read with its status). */
    private String integrationName;

    public MailboxSync(EngineSettings settings, Mailbox mailbox) {
        this(settings, null, mailbox);
    }

    /** A pass of {@code mailbox} in {@code integration} (null: the one integration its email is in). */
    public MailboxSync(EngineSettings settings, String integration, Mailbox mailbox) {
        this.s = settings;
        this.listener = settings.listener();
        this.base = integration == null ? settings.store() : settings.store().inIntegration(integration);
        this.integrationName = integration;
        this.store = base;
        this.mailbox = mailbox;
        this.leaseOwner = leaseOwner(settings.nodeId());
        this.connector = settings.connections()::connect;
    }

    /** Connect through {@code batches} (the pass's shared connections) instead of one connection of its own. */
    public MailboxSync via(Batches batches) {
        this.connector = batches::connect;
        return this;
    }

    /** {@code nodeId#token}, at most 200 characters (the store's column); the token is unique per pass. */
    static String leaseOwner(String nodeId) {
        String token = java.util.UUID.randomUUID().toString();
        String node =
                nodeId.length() > 200 - 1 - token.length() ? nodeId.substring(0, 200 - 1 - token.length()) : nodeId;
        return node + "#" + token;
    }

    /**
     * A pass of a mailbox the engine claimed from the due queue ({@link SyncStateStore#claimDue}): the lease is
     * the claim's, the mailbox's state and cursors are the ones read with the claim, the integration comes from
     * {@code integrations} (the engine's copy for the run), and the pass's last writes (final cursors, outcome,
     * lease release) are not made here but kept in {@link #end()} for the engine to write back with other
     * passes' in one batch. An idle mailbox's pass then makes no database round trip of its own.
     */
    public MailboxSync claimed(
            SyncStateStore.Claim claim, java.util.function.Function<String, Optional<Integration>> integrations) {
        this.claim = claim;
        this.integrations = integrations;
        return this;
    }

    /** What a claimed pass leaves to write back: null when nothing is (its lease was lost). */
    public SyncStateStore.PassEnd end() {
        return end;
    }

    /**
     * Skip the mailbox if, once leased, it is no longer due: another engine synced it between our reading
     * the due list and taking the lease (scheduled passes use this; on-demand syncs do not).
     */
    public MailboxSync onlyIfDue() {
        this.onlyIfDue = true;
        return this;
    }

    /** Takes the lease, syncs, records the outcome and gives the lease back. */
    public MailboxSyncResult run(PushSupervisor push) {
        Instant started = s.clock().instant();
        if (claim != null) {
            lease = claim.lease();
        } else {
            Optional<MailboxLease> taken = base.acquireLease(mailbox, leaseOwner, started, s.leaseTtl());
            if (taken.isEmpty()) {
                return result(MailboxSyncResult.Outcome.BUSY, started, "held by another pass");
            }
            lease = taken.get();
        }
        store = base.fencedBy(lease);
        renewer = new LeaseRenewer(base, lease, s);
        leaseRenewedAt = started;
        String provider = "unknown";
        try {
            Optional<MailboxStatus> status = claim != null ? Optional.of(claim.status()) : store.mailbox(mailbox);
            if (status.isPresent()) {
                integrationName = status.get().integration();
            }
            Optional<Integration> integration = status.flatMap(
                    st -> claim != null ? integrations.apply(st.integration()) : store.integration(st.integration()));
            if (status.isEmpty()
                    || integration.isEmpty()
                    || !status.get().enabled()
                    || !status.get().connected()
                    || !integration.get().isActive()) {
                end = SyncStateStore.PassEnd.release(lease);
                return result(MailboxSyncResult.Outcome.SKIPPED, started, null);
            }
            if (onlyIfDue
                    && status.get().nextSyncAt().isAfter(started)
                    && store.dueOutbox(mailbox, started, 1).isEmpty()) {
                return result(MailboxSyncResult.Outcome.BUSY, started, "synced meanwhile by another engine");
            }
            listener = s.listener().inIntegration(integration.get().name());
            provider = integration.get().provider();
            try (CalendarConnection connection = connector.apply(integration.get(), mailbox)) {
                provider = connection.providerId();
                pushOutbox(connection);
                List<CalendarRef> calendars = s.calendars().apply(connection, mailbox);
                for (CalendarRef calendar : calendars) {
                    pull(connection, calendar);
                }
                pushActive = push != null
                        && push.ensure(store, connection, integration.get().name(), mailbox, calendars);
            }
            Instant now = s.clock().instant();
            Duration interval = pushActive && s.push() != null ? s.push().pollIntervalWhilePushed() : s.pollInterval();
            String problem = problems();
            if (claim != null) {
                end = new SyncStateStore.PassEnd(
                        lease,
                        SyncStateStore.PassEnd.Outcome.SUCCESS,
                        now,
                        s.nextPoll(now, interval),
                        problem,
                        finalCursors);
            } else if (problem == null) {
                store.recordSuccess(mailbox, now, s.nextPoll(now, interval));
            } else {
                store.recordSuccessWithProblem(mailbox, now, s.nextPoll(now, interval), problem);
            }
            MailboxSyncResult r = result(MailboxSyncResult.Outcome.OK, started, null);
            s.metrics().mailboxSynced(provider, mailbox, r.duration(), pulled, pushed);
            return r;
        } catch (LeaseLostException e) {
            end = null;
            LOG.warn("sync of {} stopped: {}", mailbox, e.getMessage());
            return result(MailboxSyncResult.Outcome.BUSY, started, e.getMessage());
        } catch (ReauthorizationRequiredException e) {
            String relink = e.relinkUrl().orElse(null);
            try {
                saveFinalCursors();
                store.markDisconnected(
                        mailbox, e.getMessage(), relink, s.clock().instant());
                end = claim == null ? null : SyncStateStore.PassEnd.release(lease);
            } catch (LeaseLostException lost) {
                end = null;
                return result(MailboxSyncResult.Outcome.BUSY, started, lost.getMessage());
            }
            s.metrics()
                    .syncFailed(
                            provider,
                            mailbox,
                            Duration.between(started, s.clock().instant()),
                            e.getClass().getSimpleName());
            LOG.warn("mailbox {} disconnected: {}", mailbox, e.getMessage());
            listener.onMailboxDisconnected(mailbox, e.getMessage(), relink);
            return result(MailboxSyncResult.Outcome.DISCONNECTED, started, e.getMessage());
        } catch (RuntimeException e) {
            // provider errors, and host listener failures: the cursor was not advanced, retry later
            Instant now = s.clock().instant();
            int failures = consecutiveFailures();
            Duration wait = s.errorBackoff().delay(failures, s.random().getAsDouble());
            if (e instanceof RateLimitedException rl
                    && rl.retryAfter().isPresent()
                    && rl.retryAfter().get().compareTo(wait) > 0) {
                wait = rl.retryAfter().get();
            }
            String msg = e instanceof CalendarException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            try {
                if (claim != null) {
                    end = new SyncStateStore.PassEnd(
                            lease, SyncStateStore.PassEnd.Outcome.ERROR, now, now.plus(wait), msg, finalCursors);
                } else {
                    store.recordError(mailbox, msg, now, now.plus(wait));
                }
            } catch (LeaseLostException lost) {
                end = null;
                return result(MailboxSyncResult.Outcome.BUSY, started, lost.getMessage());
            }
            s.metrics()
                    .syncFailed(
                            provider,
                            mailbox,
                            Duration.between(started, now),
                            e.getClass().getSimpleName());
            LOG.debug("sync of {} failed (retry in {}): {}", mailbox, wait, msg);
            return result(MailboxSyncResult.Outcome.FAILED, started, msg);
        } finally {
            renewer.close();
            if (claim == null) {
                base.releaseLease(lease);
            }
        }
    }

    /** A cursor saved as the last write of a calendar's read: kept for the write-back in a claimed pass. */
    private void saveFinalCursor(CalendarRef calendar, SyncCursor cursor) {
        if (claim != null) {
            finalCursors.put(calendar, cursor);
        } else {
            store.saveCursor(calendar, cursor);
        }
    }

    /** Writes the kept final cursors now (a claimed pass that ends without a write-back of its outcome). */
    private void saveFinalCursors() {
        finalCursors.forEach(store::saveCursor);
        finalCursors.clear();
    }

    /** The events skipped in this pass, in one line for the mailbox's status, or null when none was. */
    private String problems() {
        if (skipped.isEmpty()) {
            return null;
        }
        String first = skipped.get(0).describe();
        return skipped.size() == 1 ? first : skipped.size() + " events skipped; first: " + first;
    }

    private int consecutiveFailures() {
        if (claim != null) {
            return 1 + claim.status().failures();
        }
        return 1 + store.mailbox(mailbox).map(MailboxStatus::failures).orElse(0);
    }

    private MailboxSyncResult result(MailboxSyncResult.Outcome o, Instant started, String error) {
        return new MailboxSyncResult(
                mailbox, o, pulled, pushed, Duration.between(started, s.clock().instant()), error, integrationName);
    }

    /**
     * A checkpoint (before each push and each change batch): stops the pass if its renewal timer found the
     * lease lost, and renews it once a third of its time has passed by the engine's clock (the timer renews by
     * real time; this covers engines run on a test clock). Writes are fenced in any case.
     */
    private void checkLease() {
        if (renewer.lost()) {
            throw new LeaseLostException(lease);
        }
        Instant now = s.clock().instant();
        if (Duration.between(leaseRenewedAt, now).compareTo(s.leaseTtl().dividedBy(3)) >= 0) {
            if (!base.renewLease(lease, now, s.leaseTtl())) {
                throw new LeaseLostException(lease);
            }
            leaseRenewedAt = now;
        }
    }

    // ------------------------------------------------------------------ outbound

    private void pushOutbox(CalendarConnection connection) {
        if (claim != null && claim.status().pendingPushes() == 0) {
            return; // none when claimed; one recorded since made the mailbox due again
        }
        while (true) {
            List<OutboxEntry> due = store.dueOutbox(mailbox, s.clock().instant(), s.outboxBatch());
            if (due.isEmpty()) {
                return;
            }
            int done = 0;
            for (OutboxEntry entry : due) {
                if (dropped.contains(entry.id())) {
                    done++;
                    continue;
                }
                checkLease();
                if (pushOne(connection, entry)) {
                    done++;
                }
            }
            if (done == 0 || due.size() < s.outboxBatch()) {
                return; // everything left is waiting for its backoff
            }
        }
    }

    /** @return whether the entry is finished (pushed or given up) */
    private boolean pushOne(CalendarConnection connection, OutboxEntry entry) {
        String provider = connection.providerId();
        try {
            upsertDropped = false;
            pushOutcome = null;
            Event stored = switch (entry.operation()) {
                case UPSERT -> upsert(connection, entry);
                case DELETE -> delete(connection, entry);
                case RESPOND -> respond(connection, entry);
            };
            // the new mapping (settling the write's pending record) and the entry's removal: one transaction
            store.completePush(entry.id(), pushOutcome);
            s.metrics().pushAttempted(provider, entry.operation(), true);
            if (upsertDropped) {
                return true; // the host heard onAppEventRemoved and the conflict instead
            }
            pushed++;
            listener.onPushed(entry, stored);
            return true;
        } catch (ReauthorizationRequiredException e) {
            s.metrics().pushAttempted(provider, entry.operation(), false);
            s.metrics().pushFailed(provider, entry.operation(), e.getClass().getSimpleName());
            throw e;
        } catch (CalendarException e) {
            s.metrics().pushAttempted(provider, entry.operation(), false);
            s.metrics().pushFailed(provider, entry.operation(), e.getClass().getSimpleName());
            int attempts = entry.attempts() + 1;
            boolean retry = e.retryable() || e instanceof ConflictException;
            if (retry && attempts < s.pushBackoff().maxAttempts()) {
                Duration wait = s.pushBackoff().delay(attempts, s.random().getAsDouble());
                if (e instanceof RateLimitedException rl
                        && rl.retryAfter().isPresent()
                        && rl.retryAfter().get().compareTo(wait) > 0) {
                    wait = rl.retryAfter().get();
                }
                store.retryOutbox(entry.id(), attempts, s.clock().instant().plus(wait), e.getMessage());
                return false;
            }
            store.failOutbox(entry.id(), e.getMessage());
            LOG.warn(
                    "giving up push of {} to {} after {} attempts: {}", entry.key(), mailbox, attempts, e.getMessage());
            listener.onPushFailed(entry, e);
            return true;
        }
    }

    private Event upsert(CalendarConnection connection, OutboxEntry entry) {
        return upsert(connection, entry, true);
    }

    private Event upsert(CalendarConnection connection, OutboxEntry entry, boolean mayRecreate) {
        CalendarRef cal = entry.calendar();
        EventKey key = entry.key();
        Event desired = Fields.desired(entry.event(), key);
        Optional<EventMapping> mapping = store.mappingByKey(cal, key);
        if (mapping.isPresent() && DELETED.equals(mapping.get().version())) {
            store.deleteMapping(cal, mapping.get().eventId());
            mapping = Optional.empty();
        }
        if (mapping.isEmpty()) {
            // Recover from a crash between "the provider created it" and "we saved the mapping".
            Optional<Event> existing = connection.reader().findByKey(cal, key);
            if (existing.isEmpty()) {
                Event created = connection.writer().create(cal, key, desired);
                agree(cal, key, created);
                return created;
            }
            EventMapping recovered = EventMapping.app(
                    cal,
                    existing.get().id().orElseThrow(),
                    key,
                    existing.get().version().orElse(null),
                    existing.get());
            store.saveMapping(recovered);
            mapping = Optional.of(recovered);
        }
        EventMapping m = mapping.get();
        Event base = m.base();
        if (base != null && Fields.content(base).equals(Fields.content(desired))) {
            return base; // nothing to write: already as desired (a retried or replayed entry)
        }
        try {
            // An earlier push of this event may have written the calendar and then failed to record it (its store
            // write failed or was lost), and the host may since have replaced that entry: the calendar then holds
            // our own unrecorded write, which must not pass for a calendar edit. Settle it before writing again.
            Optional<SyncStateStore.PendingWrite> unsettled = pendingWrite(cal, m);
            Event ours = null;
            if (unsettled.isPresent()) {
                Event remote = connection
                        .reader()
                        .get(cal, m.eventId())
                        .orElseThrow(() -> new NotFoundException(
                                "event " + m.eventId() + " vanished",
                                ErrorContext.of(connection.providerId()).withMailbox(mailbox)));
                Event written = unsettled.get().written();
                if (Objects.equals(remote.version().orElse(null), m.version())) {
                    unsettled = Optional.empty(); // that write never took effect: nothing to settle
                } else if (Fields.content(remote).equals(Fields.content(Fields.desired(written, key)))) {
                    // exactly our own write, nothing else: record it as agreed now, then write over it as usual
                    EventMapping agreed = m.withVersion(remote.version().orElse(null), remote);
                    store.saveMapping(agreed);
                    return upsertOver(connection, cal, key, agreed, desired);
                } else {
                    ours = written; // our write and a calendar edit: the merge tells them apart field by field
                }
            }
            return writeOver(connection, cal, key, m, desired, unsettled.isPresent(), ours);
        } catch (NotFoundException gone) {
            // Deleted in the calendar while this change was on its way: the policy decides.
            List<OutboxEntry> others = pendingUpserts(cal, key).stream()
                    .filter(e -> e.id() != entry.id())
                    .toList();
            boolean recreate = deletedWhilePending(cal, key, others);
            store.deleteMapping(cal, m.eventId()); // with the record of the write that found it gone
            pushOutcome = null;
            if (recreate) {
                if (mayRecreate) {
                    return upsert(connection, entry, false); // no mapping now: looks the key up, then creates
                }
                throw gone; // found by key again and gone again: give up, the host hears onPushFailed
            }
            upsertDropped = true;
            return null;
        }
    }

    /**
     * The record of an update of {@code m}'s event that was written to the calendar (or tried) but never
     * recorded as agreed ({@link SyncStateStore.PendingWrite}): saved before each update with the mapping's
     * version, it is unsettled exactly while the mapping still has that version (the push's outcome was never
     * saved: its transaction failed, or its answer was lost).
     */
    private Optional<SyncStateStore.PendingWrite> pendingWrite(CalendarRef cal, EventMapping m) {
        return store.pendingWrite(cal, m.eventId()).filter(w -> Objects.equals(w.version(), m.version()));
    }

    /** As {@link #writeOver} with no unsettled write of ours. */
    private Event upsertOver(
            CalendarConnection connection, CalendarRef cal, EventKey key, EventMapping m, Event desired) {
        if (m.base() != null && Fields.content(m.base()).equals(Fields.content(desired))) {
            return m.base();
        }
        return writeOver(connection, cal, key, m, desired, false, null);
    }

    /**
     * Writes {@code desired} over the event {@code m} maps, merging with the calendar's version on a conflict.
     * Before the write, what is about to be written is recorded (unless an unsettled record is {@code kept}),
     * so that a write whose mapping save is lost is recognised as ours later; {@code ours}, when set, is such
     * an earlier write of ours that the calendar may hold besides edits of its own.
     */
    private Event writeOver(
            CalendarConnection connection,
            CalendarRef cal,
            EventKey key,
            EventMapping m,
            Event desired,
            boolean kept,
            Event ours) {
        Event base = m.base();
        Event toWrite = desired.toBuilder().id(m.eventId()).version(m.version()).build();
        if (!kept) {
            store.savePendingWrite(new SyncStateStore.PendingWrite(cal, m.eventId(), m.version(), desired));
        }
        Event stored;
        try {
            stored = connection.writer().update(cal, toWrite);
        } catch (ConflictException stale) {
            // The calendar changed since we last saw it: merge field by field under the policy, write again.
            Event remote = connection
                    .reader()
                    .get(cal, m.eventId())
                    .orElseThrow(() -> new NotFoundException(
                            "event " + m.eventId() + " vanished during a merge",
                            ErrorContext.of(connection.providerId()).withMailbox(mailbox)));
            Event agreed = base == null ? remote : base;
            if (ours != null) {
                // fields the calendar holds as our own unrecorded write left them are not calendar edits
                for (SyncField f : SyncField.values()) {
                    if (Fields.same(f, Fields.desired(ours, key), remote)) {
                        agreed = Fields.copy(f, remote, agreed);
                    }
                }
            }
            Event merged = merge(cal, key, agreed, desired, remote);
            stored = connection
                    .writer()
                    .update(
                            cal,
                            merged.toBuilder()
                                    .id(m.eventId())
                                    .version(remote.version().orElse(null))
                                    .build());
        }
        agree(cal, key, stored); // saved with the entry's removal, which settles the pending write
        return stored;
    }

    /** The app's upserts still waiting for {@code key} (not given up). */
    private List<OutboxEntry> pendingUpserts(CalendarRef calendar, EventKey key) {
        return store.outbox(mailbox).stream()
                .filter(e -> !e.failed()
                        && e.calendar().equals(calendar)
                        && e.key().equals(key)
                        && e.operation() == OutboxEntry.Operation.UPSERT
                        && !dropped.contains(e.id()))
                .toList();
    }

    /**
     * An app event was deleted in the calendar while app changes to it were pending ({@code toDrop}: the
     * ones besides any being pushed right now). Tells the host first (a listener that throws leaves the
     * state as it was, so the news comes again), then applies {@link FieldPolicy#onCalendarDelete()}.
     *
     * @return whether the app's change re-creates the event
     */
    private boolean deletedWhilePending(CalendarRef cal, EventKey key, List<OutboxEntry> toDrop) {
        if (s.fieldPolicy().onCalendarDelete() == FieldPolicy.CalendarDelete.RECREATE) {
            listener.onConflict(SyncConflict.deletion(
                    cal,
                    key,
                    FieldPolicy.Side.APP,
                    "deleted in the calendar while an app change was pending; the app's change creates it again"));
            return true;
        }
        listener.onConflict(SyncConflict.deletion(
                cal,
                key,
                FieldPolicy.Side.CALENDAR,
                "deleted in the calendar while an app change was pending; the deletion stands, the change is dropped"));
        listener.onAppEventRemoved(cal, key);
        for (OutboxEntry e : toDrop) {
            store.completeOutbox(e.id());
            dropped.add(e.id());
        }
        pendingKeys.remove(key);
        LOG.info(
                "app event {} of {} deleted in the calendar; dropped {} pending change(s)",
                key,
                mailbox,
                toDrop.size());
        return false;
    }

    /** The push's outcome: the mapping of what the provider stored, saved with the entry's removal. */
    private void agree(CalendarRef cal, EventKey key, Event stored) {
        pushOutcome = EventMapping.app(
                cal,
                stored.id()
                        .orElseThrow(() -> new MalformedDataException(
                                "the provider returned a written event without its id", ErrorContext.NONE, null)),
                key,
                stored.version().orElse(null),
                stored);
    }

    /** desired (app) vs remote (calendar) against base, field by field under the policy. */
    private Event merge(CalendarRef cal, EventKey key, Event base, Event desired, Event remote) {
        Event merged = desired;
        Set<SyncField> fromCalendar = java.util.EnumSet.noneOf(SyncField.class);
        for (SyncField f : SyncField.values()) {
            boolean remoteChanged = !Fields.same(f, base, remote);
            boolean appChanged = !Fields.same(f, base, desired);
            if (!remoteChanged || Fields.same(f, desired, remote)) {
                continue; // untouched in the calendar, or already the app's value (our own write whose answer was lost)
            }
            FieldPolicy.Side owner = s.fieldPolicy().owner(f);
            if (owner == FieldPolicy.Side.CALENDAR) {
                merged = Fields.copy(f, remote, merged);
                fromCalendar.add(f);
                if (appChanged && !Fields.same(f, desired, remote)) {
                    listener.onConflict(
                            new SyncConflict(cal, key, f, owner, "changed on both sides; calendar owns it"));
                }
            } else {
                listener.onConflict(new SyncConflict(
                        cal,
                        key,
                        f,
                        owner,
                        appChanged ? "changed on both sides; app owns it" : "changed in the calendar; app owns it"));
            }
        }
        if (!fromCalendar.isEmpty()) {
            listener.onAppEventChange(new AppEventChange(cal, key, remote, fromCalendar));
        }
        return merged;
    }

    /** Answers an invitation in the mailbox's calendar as the mailbox's owner. */
    private Event respond(CalendarConnection connection, OutboxEntry entry) {
        OutboxEntry.Response r = entry.response();
        WriteOptions options = r.notifyOrganizer() ? WriteOptions.defaults() : WriteOptions.silent();
        return connection.writer().respond(entry.calendar(), r.eventId(), mailbox, r.status(), options);
    }

    private Event delete(CalendarConnection connection, OutboxEntry entry) {
        CalendarRef cal = entry.calendar();
        Optional<EventMapping> m = store.mappingByKey(cal, entry.key()).filter(x -> !DELETED.equals(x.version()));
        String id = m.map(EventMapping::eventId)
                .or(() -> connection.reader().findByKey(cal, entry.key()).flatMap(Event::id))
                .orElse(null);
        if (id != null) {
            connection.writer().delete(cal, id, null);
            pushOutcome = EventMapping.app(cal, id, entry.key(), DELETED, null); // a tombstone, saved with the removal
        }
        return null;
    }

    // ------------------------------------------------------------------ inbound

    private void pull(CalendarConnection connection, CalendarRef calendar) {
        pendingKeys = new HashSet<>();
        if (claim == null || claim.status().pendingPushes() > 0 || pushed > 0) {
            for (OutboxEntry e : store.outbox(mailbox)) {
                if (!e.failed() && e.calendar().equals(calendar)) {
                    pendingKeys.add(e.key());
                }
            }
        }
        SyncCursor prefetched = claim == null ? null : claim.cursors().get(calendar.id());
        SyncCursor cursor = prefetched != null ? prefetched : store.cursor(calendar);
        SyncCursor readFrom = cursor;
        boolean full = cursor.isStart();
        Set<String> seen = full ? new HashSet<>() : null;
        ChangeBatch.Coverage coverage = ChangeBatch.Coverage.EVERYTHING;
        int resyncs = 0;
        while (true) {
            checkLease();
            ChangeBatch batch = connection.changes().changes(calendar, cursor);
            if (batch instanceof ChangeBatch.ResyncRequired r) {
                if (++resyncs > MAX_RESYNCS) {
                    throw new MalformedDataException(
                            "the provider asked for a full resync " + resyncs + " times in a row: " + r.reason(),
                            ErrorContext.of(connection.providerId()).withMailbox(mailbox),
                            null);
                }
                LOG.info("full resync of a calendar of {}: {}", mailbox, r.reason());
                cursor = SyncCursor.START;
                full = true;
                seen = new HashSet<>();
                continue;
            }
            ChangeBatch.Changes changes = (ChangeBatch.Changes) batch;
            if (changes.full() && !full) {
                full = true;
                seen = new HashSet<>();
            }
            coverage = changes.coverage();
            this.coverage = coverage;
            pageCalendar = calendar;
            boolean fullPage = full;
            Set<String> listed = seen;
            try {
                keepingWhatWasHandled(() -> {
                    if (fullPage) {
                        noteNewEvents(calendar, changes);
                    }
                    handlePage(calendar, changes, fullPage, listed);
                });
            } finally {
                readAhead.clear();
            }
            cursor = changes.next();
            boolean last = !changes.hasMore();
            boolean moved = !cursor.equals(readFrom);
            if (!full && !last) {
                flushPage(cursor); // the page's mappings and the cursor after it: one transaction
            } else if (!full && last && moved && claim == null) {
                flushPage(cursor); // the last page with the final cursor
            } else {
                flushPage(null); // a full read is committed only once it is complete
                if (!full && last && moved) {
                    saveFinalCursor(calendar, cursor); // written back with the pass's outcome
                }
            }
            if (last) {
                break;
            }
        }
        if (full) {
            SyncCursor end = cursor;
            Set<String> listed = seen;
            ChangeBatch.Coverage covered = coverage;
            keepingWhatWasHandled(() -> fullReadEnd(connection, calendar, end, listed, covered));
        }
    }

    /**
     * Runs {@code work}, which gathers mapping writes in {@link #pageWrites}; when it fails (a listener, the
     * provider) the writes of what was handled before the failure are still written, as they were when each row
     * was written on its own, and the failure goes on (the cursor was not moved: the page comes again).
     */
    private void keepingWhatWasHandled(Runnable work) {
        try {
            work.run();
        } catch (LeaseLostException lost) {
            throw lost; // nothing more can be written
        } catch (RuntimeException e) {
            try {
                flushPage(null);
            } catch (RuntimeException notSaved) {
                e.addSuppressed(notSaved);
            }
            throw e;
        }
    }

    /** Handles one page of changes; its mapping writes gather in {@link #pageWrites}. */
    private void handlePage(CalendarRef calendar, ChangeBatch.Changes changes, boolean full, Set<String> seen) {
        for (SkippedEvent x : changes.skipped()) {
            if (full) {
                seen.add(x.eventId()); // it exists; only its content is unreadable: not a deletion
            }
            skipped.add(x);
            LOG.warn("sync of {}: {}", mailbox, x.describe());
            listener.onEventSkipped(mailbox, calendar, x);
        }
        for (EventChange change : changes.changes()) {
            if (full && change instanceof EventChange.Upserted up) {
                seen.add(change.eventId());
                if (up.seriesId() != null) {
                    seen.add(up.seriesId()); // a series read as its occurrences is alive
                }
            }
            handle(calendar, change);
            pulled++;
        }
    }

    /**
     * The end of a full read: every known event the read covered but did not list is gone; then the cursor.
     */
    private void fullReadEnd(
            CalendarConnection connection,
            CalendarRef calendar,
            SyncCursor cursor,
            Set<String> seen,
            ChangeBatch.Coverage coverage) {
        pageCalendar = calendar;
        // Whatever we knew that the full read covered but did not list is gone. A windowed feed (Graph
        // calendarView/delta) covers its window only: what lies outside it is merely not covered, and
        // external events wholly before it are history the feed no longer follows, forgotten quietly.
        // by id, each unlisted mapping read alone: the calendar's mappings are never all loaded at once
        for (String knownId : store.mappingIds(calendar)) {
            if (seen.contains(knownId) || knownId.startsWith(SyncStateStore.PENDING_WRITE_PREFIX)) {
                // listed, or a record of a write kept as a mapping row by a store without pending-write support
                continue;
            }
            EventMapping known = store.mappingByEventId(calendar, knownId).orElse(null);
            if (known == null) {
                continue;
            }
            if (pageWrites.size() >= TAIL_FLUSH) {
                flushPage(null); // bounded: the deletions of a big calendar are written in slices
            }
            Coverages.Place place =
                    DELETED.equals(known.version()) ? Coverages.Place.INSIDE : Coverages.place(known.base(), coverage);
            if (place == Coverages.Place.INSIDE && confirmedGone(connection, calendar, known, coverage)) {
                removed(calendar, known);
                pulled++;
            } else if (place == Coverages.Place.BEFORE && !known.isAppEvent()) {
                pageDelete(known.eventId());
            }
        }
        if (claim == null) {
            flushPage(cursor); // the last deletions with the final cursor
        } else {
            flushPage(null);
            saveFinalCursor(calendar, cursor); // written back with the pass's outcome
        }
    }

    /** How many mapping writes the end of a full read gathers before writing them. */
    private static final int TAIL_FLUSH = 500;

    // ------------------------------------------------------------------ the page's writes

    /** The calendar of the page being handled. */
    private CalendarRef pageCalendar;
    /**
     * The mapping writes of the page being handled, by event id: the mapping saved, or empty when it is deleted.
     * Written together, with the page's cursor when it has one ({@link SyncStateStore#writePage}), instead of
     * one transaction per row; reads of the page see them first.
     */
    private final java.util.Map<String, Optional<EventMapping>> pageWrites = new java.util.LinkedHashMap<>();
    /** Mappings read before the page's notes were written ({@link #noteNewEvents}), by event id; read once. */
    private final java.util.Map<String, Optional<EventMapping>> readAhead = new java.util.HashMap<>();

    /** The mapping of {@code id} as the page sees it: its own writes first, then what the store holds. */
    private Optional<EventMapping> mappingOf(CalendarRef calendar, String id) {
        Optional<EventMapping> written = pageWrites.get(id);
        if (written != null) {
            return written;
        }
        Optional<EventMapping> before = readAhead.remove(id);
        return before != null ? before : store.mappingByEventId(calendar, id);
    }

    /** The mapping of the app's {@code key} as the page sees it. */
    private Optional<EventMapping> mappingOfKey(CalendarRef calendar, EventKey key) {
        for (Optional<EventMapping> written : pageWrites.values()) {
            if (written.isPresent() && key.equals(written.get().key())) {
                return written;
            }
        }
        return store.mappingByKey(calendar, key).filter(m -> !pageWrites.containsKey(m.eventId()));
    }

    private void pageSave(EventMapping m) {
        pageWrites.put(m.eventId(), Optional.of(m));
    }

    private void pageDelete(String eventId) {
        pageWrites.put(eventId, Optional.empty());
    }

    /** Writes the page's mappings (and {@code cursor}, when given) in one step. */
    private void flushPage(SyncCursor cursor) {
        if (pageWrites.isEmpty() && cursor == null) {
            return;
        }
        List<EventMapping> saved = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        pageWrites.forEach((id, m) -> {
            if (m.isPresent()) {
                saved.add(m.get());
            } else {
                deleted.add(id);
            }
        });
        store.writePage(new SyncStateStore.PageWrites(pageCalendar, saved, deleted, cursor));
        pageWrites.clear();
    }

    /**
     * A full read's new external events are remembered (without a version, so they are delivered again) before
     * the host hears of them: a full read lists only what exists, so an event the host heard of in a pass whose
     * mapping save then failed, deleted before the next full read, was never reported deleted (the database-fault
     * soak found it). Incremental reads need no such note: the deletion comes in the feed. The page's notes are
     * written in one step before any of its events is handled; the mappings read for them are kept for
     * {@link #handle}.
     */
    private void noteNewEvents(CalendarRef calendar, ChangeBatch.Changes changes) {
        List<EventMapping> notes = new ArrayList<>();
        for (EventChange change : changes.changes()) {
            if (!(change instanceof EventChange.Upserted up)
                    || readAhead.containsKey(up.eventId())
                    || pageWrites.containsKey(up.eventId())
                    || (up.seriesId() != null && occurrenceOfKnownSeries(calendar, up, false))) {
                continue;
            }
            Optional<EventMapping> m = store.mappingByEventId(calendar, up.eventId());
            readAhead.put(up.eventId(), m);
            Optional<EventKey> key = up.event().key();
            if (m.isEmpty() && (key.isEmpty() || !pendingPush(calendar, key.get()))) {
                notes.add(new EventMapping(calendar, up.eventId(), null, null, Coverages.shape(up.event())));
            }
        }
        if (!notes.isEmpty()) {
            store.writePage(new SyncStateStore.PageWrites(calendar, notes, List.of(), null));
        }
    }

    /**
     * Whether a known event that a windowed full read did not list is really gone. Inside the window a
     * single event's silence is proof; a series may merely have had every occurrence in the window cancelled
     * in the calendar (which the base the engine keeps does not show), so it is read back once to be sure.
     */
    private boolean confirmedGone(
            CalendarConnection connection, CalendarRef calendar, EventMapping known, ChangeBatch.Coverage coverage) {
        if (coverage instanceof ChangeBatch.Coverage.Everything
                || known.base() == null
                || !known.base().isRecurring()
                || !connection.supports(org.calsdk.api.Capability.READ_EVENTS)) {
            return true;
        }
        return connection.reader().get(calendar, known.eventId()).isEmpty();
    }

    /**
     * An occurrence listed on its own by a windowed feed: it belongs to the series it names. An occurrence of
     * one of the app's series is the app's own (never reported as external); one of an unknown series is an
     * external event of its own, remembered by the occurrence's id.
     *
     * @return whether it was settled here (else it is handled as an ordinary external event)
     */
    private boolean occurrenceOfKnownSeries(CalendarRef calendar, EventChange.Upserted up, boolean act) {
        Optional<EventMapping> series = mappingOf(calendar, up.seriesId());
        if (series.isEmpty() && up.event().key().isPresent()) {
            series = mappingOfKey(calendar, up.event().key().get());
        }
        if (series.isPresent() && DELETED.equals(series.get().version())) {
            return true; // the echo of a series the app deleted
        }
        if (series.isPresent() && series.get().isAppEvent()) {
            if (act && !pendingPush(calendar, series.get().key())) {
                occurrenceEdits(calendar, series.get(), up.event());
            }
            return true; // the app's own series
        }
        return up.event().key().isPresent()
                && pendingPush(calendar, up.event().key().get());
    }

    /**
     * An occurrence of the app's series, as a windowed feed lists it: when it differs from what the agreed
     * series says of that occurrence in fields the calendar owns (an attendee declined just this one, the
     * organizer moved it), the host hears it as an {@link AppEventChange} of that occurrence (its
     * {@code recurrenceId} set). Delivered at least once: every read that lists the occurrence again says it
     * again, the host applies it idempotently. Edits of fields the app owns are not reverted on single
     * occurrences.
     */
    private void occurrenceEdits(CalendarRef calendar, EventMapping series, Event occurrence) {
        Event base = series.base();
        if (base == null || !base.isRecurring() || occurrence.recurrenceId().isEmpty()) {
            return;
        }
        java.time.Instant at = occurrence.recurrenceId().get().toInstant(java.time.ZoneOffset.UTC);
        Event expected = base.overrides().stream()
                .filter(o -> o.recurrenceId()
                        .orElseThrow()
                        .toInstant(java.time.ZoneOffset.UTC)
                        .equals(at))
                .findFirst()
                .orElse(null);
        if (expected == null) {
            org.calsdk.model.TimeWindow around =
                    org.calsdk.model.TimeWindow.of(at.minusSeconds(60), at.plusSeconds(60));
            try (java.util.stream.Stream<org.calsdk.ical.Occurrence> s =
                    org.calsdk.ical.Recurrences.expand(base, around, java.time.ZoneOffset.UTC)) {
                expected = s.filter(o -> o.recurrenceId() != null
                                && o.recurrenceId()
                                        .toInstant(java.time.ZoneOffset.UTC)
                                        .equals(at))
                        .findFirst()
                        .map(o -> o.source().toBuilder()
                                .start(o.start())
                                .end(o.end())
                                .recurrence(null)
                                .overrides(List.of())
                                .build())
                        .orElse(null);
            }
        }
        if (expected == null) {
            return; // not an occurrence of the series as the app last agreed it: its next push settles it
        }
        Set<SyncField> fromCalendar = java.util.EnumSet.noneOf(SyncField.class);
        for (SyncField f : Fields.diff(expected, occurrence)) {
            if (s.fieldPolicy().owner(f) == FieldPolicy.Side.CALENDAR) {
                fromCalendar.add(f);
            }
        }
        if (!fromCalendar.isEmpty()) {
            listener.onAppEventChange(new AppEventChange(calendar, series.key(), occurrence, fromCalendar));
        }
    }

    private void handle(CalendarRef calendar, EventChange change) {
        if (change instanceof EventChange.Upserted up) {
            Event event = up.event();
            String id = up.eventId();
            if (up.seriesId() != null && occurrenceOfKnownSeries(calendar, up, true)) {
                return;
            }
            Optional<EventMapping> m = mappingOf(calendar, id);
            if (m.isPresent() && DELETED.equals(m.get().version())) {
                return; // deleted by the app; the provider still lists it (a read from before the delete)
            }
            if (m.isPresent() && m.get().isAppEvent()) {
                appEventSeen(calendar, m.get(), event);
                return;
            }
            if (m.isEmpty()
                    && event.key().isPresent()
                    && pendingPush(calendar, event.key().get())) {
                return; // ours, created by a push whose answer was lost: the retried push links it
            }
            if (m.isPresent()
                    && m.get().version() != null
                    && m.get().version().equals(event.version().orElse(null))) {
                return; // already delivered at this version
            }
            // a full read's new event was noted before its page was handled (noteNewEvents)
            listener.onExternalChange(
                    m.isPresent()
                            ? new ExternalChange.Updated(calendar, event)
                            : new ExternalChange.Created(calendar, event));
            // the event's times are kept, so that a windowed full read can tell "deleted" from "out of the window"
            pageSave(new EventMapping(calendar, id, null, event.version().orElse(null), Coverages.shape(event)));
        } else {
            EventChange.Deleted del = (EventChange.Deleted) change;
            Optional<EventMapping> m = mappingOf(calendar, del.eventId());
            if (m.isPresent()) {
                removed(calendar, m.get());
            } else if ((del.key() == null || !pendingPush(calendar, del.key()))
                    && coverage instanceof ChangeBatch.Coverage.Everything) {
                // unknown to us (perhaps created and deleted between two reads, or heard of by the host in a pass
                // whose mapping write failed): tell the host anyway, deletions are idempotent for it. The echo of
                // our own delete finds the tombstone mapping (above); one with a push of its key still waiting is
                // left to that push. (Before, every keyed deletion without a mapping was taken for our echo, and a
                // keyed external event the host had heard of was never reported deleted: the database-fault soak
                // found it.) A windowed feed's unknown ids are not told: every
                // event or occurrence the host heard of from it is remembered, so an unknown one is an
                // occurrence of the app's own series (moved or cancelled) or one the host never saw.
                listener.onExternalChange(new ExternalChange.Deleted(calendar, del.eventId()));
            }
        }
    }

    /** Whether an outbox entry for {@code key} waits (for its backoff): its push will settle the event. */
    private boolean pendingPush(CalendarRef calendar, EventKey key) {
        return pendingKeys.contains(key);
    }

    private void removed(CalendarRef calendar, EventMapping known) {
        if (DELETED.equals(known.version())) {
            pageDelete(known.eventId()); // the echo of our own delete
            return;
        }
        if (known.isAppEvent() && pendingPush(calendar, known.key())) {
            boolean appDeletes = store.outbox(mailbox).stream()
                    .anyMatch(e -> !e.failed()
                            && e.calendar().equals(calendar)
                            && e.key().equals(known.key())
                            && e.operation() == OutboxEntry.Operation.DELETE);
            List<OutboxEntry> upserts = appDeletes ? List.of() : pendingUpserts(calendar, known.key());
            if (appDeletes || upserts.isEmpty()) {
                // our own delete whose answer was lost (its retry finds nothing to delete), or nothing pending after
                // all
                if (!appDeletes) {
                    listener.onAppEventRemoved(calendar, known.key());
                }
                pageDelete(known.eventId());
                return;
            }
            // deleted in the calendar while the app's change waits for its retry: the policy decides;
            // RECREATE leaves the change in the outbox, whose push then finds no mapping and creates it again
            deletedWhilePending(calendar, known.key(), upserts);
            pageDelete(known.eventId());
            return;
        }
        if (known.isAppEvent()) {
            listener.onAppEventRemoved(calendar, known.key());
        } else {
            listener.onExternalChange(new ExternalChange.Deleted(calendar, known.eventId()));
        }
        pageDelete(known.eventId());
    }

    private void appEventSeen(CalendarRef calendar, EventMapping m, Event event) {
        String version = event.version().orElse(null);
        if (version != null && version.equals(m.version())) {
            return; // our own write coming back
        }
        if (pendingPush(calendar, m.key())) {
            // The app changed it too and its push waits for a retry: that push will meet a version conflict
            // and merge field by field, reporting the calendar's changes then. Keep the old base for it.
            return;
        }
        Event base = m.base() != null ? m.base() : event;
        Set<SyncField> changed = Fields.diff(base, event);
        Event newBase = base;
        Set<SyncField> fromCalendar = java.util.EnumSet.noneOf(SyncField.class);
        boolean revert = false;
        for (SyncField f : changed) {
            if (s.fieldPolicy().owner(f) == FieldPolicy.Side.CALENDAR) {
                newBase = Fields.copy(f, event, newBase);
                fromCalendar.add(f);
            } else {
                revert = true;
                listener.onConflict(new SyncConflict(
                        calendar, m.key(), f, FieldPolicy.Side.APP, "changed in the calendar; app owns it"));
            }
        }
        if (!fromCalendar.isEmpty()) {
            listener.onAppEventChange(new AppEventChange(calendar, m.key(), event, fromCalendar));
        }
        pageSave(m.withVersion(version, event));
        if (revert) {
            flushPage(null); // the agreed state is saved before the app's values are queued to go back
            // push the app's values of the fields it owns back over the calendar's edit
            store.enqueue(OutboxEntry.upsert(calendar, m.key(), Fields.desired(newBase, m.key())));
            pendingKeys.add(m.key());
        }
    }
}
