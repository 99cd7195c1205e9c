package org.calsdk.bench.figures;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.calsdk.api.CalendarConnection;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncReport;
import org.calsdk.sync.SyncStateStore;
import org.calsdk.testkit.memory.InMemoryCalendarService;

/**
 * The sync engine at organization scale (issue 15): one node, a PostgreSQL store (embedded, on 127.0.0.1, in a
 * temp folder), the reference provider behind a fake network of 50 ms per call. M mailboxes (1,000 in a quick
 * run, 10,000 in a full one) are synced once (full reads, not measured); then one cycle with no change in any
 * calendar, then one with 1% of the mailboxes changed (one new external event each). Per cycle: database round
 * trips per mailbox (every statement, batch and commit, counted at the JDBC door), engine CPU per mailbox (this
 * JVM's CPU time, the in-memory provider included, PostgreSQL's processes not), the cycle's wall time (64 worker
 * threads), and the projections: mailboxes per 5-minute cycle by wall time and by CPU (all cores), against the
 * goal of 100,000.
 */
public final class SyncScaleFigure implements Figure {
    /** The engine's worker threads in the scale figures. */
    public static final int THREADS = 64;

    static final ZonedDateTime T = ZonedDateTime.of(2026, 5, 4, 9, 0, 0, 0, ZoneOffset.UTC);

    @Override
    public String id() {
        return "sync-scale-postgres";
    }

    @Override
    public List<String> units() {
        return List.of("db round-trips", "µs CPU", "ms", "mailboxes");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        int n = s.size(60, 1_000, 10_000);
        long latency = s.mode() == BenchSettings.Mode.TINY ? s.latencyMillis() : 50;
        Path dir = Files.createTempDirectory("calsdk-bench-pg");
        EmbeddedPostgres pg = null;
        try {
            pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(dir.toFile())
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "40")
                    .start();
            HikariConfig cfg = new HikariConfig();
            cfg.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
            cfg.setUsername("postgres");
            cfg.setPassword("postgres");
            cfg.setMaximumPoolSize(16);
            try (HikariDataSource pool = new HikariDataSource(cfg);
                    InMemoryCalendarService service =
                            InMemoryCalendarService.builder().build()) {
                return run(n, latency, pool, service);
            }
        } finally {
            if (pg != null) {
                pg.close(); // stops the server by its own process
            }
            deleteTree(dir);
        }
    }

    private List<FigureResult> run(int n, long latency, HikariDataSource pool, InMemoryCalendarService service)
            throws Exception {
        Counting db = new Counting(pool);
        SyncStateStore store = JdbcSyncStateStore.of(db);
        StepClock clock = new StepClock(Instant.parse("2026-05-01T00:00:00Z"));
        SyncConnections slow = (integration, mailbox) -> delayed(service.connect(mailbox), latency);
        List<FigureResult> out = new ArrayList<>();
        try (SyncEngine engine = startedEngine(store, slow, clock)) {
            store.saveIntegration(Integration.active("org", "memory"));
            List<Mailbox> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Mailbox m = Mailbox.of("user" + i + "@example.com");
                all.add(m);
                service.addUser(m, "User " + i);
                store.addMailbox("org", m);
            }
            SyncReport first = engine.runOnce(); // the first, full sync of every mailbox: not measured
            if (first.results().size() != n) {
                throw new IllegalStateException("first sync: " + first.results().size() + " of " + n);
            }
            out.addAll(cycle("idle", n, engine, db, clock));
            for (int i = 0; i < n; i += 100) {
                Mailbox m = all.get(i);
                service.connect(m)
                        .writer()
                        .create(
                                CalendarRef.primary(m),
                                EventKey.of("ext-" + i),
                                Event.builder()
                                        .summary("External " + i)
                                        .start(EventTime.of(T))
                                        .end(EventTime.of(T.plusHours(1)))
                                        .build());
            }
            out.addAll(cycle("1% changed", n, engine, db, clock));
        }
        return out;
    }

    private static List<FigureResult> cycle(String what, int n, SyncEngine engine, Counting db, StepClock clock) {
        clock.advance(Duration.ofHours(1)); // every mailbox due again
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long trips0 = db.trips.get();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        SyncReport report = engine.runOnce();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long trips = db.trips.get() - trips0;
        long ok = report.results().stream()
                .filter(r -> r.outcome() == MailboxSyncResult.Outcome.OK)
                .count();
        if (ok != n) {
            throw new IllegalStateException(what + ": " + ok + " of " + n + " mailboxes synced OK");
        }
        double cpuPerMailboxUs = cpu / 1_000.0 / n;
        String p = "sync " + n + " mailboxes, " + what + ": ";
        List<FigureResult> out = new ArrayList<>();
        out.add(FigureResult.of(p + "database round trips per mailbox", trips / (double) n, 2.0, "db round-trips"));
        out.add(FigureResult.of(p + "engine CPU per mailbox", cpuPerMailboxUs, 500.0, "µs CPU"));
        out.add(FigureResult.of(
                p + "wall time of the cycle (" + THREADS + " threads, 50 ms provider)", wall / 1e6, "ms"));
        out.addAll(projections(p, n, wall, cpuPerMailboxUs));
        return out;
    }

    /**
     * The projections of one measured cycle of {@code n} mailboxes against the sync-scale goal (100,000 mailboxes
     * per 5-minute cycle on one node): mailboxes per 5 minutes by wall time (the cycle's rate, latency and
     * concurrency included), by CPU (all cores of this node busy at {@code cpuPerMailboxUs}), and the cycle
     * 100,000 mailboxes would take at the measured rate.
     *
     * @param prefix the figure names' beginning
     */
    public static List<FigureResult> projections(String prefix, int n, long wallNanos, double cpuPerMailboxUs) {
        int cores = Runtime.getRuntime().availableProcessors();
        double perCycleByWall = n * (300_000_000_000.0 / wallNanos);
        double perCycleByCpu = 300_000_000.0 * cores / cpuPerMailboxUs;
        return List.of(
                FigureResult.of(
                        prefix + "projected mailboxes per 5-minute cycle by wall time",
                        perCycleByWall,
                        100_000.0,
                        "mailboxes"),
                FigureResult.of(
                        prefix + "projected mailboxes per 5-minute cycle by CPU (" + cores + " cores)",
                        perCycleByCpu,
                        100_000.0,
                        "mailboxes"),
                FigureResult.of(
                        prefix + "projected cycle for 100,000 mailboxes",
                        wallNanos / 1e6 * 100_000.0 / n,
                        300_000.0,
                        "ms"));
    }

    /**
     * The engine of the scale figures: {@value #THREADS} workers, polls a day apart (a cycle makes every mailbox
     * due by moving {@code clock}), node id {@code bench}; started before there is anything to sync (its first
     * look at the queue is at once), so from then on {@code runOnce()} runs each cycle on the engine's workers and
     * no background run competes with it. The caller closes it.
     */
    public static SyncEngine startedEngine(SyncStateStore store, SyncConnections connections, Clock clock)
            throws InterruptedException {
        SyncEngine engine = SyncEngine.builder()
                .store(store)
                .connections(connections)
                .clock(clock)
                .threads(THREADS)
                .checkInterval(Duration.ofDays(1))
                .nodeId("bench")
                .build();
        engine.start();
        Thread.sleep(200);
        return engine;
    }

    /** The provider behind a fake network: every call waits {@code latency} ms before it is made. */
    static CalendarConnection delayed(CalendarConnection real, long latency) {
        return (CalendarConnection) Proxy.newProxyInstance(
                SyncScaleFigure.class.getClassLoader(), new Class<?>[] {CalendarConnection.class}, (p, m, a) -> {
                    Object r = invoke(m, real, a);
                    // the facets (reader, writer, changes, ...) make the provider's calls: those wait
                    if (r != null
                            && m.getParameterCount() == 0
                            && m.getReturnType().isInterface()
                            && m.getReturnType().getName().startsWith("org.calsdk.api.")) {
                        Object target = r;
                        return Proxy.newProxyInstance(
                                SyncScaleFigure.class.getClassLoader(),
                                new Class<?>[] {m.getReturnType()},
                                (fp, fm, fa) -> {
                                    if (fm.getDeclaringClass() == Object.class) {
                                        return invoke(fm, target, fa);
                                    }
                                    Thread.sleep(latency);
                                    return invoke(fm, target, fa);
                                });
                    }
                    return r;
                });
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A clock the figure moves by hand (schedules), while leases run on PostgreSQL's own clock. */
    public static final class StepClock extends Clock {
        private final AtomicReference<Instant> now;

        public StepClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        /** Moves the clock on by {@code d}. */
        public void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Counts database round trips: statement and batch executions, commits and rollbacks. */
    static final class Counting implements DataSource {
        final DataSource inner;
        final AtomicLong trips = new AtomicLong();

        Counting(DataSource inner) {
            this.inner = inner;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = inner.getConnection();
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                        if (m.getName().equals("commit") || m.getName().equals("rollback")) {
                            trips.incrementAndGet();
                        }
                        Object r = invoke(m, real, a);
                        if (r instanceof Statement st) {
                            Class<?> type = r instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                            return Proxy.newProxyInstance(
                                    getClass().getClassLoader(), new Class<?>[] {type}, (sp, sm, sa) -> {
                                        if (sm.getName().startsWith("execute")) {
                                            trips.incrementAndGet();
                                        }
                                        return invoke(sm, st, sa);
                                    });
                        }
                        return r;
                    });
        }

        @Override
        public Connection getConnection(String u, String pw) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return inner.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            inner.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            inner.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return inner.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getLogger("calsdk");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return inner.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return inner.isWrapperFor(iface);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
