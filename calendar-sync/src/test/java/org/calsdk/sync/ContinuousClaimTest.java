package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;

/**
 * The scheduler claims continuously (issue 15): a pass that hangs holds one worker, and the other worker goes on
 * claiming and syncing the rest of the queue meanwhile. Before, the pool ran a batch of 64 and waited for the
 * whole batch, so one slow mailbox held back every mailbox beyond its batch (here 37 of 101).
 */
class ContinuousClaimTest {
    @Test
    void aHangingPassDoesNotHoldBackTheOthers() throws Exception {
        Mailbox slow = Mailbox.of("slow@example.com");
        CountDownLatch release = new CountDownLatch(1);
        Set<Mailbox> synced = ConcurrentHashMap.newKeySet();
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build();
                SyncStateStore store = new InMemorySyncStateStore()) {
            List<Mailbox> all = new ArrayList<>();
            all.add(slow);
            for (int i = 0; i < 100; i++) { // more than the old batch of 64
                all.add(Mailbox.of("user" + i + "@example.com"));
            }
            all.forEach(m -> service.addUser(m, m.email()));
            SyncConnections connections = (integration, mailbox) -> {
                if (mailbox.equals(slow)) {
                    try {
                        release.await(20, TimeUnit.SECONDS); // a provider call that hangs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                CalendarConnection c = service.connect(mailbox);
                synced.add(mailbox);
                return c;
            };
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .threads(2)
                    .checkInterval(Duration.ofMillis(20))
                    .nodeId("continuous")
                    .build()) {
                engine.saveIntegration(Integration.active("acme", "memory"));
                engine.addMailbox("acme", slow); // first in the queue
                all.stream().filter(m -> !m.equals(slow)).forEach(m -> engine.addMailbox("acme", m));
                engine.start();
                ClusterTest.waitUntil(
                        () -> synced.size() == all.size() - 1,
                        Duration.ofSeconds(15),
                        "the other mailboxes synced while one pass hangs");
                assertThat(synced).doesNotContain(slow);
                release.countDown();
                ClusterTest.waitUntil(
                        () -> store.mailbox(slow).orElseThrow().lastSyncAt() != null,
                        Duration.ofSeconds(15),
                        "the slow mailbox synced once released");
                assertThat(store.mailboxes())
                        .allSatisfy(st -> assertThat(st.lastSyncAt()).isNotNull());
            }
        }
    }
}
