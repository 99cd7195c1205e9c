package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.SkippedEvent;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1: one poisoned event on the server (a VTIMEZONE that would expand forever, a broken
 * file, a series over a bound) is left out and reported; it no longer takes the listing, the change
 * read or the process down with it.
 */
class PoisonedEventTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef WORK = CalendarRef.of(ALICE, "/calendars/alice/work/");
    static final TimeWindow MARCH = TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Duration.ofDays(31));

    /** The 393-byte VTIMEZONE attack as a calendar object resource. */
    static final String EVIL_TZ = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            + "BEGIN:VTIMEZONE\r\nTZID:Evil Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
            + "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            + "BEGIN:VEVENT\r\nUID:evil-tz@example.com\r\n"
            + "DTSTART;TZID=Evil Standard Time:20260301T090000\r\nDTEND;TZID=Evil Standard Time:20260301T100000\r\n"
            + "SUMMARY:xxxxxxxxxx\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    static String ics(String uid, String start, String end, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDTEND:" + end + "\r\n" + extra
                + "SUMMARY:" + uid + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private FakeCalDavServer server;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .calendar("alice", "work", "Work")
                .build()
                .start();
        open.add(server);
        server.putEvent("alice", "work", "good.ics", ics("good", "20260302T090000Z", "20260302T100000Z", ""));
        server.putEvent("alice", "work", "evil.ics", EVIL_TZ);
        server.putEvent(
                "alice", "work", "broken.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:broken\r\nEND:VCALENDAR\r\n");
    }

    private CalendarConnection connect() {
        CalendarConnection c = CalDavProvider.builder()
                .retryPolicy(RetryPolicy.custom().maxAttempts(1).build())
                .build()
                .connect(server.connectionConfig("alice").build());
        open.add(c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aListingLeavesThePoisonedEventsOutAndReportsThem() {
        EventPage page = connect().reader().list(EventQuery.of(WORK, MARCH));
        assertThat(page.events()).extracting(e -> e.uid().orElse("")).containsExactly("good");
        assertThat(page.skipped())
                .extracting(SkippedEvent::eventId)
                .containsExactlyInAnyOrder("/calendars/alice/work/evil.ics", "/calendars/alice/work/broken.ics");
        SkippedEvent evil = page.skipped().stream()
                .filter(x -> x.eventId().endsWith("evil.ics"))
                .findFirst()
                .orElseThrow();
        assertThat(evil.error())
                .isInstanceOfSatisfying(
                        LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("ical.maxVTimeZoneTransitions"));
        assertThat(evil.describe()).contains("evil.ics").contains("evil-tz@example.com");
    }

    @Test
    void aChangeReadReportsThePoisonedEventsAsSkippedNotDeleted() {
        CalendarConnection c = connect();
        ChangeBatch.Changes full = (ChangeBatch.Changes) c.changes().changes(WORK, SyncCursor.START);
        assertThat(full.changes()).extracting(EventChange::eventId).containsExactly("/calendars/alice/work/good.ics");
        assertThat(full.skipped()).hasSize(2);
        // the next read sees nothing new, and in particular no deletion of the skipped ones
        server.putEvent("alice", "work", "good.ics", ics("good", "20260303T090000Z", "20260303T100000Z", ""));
        ChangeBatch.Changes next = (ChangeBatch.Changes) c.changes().changes(WORK, full.next());
        assertThat(next.changes()).singleElement().isInstanceOf(EventChange.Upserted.class);
        assertThat(next.skipped()).isEmpty();
    }

    @Test
    void ownFreeBusyOverABoundIsThatMailboxsTypedError() {
        server.removeEvent("alice", "work", "evil.ics");
        server.removeEvent("alice", "work", "broken.ics");
        server.putEvent(
                "alice",
                "work",
                "secondly.ics",
                ics("secondly", "20260101T000000Z", "20260101T000001Z", "RRULE:FREQ=SECONDLY\r\n"));
        TimeWindow year = TimeWindow.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
        FreeBusy fb = connect()
                .freeBusy()
                .query(FreeBusyRequest.of(List.of(ALICE), year))
                .results()
                .get(0);
        assertThat(fb.ok()).isFalse();
        assertThat(fb.error())
                .isInstanceOfSatisfying(
                        LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("ical.maxSubDailyInstances"));
        // a window within the bound merges the occurrences as they stream
        FreeBusy hour = connect()
                .freeBusy()
                .query(FreeBusyRequest.of(
                        List.of(ALICE), TimeWindow.of(Instant.parse("2026-01-01T10:00:00Z"), Duration.ofHours(1))))
                .results()
                .get(0);
        assertThat(hour.busy())
                .singleElement()
                .satisfies(b -> assertThat(Duration.between(b.start(), b.end())).isEqualTo(Duration.ofHours(1)));
    }

    @Test
    void aSingleReadOfAPoisonedEventIsATypedError() {
        CalendarConnection c = connect();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.reader().get(WORK, "/calendars/alice/work/evil.ics"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("evil.ics");
        assertThat(c.reader().get(WORK, "/calendars/alice/work/good.ics"))
                .map(Event::summary)
                .contains("good");
    }
}
