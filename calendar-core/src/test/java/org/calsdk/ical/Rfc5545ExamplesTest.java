package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/**
 * Every RRULE example of RFC 5545 §3.8.5.3, with the occurrences the RFC lists, expanded through the
 * public API with DTSTART in America/New_York as the RFC does. For unbounded rules the first
 * occurrences listed by the RFC are compared.
 */
class Rfc5545ExamplesTest {
    private static final ZoneId NY = ZoneId.of("America/New_York");
    private static final DateTimeFormatter F = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final TimeWindow ALL =
            TimeWindow.of(Instant.parse("1990-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));

    /** Expands and returns the local (New York) start times, at most {@code max}. */
    static List<LocalDateTime> expand(String dtstart, String rrule, int max, String... exdates) {
        ZonedDateTime start = LocalDateTime.parse(dtstart, F).atZone(NY);
        List<EventTime> ex = new ArrayList<>();
        for (String e : exdates) {
            ex.add(EventTime.of(LocalDateTime.parse(e, F).atZone(NY)));
        }
        Event e = Event.builder()
                .uid("rfc")
                .summary("rfc example")
                .time(EventTime.of(start), EventTime.of(start.plusHours(1)))
                .recurrence(new Recurrence(List.of(rrule), List.of(), ex))
                .build();
        return Recurrences.expand(e, ALL, NY)
                .limit(max)
                .map(o -> ((EventTime.Zoned) o.start()).dateTime().toLocalDateTime())
                .toList();
    }

    /** Expected values: "1997-09-02" dates at {@code time}, one per argument. */
    static List<LocalDateTime> at(String time, String... dates) {
        return Arrays.stream(dates)
                .map(d -> LocalDate.parse(d).atTime(java.time.LocalTime.parse(time)))
                .toList();
    }

    static List<LocalDateTime> days(int year, int month, int time, int... days) {
        List<LocalDateTime> out = new ArrayList<>();
        for (int d : days) {
            out.add(LocalDateTime.of(year, month, d, time, 0));
        }
        return out;
    }

    @SafeVarargs
    static List<LocalDateTime> concat(List<LocalDateTime>... parts) {
        List<LocalDateTime> out = new ArrayList<>();
        for (List<LocalDateTime> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    @Test
    void dailyFor10Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=DAILY;COUNT=10", 100))
                .containsExactlyElementsOf(days(1997, 9, 9, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    }

    @Test
    void dailyUntilDecember24() {
        List<LocalDateTime> got = expand("19970902T090000", "FREQ=DAILY;UNTIL=19971224T000000Z", 1000);
        assertThat(got).hasSize(113);
        assertThat(got.get(0)).isEqualTo(LocalDateTime.of(1997, 9, 2, 9, 0));
        assertThat(got.get(got.size() - 1)).isEqualTo(LocalDateTime.of(1997, 12, 23, 9, 0));
        // the wall-clock time stays 09:00 across the end of daylight saving time (EDT -> EST)
        assertThat(got).allMatch(t -> t.getHour() == 9);
    }

    @Test
    void everyOtherDayForever() {
        List<LocalDateTime> got = expand("19970902T090000", "FREQ=DAILY;INTERVAL=2", 200);
        assertThat(got).hasSize(200);
        assertThat(got.subList(0, 16))
                .containsExactlyElementsOf(concat(
                        days(1997, 9, 9, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30),
                        days(1997, 10, 9, 2)));
        assertThat(expand("19970902T090000", "FREQ=DAILY;INTERVAL=2", 1000).stream()
                        .filter(t -> t.getYear() == 1997 && t.getMonthValue() == 12))
                .containsExactlyElementsOf(
                        days(1997, 12, 9, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
    }

    @Test
    void every10DaysFor5Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=DAILY;INTERVAL=10;COUNT=5", 100))
                .containsExactlyElementsOf(concat(days(1997, 9, 9, 2, 12, 22), days(1997, 10, 9, 2, 12)));
    }

    @Test
    void everyDayInJanuaryFor3Years() {
        List<LocalDateTime> expected = new ArrayList<>();
        for (int y = 1998; y <= 2000; y++) {
            for (int d = 1; d <= 31; d++) {
                expected.add(LocalDateTime.of(y, 1, d, 9, 0));
            }
        }
        assertThat(expand(
                        "19980101T090000",
                        "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
                        1000))
                .containsExactlyElementsOf(expected);
        assertThat(expand("19980101T090000", "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1", 1000))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void weeklyFor10Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=WEEKLY;COUNT=10", 100))
                .containsExactlyElementsOf(concat(
                        days(1997, 9, 9, 2, 9, 16, 23, 30), days(1997, 10, 9, 7, 14, 21, 28), days(1997, 11, 9, 4)));
    }

    @Test
    void weeklyUntilDecember24() {
        assertThat(expand("19970902T090000", "FREQ=WEEKLY;UNTIL=19971224T000000Z", 100))
                .containsExactlyElementsOf(concat(
                        days(1997, 9, 9, 2, 9, 16, 23, 30), days(1997, 10, 9, 7, 14, 21, 28),
                        days(1997, 11, 9, 4, 11, 18, 25), days(1997, 12, 9, 2, 9, 16, 23)));
    }

    @Test
    void everyOtherWeekForever() {
        assertThat(expand("19970902T090000", "FREQ=WEEKLY;INTERVAL=2;WKST=SU", 13))
                .containsExactlyElementsOf(concat(
                        days(1997, 9, 9, 2, 16, 30),
                        days(1997, 10, 9, 14, 28),
                        days(1997, 11, 9, 11, 25),
                        days(1997, 12, 9, 9, 23),
                        days(1998, 1, 9, 6, 20),
                        days(1998, 2, 9, 3, 17)));
    }

    @Test
    void weeklyOnTuesdayAndThursdayForFiveWeeks() {
        List<LocalDateTime> expected = concat(days(1997, 9, 9, 2, 4, 9, 11, 16, 18, 23, 25, 30), days(1997, 10, 9, 2));
        assertThat(expand("19970902T090000", "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH", 100))
                .containsExactlyElementsOf(expected);
        assertThat(expand("19970902T090000", "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH", 100))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void everyOtherWeekOnMondayWednesdayFridayUntilDecember24() {
        assertThat(expand(
                        "19970901T090000", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR", 100))
                .containsExactlyElementsOf(concat(
                        days(1997, 9, 9, 1, 3, 5, 15, 17, 19, 29),
                        days(1997, 10, 9, 1, 3, 13, 15, 17, 27, 29, 31),
                        days(1997, 11, 9, 10, 12, 14, 24, 26, 28),
                        days(1997, 12, 9, 8, 10, 12, 22)));
    }

    @Test
    void everyOtherWeekOnTuesdayAndThursdayFor8Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", 100))
                .containsExactlyElementsOf(concat(days(1997, 9, 9, 2, 4, 16, 18, 30), days(1997, 10, 9, 2, 14, 16)));
    }

    @Test
    void monthlyOnFirstFridayFor10Occurrences() {
        assertThat(expand("19970905T090000", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-09-05",
                        "1997-10-03",
                        "1997-11-07",
                        "1997-12-05",
                        "1998-01-02",
                        "1998-02-06",
                        "1998-03-06",
                        "1998-04-03",
                        "1998-05-01",
                        "1998-06-05"));
    }

    @Test
    void monthlyOnFirstFridayUntilDecember24() {
        assertThat(expand("19970905T090000", "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR", 100))
                .containsExactlyElementsOf(at("09:00", "1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05"));
    }

    @Test
    void everyOtherMonthOnFirstAndLastSundayFor10Occurrences() {
        assertThat(expand("19970907T090000", "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-09-07",
                        "1997-09-28",
                        "1997-11-02",
                        "1997-11-30",
                        "1998-01-04",
                        "1998-01-25",
                        "1998-03-01",
                        "1998-03-29",
                        "1998-05-03",
                        "1998-05-31"));
    }

    @Test
    void monthlyOnSecondToLastMondayFor6Months() {
        assertThat(expand("19970922T090000", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", 100))
                .containsExactlyElementsOf(at(
                        "09:00", "1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"));
    }

    @Test
    void monthlyOnThirdToLastDayForever() {
        assertThat(expand("19970928T090000", "FREQ=MONTHLY;BYMONTHDAY=-3", 6))
                .containsExactlyElementsOf(at(
                        "09:00", "1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29", "1998-02-26"));
    }

    @Test
    void monthlyOnThe2ndAnd15thFor10Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-09-02",
                        "1997-09-15",
                        "1997-10-02",
                        "1997-10-15",
                        "1997-11-02",
                        "1997-11-15",
                        "1997-12-02",
                        "1997-12-15",
                        "1998-01-02",
                        "1998-01-15"));
    }

    @Test
    void monthlyOnFirstAndLastDayFor10Occurrences() {
        assertThat(expand("19970930T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-09-30",
                        "1997-10-01",
                        "1997-10-31",
                        "1997-11-01",
                        "1997-11-30",
                        "1997-12-01",
                        "1997-12-31",
                        "1998-01-01",
                        "1998-01-31",
                        "1998-02-01"));
    }

    @Test
    void every18MonthsOnThe10thTo15thFor10Occurrences() {
        assertThat(expand("19970910T090000", "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", 100))
                .containsExactlyElementsOf(
                        concat(days(1997, 9, 9, 10, 11, 12, 13, 14, 15), days(1999, 3, 9, 10, 11, 12, 13)));
    }

    @Test
    void everyTuesdayEveryOtherMonth() {
        assertThat(expand("19970902T090000", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", 18))
                .containsExactlyElementsOf(concat(
                        days(1997, 9, 9, 2, 9, 16, 23, 30), days(1997, 11, 9, 4, 11, 18, 25),
                        days(1998, 1, 9, 6, 13, 20, 27), days(1998, 3, 9, 3, 10, 17, 24, 31)));
    }

    @Test
    void yearlyInJuneAndJulyFor10Occurrences() {
        assertThat(expand("19970610T090000", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-06-10",
                        "1997-07-10",
                        "1998-06-10",
                        "1998-07-10",
                        "1999-06-10",
                        "1999-07-10",
                        "2000-06-10",
                        "2000-07-10",
                        "2001-06-10",
                        "2001-07-10"));
    }

    @Test
    void everyOtherYearOnJanuaryFebruaryMarchFor10Occurrences() {
        assertThat(expand("19970310T090000", "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-03-10",
                        "1999-01-10",
                        "1999-02-10",
                        "1999-03-10",
                        "2001-01-10",
                        "2001-02-10",
                        "2001-03-10",
                        "2003-01-10",
                        "2003-02-10",
                        "2003-03-10"));
    }

    @Test
    void everyThirdYearOnThe1st100thAnd200thDayFor10Occurrences() {
        assertThat(expand("19970101T090000", "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", 100))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-01-01",
                        "1997-04-10",
                        "1997-07-19",
                        "2000-01-01",
                        "2000-04-09",
                        "2000-07-18",
                        "2003-01-01",
                        "2003-04-10",
                        "2003-07-19",
                        "2006-01-01"));
    }

    @Test
    void every20thMondayOfTheYear() {
        assertThat(expand("19970519T090000", "FREQ=YEARLY;BYDAY=20MO", 3))
                .containsExactlyElementsOf(at("09:00", "1997-05-19", "1998-05-18", "1999-05-17"));
    }

    @Test
    void mondayOfWeekNumber20() {
        assertThat(expand("19970512T090000", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", 3))
                .containsExactlyElementsOf(at("09:00", "1997-05-12", "1998-05-11", "1999-05-17"));
    }

    @Test
    void everyThursdayInMarch() {
        assertThat(expand("19970313T090000", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH", 11))
                .containsExactlyElementsOf(concat(
                        days(1997, 3, 9, 13, 20, 27),
                        days(1998, 3, 9, 5, 12, 19, 26),
                        days(1999, 3, 9, 4, 11, 18, 25)));
    }

    @Test
    void everyThursdayInJuneJulyAugust() {
        assertThat(expand("19970605T090000", "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", 39))
                .containsExactlyElementsOf(concat(
                        days(1997, 6, 9, 5, 12, 19, 26),
                        days(1997, 7, 9, 3, 10, 17, 24, 31),
                        days(1997, 8, 9, 7, 14, 21, 28),
                        days(1998, 6, 9, 4, 11, 18, 25),
                        days(1998, 7, 9, 2, 9, 16, 23, 30),
                        days(1998, 8, 9, 6, 13, 20, 27),
                        days(1999, 6, 9, 3, 10, 17, 24),
                        days(1999, 7, 9, 1, 8, 15, 22, 29),
                        days(1999, 8, 9, 5, 12, 19, 26)));
    }

    @Test
    void everyFriday13thExcludingDtstart() {
        assertThat(expand("19970902T090000", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", 5, "19970902T090000"))
                .containsExactlyElementsOf(
                        at("09:00", "1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"));
    }

    @Test
    void firstSaturdayAfterFirstSundayOfTheMonth() {
        assertThat(expand("19970913T090000", "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", 10))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-09-13",
                        "1997-10-11",
                        "1997-11-08",
                        "1997-12-13",
                        "1998-01-10",
                        "1998-02-07",
                        "1998-03-07",
                        "1998-04-11",
                        "1998-05-09",
                        "1998-06-13"));
    }

    @Test
    void usPresidentialElectionDay() {
        assertThat(expand("19961105T090000", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", 3))
                .containsExactlyElementsOf(at("09:00", "1996-11-05", "2000-11-07", "2004-11-02"));
    }

    @Test
    void thirdTuesdayWednesdayOrThursdayForThreeMonths() {
        assertThat(expand("19970904T090000", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", 100))
                .containsExactlyElementsOf(at("09:00", "1997-09-04", "1997-10-07", "1997-11-06"));
    }

    @Test
    void secondToLastWeekdayOfTheMonth() {
        assertThat(expand("19970929T090000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", 7))
                .containsExactlyElementsOf(at(
                        "09:00",
                        "1997-09-29",
                        "1997-10-30",
                        "1997-11-27",
                        "1997-12-30",
                        "1998-01-29",
                        "1998-02-26",
                        "1998-03-30"));
    }

    /**
     * The RFC lists 09:00, 12:00 and 15:00 EDT for {@code UNTIL=19970902T170000Z}, but 15:00 EDT is 19:00Z,
     * after UNTIL; §3.3.10 says UNTIL bounds the recurrence inclusively, so the set ends at 12:00 EDT
     * (16:00Z). This is a known inconsistency of the example (RFC errata); the rule text wins.
     */
    @Test
    void every3HoursFrom9To5OnASpecificDay() {
        assertThat(expand("19970902T090000", "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", 100))
                .containsExactly(LocalDateTime.of(1997, 9, 2, 9, 0), LocalDateTime.of(1997, 9, 2, 12, 0));
        // with UNTIL in local terms as the example intends (21:00Z = 17:00 EDT), all three appear
        assertThat(expand("19970902T090000", "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z", 100))
                .containsExactly(
                        LocalDateTime.of(1997, 9, 2, 9, 0),
                        LocalDateTime.of(1997, 9, 2, 12, 0),
                        LocalDateTime.of(1997, 9, 2, 15, 0));
    }

    @Test
    void every15MinutesFor6Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=MINUTELY;INTERVAL=15;COUNT=6", 100))
                .containsExactly(
                        LocalDateTime.of(1997, 9, 2, 9, 0),
                        LocalDateTime.of(1997, 9, 2, 9, 15),
                        LocalDateTime.of(1997, 9, 2, 9, 30),
                        LocalDateTime.of(1997, 9, 2, 9, 45),
                        LocalDateTime.of(1997, 9, 2, 10, 0),
                        LocalDateTime.of(1997, 9, 2, 10, 15));
    }

    @Test
    void everyHourAndAHalfFor4Occurrences() {
        assertThat(expand("19970902T090000", "FREQ=MINUTELY;INTERVAL=90;COUNT=4", 100))
                .containsExactly(
                        LocalDateTime.of(1997, 9, 2, 9, 0), LocalDateTime.of(1997, 9, 2, 10, 30),
                        LocalDateTime.of(1997, 9, 2, 12, 0), LocalDateTime.of(1997, 9, 2, 13, 30));
    }

    @Test
    void every20MinutesFrom9To1640EveryDay() {
        List<LocalDateTime> twoDays = new ArrayList<>();
        for (int d = 2; d <= 3; d++) {
            for (int h = 9; h <= 16; h++) {
                for (int m = 0; m < 60; m += 20) {
                    twoDays.add(LocalDateTime.of(1997, 9, d, h, m));
                }
            }
        }
        assertThat(expand("19970902T090000", "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", 48))
                .containsExactlyElementsOf(twoDays);
        assertThat(expand("19970902T090000", "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16", 48))
                .containsExactlyElementsOf(twoDays);
    }

    @Test
    void weekStartChangesTheResult() {
        assertThat(expand("19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", 100))
                .containsExactlyElementsOf(days(1997, 8, 9, 5, 10, 19, 24));
        assertThat(expand("19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", 100))
                .containsExactlyElementsOf(days(1997, 8, 9, 5, 17, 19, 31));
    }

    @Test
    void invalidDatesAreIgnored() {
        assertThat(expand("20070115T090000", "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", 100))
                .containsExactlyElementsOf(
                        at("09:00", "2007-01-15", "2007-01-30", "2007-02-15", "2007-03-15", "2007-03-30"));
    }

    @Test
    void offsetsFollowTheZone() {
        ZonedDateTime start = ZonedDateTime.of(1997, 9, 2, 9, 0, 0, 0, NY);
        Event e = Event.builder()
                .uid("dst")
                .time(EventTime.of(start), EventTime.of(start.plusHours(1)))
                .recurrence(Recurrence.rule("FREQ=DAILY;UNTIL=19971224T000000Z"))
                .build();
        List<Occurrence> all = Recurrences.expand(e, ALL, NY).toList();
        assertThat(((EventTime.Zoned) all.get(0).start()).dateTime().getOffset().getTotalSeconds())
                .isEqualTo(-4 * 3600);
        assertThat(((EventTime.Zoned) all.get(all.size() - 1).start())
                        .dateTime()
                        .getOffset()
                        .getTotalSeconds())
                .isEqualTo(-5 * 3600);
        assertThat(all.get(all.size() - 1).startInstant(NY)).isEqualTo(Instant.parse("1997-12-23T14:00:00Z"));
    }
}
