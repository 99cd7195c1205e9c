package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.calsdk.testkit.memory.MemoryNotice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 15, missing operations: outbound RSVP through the outbox, and the backlog and lag gauges. */
class RsvpAndBacklogTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final Mailbox CAROL = Mailbox.of("carol@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Event INVITE = Event.builder()
            .summary("Mentoring")
            .organizer(Organizer.of(BOB))
            .attendees(List.of(Attendee.required(ALICE), Attendee.required(BOB)))
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
    void anAnswerGoesOutThroughTheOutboxAndTheLatestAnswerWins(String kind) throws Exception {
        try (SyncStateStore store = store(kind);
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            String id = service.connect(ALICE)
                    .writer()
                    .create(CAL, EventKey.of("bobs-invite"), INVITE)
                    .id()
                    .orElseThrow();
            HostRecorder host = new HostRecorder();
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections((i, m) -> service.connect(m))
                    .listener(host)
                    .clock(new MutableClock(T0))
                    .build()) {
                engine.syncMailbox(ALICE);
                assertThat(host.externalLog).extracting(ExternalChange::eventId).containsExactly(id);

                engine.respond(CAL, id, Attendee.ResponseStatus.TENTATIVE);
                long latest = engine.respond(CAL, id, Attendee.ResponseStatus.ACCEPTED);
                assertThat(store.outbox(ALICE))
                        .as("a newer answer replaces one not yet pushed")
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.id()).isEqualTo(latest);
                            assertThat(e.operation()).isEqualTo(OutboxEntry.Operation.RESPOND);
                            assertThat(e.key()).isEqualTo(OutboxEntry.responseKey(id));
                            assertThat(e.response())
                                    .isEqualTo(new OutboxEntry.Response(id, Attendee.ResponseStatus.ACCEPTED, true));
                            assertThat(e.event()).isNull();
                        });
                assertThat(store.dueMailboxes(T0, 10))
                        .as("an answer makes its mailbox due at once")
                        .containsExactly(ALICE);

                assertThat(engine.runOnce().results())
                        .extracting(MailboxSyncResult::outcome)
                        .containsExactly(MailboxSyncResult.Outcome.OK);
                Event now = service.connect(ALICE).reader().get(CAL, id).orElseThrow();
                assertThat(now.attendee(ALICE).orElseThrow().response()).isEqualTo(Attendee.ResponseStatus.ACCEPTED);
                assertThat(service.notices())
                        .filteredOn(n -> n.kind() == MemoryNotice.Kind.REPLY)
                        .hasSize(1);
                assertThat(host.pushed)
                        .extracting(OutboxEntry::operation)
                        .containsExactly(OutboxEntry.Operation.RESPOND);
                assertThat(store.outbox(ALICE)).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void anAnswerThatCannotBeGivenIsGivenUpAndReported(String kind) throws Exception {
        try (SyncStateStore store = store(kind);
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build()) {
            service.addUser(ALICE, "Alice");
            Event notInvited = INVITE.toBuilder()
                    .attendees(List.of(Attendee.required(BOB)))
                    .build();
            String id = service.connect(ALICE)
                    .writer()
                    .create(CAL, EventKey.of("not-hers"), notInvited)
                    .id()
                    .orElseThrow();
            HostRecorder host = new HostRecorder();
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections((i, m) -> service.connect(m))
                    .listener(host)
                    .clock(new MutableClock(T0))
                    .build()) {
                engine.respond(CAL, id, Attendee.ResponseStatus.DECLINED);
                engine.runOnce();
                assertThat(host.pushFailures)
                        .extracting(OutboxEntry::operation)
                        .containsExactly(OutboxEntry.Operation.RESPOND);
                assertThat(store.outbox(ALICE)).singleElement().satisfies(e -> {
                    assertThat(e.failed()).isTrue();
                    assertThat(e.response().status()).isEqualTo(Attendee.ResponseStatus.DECLINED);
                });
                assertThat(engine.backlog().failedPushes()).isEqualTo(1);
                assertThat(engine.purgeFailedPushes(ALICE)).isEqualTo(1);
            }
        }
    }

    @Test
    void anAnswerIsAcceptedOnlyAsAnAnswer() {
        assertThatThrownBy(() -> OutboxEntry.respond(CAL, "e1", Attendee.ResponseStatus.NEEDS_ACTION, true))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new OutboxEntry(
                        0, CAL, EventKey.of("k"), OutboxEntry.Operation.RESPOND, null, 0, null, null, false))
                .as("a RESPOND entry needs its answer")
                .isInstanceOf(NullPointerException.class);
        assertThat(OutboxEntry.responseKey("x".repeat(5_000)).value())
                .hasSizeLessThanOrEqualTo(EventKey.MAX_LENGTH)
                .startsWith("rsvp:")
                .isNotEqualTo(OutboxEntry.responseKey("y").value());
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void theBacklogCountsDueRequestedRunningAndWaitingWork(String kind) throws Exception {
        try (SyncStateStore store = store(kind)) {
            store.addMailbox("team", BOB);
            store.addMailbox("team", CAROL);
            // alice: overdue by 10 minutes; bob: due in an hour; carol: overdue by 2 minutes, then requested
            store.recordSuccess(ALICE, T0.minusSeconds(3600), T0.minusSeconds(600));
            store.recordSuccess(BOB, T0, T0.plusSeconds(3600));
            store.recordSuccess(CAROL, T0, T0.minusSeconds(120));
            SyncBacklog b = store.backlog(T0);
            assertThat(b.dueMailboxes()).isEqualTo(2);
            assertThat(b.requestedMailboxes()).isZero();
            assertThat(b.oldestDueAge()).isEqualTo(Duration.ofMinutes(10));
            assertThat(b.outboxDepth()).isZero();

            store.enqueue(OutboxEntry.delete(CalendarRef.primary(BOB), EventKey.of("gone")));
            long failing = store.enqueue(OutboxEntry.delete(CalendarRef.primary(BOB), EventKey.of("stuck")));
            store.failOutbox(failing, "gave up");
            b = store.backlog(T0);
            assertThat(b.dueMailboxes()).as("bob's push makes him due").isEqualTo(3);
            assertThat(b.requestedMailboxes()).isEqualTo(1);
            assertThat(b.outboxDepth()).isEqualTo(1);
            assertThat(b.failedPushes()).isEqualTo(1);

            MailboxLease lease = store.acquireLease(ALICE, "node-1#pass", T0, Duration.ofMinutes(5))
                    .orElseThrow();
            b = store.backlog(T0);
            assertThat(b.runningMailboxes()).isEqualTo(1);
            assertThat(b.dueMailboxes()).isEqualTo(2);
            assertThat(b.oldestDueAge()).as("the running one no longer waits").isEqualTo(Duration.ofMinutes(2));
            store.releaseLease(lease);
        }
    }

    @Test
    void theBacklogIsAGaugeThatReadsTheStoreAtMostOncePerRefresh() throws Exception {
        try (SyncStateStore store = store("h2");
                InMemoryCalendarService service =
                        InMemoryCalendarService.builder().build();
                SyncEngine engine = SyncEngine.builder()
                        .store(store)
                        .connections((i, m) -> service.connect(m))
                        .listener(new HostRecorder())
                        .clock(new MutableClock(T0))
                        .build()) {
            store.recordSuccess(ALICE, T0.minusSeconds(3600), T0.minusSeconds(90));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MicrometerSyncMetrics metrics = new MicrometerSyncMetrics(registry);
            metrics.bindBacklog(engine, Duration.ofHours(1));
            assertThat(registry.get("calsdk.sync.backlog.mailboxes.due").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("calsdk.sync.backlog.due.age.seconds")
                            .gauge()
                            .value())
                    .isEqualTo(90.0);
            store.enqueue(OutboxEntry.delete(CAL, EventKey.of("x")));
            assertThat(registry.get("calsdk.sync.backlog.outbox.depth").gauge().value())
                    .as("cached for the refresh period")
                    .isZero();

            SimpleMeterRegistry fresh = new SimpleMeterRegistry();
            new MicrometerSyncMetrics(fresh).bindBacklog(engine, Duration.ZERO);
            assertThat(fresh.get("calsdk.sync.backlog.outbox.depth").gauge().value())
                    .isEqualTo(1.0);
            assertThat(fresh.get("calsdk.sync.backlog.mailboxes.requested")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aSyncedAllDayEventMarkedFreeBlocksItsDayUnlessTheHostKeepsTheCalendarsMarking() {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 3, 10);
        Event trip = Event.builder()
                .id("e-trip")
                .summary("Trip")
                .start(EventTime.allDay(day))
                .end(EventTime.allDay(day.plusDays(1)))
                .transparency(org.calsdk.model.Transparency.TRANSPARENT)
                .build();
        ExternalChange change = new ExternalChange.Created(CAL, trip);
        java.time.ZoneId zone = java.time.ZoneId.of("America/New_York");
        assertThat(change.busyBlock(zone)).hasValueSatisfying(b -> {
            assertThat(b.status()).isEqualTo(org.calsdk.model.BusyStatus.BUSY);
            assertThat(b.start()).isEqualTo(day.atStartOfDay(zone).toInstant());
            assertThat(b.eventId()).isEqualTo("e-trip");
        });
        assertThat(change.busyBlock(zone, org.calsdk.model.BusyRules.asCalendarSays()))
                .isEmpty();
        org.calsdk.model.TimeWindow week = org.calsdk.model.TimeWindow.of(T0, Duration.ofDays(14));
        assertThat(change.busyBlocks(week, zone)).hasSize(1);
        assertThat(change.busyBlocks(week, zone, org.calsdk.model.BusyRules.asCalendarSays()))
                .isEmpty();
    }
}
