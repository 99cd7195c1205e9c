package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.ProviderUnavailableException;
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
 * Issue 15, what makes a mailbox due: a webhook (or any requested sync) that comes in while a pass of the
 * mailbox runs is not swallowed by that pass's success; app pushes go ahead of routine polls; and a failing
 * mailbox keeps its error backoff whatever asks for it (a pending push, a webhook).
 */
class DueTriggersTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Event LUNCH = Event.builder()
            .summary("Lunch")
            .start(EventTime.utc(Instant.parse("2026-03-09T12:00:00Z")))
            .end(EventTime.utc(Instant.parse("2026-03-09T13:00:00Z")))
            .build();

    @TempDir
    Path dir;

    private SyncStateStore store(String kind) {
        SyncStateStore store = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        store.saveIntegration(Integration.active("team", "memory"));
        store.addMailbox("team", ALICE);
        return store;
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void aSyncRequestedDuringAPassCausesAnotherPassRightAfterIt(String kind) throws Exception {
        MutableClock clock = new MutableClock(T0);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SyncStateStore store = store(kind);
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            AtomicInteger connects = new AtomicInteger();
            SyncConnections connections = (i, m) -> {
                if (connects.incrementAndGet() == 1) {
                    inside.countDown();
                    try {
                        assertThat(goOn.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return service.connect(m);
            };
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .listener(new HostRecorder())
                    .clock(clock)
                    .build()) {
                Future<MailboxSyncResult> pass = pool.submit(() -> engine.syncMailbox(ALICE));
                assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
                engine.syncNow(ALICE); // a webhook while the pass is connecting: its change may be missed by it
                goOn.countDown();
                assertThat(pass.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(store.dueMailboxes(clock.instant(), 10))
                        .as("due again at once")
                        .containsExactly(ALICE);

                assertThat(engine.runOnce().results())
                        .extracting(MailboxSyncResult::outcome)
                        .containsExactly(MailboxSyncResult.Outcome.OK);
                assertThat(store.dueMailboxes(clock.instant(), 10))
                        .as("no request during that pass")
                        .isEmpty();
                assertThat(store.mailbox(ALICE).orElseThrow().nextSyncAt()).isAfter(clock.instant());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void appPushesGoAheadOfRoutinePolls(String kind) {
        try (SyncStateStore store = store(kind)) {
            store.addMailbox("team", BOB);
            store.recordSuccess(ALICE, T0.minusSeconds(900), T0.minusSeconds(600)); // its poll overdue for 10 min
            store.recordSuccess(BOB, T0.minusSeconds(900), T0.plusSeconds(300)); // not due for 5 min
            assertThat(store.dueMailboxes(T0, 10)).containsExactly(ALICE);
            store.enqueue(OutboxEntry.upsert(CalendarRef.primary(BOB), EventKey.of("booking-1"), LUNCH));
            assertThat(store.dueMailboxes(T0, 1)).containsExactly(BOB);
            assertThat(store.dueMailboxes(T0, 10)).containsExactly(BOB, ALICE);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void aFailingMailboxWithAPendingPushOrAWebhookWaitsForItsBackoff(String kind) {
        MutableClock clock = new MutableClock(T0);
        try (SyncStateStore store = store(kind);
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            AtomicBoolean down = new AtomicBoolean(true);
            AtomicInteger connects = new AtomicInteger();
            SyncConnections connections = (i, m) -> {
                connects.incrementAndGet();
                if (down.get()) {
                    throw new ProviderUnavailableException("provider down", ErrorContext.NONE, null);
                }
                return service.connect(m);
            };
            HostRecorder host = new HostRecorder();
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .listener(host)
                    .clock(clock)
                    .errorBackoff(new BackoffPolicy(Duration.ofMinutes(1), Duration.ofMinutes(1), 0, 1))
                    .build()) {
                store.enqueue(OutboxEntry.upsert(CalendarRef.primary(ALICE), EventKey.of("booking-1"), LUNCH));
                assertThat(engine.runOnce().results())
                        .extracting(MailboxSyncResult::outcome)
                        .containsExactly(MailboxSyncResult.Outcome.FAILED);
                clock.advance(Duration.ofSeconds(5));
                assertThat(engine.runOnce().results())
                        .as("the pending push does not skip the backoff")
                        .isEmpty();
                engine.syncNow(ALICE);
                store.enqueue(OutboxEntry.upsert(CalendarRef.primary(ALICE), EventKey.of("booking-2"), LUNCH));
                assertThat(engine.runOnce().results())
                        .as("nor does a webhook or another push")
                        .isEmpty();
                assertThat(connects.get()).isEqualTo(1);

                down.set(false);
                clock.advance(Duration.ofMinutes(1));
                assertThat(engine.runOnce().results())
                        .extracting(MailboxSyncResult::outcome)
                        .containsExactly(MailboxSyncResult.Outcome.OK);
                assertThat(host.pushed).hasSize(2);
                assertThat(connects.get()).isEqualTo(2);
            }
        }
    }
}
