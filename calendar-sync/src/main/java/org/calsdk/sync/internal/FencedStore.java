package org.calsdk.sync.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.EventMapping;
import org.calsdk.sync.Integration;
import org.calsdk.sync.LeaseLostException;
import org.calsdk.sync.MailboxLease;
import org.calsdk.sync.MailboxStatus;
import org.calsdk.sync.OutboxEntry;
import org.calsdk.sync.SyncStateStore;

/**
 * The default {@link SyncStateStore#fencedBy} view: each write checks {@link SyncStateStore#holdsLease} and
 * writes while holding the store's monitor (atomic with stores whose methods synchronize on themselves, as
 * {@link org.calsdk.sync.InMemorySyncStateStore}'s do). Reads pass through. Closing the view closes nothing.
 */
public final class FencedStore implements SyncStateStore {
    private final SyncStateStore store;
    private final MailboxLease lease;
    private final Object lock;

    /**
     * The view of {@code store} fenced by {@code lease}, addressing mailboxes in the lease's integration (when
     * it names one); writes hold {@code store}'s monitor.
     */
    public FencedStore(SyncStateStore store, MailboxLease lease) {
        this(
                Checks.notNull(lease, "lease").integration() == null
                        ? Checks.notNull(store, "store")
                        : store.inIntegration(lease.integration()),
                lease,
                store);
    }

    /** The view of {@code store} (used as it is) fenced by {@code lease}; writes hold {@code lock}'s monitor. */
    public FencedStore(SyncStateStore store, MailboxLease lease, Object lock) {
        this.store = Checks.notNull(store, "store");
        this.lease = Checks.notNull(lease, "lease");
        this.lock = Checks.notNull(lock, "lock");
    }

    @Override
    public SyncStateStore inIntegration(String integration) {
        return new FencedStore(store.inIntegration(integration), lease, lock);
    }

    private <T> T write(Supplier<T> work) {
        synchronized (lock) {
            if (!store.holdsLease(lease)) {
                throw new LeaseLostException(lease);
            }
            return work.get();
        }
    }

    private void run(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    @Override
    public void saveIntegration(Integration integration) {
        run(() -> store.saveIntegration(integration));
    }

    @Override
    public Optional<Integration> integration(String name) {
        return store.integration(name);
    }

    @Override
    public List<Integration> integrations() {
        return store.integrations();
    }

    @Override
    public void deleteIntegration(String name) {
        run(() -> store.deleteIntegration(name));
    }

    @Override
    public void addMailbox(String integration, Mailbox mailbox) {
        run(() -> store.addMailbox(integration, mailbox));
    }

    @Override
    public void removeMailbox(Mailbox mailbox) {
        run(() -> store.removeMailbox(mailbox));
    }

    @Override
    public Optional<MailboxStatus> mailbox(Mailbox mailbox) {
        return store.mailbox(mailbox);
    }

    @Override
    public List<MailboxStatus> mailboxes() {
        return store.mailboxes();
    }

    @Override
    public List<MailboxStatus> mailboxes(String integration) {
        return store.mailboxes(integration);
    }

    @Override
    public void setEnabled(Mailbox mailbox, boolean enabled) {
        run(() -> store.setEnabled(mailbox, enabled));
    }

    @Override
    public void markDisconnected(Mailbox mailbox, String reason, String relinkUrl, Instant at) {
        run(() -> store.markDisconnected(mailbox, reason, relinkUrl, at));
    }

    @Override
    public void markConnected(Mailbox mailbox) {
        run(() -> store.markConnected(mailbox));
    }

    @Override
    public void recordSuccess(Mailbox mailbox, Instant at, Instant nextSyncAt) {
        run(() -> store.recordSuccess(mailbox, at, nextSyncAt));
    }

    @Override
    public void recordError(Mailbox mailbox, String error, Instant at, Instant nextSyncAt) {
        run(() -> store.recordError(mailbox, error, at, nextSyncAt));
    }

    @Override
    public void recordSuccessWithProblem(Mailbox mailbox, Instant at, Instant nextSyncAt, String problem) {
        run(() -> store.recordSuccessWithProblem(mailbox, at, nextSyncAt, problem));
    }

    @Override
    public void requestSync(Mailbox mailbox) {
        run(() -> store.requestSync(mailbox));
    }

    @Override
    public List<Mailbox> dueMailboxes(Instant now, int limit) {
        return store.dueMailboxes(now, limit);
    }

    @Override
    public List<org.calsdk.sync.MailboxRef> dueMailboxRefs(Instant now, int limit) {
        return store.dueMailboxRefs(now, limit);
    }

    @Override
    public Optional<MailboxLease> acquireLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        return store.acquireLease(mailbox, owner, now, ttl);
    }

    @Override
    public int seizeLeases(String integration, String owner, Instant now, Duration ttl) {
        return store.seizeLeases(integration, owner, now, ttl);
    }

    @Override
    public Optional<MailboxLease> seizeLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        return store.seizeLease(mailbox, owner, now, ttl);
    }

    @Override
    public void endSubscription(CalendarRef calendar, String subscriptionId) {
        run(() -> store.endSubscription(calendar, subscriptionId));
    }

    @Override
    public boolean renewLease(MailboxLease l, Instant now, Duration ttl) {
        return store.renewLease(l, now, ttl);
    }

    @Override
    public boolean holdsLease(MailboxLease l) {
        return store.holdsLease(l);
    }

    @Override
    public void releaseLease(MailboxLease l) {
        store.releaseLease(l);
    }

    @Override
    public SyncStateStore fencedBy(MailboxLease l) {
        return store.fencedBy(l);
    }

    @Override
    public SyncCursor cursor(CalendarRef calendar) {
        return store.cursor(calendar);
    }

    @Override
    public void saveCursor(CalendarRef calendar, SyncCursor cursor) {
        run(() -> store.saveCursor(calendar, cursor));
    }

    @Override
    public Optional<Subscription> subscription(CalendarRef calendar) {
        return store.subscription(calendar);
    }

    @Override
    public List<Subscription> subscriptions(Mailbox mailbox) {
        return store.subscriptions(mailbox);
    }

    @Override
    public Optional<Subscription> subscriptionById(String integration, String subscriptionId) {
        return store.subscriptionById(integration, subscriptionId);
    }

    @Override
    public void saveSubscription(Subscription subscription) {
        run(() -> store.saveSubscription(subscription));
    }

    @Override
    public void requestRenewal(CalendarRef calendar, String subscriptionId, Instant renewBy) {
        run(() -> store.requestRenewal(calendar, subscriptionId, renewBy));
    }

    @Override
    public void deleteSubscription(CalendarRef calendar) {
        run(() -> store.deleteSubscription(calendar));
    }

    @Override
    public Optional<EventMapping> mappingByKey(CalendarRef c, EventKey key) {
        return store.mappingByKey(c, key);
    }

    @Override
    public Optional<EventMapping> mappingByEventId(CalendarRef c, String id) {
        return store.mappingByEventId(c, id);
    }

    @Override
    public List<EventMapping> mappings(CalendarRef calendar) {
        return store.mappings(calendar);
    }

    @Override
    public List<String> mappingIds(CalendarRef calendar) {
        return store.mappingIds(calendar);
    }

    @Override
    public List<EventMapping> appMappings(String integration) {
        return store.appMappings(integration);
    }

    @Override
    public void saveMapping(EventMapping mapping) {
        run(() -> store.saveMapping(mapping));
    }

    @Override
    public void deleteMapping(CalendarRef c, String eventId) {
        run(() -> store.deleteMapping(c, eventId));
    }

    @Override
    public Optional<PendingWrite> pendingWrite(CalendarRef c, String eventId) {
        return store.pendingWrite(c, eventId);
    }

    @Override
    public void savePendingWrite(PendingWrite pending) {
        run(() -> store.savePendingWrite(pending));
    }

    @Override
    public void completePush(long outboxId, EventMapping mapping) {
        run(() -> store.completePush(outboxId, mapping));
    }

    @Override
    public void writePage(PageWrites page) {
        run(() -> store.writePage(page));
    }

    @Override
    public long enqueue(OutboxEntry entry) {
        return write(() -> store.enqueue(entry));
    }

    @Override
    public List<OutboxEntry> dueOutbox(Mailbox m, Instant now, int limit) {
        return store.dueOutbox(m, now, limit);
    }

    @Override
    public List<OutboxEntry> outbox(Mailbox mailbox) {
        return store.outbox(mailbox);
    }

    @Override
    public void completeOutbox(long id) {
        run(() -> store.completeOutbox(id));
    }

    @Override
    public void retryOutbox(long id, int attempts, Instant nextAttemptAt, String error) {
        run(() -> store.retryOutbox(id, attempts, nextAttemptAt, error));
    }

    @Override
    public void failOutbox(long id, String error) {
        run(() -> store.failOutbox(id, error));
    }

    @Override
    public int requeueFailedOutbox(Mailbox mailbox) {
        return write(() -> store.requeueFailedOutbox(mailbox));
    }

    @Override
    public int purgeFailedOutbox(Mailbox mailbox) {
        return write(() -> store.purgeFailedOutbox(mailbox));
    }

    @Override
    public void resetCursors(Mailbox mailbox) {
        run(() -> store.resetCursors(mailbox));
    }

    @Override
    public org.calsdk.sync.SyncBacklog backlog(Instant now) {
        return store.backlog(now);
    }

    @Override
    public void close() {
        // a view: the store it fences belongs to someone else
    }

    @Override
    public String toString() {
        return "fenced(" + store + ", generation " + lease.generation() + ")";
    }
}
