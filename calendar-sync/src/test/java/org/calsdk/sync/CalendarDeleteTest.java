package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The organizer deletes an app event in the calendar while an app change to it is pending:
 * {@link FieldPolicy.CalendarDelete} decides, on the in-memory reference provider.
 */
class CalendarDeleteTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final EventKey KEY = EventKey.of("interview-1");
    static final ZonedDateTime NINE = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    InMemoryCalendarService service;
    SyncStateStore store = new InMemorySyncStateStore();
    HostRecorder host = new HostRecorder();
    SyncEngine engine;
    CalendarConnection alice;

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder().clock(clock).build();
        service.addUser(ALICE, "Alice").addUser(BOB, "Bob");
        alice = service.connect(ALICE);
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        service.close();
    }

    void start(FieldPolicy policy) {
        engine = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .random(new Random(1))
                .fieldPolicy(policy)
                .nodeId("test")
                .build();
        engine.saveIntegration(Integration.active("team", "memory"));
        engine.addMailbox("team", ALICE);
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview", 9)));
        engine.runOnce();
        assertThat(withKey()).hasSize(1);
    }

    static Event interview(String title, int hour) {
        return Event.builder()
                .summary(title)
                .start(EventTime.of(NINE.withHour(hour)))
                .end(EventTime.of(NINE.withHour(hour + 1)))
                .organizer(Organizer.of(ALICE))
                .attendee(Attendee.required(BOB))
                .build();
    }

    List<Event> withKey() {
        return service.events(CAL).stream()
                .filter(e -> e.key().map(KEY::equals).orElse(false))
                .toList();
    }

    /** The organizer cancels it in the calendar while the app's update waits for a retry, then passes run. */
    String updateWaitsWhileTheOrganizerDeletes() {
        String originalId = withKey().get(0).id().orElseThrow();
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved)", 11)));
        service.faults().failNext(SpiOperation.UPDATE_EVENT, 1, 503); // the update waits for its backoff
        alice.writer().delete(CAL, originalId, null);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.conflicts)
                .as("reported when the pull sees the deletion")
                .hasSize(1);
        clock.advance(Duration.ofHours(2));
        engine.runOnce();
        return originalId;
    }

    @Test
    void byDefaultACalendarDeletionStandsAndThePendingUpdateIsDropped() {
        start(FieldPolicy.defaults());
        assertThat(FieldPolicy.defaults().onCalendarDelete()).isEqualTo(FieldPolicy.CalendarDelete.ACCEPT_DELETE);
        updateWaitsWhileTheOrganizerDeletes();

        assertThat(withKey()).as("the cancelled interview does not come back").isEmpty();
        assertThat(host.removed).containsExactly(KEY);
        SyncConflict c = host.conflicts.get(0);
        assertThat(c.isDeletion()).isTrue();
        assertThat(c.field()).isNull();
        assertThat(c.key()).isEqualTo(KEY);
        assertThat(c.winner()).isEqualTo(FieldPolicy.Side.CALENDAR);
        assertThat(store.outbox(ALICE))
                .as("the update was dropped, not left failed")
                .isEmpty();
        assertThat(store.mappings(CAL)).isEmpty();
        assertThat(host.pushFailures).isEmpty();

        // the host may bring it back on purpose: a new upsert after hearing of the deletion creates it
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (rebooked)", 15)));
        engine.runOnce();
        assertThat(withKey()).singleElement().extracting(Event::summary).isEqualTo("Interview (rebooked)");
        assertThat(host.conflicts).hasSize(1);
    }

    @Test
    void recreateLetsThePendingUpdateCreateItAgainAndSaysSo() {
        start(FieldPolicy.builder()
                .onCalendarDelete(FieldPolicy.CalendarDelete.RECREATE)
                .build());
        String originalId = updateWaitsWhileTheOrganizerDeletes();

        assertThat(withKey()).as("exactly one, not a duplicate").singleElement().satisfies(e -> {
            assertThat(e.summary()).isEqualTo("Interview (moved)");
            assertThat(e.id()).isNotEqualTo(java.util.Optional.of(originalId));
        });
        assertThat(host.removed).isEmpty();
        assertThat(host.conflicts).singleElement().satisfies(c -> {
            assertThat(c.isDeletion()).isTrue();
            assertThat(c.winner()).isEqualTo(FieldPolicy.Side.APP);
        });
        assertThat(store.outbox(ALICE)).isEmpty();
        assertThat(store.mappings(CAL))
                .singleElement()
                .extracting(EventMapping::eventId)
                .isEqualTo(withKey().get(0).id().orElseThrow());

        // the re-created event's echo is our own write: nothing more is reported
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.conflicts).hasSize(1);
        assertThat(host.externalLog).isEmpty();
    }

    @Test
    void byDefaultAnUpdateThatMeetsTheDeletionDropsItAndTheChangesQueuedBehindIt() {
        start(FieldPolicy.defaults());
        alice.writer().delete(CAL, withKey().get(0).id().orElseThrow(), null);
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved)", 11)));
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved again)", 12)));
        host.pushed.clear();
        engine.runOnce(); // the push runs before the pull: the first update meets the deletion
        assertThat(host.pushed).as("a dropped update is not reported as pushed").isEmpty();

        assertThat(withKey()).isEmpty();
        assertThat(host.removed).containsExactly(KEY);
        assertThat(host.conflicts)
                .singleElement()
                .extracting(SyncConflict::winner)
                .isEqualTo(FieldPolicy.Side.CALENDAR);
        assertThat(store.outbox(ALICE)).isEmpty();

        clock.advance(Duration.ofHours(1));
        engine.runOnce();
        assertThat(withKey()).isEmpty();
        assertThat(host.removed).hasSize(1);
    }

    @Test
    void recreateLetsAnUpdateThatMeetsTheDeletionCreateItOnce() {
        start(FieldPolicy.builder()
                .onCalendarDelete(FieldPolicy.CalendarDelete.RECREATE)
                .build());
        alice.writer().delete(CAL, withKey().get(0).id().orElseThrow(), null);
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved)", 11)));
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved again)", 12)));
        engine.runOnce();

        assertThat(withKey()).singleElement().extracting(Event::summary).isEqualTo("Interview (moved again)");
        assertThat(host.removed).isEmpty();
        assertThat(host.conflicts)
                .singleElement()
                .extracting(SyncConflict::winner)
                .isEqualTo(FieldPolicy.Side.APP);
        assertThat(store.outbox(ALICE)).isEmpty();
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(withKey()).hasSize(1);
        assertThat(host.conflicts).hasSize(1);
    }

    @Test
    void theAppsOwnDeleteWhoseAnswerWasLostIsNoConflict() {
        start(FieldPolicy.defaults());
        engine.enqueue(OutboxEntry.delete(CAL, KEY));
        service.faults().loseResponseAfterCommit(SpiOperation.DELETE_EVENT, 1);
        engine.runOnce(); // deleted, but the engine saw an error: the delete waits for a retry
        assertThat(withKey()).isEmpty();
        clock.advance(Duration.ofHours(1));
        engine.runOnce();
        assertThat(host.conflicts).isEmpty();
        assertThat(host.removed).isEmpty();
        assertThat(store.outbox(ALICE)).isEmpty();
    }

    @Test
    void aCalendarDeletionWithNothingPendingIsReportedUnderBothPolicies() {
        for (FieldPolicy.CalendarDelete decision : FieldPolicy.CalendarDelete.values()) {
            tearDown();
            service = InMemoryCalendarService.builder().clock(clock).build();
            service.addUser(ALICE, "Alice").addUser(BOB, "Bob");
            alice = service.connect(ALICE);
            store = new InMemorySyncStateStore();
            host = new HostRecorder();
            start(FieldPolicy.builder().onCalendarDelete(decision).build());
            alice.writer().delete(CAL, withKey().get(0).id().orElseThrow(), null);
            clock.advance(Duration.ofMinutes(6));
            engine.runOnce();
            assertThat(withKey()).as(decision.name()).isEmpty();
            assertThat(host.removed).as(decision.name()).containsExactly(KEY);
            assertThat(host.conflicts).as(decision.name()).isEmpty();
        }
    }
}
