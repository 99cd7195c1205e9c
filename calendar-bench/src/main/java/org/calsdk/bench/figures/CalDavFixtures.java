package org.calsdk.bench.figures;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.calsdk.testkit.caldav.FakeCalDavServer;

/** Shared set-up of the CalDAV figures: an open-domain fake whose mailboxes hold a few events each. */
final class CalDavFixtures {
    static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The 30-day window of the free/busy figures. */
    static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");

    static final Instant TO = FROM.plus(java.time.Duration.ofDays(30));

    private CalDavFixtures() {}

    /** Mailbox {@code i}'s user name. */
    static String user(int i) {
        return "user" + i;
    }

    /** An open-domain fake (every user@example.com exists, any password) with a scheduling outbox. */
    static FakeCalDavServer openFake() {
        return FakeCalDavServer.builder().openDomain(true).build().start();
    }

    /** Gives users 0..n-1 {@code perMailbox} events each in the 30-day window (one a weekly series). */
    static void seed(FakeCalDavServer dav, int n, int perMailbox) {
        for (int i = 0; i < n; i++) {
            String u = user(i);
            for (int k = 0; k < perMailbox; k++) {
                Instant s = FROM.plus(java.time.Duration.ofHours(9 + 24L * ((i + 3L * k) % 30) + k % 8));
                String rule = k == 0 ? "RRULE:FREQ=WEEKLY;COUNT=4\r\n" : "";
                dav.putEvent(u, "primary", "e" + k + ".ics", event(u + "-" + k, s, s.plusSeconds(3600), rule));
            }
        }
    }

    static String event(String uid, Instant start, Instant end, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calsdk//bench//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + UTC.format(start) + "\r\nDTEND:" + UTC.format(end)
                + "\r\nSUMMARY:busy " + uid + "\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }
}
