package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventChange;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ConflictException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.radicale.RadicaleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads, writes, changes and free/busy against a real Radicale. */
class RadicaleEventsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static RadicaleServer radicale;
    private static int calendars;
    private static int users;

    @BeforeAll
    static void start() {
        RadicaleServer.Builder b = RadicaleServer.builder();
        for (int i = 1; i <= 10; i++) {
            b.user("user" + i, "pw" + i); // one account per test: free/busy spans all of an account's calendars
        }
        radicale = b.startOrSkip();
    }

    @AfterAll
    static void stop() {
        if (radicale != null) {
            radicale.close();
        }
    }

    private String user;

    private CalendarConnection connect() {
        return connect(new CalDavProvider());
    }

    private CalendarConnection connect(CalDavProvider provider) {
        user = "user" + (++users);
        return provider.connect(ConnectionConfig.builder("caldav")
                .setting("url", radicale.baseUrl())
                .setting("allowPrivateNetwork", "true")
                .setting("mailbox", user + "@example.com")
                .credentials(PasswordCredentials.of(user, Secret.of("pw" + users)))
                .build());
    }

    private CalendarRef newCalendar(CalendarConnection c) {
        String name = "cal" + (++calendars);
        radicale.createCalendar(user, name, "Calendar " + calendars);
        return CalendarRef.of(c.self().orElseThrow(), "/" + user + "/" + name + "/");
    }

    private static EventTime at(String local) {
        return EventTime.of(ZonedDateTime.of(java.time.LocalDateTime.parse(local), BERLIN));
    }

    private static Event meeting(String summary, String start, String end) {
        return Event.builder().summary(summary).start(at(start)).end(at(end)).build();
    }

    @Test
    void createIsIdempotentByKeyAndReadable() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            EventKey key = EventKey.of("booking-42");
            Event first = c.writer().create(cal, key, meeting("Mentoring", "2026-03-02T10:00", "2026-03-02T11:00"));
            assertThat(first.id()).contains(cal.id() + "booking-42.ics");
            assertThat(first.version()).isPresent();
            Event again =
                    c.writer().create(cal, key, meeting("Mentoring (retry)", "2026-03-02T10:00", "2026-03-02T11:00"));
            assertThat(again.id()).isEqualTo(first.id());
            assertThat(again.summary()).isEqualTo("Mentoring");
            assertThat(c.reader().findByKey(cal, key)).map(Event::summary).contains("Mentoring");
            assertThat(c.reader().findByKey(cal, key).orElseThrow().key()).contains(key);
            Event read = c.reader().get(cal, first.id().orElseThrow()).orElseThrow();
            assertThat(read.start()).isEqualTo(first.start());
            assertThat(read.version()).isEqualTo(first.version());
            EventKey odd = EventKey.of("slash/and?query#x");
            Event weird = c.writer().create(cal, odd, meeting("Odd key", "2026-03-03T10:00", "2026-03-03T11:00"));
            assertThat(c.reader().findByKey(cal, odd).flatMap(Event::id)).isEqualTo(weird.id());
        }
    }

    @Test
    void updateAndDeleteAreConditionalOnTheEtag() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            Event e = c.writer().create(cal, EventKey.of("k1"), meeting("A", "2026-03-02T10:00", "2026-03-02T11:00"));
            Event moved = c.writer().update(cal, e.toBuilder().summary("B").build());
            assertThat(moved.version()).isNotEqualTo(e.version());
            assertThatThrownBy(() -> c.writer()
                            .update(cal, e.toBuilder().summary("stale").build()))
                    .isInstanceOfSatisfying(
                            ConflictException.class,
                            x -> assertThat(x.currentVersion()).isEqualTo(moved.version()));
            assertThatThrownBy(() -> c.writer()
                            .delete(cal, e.id().orElseThrow(), e.version().orElseThrow()))
                    .isInstanceOf(ConflictException.class);
            c.writer().delete(cal, moved.id().orElseThrow(), moved.version().orElseThrow());
            assertThat(c.reader().get(cal, moved.id().orElseThrow())).isEmpty();
            c.writer().delete(cal, moved.id().orElseThrow(), null); // already gone: fine
        }
    }

    @Test
    void aSeriesThatBeganBeforeTheWindowStillBlocksItsOccurrences() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            Event weekly = meeting("Weekly", "2025-01-06T09:00", "2025-01-06T10:00").toBuilder()
                    .recurrence(Recurrence.rule("FREQ=WEEKLY;BYDAY=MO"))
                    .build();
            c.writer().create(cal, EventKey.of("weekly"), weekly);
            c.writer().create(cal, EventKey.of("single"), meeting("One-off", "2026-03-04T14:00", "2026-03-04T15:00"));
            c.writer().create(cal, EventKey.of("far"), meeting("Elsewhere", "2026-05-04T14:00", "2026-05-04T15:00"));
            TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
            List<Event> events = c.reader().listAll(cal, week);
            assertThat(events).extracting(Event::summary).containsExactlyInAnyOrder("Weekly", "One-off");
            FreeBusy fb = c.freeBusy()
                    .query(FreeBusyRequest.of(List.of(c.self().orElseThrow()), week))
                    .results()
                    .get(0);
            assertThat(fb.ok()).isTrue();
            assertThat(fb.busy())
                    .extracting(BusyInterval::start, BusyInterval::end, BusyInterval::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    Instant.parse("2026-03-02T08:00:00Z"),
                                    Instant.parse("2026-03-02T09:00:00Z"),
                                    BusyStatus.BUSY),
                            org.assertj.core.groups.Tuple.tuple(
                                    Instant.parse("2026-03-04T13:00:00Z"),
                                    Instant.parse("2026-03-04T14:00:00Z"),
                                    BusyStatus.BUSY));
        }
    }

    @Test
    void rdateOnlySeriesAndOccurrencesMovedIntoTheWindowBlockIt() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            // masters in January, without any RRULE; the window is in March
            c.writer()
                    .create(
                            cal,
                            EventKey.of("rdates"),
                            meeting("Rdates", "2026-01-05T09:00", "2026-01-05T10:00").toBuilder()
                                    .recurrence(new Recurrence(
                                            List.of(),
                                            List.of(at("2026-01-12T09:00"), at("2026-03-03T09:00")),
                                            List.of()))
                                    .build());
            Event moved = c.writer()
                    .create(
                            cal,
                            EventKey.of("moved"),
                            meeting("Moved", "2026-01-05T14:00", "2026-01-05T15:00").toBuilder()
                                    .recurrence(new Recurrence(List.of(), List.of(at("2026-01-19T14:00")), List.of()))
                                    .build());
            c.writer()
                    .updateOccurrence(
                            cal,
                            moved.id().orElseThrow(),
                            meeting("Moved (to March)", "2026-03-04T14:00", "2026-03-04T15:00").toBuilder()
                                    .recurrenceId(at("2026-01-19T14:00"))
                                    .build(),
                            null);
            c.writer()
                    .create(
                            cal,
                            EventKey.of("january"),
                            meeting("January", "2026-01-05T16:00", "2026-01-05T17:00").toBuilder()
                                    .recurrence(new Recurrence(List.of(), List.of(at("2026-01-12T16:00")), List.of()))
                                    .build());
            TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
            assertThat(c.reader().listAll(cal, week))
                    .extracting(Event::summary)
                    .containsExactlyInAnyOrder("Rdates", "Moved");
            FreeBusy fb = c.freeBusy()
                    .query(FreeBusyRequest.of(List.of(c.self().orElseThrow()), week))
                    .results()
                    .get(0);
            assertThat(fb.busy())
                    .extracting(BusyInterval::start)
                    .containsExactly(Instant.parse("2026-03-03T08:00:00Z"), Instant.parse("2026-03-04T13:00:00Z"));
        }
    }

    @Test
    void pagesAfterTheFirstCostOneMultigetEach() {
        org.calsdk.http.RequestCounter counter = new org.calsdk.http.RequestCounter();
        try (CalendarConnection c =
                connect(CalDavProvider.builder().listener(counter).build())) {
            CalendarRef cal = newCalendar(c);
            List<String> made = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                made.add(c.writer()
                        .create(
                                cal,
                                EventKey.of("p" + i),
                                meeting(
                                        "P" + i,
                                        "2026-03-0" + (2 + i % 5) + "T1" + i + ":00",
                                        "2026-03-0" + (2 + i % 5) + "T1" + i + ":30"))
                        .id()
                        .orElseThrow());
            }
            TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
            long before = counter.total();
            List<String> seen = new java.util.ArrayList<>();
            org.calsdk.api.EventQuery q = new org.calsdk.api.EventQuery(cal, week, 3, null);
            int pages = 0;
            while (true) {
                org.calsdk.api.EventPage page = c.reader().list(q);
                pages++;
                assertThat(page.events()).hasSizeLessThanOrEqualTo(3);
                page.events().forEach(e -> seen.add(e.id().orElseThrow()));
                if (page.nextPageToken() == null) {
                    break;
                }
                q = q.withPageToken(page.nextPageToken());
            }
            assertThat(pages).isEqualTo(3);
            assertThat(counter.total() - before)
                    .as("3 REPORTs for the first page, 1 multiget for each other")
                    .isEqualTo(3 + 2);
            assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(made);
        }
    }

    @Test
    void oneOccurrenceCanBeMovedOrCancelled() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            Event daily = c.writer()
                    .create(
                            cal,
                            EventKey.of("daily"),
                            meeting("Standup", "2026-03-02T09:00", "2026-03-02T09:15").toBuilder()
                                    .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=5"))
                                    .build());
            String id = daily.id().orElseThrow();
            Event moved = c.writer()
                    .updateOccurrence(
                            cal,
                            id,
                            meeting("Standup (late)", "2026-03-03T11:00", "2026-03-03T11:15").toBuilder()
                                    .recurrenceId(at("2026-03-03T09:00"))
                                    .build(),
                            null);
            assertThat(moved.overrides()).hasSize(1);
            Event cancelled = c.writer()
                    .cancelOccurrence(
                            cal, id, at("2026-03-04T09:00"), moved.version().orElseThrow());
            assertThat(cancelled.recurrence().orElseThrow().exdates()).hasSize(1);
            TimeWindow w = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
            FreeBusy fb = c.freeBusy()
                    .query(FreeBusyRequest.of(List.of(c.self().orElseThrow()), w))
                    .results()
                    .get(0);
            assertThat(fb.busy())
                    .extracting(BusyInterval::start)
                    .containsExactly(
                            Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-03T10:00:00Z"),
                            Instant.parse("2026-03-05T08:00:00Z"), Instant.parse("2026-03-06T08:00:00Z"));
            assertThatThrownBy(() -> c.writer()
                            .cancelOccurrence(
                                    cal,
                                    id,
                                    at("2026-03-05T09:00"),
                                    daily.version().orElseThrow()))
                    .isInstanceOf(ConflictException.class);
        }
    }

    @Test
    void rsvpChangesTheAttendeesPartstat() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            Mailbox me = c.self().orElseThrow();
            Event invite = meeting("Review", "2026-03-02T10:00", "2026-03-02T11:00").toBuilder()
                    .organizer(Organizer.of(Mailbox.of("dave@example.com")))
                    .attendee(Attendee.required(me))
                    .build();
            Event e = c.writer().create(cal, EventKey.of("invite"), invite);
            Event answered = c.writer().respond(cal, e.id().orElseThrow(), me, Attendee.ResponseStatus.ACCEPTED);
            assertThat(answered.attendee(me).orElseThrow().response()).isEqualTo(Attendee.ResponseStatus.ACCEPTED);
            assertThat(c.reader()
                            .get(cal, e.id().orElseThrow())
                            .orElseThrow()
                            .attendee(me)
                            .orElseThrow()
                            .response())
                    .isEqualTo(Attendee.ResponseStatus.ACCEPTED);
        }
    }

    @Test
    void syncCollectionReportsCreatesUpdatesAndDeletes() {
        try (CalendarConnection c = connect()) {
            CalendarRef cal = newCalendar(c);
            Event a = c.writer().create(cal, EventKey.of("a"), meeting("A", "2026-03-02T10:00", "2026-03-02T11:00"));
            ChangeBatch.Changes full = (ChangeBatch.Changes) c.changes().changes(cal, SyncCursor.START);
            assertThat(full.full()).isTrue();
            assertThat(full.changes()).extracting(EventChange::eventId).containsExactly(a.id().orElseThrow());
            ChangeBatch.Changes none = (ChangeBatch.Changes) c.changes().changes(cal, full.next());
            assertThat(none.changes()).isEmpty();
            Event b = c.writer().create(cal, EventKey.of("b"), meeting("B", "2026-03-03T10:00", "2026-03-03T11:00"));
            c.writer().delete(cal, a.id().orElseThrow(), null);
            ChangeBatch.Changes delta = (ChangeBatch.Changes) c.changes().changes(cal, none.next());
            assertThat(delta.full()).isFalse();
            assertThat(delta.changes())
                    .anySatisfy(ch -> assertThat(ch)
                            .isInstanceOfSatisfying(
                                    EventChange.Upserted.class,
                                    u -> assertThat(u.event().summary()).isEqualTo("B")));
            assertThat(delta.changes())
                    .anySatisfy(ch -> assertThat(ch)
                            .isInstanceOfSatisfying(
                                    EventChange.Deleted.class,
                                    d -> assertThat(d.eventId()).isEqualTo(a.id().orElseThrow())));
            assertThat(b.id()).isPresent();
            ChangeBatch bogus = c.changes().changes(cal, SyncCursor.of("s:http://radicale.org/ns/sync/bogus"));
            assertThat(bogus).isInstanceOf(ChangeBatch.ResyncRequired.class);
        }
    }
}
