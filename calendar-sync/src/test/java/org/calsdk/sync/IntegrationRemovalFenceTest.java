package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
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
 * Issue 15: an integration removed while a pass of one of its mailboxes is in flight. The removal seizes the
 * leases of the integration's mailboxes first, so the pass in flight is fenced: it writes nothing after the
 * removal began (before, its late writes met a removed mailbox and the pass threw out of the engine), and ends
 * BUSY; nothing of the integration is left in the store. The test wakes the stalled pass while the removal
 * is deleting the app's events (the mailbox still in the store), where an unfenced pass would go on writing.
 */
class IntegrationRemovalFenceTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final ZonedDateTime NINE = ZonedDateTime.parse("2026-03-09T09:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void aPassInFlightDuringTheRemovalWritesNothingAfterIt(String kind) throws Exception {
        SyncStateStore store = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (store;
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
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
            java.util.concurrent.atomic.AtomicBoolean stall = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Future<MailboxSyncResult>> pass =
                    new java.util.concurrent.atomic.AtomicReference<>();
            HostRecorder host = new HostRecorder() {
                @Override
                public void onExternalChange(ExternalChange change) {
                    super.onExternalChange(change);
                    if (!stall.get()) {
                        return;
                    }
                    stalled.countDown();
                    try {
                        assertThat(resume.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            SyncConnections connections = (i, m) -> {
                if (stalled.getCount() == 0 && resume.getCount() == 1) {
                    // the removal connects to delete the app's events: the stalled pass wakes up now, in the
                    // middle of the removal, and finishes before the removal goes on
                    resume.countDown();
                    try {
                        pass.get().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return service.connect(m);
            };
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .listener(host)
                    .clock(new MutableClock(Instant.parse("2026-03-02T10:00:00Z")))
                    .build()) {
                engine.saveIntegration(Integration.active("team", "memory"));
                engine.addMailbox("team", ALICE);
                store.enqueue(OutboxEntry.upsert(
                        CAL,
                        EventKey.of("booking-1"),
                        Event.builder()
                                .summary("Interview")
                                .start(EventTime.of(NINE.withHour(15)))
                                .end(EventTime.of(NINE.withHour(16)))
                                .build()));
                assertThat(engine.syncMailbox(ALICE).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
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
                stall.set(true);
                pass.set(pool.submit(() -> engine.syncMailbox(ALICE)));
                assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();

                IntegrationRemoval removal = engine.deleteIntegration("team", true);
                assertThat(removal.removed()).isTrue();
                assertThat(removal.eventsDeleted()).isEqualTo(1);

                MailboxSyncResult late = pass.get().get(30, TimeUnit.SECONDS);
                assertThat(late.outcome())
                        .as("the pass woke during the removal and was fenced")
                        .isEqualTo(MailboxSyncResult.Outcome.BUSY);
                assertThat(late.error()).contains("lease");
                assertThat(store.integrations()).isEmpty();
                assertThat(store.mailboxes()).isEmpty();
                assertThat(store.mappings(CAL)).isEmpty();
                assertThat(service.events(CAL)).extracting(Event::summary).containsExactlyInAnyOrder("Lunch", "Dinner");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void removingOneMailboxFencesItsPassAndLeavesTheOthers(String kind) throws Exception {
        Mailbox bob = Mailbox.of("bob@example.com");
        SyncStateStore store = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (store;
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice").addUser(bob, "Bob");
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
            HostRecorder host = new HostRecorder() {
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
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections((i, m) -> service.connect(m))
                    .listener(host)
                    .clock(new MutableClock(Instant.parse("2026-03-02T10:00:00Z")))
                    .build()) {
                engine.saveIntegration(Integration.active("team", "memory"));
                engine.addMailbox("team", ALICE);
                engine.addMailbox("team", bob);
                Future<MailboxSyncResult> pass = pool.submit(() -> engine.syncMailbox(ALICE));
                assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();

                engine.removeMailbox(ALICE);
                resume.countDown();
                MailboxSyncResult late = pass.get(30, TimeUnit.SECONDS);
                assertThat(late.outcome()).isEqualTo(MailboxSyncResult.Outcome.BUSY);
                assertThat(store.mailboxes()).extracting(MailboxStatus::mailbox).containsExactly(bob);
                assertThat(store.mappings(CAL)).isEmpty();
                assertThat(engine.syncMailbox(bob).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThatThrownBy(() -> engine.removeMailbox(ALICE))
                        .isInstanceOf(org.calsdk.errors.NotFoundException.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
