package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Transparency;
import org.calsdk.model.Visibility;
import org.junit.jupiter.api.Test;

class ICalendarTest {
    static String ics(String... lines) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + String.join("\r\n", lines)
                + "\r\nEND:VCALENDAR\r\n";
    }

    static final String BERLIN_SERIES = ics(
            "BEGIN:VEVENT",
            "UID:series-1",
            "DTSTAMP:20260101T000000Z",
            "DTSTART;TZID=Europe/Berlin:20260302T100000",
            "DTEND;TZID=Europe/Berlin:20260302T110000",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10",
            "EXDATE;TZID=Europe/Berlin:20260309T100000",
            "SUMMARY:Mentoring\\, weekly",
            "DESCRIPTION:line one\\nline two",
            "LOCATION:Room 1",
            "ORGANIZER;CN=Olga:mailto:olga@example.com",
            "ATTENDEE;CN=Bob;ROLE=OPT-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@example.com",
            "ATTENDEE;CUTYPE=ROOM;PARTSTAT=TENTATIVE:mailto:room1@example.com",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "CLASS:PRIVATE",
            "SEQUENCE:3",
            "LAST-MODIFIED:20260201T120000Z",
            "X-CALSDK-EVENT-KEY:booking-42",
            "X-FOO;BAR=1:hello",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:series-1",
            "DTSTAMP:20260101T000000Z",
            "RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000",
            "DTSTART;TZID=Europe/Berlin:20260317T150000",
            "DTEND;TZID=Europe/Berlin:20260317T160000",
            "SUMMARY:Mentoring (moved)",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:series-1",
            "DTSTAMP:20260101T000000Z",
            "RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000",
            "DTSTART;TZID=Europe/Berlin:20260323T100000",
            "DTEND;TZID=Europe/Berlin:20260323T110000",
            "STATUS:CANCELLED",
            "END:VEVENT");

    @Test
    void parsesASeriesWithOverridesAndAllMappedProperties() {
        List<Event> events = ICalendar.parse(BERLIN_SERIES);
        assertThat(events).hasSize(1);
        Event e = events.get(0);
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(e.uid()).contains("series-1");
        assertThat(e.start()).isEqualTo(EventTime.of(ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, berlin)));
        assertThat(e.end()).isEqualTo(EventTime.of(ZonedDateTime.of(2026, 3, 2, 11, 0, 0, 0, berlin)));
        assertThat(e.recurrence().orElseThrow().rules()).containsExactly("FREQ=WEEKLY;COUNT=10;BYDAY=MO");
        assertThat(e.recurrence().orElseThrow().exdates())
                .containsExactly(EventTime.of(ZonedDateTime.of(2026, 3, 9, 10, 0, 0, 0, berlin)));
        assertThat(e.summary()).isEqualTo("Mentoring, weekly");
        assertThat(e.description()).contains("line one\nline two");
        assertThat(e.location()).contains("Room 1");
        assertThat(e.organizer()).contains(new Organizer(Mailbox.of("olga@example.com"), "Olga"));
        assertThat(e.attendees())
                .containsExactly(
                        new Attendee(
                                Mailbox.of("bob@example.com"),
                                "Bob",
                                Attendee.Role.OPTIONAL,
                                Attendee.ResponseStatus.ACCEPTED,
                                false),
                        new Attendee(
                                Mailbox.of("room1@example.com"),
                                null,
                                Attendee.Role.REQUIRED,
                                Attendee.ResponseStatus.TENTATIVE,
                                true));
        assertThat(e.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(e.transparency()).isEqualTo(Transparency.OPAQUE);
        assertThat(e.updated()).contains(Instant.parse("2026-02-01T12:00:00Z"));
        assertThat(e.key()).contains(EventKey.of("booking-42"));
        assertThat(e.properties()).containsEntry("X-FOO", "hello").containsEntry(ICalendar.PROPERTY_SEQUENCE, "3");
        assertThat(e.overrides()).hasSize(2);
        assertThat(e.overrides().get(0).recurrenceId())
                .contains(EventTime.of(ZonedDateTime.of(2026, 3, 16, 10, 0, 0, 0, berlin)));
        assertThat(e.overrides().get(1).status()).isEqualTo(EventStatus.CANCELLED);

        TimeWindow march = TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        List<Occurrence> occ = Recurrences.expand(e, march, berlin).toList();
        assertThat(occ)
                .extracting(o -> o.start().date())
                .containsExactly(LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 17), LocalDate.of(2026, 3, 30));
        assertThat(occ.get(1).summary()).isEqualTo("Mentoring (moved)");
        assertThat(occ.get(1).recurrenceId())
                .isEqualTo(EventTime.of(ZonedDateTime.of(2026, 3, 16, 10, 0, 0, 0, berlin)));
        // 30 March is after the switch to CEST: still 10:00 on the wall clock
        assertThat(occ.get(2).startInstant(berlin)).isEqualTo(Instant.parse("2026-03-30T08:00:00Z"));
    }

    @Test
    void roundTripsThroughWrite() {
        List<Event> events = ICalendar.parse(BERLIN_SERIES);
        String written = ICalendar.write(events);
        assertThat(written)
                .contains("BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000");
        assertThat(ICalendar.parse(written)).isEqualTo(events);
    }

    @Test
    void roundTripsEveryTimeForm() {
        ZoneId ny = ZoneId.of("America/New_York");
        Event allDay = Event.builder()
                .uid("a")
                .summary("Holiday")
                .time(EventTime.allDay(LocalDate.of(2026, 7, 3)), EventTime.allDay(LocalDate.of(2026, 7, 5)))
                .transparency(Transparency.TRANSPARENT)
                .recurrence(new Recurrence(
                        List.of("FREQ=YEARLY"),
                        List.of(EventTime.allDay(LocalDate.of(2027, 1, 1))),
                        List.of(EventTime.allDay(LocalDate.of(2028, 7, 3)))))
                .build();
        Event utc = Event.builder()
                .uid("u")
                .time(
                        EventTime.utc(Instant.parse("2026-01-01T10:00:00Z")),
                        EventTime.utc(Instant.parse("2026-01-01T10:30:00Z")))
                .status(EventStatus.TENTATIVE)
                .build();
        Event floating = Event.builder()
                .uid("f")
                .time(
                        EventTime.floating(LocalDateTime.of(2026, 1, 1, 7, 0)),
                        EventTime.floating(LocalDateTime.of(2026, 1, 1, 8, 0)))
                .showAs(BusyStatus.OUT_OF_OFFICE)
                .key(EventKey.of("k-1"))
                .property("host:note", "a;b,c\nd")
                .build();
        Event zoned = Event.builder()
                .uid("z")
                .time(
                        EventTime.of(ZonedDateTime.of(2026, 3, 8, 1, 30, 0, 0, ny)),
                        EventTime.of(ZonedDateTime.of(2026, 3, 8, 3, 30, 0, 0, ny)))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                .addOverride(Event.builder()
                        .uid("z")
                        .recurrenceId(EventTime.of(ZonedDateTime.of(2026, 3, 9, 1, 30, 0, 0, ny)))
                        .time(
                                EventTime.of(ZonedDateTime.of(2026, 3, 9, 5, 0, 0, 0, ny)),
                                EventTime.of(ZonedDateTime.of(2026, 3, 9, 6, 0, 0, 0, ny)))
                        .property(ICalendar.PROPERTY_RANGE, ICalendar.THISANDFUTURE)
                        .build())
                .build();
        List<Event> events = List.of(allDay, utc, floating, zoned);
        String written = ICalendar.write(events);
        assertThat(written)
                .contains(
                        "DTSTART;VALUE=DATE:20260703",
                        "DTSTART:20260101T100000Z",
                        "DTSTART:20260101T070000",
                        "RANGE=THISANDFUTURE",
                        "X-MICROSOFT-CDO-BUSYSTATUS:OOF",
                        "X-CALSDK-PROPERTY;NAME=host:note".replace("host:note", "\"host:note\""));
        assertThat(ICalendar.parse(written)).isEqualTo(events);
        assertThat(ICalendar.parse(ICalendar.write(zoned))).containsExactly(zoned);
    }

    @Test
    void overrideWithoutMasterIsReturnedOnItsOwn() {
        List<Event> events = ICalendar.parse(ics(
                "BEGIN:VEVENT",
                "UID:x",
                "RECURRENCE-ID:20260105T090000Z",
                "DTSTART:20260105T100000Z",
                "DURATION:PT30M",
                "END:VEVENT"));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).recurrenceId()).contains(EventTime.utc(Instant.parse("2026-01-05T09:00:00Z")));
        assertThat(events.get(0).end()).isEqualTo(EventTime.utc(Instant.parse("2026-01-05T10:30:00Z")));
    }

    @Test
    void durationAndDefaultEnds() {
        List<Event> events = ICalendar.parse(ics(
                "BEGIN:VEVENT",
                "UID:d1",
                "DTSTART;TZID=Europe/Berlin:20260328T120000",
                "DURATION:P1DT1H",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:d2",
                "DTSTART;VALUE=DATE:20260328",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:d3",
                "DTSTART:20260328T120000Z",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:d4",
                "DTSTART;VALUE=DATE:20260328",
                "DURATION:P1W",
                "END:VEVENT"));
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // P1D is nominal: same wall-clock time the next day, across the DST switch of 29 March
        assertThat(events.get(0).end()).isEqualTo(EventTime.of(ZonedDateTime.of(2026, 3, 29, 13, 0, 0, 0, berlin)));
        assertThat(events.get(1).end()).isEqualTo(EventTime.allDay(LocalDate.of(2026, 3, 29)));
        assertThat(events.get(2).end()).isEqualTo(events.get(2).start());
        assertThat(events.get(3).end()).isEqualTo(EventTime.allDay(LocalDate.of(2026, 4, 4)));
    }

    @Test
    void windowsTzidsAreMapped() {
        List<Event> events = ICalendar.parse(ics(
                "BEGIN:VEVENT",
                "UID:w",
                "DTSTART;TZID=W. Europe Standard Time:20260302T100000",
                "DTEND;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20260302T110000",
                "END:VEVENT"));
        assertThat(((EventTime.Zoned) events.get(0).start()).zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(((EventTime.Zoned) events.get(0).end()).zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void unknownTzidUsesTheFilesVtimezone() {
        String text = ics(
                "BEGIN:VTIMEZONE",
                "TZID:My Office Time",
                "BEGIN:STANDARD",
                "DTSTART:19701025T030000",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "TZOFFSETFROM:+0200",
                "TZOFFSETTO:+0100",
                "END:STANDARD",
                "BEGIN:DAYLIGHT",
                "DTSTART:19700329T020000",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0200",
                "END:DAYLIGHT",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
                "UID:c",
                "DTSTART;TZID=My Office Time:20260701T090000",
                "DTEND;TZID=My Office Time:20260701T100000",
                "RRULE:FREQ=DAILY;COUNT=2",
                "END:VEVENT");
        Event e = ICalendar.parse(text).get(0);
        assertThat(e.start().toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-07-01T07:00:00Z"));
        // those are Central European rules: the IANA zone that behaves the same is used (portable id)
        assertThat(((EventTime.Zoned) e.start()).zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        Event winter = ICalendar.parse(text.replace("20260701", "20260105")).get(0);
        assertThat(winter.start().toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-01-05T08:00:00Z"));
        // written back with that definition, and parsed again to the same zone and instants
        String written = ICalendar.write(e);
        assertThat(written).contains("BEGIN:VTIMEZONE");
        assertThat(ICalendar.parse(written)).containsExactly(e);
    }

    @Test
    void vtimezoneLikeNoIanaZoneBecomesACustomZone() {
        String text = ics(
                "BEGIN:VTIMEZONE",
                "TZID:Island Time",
                "BEGIN:STANDARD",
                "DTSTART:19701101T020000",
                "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
                "TZOFFSETFROM:+0417",
                "TZOFFSETTO:+0317",
                "END:STANDARD",
                "BEGIN:DAYLIGHT",
                "DTSTART:19700301T020000",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=1SU",
                "TZOFFSETFROM:+0317",
                "TZOFFSETTO:+0417",
                "END:DAYLIGHT",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
                "UID:i",
                "DTSTART;TZID=Island Time:20260701T090000",
                "DTEND;TZID=Island Time:20260701T100000",
                "RRULE:FREQ=WEEKLY;COUNT=30",
                "END:VEVENT");
        Event e = ICalendar.parse(text).get(0);
        ZoneId zone = ((EventTime.Zoned) e.start()).zone();
        assertThat(zone.getId()).startsWith("Calsdk~");
        assertThat(e.start().toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-07-01T04:43:00Z"));
        // the same rules get the same id; writing reproduces the definition, and it parses back equal
        assertThat(((EventTime.Zoned) ICalendar.parse(text.replace("Island Time", "Other Name"))
                                .get(0)
                                .start())
                        .zone())
                .isEqualTo(zone);
        String written = ICalendar.write(e);
        assertThat(written).contains("TZID:" + zone.getId(), "TZOFFSETTO:+0317");
        assertThat(ICalendar.parse(written)).containsExactly(e);
        // and the series crosses its daylight-saving change (first Sunday of November) on the wall clock
        TimeWindow nov = TimeWindow.of(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-10T00:00:00Z"));
        assertThat(Recurrences.expand(e, nov, zone).map(o -> o.startInstant(zone)))
                .containsExactly(Instant.parse("2026-11-04T05:43:00Z"));
    }

    @Test
    void unknownTzidWithoutVtimezoneIsAClearError() {
        assertThatThrownBy(() -> ICalendar.parse(
                        ics("BEGIN:VEVENT", "UID:n", "DTSTART;TZID=Mars/Olympus_Mons:20260101T100000", "END:VEVENT")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("Mars/Olympus_Mons")
                .hasMessageContaining("UID 'n'");
    }

    @Test
    void parsesFromAStream() {
        List<Event> events = ICalendar.parse(new ByteArrayInputStream(BERLIN_SERIES.getBytes(StandardCharsets.UTF_8)));
        assertThat(events).isEqualTo(ICalendar.parse(BERLIN_SERIES));
    }
}
