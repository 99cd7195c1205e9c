package org.calsdk.sync;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.internal.Batches;
import org.calsdk.sync.internal.ClaimLoop;
import org.calsdk.sync.internal.EngineSettings;
import org.calsdk.sync.internal.MailboxSync;
import org.calsdk.sync.internal.PushSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-way sync between the host application and its users' calendars, for any provider behind the SPI.
 *
 * <ul>
 *   <li><b>Outbound:</b> the host records changes of its own events in the store's outbox
 *   ({@link #enqueue}); the engine pushes them with the provider's idempotent writes, retrying with
 *   backoff, and never creates one {@link org.calsdk.model.EventKey} twice.</li>
 *   <li><b>Inbound:</b> per mailbox it reads each calendar's {@link org.calsdk.api.ChangeFeed} from the
 *   stored cursor and tells the {@link SyncListener} about external events, and about calendar-side edits
 *   of the app's own events under the {@link FieldPolicy}. An expired cursor means a full read that still
 *   reports deletions.</li>
 *   <li><b>Triggers:</b> a schedule ({@link Builder#pollInterval}, default 5 minutes, jittered), push
 *   ({@link #syncNow}, {@link #onSignal}, {@link #handleWebhook}) and on demand ({@link #syncMailbox},
 *   {@link #runOnce}).</li>
 *   <li><b>Cluster:</b> engines sharing one database take per-mailbox leases that expire, so each mailbox is
 *   synced by one engine at a time and a dead engine's mailboxes are picked up. One engine on the embedded
 *   H2 store needs no configuration.</li>
 * </ul>
 *
 * <pre>{@code
 * SyncStateStore store = JdbcSyncStateStore.h2(dataDir);
 * try (SyncEngine engine = SyncEngine.builder()
 *         .store(store)
 *         .connections(SyncConnections.of(CalendarProviders.load(), configs))
 *         .listener(myListener)
 *         .build()) {
 *     engine.addMailbox("team", Mailbox.of("alice@example.com"));
 *     engine.enqueue(OutboxEntry.upsert(CalendarRef.primary(alice), EventKey.of("booking-42"), event));
 *     engine.start();               // background schedule
 *     ...
 *     engine.handleWebhook("team", request);   // from the host's webhook endpoint
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class SyncEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    /** Most subscriptions one webhook request is looked up for (Graph sends far fewer per request). */
    private static final int MAX_WEBHOOK_IDS = 1000;

    private final EngineSettings settings;
    private final PushSupervisor push;
    private final int threads;
    private final Duration checkInterval;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean passRunning = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private ScheduledFuture<?> ticks;

    private SyncEngine(Builder b) {
        DoubleSupplier random = b.random == null ? new Random()::nextDouble : b.random::nextDouble;
        EngineSettings.PushSettings pushSettings = b.callbackUrl == null
                ? null
                : new EngineSettings.PushSettings(
                        b.callbackUrl, b.subscriptionTtl, b.renewMargin, b.pollIntervalWhilePushed);
        this.settings = new EngineSettings(
                Checks.notNull(b.store, "store"),
                Checks.notNull(b.connections, "connections"),
                b.listener,
                b.metrics,
                b.clock,
                random,
                b.nodeId,
                b.pollInterval,
                b.pollJitter,
                b.leaseTtl,
                b.pushBackoff,
                b.errorBackoff,
                b.fieldPolicy,
                b.calendars,
                b.outboxBatch,
                pushSettings,
                b.maxPassTime);
        this.push = new PushSupervisor(settings);
        this.threads = b.threads;
        this.checkInterval = b.checkInterval;
    }

    /**
     * A builder; {@link Builder#store} and {@link Builder#connections} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Syncs the mailbox's primary calendar only (the default).
     *
     * @return a selector of each mailbox's primary calendar
     */
    public static BiFunction<CalendarConnection, Mailbox, List<CalendarRef>> primaryCalendar() {
        return (c, m) -> List.of(CalendarRef.primary(m));
    }

    /**
     * Syncs every writable calendar the connection lists for the mailbox.
     *
     * @return a selector of every calendar the mailbox can write
     */
    public static BiFunction<CalendarConnection, Mailbox, List<CalendarRef>> allWritableCalendars() {
        return (c, m) -> c.reader().calendars(m).stream()
                .filter(i -> !i.readOnly())
                .map(CalendarInfo::ref)
                .toList();
    }

    /**
     * This engine's id in leases.
     *
     * @return this engine's node id
     */
    public String nodeId() {
        return settings.nodeId();
    }

    /**
     * The store this engine keeps its state in.
     *
     * @return the store
     */
    public SyncStateStore store() {
        return settings.store();
    }

    // ------------------------------------------------------------------ running

    /** Starts the background schedule: every few seconds, sync the mailboxes that are due. Idempotent. */
    public synchronized void start() {
        if (closed.get()) {
            throw new IllegalStateException("this sync engine is closed");
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "calsdk-sync-scheduler"));
        workers = Executors.newFixedThreadPool(threads, r -> daemon(r, "calsdk-sync-" + n.incrementAndGet()));
        ticks = scheduler.scheduleWithFixedDelay(this::tick, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void tick() {
        try {
            runPass(workers);
        } catch (RuntimeException e) {
            LOG.warn("sync pass failed: {}", e.toString());
        }
    }

    /**
     * Syncs every mailbox that is due now, in the calling thread (plus the worker pool once started), and
     * returns what happened. For the CLI's {@code --once}, tests, and hosts that run their own scheduler.
     *
     * @return what each mailbox pass did (mailboxes held by another engine left out)
     */
    public SyncReport runOnce() {
        return runPass(running.get() ? workers : null);
    }

    private SyncReport runPass(ExecutorService pool) {
        Instant started = settings.clock().instant();
        List<MailboxSyncResult> results = new ArrayList<>();
        if (!passRunning.compareAndSet(false, true)) {
            return new SyncReport(results, Duration.ZERO); // a pass is under way in this engine already
        }
        // one batch of connections per integration for the whole run: an organization connects once; mailboxes
        // are claimed from the store's due queue and their passes' ends written back in batches (ClaimLoop)
        try (Batches batches = new Batches(settings.connections())) {
            results.addAll(new ClaimLoop(settings, push, batches, pool, threads, closed::get).run());
        } finally {
            passRunning.set(false);
        }
        results.removeIf(r -> r.outcome() == MailboxSyncResult.Outcome.BUSY);
        return new SyncReport(
                results, Duration.between(started, settings.clock().instant()));
    }

    private MailboxSyncResult syncOne(String integration, Mailbox mailbox) {
        try (Batches batches = new Batches(settings.connections())) {
            return new MailboxSync(settings, integration, mailbox).via(batches).run(push);
        }
    }

    /**
     * The store, or its view of one integration's mailboxes ({@link SyncStateStore#inIntegration}) when
     * {@code integration} is given.
     */
    private SyncStateStore store(String integration) {
        return integration == null ? settings.store() : settings.store().inIntegration(integration);
    }

    /**
     * Syncs one mailbox now, in the calling thread, whether or not it is due: pushes its outbox, then pulls.
     * Returns {@link MailboxSyncResult.Outcome#BUSY} when another pass holds it (on another engine, or on this
     * one: two calls for one mailbox never run at once).
     *
     * @param mailbox the mailbox
     * @return what the pass did
     * @throws AmbiguousMailboxException the email is connected through several integrations: use
     *                                   {@link #syncMailbox(MailboxRef)}
     */
    public MailboxSyncResult syncMailbox(Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        requireMailbox(null, mailbox);
        return syncOne(null, mailbox);
    }

    /**
     * As {@link #syncMailbox(Mailbox)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @return what the pass did
     * @since 0.4
     */
    public MailboxSyncResult syncMailbox(MailboxRef mailbox) {
        Checks.notNull(mailbox, "mailbox");
        requireMailbox(mailbox.integration(), mailbox.mailbox());
        return syncOne(mailbox.integration(), mailbox.mailbox());
    }

    /**
     * Asks for a sync of {@code mailbox} as soon as possible, by whichever engine gets to it first: what a
     * webhook or streaming handler calls. Returns at once.
     *
     * @param mailbox the mailbox
     * @throws AmbiguousMailboxException the email is connected through several integrations: use
     *                                   {@link #syncNow(MailboxRef)}
     */
    public void syncNow(Mailbox mailbox) {
        settings.store().requestSync(Checks.notNull(mailbox, "mailbox"));
        wake();
    }

    /**
     * As {@link #syncNow(Mailbox)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @since 0.4
     */
    public void syncNow(MailboxRef mailbox) {
        Checks.notNull(mailbox, "mailbox");
        store(mailbox.integration()).requestSync(mailbox.mailbox());
        wake();
    }

    private void wake() {
        ScheduledExecutorService sch = scheduler;
        if (running.get() && sch != null && !sch.isShutdown()) {
            sch.execute(this::tick);
        }
    }

    /**
     * Acts on a provider's change signal: sync that calendar's mailbox now (and, for an ended subscription,
     * subscribe again on that pass). The one door for every kind of push: {@link #handleWebhook} calls it for
     * each verified notification, and outbound push (EWS streaming or pull subscriptions, which have no
     * inbound callback) delivers here, e.g. {@code connection.push().listen(subscriptions, engine::onSignal)}.
     * A signal about a mailbox the store does not hold is ignored. Returns at once.
     *
     * @param signal the change signal
     * @throws AmbiguousMailboxException the signal's email is connected through several integrations: use
     *                                   {@link #onSignal(String, ChangeSignal)}
     */
    public void onSignal(ChangeSignal signal) {
        signal(null, Checks.notNull(signal, "signal"));
    }

    /**
     * As {@link #onSignal(ChangeSignal)} for a signal from {@code integration}'s connection (the signal's
     * calendar names only the email, which may be connected through several integrations).
     *
     * @param integration the integration's name
     * @param signal the change signal
     * @since 0.4
     */
    public void onSignal(String integration, ChangeSignal signal) {
        signal(Checks.notBlank(integration, "integration"), Checks.notNull(signal, "signal"));
    }

    private void signal(String integration, ChangeSignal signal) {
        SyncStateStore store = store(integration);
        Mailbox mailbox = signal.calendar().mailbox();
        if (store.mailbox(mailbox).isEmpty()) {
            LOG.debug("push signal about a mailbox that is not synced; ignored");
            return;
        }
        if (signal.kind() == ChangeSignal.Kind.SUBSCRIPTION_ENDED) {
            // the next pass subscribes again; meanwhile the mailbox is polled
            push.ended(integration, signal.calendar(), signal.subscriptionId());
        } else if (signal.kind() == ChangeSignal.Kind.REAUTHORIZATION_REQUIRED) {
            // the next pass renews (reauthorizes) the same subscription; a new one only if the provider lost it
            push.reauthorize(integration, signal.calendar(), signal.subscriptionId());
        }
        store.requestSync(mailbox);
        wake();
    }

    /**
     * Handles one webhook request addressed to the whole {@code integration}: give every integration its own
     * callback URL (see {@link Builder#push}) and route each request there to this method, then answer the
     * HTTP request with the returned response.
     *
     * <p>The provider reads which subscriptions the request names ({@link org.calsdk.api.PushChannels#subscriptionIds}:
     * one Graph POST can name many, of many mailboxes); the engine looks each up among the integration's
     * stored subscriptions, and the provider checks every notification against its own subscription's secret
     * ({@link org.calsdk.api.PushChannels#handle}, constant-time) and says what changed. Each verified signal
     * makes its mailbox due ({@link #onSignal}); nothing is synced in the caller's thread, so the answer goes
     * back within Graph's 3 seconds. Forged or unknown notifications trigger nothing and get the provider's
     * 4xx.
     *
     * <p>The request is read with the integration's organization connection when its connections have one
     * ({@link SyncConnections#impersonating}), else with a connection of one of its mailboxes (the reading
     * depends on the request only).
     *
     * @param integration the integration's name
     * @param request the webhook request as it arrived
     * @return the HTTP response to send back to the provider
     * @throws NotFoundException when there is no such integration
     */
    public WebhookResponse handleWebhook(String integration, WebhookRequest request) {
        Checks.notNull(integration, "integration");
        Checks.notNull(request, "request");
        SyncStateStore store = settings.store().inIntegration(integration);
        Integration found = store.integration(integration)
                .orElseThrow(() -> new NotFoundException("no integration '" + integration + "'", ErrorContext.NONE));
        WebhookResponse response;
        List<org.calsdk.api.Subscription> subscriptions = new ArrayList<>();
        try (Batches batches = new Batches(settings.connections())) {
            SyncConnections.Batch batch = batches.batch(found);
            CalendarConnection organization = batch.organization().orElse(null);
            CalendarConnection own = null;
            if (organization == null) {
                List<MailboxStatus> mailboxes = store.mailboxes(integration);
                if (mailboxes.isEmpty()) {
                    return new WebhookResponse(404, "text/plain", "no mailboxes in this integration", List.of());
                }
                // any connected mailbox will do (the reading depends on the request only); prefer one with
                // subscriptions, which surely supports push
                own = batch.connect(mailboxes.stream()
                        .filter(MailboxStatus::connected)
                        .filter(m -> !store.subscriptions(m.mailbox()).isEmpty())
                        .findFirst()
                        .or(() -> mailboxes.stream()
                                .filter(MailboxStatus::connected)
                                .findFirst())
                        .orElse(mailboxes.get(0))
                        .mailbox());
            }
            try {
                CalendarConnection reader = organization != null ? organization : own;
                if (!reader.supports(org.calsdk.api.Capability.PUSH_INBOUND)) {
                    return new WebhookResponse(404, "text/plain", "this integration has no webhooks", List.of());
                }
                for (String id : reader.push().subscriptionIds(request).stream()
                        .distinct()
                        .limit(MAX_WEBHOOK_IDS)
                        .toList()) {
                    store.subscriptionById(integration, id).ifPresent(subscriptions::add);
                }
                response = reader.push().handle(request, subscriptions);
            } finally {
                if (own != null) {
                    own.close();
                }
            }
        }
        // only signals about the subscriptions that were handed over (and so verified) are acted on
        java.util.Map<String, CalendarRef> verified = new java.util.HashMap<>();
        subscriptions.forEach(sub -> verified.put(sub.id(), sub.calendar()));
        response.signals().stream()
                .filter(sig ->
                        sig.subscriptionId() != null && sig.calendar().equals(verified.get(sig.subscriptionId())))
                .forEach(sig -> onSignal(integration, sig));
        return response;
    }

    /**
     * The push subscriptions kept alive, by calendar, as the store holds them (for diagnostics): the same on
     * every engine sharing the store.
     *
     * @return the stored subscriptions, by calendar
     */
    public java.util.Map<CalendarRef, org.calsdk.api.Subscription> subscriptions() {
        SyncStateStore store = settings.store();
        java.util.Map<CalendarRef, org.calsdk.api.Subscription> out = new java.util.LinkedHashMap<>();
        for (Integration i : store.integrations()) {
            SyncStateStore in = store.inIntegration(i.name());
            for (MailboxStatus m : store.mailboxes(i.name())) {
                in.subscriptions(m.mailbox()).forEach(sub -> out.put(sub.calendar(), sub));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------ host side

    /**
     * Answers an invitation in {@code calendar} as its owner, through the outbox: the answer is pushed by
     * the engine (retried with backoff, reported to {@link SyncListener#onPushed} or
     * {@link SyncListener#onPushFailed}); a newer answer to the same event replaces one not yet pushed.
     *
     * <pre>{@code
     * engine.respond(CalendarRef.primary(mentee), invitation.id().orElseThrow(), Attendee.ResponseStatus.ACCEPTED);
     * }</pre>
     *
     * @param eventId the provider's id of the event, as reported in an {@link ExternalChange}
     * @param calendar the calendar
     * @param response the answer
     * @return the outbox entry's id
     * @since 0.3
     */
    public long respond(
            org.calsdk.model.CalendarRef calendar, String eventId, org.calsdk.model.Attendee.ResponseStatus response) {
        return enqueue(OutboxEntry.respond(calendar, eventId, response, true));
    }

    /**
     * As {@link #respond(CalendarRef, String, org.calsdk.model.Attendee.ResponseStatus)} for the calendar's
     * mailbox as connected through {@code integration}.
     *
     * @param integration the integration's name
     * @param calendar the calendar
     * @param eventId the provider's id of the event
     * @param response the answer
     * @return the outbox entry's id
     * @since 0.4
     */
    public long respond(
            String integration,
            org.calsdk.model.CalendarRef calendar,
            String eventId,
            org.calsdk.model.Attendee.ResponseStatus response) {
        return enqueue(integration, OutboxEntry.respond(calendar, eventId, response, true));
    }

    /**
     * How far behind sync is now (see {@link SyncBacklog}): one read of the store, shared by every engine
     * on it. For gauges, see {@link MicrometerSyncMetrics#bindBacklog}.
     *
     * @return how far behind sync is now
     * @since 0.3
     */
    public SyncBacklog backlog() {
        return settings.store().backlog(settings.clock().instant());
    }

    /**
     * Records a pending push (see {@link SyncStateStore#enqueue}) and wakes the engine.
     *
     * @param entry the outbox entry
     * @return the outbox entry's id
     * @throws AmbiguousMailboxException the entry's email is connected through several integrations: use
     *                                   {@link #enqueue(String, OutboxEntry)}
     */
    public long enqueue(OutboxEntry entry) {
        long id = settings.store().enqueue(entry);
        wake();
        return id;
    }

    /**
     * Records a pending push for the entry's mailbox as connected through {@code integration} (an entry's
     * calendar names only the email) and wakes the engine.
     *
     * @param integration the integration's name
     * @param entry the outbox entry
     * @return the outbox entry's id
     * @since 0.4
     */
    public long enqueue(String integration, OutboxEntry entry) {
        long id = settings.store().enqueue(Checks.notBlank(integration, "integration"), entry);
        wake();
        return id;
    }

    // ------------------------------------------------------------------ admin

    /**
     * Creates or replaces an integration.
     *
     * @param integration the integration's name
     * @throws org.calsdk.errors.OrganizationConflictException when it would enable Exchange Online and Exchange
     *         on-premises for one email domain ({@link org.calsdk.api.ExchangeDeployments})
     */
    public void saveIntegration(Integration integration) {
        org.calsdk.sync.internal.ExchangeGuard.beforeSave(settings.store(), Checks.notNull(integration, "integration"));
        settings.store().saveIntegration(integration);
    }

    /**
     * Connects a mailbox to an integration; it syncs on the next pass. The same email can be connected through
     * several integrations, each a mailbox of its own (address it then with a {@link MailboxRef}).
     *
     * @param integration the integration's name
     * @param mailbox the mailbox
     * @throws org.calsdk.errors.OrganizationConflictException when its domain is already enabled for the other
     *         kind of Exchange ({@link org.calsdk.api.ExchangeDeployments})
     */
    public void addMailbox(String integration, Mailbox mailbox) {
        org.calsdk.sync.internal.ExchangeGuard.beforeAdd(
                settings.store(), integration, Checks.notNull(mailbox, "mailbox"));
        settings.store().addMailbox(integration, mailbox);
        wake();
    }

    /**
     * Every mailbox with its status.
     *
     * @return every mailbox's status
     */
    public List<MailboxStatus> mailboxes() {
        return settings.store().mailboxes();
    }

    /**
     * Enables or disables sync of one mailbox.
     *
     * @param mailbox the mailbox
     * @param enabled whether the mailbox is synced
     */
    public void setEnabled(Mailbox mailbox, boolean enabled) {
        settings.store().setEnabled(mailbox, enabled);
        if (enabled) {
            wake();
        }
    }

    /**
     * As {@link #setEnabled(Mailbox, boolean)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @param enabled whether the mailbox is synced
     * @since 0.4
     */
    public void setEnabled(MailboxRef mailbox, boolean enabled) {
        store(Checks.notNull(mailbox, "mailbox").integration()).setEnabled(mailbox.mailbox(), enabled);
        if (enabled) {
            wake();
        }
    }

    /**
     * The status of the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @return the mailbox's status
     * @throws NotFoundException it is not connected through that integration
     * @since 0.4
     */
    public MailboxStatus mailbox(MailboxRef mailbox) {
        return requireMailbox(Checks.notNull(mailbox, "mailbox").integration(), mailbox.mailbox());
    }

    /**
     * Puts the pushes of {@code mailbox} that were given up ({@link SyncListener#onPushFailed}) back in the
     * queue, attempts reset, and makes the mailbox due. An entry whose key has a newer pending push is dropped
     * (the newer one supersedes it).
     *
     * @param mailbox the mailbox
     * @return how many entries were requeued
     * @throws NotFoundException the mailbox is not in the store
     */
    public int retryFailedPushes(Mailbox mailbox) {
        return retryFailedPushes(null, mailbox);
    }

    /**
     * As {@link #retryFailedPushes(Mailbox)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @return how many entries were put back in the queue
     * @since 0.4
     */
    public int retryFailedPushes(MailboxRef mailbox) {
        return retryFailedPushes(Checks.notNull(mailbox, "mailbox").integration(), mailbox.mailbox());
    }

    private int retryFailedPushes(String integration, Mailbox mailbox) {
        int n = store(integration).requeueFailedOutbox(Checks.notNull(mailbox, "mailbox"));
        if (n > 0) {
            wake();
        }
        return n;
    }

    /**
     * Deletes the given-up pushes of {@code mailbox}, once the host has dealt with them: otherwise they stay in
     * the store (visible in {@link MailboxStatus} and {@code outbox}) forever.
     *
     * @param mailbox the mailbox
     * @return how many were deleted
     * @throws NotFoundException the mailbox is not in the store
     */
    public int purgeFailedPushes(Mailbox mailbox) {
        return settings.store().purgeFailedOutbox(Checks.notNull(mailbox, "mailbox"));
    }

    /**
     * As {@link #purgeFailedPushes(Mailbox)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @return how many entries were deleted
     * @since 0.4
     */
    public int purgeFailedPushes(MailboxRef mailbox) {
        return store(Checks.notNull(mailbox, "mailbox").integration()).purgeFailedOutbox(mailbox.mailbox());
    }

    /**
     * Forces a full resync of {@code mailbox}: its cursors are forgotten, under its lease, and it is made due;
     * the next pass reads every calendar in full, reports what it finds and what is gone, and matches the app's
     * events again by key. Nothing is synced in the caller's thread.
     *
     * @param mailbox the mailbox
     * @return true when done; false when a pass of the mailbox is running (its cursor save would undo the
     *         reset): call again once it ended
     * @throws NotFoundException the mailbox is not in the store
     */
    public boolean resync(Mailbox mailbox) {
        return resync(null, mailbox);
    }

    /**
     * As {@link #resync(Mailbox)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @return whether the mailbox's cursors were forgotten (false when another pass holds it)
     * @since 0.4
     */
    public boolean resync(MailboxRef mailbox) {
        return resync(Checks.notNull(mailbox, "mailbox").integration(), mailbox.mailbox());
    }

    private boolean resync(String integration, Mailbox mailbox) {
        requireMailbox(integration, mailbox);
        SyncStateStore store = store(integration);
        MailboxLease lease = store.acquireLease(
                        mailbox,
                        settings.nodeId() + "#resync-" + UUID.randomUUID(),
                        settings.clock().instant(),
                        settings.leaseTtl())
                .orElse(null);
        if (lease == null) {
            return false;
        }
        try {
            store.fencedBy(lease).resetCursors(mailbox);
        } finally {
            store.releaseLease(lease);
        }
        store.requestSync(mailbox);
        wake();
        return true;
    }

    /**
     * Removes one mailbox: its cursors, mappings, outbox and push subscriptions (stopped at the provider, best
     * effort: one the provider refuses to stop expires by itself). The app's events stay in the calendar. A
     * pass in flight on the mailbox, on any node, is fenced first ({@link SyncStateStore#seizeLease}): it
     * writes nothing after this began and ends {@code BUSY}.
     *
     * @param mailbox the mailbox
     * @throws NotFoundException the mailbox is not in the store
     */
    public void removeMailbox(Mailbox mailbox) {
        removeMailbox(null, mailbox);
    }

    /**
     * As {@link #removeMailbox(Mailbox)} for the mailbox as connected through one integration: the same email's
     * mailboxes in other integrations are left as they are.
     *
     * @param mailbox the mailbox
     * @since 0.4
     */
    public void removeMailbox(MailboxRef mailbox) {
        removeMailbox(Checks.notNull(mailbox, "mailbox").integration(), mailbox.mailbox());
    }

    private void removeMailbox(String integrationName, Mailbox mailbox) {
        MailboxStatus status = requireMailbox(integrationName, mailbox);
        SyncStateStore store = store(status.integration());
        store.seizeLease(
                mailbox,
                settings.nodeId() + "#removal-" + UUID.randomUUID(),
                settings.clock().instant(),
                settings.leaseTtl());
        Integration integration = store.integration(status.integration()).orElse(null);
        if (integration != null && !store.subscriptions(mailbox).isEmpty()) {
            try (Batches batches = new Batches(settings.connections());
                    CalendarConnection c = batches.connect(integration, mailbox)) {
                push.stopAll(status.integration(), c, mailbox);
            } catch (CalendarException e) {
                LOG.info(
                        "could not stop the push subscriptions of {}; they expire by themselves: {}",
                        mailbox,
                        e.getMessage());
            }
        }
        store.removeMailbox(mailbox);
    }

    /**
     * After the person authorized again: sync resumes from the stored cursors.
     *
     * @param mailbox the mailbox
     */
    public void reconnect(Mailbox mailbox) {
        settings.store().markConnected(mailbox);
        wake();
    }

    /**
     * As {@link #reconnect(Mailbox)} for the mailbox as connected through one integration.
     *
     * @param mailbox the mailbox
     * @since 0.4
     */
    public void reconnect(MailboxRef mailbox) {
        store(Checks.notNull(mailbox, "mailbox").integration()).markConnected(mailbox.mailbox());
        wake();
    }

    /**
     * Deletes an integration: its mailboxes, cursors, mappings and outbox, and when {@code removeEvents} is
     * true first the events the app created in people's calendars. If some events cannot be deleted the
     * integration is kept (set inactive) so that the call can be repeated. Passes in flight on its mailboxes,
     * on any node, are fenced first ({@link SyncStateStore#seizeLeases}): from then on they write nothing
     * (they end {@code BUSY}); at most the provider call each is making completes.
     *
     * @param name the integration's name
     * @param removeEvents whether the app's events are deleted from the calendars too
     * @return what was removed
     */
    public IntegrationRemoval deleteIntegration(String name, boolean removeEvents) {
        Checks.notNull(name, "name");
        SyncStateStore store = settings.store();
        Integration integration = store.integration(name).orElse(null);
        if (integration == null) {
            return new IntegrationRemoval(name, 0, List.of(), true);
        }
        store.saveIntegration(integration.withStatus(Integration.Status.INACTIVE));
        // Fence every pass in flight on its mailboxes, on any node: their writes are refused from now on, so
        // none saves a mapping or a subscription behind the removal's back (no new pass starts: inactive).
        store.seizeLeases(
                name,
                settings.nodeId() + "#removal-" + java.util.UUID.randomUUID(),
                settings.clock().instant(),
                settings.leaseTtl());
        try (Batches batches = new Batches(settings.connections())) {
            return deleteIntegration(store, integration, removeEvents, batches);
        }
    }

    private IntegrationRemoval deleteIntegration(
            SyncStateStore store, Integration integration, boolean removeEvents, Batches batches) {
        String name = integration.name();
        SyncStateStore in = store.inIntegration(name);
        int deleted = 0;
        List<String> failures = new ArrayList<>();
        if (removeEvents) {
            // the app's mappings read once for the whole integration (not once per mailbox), grouped by mailbox
            java.util.Map<Mailbox, List<EventMapping>> byMailbox = new java.util.HashMap<>();
            for (EventMapping x : store.appMappings(name)) {
                byMailbox
                        .computeIfAbsent(x.calendar().mailbox(), k -> new ArrayList<>())
                        .add(x);
            }
            for (MailboxStatus m : store.mailboxes(name)) {
                List<EventMapping> mine = byMailbox.getOrDefault(m.mailbox(), List.of());
                if (mine.isEmpty()) {
                    continue;
                }
                try (CalendarConnection c = batches.connect(integration, m.mailbox())) {
                    for (EventMapping x : mine) {
                        try {
                            c.writer().delete(x.calendar(), x.eventId(), null);
                            in.deleteMapping(x.calendar(), x.eventId());
                            deleted++;
                        } catch (CalendarException e) {
                            failures.add(m.mailbox() + " " + x.key() + ": " + e.getMessage());
                        }
                    }
                } catch (CalendarException e) {
                    failures.add(m.mailbox() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            return new IntegrationRemoval(name, deleted, failures, false);
        }
        for (MailboxStatus m : store.mailboxes(name)) {
            if (in.subscriptions(m.mailbox()).isEmpty()) {
                continue;
            }
            // stop its push subscriptions: best effort, the ones the provider refuses expire by themselves
            try (CalendarConnection c = batches.connect(integration, m.mailbox())) {
                push.stopAll(name, c, m.mailbox());
            } catch (CalendarException e) {
                LOG.info(
                        "could not stop the push subscriptions of {}; they expire by themselves: {}",
                        m.mailbox(),
                        e.getMessage());
            }
        }
        store.deleteIntegration(name);
        return new IntegrationRemoval(name, deleted, failures, true);
    }

    private MailboxStatus requireMailbox(String integration, Mailbox mailbox) {
        return store(integration)
                .mailbox(Checks.notNull(mailbox, "mailbox"))
                .orElseThrow(() -> new NotFoundException(
                        "mailbox " + mailbox + " is not connected"
                                + (integration == null
                                        ? " to any integration"
                                        : " to integration '" + integration + "'"),
                        ErrorContext.NONE.withMailbox(mailbox)));
    }

    /** Stops the schedule and waits briefly for running passes. Leaves the store open (the host owns it). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ticks != null) {
            ticks.cancel(false);
        }
        for (ExecutorService e : new ExecutorService[] {scheduler, workers}) {
            if (e != null) {
                e.shutdown();
                try {
                    if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                        e.shutdownNow();
                    }
                } catch (InterruptedException ie) {
                    e.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "SyncEngine[node=" + settings.nodeId() + ", store=" + settings.store() + "]";
    }

    /** Builds a {@link SyncEngine}. Only the store and the connections are required. @since 0.1 */
    public static final class Builder {
        private SyncStateStore store;
        private SyncConnections connections;
        private SyncListener listener = SyncListener.NONE;
        private SyncMetrics metrics = SyncMetrics.NONE;
        private Clock clock = Clock.systemUTC();
        private Random random;
        private String nodeId = defaultNodeId();
        private Duration pollInterval = Duration.ofMinutes(5);
        private double pollJitter = 0.1;
        private Duration leaseTtl = Duration.ofMinutes(2);
        private Duration maxPassTime = Duration.ofMinutes(30);
        private BackoffPolicy pushBackoff = BackoffPolicy.defaults();
        private BackoffPolicy errorBackoff = new BackoffPolicy(Duration.ofSeconds(30), Duration.ofMinutes(30), 0.2, 1);
        private FieldPolicy fieldPolicy = FieldPolicy.defaults();
        private BiFunction<CalendarConnection, Mailbox, List<CalendarRef>> calendars = primaryCalendar();
        private int threads = 2;
        private int outboxBatch = 100;
        private Duration checkInterval = Duration.ofSeconds(5);
        private String callbackUrl;
        private Duration subscriptionTtl = Duration.ofDays(2);
        private Duration renewMargin = Duration.ofHours(6);
        private Duration pollIntervalWhilePushed = Duration.ofMinutes(30);

        private Builder() {}

        private static String defaultNodeId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "node";
            }
            return host + "-" + ProcessHandle.current().pid() + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
        }

        /**
         * Where state lives (required).
         *
         * @param store the sync state store
         * @return this builder
         */
        public Builder store(SyncStateStore store) {
            this.store = Checks.notNull(store, "store");
            return this;
        }

        /**
         * How to reach each mailbox's calendars (required).
         *
         * @param connections how the engine connects to mailboxes
         * @return this builder
         */
        public Builder connections(SyncConnections connections) {
            this.connections = Checks.notNull(connections, "connections");
            return this;
        }

        /**
         * What the host hears: changes, conflicts, pushes, disconnections.
         *
         * @param listener what the host hears
         * @return this builder
         */
        public Builder listener(SyncListener listener) {
            this.listener = Checks.notNull(listener, "listener");
            return this;
        }

        /**
         * Where the engine reports pass and push figures (default: nowhere).
         *
         * @param metrics the metrics
         * @return this builder
         */
        public Builder metrics(SyncMetrics metrics) {
            this.metrics = Checks.notNull(metrics, "metrics");
            return this;
        }

        /**
         * The clock for schedules, backoff and leases (tests pass a controllable one).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * The source of jitter (tests pass a seeded one).
         *
         * @param random a random number in [0, 1), for jitter
         * @return this builder
         */
        public Builder random(Random random) {
            this.random = Checks.notNull(random, "random");
            return this;
        }

        /**
         * This engine's name in leases; unique per running engine (default: host, pid and a random part).
         *
         * @param nodeId this engine's name among the engines sharing the store
         * @return this builder
         */
        public Builder nodeId(String nodeId) {
            Checks.notBlank(nodeId, "nodeId");
            Checks.check(nodeId.length() <= 200, "nodeId", "nodeId is longer than 200 characters");
            this.nodeId = nodeId;
            return this;
        }

        /**
         * Time between regular syncs of a mailbox (default 5 minutes).
         *
         * @param interval how often each mailbox is polled (plus jitter)
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            Checks.check(
                    interval != null && !interval.isNegative() && !interval.isZero(),
                    "pollInterval",
                    "pollInterval must be positive");
            this.pollInterval = interval;
            return this;
        }

        /**
         * Random extra on each interval, as a fraction (default 0.1), so mailboxes do not sync in lockstep.
         *
         * @param fraction the fraction of the interval, 0 to 1
         * @return this builder
         */
        public Builder pollJitter(double fraction) {
            Checks.check(fraction >= 0 && fraction <= 1, "pollJitter", "pollJitter must be between 0 and 1");
            this.pollJitter = fraction;
            return this;
        }

        /**
         * How long a mailbox lease lasts without renewal (default 2 minutes): a dead engine's mailboxes wait this long.
         *
         * @param ttl how long a lease (or subscription) lives
         * @return this builder
         */
        public Builder leaseTtl(Duration ttl) {
            Checks.check(ttl != null && ttl.toMillis() >= 10, "leaseTtl", "leaseTtl must be at least 10 ms");
            this.leaseTtl = ttl;
            return this;
        }

        /**
         * How long a pass may keep its mailbox's lease by renewal (default 30 minutes). A running pass's lease is
         * renewed on a timer, through slow provider calls and listener calls; a pass stuck for longer (a call
         * that never returns) stops being renewed, its lease expires one {@link #leaseTtl} later, another engine
         * takes the mailbox, and the stuck pass can write nothing more (fenced leases, docs/sync.md).
         *
         * @param max the longest time
         * @return this builder
         */
        public Builder maxPassTime(Duration max) {
            Checks.check(
                    max != null && !max.isNegative() && !max.isZero(), "maxPassTime", "maxPassTime must be positive");
            this.maxPassTime = max;
            return this;
        }

        /**
         * Retries of failed pushes.
         *
         * @param policy retry delays and attempts of app pushes
         * @return this builder
         */
        public Builder pushBackoff(BackoffPolicy policy) {
            this.pushBackoff = Checks.notNull(policy, "pushBackoff");
            return this;
        }

        /**
         * Waiting after a failed mailbox pass (its {@code maxAttempts} is not used: passes are retried forever).
         *
         * @param policy retry delays of failed passes
         * @return this builder
         */
        public Builder errorBackoff(BackoffPolicy policy) {
            this.errorBackoff = Checks.notNull(policy, "errorBackoff");
            return this;
        }

        /**
         * Who owns which field of the app's events when both sides changed it (default {@link FieldPolicy#defaults()}).
         *
         * @param policy who owns which field of the app's events
         * @return this builder
         */
        public Builder fieldPolicy(FieldPolicy policy) {
            this.fieldPolicy = Checks.notNull(policy, "fieldPolicy");
            return this;
        }

        /**
         * Which calendars of a mailbox to sync (default {@link #primaryCalendar()}).
         *
         * @param selector picks the calendars to sync of each mailbox
         * @return this builder
         */
        public Builder calendars(BiFunction<CalendarConnection, Mailbox, List<CalendarRef>> selector) {
            this.calendars = Checks.notNull(selector, "calendars");
            return this;
        }

        /**
         * Mailboxes synced in parallel by the background schedule (default 2).
         *
         * @param threads how many passes run at once
         * @return this builder
         */
        public Builder threads(int threads) {
            Checks.check(threads >= 1 && threads <= 64, "threads", "threads must be between 1 and 64");
            this.threads = threads;
            return this;
        }

        /**
         * How often the background schedule looks for due mailboxes (default 5 s).
         *
         * @param interval how often the schedule looks for due mailboxes
         * @return this builder
         */
        public Builder checkInterval(Duration interval) {
            Checks.check(
                    interval != null && interval.toMillis() >= 1, "checkInterval", "checkInterval must be positive");
            this.checkInterval = interval;
            return this;
        }

        /**
         * Turns on push subscriptions for connections that support inbound push: providers post to
         * {@code callbackUrl}, in which {@code {integration}} stands for the integration's name (URL-encoded),
         * e.g. {@code https://app.example.com/calendar-hooks/{integration}}; route each request there to
         * {@link SyncEngine#handleWebhook(String, WebhookRequest)} with that name. Every subscription gets its
         * own random client secret (Graph {@code clientState}, Google channel token), kept with it in the store
         * and renewed with it. Mailboxes under live subscriptions are polled every {@code pollIntervalWhilePushed};
         * subscriptions are renewed {@code renewMargin} before expiry.
         *
         * @param callbackUrl the webhook URL; {@code {integration}} stands for the integration's name
         * @param ttl how long a lease (or subscription) lives
         * @param renewMargin how long before expiry a subscription is renewed
         * @param pollIntervalWhilePushed how often a mailbox covered by push is still polled
         * @return this builder
         */
        public Builder push(String callbackUrl, Duration ttl, Duration renewMargin, Duration pollIntervalWhilePushed) {
            this.callbackUrl = Checks.notBlank(callbackUrl, "callbackUrl");
            this.subscriptionTtl = Checks.notNull(ttl, "ttl");
            this.renewMargin = Checks.notNull(renewMargin, "renewMargin");
            this.pollIntervalWhilePushed = Checks.notNull(pollIntervalWhilePushed, "pollIntervalWhilePushed");
            Checks.check(
                    pollIntervalWhilePushed.compareTo(renewMargin) < 0,
                    "renewMargin",
                    "renewMargin must be longer than pollIntervalWhilePushed, or subscriptions expire between passes");
            return this;
        }

        /**
         * Outbox entries read per batch (default 100).
         *
         * @param n how many
         * @return this builder
         */
        public Builder outboxBatch(int n) {
            Checks.check(n >= 1 && n <= 10_000, "outboxBatch", "outboxBatch must be between 1 and 10000");
            this.outboxBatch = n;
            return this;
        }

        /**
         * The engine as configured; {@link SyncEngine#start()} starts its schedule.
         *
         * @return the engine, not started
         */
        public SyncEngine build() {
            Checks.notNull(store, "store");
            Checks.notNull(connections, "connections");
            return new SyncEngine(this);
        }
    }
}
