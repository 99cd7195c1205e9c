package org.calsdk.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/**
 * Availability on the days clocks change (23-, 23.5-, 24.5- and 25-hour days) and in zones with 30- and
 * 45-minute offsets. Every expectation is worked out by hand from the zone's transition:
 * New York 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z) and 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z);
 * London 2026-03-29 01:00Z and 2026-10-25 01:00Z; Lord Howe 2026-04-05 02:00 +11:00 -> 01:30 +10:30
 * (15:00Z) and 2026-10-04 02:00 +10:30 -> 02:30 +11:00 (15:30Z).
 */
class DaylightSavingTest {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");
    static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

    static Instant t(String s) {
        return Instant.parse(s);
    }

    static List<String> starts(String from, String to, Duration duration, Duration interval, Participant... ps) {
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t(from), t(to)))
                .duration(duration)
                .interval(interval)
                .participants(List.of(ps))
                .build();
        return Availability.find(req).slots().stream()
                .map(s -> s.start().toString())
                .toList();
    }

    static Participant sundayHours(String id, ZoneId zone, String start, String end) {
        return Participant.builder(id, zone)
                .workingHours(WorkingHours.builder()
                        .on(DayOfWeek.SUNDAY, LocalTime.parse(start), LocalTime.parse(end))
                        .build())
                .build();
    }

    static Participant allDayOff(ZoneId zone, LocalDate date) {
        return Participant.builder("p", zone)
                .workingHours(WorkingHours.always())
                .busyAllDay(date, BusyStatus.BUSY)
                .build();
    }

    @Test
    void newYorkSpringForwardAllDayBlocksTwentyThreeHours() {
        // 2026-03-08 local = [05:00Z, next day 04:00Z)
        List<String> s = starts(
                "2026-03-08T00:00:00Z",
                "2026-03-10T00:00:00Z",
                Duration.ofHours(1),
                Duration.ofHours(1),
                allDayOff(NEW_YORK, LocalDate.of(2026, 3, 8)));
        assertThat(s)
                .hasSize(5 + 20)
                .contains("2026-03-08T04:00:00Z", "2026-03-09T04:00:00Z")
                .doesNotContain("2026-03-08T05:00:00Z", "2026-03-09T03:00:00Z");
    }

    @Test
    void newYorkSpringForwardSkipsTheMissingHourOfWorkingHours() {
        // 01:00-04:00 local is 06:00Z-08:00Z: two hours, not three
        assertThat(starts(
                        "2026-03-08T00:00:00Z",
                        "2026-03-09T00:00:00Z",
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        sundayHours("p", NEW_YORK, "01:00", "04:00")))
                .containsExactly(
                        "2026-03-08T06:00:00Z", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z");
        // a range starting in the gap starts when the clock reaches it (03:00 EDT = 07:00Z)
        assertThat(starts(
                        "2026-03-08T00:00:00Z",
                        "2026-03-09T00:00:00Z",
                        Duration.ofHours(1),
                        Duration.ofMinutes(30),
                        sundayHours("p", NEW_YORK, "02:30", "05:00")))
                .containsExactly("2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z", "2026-03-08T08:00:00Z");
    }

    @Test
    void newYorkFallBackAllDayBlocksTwentyFiveHours() {
        // 2026-11-01 local = [04:00Z, next day 05:00Z)
        List<String> s = starts(
                "2026-11-01T00:00:00Z",
                "2026-11-03T00:00:00Z",
                Duration.ofHours(1),
                Duration.ofHours(1),
                allDayOff(NEW_YORK, LocalDate.of(2026, 11, 1)));
        assertThat(s)
                .hasSize(4 + 19)
                .contains("2026-11-01T03:00:00Z", "2026-11-02T05:00:00Z")
                .doesNotContain("2026-11-01T04:00:00Z", "2026-11-02T04:00:00Z");
    }

    @Test
    void newYorkFallBackCountsBothPassesOfTheRepeatedHour() {
        // 01:00-02:00 local happens twice: 05:00Z-06:00Z (EDT) and 06:00Z-07:00Z (EST)
        assertThat(starts(
                        "2026-11-01T00:00:00Z",
                        "2026-11-02T00:00:00Z",
                        Duration.ofHours(2),
                        Duration.ofHours(1),
                        sundayHours("p", NEW_YORK, "01:00", "02:00")))
                .containsExactly("2026-11-01T05:00:00Z");
        // 00:00-01:30 local: 04:00Z-05:30Z, then 01:00-01:30 EST again at 06:00Z-06:30Z; 05:30Z-06:00Z shows
        // 01:30-02:00
        assertThat(starts(
                        "2026-11-01T00:00:00Z",
                        "2026-11-02T00:00:00Z",
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        sundayHours("p", NEW_YORK, "00:00", "01:30")))
                .containsExactly(
                        "2026-11-01T04:00:00Z", "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z");
    }

    @Test
    void londonDaysOfTwentyThreeAndTwentyFiveHours() {
        assertThat(starts(
                        "2026-03-29T00:00:00Z",
                        "2026-03-30T00:00:00Z",
                        Duration.ofHours(1),
                        Duration.ofHours(1),
                        sundayHours("p", LONDON, "00:00", "00:00")))
                .hasSize(23)
                .startsWith("2026-03-29T00:00:00Z")
                .endsWith("2026-03-29T22:00:00Z");
        assertThat(starts(
                        "2026-10-24T20:00:00Z",
                        "2026-10-26T03:00:00Z",
                        Duration.ofHours(1),
                        Duration.ofHours(1),
                        sundayHours("p", LONDON, "00:00", "00:00")))
                .hasSize(25)
                .startsWith("2026-10-24T23:00:00Z")
                .endsWith("2026-10-25T23:00:00Z");
    }

    @Test
    void lordHoweHalfHourShiftBack() {
        // 2026-04-05 local = [04-04T13:00Z, 04-05T13:30Z): 24.5 hours
        assertThat(starts(
                        "2026-04-04T12:00:00Z",
                        "2026-04-05T15:00:00Z",
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        allDayOff(LORD_HOWE, LocalDate.of(2026, 4, 5))))
                .containsExactly(
                        "2026-04-04T12:00:00Z",
                        "2026-04-04T12:30:00Z",
                        "2026-04-05T13:30:00Z",
                        "2026-04-05T14:00:00Z",
                        "2026-04-05T14:30:00Z");
        // 01:00-02:00 local: 14:00Z-15:00Z at +11:00, then 01:30-02:00 again at +10:30 = 15:00Z-15:30Z
        assertThat(starts(
                        "2026-04-04T12:00:00Z",
                        "2026-04-04T18:00:00Z",
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        sundayHours("p", LORD_HOWE, "01:00", "02:00")))
                .containsExactly("2026-04-04T14:00:00Z", "2026-04-04T14:30:00Z", "2026-04-04T15:00:00Z");
    }

    @Test
    void lordHoweHalfHourShiftForward() {
        // 01:00-03:00 local on 2026-10-04: 14:30Z-15:30Z at +10:30, 02:00-02:30 missing, 02:30-03:00 at +11:00 =
        // 15:30Z-16:00Z
        assertThat(starts(
                        "2026-10-03T12:00:00Z",
                        "2026-10-03T18:00:00Z",
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        sundayHours("p", LORD_HOWE, "01:00", "03:00")))
                .containsExactly("2026-10-03T14:30:00Z", "2026-10-03T15:00:00Z", "2026-10-03T15:30:00Z");
        // the day is 23.5 hours: [10-03T13:30Z, 10-04T13:00Z)
        List<String> s = starts(
                "2026-10-03T12:00:00Z",
                "2026-10-04T15:00:00Z",
                Duration.ofMinutes(30),
                Duration.ofMinutes(30),
                allDayOff(LORD_HOWE, LocalDate.of(2026, 10, 4)));
        assertThat(s)
                .containsExactly(
                        "2026-10-03T12:00:00Z",
                        "2026-10-03T12:30:00Z",
                        "2026-10-03T13:00:00Z",
                        "2026-10-04T13:00:00Z",
                        "2026-10-04T13:30:00Z",
                        "2026-10-04T14:00:00Z",
                        "2026-10-04T14:30:00Z");
    }

    @Test
    void kolkataAndNewYorkAcrossTheUsChange() {
        // Kolkata 18:00-23:00 (+05:30) = 12:30Z-17:30Z; New York 09:00-17:00 = 14:00Z-22:00Z before 03-08,
        // 13:00Z-21:00Z after
        Participant asha = Participant.builder("asha", KOLKATA)
                .workingHours(WorkingHours.builder()
                        .on(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(18, 0), LocalTime.of(23, 0))
                        .build())
                .build();
        Participant nora = Participant.builder("nora", NEW_YORK).build();
        List<String> s = starts(
                "2026-03-06T00:00:00Z",
                "2026-03-10T00:00:00Z",
                Duration.ofHours(1),
                Duration.ofMinutes(30),
                asha,
                nora);
        assertThat(s)
                .containsExactly(
                        "2026-03-06T14:00:00Z",
                        "2026-03-06T14:30:00Z",
                        "2026-03-06T15:00:00Z",
                        "2026-03-06T15:30:00Z",
                        "2026-03-06T16:00:00Z",
                        "2026-03-06T16:30:00Z",
                        "2026-03-09T13:00:00Z",
                        "2026-03-09T13:30:00Z",
                        "2026-03-09T14:00:00Z",
                        "2026-03-09T14:30:00Z",
                        "2026-03-09T15:00:00Z",
                        "2026-03-09T15:30:00Z",
                        "2026-03-09T16:00:00Z",
                        "2026-03-09T16:30:00Z");
    }

    @Test
    void kathmanduAndLondonAcrossTheUkChange() {
        // Kathmandu 15:00-20:00 (+05:45) = 09:15Z-14:15Z. London 09:00-17:00: GMT 09:00Z-17:00Z (Fri 03-27),
        // BST 08:00Z-16:00Z (Mon 03-30): both days 09:15Z-14:15Z, 1-hour slots on a 15-minute grid.
        Participant kiran = Participant.builder("kiran", KATHMANDU)
                .workingHours(WorkingHours.builder()
                        .on(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(15, 0), LocalTime.of(20, 0))
                        .build())
                .busy(org.calsdk.model.BusyInterval.of(
                        t("2026-03-30T10:00:00Z"), t("2026-03-30T13:00:00Z"), BusyStatus.BUSY))
                .build();
        Participant lee = Participant.builder("lee", LONDON).build();
        List<String> s = starts(
                "2026-03-27T00:00:00Z",
                "2026-03-31T00:00:00Z",
                Duration.ofHours(1),
                Duration.ofMinutes(15),
                kiran,
                lee);
        assertThat(s)
                .filteredOn(x -> x.startsWith("2026-03-27"))
                .hasSize(17)
                .startsWith("2026-03-27T09:15:00Z")
                .endsWith("2026-03-27T13:15:00Z");
        assertThat(s)
                .filteredOn(x -> x.startsWith("2026-03-30"))
                .containsExactly("2026-03-30T13:00:00Z", "2026-03-30T13:15:00Z");
        assertThat(s)
                .filteredOn(x -> x.startsWith("2026-03-28") || x.startsWith("2026-03-29"))
                .isEmpty();
    }
}
