package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster proof of issue 15: three engines, each in a JVM of its own ({@link ClusterChild}), share the
 * mailboxes (400 by default, the 2,000 with {@code -P cluster-full}) on one embedded PostgreSQL. One engine's pass stalls in the host's listener far past its lease
 * (renewal stops after {@code maxPassTime}), so the lease really expires and another engine takes the mailbox;
 * and one engine's JVM is killed with SIGKILL in the middle of its passes, three times (each time a fresh JVM
 * takes its place).
 *
 * <p>Overlap is checked by fencing, not by a long lease: an audit trigger records, with every write to the
 * mailboxes' cursors, mappings and outbox, which engine wrote (PostgreSQL's application name) and who held the
 * mailbox's lease in that transaction; no engine ever wrote while another held the lease. Also asserted: no
 * duplicate (each mailbox's calendar holds its external event and its app event exactly once), nothing lost
 * (every app push made, every external event in the host's table), and after each kill every mailbox is synced
 * again within two poll cycles.
 */
class ClusterKillTest {
    /** 400 by default; {@code mvn -P cluster-full} runs the 2,000 (a few minutes on a busy 2-core machine). */
    static final int MAILBOXES = Integer.getInteger("calsdk.cluster.mailboxes", 400);

    static final int KILLS = Integer.getInteger("calsdk.cluster.kills", 3);
    static final Duration POLL = Duration.ofSeconds(Integer.getInteger("calsdk.cluster.pollSeconds", 20));
    static final Duration TTL = Duration.ofSeconds(2);
    /** A poll cycle: the interval plus its greatest jitter (10%). */
    static final Duration CYCLE = POLL.plus(POLL.dividedBy(10));

    static final ZonedDateTime T = ZonedDateTime.of(2026, 5, 4, 9, 0, 0, 0, ZoneOffset.UTC);
    static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE killcluster");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        TestPostgres.stop(pg);
    }

    /** A child engine and the lines it printed. */
    record Child(String node, Process process, BlockingQueue<String> lines) {}

    final List<Process> started = new ArrayList<>();

    @Test
    void threeEnginesKilledAndStalledMidPassNeverOverlapAndLoseOrDuplicateNothing() throws Exception {
        String url = pg.getJdbcUrl("postgres", "killcluster");
        int i0 = url.indexOf('?');
        String plainUrl = i0 < 0 ? url : url.substring(0, i0);
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build();
                RemoteMemoryBridge bridge = new RemoteMemoryBridge(service);
                JdbcSyncStateStore store = JdbcSyncStateStore.open(plainUrl, "postgres", Secret.of("postgres"));
                Connection sql =
                        DriverManager.getConnection(plainUrl + "?ApplicationName=test", "postgres", "postgres")) {
            audit(sql);
            store.saveIntegration(Integration.active("tenant", "memory"));
            long t0 = System.nanoTime();
            List<Mailbox> all = new ArrayList<>();
            for (int i = 0; i < MAILBOXES; i++) {
                Mailbox m = Mailbox.of("person" + i + "@example.com");
                all.add(m);
                service.addUser(m, "Person " + i);
                service.connect(m)
                        .writer()
                        .create(
                                CalendarRef.primary(m),
                                EventKey.of("own-" + i),
                                Event.builder()
                                        .summary("Own " + i)
                                        .start(EventTime.of(T))
                                        .end(EventTime.of(T.plusHours(1)))
                                        .build());
            }
            java.util.stream.IntStream.range(0, MAILBOXES).parallel().forEach(i -> {
                Mailbox m = all.get(i);
                store.addMailbox("tenant", m);
                store.enqueue(OutboxEntry.upsert(
                        CalendarRef.primary(m),
                        EventKey.of("app-" + i),
                        Event.builder()
                                .summary("App " + i)
                                .start(EventTime.of(T.plusHours(2)))
                                .end(EventTime.of(T.plusHours(3)))
                                .build()));
            });
            System.out.printf("set up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            Map<String, Child> children = new ConcurrentHashMap<>();
            try {
                Child a = launch(plainUrl, bridge, "node-A1", true);
                children.put("A", a);
                children.put("B", launch(plainUrl, bridge, "node-B1", false));
                children.put("C", launch(plainUrl, bridge, "node-C1", false));
                for (Child c : children.values()) {
                    await(c, "ready"); // the three JVMs start side by side
                }

                // the stalled pass: A's listener blocks past its lease; another engine syncs the mailbox meanwhile
                String stalled = await(a, "stall ").substring("stall ".length());
                System.out.printf("children started, A stalled, at %d ms%n", (System.nanoTime() - t0) / 1_000_000);

                String[] victims = {"B", "C", "B"};
                List<Instant> kills = new ArrayList<>();
                List<Integer> heldAtKill = new ArrayList<>();
                for (int k = 0; k < KILLS; k++) {
                    String v = victims[k % victims.length];
                    Child victim = children.get(v);
                    // kill mid-pass: wait until the victim holds leases of passes in flight
                    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    int held = 0;
                    while (System.nanoTime() < until && (held = leasesHeld(sql, victim.node())) == 0) {
                        Thread.sleep(5);
                    }
                    kills.add(Instant.now());
                    victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally block, leases left held
                    assertThat(victim.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
                    heldAtKill.add(held);
                    System.out.printf(
                            "killed %s holding %d leases; %d mailboxes never synced yet%n",
                            victim.node(),
                            held,
                            count(sql, "SELECT COUNT(*) FROM sync_mailbox WHERE last_sync_at IS NULL"));
                    children.put(v, start(plainUrl, bridge, "node-" + v + (k + 2), false));
                    Thread.sleep(3000);
                }
                await(a, "stall-end");
                System.out.printf("kills done, A's stall ended, at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                // every mailbox synced again within two poll cycles of each kill
                List<Long> lags = new ArrayList<>();
                for (Instant killedAt : kills) {
                    Instant deadline = killedAt.plus(CYCLE.multipliedBy(2));
                    while (unsyncedSince(sql, killedAt) > 0 && Instant.now().isBefore(deadline)) {
                        Thread.sleep(100);
                    }
                    assertThat(unsyncedSince(sql, killedAt))
                            .as("mailboxes not synced within two cycles of the kill at " + killedAt)
                            .isZero();
                    lags.add(Duration.between(killedAt, Instant.now()).toMillis());
                }
                ClusterTest.waitUntil(
                        () -> count(sql, "SELECT COUNT(*) FROM sync_outbox") == 0
                                && count(sql, "SELECT COUNT(*) FROM host_external") == MAILBOXES,
                        Duration.ofSeconds(60),
                        "every push made and every external event delivered");

                // no engine wrote while another held the lease (fencing), the stalled pass included
                assertThat(rows(
                                sql,
                                "SELECT tbl || ' ' || email_norm || ' by ' || writer || ' under '"
                                        + " || COALESCE(lease_owner, 'no lease') FROM pass_audit WHERE writer LIKE 'node-%'"
                                        + " AND (lease_owner IS NULL OR lease_owner NOT LIKE writer || '#%')"))
                        .as("writes made without holding the lease")
                        .isEmpty();
                long stalledGen = count(
                        sql,
                        "SELECT COALESCE(MAX(generation), 0) FROM pass_audit WHERE email_norm = '" + stalled
                                + "' AND writer = 'node-A1'");
                long laterGen = count(
                        sql,
                        "SELECT COALESCE(MAX(generation), 0) FROM pass_audit WHERE email_norm = '" + stalled
                                + "' AND writer <> 'node-A1' AND writer LIKE 'node-%'");
                assertThat(laterGen)
                        .as("another engine took the stalled pass's mailbox and wrote under a newer lease")
                        .isGreaterThan(stalledGen);
                assertThat(heldAtKill)
                        .as("each killed engine held leases of passes in flight")
                        .allMatch(n -> n > 0);
                for (Mailbox m : all) {
                    List<Event> events = service.events(CalendarRef.primary(m));
                    assertThat(events)
                            .as("events of " + m + " (no duplicate, nothing lost)")
                            .hasSize(2);
                    assertThat(events)
                            .filteredOn(e -> e.key()
                                    .map(EventKey.of("app-"
                                            + m.email().substring(6, m.email().indexOf('@')))::equals)
                                    .orElse(false))
                            .hasSize(1);
                }
                System.out.printf(
                        "cluster kill: %d mailboxes, %d kills (leases held at each: %s), synced again after"
                                + " %s ms, %d audited writes, stalled mailbox taken over at generation %d > %d%n",
                        MAILBOXES,
                        KILLS,
                        heldAtKill,
                        lags,
                        count(sql, "SELECT COUNT(*) FROM pass_audit"),
                        laterGen,
                        stalledGen);
            } finally {
                for (Process p : started) {
                    p.destroyForcibly();
                    p.waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Records every write to the pass tables with the writer's application name and the lease of its mailbox. */
    static void audit(Connection sql) throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE TABLE host_external (id VARCHAR(1000) PRIMARY KEY, node VARCHAR(100))");
            s.execute(
                    "CREATE TABLE pass_audit (tbl TEXT, email_norm TEXT, writer TEXT, lease_owner TEXT, generation BIGINT)");
            s.execute("CREATE FUNCTION pass_audit() RETURNS trigger AS $$ DECLARE e TEXT; r RECORD; BEGIN"
                    + " IF TG_OP = 'DELETE' THEN e := OLD.email_norm; ELSE e := NEW.email_norm; END IF;"
                    + " SELECT lease_owner, lease_generation INTO r FROM sync_mailbox WHERE email_norm = e;"
                    + " INSERT INTO pass_audit VALUES (TG_TABLE_NAME, e, current_setting('application_name'),"
                    + " r.lease_owner, r.lease_generation); RETURN NULL; END $$ LANGUAGE plpgsql");
            for (String t : List.of("sync_event", "sync_cursor", "sync_outbox")) {
                s.execute("CREATE TRIGGER " + t + "_audit AFTER INSERT OR UPDATE OR DELETE ON " + t
                        + " FOR EACH ROW EXECUTE FUNCTION pass_audit()");
            }
        }
    }

    static int leasesHeld(Connection sql, String node) {
        return (int) count(
                sql,
                "SELECT COUNT(*) FROM sync_mailbox WHERE lease_owner LIKE '" + node + "#%'"
                        + " AND lease_until > CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)");
    }

    static long unsyncedSince(Connection sql, Instant t) {
        return count(
                sql,
                "SELECT COUNT(*) FROM sync_mailbox WHERE last_sync_at IS NULL OR last_sync_at < " + t.toEpochMilli());
    }

    static long count(Connection sql, String query) {
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> rows(Connection sql, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    Child start(String url, RemoteMemoryBridge bridge, String node, boolean stall) throws Exception {
        Child c = launch(url, bridge, node, stall);
        await(c, "ready");
        return c;
    }

    Child launch(String url, RemoteMemoryBridge bridge, String node, boolean stall) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ClusterChild.class.getName(),
                url,
                bridge.url(),
                node,
                stall ? "stall" : "plain",
                String.valueOf(POLL.toMillis()),
                String.valueOf(TTL.toMillis()));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        started.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (Exception e) {
                        // the child was killed
                    }
                },
                "child-" + node);
        reader.setDaemon(true);
        reader.start();
        return new Child(node, p, lines);
    }

    static String await(Child c, String prefix) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            String line = c.lines().poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !c.process().isAlive()) {
                throw new AssertionError(
                        c.node() + " exited with " + c.process().exitValue());
            }
        }
        throw new AssertionError("timed out waiting for '" + prefix + "' from " + c.node());
    }
}
