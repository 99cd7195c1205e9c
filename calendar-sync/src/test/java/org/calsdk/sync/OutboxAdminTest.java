package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.NotFoundException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 15, missing operations: requeue or purge given-up pushes, and force a resync of one mailbox. */
class OutboxAdminTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
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
    void givenUpPushesCanBeRequeuedOrPurged(String kind) throws Exception {
        try (SyncStateStore store = store(kind);
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build();
                SyncEngine engine = SyncEngine.builder()
                        .store(store)
                        .connections((i, m) -> service.connect(m))
                        .listener(new HostRecorder())
                        .build()) {
            long one = store.enqueue(OutboxEntry.upsert(CAL, EventKey.of("one"), LUNCH));
            long two = store.enqueue(OutboxEntry.upsert(CAL, EventKey.of("two"), LUNCH));
            store.retryOutbox(one, 3, T0, "boom");
            store.failOutbox(one, "gave up");
            store.failOutbox(two, "gave up");
            store.recordSuccess(ALICE, T0, T0.plusSeconds(3600));
            long newer = store.enqueue(OutboxEntry.upsert(
                    CAL,
                    EventKey.of("two"),
                    LUNCH.toBuilder().summary("Lunch 2").build()));
            store.recordSuccess(ALICE, T0, T0.plusSeconds(3600)); // not due by the clock

            assertThat(engine.retryFailedPushes(ALICE)).isEqualTo(1);
            assertThat(store.outbox(ALICE))
                    .extracting(OutboxEntry::id, OutboxEntry::failed, OutboxEntry::attempts)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(one, false, 0),
                            org.assertj.core.groups.Tuple.tuple(newer, false, 0));
            assertThat(store.dueMailboxes(T0, 10)).as("due at once").containsExactly(ALICE);
            assertThat(engine.retryFailedPushes(ALICE)).isZero();

            store.failOutbox(one, "gave up again");
            assertThat(engine.purgeFailedPushes(ALICE)).isEqualTo(1);
            assertThat(store.outbox(ALICE)).extracting(OutboxEntry::id).containsExactly(newer);
            assertThat(engine.purgeFailedPushes(ALICE)).isZero();
            assertThatThrownBy(() -> engine.retryFailedPushes(Mailbox.of("nobody@example.com")))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> engine.purgeFailedPushes(Mailbox.of("nobody@example.com")))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void aForcedResyncForgetsTheCursorsUnderTheLeaseAndReadsEverythingAgain(String kind) throws Exception {
        try (SyncStateStore store = store(kind);
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            service.connect(ALICE).writer().create(CAL, EventKey.of("theirs"), LUNCH);
            HostRecorder host = new HostRecorder();
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections((i, m) -> service.connect(m))
                    .listener(host)
                    .clock(new MutableClock(T0))
                    .build()) { // the in-memory store's leases use it
                assertThat(engine.syncMailbox(ALICE).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(store.cursor(CAL).isStart()).isFalse();
                assertThat(host.externalLog).hasSize(1);

                MailboxLease running = store.acquireLease(ALICE, "node-x#pass", T0, Duration.ofHours(1))
                        .orElseThrow();
                assertThat(engine.resync(ALICE)).as("a pass holds the mailbox").isFalse();
                assertThat(store.cursor(CAL).isStart()).isFalse();
                store.releaseLease(running);

                assertThat(engine.resync(ALICE)).isTrue();
                assertThat(store.cursor(CAL)).isEqualTo(SyncCursor.START);
                assertThat(store.mailbox(ALICE).orElseThrow().nextSyncAt()).isEqualTo(Instant.EPOCH);
                assertThat(engine.runOnce().results())
                        .extracting(MailboxSyncResult::outcome)
                        .containsExactly(MailboxSyncResult.Outcome.OK);
                assertThat(store.cursor(CAL).isStart()).isFalse();
                assertThat(store.mappings(CAL)).hasSize(1); // the full read found the same event, nothing lost
                assertThatThrownBy(() -> engine.resync(Mailbox.of("nobody@example.com")))
                        .isInstanceOf(NotFoundException.class);
            }
        }
    }
}
