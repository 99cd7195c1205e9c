package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Transparency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RecurrencesTest {
    static final ZoneId NY = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static EventTime ny(int y, int m, int d, int h, int min) {
        return EventTime.of(ZonedDateTime.of(y, m, d, h, min, 0, 0, NY));
    }

    static TimeWindow window(String from, String to) {
        return TimeWindow.of(Instant.parse(from), Instant.parse(to));
    }

    /** Daily 09:00-10:00 New York from 2 March 2026. */
    static Event.Builder daily(String rule) {
        return Event.builder()
                .uid("s")
                .summary("daily")
                .time(ny(2026, 3, 2, 9, 0), ny(2026, 3, 2, 10, 0))
                .recurrence(Recurrence.rule(rule));
    }

    static Event override(EventTime rid, EventTime start, EventTime end) {
        return Event.builder()
                .uid("s")
                .summary("moved")
                .recurrenceId(rid)
                .time(start, end)
                .build();
    }

    static List<LocalDateTime> starts(Event e, TimeWindow w) {
        return Recurrences.expand(e, w, NY)
                .map(o -> ((EventTime.Zoned) o.start()).dateTime().toLocalDateTime())
                .toList();
    }

    @Test
    void plainEventHasZeroOrOneOccurrence() {
        Event e = Event.builder()
                .uid("p")
                .time(ny(2026, 3, 2, 9, 0), ny(2026, 3, 2, 10, 0))
                .build();
        assertThat(Recurrences.expand(e, window("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"), NY)
                        .toList())
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.recurrenceId()).isNull();
                    assertThat(o.source()).isSameAs(e);
                });
        assertThat(Recurrences.expand(e, window("2026-03-03T00:00:00Z", "2026-03-04T00:00:00Z"), NY))
                .isEmpty();
    }

    @Test
    void movedOverrideAppearsAtItsNewTimeEvenWhenTheOriginalIsOutsideTheWindow() {
        // the 2 March instance moved to 20 March; the window covers only 16-23 March
        Event e = daily("FREQ=WEEKLY;COUNT=4")
                .addOverride(override(ny(2026, 3, 2, 9, 0), ny(2026, 3, 20, 14, 0), ny(2026, 3, 20, 15, 0)))
                .build();
        List<Occurrence> got = Recurrences.expand(e, window("2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z"), NY)
                .toList();
        assertThat(got).extracting(o -> o.start()).containsExactly(ny(2026, 3, 16, 9, 0), ny(2026, 3, 20, 14, 0));
        assertThat(got.get(1).recurrenceId()).isEqualTo(ny(2026, 3, 2, 9, 0));
        assertThat(got.get(1).summary()).isEqualTo("moved");
        // and the original time does not show up where it used to be
        assertThat(starts(e, window("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void overrideMovedOutOfTheWindowRemovesTheInstance() {
        Event e = daily("FREQ=DAILY")
                .addOverride(override(ny(2026, 3, 3, 9, 0), ny(2026, 4, 3, 9, 0), ny(2026, 4, 3, 10, 0)))
                .build();
        assertThat(starts(e, window("2026-03-02T00:00:00Z", "2026-03-05T00:00:00Z")))
                .containsExactly(LocalDateTime.of(2026, 3, 2, 9, 0), LocalDateTime.of(2026, 3, 4, 9, 0));
    }

    @Test
    void exdateAndCancelledOverrideRemoveInstances() {
        Event e = daily("FREQ=DAILY;COUNT=5")
                .recurrence(new Recurrence(List.of("FREQ=DAILY;COUNT=5"), List.of(), List.of(ny(2026, 3, 3, 9, 0))))
                .addOverride(Event.builder()
                        .uid("s")
                        .recurrenceId(ny(2026, 3, 5, 9, 0))
                        .time(ny(2026, 3, 5, 9, 0), ny(2026, 3, 5, 10, 0))
                        .status(EventStatus.CANCELLED)
                        .build())
                .build();
        assertThat(starts(e, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")))
                .containsExactly(
                        LocalDateTime.of(2026, 3, 2, 9, 0),
                        LocalDateTime.of(2026, 3, 4, 9, 0),
                        LocalDateTime.of(2026, 3, 6, 9, 0));
    }

    @Test
    void exdateMatchesByInstantWhateverItsForm() {
        // EXDATE in UTC for a New York series (14:00Z = 09:00 EST)
        Event e = daily("FREQ=DAILY;COUNT=3")
                .recurrence(new Recurrence(
                        List.of("FREQ=DAILY;COUNT=3"),
                        List.of(),
                        List.of(EventTime.utc(Instant.parse("2026-03-03T14:00:00Z")))))
                .build();
        assertThat(starts(e, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")))
                .containsExactly(LocalDateTime.of(2026, 3, 2, 9, 0), LocalDateTime.of(2026, 3, 4, 9, 0));
    }

    @Test
    void exdatesOfTheOtherKindRemoveTheirDay() {
        // a DATE EXDATE on a timed series, and a DATE-TIME EXDATE on an all-day series
        Event timed = daily("FREQ=DAILY;COUNT=3")
                .recurrence(new Recurrence(
                        List.of("FREQ=DAILY;COUNT=3"), List.of(), List.of(EventTime.allDay(LocalDate.of(2026, 3, 3)))))
                .build();
        assertThat(starts(timed, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")))
                .containsExactly(LocalDateTime.of(2026, 3, 2, 9, 0), LocalDateTime.of(2026, 3, 4, 9, 0));
        Event allDay = Event.builder()
                .uid("a")
                .time(EventTime.allDay(LocalDate.of(2026, 3, 2)), EventTime.allDay(LocalDate.of(2026, 3, 3)))
                .recurrence(new Recurrence(List.of("FREQ=DAILY;COUNT=3"), List.of(), List.of(ny(2026, 3, 3, 0, 0))))
                .build();
        assertThat(Recurrences.expand(allDay, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), NY)
                        .map(Occurrence::start))
                .containsExactly(
                        EventTime.allDay(LocalDate.of(2026, 3, 2)), EventTime.allDay(LocalDate.of(2026, 3, 4)));
    }

    @Test
    void thisAndFutureOverrideMovesEveryLaterInstance() {
        Event future = Event.builder()
                .uid("s")
                .summary("later")
                .recurrenceId(ny(2026, 3, 4, 9, 0))
                .time(ny(2026, 3, 4, 11, 0), ny(2026, 3, 4, 11, 30))
                .property(ICalendar.PROPERTY_RANGE, ICalendar.THISANDFUTURE)
                .build();
        Event e = daily("FREQ=DAILY;COUNT=6").addOverride(future).build();
        List<Occurrence> got = Recurrences.expand(e, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), NY)
                .toList();
        assertThat(got)
                .extracting(Occurrence::start)
                .containsExactly(
                        ny(2026, 3, 2, 9, 0),
                        ny(2026, 3, 3, 9, 0),
                        ny(2026, 3, 4, 11, 0),
                        ny(2026, 3, 5, 11, 0),
                        ny(2026, 3, 6, 11, 0),
                        ny(2026, 3, 7, 11, 0));
        assertThat(got.get(4).end()).isEqualTo(ny(2026, 3, 6, 11, 30));
        assertThat(got.get(4).summary()).isEqualTo("later");
        assertThat(got.get(4).recurrenceId()).isEqualTo(ny(2026, 3, 6, 9, 0));
        // 8 March 2026 is the US spring-forward day: the moved series keeps 11:00 on the wall clock
        Event longer = daily("FREQ=DAILY;COUNT=8").addOverride(future).build();
        assertThat(Recurrences.expand(longer, window("2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z"), NY)
                        .map(Occurrence::start))
                .containsExactly(ny(2026, 3, 8, 11, 0), ny(2026, 3, 9, 11, 0));
    }

    @Test
    void cancelledThisAndFutureEndsTheSeries() {
        Event cut = Event.builder()
                .uid("s")
                .recurrenceId(ny(2026, 3, 4, 9, 0))
                .time(ny(2026, 3, 4, 9, 0), ny(2026, 3, 4, 10, 0))
                .status(EventStatus.CANCELLED)
                .property(ICalendar.PROPERTY_RANGE, ICalendar.THISANDFUTURE)
                .build();
        Event e = daily("FREQ=DAILY").addOverride(cut).build();
        assertThat(starts(e, window("2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z")))
                .containsExactly(LocalDateTime.of(2026, 3, 2, 9, 0), LocalDateTime.of(2026, 3, 3, 9, 0));
    }

    @Test
    void occurrenceThatStartedBeforeTheWindowButOverlapsItIsIncluded() {
        Event e = Event.builder()
                .uid("long")
                .time(ny(2026, 3, 2, 22, 0), ny(2026, 3, 3, 2, 0))
                .recurrence(Recurrence.rule("FREQ=WEEKLY"))
                .build();
        // window starts at 00:00 New York on 3 March: the 22:00-02:00 occurrence is still running
        List<Occurrence> got = Recurrences.expand(e, window("2026-03-03T05:00:00Z", "2026-03-04T05:00:00Z"), NY)
                .toList();
        assertThat(got).singleElement().satisfies(o -> assertThat(o.start()).isEqualTo(ny(2026, 3, 2, 22, 0)));
        // but an occurrence that ends exactly at the window start is not
        assertThat(Recurrences.expand(e, window("2026-03-03T07:00:00Z", "2026-03-04T05:00:00Z"), NY))
                .isEmpty();
    }

    @Test
    @Timeout(30)
    void unboundedSeriesIsExpandedLazily() {
        Event e = daily("FREQ=SECONDLY").build();
        // a window of 8,000 years of secondly instances: only what is consumed is generated
        TimeWindow huge = TimeWindow.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("9999-01-01T00:00:00Z"));
        assertThat(Recurrences.expand(e, huge, NY).limit(3).map(Occurrence::start))
                .containsExactly(
                        ny(2026, 3, 2, 9, 0),
                        EventTime.of(ZonedDateTime.of(2026, 3, 2, 9, 0, 1, 0, NY)),
                        EventTime.of(ZonedDateTime.of(2026, 3, 2, 9, 0, 2, 0, NY)));
        // a window far in the future starts there without walking the years in between
        Event d = daily("FREQ=DAILY").build();
        assertThat(starts(d, window("2900-06-01T00:00:00Z", "2900-06-03T00:00:00Z")))
                .containsExactly(LocalDateTime.of(2900, 6, 1, 9, 0), LocalDateTime.of(2900, 6, 2, 9, 0));
    }

    @Test
    void dtstartThatDoesNotMatchTheRuleIsTheFirstOccurrenceAndCounts() {
        // 2 March 2026 is a Monday; the rule asks for Wednesdays
        Event e = daily("FREQ=WEEKLY;BYDAY=WE;COUNT=3").build();
        assertThat(starts(e, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")))
                .containsExactly(
                        LocalDateTime.of(2026, 3, 2, 9, 0),
                        LocalDateTime.of(2026, 3, 4, 9, 0),
                        LocalDateTime.of(2026, 3, 11, 9, 0));
    }

    @Test
    void rdatesAddInstancesAndDuplicatesCollapse() {
        Event e = daily("FREQ=DAILY;COUNT=2")
                .recurrence(new Recurrence(
                        List.of("FREQ=DAILY;COUNT=2"),
                        List.of(ny(2026, 3, 3, 9, 0), ny(2026, 3, 10, 15, 0)),
                        List.of()))
                .build();
        assertThat(starts(e, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")))
                .containsExactly(
                        LocalDateTime.of(2026, 3, 2, 9, 0),
                        LocalDateTime.of(2026, 3, 3, 9, 0),
                        LocalDateTime.of(2026, 3, 10, 15, 0));
    }

    @Test
    void springForwardGapAndFallBackOverlapFollowRfc5545() {
        Event gap = Event.builder()
                .uid("g")
                .time(ny(2026, 3, 7, 2, 30), ny(2026, 3, 7, 3, 0))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                .build();
        List<Occurrence> g = Recurrences.expand(gap, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), NY)
                .toList();
        // 02:30 does not exist on 8 March: moved forward by the gap (1 h) to 03:30 EDT
        assertThat(((EventTime.Zoned) g.get(1).start()).dateTime().toLocalDateTime())
                .isEqualTo(LocalDateTime.of(2026, 3, 8, 3, 30));
        assertThat(g.get(1).startInstant(NY)).isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(g.get(2).startInstant(NY)).isEqualTo(Instant.parse("2026-03-09T06:30:00Z"));

        Event overlap = Event.builder()
                .uid("o")
                .time(ny(2026, 10, 31, 1, 30), ny(2026, 10, 31, 2, 0))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=2"))
                .build();
        List<Occurrence> o = Recurrences.expand(overlap, window("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"), NY)
                .toList();
        // 01:30 happens twice on 1 November: the first (EDT, -04:00) is used
        assertThat(o.get(1).startInstant(NY)).isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
    }

    @Test
    void lordHoweHalfHourGapAndApiaSkippedDay() {
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        ZonedDateTime s = ZonedDateTime.of(2026, 10, 3, 2, 15, 0, 0, lordHowe);
        Event e = Event.builder()
                .uid("lh")
                .time(EventTime.of(s), EventTime.of(s.plusMinutes(30)))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                .build();
        List<ZonedDateTime> got = Recurrences.expand(
                        e, window("2026-10-01T00:00:00Z", "2026-10-10T00:00:00Z"), lordHowe)
                .map(o -> ((EventTime.Zoned) o.start()).dateTime())
                .toList();
        // 4 October 2026 02:00 -> 02:30 (+10:30 -> +11:00): 02:15 moves forward by the 30-minute gap
        assertThat(got)
                .extracting(ZonedDateTime::toLocalDateTime)
                .containsExactly(
                        LocalDateTime.of(2026, 10, 3, 2, 15),
                        LocalDateTime.of(2026, 10, 4, 2, 45),
                        LocalDateTime.of(2026, 10, 5, 2, 15));

        ZoneId apia = ZoneId.of("Pacific/Apia");
        ZonedDateTime a = ZonedDateTime.of(2011, 12, 28, 9, 0, 0, 0, apia);
        Event daily = Event.builder()
                .uid("apia")
                .time(EventTime.of(a), EventTime.of(a.plusHours(1)))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=4"))
                .build();
        List<Occurrence> occ = Recurrences.expand(daily, window("2011-12-27T00:00:00Z", "2012-01-05T00:00:00Z"), apia)
                .toList();
        // 30 December 2011 did not exist in Samoa: its instance moves forward by the 24-hour gap (RFC 5545
        // §3.3.5) onto the 31 December one, and the two are one recurrence (§3.8.5.3: duplicates count once)
        assertThat(occ)
                .extracting(o -> ((EventTime.Zoned) o.start()).dateTime().toLocalDateTime())
                .containsExactly(
                        LocalDateTime.of(2011, 12, 28, 9, 0),
                        LocalDateTime.of(2011, 12, 29, 9, 0),
                        LocalDateTime.of(2011, 12, 31, 9, 0));
        assertThat(occ.get(2).startInstant(apia)).isEqualTo(Instant.parse("2011-12-30T19:00:00Z"));
    }

    @Test
    void allDayAndFloatingSeriesAreReadInTheGivenZone() {
        Event allDay = Event.builder()
                .uid("a")
                .time(EventTime.allDay(LocalDate.of(2026, 1, 1)), EventTime.allDay(LocalDate.of(2026, 1, 2)))
                .recurrence(Recurrence.rule("FREQ=MONTHLY;BYMONTHDAY=-1"))
                .build();
        List<Occurrence> got = Recurrences.expand(
                        allDay, window("2026-01-31T00:00:00Z", "2026-03-01T00:00:00Z"), BERLIN)
                .toList();
        // in Berlin, 31 January starts at 23:00Z on the 30th, and it lasts until 23:00Z on the 31st
        assertThat(got)
                .extracting(Occurrence::start)
                .containsExactly(
                        EventTime.allDay(LocalDate.of(2026, 1, 31)), EventTime.allDay(LocalDate.of(2026, 2, 28)));
        assertThat(got.get(1).end()).isEqualTo(EventTime.allDay(LocalDate.of(2026, 3, 1)));

        Event floating = Event.builder()
                .uid("f")
                .time(
                        EventTime.floating(LocalDateTime.of(2026, 1, 1, 8, 0)),
                        EventTime.floating(LocalDateTime.of(2026, 1, 1, 9, 0)))
                .recurrence(Recurrence.rule("FREQ=DAILY"))
                .build();
        assertThat(Recurrences.expand(floating, window("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"), ZoneOffset.UTC)
                        .map(Occurrence::start))
                .containsExactly(EventTime.floating(LocalDateTime.of(2026, 1, 5, 8, 0)));
    }

    @Test
    void cancelledMasterYieldsCancelledOccurrencesAndNoBusyTime() {
        Event e = daily("FREQ=DAILY;COUNT=2").status(EventStatus.CANCELLED).build();
        TimeWindow w = window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
        assertThat(Recurrences.expand(e, w, NY)).hasSize(2).allMatch(o -> o.status() == EventStatus.CANCELLED);
        assertThat(Recurrences.busy(List.of(e), w, NY)).isEmpty();
    }

    @Test
    void busyMergesPerStatusClipsAndDropsFreeTime() {
        Event a = Event.builder()
                .id("a")
                .time(ny(2026, 3, 2, 9, 0), ny(2026, 3, 2, 10, 0))
                .build();
        Event b = Event.builder()
                .id("b")
                .time(ny(2026, 3, 2, 9, 30), ny(2026, 3, 2, 11, 0))
                .build();
        Event c = Event.builder()
                .id("c")
                .time(ny(2026, 3, 2, 11, 0), ny(2026, 3, 2, 11, 30))
                .build(); // touches b
        Event tentative = Event.builder()
                .id("t")
                .time(ny(2026, 3, 2, 10, 0), ny(2026, 3, 2, 12, 0))
                .status(EventStatus.TENTATIVE)
                .build();
        Event free = Event.builder()
                .id("f")
                .time(ny(2026, 3, 2, 13, 0), ny(2026, 3, 2, 14, 0))
                .transparency(Transparency.TRANSPARENT)
                .build();
        Event early = Event.builder()
                .id("e")
                .time(ny(2026, 3, 2, 6, 0), ny(2026, 3, 2, 8, 30))
                .build(); // clipped at 08:00
        Event oof = Event.builder()
                .id("o")
                .time(ny(2026, 3, 2, 15, 0), ny(2026, 3, 2, 16, 0))
                .showAs(BusyStatus.OUT_OF_OFFICE)
                .build();
        TimeWindow w = window("2026-03-02T13:00:00Z", "2026-03-02T23:00:00Z"); // 08:00-18:00 EST
        List<BusyInterval> busy = Recurrences.busy(List.of(a, b, c, tentative, free, early, oof), w, NY);
        assertThat(busy)
                .containsExactly(
                        new BusyInterval(
                                Instant.parse("2026-03-02T13:00:00Z"),
                                Instant.parse("2026-03-02T13:30:00Z"),
                                BusyStatus.BUSY,
                                "e"),
                        new BusyInterval(
                                Instant.parse("2026-03-02T14:00:00Z"),
                                Instant.parse("2026-03-02T16:30:00Z"),
                                BusyStatus.BUSY,
                                null),
                        new BusyInterval(
                                Instant.parse("2026-03-02T15:00:00Z"),
                                Instant.parse("2026-03-02T17:00:00Z"),
                                BusyStatus.TENTATIVE,
                                "t"),
                        new BusyInterval(
                                Instant.parse("2026-03-02T20:00:00Z"),
                                Instant.parse("2026-03-02T21:00:00Z"),
                                BusyStatus.OUT_OF_OFFICE,
                                "o"));
    }

    @Test
    void busyCountsEveryOccurrenceOfASeries() {
        Event series = daily("FREQ=DAILY;COUNT=10").id("s").build();
        List<BusyInterval> busy =
                Recurrences.busy(List.of(series), window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), NY);
        assertThat(busy)
                .hasSize(10)
                .allMatch(i -> Duration.between(i.start(), i.end()).equals(Duration.ofHours(1)));
    }

    @Test
    void invalidRuleOnAModelEventIsATypedError() {
        Event e = daily("FREQ=DAILY;COUNT=3;UNTIL=20260401T000000Z").build();
        assertThatThrownBy(() -> Recurrences.expand(e, window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), NY))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("COUNT and UNTIL");
    }

    @Test
    void expandAllOfManySeriesEqualsTheSortedUnionOfEach() {
        java.util.Random rnd = new java.util.Random(7);
        List<Event> events = new java.util.ArrayList<>();
        String[] rules = {"FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=HOURLY;INTERVAL=5", "FREQ=MONTHLY;BYDAY=-1FR"};
        for (int i = 0; i < 300; i++) {
            ZonedDateTime s = ZonedDateTime.of(
                    2025, 1 + rnd.nextInt(12), 1 + rnd.nextInt(28), rnd.nextInt(24), 0, 0, 0, i % 2 == 0 ? NY : BERLIN);
            events.add(Event.builder()
                    .uid("m" + i)
                    .time(EventTime.of(s), EventTime.of(s.plusMinutes(15 + rnd.nextInt(200))))
                    .recurrence(Recurrence.rule(rules[i % rules.length]))
                    .build());
        }
        TimeWindow w = window("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
        List<Occurrence> merged = Recurrences.expandAll(events, w, NY).toList();
        List<Occurrence> each = new java.util.ArrayList<>();
        events.forEach(e -> Recurrences.expand(e, w, NY).forEach(each::add));
        each.sort(java.util.Comparator.<Occurrence, Instant>comparing(o -> o.startInstant(NY))
                .thenComparing(o -> o.endInstant(NY))
                .thenComparing(o -> o.recurrenceId().toInstant(NY))
                .thenComparing(Occurrence::uid));
        assertThat(merged).hasSizeGreaterThan(10_000).containsExactlyElementsOf(each);
    }

    @Test
    void expandAllMergesSeriesInStartOrder() {
        Event one = daily("FREQ=DAILY;COUNT=3").uid("one").build();
        Event two = Event.builder()
                .uid("two")
                .time(ny(2026, 3, 2, 8, 0), ny(2026, 3, 2, 8, 30))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                .build();
        assertThat(Recurrences.expandAll(List.of(one, two), window("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), NY)
                        .map(Occurrence::uid))
                .containsExactly("two", "one", "two", "one", "two", "one");
    }
}
