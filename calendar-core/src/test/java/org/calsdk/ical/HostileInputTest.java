package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad and hostile input: always a typed error or a bounded result; @Timeout guards against hangs only. */
@Timeout(60)
class HostileInputTest {
    static final ZoneId NY = ZoneId.of("America/New_York");

    static String event(String... props) {
        return ICalendarTest.ics(concat(new String[] {"BEGIN:VEVENT", "UID:h"}, props, new String[] {"END:VEVENT"}));
    }

    static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "hello",
                "BEGIN:VCALENDAR",
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n",
                "\u0000\u0001\u0002binary",
                "<html><body>not ics</body></html>",
                "BEGIN:VCALENDAR\r\nEND:VEVENT\r\n"
            })
    void garbageIsMalformedData(String text) {
        assertThatThrownBy(() -> ICalendar.parse(text)).isInstanceOf(MalformedDataException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "FREQ=DAILY;BYFOO=1",
                "FREQ=SOMETIMES",
                "FREQ=DAILY;BYMONTHDAY=40",
                "FREQ=DAILY;BYDAY=XX",
                "FREQ=DAILY;COUNT=abc",
                "FREQ=DAILY;INTERVAL=0",
                "FREQ=DAILY;INTERVAL=-2",
                "BYDAY=MO",
                "FREQ=MONTHLY;BYSETPOS=0",
                "FREQ=DAILY;BYHOUR=24",
                "FREQ=DAILY;UNTIL=yesterday",
                "FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO"
            })
    void invalidRulePartsAreNamed(String rule) {
        // named either by the UID (our checks) or by the line (ical4j's parser, which checks first)
        assertThatThrownBy(() -> ICalendar.parse(event("DTSTART:20260101T100000Z", "RRULE:" + rule)))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("RRULE")
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("UID 'h'", "line 7"));
    }

    @Test
    void countAndUntilTogetherAreRejected() {
        assertThatThrownBy(() -> ICalendar.parse(
                        event("DTSTART:20260101T100000Z", "RRULE:FREQ=DAILY;COUNT=5;UNTIL=20260201T000000Z")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("COUNT and UNTIL");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"FREQ=SECONDLY;COUNT=2000000", "FREQ=DAILY;COUNT=99999999999", "FREQ=DAILY;COUNT=2147483647"})
    void hugeCountIsRejected(String rule) {
        assertThatThrownBy(() -> ICalendar.parse(event("DTSTART:20260101T100000Z", "RRULE:" + rule)))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("COUNT");
    }

    @Test
    void largestAllowedCountIsExpandedLazilyAndBounded() {
        Event e = ICalendar.parse(event("DTSTART:20260101T100000Z", "RRULE:FREQ=SECONDLY;COUNT=1000000"))
                .get(0);
        // the window lies after the millionth instance (11.6 days later): every instance is counted, none kept
        TimeWindow later = TimeWindow.of(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-02T00:00:00Z"));
        assertThat(Recurrences.expand(e, later, NY)).isEmpty();
        TimeWindow first = TimeWindow.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T10:00:05Z"));
        assertThat(Recurrences.expand(e, first, NY)).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
                "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31",
                "FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1",
                "FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3",
                "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6",
                "FREQ=HOURLY;INTERVAL=24;BYHOUR=5",
                "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2"
            })
    void rulesThatNeverMatchEndAfterABoundedSearch(String rule) {
        // DTSTART 10:00 on an even minute; each rule can never produce another instance
        Event e = ICalendar.parse(event("DTSTART:20260101T100000Z", "RRULE:" + rule))
                .get(0);
        TimeWindow millennia =
                TimeWindow.of(Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("9000-01-01T00:00:00Z"));
        assertThat(Recurrences.expand(e, millennia, NY)).isEmpty();
    }

    @Test
    void inputOverTheSizeLimitIsRejected() {
        String big = event("DTSTART:20260101T100000Z", "DESCRIPTION:" + "x".repeat(ICalendar.MAX_INPUT_BYTES));
        assertThatThrownBy(() -> ICalendar.parse(big))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("limit");
        // an endless stream is read only up to the limit
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        assertThatThrownBy(() -> ICalendar.parse(endless))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void tooManyComponentsAreRejected() {
        String many = ICalendarTest.ics("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n"
                .repeat(ICalendar.MAX_COMPONENTS + 1)
                .strip());
        assertThatThrownBy(() -> ICalendar.parse(many))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("components");
    }

    @Test
    void deepNestingIsRejectedBeforeParsing() {
        String deep = ICalendarTest.ics(
                "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\n" + "BEGIN:VALARM\r\n".repeat(50_000));
        assertThatThrownBy(() -> ICalendar.parse(deep))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void multiMegabyteFileWithinLimitsParses() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8_000; i++) {
            sb.append("BEGIN:VEVENT\r\nUID:e")
                    .append(i)
                    .append("\r\nDTSTART:20260101T100000Z\r\nDURATION:PT1H\r\nSUMMARY:")
                    .append("s".repeat(400))
                    .append("\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n");
        }
        String text = ICalendarTest.ics(sb.toString().strip());
        assertThat(text.length()).isGreaterThan(3_500_000);
        List<Event> events = ICalendar.parse(text);
        assertThat(events).hasSize(8_000);
    }

    @Test
    void missingDtstartAndBadValuesAreNamed() {
        assertThatThrownBy(() -> ICalendar.parse(event("SUMMARY:no start")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("DTSTART");
        assertThatThrownBy(() -> ICalendar.parse(event("DTSTART;VALUE=DATE:20261340")))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ICalendar.parse(event("DTSTART:20260101T100000Z", "DURATION:forever")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("DURATION");
    }

    @Test
    void endBeforeStartIsTreatedAsZeroLength() {
        Event e = ICalendar.parse(event("DTSTART:20260101T100000Z", "DTEND:20260101T090000Z"))
                .get(0);
        assertThat(e.end()).isEqualTo(e.start());
    }
}
