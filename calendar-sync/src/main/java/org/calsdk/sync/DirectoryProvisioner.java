package org.calsdk.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectorySnapshot;
import org.calsdk.api.DirectorySync;
import org.calsdk.errors.CalendarException;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * The periodic provisioning job: reads the organization's directory, matches it to the host's users
 * ({@link DirectorySync}), connects the matched people the host's {@link ProvisioningPolicy} accepts to an
 * integration of the {@link SyncEngine} (so they sync from the next pass), and turns off sync of people
 * the directory disabled. It uses the engine's public admin API only, so the engine's own rules hold (a
 * mailbox belongs to one integration; Exchange Online and on-premises never cover one domain: such a
 * mailbox is reported as refused, not added). The snapshot of who was in the directory is the host's to
 * keep: it is loaded before and saved after each run, so "new since last time" survives restarts.
 *
 * <pre>{@code
 * DirectoryProvisioner job = DirectoryProvisioner.builder(engine, "acme-graph")
 *     .directory(() -> providers.connect(acmeConfig))          // or .entries(() -> exportedList)
 *     .hostUsers(() -> users.allAsHostUsers())
 *     .policy(match -> licences.hasSeat(match.user().id()))
 *     .snapshot(() -> DirectorySnapshot.decode(kv.get("acme-dir")), s -> kv.put("acme-dir", s.encode()))
 *     .listener(report -> log.info("provisioned {}", report.added()))
 *     .interval(Duration.ofHours(1))
 *     .build();
 * job.start();
 * }</pre>
 *
 * @since 0.2
 */
public final class DirectoryProvisioner implements AutoCloseable {
    private final SyncEngine engine;
    private final String integration;
    private final Supplier<? extends Collection<DirectoryEntry>> entries;
    private final Supplier<CalendarConnection> connection;
    private final Supplier<? extends Collection<DirectorySync.HostUser>> hostUsers;
    private final ProvisioningPolicy policy;
    private final Supplier<DirectorySnapshot> loadSnapshot;
    private final Consumer<DirectorySnapshot> saveSnapshot;
    private final Consumer<ProvisioningReport> listener;
    private final Consumer<RuntimeException> onError;
    private final Duration interval;
    private final boolean disableSuspended;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private ScheduledFuture<?> task;
    private DirectorySnapshot memory = DirectorySnapshot.none();

    private DirectoryProvisioner(Builder b) {
        this.engine = b.engine;
        this.integration = b.integration;
        this.entries = b.entries;
        this.connection = b.connection;
        this.hostUsers = b.hostUsers;
        this.policy = b.policy;
        this.loadSnapshot = b.loadSnapshot != null ? b.loadSnapshot : () -> memory;
        this.saveSnapshot = b.saveSnapshot != null ? b.saveSnapshot : s -> memory = s;
        this.listener = b.listener;
        this.onError = b.onError;
        this.interval = b.interval;
        this.disableSuspended = b.disableSuspended;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null
                ? b.scheduler
                : Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "calsdk-directory-provisioner-" + integration);
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * A job that adds mailboxes to {@code integration} of {@code engine}.
     *
     * @param engine the sync engine
     * @param integration the integration's name
     * @return a builder; {@link Builder#directory} or {@link Builder#entries} is required
     */
    public static Builder builder(SyncEngine engine, String integration) {
        return new Builder(engine, integration);
    }

    /**
     * One run now: read, match, add, disable, save the snapshot, tell the listener. Runs are serialized.
     *
     * @return what the run did: mailboxes added, disabled, refused
     * @throws CalendarException when the directory cannot be read (nothing is changed then)
     */
    public synchronized ProvisioningReport runOnce() {
        Collection<DirectorySync.HostUser> users = Checks.notNull(hostUsers.get(), "host users");
        DirectorySync.Report r;
        if (entries != null) {
            r = DirectorySync.match(
                    List.copyOf(Checks.notNull(entries.get(), "directory entries")), users, loadSnapshot.get());
        } else {
            try (CalendarConnection c = Checks.notNull(connection.get(), "directory connection")) {
                r = DirectorySync.run(c, users, loadSnapshot.get());
            }
        }
        Map<Mailbox, MailboxStatus> known = new HashMap<>();
        for (MailboxStatus s : engine.mailboxes()) {
            known.put(s.mailbox(), s);
        }
        List<Mailbox> added = new ArrayList<>();
        List<Mailbox> declined = new ArrayList<>();
        List<ProvisioningReport.Refusal> refused = new ArrayList<>();
        for (DirectorySync.Match m : r.matched()) {
            if (known.containsKey(m.mailbox())) {
                continue;
            }
            if (!policy.provision(m)) {
                declined.add(m.mailbox());
                continue;
            }
            try {
                engine.addMailbox(integration, m.mailbox());
                added.add(m.mailbox());
            } catch (CalendarException e) {
                refused.add(new ProvisioningReport.Refusal(m.mailbox(), String.valueOf(e.getMessage())));
            }
        }
        List<Mailbox> disabled = new ArrayList<>();
        if (disableSuspended) {
            for (DirectoryEntry e : r.disabled()) {
                MailboxStatus s = known.get(e.mailbox());
                if (s != null && s.integration().equals(integration) && s.enabled()) {
                    engine.setEnabled(e.mailbox(), false);
                    disabled.add(e.mailbox());
                }
            }
        }
        saveSnapshot.accept(r.snapshot());
        ProvisioningReport report = new ProvisioningReport(r, added, declined, refused, disabled);
        listener.accept(report);
        return report;
    }

    /** Runs now and then every interval, until {@link #close()}; a failed run is reported and retried next time. */
    public synchronized void start() {
        Checks.check(task == null, "state", "the provisioner is already started");
        Checks.check(!scheduler.isShutdown(), "state", "the provisioner is closed");
        task = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        runOnce();
                    } catch (RuntimeException e) {
                        onError.accept(e);
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops the schedule (a run in progress finishes); shuts down the scheduler when it is the job's own. */
    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        if (ownScheduler) {
            scheduler.shutdown();
        }
    }

    @Override
    public String toString() {
        return "DirectoryProvisioner[integration=" + integration + ", every " + interval + "]";
    }

    /** Builds a {@link DirectoryProvisioner}. */
    public static final class Builder {
        private final SyncEngine engine;
        private final String integration;
        private Supplier<? extends Collection<DirectoryEntry>> entries;
        private Supplier<CalendarConnection> connection;
        private Supplier<? extends Collection<DirectorySync.HostUser>> hostUsers;
        private ProvisioningPolicy policy = ProvisioningPolicy.none();
        private Supplier<DirectorySnapshot> loadSnapshot;
        private Consumer<DirectorySnapshot> saveSnapshot;
        private Consumer<ProvisioningReport> listener = r -> {};
        private Consumer<RuntimeException> onError = e -> {};
        private Duration interval = Duration.ofHours(1);
        private boolean disableSuspended = true;
        private ScheduledExecutorService scheduler;

        private Builder(SyncEngine engine, String integration) {
            this.engine = Checks.notNull(engine, "engine");
            this.integration = Checks.notBlank(integration, "integration");
        }

        /**
         * Reads the directory through a connection opened per run (and closed after) with its {@code DirectoryReader}.
         *
         * @param connection supplies the connection whose directory is read
         * @return this builder
         */
        public Builder directory(Supplier<CalendarConnection> connection) {
            this.connection = Checks.notNull(connection, "connection");
            this.entries = null;
            return this;
        }

        /**
         * Uses a list the host supplies per run (EWS name resolution, an export) instead of a provider directory.
         *
         * @param entries the directory entries
         * @return this builder
         */
        public Builder entries(Supplier<? extends Collection<DirectoryEntry>> entries) {
            this.entries = Checks.notNull(entries, "entries");
            this.connection = null;
            return this;
        }

        /**
         * The host's users, read per run.
         *
         * @param hostUsers the host application's users
         * @return this builder
         */
        public Builder hostUsers(Supplier<? extends Collection<DirectorySync.HostUser>> hostUsers) {
            this.hostUsers = Checks.notNull(hostUsers, "hostUsers");
            return this;
        }

        /**
         * Who starts syncing (default: nobody; the job reports only).
         *
         * @param policy which matched directory entries get a mailbox
         * @return this builder
         */
        public Builder policy(ProvisioningPolicy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /**
         * Where the directory snapshot is kept between runs (default: in memory, lost on restart).
         *
         * @param load loads the snapshot before each run
         * @param save saves the snapshot after each run
         * @return this builder
         */
        public Builder snapshot(Supplier<DirectorySnapshot> load, Consumer<DirectorySnapshot> save) {
            this.loadSnapshot = Checks.notNull(load, "load");
            this.saveSnapshot = Checks.notNull(save, "save");
            return this;
        }

        /**
         * Told about every run.
         *
         * @param listener what the host hears
         * @return this builder
         */
        public Builder listener(Consumer<ProvisioningReport> listener) {
            this.listener = Checks.notNull(listener, "listener");
            return this;
        }

        /**
         * Told about a scheduled run that failed.
         *
         * @param onError hears the errors of scheduled runs
         * @return this builder
         */
        public Builder onError(Consumer<RuntimeException> onError) {
            this.onError = Checks.notNull(onError, "onError");
            return this;
        }

        /**
         * Time between scheduled runs (at least a minute; default an hour).
         *
         * @param interval how often the schedule runs
         * @return this builder
         */
        public Builder interval(Duration interval) {
            Checks.notNull(interval, "interval");
            Checks.check(
                    interval.compareTo(Duration.ofMinutes(1)) >= 0, "interval", "interval must be at least a minute");
            this.interval = interval;
            return this;
        }

        /**
         * Whether people the directory disabled stop syncing (default true).
         *
         * @param disable whether to disable them
         * @return this builder
         */
        public Builder disableSuspended(boolean disable) {
            this.disableSuspended = disable;
            return this;
        }

        /**
         * The scheduler for {@link #start()} (default: one daemon thread of the job's own).
         *
         * @param scheduler the executor that runs the schedule
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Checks.notNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The provisioner as configured; {@link DirectoryProvisioner#start()} starts its schedule.
         *
         * @return the provisioner
         */
        public DirectoryProvisioner build() {
            Checks.check(
                    entries != null || connection != null,
                    "directory",
                    "name the directory: directory(...) or entries(...)");
            Checks.notNull(hostUsers, "hostUsers");
            return new DirectoryProvisioner(this);
        }
    }
}
