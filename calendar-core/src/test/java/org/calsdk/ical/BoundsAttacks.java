package org.calsdk.ical;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;

/**
 * The memory and time attacks of issue 10 §1, as data, shared by {@link BoundsTest} (in this JVM) and
 * {@link BoundsChild} (in a child JVM with {@code -Xmx256m}).
 */
final class BoundsAttacks {
    private BoundsAttacks() {}

    /** The 393-byte VTIMEZONE: one STANDARD observance from 1601, every second. Used by the event. */
    static String secondlyVTimeZone() {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
                + "BEGIN:VTIMEZONE\r\nTZID:Evil Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
                + "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
                + "BEGIN:VEVENT\r\nUID:evil-tz@example.com\r\n"
                + "DTSTART;TZID=Evil Standard Time:20260301T090000\r\nDTEND;TZID=Evil Standard Time:20260301T100000\r\n"
                + "SUMMARY:xxxxxxxxxx\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** A VTIMEZONE with {@code n} STANDARD observances (one a year from 1601), used by the event. */
    static String manyObservances(int n) {
        StringBuilder sb = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//attacker//bounds//EN\r\n"
                + "BEGIN:VTIMEZONE\r\nTZID:Many\r\n");
        for (int i = 0; i < n; i++) {
            sb.append("BEGIN:STANDARD\r\nDTSTART:")
                    .append(String.format("%04d", 1601 + i % 8000))
                    .append("0101T000000\r\n")
                    .append("TZOFFSETFROM:+0")
                    .append(i % 2 == 0 ? "1" : "2")
                    .append("00\r\nTZOFFSETTO:+0")
                    .append(i % 2 == 0 ? "2" : "1")
                    .append("00\r\nEND:STANDARD\r\n");
        }
        sb.append(
                "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:many@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
                        + "DTSTART;TZID=Many:20260301T090000\r\nDTEND;TZID=Many:20260301T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        return sb.toString();
    }

    /** One event every second from 2026 on. */
    static Event secondly() {
        return ICalendar.parse(
                        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:secondly@example.com\r\n"
                                + "DTSTART:20260101T000000Z\r\nDTEND:20260101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
                .get(0);
    }

    /** A YEARLY rule with every BY* list filled in: every second of every day. */
    static Event yearlyEverything() {
        return ICalendar.parse(
                        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:yearly@example.com\r\n"
                                + "DTSTART:20260101T000000Z\r\nDTEND:20260101T000001Z\r\nRRULE:FREQ=YEARLY;BYMONTH="
                                + range(1, 12)
                                + ";BYMONTHDAY=" + range(1, 31) + ";BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=" + range(0, 23)
                                + ";BYMINUTE=" + range(0, 59) + ";BYSECOND=" + range(0, 59)
                                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
                .get(0);
    }

    static String range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(Integer.toString(i));
        }
        return String.join(",", out);
    }

    static TimeWindow years(int startYear, int years) {
        Instant s = Instant.parse(startYear + "-01-01T00:00:00Z");
        return TimeWindow.of(s, s.atOffset(ZoneOffset.UTC).plusYears(years).toInstant());
    }
}
