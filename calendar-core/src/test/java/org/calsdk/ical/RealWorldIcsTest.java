package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What real producers write, one feature per case, from the small files in {@code realworld/} (written
 * for these tests, each showing a quirk found in exports of Outlook, Exchange, Google, Apple, Sunbird,
 * Lotus Notes and servers that write LF line endings).
 */
class RealWorldIcsTest {
    static final TimeWindow ALL =
            TimeWindow.of(Instant.parse("1990-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z"));

    static String fixture(String name) {
        try (InputStream in = RealWorldIcsTest.class.getResourceAsStream("realworld/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource realworld/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Event byUid(List<Event> events, String uid) {
        return events.stream()
                .filter(e -> e.uid().orElse("").equals(uid))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void lfFoldedLinesAreUnfoldedNotTruncated() {
        String text = fixture("lf-folded.ics");
        assertThat(text).doesNotContain("\r");
        List<Event> events = ICalendar.parse(text);
        Event e = events.get(0);
        // the whole UID, across its fold
        assertThat(e.uid())
                .contains("040000008200E00074C5B7101A82E00800000000C0CA27559A38C9010000000000000000100"
                        + "00000E9AFCA9DCE51242AB306C53D70958510");
        assertThat(e.summary()).isEqualTo("Quarterly-ish review with a summary folded in the middle");
        // the RRULE is kept, with December (folded onto the next line) still in BYMONTH: exactly COUNT=5
        assertThat(Recurrences.expand(e, ALL, ZoneOffset.UTC).map(o -> o.start().date()))
                .containsExactly(
                        LocalDate.of(2026, 1, 5),
                        LocalDate.of(2026, 3, 5),
                        LocalDate.of(2026, 5, 5),
                        LocalDate.of(2026, 7, 5),
                        LocalDate.of(2026, 9, 5));
        // a property folded before its parameters and before its value
        assertThat(events.get(1).start()).isEqualTo(EventTime.allDay(LocalDate.of(2026, 12, 24)));
    }

    @Test
    void outlookDisplayNameTzidAndVtimezoneAfterUse() {
        ParseResult r = ICalendar.read(fixture("outlook.ics"));
        assertThat(r.problems()).isEmpty();
        Event sync = byUid(r.events(), "outlook-1");
        assertThat(((EventTime.Zoned) sync.start()).zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(sync.updated())
                .contains(Instant.parse("2015-07-01T12:00:00Z")); // LAST-MODIFIED without Z: read as UTC
        assertThat(sync.description()).contains("Agenda, notes");
        assertThat(sync.busyStatus()).isEqualTo(BusyStatus.OUT_OF_OFFICE);
        // multi-valued DELEGATED-TO and MEMBER do not get in the way; quoted CN with a comma is kept whole
        assertThat(sync.attendees())
                .extracting(Attendee::mailbox)
                .containsExactly(Mailbox.of("jane@example.com"), Mailbox.of("room@example.com"));
        assertThat(sync.attendees().get(0).name()).isEqualTo("Doe, Jane");
        assertThat(Recurrences.expand(sync, ALL, ZoneOffset.UTC)).hasSize(3);
        // the custom zone's VTIMEZONE comes after the event that uses it
        Event island = byUid(r.events(), "island-1");
        assertThat(island.start().toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-07-01T04:43:00Z"));
    }

    @Test
    void valueFormsThatUsedToCrash() {
        List<Event> events = ICalendar.parse(fixture("value-forms.ics"));
        // DTSTART;TZID=...;VALUE=DATE: an all-day date, the TZID has no meaning there
        assertThat(byUid(events, "sunbird-date").start()).isEqualTo(EventTime.allDay(LocalDate.of(2006, 1, 1)));
        assertThat(byUid(events, "sunbird-date").end()).isEqualTo(EventTime.allDay(LocalDate.of(2006, 1, 2)));
        // TZID=/Europe/Stockholm: RFC 5545's globally unique prefix
        assertThat(byUid(events, "stockholm").start())
                .isEqualTo(EventTime.of(ZonedDateTime.of(2026, 6, 15, 10, 0, 0, 0, ZoneId.of("Europe/Stockholm"))));
        // iOS 26 \; in a parameter value, IMAGE;DISPLAY=ICON, multi-valued FEATURE, an x-name CLASS
        Event ios = byUid(events, "ios26");
        assertThat(ios.visibility()).isEqualTo(Visibility.DEFAULT);
        assertThat(ios.properties()).containsEntry("X-APPLE-STRUCTURED-LOCATION", "geo:48.3,14.28");
    }

    @Test
    void rdatePeriodsEndWhereThePeriodEnds() {
        Event e = byUid(ICalendar.parse(fixture("value-forms.ics")), "periods");
        List<Occurrence> occ = Recurrences.expand(e, ALL, ZoneOffset.UTC).toList();
        assertThat(occ)
                .extracting(
                        o -> o.start().toInstant(ZoneOffset.UTC) + "/" + o.end().toInstant(ZoneOffset.UTC))
                .containsExactly(
                        "2026-04-01T08:00:00Z/2026-04-01T09:00:00Z", // DTSTART with DTEND
                        "2026-04-02T08:00:00Z/2026-04-02T10:00:00Z", // start/end
                        "2026-04-03T08:00:00Z/2026-04-03T11:00:00Z", // start/duration
                        "2026-04-04T08:00:00Z/2026-04-04T09:00:00Z"); // same length as the event
        assertThat(occ).allMatch(o -> o.summary().equals("Periods"));
        // also for an event without UID
        String noUid = ICalendarTest.ics(
                "BEGIN:VEVENT",
                "DTSTART:20260401T080000Z",
                "DTEND:20260401T090000Z",
                "RDATE;VALUE=PERIOD:20260402T080000Z/PT2H",
                "END:VEVENT");
        assertThat(Recurrences.expand(ICalendar.parse(noUid).get(0), ALL, ZoneOffset.UTC)
                        .map(o -> o.end().toInstant(ZoneOffset.UTC)))
                .containsExactly(Instant.parse("2026-04-01T09:00:00Z"), Instant.parse("2026-04-02T10:00:00Z"));
        // and the series survives being written and read again
        assertThat(Recurrences.expand(ICalendar.parse(ICalendar.write(e)).get(0), ALL, ZoneOffset.UTC)
                        .map(o -> o.end().toInstant(ZoneOffset.UTC)))
                .containsExactlyElementsOf(
                        occ.stream().map(o -> o.end().toInstant(ZoneOffset.UTC)).toList());
    }

    @Test
    void oneBadEventDoesNotSinkTheFile() {
        String text = fixture("one-bad-event.ics");
        ParseResult r = ICalendar.read(text);
        assertThat(r.events()).extracting(e -> e.uid().orElseThrow()).containsExactly("good-1", "good-2");
        assertThat(r.problems()).hasSize(2);
        ParseProblem bad = r.problems().stream()
                .filter(p -> "bad-feb-31".equals(p.uid()))
                .findFirst()
                .orElseThrow();
        assertThat(bad.line()).isEqualTo(12); // the DTSTART line
        assertThat(bad.component()).isEqualTo("VEVENT");
        assertThat(bad.message())
                .contains("DTSTART", "20260231", "no such date")
                .contains("left out");
        assertThat(bad.toString()).startsWith("line 12: VEVENT UID 'bad-feb-31': ");
        ParseProblem line = r.problems().stream()
                .filter(p -> "good-2".equals(p.uid()))
                .findFirst()
                .orElseThrow();
        assertThat(line.line()).isEqualTo(21);
        assertThat(line.message()).contains("not a content line");
        assertThat(r.isComplete()).isFalse();
        // strict: all or nothing, the first problem is the message
        assertThatThrownBy(() -> ICalendar.parse(text))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("line 12: VEVENT UID 'bad-feb-31'")
                .hasMessageContaining("1 more problem");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DTSTART:20260231T100000Z",
                "DTSTART;VALUE=DATE:20260230",
                "DTSTART;TZID=Europe/Berlin:20260431T100000",
                "DTSTART:20260101T100000Z\r\nDTEND:20260132T100000Z",
                "DTSTART:20260101T100000Z\r\nEXDATE:20260229T100000Z",
                "DTSTART:20260101T100000Z\r\nEXDATE;TZID=Europe/Berlin:20261131T100000",
                "DTSTART:20260101T100000Z\r\nRDATE;VALUE=DATE:20261301",
                "DTSTART:20260101T100000Z\r\nRDATE;VALUE=PERIOD:20260230T100000Z/PT1H",
                "DTSTART:20260101T100000Z\r\nRECURRENCE-ID:20250229T100000Z",
                "DTSTART:20260101T250000Z"
            })
    void impossibleDatesAreTypedErrorsNotMovedToTheMonthsEnd(String props) {
        String text = ICalendarTest.ics("BEGIN:VEVENT", "UID:bad", props, "END:VEVENT");
        assertThatThrownBy(() -> ICalendar.parse(text))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("UID 'bad'")
                .hasMessageContaining("no such date");
        assertThat(ICalendar.read(text).events()).isEmpty();
    }

    @Test
    void impossibleUntilIsATypedError() {
        String text = ICalendarTest.ics(
                "BEGIN:VEVENT",
                "UID:bad",
                "DTSTART:20260101T100000Z",
                "RRULE:FREQ=DAILY;UNTIL=20260231T000000Z",
                "END:VEVENT");
        assertThatThrownBy(() -> ICalendar.parse(text))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("UID 'bad'")
                .hasMessageContaining("UNTIL");
        String date = text.replace("UNTIL=20260231T000000Z", "UNTIL=20260230");
        assertThatThrownBy(() -> ICalendar.parse(date))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("UNTIL");
    }

    @Test
    void valueFormsThatEscapedUntypedAreNamed() {
        // a TZID with an empty value, and a bad EXDATE;TZID value
        assertThatThrownBy(() -> ICalendar.parse(
                        ICalendarTest.ics("BEGIN:VEVENT", "UID:e", "DTSTART;TZID=Europe/Berlin:", "END:VEVENT")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("DTSTART value ''");
        assertThatThrownBy(() -> ICalendar.parse(ICalendarTest.ics(
                        "BEGIN:VEVENT",
                        "UID:x",
                        "DTSTART:20260101T100000Z",
                        "EXDATE;TZID=Europe/Berlin:2026-01-02",
                        "END:VEVENT")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("EXDATE value '2026-01-02'");
    }

    @Test
    void vtimezoneObservanceWithoutDtstartIsATypedErrorForTheEventsUsingIt() {
        String text = ICalendarTest.ics(
                "BEGIN:VTIMEZONE",
                "TZID:Nowhere",
                "BEGIN:STANDARD",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0100",
                "END:STANDARD",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
                "UID:uses-it",
                "DTSTART;TZID=Nowhere:20260101T100000",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:fine",
                "DTSTART:20260101T100000Z",
                "END:VEVENT");
        ParseResult r = ICalendar.read(text);
        assertThat(r.events()).extracting(e -> e.uid().orElseThrow()).containsExactly("fine");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.uid()).isEqualTo("uses-it");
            assertThat(p.message()).contains("VTIMEZONE for TZID 'Nowhere'", "STANDARD", "no DTSTART");
        });
    }

    @Test
    void unterminatedAndStrayComponentsAreReportedNotFatalWhenReading() {
        String text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\nEND:VEVENT\n"
                + "BEGIN:VEVENT\nUID:cut\nDTSTART:20260102T100000Z\n"; // the input ends inside the second event
        ParseResult r = ICalendar.read(text);
        assertThat(r.events()).extracting(e -> e.uid().orElseThrow()).containsExactly("a");
        assertThat(r.problems())
                .extracting(ParseProblem::toString)
                .anySatisfy(s -> assertThat(s).contains("VEVENT UID 'cut'", "left out"));
        assertThatThrownBy(() -> ICalendar.parse(text)).isInstanceOf(MalformedDataException.class);
        // a forgotten END:VEVENT: that event is left out, the next one is still read (not hidden inside it)
        ParseResult forgotten = ICalendar.read(ICalendarTest.ics(
                "BEGIN:VEVENT",
                "UID:open",
                "DTSTART:20260101T100000Z",
                "BEGIN:VEVENT",
                "UID:next",
                "DTSTART:20260102T100000Z",
                "END:VEVENT"));
        assertThat(forgotten.events()).extracting(e -> e.uid().orElseThrow()).containsExactly("next");
        assertThat(forgotten.problems())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.toString())
                                .isEqualTo(
                                        "line 4: VEVENT UID 'open': BEGIN:VEVENT has no END:VEVENT before BEGIN:VEVENT at line 7; it is left out"));
        // a bare VEVENT with no VCALENDAR is not iCalendar data
        assertThatThrownBy(() -> ICalendar.read("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("no BEGIN:VCALENDAR")
                .hasMessageContaining("bare VEVENT");
    }

    @Test
    void tzidIsIgnoredOnUtcValues() {
        Event e = ICalendar.parse(ICalendarTest.ics(
                        "BEGIN:VEVENT", "UID:u", "DTSTART;TZID=Unknown/Zone:20260101T100000Z", "END:VEVENT"))
                .get(0);
        assertThat(e.start()).isEqualTo(EventTime.utc(Instant.parse("2026-01-01T10:00:00Z")));
    }

    @Test
    void parameterSyntaxQuirks() {
        Event e = ICalendar.parse(ICalendarTest.ics(
                        "BEGIN:VEVENT",
                        "UID:p",
                        "DTSTART:20260101T100000Z",
                        "ORGANIZER;CN=^'Boss^' Smith:mailto:boss@example.com", // RFC 6868 caret encoding
                        "ATTENDEE;RSVP;CN=Vcal Style:mailto:v@example.com", // vCalendar parameter with no value
                        "END:VEVENT"))
                .get(0);
        assertThat(e.organizer().orElseThrow().name()).isEqualTo("\"Boss\" Smith");
        assertThat(e.attendees()).extracting(Attendee::name).containsExactly("Vcal Style");
    }
}
