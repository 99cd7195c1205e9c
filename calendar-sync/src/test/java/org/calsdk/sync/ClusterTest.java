package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.api.CalendarConnection;
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
 * Two engines on one PostgreSQL share 500 mailboxes through leases: no mailbox is ever synced by both at
 * once, and when one engine dies mid-pass (its threads hang forever, holding leases) the other finishes
 * every mailbox once the dead one's leases expire.
 */
class ClusterTest {
    static final int MAILBOXES = 500;
    static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE cluster");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        TestPostgres.stop(pg);
    }

    /** Counts concurrent passes per mailbox across both engines; a second one at once is an overlap. */
    static final class Recording implements SyncConnections {
        final InMemoryCalendarService service;
        final String node;
        final Map<Mailbox, AtomicInteger> active;
        final List<String> overlaps;
        final Set<Mailbox> synced = ConcurrentHashMap.newKeySet();
        final AtomicBoolean dead = new AtomicBoolean();
        final CountDownLatch never = new CountDownLatch(1);
        final AtomicInteger hung = new AtomicInteger();

        Recording(
                InMemoryCalendarService service,
                String node,
                Map<Mailbox, AtomicInteger> active,
                List<String> overlaps) {
            this.service = service;
            this.node = node;
            this.active = active;
            this.overlaps = overlaps;
        }

        @Override
        public CalendarConnection connect(Integration integration, Mailbox mailbox) {
            if (dead.get()) {
                hung.incrementAndGet();
                try {
                    never.await(); // a killed node: its thread never comes back, its leases are never released
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("killed");
            }
            AtomicInteger n = active.computeIfAbsent(mailbox, m -> new AtomicInteger());
            if (n.incrementAndGet() > 1) {
                overlaps.add(mailbox + " by " + node);
            }
            synced.add(mailbox);
            CalendarConnection real = service.connect(mailbox);
            return (CalendarConnection) java.lang.reflect.Proxy.newProxyInstance(
                    CalendarConnection.class.getClassLoader(),
                    new Class<?>[] {CalendarConnection.class},
                    (p, m, args) -> {
                        if (m.getName().equals("close")) {
                            n.decrementAndGet();
                        }
                        try {
                            return m.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Test
    void twoEnginesShareFiveHundredMailboxesAndTheSurvivorFinishesWhenOneDies() throws Exception {
        String url = pg.getJdbcUrl("postgres", "cluster");
        ZonedDateTime t = ZonedDateTime.of(2026, 5, 4, 9, 0, 0, 0, ZoneOffset.UTC);
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build();
                JdbcSyncStateStore storeA = JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres"));
                JdbcSyncStateStore storeB = JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres"))) {
            storeA.saveIntegration(Integration.active("tenant", "memory"));
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
                                        .start(EventTime.of(t))
                                        .end(EventTime.of(t.plusHours(1)))
                                        .build());
                storeA.addMailbox("tenant", m);
                storeA.enqueue(OutboxEntry.upsert(
                        CalendarRef.primary(m),
                        EventKey.of("app-" + i),
                        Event.builder()
                                .summary("App " + i)
                                .start(EventTime.of(t.plusHours(2)))
                                .end(EventTime.of(t.plusHours(3)))
                                .build()));
            }
            Map<Mailbox, AtomicInteger> active = new ConcurrentHashMap<>();
            List<String> overlaps = new CopyOnWriteArrayList<>();
            Recording a = new Recording(service, "A", active, overlaps);
            Recording b = new Recording(service, "B", active, overlaps);
            HostRecorder hostA = new HostRecorder();
            HostRecorder hostB = new HostRecorder();
            SyncEngine engineA = engine(storeA, a, hostA, "node-A");
            SyncEngine engineB = engine(storeB, b, hostB, "node-B");
            engineA.start();
            engineB.start();

            // Both engines work side by side for a while; on a loaded machine one may race ahead, so kill A
            // once both have done some work or, failing that, once a good part of the work is done.
            waitUntil(
                    () -> a.synced.size() >= 60 && b.synced.size() >= 60
                            || a.synced.size() >= 30 && a.synced.size() + b.synced.size() >= 300,
                    Duration.ofSeconds(120),
                    "both engines working");
            a.dead.set(true); // kill A mid-pass
            int doneByAAtDeath = a.synced.size();
            waitUntil(
                    () -> storeB.mailboxes().stream().allMatch(m -> m.lastSyncAt() != null && m.pendingPushes() == 0),
                    Duration.ofSeconds(90),
                    "B finishing every mailbox");
            engineB.close();

            assertThat(overlaps).as("mailboxes synced by both engines at once").isEmpty();
            assertThat(a.synced.size() + b.synced.size()).isGreaterThanOrEqualTo(MAILBOXES);
            assertThat(doneByAAtDeath).as("A worked before it died").isGreaterThanOrEqualTo(30);
            assertThat(all.stream().filter(m -> !a.synced.contains(m)).toList())
                    .as("every mailbox A never got to was synced by B")
                    .allMatch(b.synced::contains);
            for (Mailbox m : all) {
                List<Event> events = service.events(CalendarRef.primary(m));
                assertThat(events).as("events of " + m).hasSize(2);
            }
            Set<String> seen = ConcurrentHashMap.newKeySet();
            seen.addAll(hostA.external.keySet());
            seen.addAll(hostB.external.keySet());
            assertThat(seen).as("every external event reached the host").hasSize(MAILBOXES);
            System.out.println("cluster: A synced " + a.synced.size() + ", B synced " + b.synced.size()
                    + ", A threads hung at death: " + a.hung.get());
            // A's threads stay parked (as a dead node's would); its engine object is abandoned, not closed.
        }
    }

    static SyncEngine engine(SyncStateStore store, SyncConnections connections, SyncListener listener, String node) {
        return SyncEngine.builder()
                .store(store)
                .connections(connections)
                .listener(listener)
                .nodeId(node)
                .threads(2)
                .checkInterval(Duration.ofMillis(20))
                // long enough that a thread stalled by a loaded CI machine keeps its lease (a 2 s lease could
                // expire under a live pass and show up as an overlap), short enough that B soon takes A's leases
                .leaseTtl(Duration.ofSeconds(10))
                // a killed node's hung passes stop renewing their leases (a real kill stops the JVM's renewal timer)
                .maxPassTime(Duration.ofSeconds(10))
                .pollInterval(Duration.ofHours(1))
                .build();
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
