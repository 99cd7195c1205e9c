package org.calsdk.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/**
 * A {@link SyncStateStore} in memory: for tests and for hosts that rebuild sync state on start. Nothing
 * survives the JVM; several engines in one JVM can share one instance (leases work as in the database).
 *
 * <pre>{@code
 * SyncStateStore store = new InMemorySyncStateStore();
 * }</pre>
 *
 * @since 0.1
 */
public final class InMemorySyncStateStore implements SyncStateStore {
    /** Everything, shared by the store and its {@link #inIntegration} views, and the lock of all of them. */
    private static final class State {
        final Map<String, Integration> integrations = new TreeMap<>();
        /** mailbox key (email, newline, integration) → row: sorted by address, then integration. */
        final TreeMap<String, Row> mailboxes = new TreeMap<>();
        /** calendar key (mailbox key, newline, calendar id) → cursor. */
        final Map<String, SyncCursor> cursors = new HashMap<>();

        final Map<String, Subscription> subscriptions = new TreeMap<>();
        /** calendar key → event id → mapping. */
        final Map<String, Map<String, EventMapping>> mappings = new HashMap<>();
        /** calendar key → host key → event id (app events only). */
        final Map<String, Map<EventKey, String>> keys = new HashMap<>();
        /** calendar key → event id → the pending write recorded for its mapping (goes with the mapping). */
        final Map<String, Map<String, PendingWrite>> pendingWrites = new HashMap<>();

        final Map<Long, OutboxEntry> outbox = new TreeMap<>();
        /** outbox id → the mailbox key of its entry (an entry's calendar names the email, not the integration). */
        final Map<Long, String> outboxMailbox = new HashMap<>();

        long nextOutboxId = 1;
    }

    /** The key of no mailbox: what an unknown mailbox's lookups use. */
    private static final String NONE = "\u0000";

    private final State st;
    /** The integration this view addresses mailboxes in; null for the store itself (unambiguous emails). */
    private final String scope;

    /** An empty store. */
    public InMemorySyncStateStore() {
        this(new State(), null);
    }

    private InMemorySyncStateStore(State st, String scope) {
        this.st = st;
        this.scope = scope;
    }

    @Override
    public SyncStateStore inIntegration(String integration) {
        return new InMemorySyncStateStore(st, Checks.notBlank(integration, "integration"));
    }

    @Override
    public SyncStateStore fencedBy(MailboxLease lease) {
        Checks.notNull(lease, "lease");
        SyncStateStore target = lease.integration() != null ? inIntegration(lease.integration()) : this;
        return new org.calsdk.sync.internal.FencedStore(target, lease, st);
    }

    private static String mkey(String integration, Mailbox mailbox) {
        return mailbox.normalized() + "\n" + integration;
    }

    /**
     * The mailbox key {@code mailbox} names here: in this view's integration, else in the one integration the
     * email is in; {@link #NONE} when it is in none.
     *
     * @throws AmbiguousMailboxException the email is in several integrations and this is not a view of one
     */
    private String key(Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        if (scope != null) {
            return mkey(scope, mailbox);
        }
        String prefix = mailbox.normalized() + "\n";
        var found = st.mailboxes.subMap(prefix, prefix + "\uffff");
        if (found.size() > 1) {
            throw new AmbiguousMailboxException(
                    mailbox, found.values().stream().map(r -> r.integration).toList());
        }
        return found.isEmpty() ? NONE : found.firstKey();
    }

    private boolean ofMailbox(OutboxEntry e, String mk) {
        return mk.equals(st.outboxMailbox.get(e.id()));
    }

    private static final class Row {
        String key;
        Mailbox mailbox;
        String integration;
        boolean enabled = true;
        boolean connected = true;
        Instant lastSyncAt;
        String lastError;
        Instant lastErrorAt;
        String relinkUrl;
        int failures;
        Instant nextSyncAt = Instant.EPOCH;
        String leaseOwner;
        Instant leaseUntil;
        long leaseGeneration;
        /** A sync was asked for since the lease was last taken (see {@link #requestSync}). */
        boolean syncRequested;
    }

    @Override
    public void saveIntegration(Integration integration) {
        synchronized (st) {
            Checks.notNull(integration, "integration");
            st.integrations.put(integration.name(), integration);
        }
    }

    @Override
    public Optional<Integration> integration(String name) {
        synchronized (st) {
            return Optional.ofNullable(st.integrations.get(Checks.notNull(name, "name")));
        }
    }

    @Override
    public List<Integration> integrations() {
        synchronized (st) {
            return List.copyOf(st.integrations.values());
        }
    }

    @Override
    public void deleteIntegration(String name) {
        synchronized (st) {
            Checks.notNull(name, "name");
            for (Row r : List.copyOf(st.mailboxes.values())) {
                if (r.integration.equals(name)) {
                    remove(r.key);
                }
            }
            st.integrations.remove(name);
        }
    }

    @Override
    public void addMailbox(String integration, Mailbox mailbox) {
        synchronized (st) {
            Checks.notNull(mailbox, "mailbox");
            if (!st.integrations.containsKey(Checks.notNull(integration, "integration"))) {
                throw new NotFoundException("no integration '" + integration + "'; save it first", ErrorContext.NONE);
            }
            String k = mkey(integration, mailbox);
            if (st.mailboxes.containsKey(k)) {
                return;
            }
            Row r = new Row();
            r.key = k;
            r.mailbox = mailbox;
            r.integration = integration;
            st.mailboxes.put(k, r);
        }
    }

    @Override
    public void removeMailbox(Mailbox mailbox) {
        synchronized (st) {
            remove(key(mailbox));
        }
    }

    private void remove(String mk) {
        st.mailboxes.remove(mk);
        String n = mk + "\n";
        st.cursors.keySet().removeIf(k -> k.startsWith(n));
        st.subscriptions.keySet().removeIf(k -> k.startsWith(n));
        st.mappings.keySet().removeIf(k -> k.startsWith(n));
        st.keys.keySet().removeIf(k -> k.startsWith(n));
        st.pendingWrites.keySet().removeIf(k -> k.startsWith(n));
        st.outbox.values().removeIf(e -> ofMailbox(e, mk));
        st.outboxMailbox.values().removeIf(mk::equals);
    }

    private Row row(Mailbox mailbox) {
        Row r = st.mailboxes.get(key(mailbox));
        if (r == null) {
            throw new NotFoundException(
                    "mailbox " + mailbox + " is not connected"
                            + (scope == null ? " to any integration" : " to integration '" + scope + "'"),
                    ErrorContext.NONE.withMailbox(mailbox));
        }
        return r;
    }

    private MailboxStatus status(Row r) {
        int pending = (int) st.outbox.values().stream()
                .filter(e -> !e.failed() && ofMailbox(e, r.key))
                .count();
        return new MailboxStatus(
                r.mailbox,
                r.integration,
                r.enabled,
                r.connected,
                r.lastSyncAt,
                r.lastError,
                r.lastErrorAt,
                r.relinkUrl,
                pending,
                r.failures,
                r.nextSyncAt);
    }

    @Override
    public Optional<MailboxStatus> mailbox(Mailbox mailbox) {
        synchronized (st) {
            Row r = st.mailboxes.get(key(mailbox));
            return r == null ? Optional.empty() : Optional.of(status(r));
        }
    }

    @Override
    public List<MailboxStatus> mailboxes() {
        synchronized (st) {
            return st.mailboxes.values().stream().map(this::status).toList();
        }
    }

    @Override
    public List<MailboxStatus> mailboxes(String integration) {
        synchronized (st) {
            Checks.notNull(integration, "integration");
            return st.mailboxes.values().stream()
                    .filter(r -> r.integration.equals(integration))
                    .map(this::status)
                    .toList();
        }
    }

    @Override
    public void setEnabled(Mailbox mailbox, boolean enabled) {
        synchronized (st) {
            Row r = row(mailbox);
            if (enabled && !r.enabled) {
                r.nextSyncAt = Instant.EPOCH;
            }
            r.enabled = enabled;
        }
    }

    @Override
    public void markDisconnected(Mailbox mailbox, String reason, String relinkUrl, Instant at) {
        synchronized (st) {
            Row r = row(mailbox);
            r.connected = false;
            r.lastError = reason;
            r.lastErrorAt = at;
            r.relinkUrl = relinkUrl;
        }
    }

    @Override
    public void markConnected(Mailbox mailbox) {
        synchronized (st) {
            Row r = row(mailbox);
            r.connected = true;
            r.relinkUrl = null;
            r.failures = 0;
            r.nextSyncAt = Instant.EPOCH;
        }
    }

    @Override
    public void recordSuccess(Mailbox mailbox, Instant at, Instant nextSyncAt) {
        synchronized (st) {
            Row r = row(mailbox);
            r.lastSyncAt = at;
            r.lastError = null;
            r.lastErrorAt = null;
            r.failures = 0;
            r.nextSyncAt = r.syncRequested ? Instant.EPOCH : nextSyncAt; // a request during the pass: due again
        }
    }

    @Override
    public void recordSuccessWithProblem(Mailbox mailbox, Instant at, Instant nextSyncAt, String problem) {
        synchronized (st) {
            recordSuccess(mailbox, at, nextSyncAt);
            Row r = row(mailbox);
            r.lastError = problem;
            r.lastErrorAt = at;
        }
    }

    @Override
    public void recordError(Mailbox mailbox, String error, Instant at, Instant nextSyncAt) {
        synchronized (st) {
            Row r = row(mailbox);
            r.lastError = error;
            r.lastErrorAt = at;
            r.failures++;
            r.nextSyncAt = nextSyncAt;
        }
    }

    @Override
    public void requestSync(Mailbox mailbox) {
        synchronized (st) {
            request(row(mailbox));
        }
    }

    /** Due at once, except during an error backoff, whose retry then serves the request. */
    private static void request(Row r) {
        r.syncRequested = true;
        if (r.failures == 0) {
            r.nextSyncAt = Instant.EPOCH;
        }
    }

    @Override
    public List<Mailbox> dueMailboxes(Instant now, int limit) {
        return dueMailboxRefs(now, limit).stream().map(MailboxRef::mailbox).toList();
    }

    @Override
    public List<MailboxRef> dueMailboxRefs(Instant now, int limit) {
        synchronized (st) {
            List<Row> due = new ArrayList<>();
            for (Row r : st.mailboxes.values()) {
                Integration i = st.integrations.get(r.integration);
                boolean leased = r.leaseOwner != null && r.leaseUntil.isAfter(now);
                if (r.enabled
                        && r.connected
                        && i != null
                        && i.isActive()
                        && !leased
                        && (!r.nextSyncAt.isAfter(now) || r.failures == 0 && hasDueOutbox(r.key, now))) {
                    due.add(r);
                }
            }
            due.sort(Comparator.comparing((Row r) -> r.nextSyncAt).thenComparing(r -> r.key));
            return due.stream()
                    .limit(limit)
                    .map(r -> MailboxRef.of(r.integration, r.mailbox))
                    .toList();
        }
    }

    @Override
    public SyncBacklog backlog(Instant now) {
        synchronized (st) {
            Checks.notNull(now, "now");
            long due = 0;
            long requested = 0;
            long running = 0;
            Instant oldest = null;
            for (Row r : st.mailboxes.values()) {
                Integration i = st.integrations.get(r.integration);
                boolean leased = r.leaseOwner != null && r.leaseUntil.isAfter(now);
                if (leased) {
                    running++;
                    continue;
                }
                if (r.enabled
                        && r.connected
                        && i != null
                        && i.isActive()
                        && (!r.nextSyncAt.isAfter(now) || r.failures == 0 && hasDueOutbox(r.key, now))) {
                    due++;
                    if (r.syncRequested) {
                        requested++;
                    }
                    if (r.nextSyncAt.isAfter(Instant.EPOCH)
                            && !r.nextSyncAt.isAfter(now)
                            && (oldest == null || r.nextSyncAt.isBefore(oldest))) {
                        oldest = r.nextSyncAt;
                    }
                }
            }
            long depth = st.outbox.values().stream().filter(e -> !e.failed()).count();
            long failed = st.outbox.size() - depth;
            return new SyncBacklog(
                    due,
                    requested,
                    running,
                    oldest == null ? Duration.ZERO : Duration.between(oldest, now),
                    depth,
                    failed);
        }
    }

    private boolean hasDueOutbox(String mk, Instant now) {
        return st.outbox.values().stream()
                .anyMatch(e -> !e.failed()
                        && ofMailbox(e, mk)
                        && (e.nextAttemptAt() == null || !e.nextAttemptAt().isAfter(now)));
    }

    @Override
    public Optional<MailboxLease> acquireLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        synchronized (st) {
            Checks.notBlank(owner, "owner");
            Checks.notNull(now, "now");
            Checks.notNull(ttl, "ttl");
            Row r = st.mailboxes.get(key(mailbox));
            if (r == null) {
                return Optional.empty(); // removed meanwhile: nothing to sync
            }
            if (r.leaseOwner == null || !r.leaseUntil.isAfter(now)) {
                r.leaseOwner = owner;
                r.leaseUntil = now.plus(ttl);
                r.leaseGeneration++;
                r.syncRequested = false;
                return Optional.of(new MailboxLease(r.mailbox, owner, r.leaseGeneration, r.integration));
            }
            return Optional.empty();
        }
    }

    @Override
    public int seizeLeases(String integration, String owner, Instant now, Duration ttl) {
        synchronized (st) {
            Checks.notNull(integration, "integration");
            Checks.notBlank(owner, "owner");
            int n = 0;
            for (Row r : st.mailboxes.values()) {
                if (r.integration.equals(integration)) {
                    r.leaseOwner = owner;
                    r.leaseUntil = Checks.notNull(now, "now").plus(Checks.notNull(ttl, "ttl"));
                    r.leaseGeneration++;
                    n++;
                }
            }
            return n;
        }
    }

    @Override
    public Optional<MailboxLease> seizeLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        synchronized (st) {
            Checks.notBlank(owner, "owner");
            Row r = st.mailboxes.get(key(mailbox));
            if (r == null) {
                return Optional.empty();
            }
            r.leaseOwner = owner;
            r.leaseUntil = Checks.notNull(now, "now").plus(Checks.notNull(ttl, "ttl"));
            r.leaseGeneration++;
            return Optional.of(new MailboxLease(r.mailbox, owner, r.leaseGeneration, r.integration));
        }
    }

    private Row holder(MailboxLease lease) {
        Checks.notNull(lease, "lease");
        Row r = st.mailboxes.get(
                lease.integration() != null ? mkey(lease.integration(), lease.mailbox()) : key(lease.mailbox()));
        return r != null && lease.owner().equals(r.leaseOwner) && lease.generation() == r.leaseGeneration ? r : null;
    }

    @Override
    public boolean renewLease(MailboxLease lease, Instant now, Duration ttl) {
        synchronized (st) {
            Row r = holder(lease);
            if (r == null) {
                return false;
            }
            r.leaseUntil = Checks.notNull(now, "now").plus(Checks.notNull(ttl, "ttl"));
            return true;
        }
    }

    @Override
    public boolean holdsLease(MailboxLease lease) {
        synchronized (st) {
            return holder(lease) != null;
        }
    }

    @Override
    public void releaseLease(MailboxLease lease) {
        synchronized (st) {
            Row r = holder(lease);
            if (r != null) {
                r.leaseOwner = null;
                r.leaseUntil = null;
            }
        }
    }

    private String calKey(CalendarRef c) {
        return key(c.mailbox()) + "\n" + c.id();
    }

    @Override
    public SyncCursor cursor(CalendarRef calendar) {
        synchronized (st) {
            return st.cursors.getOrDefault(calKey(Checks.notNull(calendar, "calendar")), SyncCursor.START);
        }
    }

    @Override
    public void saveCursor(CalendarRef calendar, SyncCursor cursor) {
        synchronized (st) {
            row(calendar.mailbox());
            st.cursors.put(calKey(calendar), Checks.notNull(cursor, "cursor"));
        }
    }

    @Override
    public Optional<Subscription> subscription(CalendarRef calendar) {
        synchronized (st) {
            return Optional.ofNullable(st.subscriptions.get(calKey(Checks.notNull(calendar, "calendar"))));
        }
    }

    @Override
    public List<Subscription> subscriptions(Mailbox mailbox) {
        synchronized (st) {
            String prefix = key(mailbox) + "\n";
            return st.subscriptions.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix))
                    .map(Map.Entry::getValue)
                    .toList();
        }
    }

    @Override
    public Optional<Subscription> subscriptionById(String integration, String subscriptionId) {
        synchronized (st) {
            Checks.notNull(integration, "integration");
            Checks.notNull(subscriptionId, "subscriptionId");
            return st.subscriptions.values().stream()
                    .filter(sub -> sub.id().equals(subscriptionId))
                    .filter(sub -> {
                        return st.mailboxes.containsKey(
                                        mkey(integration, sub.calendar().mailbox()))
                                && st.subscriptions.get(
                                                mkey(integration, sub.calendar().mailbox()) + "\n"
                                                        + sub.calendar().id())
                                        == sub;
                    })
                    .findFirst();
        }
    }

    @Override
    public void saveSubscription(Subscription subscription) {
        synchronized (st) {
            Checks.notNull(subscription, "subscription");
            row(subscription.calendar().mailbox());
            st.subscriptions.put(calKey(subscription.calendar()), subscription);
        }
    }

    @Override
    public void endSubscription(CalendarRef calendar, String subscriptionId) {
        synchronized (st) {
            String k = calKey(Checks.notNull(calendar, "calendar"));
            Subscription sub = st.subscriptions.get(k);
            if (sub != null && (subscriptionId == null || sub.id().equals(subscriptionId))) {
                st.subscriptions.put(
                        k,
                        new Subscription(sub.id(), sub.calendar(), sub.resourceId(), Instant.EPOCH, sub.clientState()));
            }
        }
    }

    /** Under the store's lock: the expiry only ever comes forward, and only on the subscription with that id. */
    @Override
    public void requestRenewal(CalendarRef calendar, String subscriptionId, Instant renewBy) {
        synchronized (st) {
            Checks.notNull(renewBy, "renewBy");
            String k = calKey(Checks.notNull(calendar, "calendar"));
            Subscription sub = st.subscriptions.get(k);
            if (sub != null
                    && (subscriptionId == null || sub.id().equals(subscriptionId))
                    && sub.expiresAt().isAfter(renewBy)) {
                st.subscriptions.put(
                        k, new Subscription(sub.id(), sub.calendar(), sub.resourceId(), renewBy, sub.clientState()));
            }
        }
    }

    @Override
    public void deleteSubscription(CalendarRef calendar) {
        synchronized (st) {
            st.subscriptions.remove(calKey(Checks.notNull(calendar, "calendar")));
        }
    }

    @Override
    public Optional<EventMapping> mappingByKey(CalendarRef calendar, EventKey key) {
        synchronized (st) {
            Checks.notNull(key, "key");
            String id = st.keys.getOrDefault(calKey(calendar), Map.of()).get(key);
            return id == null ? Optional.empty() : mappingByEventId(calendar, id);
        }
    }

    @Override
    public Optional<EventMapping> mappingByEventId(CalendarRef calendar, String eventId) {
        synchronized (st) {
            Checks.notNull(eventId, "eventId");
            return Optional.ofNullable(
                    st.mappings.getOrDefault(calKey(calendar), Map.of()).get(eventId));
        }
    }

    @Override
    public List<EventMapping> mappings(CalendarRef calendar) {
        synchronized (st) {
            return List.copyOf(
                    st.mappings.getOrDefault(calKey(calendar), Map.of()).values());
        }
    }

    @Override
    public List<EventMapping> appMappings(String integration) {
        synchronized (st) {
            List<EventMapping> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, EventMapping>> cal : st.mappings.entrySet()) {
                String k = cal.getKey();
                Row r = st.mailboxes.get(k.substring(0, k.indexOf('\n', k.indexOf('\n') + 1)));
                for (EventMapping m : cal.getValue().values()) {
                    if (m.isAppEvent() && r != null && r.integration.equals(integration)) {
                        out.add(m);
                    }
                }
            }
            return out;
        }
    }

    @Override
    public void saveMapping(EventMapping mapping) {
        synchronized (st) {
            Checks.notNull(mapping, "mapping");
            row(mapping.calendar().mailbox());
            String ck = calKey(mapping.calendar());
            Map<String, EventMapping> cal = st.mappings.computeIfAbsent(ck, k -> new LinkedHashMap<>());
            Map<EventKey, String> calKeys = st.keys.computeIfAbsent(ck, k -> new HashMap<>());
            EventMapping old = cal.get(mapping.eventId());
            if (old != null && old.key() != null) {
                calKeys.remove(old.key());
            }
            if (mapping.key() != null) {
                String previous = calKeys.put(mapping.key(), mapping.eventId());
                if (previous != null && !previous.equals(mapping.eventId())) {
                    cal.remove(previous); // one mapping per key
                }
            }
            cal.put(mapping.eventId(), mapping);
            st.pendingWrites.getOrDefault(ck, new HashMap<>()).remove(mapping.eventId());
        }
    }

    @Override
    public void deleteMapping(CalendarRef calendar, String eventId) {
        synchronized (st) {
            Checks.notNull(eventId, "eventId");
            String ck = calKey(calendar);
            EventMapping old = st.mappings.getOrDefault(ck, new HashMap<>()).remove(eventId);
            st.pendingWrites.getOrDefault(ck, new HashMap<>()).remove(eventId);
            if (old != null && old.key() != null) {
                st.keys.getOrDefault(ck, new HashMap<>()).remove(old.key(), eventId);
            }
        }
    }

    /** Kept beside the event's mapping; dropped when the mapping is saved again or deleted. */
    @Override
    public Optional<PendingWrite> pendingWrite(CalendarRef calendar, String eventId) {
        synchronized (st) {
            Checks.notNull(eventId, "eventId");
            return Optional.ofNullable(
                    st.pendingWrites.getOrDefault(calKey(calendar), Map.of()).get(eventId));
        }
    }

    /**
     * Kept beside the event's mapping; refused with {@link NotFoundException} when the event has no mapping.
     */
    @Override
    public void savePendingWrite(PendingWrite pending) {
        synchronized (st) {
            Checks.notNull(pending, "pending");
            String ck = calKey(pending.calendar());
            if (!st.mappings.getOrDefault(ck, Map.of()).containsKey(pending.eventId())) {
                throw new NotFoundException(
                        "sync store: no mapping of event " + pending.eventId() + " to record a write to",
                        ErrorContext.NONE);
            }
            st.pendingWrites.computeIfAbsent(ck, k -> new HashMap<>()).put(pending.eventId(), pending);
        }
    }

    /** The mapping save and the outbox removal under the store's lock: one atomic step. */
    @Override
    public void completePush(long outboxId, EventMapping mapping) {
        synchronized (st) {
            if (mapping != null) {
                saveMapping(mapping);
            }
            completeOutbox(outboxId);
        }
    }

    /** Under the store's lock: one atomic step. */
    @Override
    public void writePage(PageWrites page) {
        synchronized (st) {
            Checks.notNull(page, "page");
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
    }

    @Override
    public long enqueue(OutboxEntry entry) {
        synchronized (st) {
            Checks.notNull(entry, "entry");
            Row r = row(entry.calendar().mailbox());
            request(r); // an app push: due at once, ahead of routine polls
            st.outbox
                    .values()
                    .removeIf(e -> !e.failed()
                            && ofMailbox(e, r.key)
                            && e.calendar().equals(entry.calendar())
                            && e.key().equals(entry.key()));
            long id = st.nextOutboxId++;
            st.outbox.put(id, entry.withId(id).withAttempt(0, null, null, false));
            st.outboxMailbox.put(id, r.key);
            return id;
        }
    }

    @Override
    public List<OutboxEntry> dueOutbox(Mailbox mailbox, Instant now, int limit) {
        synchronized (st) {
            String mk = key(mailbox);
            return st.outbox.values().stream()
                    .filter(e -> !e.failed()
                            && ofMailbox(e, mk)
                            && (e.nextAttemptAt() == null || !e.nextAttemptAt().isAfter(now)))
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public List<OutboxEntry> outbox(Mailbox mailbox) {
        synchronized (st) {
            String mk = key(mailbox);
            return st.outbox.values().stream().filter(e -> ofMailbox(e, mk)).toList();
        }
    }

    @Override
    public void completeOutbox(long id) {
        synchronized (st) {
            st.outbox.remove(id);
            st.outboxMailbox.remove(id);
        }
    }

    @Override
    public void retryOutbox(long id, int attempts, Instant nextAttemptAt, String error) {
        synchronized (st) {
            OutboxEntry e = st.outbox.get(id);
            if (e != null) {
                st.outbox.put(id, e.withAttempt(attempts, nextAttemptAt, error, false));
            }
        }
    }

    @Override
    public void failOutbox(long id, String error) {
        synchronized (st) {
            OutboxEntry e = st.outbox.get(id);
            if (e != null) {
                st.outbox.put(id, e.withAttempt(e.attempts(), e.nextAttemptAt(), error, true));
            }
        }
    }

    @Override
    public int requeueFailedOutbox(Mailbox mailbox) {
        synchronized (st) {
            Row r = row(mailbox);
            int n = 0;
            for (OutboxEntry e : List.copyOf(st.outbox.values())) {
                if (!e.failed() || !ofMailbox(e, r.key)) {
                    continue;
                }
                boolean superseded = st.outbox.values().stream()
                        .anyMatch(p -> !p.failed()
                                && ofMailbox(p, r.key)
                                && p.calendar().equals(e.calendar())
                                && p.key().equals(e.key()));
                if (superseded) {
                    st.outbox.remove(e.id());
                    st.outboxMailbox.remove(e.id());
                } else {
                    st.outbox.put(e.id(), e.withAttempt(0, null, null, false));
                    n++;
                }
            }
            if (n > 0) {
                request(r);
            }
            return n;
        }
    }

    @Override
    public int purgeFailedOutbox(Mailbox mailbox) {
        synchronized (st) {
            Row r = row(mailbox);
            int before = st.outbox.size();
            st.outbox.values().removeIf(e -> e.failed() && ofMailbox(e, r.key));
            st.outboxMailbox.keySet().retainAll(st.outbox.keySet());
            return before - st.outbox.size();
        }
    }

    @Override
    public void resetCursors(Mailbox mailbox) {
        synchronized (st) {
            Row r = row(mailbox);
            st.cursors.keySet().removeIf(k -> k.startsWith(r.key + "\n"));
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
