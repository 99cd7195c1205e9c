package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The due queue on PostgreSQL (issue 15): idle mailboxes cost at most 2 database round trips each, counted at
 * the JDBC driver's door, because claims and write-backs are batched across mailboxes; the claim query reads
 * the due-queue index, not the whole table; two engines claiming at once never claim the same mailbox.
 */
class DueQueueTest {
    static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE duequeue");
            s.execute("CREATE DATABASE claims");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        TestPostgres.stop(pg);
    }

    static HikariDataSource pool(String db) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.getJdbcUrl("postgres", db));
        cfg.setUsername("postgres");
        cfg.setPassword("postgres");
        cfg.setMaximumPoolSize(6);
        return new HikariDataSource(cfg);
    }

    @Test
    void idleMailboxesCostAtMostTwoRoundTripsEachAndTheClaimReadsTheIndex() throws Exception {
        int mailboxes = 400;
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        try (HikariDataSource pool = pool("duequeue");
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().clock(clock).build()) {
            InstrumentedDataSource counted = new InstrumentedDataSource(pool, 1);
            SyncStateStore store = JdbcSyncStateStore.of(counted);
            store.saveIntegration(Integration.active("acme", "memory"));
            List<Mailbox> all = new ArrayList<>();
            for (int i = 0; i < mailboxes; i++) {
                Mailbox m = Mailbox.of("user" + i + "@example.com");
                all.add(m);
                service.addUser(m, "User " + i);
                store.addMailbox("acme", m);
            }
            HostRecorder host = new HostRecorder();
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .listener(host)
                    .clock(clock)
                    .random(new Random(1))
                    .connections((i, m) -> service.connect(m))
                    .nodeId("rt")
                    .build()) {
                assertThat(engine.runOnce().results()).hasSize(mailboxes); // first passes: full reads
                // idle: every mailbox due again, nothing changed in any calendar
                clock.advance(Duration.ofHours(1));
                long before = counted.roundTrips.get();
                SyncReport idle = engine.runOnce();
                long trips = counted.roundTrips.get() - before;
                assertThat(idle.results())
                        .hasSize(mailboxes)
                        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(MailboxSyncResult.Outcome.OK));
                double perMailbox = trips / (double) mailboxes;
                System.out.printf(
                        "due queue: %d idle mailboxes, %d round trips, %.3f per mailbox%n",
                        mailboxes, trips, perMailbox);
                assertThat(perMailbox).as("round trips per idle mailbox").isLessThanOrEqualTo(2.0);
                assertThat(store.dueMailboxes(clock.instant(), 10))
                        .as("every idle pass recorded its next poll")
                        .isEmpty();
                assertThat(store.mailboxes())
                        .allSatisfy(st -> assertThat(st.lastSyncAt()).isEqualTo(clock.instant()));

                // 1% changed: their changes arrive, the others stay idle, nothing is delivered twice
                clock.advance(Duration.ofHours(1));
                for (int i = 0; i < mailboxes; i += 100) {
                    Mailbox m = all.get(i);
                    service.connect(m)
                            .writer()
                            .create(
                                    CalendarRef.primary(m),
                                    EventKey.of("ext-" + i),
                                    Event.builder()
                                            .summary("External " + i)
                                            .start(EventTime.of(java.time.ZonedDateTime.parse("2026-03-02T10:00:00Z")))
                                            .end(EventTime.of(java.time.ZonedDateTime.parse("2026-03-02T11:00:00Z")))
                                            .build());
                }
                before = counted.roundTrips.get();
                SyncReport changed = engine.runOnce();
                trips = counted.roundTrips.get() - before;
                System.out.printf(
                        "due queue: 1%% changed, %d round trips, %.3f per mailbox%n",
                        trips, trips / (double) mailboxes);
                assertThat(changed.results().stream()
                                .mapToInt(MailboxSyncResult::pulled)
                                .sum())
                        .isEqualTo(mailboxes / 100);
                assertThat(host.external).hasSize(mailboxes / 100);
            }
            // the claim is an ordered range scan of the due-queue index, not a scan of the table
            try (Connection c = pool.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("ANALYZE");
                String sql = JdbcSyncStateStore.CLAIM_SQL
                        .replaceFirst("\\?", String.valueOf(clock.instant().toEpochMilli()))
                        .replaceFirst("\\?", "64");
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                System.out.println(plan);
                assertThat(plan.toString())
                        .contains("sync_mailbox_due_queue")
                        .doesNotContain("Seq Scan on sync_mailbox");
            }
        }
    }

    @Test
    void twoEnginesClaimingAtOnceNeverClaimTheSameMailbox() throws Exception {
        try (HikariDataSource pool = pool("claims")) {
            SyncStateStore store = JdbcSyncStateStore.of(pool);
            store.saveIntegration(Integration.active("acme", "memory"));
            for (int i = 0; i < 300; i++) {
                store.addMailbox("acme", Mailbox.of("user" + i + "@example.com"));
            }
            List<Mailbox> claimed = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String owner = "node-" + t;
                threads.add(new Thread(() -> {
                    while (true) {
                        List<SyncStateStore.Claim> got = store.claimDue(owner, Instant.now(), 7, Duration.ofMinutes(5));
                        if (got.isEmpty()) {
                            return;
                        }
                        got.forEach(c -> claimed.add(c.lease().mailbox()));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
        }
    }
}
