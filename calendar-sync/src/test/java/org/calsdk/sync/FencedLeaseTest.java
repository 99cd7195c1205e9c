package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, fenced leases: a pass that stalls (here in the host's listener) until its lease expires and
 * another engine takes it writes nothing afterwards. The store refuses every write of the stalled pass (its
 * lease generation is stale), so the state is exactly what the pass that took over left, and the stalled pass
 * ends BUSY without recording anything.
 */
class FencedLeaseTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final ZonedDateTime NINE = ZonedDateTime.parse("2026-03-09T09:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void aStalledPassWhoseLeaseWasTakenWritesNothingAfterwards(String kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        SyncStateStore store = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (store;
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            store.saveIntegration(Integration.active("team", "memory"));
            store.addMailbox("team", ALICE);
            try (CalendarConnection alice = service.connect(ALICE)) {
                alice.writer()
                        .create(
                                CAL,
                                EventKey.of("lunch"),
                                Event.builder()
                                        .summary("Lunch")
                                        .start(EventTime.of(NINE.withHour(12)))
                                        .end(EventTime.of(NINE.withHour(13)))
                                        .build());
            }
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            HostRecorder stalledHost = new HostRecorder() {
                @Override
                public void onExternalChange(ExternalChange change) {
                    super.onExternalChange(change);
                    stalled.countDown();
                    try {
                        assertThat(resume.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            HostRecorder takerHost = new HostRecorder();
            SyncConnections connections = (integration, m) -> service.connect(m);
            try (SyncEngine a = engine(store, connections, stalledHost, clock, "node-a");
                    SyncEngine b = engine(store, connections, takerHost, clock, "node-b")) {
                Future<MailboxSyncResult> first = pool.submit(() -> a.syncMailbox(ALICE));
                assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();

                // the stalled pass's lease runs out (no renewal reached the store in time) ...
                expireLease(kind, clock);
                try (CalendarConnection alice = service.connect(ALICE)) {
                    alice.writer()
                            .create(
                                    CAL,
                                    EventKey.of("dinner"),
                                    Event.builder()
                                            .summary("Dinner")
                                            .start(EventTime.of(NINE.withHour(19)))
                                            .end(EventTime.of(NINE.withHour(20)))
                                            .build());
                }
                // ... and another engine takes the mailbox and syncs it
                assertThat(b.syncMailbox(ALICE).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(takerHost.externalLog).hasSize(2);
                MailboxStatus status = store.mailbox(ALICE).orElseThrow();
                List<EventMapping> mappings = store.mappings(CAL);
                String cursor = store.cursor(CAL).value();
                assertThat(mappings).hasSize(2);

                resume.countDown();
                MailboxSyncResult late = first.get(30, TimeUnit.SECONDS);
                assertThat(late.outcome()).isEqualTo(MailboxSyncResult.Outcome.BUSY);
                assertThat(late.error()).contains("lease");
                // nothing of the stalled pass reached the store after the lease was taken
                assertThat(store.mailbox(ALICE).orElseThrow()).isEqualTo(status);
                assertThat(store.mappings(CAL)).isEqualTo(mappings);
                assertThat(store.cursor(CAL).value()).isEqualTo(cursor);
                assertThat(store.outbox(ALICE)).isEmpty();
                // and the mailbox is free again for the next pass
                assertThat(b.syncMailbox(ALICE).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Lets the lease expire: the in-memory store counts on the engines' clock, H2 on its own. */
    private void expireLease(String kind, MutableClock clock) throws Exception {
        if (kind.equals("memory")) {
            clock.advance(Duration.ofMinutes(3));
            return;
        }
        try (Connection c = DriverManager.getConnection(JdbcSyncStateStore.h2Url(dir), "sa", "");
                Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE sync_mailbox SET lease_until = 0 WHERE lease_owner IS NOT NULL"))
                    .isEqualTo(1);
        }
    }

    private static SyncEngine engine(
            SyncStateStore store, SyncConnections connections, SyncListener host, MutableClock clock, String node) {
        return SyncEngine.builder()
                .store(store)
                .connections(connections)
                .listener(host)
                .clock(clock)
                .nodeId(node)
                .leaseTtl(Duration.ofMinutes(2))
                .build();
    }
}
