package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change feed that covers a window (issue 11, item 2), as Graph's calendarView/delta: the in-memory
 * provider set to a window of 7 days back and 30 ahead. Deletions are inferred inside the coverage only,
 * rolling the window forward is an ordinary resync, and the app's own series read as occurrences stay the
 * app's.
 */
class WindowedFeedTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);

    final MutableClock clock = new MutableClock(NOW.toInstant());
    InMemoryCalendarService service;
    final SyncStateStore store = new InMemorySyncStateStore();
    final HostRecorder host = new HostRecorder();
    SyncEngine engine;
    CalendarConnection alice;

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder()
                .clock(clock)
                .changeWindow(Duration.ofDays(7), Duration.ofDays(30))
                .build();
        service.addUser(ALICE, "Alice");
        alice = service.connect(ALICE);
        engine = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .random(new Random(1))
                .nodeId("test")
                .build();
        engine.saveIntegration(Integration.active("team", "memory"));
        engine.addMailbox("team", ALICE);
    }

    @AfterEach
    void tearDown() {
        alice.close();
        engine.close();
        service.close();
    }

    static Event at(String title, ZonedDateTime start) {
        return Event.builder()
                .summary(title)
                .start(EventTime.of(start))
                .end(EventTime.of(start.plusHours(1)))
                .build();
    }

    Event external(String title, ZonedDateTime start) {
        return alice.writer().create(CAL, EventKey.of("ext-" + title.replace(" ", "-")), at(title, start));
    }

    Event onlyEventWithKey(String key) {
        return service.events(CAL).stream()
                .filter(e -> e.key().map(k -> k.value().equals(key)).orElse(false))
                .findFirst()
                .orElseThrow();
    }

    SyncReport pass() {
        clock.advance(Duration.ofMinutes(6)); // past the 5-minute poll (and its jitter)
        return engine.runOnce();
    }

    @Test
    void theAppsOwnSeriesReadAsOccurrencesIsNeverExternal() {
        Event weekly = at("Weekly 1:1", NOW.plusDays(1).withHour(10)).toBuilder()
                .recurrence(Recurrence.rule("FREQ=WEEKLY;COUNT=10"))
                .build();
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("series-1"), weekly));
        engine.runOnce();
        assertThat(host.pushed).hasSize(1);

        engine.syncMailbox(ALICE); // incremental: the series' occurrences in the window come back
        service.invalidateCursors(CAL);
        engine.syncMailbox(ALICE); // full read of the window: occurrences again
        assertThat(host.externalLog)
                .as("occurrences of the app's series are the app's")
                .isEmpty();
        assertThat(host.removed)
                .as("the series is alive: its occurrences were listed")
                .isEmpty();
        assertThat(store.mappings(CAL))
                .as("occurrences are not mapped one by one")
                .hasSize(1);

        // the app moves its series by an hour: the feed reports the old occurrences gone and the new ones;
        // none of it reaches the host as external
        engine.enqueue(OutboxEntry.upsert(
                CAL,
                EventKey.of("series-1"),
                weekly.toBuilder()
                        .start(EventTime.of(NOW.plusDays(1).withHour(11)))
                        .end(EventTime.of(NOW.plusDays(1).withHour(12)))
                        .build()));
        engine.runOnce();
        engine.syncMailbox(ALICE);
        assertThat(host.pushed).hasSize(2);
        assertThat(host.externalLog).isEmpty();
        assertThat(host.removed).isEmpty();
        assertThat(host.appChanges).as("untouched occurrences are no news").isEmpty();

        // in the calendar, one occurrence is retitled: the host hears it as a change of that occurrence
        Event master = onlyEventWithKey("series-1");
        ZonedDateTime second = NOW.plusDays(8).withHour(11);
        alice.writer()
                .updateOccurrence(
                        CAL,
                        master.id().orElseThrow(),
                        at("1:1 (moved room)", second).toBuilder()
                                .recurrenceId(EventTime.of(second))
                                .build(),
                        null);
        pass();
        assertThat(host.appChanges).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo(EventKey.of("series-1"));
            assertThat(c.fields()).containsExactly(SyncField.TITLE);
            assertThat(c.event().recurrenceId())
                    .hasValueSatisfying(
                            r -> assertThat(r.toInstant(ZoneOffset.UTC)).isEqualTo(second.toInstant()));
        });
        assertThat(host.externalLog).isEmpty();
    }

    @Test
    void anExternalSeriesReadsAsItsOccurrencesAndALostOccurrenceIsADeletion() {
        Event series = alice.writer()
                .create(
                        CAL,
                        EventKey.of("ext-standup"),
                        at("Standup", NOW.plusDays(1).withHour(9)).toBuilder()
                                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                                .build());
        engine.runOnce();
        assertThat(host.external).hasSize(3);
        assertThat(host.external.values())
                .allSatisfy(e -> assertThat(e.recurrenceId()).isPresent());

        alice.writer()
                .cancelOccurrence(
                        CAL,
                        series.id().orElseThrow(),
                        EventTime.of(NOW.plusDays(2).withHour(9)),
                        null);
        pass();
        assertThat(host.external).as("the cancelled occurrence is gone").hasSize(2);
    }

    @Test
    void deletionsAreInferredInsideTheWindowOnlyAndTheWindowRollsForward() {
        Event soon = external("Soon", NOW.plusDays(2).withHour(9));
        Event nextWeek = external("Next week", NOW.plusDays(9).withHour(9));
        engine.runOnce();
        assertThat(host.external).hasSize(2);

        // deleted while the cursor is lost: the full read of the window does not list it, and it lay inside
        alice.writer().delete(CAL, nextWeek.id().orElseThrow(), null);
        service.invalidateCursors(CAL);
        pass();
        assertThat(host.externalLog)
                .filteredOn(c -> c instanceof ExternalChange.Deleted)
                .extracting(ExternalChange::eventId)
                .containsExactly(nextWeek.id().orElseThrow());

        // ten days on: "Soon" lies before the new window. The roll is a resync that reports nothing as deleted,
        // and forgets the history it no longer covers
        clock.advance(Duration.ofDays(10));
        int logged = host.externalLog.size();
        MailboxSyncResult r = engine.syncMailbox(ALICE);
        assertThat(r.outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
        assertThat(host.externalLog).as("nothing reported deleted by the roll").hasSize(logged);
        assertThat(store.mappingByEventId(CAL, soon.id().orElseThrow()))
                .as("history forgotten quietly")
                .isEmpty();
    }

    @Test
    void theAppsBookingBeyondTheWindowIsNotTakenForDeleted() {
        engine.enqueue(OutboxEntry.upsert(
                CAL, EventKey.of("far"), at("Far booking", NOW.plusDays(60).withHour(9))));
        engine.runOnce();
        assertThat(host.pushed).hasSize(1);
        service.invalidateCursors(CAL);
        pass();
        assertThat(host.removed)
                .as("outside the coverage: not listed, not deleted")
                .isEmpty();
        assertThat(store.mappingByKey(CAL, EventKey.of("far"))).isPresent();

        Event ext = external("External", NOW.plusDays(3).withHour(9));
        pass();
        EventMapping known = store.mappingByEventId(CAL, ext.id().orElseThrow()).orElseThrow();
        assertThat(known.base())
                .as("an external event's times are kept, to place it later")
                .isNotNull();
        assertThat(known.base().summary()).as("but not its content").isEmpty();

        // moved beyond the window: the feed reports it leaving (as Graph's @removed), the host drops it
        Event current = alice.reader().get(CAL, ext.id().orElseThrow()).orElseThrow();
        alice.writer()
                .update(
                        CAL,
                        current.toBuilder()
                                .start(EventTime.of(NOW.plusDays(60)))
                                .end(EventTime.of(NOW.plusDays(60).plusHours(1)))
                                .build());
        pass();
        assertThat(host.external).isEmpty();
    }
}
