package org.calsdk.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CalDAV provider against the testkit's fake server on loopback: one account with one calendar of
 * 200 single events over a year and 20 weekly series that began a year before the window. What the
 * client-side work costs (XML, iCalendar parsing, local expansion of every series, merging) on top of
 * the minimum round trips: own free/busy over a week (1 PROPFIND + 3 REPORTs), and an incremental read
 * that finds nothing new (1 REPORT).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CalDavBenchmark {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");

    FakeCalDavServer server;
    CalendarConnection connection;
    FreeBusyRequest week;
    CalendarRef calendar;
    SyncCursor cursor;

    @Setup(Level.Trial)
    public void setUp() {
        server = FakeCalDavServer.builder()
                .user("alice", "pw")
                .calendar("alice", "work", "Work")
                .build()
                .start();
        LocalDateTime base = LocalDateTime.of(2026, 1, 5, 9, 0);
        for (int i = 0; i < 200; i++) {
            LocalDateTime s = base.plusDays(i * 365L / 200).withHour(18 + i % 3); // evenings: never next to a series
            server.putEvent("alice", "work", "single-" + i + ".ics", ics("single-" + i, s, ""));
        }
        for (int i = 0; i < 20; i++) {
            LocalDateTime s = base.minusYears(1).plusDays(i % 5).withHour(8 + 2 * (i / 5)); // 20 separate weekly slots
            server.putEvent("alice", "work", "series-" + i + ".ics", ics("series-" + i, s, "RRULE:FREQ=WEEKLY\r\n"));
        }
        connection = CalDavProvider.builder()
                .build()
                .connect(server.connectionConfig("alice").build());
        calendar = CalendarRef.of(ALICE, "/calendars/alice/work/");
        week = FreeBusyRequest.of(
                List.of(ALICE), TimeWindow.of(Instant.parse("2026-06-01T00:00:00Z"), Duration.ofDays(7)));
        cursor = drain(SyncCursor.START);
    }

    private SyncCursor drain(SyncCursor from) {
        SyncCursor c = from;
        while (true) {
            ChangeBatch.Changes b = (ChangeBatch.Changes) connection.changes().changes(calendar, c);
            c = b.next();
            if (!b.hasMore()) {
                return c;
            }
        }
    }

    private static String ics(String uid, LocalDateTime start, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20260101T000000Z\r\nDTSTART:" + UTC.format(start.atOffset(ZoneOffset.UTC)) + "\r\n"
                + "DTEND:" + UTC.format(start.plusHours(1).atOffset(ZoneOffset.UTC)) + "\r\n" + extra
                + "SUMMARY:" + uid + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connection.close();
        server.close();
    }

    @Benchmark
    public FreeBusy ownFreeBusyForAWeek() {
        FreeBusy fb = connection.freeBusy().query(week).results().get(0);
        if (fb.busy().size() < 20) {
            throw new IllegalStateException(
                    "every weekly series must block the week: " + fb.busy().size());
        }
        return fb;
    }

    @Benchmark
    public ChangeBatch incrementalReadWithNoChanges() {
        return connection.changes().changes(calendar, cursor);
    }
}
