package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.Event;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1: parsing and expansion are bounded in work and memory, not only in input size. Each
 * attack here ran out of memory (or took tens of seconds) before its fix; {@link BoundsHeapTest}
 * runs the same attacks under {@code -Xmx256m}.
 */
class BoundsTest {
    private static final TimeWindow HOUR = TimeWindow.of(Instant.parse("2026-06-01T10:00:00Z"), Duration.ofHours(1));

    @Test
    void aSecondlyVTimeZoneObservanceIsRefusedNamingTheBound() {
        String ics = BoundsAttacks.secondlyVTimeZone();
        assertThat(ics.length()).isEqualTo(393);
        assertThatThrownBy(() -> ICalendar.parse(ics)).isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.limit()).isEqualTo("ical.maxVTimeZoneTransitions");
            assertThat(e.bound()).isEqualTo(10_000);
            assertThat(e.getMessage())
                    .contains("evil-tz@example.com")
                    .contains("Evil Standard Time")
                    .contains("ical.maxVTimeZoneTransitions = 10000");
        });
    }

    @Test
    void anUnusedHostileVTimeZoneIsNeverExpanded() {
        // ical4j's parser used to build zone rules for every VTIMEZONE it read, used or not
        String ics = BoundsAttacks.secondlyVTimeZone().replace(";TZID=Evil Standard Time:", ":");
        assertThat(ICalendar.parse(ics))
                .singleElement()
                .satisfies(e -> assertThat(e.uid()).contains("evil-tz@example.com"));
    }

    @Test
    void tenThousandObservancesAreRefused() {
        assertThatThrownBy(() -> ICalendar.parse(BoundsAttacks.manyObservances(10_000)))
                .isInstanceOfSatisfying(
                        LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("ical.maxVTimeZoneObservances"));
    }

    @Test
    void anObservanceRuleWithManyTimesOfDayIsNotATimeZoneRule() {
        // few matches (BYSETPOS=1) but every second of the year as candidates in ical4j
        String ics = BoundsAttacks.secondlyVTimeZone()
                .replace("RRULE:FREQ=SECONDLY", "RRULE:FREQ=YEARLY;BYHOUR=0,1,2;BYMINUTE=0,1;BYSETPOS=1");
        assertThatThrownBy(() -> ICalendar.parse(ics))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("one time of day");
    }

    @Test
    void realisticVTimeZonesStillWork() {
        // Outlook's style: two observances from 1601, yearly; ~850 transitions up to now + 11 years
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:My Custom Zone\r\n"
                + "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0230\r\nTZOFFSETTO:+0130\r\n"
                + "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\n"
                + "TZOFFSETFROM:+0130\r\nTZOFFSETTO:+0230\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n"
                + "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:ok\r\nDTSTART;TZID=My Custom Zone:20260701T090000\r\n"
                + "DTEND;TZID=My Custom Zone:20260701T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        Event e = ICalendar.parse(ics).get(0);
        assertThat(e.start().toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-07-01T06:30:00Z"));
    }

    @Test
    void aSecondlySeriesOverTenYearsStopsAtTheSubDailyBound() {
        Event e = BoundsAttacks.secondly();
        try (Stream<Occurrence> s = Recurrences.expand(e, BoundsAttacks.years(2026, 10), ZoneOffset.UTC)) {
            assertThatThrownBy(s::count).isInstanceOfSatisfying(LimitExceededException.class, x -> {
                assertThat(x.limit()).isEqualTo("ical.maxSubDailyInstances");
                assertThat(x.bound()).isEqualTo(ExpansionLimits.DEFAULT_MAX_SUB_DAILY_INSTANCES);
                assertThat(x.getMessage()).contains("secondly@example.com").contains("FREQ=SECONDLY");
            });
        }
        // an hour of it is fine, and the bound is the host's to set
        assertThat(Recurrences.expand(e, HOUR, ZoneOffset.UTC).count()).isEqualTo(3600);
        assertThatThrownBy(() -> Recurrences.expand(
                                e, HOUR, ZoneOffset.UTC, ExpansionLimits.DEFAULT.withMaxSubDailyInstances(1000))
                        .count())
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void aYearlyRuleWithEveryByListCostsWhatTheWindowHolds() {
        Event e = BoundsAttacks.yearlyEverything();
        List<Occurrence> hour = Recurrences.expand(e, HOUR, ZoneOffset.UTC).toList();
        assertThat(hour).hasSize(3600);
        assertThat(hour.get(0).start().toInstant(ZoneOffset.UTC)).isEqualTo(HOUR.start());
        assertThat(hour.get(3599).start().toInstant(ZoneOffset.UTC))
                .isEqualTo(HOUR.end().minusSeconds(1));
        // late in the year too: days before the window are skipped, not generated
        TimeWindow december = TimeWindow.of(Instant.parse("2026-12-31T23:00:00Z"), Duration.ofHours(1));
        assertThat(Recurrences.expand(e, december, ZoneOffset.UTC).count()).isEqualTo(3600);
        assertThatThrownBy(() -> Recurrences.expand(e, BoundsAttacks.years(2026, 10), ZoneOffset.UTC)
                        .count())
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void bySetPosIsComputedWithoutMaterializingThePeriod() {
        Event e = ICalendar.parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:setpos\r\n"
                        + "DTSTART:20260101T000000Z\r\nRRULE:FREQ=YEARLY;BYHOUR=" + BoundsAttacks.range(0, 23)
                        + ";BYMINUTE="
                        + BoundsAttacks.range(0, 59) + ";BYSECOND=" + BoundsAttacks.range(0, 59) + ";BYMONTHDAY="
                        + BoundsAttacks.range(1, 31)
                        + ";BYMONTH=" + BoundsAttacks.range(1, 12)
                        + ";BYSETPOS=2,-1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
                .get(0);
        assertThat(Recurrences.expand(e, BoundsAttacks.years(2026, 2), ZoneOffset.UTC)
                        .map(o -> o.start().toInstant(ZoneOffset.UTC)))
                .containsExactly(
                        Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2026-01-01T00:00:01Z"),
                        Instant.parse("2026-12-31T23:59:59Z"),
                        Instant.parse("2027-01-01T00:00:01Z"),
                        Instant.parse("2027-12-31T23:59:59Z"));
    }

    @Test
    void busyOverAYearOfASecondlyEventIsATypedError() {
        assertThatThrownBy(() -> Recurrences.busy(
                        List.of(BoundsAttacks.secondly()), BoundsAttacks.years(2026, 1), ZoneOffset.UTC))
                .isInstanceOf(LimitExceededException.class);
        // within the bound, occurrences merge as they stream: one interval, not 3,600
        List<BusyInterval> busy = Recurrences.busy(List.of(BoundsAttacks.secondly()), HOUR, ZoneOffset.UTC);
        assertThat(busy).singleElement().satisfies(b -> {
            assertThat(b.start()).isEqualTo(HOUR.start());
            assertThat(b.end()).isEqualTo(HOUR.end());
        });
    }

    @Test
    void dailyRulesAreNotSubDaily() {
        Event daily = ICalendar.parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:daily\r\n"
                        + "DTSTART:20000101T090000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
                .get(0);
        assertThat(Recurrences.expand(
                                daily,
                                BoundsAttacks.years(2000, 600),
                                ZoneOffset.UTC,
                                ExpansionLimits.DEFAULT.withMaxSubDailyInstances(1))
                        .count())
                .isGreaterThan(200_000);
    }
}
