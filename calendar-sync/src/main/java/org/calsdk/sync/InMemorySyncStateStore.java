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

import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;

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
    private final Map<String, Integration> integrations = new TreeMap<>();
    private final Map<String, Row> mailboxes = new TreeMap<>();
    private final Map<String, SyncCursor> cursors = new HashMap<>();
    private final Map<String, Subscription> subscriptions = new TreeMap<>();
    /** calendar key → event id → mapping. */
    private final Map<String, Map<String, EventMapping>> mappings = new HashMap<>();
    /** calendar key → host key → event id (app events only). */
    private final Map<String, Map<EventKey, String>> keys = new HashMap<>();
    private final Map<Long, OutboxEntry> outbox = new TreeMap<>();
    private long nextOutboxId = 1;

    private static final class Row {
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
    public synchronized void saveIntegration(Integration integration) {
        Checks.notNull(integration, "integration");
        integrations.put(integration.name(), integration);
    }

    @Override
    public synchronized Optional<Integration> integration(String name) {
        return Optional.ofNullable(integrations.get(Checks.notNull(name, "name")));
    }

    @Override
    public synchronized List<Integration> integrations() {
        return List.copyOf(integrations.values());
    }

    @Override
    public synchronized void deleteIntegration(String name) {
        Checks.notNull(name, "name");
        for (Row r : List.copyOf(mailboxes.values())) {
            if (r.integration.equals(name)) {
                removeMailbox(r.mailbox);
            }
        }
        integrations.remove(name);
    }

    @Override
    public synchronized void addMailbox(String integration, Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        if (!integrations.containsKey(Checks.notNull(integration, "integration"))) {
            throw new NotFoundException("no integration '" + integration + "'; save it first", ErrorContext.NONE);
        }
        Row existing = mailboxes.get(mailbox.normalized());
        if (existing != null) {
            if (!existing.integration.equals(integration)) {
                throw new ConflictException("mailbox " + mailbox + " already belongs to integration '"
                        + existing.integration + "'", ErrorContext.NONE.withMailbox(mailbox));
            }
            return;
        }
        Row r = new Row();
        r.mailbox = mailbox;
        r.integration = integration;
        mailboxes.put(mailbox.normalized(), r);
    }

    @Override
    public synchronized void removeMailbox(Mailbox mailbox) {
        String n = Checks.notNull(mailbox, "mailbox").normalized();
        mailboxes.remove(n);
        cursors.keySet().removeIf(k -> k.startsWith(n + "\n"));
        subscriptions.keySet().removeIf(k -> k.startsWith(n + "\n"));
        mappings.keySet().removeIf(k -> k.startsWith(n + "\n"));
        keys.keySet().removeIf(k -> k.startsWith(n + "\n"));
        outbox.values().removeIf(e -> e.calendar().mailbox().equals(mailbox));
    }

    private Row row(Mailbox mailbox) {
        Row r = mailboxes.get(Checks.notNull(mailbox, "mailbox").normalized());
        if (r == null) {
            throw new NotFoundException("mailbox " + mailbox + " is not connected to any integration",
                    ErrorContext.NONE.withMailbox(mailbox));
        }
        return r;
    }

    private MailboxStatus status(Row r) {
        int pending = (int) outbox.values().stream()
                .filter(e -> !e.failed() && e.calendar().mailbox().equals(r.mailbox)).count();
        return new MailboxStatus(r.mailbox, r.integration, r.enabled, r.connected, r.lastSyncAt, r.lastError,
                r.lastErrorAt, r.relinkUrl, pending, r.failures, r.nextSyncAt);
    }

    @Override
    public synchronized Optional<MailboxStatus> mailbox(Mailbox mailbox) {
        Row r = mailboxes.get(Checks.notNull(mailbox, "mailbox").normalized());
        return r == null ? Optional.empty() : Optional.of(status(r));
    }

    @Override
    public synchronized List<MailboxStatus> mailboxes() {
        return mailboxes.values().stream().map(this::status).toList();
    }

    @Override
    public synchronized List<MailboxStatus> mailboxes(String integration) {
        Checks.notNull(integration, "integration");
        return mailboxes.values().stream().filter(r -> r.integration.equals(integration)).map(this::status).toList();
    }

    @Override
    public synchronized void setEnabled(Mailbox mailbox, boolean enabled) {
        Row r = row(mailbox);
        if (enabled && !r.enabled) {
            r.nextSyncAt = Instant.EPOCH;
        }
        r.enabled = enabled;
    }

    @Override
    public synchronized void markDisconnected(Mailbox mailbox, String reason, String relinkUrl, Instant at) {
        Row r = row(mailbox);
        r.connected = false;
        r.lastError = reason;
        r.lastErrorAt = at;
        r.relinkUrl = relinkUrl;
    }

    @Override
    public synchronized void markConnected(Mailbox mailbox) {
        Row r = row(mailbox);
        r.connected = true;
        r.relinkUrl = null;
        r.failures = 0;
        r.nextSyncAt = Instant.EPOCH;
    }

    @Override
    public synchronized void recordSuccess(Mailbox mailbox, Instant at, Instant nextSyncAt) {
        Row r = row(mailbox);
        r.lastSyncAt = at;
        r.lastError = null;
        r.lastErrorAt = null;
        r.failures = 0;
        r.nextSyncAt = r.syncRequested ? Instant.EPOCH : nextSyncAt; // a request during the pass: due again
    }

    @Override
    public synchronized void recordSuccessWithProblem(Mailbox mailbox, Instant at, Instant nextSyncAt, String problem) {
        recordSuccess(mailbox, at, nextSyncAt);
        Row r = row(mailbox);
        r.lastError = problem;
        r.lastErrorAt = at;
    }

    @Override
    public synchronized void recordError(Mailbox mailbox, String error, Instant at, Instant nextSyncAt) {
        Row r = row(mailbox);
        r.lastError = error;
        r.lastErrorAt = at;
        r.failures++;
        r.nextSyncAt = nextSyncAt;
    }

    @Override
    public synchronized void requestSync(Mailbox mailbox) {
        request(row(mailbox));
    }

    /** Due at once, except during an error backoff, whose retry then serves the request. */
    private static void request(Row r) {
        r.syncRequested = true;
        if (r.failures == 0) {
            r.nextSyncAt = Instant.EPOCH;
        }
    }

    @Override
    public synchronized List<Mailbox> dueMailboxes(Instant now, int limit) {
        List<Row> due = new ArrayList<>();
        for (Row r : mailboxes.values()) {
            Integration i = integrations.get(r.integration);
            boolean leased = r.leaseOwner != null && r.leaseUntil.isAfter(now);
            if (r.enabled && r.connected && i != null && i.isActive() && !leased
                    && (!r.nextSyncAt.isAfter(now) || r.failures == 0 && hasDueOutbox(r.mailbox, now))) {
                due.add(r);
            }
        }
        due.sort(Comparator.comparing((Row r) -> r.nextSyncAt).thenComparing(r -> r.mailbox));
        return due.stream().limit(limit).map(r -> r.mailbox).toList();
    }

    @Override
    public synchronized SyncBacklog backlog(Instant now) {
        Checks.notNull(now, "now");
        long due = 0;
        long requested = 0;
        long running = 0;
        Instant oldest = null;
        for (Row r : mailboxes.values()) {
            Integration i = integrations.get(r.integration);
            boolean leased = r.leaseOwner != null && r.leaseUntil.isAfter(now);
            if (leased) {
                running++;
                continue;
            }
            if (r.enabled && r.connected && i != null && i.isActive()
                    && (!r.nextSyncAt.isAfter(now) || r.failures == 0 && hasDueOutbox(r.mailbox, now))) {
                due++;
                if (r.syncRequested) {
                    requested++;
                }
                if (r.nextSyncAt.isAfter(Instant.EPOCH) && !r.nextSyncAt.isAfter(now)
                        && (oldest == null || r.nextSyncAt.isBefore(oldest))) {
                    oldest = r.nextSyncAt;
                }
            }
        }
        long depth = outbox.values().stream().filter(e -> !e.failed()).count();
        long failed = outbox.size() - depth;
        return new SyncBacklog(due, requested, running, oldest == null ? Duration.ZERO : Duration.between(oldest, now),
                depth, failed);
    }

    private boolean hasDueOutbox(Mailbox mailbox, Instant now) {
        return outbox.values().stream().anyMatch(e -> !e.failed() && e.calendar().mailbox().equals(mailbox)
                && (e.nextAttemptAt() == null || !e.nextAttemptAt().isAfter(now)));
    }

    @Override
    public synchronized Optional<MailboxLease> acquireLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        Checks.notBlank(owner, "owner");
        Checks.notNull(now, "now");
        Checks.notNull(ttl, "ttl");
        Row r = mailboxes.get(Checks.notNull(mailbox, "mailbox").normalized());
        if (r == null) {
            return Optional.empty(); // removed meanwhile: nothing to sync
        }
        if (r.leaseOwner == null || !r.leaseUntil.isAfter(now)) {
            r.leaseOwner = owner;
            r.leaseUntil = now.plus(ttl);
            r.leaseGeneration++;
            r.syncRequested = false;
            return Optional.of(new MailboxLease(r.mailbox, owner, r.leaseGeneration));
        }
        return Optional.empty();
    }

    @Override
    public synchronized int seizeLeases(String integration, String owner, Instant now, Duration ttl) {
        Checks.notNull(integration, "integration");
        Checks.notBlank(owner, "owner");
        int n = 0;
        for (Row r : mailboxes.values()) {
            if (r.integration.equals(integration)) {
                r.leaseOwner = owner;
                r.leaseUntil = Checks.notNull(now, "now").plus(Checks.notNull(ttl, "ttl"));
                r.leaseGeneration++;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized Optional<MailboxLease> seizeLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        Checks.notBlank(owner, "owner");
        Row r = mailboxes.get(Checks.notNull(mailbox, "mailbox").normalized());
        if (r == null) {
            return Optional.empty();
        }
        r.leaseOwner = owner;
        r.leaseUntil = Checks.notNull(now, "now").plus(Checks.notNull(ttl, "ttl"));
        r.leaseGeneration++;
        return Optional.of(new MailboxLease(r.mailbox, owner, r.leaseGeneration));
    }

    private Row holder(MailboxLease lease) {
        Row r = mailboxes.get(Checks.notNull(lease, "lease").mailbox().normalized());
        return r != null && lease.owner().equals(r.leaseOwner) && lease.generation() == r.leaseGeneration ? r : null;
    }

    @Override
    public synchronized boolean renewLease(MailboxLease lease, Instant now, Duration ttl) {
        Row r = holder(lease);
        if (r == null) {
            return false;
        }
        r.leaseUntil = Checks.notNull(now, "now").plus(Checks.notNull(ttl, "ttl"));
        return true;
    }

    @Override
    public synchronized boolean holdsLease(MailboxLease lease) {
        return holder(lease) != null;
    }

    @Override
    public synchronized void releaseLease(MailboxLease lease) {
        Row r = holder(lease);
        if (r != null) {
            r.leaseOwner = null;
            r.leaseUntil = null;
        }
    }

    private static String calKey(CalendarRef c) {
        return c.mailbox().normalized() + "\n" + c.id();
    }

    @Override
    public synchronized SyncCursor cursor(CalendarRef calendar) {
        return cursors.getOrDefault(calKey(Checks.notNull(calendar, "calendar")), SyncCursor.START);
    }

    @Override
    public synchronized void saveCursor(CalendarRef calendar, SyncCursor cursor) {
        row(calendar.mailbox());
        cursors.put(calKey(calendar), Checks.notNull(cursor, "cursor"));
    }

    @Override
    public synchronized Optional<Subscription> subscription(CalendarRef calendar) {
        return Optional.ofNullable(subscriptions.get(calKey(Checks.notNull(calendar, "calendar"))));
    }

    @Override
    public synchronized List<Subscription> subscriptions(Mailbox mailbox) {
        String prefix = Checks.notNull(mailbox, "mailbox").normalized() + "\n";
        return subscriptions.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).toList();
    }

    @Override
    public synchronized Optional<Subscription> subscriptionById(String integration, String subscriptionId) {
        Checks.notNull(integration, "integration");
        Checks.notNull(subscriptionId, "subscriptionId");
        return subscriptions.values().stream().filter(sub -> sub.id().equals(subscriptionId)).filter(sub -> {
            Row r = mailboxes.get(sub.calendar().mailbox().normalized());
            return r != null && r.integration.equals(integration);
        }).findFirst();
    }

    @Override
    public synchronized void saveSubscription(Subscription subscription) {
        Checks.notNull(subscription, "subscription");
        row(subscription.calendar().mailbox());
        subscriptions.put(calKey(subscription.calendar()), subscription);
    }

    @Override
    public synchronized void endSubscription(CalendarRef calendar, String subscriptionId) {
        String k = calKey(Checks.notNull(calendar, "calendar"));
        Subscription sub = subscriptions.get(k);
        if (sub != null && (subscriptionId == null || sub.id().equals(subscriptionId))) {
            subscriptions.put(k, new Subscription(sub.id(), sub.calendar(), sub.resourceId(), Instant.EPOCH,
                    sub.clientState()));
        }
    }

    @Override
    public synchronized void deleteSubscription(CalendarRef calendar) {
        subscriptions.remove(calKey(Checks.notNull(calendar, "calendar")));
    }

    @Override
    public synchronized Optional<EventMapping> mappingByKey(CalendarRef calendar, EventKey key) {
        Checks.notNull(key, "key");
        String id = keys.getOrDefault(calKey(calendar), Map.of()).get(key);
        return id == null ? Optional.empty() : mappingByEventId(calendar, id);
    }

    @Override
    public synchronized Optional<EventMapping> mappingByEventId(CalendarRef calendar, String eventId) {
        Checks.notNull(eventId, "eventId");
        return Optional.ofNullable(mappings.getOrDefault(calKey(calendar), Map.of()).get(eventId));
    }

    @Override
    public synchronized List<EventMapping> mappings(CalendarRef calendar) {
        return List.copyOf(mappings.getOrDefault(calKey(calendar), Map.of()).values());
    }

    @Override
    public synchronized List<EventMapping> appMappings(String integration) {
        List<EventMapping> out = new ArrayList<>();
        for (Map<String, EventMapping> cal : mappings.values()) {
            for (EventMapping m : cal.values()) {
                Row r = mailboxes.get(m.calendar().mailbox().normalized());
                if (m.isAppEvent() && r != null && r.integration.equals(integration)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void saveMapping(EventMapping mapping) {
        Checks.notNull(mapping, "mapping");
        row(mapping.calendar().mailbox());
        String ck = calKey(mapping.calendar());
        Map<String, EventMapping> cal = mappings.computeIfAbsent(ck, k -> new LinkedHashMap<>());
        Map<EventKey, String> calKeys = keys.computeIfAbsent(ck, k -> new HashMap<>());
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
    }

    @Override
    public synchronized void deleteMapping(CalendarRef calendar, String eventId) {
        Checks.notNull(eventId, "eventId");
        String ck = calKey(calendar);
        EventMapping old = mappings.getOrDefault(ck, new HashMap<>()).remove(eventId);
        if (old != null && old.key() != null) {
            keys.getOrDefault(ck, new HashMap<>()).remove(old.key(), eventId);
        }
    }

    @Override
    public synchronized long enqueue(OutboxEntry entry) {
        Checks.notNull(entry, "entry");
        request(row(entry.calendar().mailbox())); // an app push: due at once, ahead of routine polls
        outbox.values().removeIf(e -> !e.failed() && e.calendar().equals(entry.calendar()) && e.key().equals(entry.key()));
        long id = nextOutboxId++;
        outbox.put(id, entry.withId(id).withAttempt(0, null, null, false));
        return id;
    }

    @Override
    public synchronized List<OutboxEntry> dueOutbox(Mailbox mailbox, Instant now, int limit) {
        return outbox.values().stream()
                .filter(e -> !e.failed() && e.calendar().mailbox().equals(mailbox)
                        && (e.nextAttemptAt() == null || !e.nextAttemptAt().isAfter(now)))
                .limit(limit).toList();
    }

    @Override
    public synchronized List<OutboxEntry> outbox(Mailbox mailbox) {
        return outbox.values().stream().filter(e -> e.calendar().mailbox().equals(mailbox)).toList();
    }

    @Override
    public synchronized void completeOutbox(long id) {
        outbox.remove(id);
    }

    @Override
    public synchronized void retryOutbox(long id, int attempts, Instant nextAttemptAt, String error) {
        OutboxEntry e = outbox.get(id);
        if (e != null) {
            outbox.put(id, e.withAttempt(attempts, nextAttemptAt, error, false));
        }
    }

    @Override
    public synchronized void failOutbox(long id, String error) {
        OutboxEntry e = outbox.get(id);
        if (e != null) {
            outbox.put(id, e.withAttempt(e.attempts(), e.nextAttemptAt(), error, true));
        }
    }

    @Override
    public synchronized int requeueFailedOutbox(Mailbox mailbox) {
        Row r = row(mailbox);
        int n = 0;
        for (OutboxEntry e : List.copyOf(outbox.values())) {
            if (!e.failed() || !e.calendar().mailbox().equals(r.mailbox)) {
                continue;
            }
            boolean superseded = outbox.values().stream().anyMatch(p -> !p.failed() && p.calendar().equals(e.calendar())
                    && p.key().equals(e.key()));
            if (superseded) {
                outbox.remove(e.id());
            } else {
                outbox.put(e.id(), e.withAttempt(0, null, null, false));
                n++;
            }
        }
        if (n > 0) {
            request(r);
        }
        return n;
    }

    @Override
    public synchronized int purgeFailedOutbox(Mailbox mailbox) {
        Row r = row(mailbox);
        int before = outbox.size();
        outbox.values().removeIf(e -> e.failed() && e.calendar().mailbox().equals(r.mailbox));
        return before - outbox.size();
    }

    @Override
    public synchronized void resetCursors(Mailbox mailbox) {
        Row r = row(mailbox);
        cursors.keySet().removeIf(k -> k.startsWith(r.mailbox.normalized() + "\n"));
    }

    @Override
    public void close() {
        // nothing to release
    }
}
