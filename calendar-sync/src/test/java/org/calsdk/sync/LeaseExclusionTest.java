package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15: the lease query let a node take its own lease again ({@code lease_owner = ?}), so a second
 * {@code syncMailbox} during a pass ran alongside it, and the first to finish released the lease for both.
 * A lease now belongs to one pass (its own token), on every store and also between engines configured with
 * the same node id.
 */
class LeaseExclusionTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} store, second call from {1}")
    @CsvSource({
        "memory, same engine",
        "memory, replica with the same node id",
        "h2, same engine",
        "h2, replica with the same node id"
    })
    void twoConcurrentSyncMailboxCallsOnOneMailboxNeverOverlap(String kind, String second) throws Exception {
        SyncStateStore store = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (store;
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            store.saveIntegration(Integration.active("team", "memory"));
            store.addMailbox("team", ALICE);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger passes = new AtomicInteger();
            CountDownLatch firstInside = new CountDownLatch(1);
            CountDownLatch letFirstGo = new CountDownLatch(1);
            SyncConnections connections = (integration, m) -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    if (passes.incrementAndGet() == 1) {
                        firstInside.countDown();
                        assertThat(letFirstGo.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                    return service.connect(m);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inside.decrementAndGet();
                }
            };
            try (SyncEngine a = engine(store, connections);
                    SyncEngine b = engine(store, connections)) {
                SyncEngine other = second.startsWith("same") ? a : b;
                Future<MailboxSyncResult> first = pool.submit(() -> a.syncMailbox(ALICE));
                assertThat(firstInside.await(30, TimeUnit.SECONDS)).isTrue();

                MailboxSyncResult during = other.syncMailbox(ALICE);
                assertThat(during.outcome())
                        .as("a second pass while the first runs")
                        .isEqualTo(MailboxSyncResult.Outcome.BUSY);
                assertThat(most.get()).as("passes inside the mailbox at once").isEqualTo(1);

                letFirstGo.countDown();
                assertThat(first.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(other.syncMailbox(ALICE).outcome())
                        .as("the lease was given back by the pass that held it")
                        .isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(most.get()).isEqualTo(1);
                assertThat(passes.get()).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static SyncEngine engine(SyncStateStore store, SyncConnections connections) {
        return SyncEngine.builder()
                .store(store)
                .connections(connections)
                .listener(new HostRecorder())
                .nodeId("node-1")
                .build();
    }
}
