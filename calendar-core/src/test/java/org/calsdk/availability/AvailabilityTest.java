package org.calsdk.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/** Hand-computed expectations for the availability engine. 2026-03-02 is a Monday. */
class AvailabilityTest {
    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");
    static final TimeWindow WEEK = TimeWindow.of(t("2026-03-02T00:00:00Z"), t("2026-03-07T00:00:00Z"));

    static Instant t(String s) {
        return Instant.parse(s);
    }

    static BusyInterval busy(String start, String end, BusyStatus status) {
        return BusyInterval.of(t(start), t(end), status);
    }

    static WorkingHours weekdays(String... ranges) {
        WorkingHours.Builder b = WorkingHours.builder();
        for (String r : ranges) {
            String[] p = r.split("-");
            b.on(
                    EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                    LocalTime.parse(p[0]),
                    p[1].equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(p[1]));
        }
        return b.build();
    }

    static List<String> starts(AvailabilityResult r) {
        return r.slots().stream().map(s -> s.start().toString()).toList();
    }

    static AvailabilityRequest.Builder day(String date, Duration duration, Participant... ps) {
        Instant start = t(date + "T00:00:00Z");
        return AvailabilityRequest.builder()
                .window(TimeWindow.of(start, Duration.ofDays(1)))
                .duration(duration)
                .interval(Duration.ofMinutes(15))
                .participants(List.of(ps));
    }

    /** The sample, completed with bob, carol and dan (the same request the CLI test sends). */
    static AvailabilityRequest sample(boolean countTentative) {
        Participant alice = Participant.builder("alice", NEW_YORK)
                .workingHours(weekdays("09:00-17:00"))
                .busy(busy("2026-03-02T15:00:00Z", "2026-03-02T16:00:00Z", BusyStatus.BUSY))
                .busyAllDay(LocalDate.of(2026, 3, 4), BusyStatus.BUSY)
                .build();
        Participant bob = Participant.builder("bob", LONDON)
                .busy(busy("2026-03-03T14:00:00Z", "2026-03-03T15:00:00Z", BusyStatus.TENTATIVE))
                .busy(busy("2026-03-05T14:00:00Z", "2026-03-05T17:00:00Z", BusyStatus.FREE))
                .build();
        Participant carol = Participant.builder("carol", KATHMANDU)
                .workingHours(weekdays("19:00-21:00", "21:00-23:00"))
                .busy(busy("2026-03-05T15:00:00Z", "2026-03-05T16:00:00Z", BusyStatus.WORKING_ELSEWHERE))
                .busy(busy("2026-03-06T16:00:00Z", "2026-03-06T17:00:00Z", BusyStatus.OUT_OF_OFFICE))
                .build();
        Participant dan = Participant.builder("dan", UTC)
                .workingHours(WorkingHours.never())
                .build();
        return AvailabilityRequest.builder()
                .window(WEEK)
                .duration(Duration.ofMinutes(30))
                .interval(Duration.ofMinutes(15))
                .buffer(Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(5)))
                .countTentativeAsBusy(countTentative)
                .participants(List.of(dan, carol, bob, alice))
                .group(ParticipantGroup.all(List.of("alice", "bob")))
                .group(ParticipantGroup.atLeast(1, List.of("carol", "dan")))
                .build();
    }

    @Test
    void sampleRequestGivesTheHandComputedSlots() {
        // alice (New York, EST) works 14:00-22:00Z, bob (London, GMT) 09:00-17:00Z, carol (Kathmandu,
        // +05:45) 19:00-23:00 local = 13:15-17:15Z: together 14:00-17:00Z, starts 14:00..16:30.
        AvailabilityResult r = Availability.find(sample(true));
        assertThat(starts(r))
                .containsExactly(
                        // Mon: alice busy 15:00-16:00, buffers 10 before / 5 after: start <= 14:25 or >= 16:10
                        "2026-03-02T14:00:00Z",
                        "2026-03-02T14:15:00Z",
                        "2026-03-02T16:15:00Z",
                        "2026-03-02T16:30:00Z",
                        // Tue: bob tentative 14:00-15:00 counts: start >= 15:10
                        "2026-03-03T15:15:00Z",
                        "2026-03-03T15:30:00Z",
                        "2026-03-03T15:45:00Z",
                        "2026-03-03T16:00:00Z",
                        "2026-03-03T16:15:00Z",
                        "2026-03-03T16:30:00Z",
                        // Wed: alice all day (New York date) - nothing
                        // Thu: bob free and carol working elsewhere do not block: all 11
                        "2026-03-05T14:00:00Z",
                        "2026-03-05T14:15:00Z",
                        "2026-03-05T14:30:00Z",
                        "2026-03-05T14:45:00Z",
                        "2026-03-05T15:00:00Z",
                        "2026-03-05T15:15:00Z",
                        "2026-03-05T15:30:00Z",
                        "2026-03-05T15:45:00Z",
                        "2026-03-05T16:00:00Z",
                        "2026-03-05T16:15:00Z",
                        "2026-03-05T16:30:00Z",
                        // Fri: carol out of office 16:00-17:00: end + 5 min <= 16:00, start <= 15:25
                        "2026-03-06T14:00:00Z",
                        "2026-03-06T14:15:00Z",
                        "2026-03-06T14:30:00Z",
                        "2026-03-06T14:45:00Z",
                        "2026-03-06T15:00:00Z",
                        "2026-03-06T15:15:00Z");
        assertThat(r.slots()).allSatisfy(s -> {
            assertThat(s.participants()).containsExactly("alice", "bob", "carol");
            assertThat(Duration.between(s.start(), s.end())).isEqualTo(Duration.ofMinutes(30));
            assertThat(s.host()).isEmpty();
        });
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void tentativeCanBeMadeNotToCount() {
        AvailabilityResult r = Availability.find(sample(false));
        assertThat(starts(r)).filteredOn(s -> s.startsWith("2026-03-03")).hasSize(11);
        assertThat(r.slots()).hasSize(27 + 5);
    }

    @Test
    void maxResultsKeepsTheEarliest() {
        AvailabilityResult r =
                Availability.find(sample(true).toBuilder().maxResults(3).build());
        assertThat(starts(r)).containsExactly("2026-03-02T14:00:00Z", "2026-03-02T14:15:00Z", "2026-03-02T16:15:00Z");
    }

    @Test
    void intervalDefaultsToTheDuration() {
        Participant p = Participant.builder("p", UTC).build();
        AvailabilityResult r = Availability.find(AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T00:00:00Z"), Duration.ofDays(1)))
                .duration(Duration.ofMinutes(45))
                .participant(p)
                .build());
        // 09:00-17:00 in 45-minute steps from midnight: 09:00, 09:45, ... last start with end <= 17:00 is 15:45
        assertThat(starts(r)).first().isEqualTo("2026-03-02T09:00:00Z");
        assertThat(starts(r)).last().isEqualTo("2026-03-02T15:45:00Z");
        assertThat(r.slots()).hasSize(10);
    }

    @Test
    void candidateGridStartsAtTheWindowStartNotAtWorkingHours() {
        Participant p = Participant.builder("p", UTC).build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T08:50:00Z"), t("2026-03-02T11:00:00Z")))
                .duration(Duration.ofHours(1))
                .interval(Duration.ofMinutes(20))
                .participant(p)
                .build();
        assertThat(starts(Availability.find(req)))
                .containsExactly("2026-03-02T09:10:00Z", "2026-03-02T09:30:00Z", "2026-03-02T09:50:00Z");
    }

    @Test
    void touchingRangesJoinButAGapDoesNot() {
        Participant joined = Participant.builder("p", UTC)
                .workingHours(weekdays("09:00-12:00", "12:00-17:00"))
                .build();
        Participant gap = Participant.builder("p", UTC)
                .workingHours(weekdays("09:00-12:00", "12:01-17:00"))
                .build();
        AvailabilityRequest.Builder b = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T11:30:00Z"), t("2026-03-02T12:30:00Z")))
                .duration(Duration.ofHours(1));
        assertThat(starts(Availability.find(b.participants(List.of(joined)).build())))
                .containsExactly("2026-03-02T11:30:00Z");
        assertThat(Availability.find(AvailabilityRequest.builder()
                                .window(TimeWindow.of(t("2026-03-02T11:30:00Z"), t("2026-03-02T12:30:00Z")))
                                .duration(Duration.ofHours(1))
                                .participant(gap)
                                .build())
                        .slots())
                .isEmpty();
    }

    @Test
    void overlappingRangesJoinToo() {
        Participant p = Participant.builder("p", UTC)
                .workingHours(weekdays("09:00-13:00", "10:00-11:00", "12:00-17:00"))
                .build();
        AvailabilityResult r =
                Availability.find(day("2026-03-02", Duration.ofHours(8), p).build());
        assertThat(starts(r)).containsExactly("2026-03-02T09:00:00Z");
    }

    @Test
    void defaultWorkingHoursAreWeekdaysNineToFiveLocal() {
        Participant p = Participant.builder("p", NEW_YORK).build(); // EST: 14:00-22:00Z
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-06T00:00:00Z"), Duration.ofDays(3))) // Fri, Sat, Sun
                .duration(Duration.ofHours(8))
                .interval(Duration.ofHours(1))
                .participant(p)
                .build();
        assertThat(starts(Availability.find(req))).containsExactly("2026-03-06T14:00:00Z");
    }

    @Test
    void neverWorkingMeansNeverAvailable() {
        Participant p =
                Participant.builder("p", UTC).workingHours(WorkingHours.never()).build();
        assertThat(Availability.find(
                                day("2026-03-02", Duration.ofMinutes(15), p).build())
                        .slots())
                .isEmpty();
    }

    @Test
    void nightShiftRunsPastMidnight() {
        Participant p = Participant.builder("p", UTC)
                .workingHours(WorkingHours.builder()
                        .on(DayOfWeek.MONDAY, LocalTime.of(22, 0), LocalTime.of(6, 0))
                        .build())
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T00:00:00Z"), Duration.ofDays(2)))
                .duration(Duration.ofHours(2))
                .participant(p)
                .build();
        assertThat(starts(Availability.find(req)))
                .containsExactly(
                        "2026-03-02T22:00:00Z", "2026-03-03T00:00:00Z", "2026-03-03T02:00:00Z", "2026-03-03T04:00:00Z");
    }

    @Test
    void buffersAreExactAtTheirEdges() {
        Participant p = Participant.builder("p", UTC)
                .workingHours(WorkingHours.always())
                .busy(busy("2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z", BusyStatus.BUSY))
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T10:00:00Z"), t("2026-03-02T15:00:00Z")))
                .duration(Duration.ofMinutes(30))
                .interval(Duration.ofMinutes(5))
                .buffer(Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(15)))
                .participant(p)
                .build();
        List<String> s = starts(Availability.find(req));
        // last before: end + 15 <= 12:00 -> start <= 11:15; first after: start - 10 >= 13:00 -> 13:10
        assertThat(s)
                .contains("2026-03-02T11:15:00Z", "2026-03-02T13:10:00Z")
                .doesNotContain("2026-03-02T11:20:00Z", "2026-03-02T13:05:00Z");
        assertThat(s).hasSize(16 + 17); // 10:00..11:15 and 13:10..14:30
    }

    @Test
    void buffersDoNotExtendWorkingHours() {
        Participant p = Participant.builder("p", UTC).build();
        AvailabilityRequest req = day("2026-03-02", Duration.ofHours(8), p)
                .buffer(Buffer.of(Duration.ofHours(1), Duration.ofHours(1)))
                .build();
        assertThat(starts(Availability.find(req))).containsExactly("2026-03-02T09:00:00Z");
    }

    @Test
    void allDayEntriesBlockTheLocalDate() {
        // Kathmandu 2026-03-03 is [2026-03-02T18:15Z, 2026-03-03T18:15Z)
        Participant p = Participant.builder("p", KATHMANDU)
                .workingHours(WorkingHours.always())
                .busyAllDay(LocalDate.of(2026, 3, 3), BusyStatus.OUT_OF_OFFICE)
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T17:00:00Z"), t("2026-03-03T20:00:00Z")))
                .duration(Duration.ofMinutes(15))
                .participant(p)
                .build();
        List<String> s = starts(Availability.find(req));
        assertThat(s)
                .hasSize(5 + 7)
                .contains("2026-03-02T18:00:00Z", "2026-03-03T18:15:00Z")
                .doesNotContain("2026-03-02T18:15:00Z", "2026-03-03T18:00:00Z");
    }

    @Test
    void freeAndWorkingElsewhereNeverBlock() {
        Participant p = Participant.builder("p", UTC)
                .busy(busy("2026-03-02T09:00:00Z", "2026-03-02T17:00:00Z", BusyStatus.FREE))
                .busy(busy("2026-03-02T09:00:00Z", "2026-03-02T17:00:00Z", BusyStatus.WORKING_ELSEWHERE))
                .busyAllDay(LocalDate.of(2026, 3, 2), BusyStatus.WORKING_ELSEWHERE)
                .build();
        assertThat(Availability.find(day("2026-03-02", Duration.ofHours(8), p).build())
                        .slots())
                .hasSize(1);
    }

    @Test
    void groupsNeedTheirRequiredNumber() {
        Participant a = Participant.builder("a", UTC).build();
        Participant b = Participant.builder("b", UTC)
                .busy(busy("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", BusyStatus.BUSY))
                .build();
        Participant c = Participant.builder("c", UTC)
                .busy(busy("2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z", BusyStatus.BUSY))
                .build();
        AvailabilityRequest.Builder req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T09:00:00Z"), t("2026-03-02T12:00:00Z")))
                .duration(Duration.ofHours(1))
                .participants(List.of(a, b, c));
        // no groups: everyone
        assertThat(starts(Availability.find(req.build()))).containsExactly("2026-03-02T11:00:00Z");
        // two of three
        AvailabilityResult two = Availability.find(
                req.group(ParticipantGroup.atLeast(2, List.of("a", "b", "c"))).build());
        assertThat(starts(two)).containsExactly("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z");
        assertThat(two.slots().get(0).participants()).containsExactly("a", "b");
        assertThat(two.slots().get(1).participants()).containsExactly("a", "b", "c");
        // c required; a and b in no group: optional, but listed when available
        AvailabilityRequest oneOf = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T09:00:00Z"), t("2026-03-02T12:00:00Z")))
                .duration(Duration.ofHours(1))
                .participants(List.of(a, b, c))
                .group(ParticipantGroup.atLeast(1, List.of("c")))
                .build();
        AvailabilityResult r = Availability.find(oneOf);
        assertThat(starts(r)).containsExactly("2026-03-02T11:00:00Z");
        assertThat(r.slots().get(0).participants()).containsExactly("a", "b", "c");
    }

    @Test
    void dailyAndWeeklyLimits() {
        Participant p = Participant.builder("p", NEW_YORK)
                .workingHours(WorkingHours.always())
                .maxMeetingsPerDay(3)
                .meetingsOn(LocalDate.of(2026, 3, 3), 3)
                .meetingsOn(LocalDate.of(2026, 3, 4), 2)
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T12:00:00Z"), Duration.ofDays(3)))
                .duration(Duration.ofHours(12))
                .participant(p)
                .build();
        // starts 03-02T12, 03-03T00 (= 03-02 19:00 local), 03-03T12 (03-03 local: limited), 03-04T00 (03-03 19:00:
        // limited)
        assertThat(starts(Availability.find(req)))
                .containsExactly(
                        "2026-03-02T12:00:00Z", "2026-03-03T00:00:00Z", "2026-03-04T12:00:00Z", "2026-03-05T00:00:00Z");
        Participant weekly =
                p.toBuilder().maxMeetingsPerDay(10).maxMeetingsPerWeek(5).build();
        // week of Mon 03-02 has 5: nothing until local Monday 03-09
        AvailabilityRequest w = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-08T00:00:00Z"), Duration.ofDays(2)))
                .duration(Duration.ofHours(1))
                .participant(weekly)
                .build();
        assertThat(starts(Availability.find(w))).first().isEqualTo("2026-03-09T04:00:00Z"); // EDT midnight
        Participant none = p.toBuilder().maxMeetingsPerDay(0).build();
        assertThat(Availability.find(AvailabilityRequest.builder()
                                .window(WEEK)
                                .duration(Duration.ofHours(1))
                                .participant(none)
                                .build())
                        .slots())
                .isEmpty();
    }

    @Test
    void dateOverrides() {
        Participant p = Participant.builder("p", UTC)
                .override(DateOverride.dayOff(LocalDate.of(2026, 3, 2)))
                .override(DateOverride.hours(
                        LocalDate.of(2026, 3, 3), TimeOfDayRange.of(LocalTime.of(7, 0), LocalTime.of(8, 0))))
                .override(DateOverride.extraHours(
                        LocalDate.of(2026, 3, 4), TimeOfDayRange.of(LocalTime.of(17, 0), LocalTime.of(18, 0))))
                .override(DateOverride.extraHours(
                        LocalDate.of(2026, 3, 7), TimeOfDayRange.of(LocalTime.of(10, 0), LocalTime.of(11, 0))))
                .override(DateOverride.dayOff(LocalDate.of(2026, 3, 5)))
                .override(DateOverride.extraHours(
                        LocalDate.of(2026, 3, 5), TimeOfDayRange.of(LocalTime.of(10, 0), LocalTime.of(11, 0))))
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T00:00:00Z"), Duration.ofDays(6)))
                .duration(Duration.ofHours(1))
                .participant(p)
                .build();
        List<String> s = starts(Availability.find(req));
        assertThat(s).filteredOn(x -> x.startsWith("2026-03-02")).isEmpty();
        assertThat(s).filteredOn(x -> x.startsWith("2026-03-03")).containsExactly("2026-03-03T07:00:00Z");
        assertThat(s).filteredOn(x -> x.startsWith("2026-03-04")).hasSize(9).contains("2026-03-04T17:00:00Z");
        assertThat(s).filteredOn(x -> x.startsWith("2026-03-05")).isEmpty(); // day off wins over extra hours
        assertThat(s).filteredOn(x -> x.startsWith("2026-03-06")).hasSize(8);
        assertThat(s).filteredOn(x -> x.startsWith("2026-03-07")).containsExactly("2026-03-07T10:00:00Z");
    }

    @Test
    void severalQueryPeriods() {
        Participant p = Participant.builder("p", UTC).build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .periods(List.of(
                        TimeWindow.of(t("2026-03-03T15:00:00Z"), t("2026-03-03T17:00:00Z")),
                        TimeWindow.of(t("2026-03-02T09:30:00Z"), t("2026-03-02T10:30:00Z"))))
                .duration(Duration.ofHours(1))
                .participant(p)
                .build();
        assertThat(starts(Availability.find(req)))
                .containsExactly("2026-03-02T09:30:00Z", "2026-03-03T15:00:00Z", "2026-03-03T16:00:00Z");
    }

    @Test
    void explanationsSayWhyAndRedactUnlessAllowed() {
        Participant a = Participant.builder("a", UTC)
                .workingHours(WorkingHours.always())
                .busy(new BusyInterval(
                        t("2026-03-02T10:00:00Z"), t("2026-03-02T11:00:00Z"), BusyStatus.OUT_OF_OFFICE, "ev-1"))
                .maxMeetingsPerDay(1)
                .meetingsOn(LocalDate.of(2026, 3, 3), 1)
                .build();
        Participant b = Participant.builder("b", UTC).build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T08:00:00Z"), t("2026-03-02T12:00:00Z")))
                .duration(Duration.ofHours(1))
                .buffer(Buffer.of(Duration.ofMinutes(30), Duration.ofMinutes(30)))
                .participants(List.of(a, b))
                .explain(true)
                .build();
        AvailabilityResult r = Availability.find(req);
        assertThat(starts(r)).isEmpty();
        assertThat(r.rejected())
                .extracting(x -> x.start().toString())
                .containsExactly(
                        "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z");
        RejectedSlot first = r.rejected().get(0);
        assertThat(first.available()).containsExactly("a");
        assertThat(first.unmet()).containsExactly("group [a, b]: 1 available, 2 required");
        assertThat(first.unavailable()).singleElement().satisfies(u -> {
            assertThat(u.participant()).isEqualTo("b");
            assertThat(u.reasons()).extracting(Reason::kind).containsExactly(Reason.Kind.OUTSIDE_WORKING_HOURS);
        });
        RejectedSlot buffer = r.rejected().get(1); // 09:00-10:00 ends where the oof starts; the 30-min buffer hits it
        assertThat(buffer.available()).containsExactly("b");
        Reason why = buffer.unavailable().get(0).reasons().get(0);
        assertThat(why.kind()).isEqualTo(Reason.Kind.BUFFER);
        assertThat(why.label()).isEqualTo("busy");
        assertThat(why.status()).isEmpty();
        assertThat(why.eventId()).isEmpty();
        assertThat(why.interval()).contains(TimeWindow.of(t("2026-03-02T10:00:00Z"), t("2026-03-02T11:00:00Z")));
        assertThat(r.rejected().get(2).unavailable().get(0).reasons())
                .extracting(Reason::kind)
                .containsExactly(Reason.Kind.BUSY);
        assertThat(r.rejected().get(3).unavailable().get(0).reasons())
                .extracting(Reason::kind)
                .containsExactly(Reason.Kind.BUFFER); // 11:00 starts where the oof ends; the buffer before hits it

        AvailabilityResult detailed =
                Availability.find(req.toBuilder().showBusyDetails(true).build());
        Reason shown = detailed.rejected().get(2).unavailable().get(0).reasons().get(0);
        assertThat(shown.label()).isEqualTo("oof (event ev-1)");
        assertThat(shown.status()).contains(BusyStatus.OUT_OF_OFFICE);
        assertThat(shown.eventId()).contains("ev-1");

        AvailabilityResult limited = Availability.find(req.toBuilder()
                .window(TimeWindow.of(t("2026-03-03T10:00:00Z"), t("2026-03-03T11:00:00Z")))
                .build());
        assertThat(limited.rejected()).singleElement().satisfies(x -> {
            assertThat(x.available()).containsExactly("b");
            Reason d = x.unavailable().get(0).reasons().get(0);
            assertThat(d.kind()).isEqualTo(Reason.Kind.DAILY_LIMIT);
            assertThat(d.label()).contains("2026-03-03");
            assertThat(d.interval()).contains(TimeWindow.of(t("2026-03-03T00:00:00Z"), t("2026-03-04T00:00:00Z")));
        });

        AvailabilityResult capped =
                Availability.find(req.toBuilder().maxExplanations(2).build());
        assertThat(capped.rejected()).hasSize(2);
        assertThat(capped.explanationsTruncated()).isTrue();
        assertThat(Availability.find(req.toBuilder().explain(false).build()).rejected())
                .isEmpty();
    }

    @Test
    void roundRobinPicksTheLeastBookedAvailableHost() {
        Participant ann = Participant.builder("ann", UTC)
                .busy(busy("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", BusyStatus.BUSY))
                .build();
        Participant ben = Participant.builder("ben", UTC)
                .busy(busy("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", BusyStatus.BUSY))
                .build();
        Participant cat = Participant.builder("cat", UTC)
                .busy(busy("2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z", BusyStatus.BUSY))
                .build();
        Participant customer = Participant.builder("customer", UTC)
                .workingHours(WorkingHours.always())
                .build();
        AvailabilityRequest.Builder b = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T09:00:00Z"), t("2026-03-02T12:00:00Z")))
                .duration(Duration.ofHours(1))
                .participants(List.of(ann, ben, cat, customer));
        Map<String, Integer> past = Map.of("ann", 3, "ben", 1, "cat", 1);

        AvailabilityResult avail = Availability.find(
                b.roundRobin(RoundRobin.of(RoundRobin.Method.MAX_AVAILABILITY, List.of("ann", "ben", "cat"), past))
                        .build());
        assertThat(avail.slots())
                .extracting(s -> s.start().toString() + " " + s.host().orElseThrow())
                .containsExactly("2026-03-02T09:00:00Z ben", "2026-03-02T10:00:00Z ann", "2026-03-02T11:00:00Z ben");

        AvailabilityResult fair = Availability.find(
                b.roundRobin(RoundRobin.of(RoundRobin.Method.MAX_FAIRNESS, List.of("ann", "ben", "cat"), past))
                        .build());
        // only ben and cat (1 booking each) are eligible; at 10:00 both are busy
        assertThat(fair.slots())
                .extracting(s -> s.start().toString() + " " + s.host().orElseThrow())
                .containsExactly("2026-03-02T09:00:00Z ben", "2026-03-02T11:00:00Z ben");
        assertThat(fair.slots().get(1).participants()).containsExactly("ann", "ben", "cat", "customer");
        AvailabilityResult why = Availability.find(b.explain(true).build());
        assertThat(why.rejected()).singleElement().satisfies(x -> {
            assertThat(x.start()).isEqualTo(t("2026-03-02T10:00:00Z"));
            assertThat(x.available()).containsExactly("ann", "customer");
            assertThat(x.unmet()).containsExactly("round robin: no eligible host available (eligible: ben, cat)");
        });
    }

    @Test
    void invalidRequestsNameTheField() {
        Participant p = Participant.builder("p", UTC).build();
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .window(WEEK)
                        .duration(Duration.ZERO)
                        .participant(p)
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .window(WEEK)
                        .duration(Duration.ofMinutes(30))
                        .interval(Duration.ofMinutes(-5))
                        .participant(p)
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("interval:");
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .window(WEEK)
                        .duration(Duration.ofMinutes(30))
                        .participants(List.of(p, p))
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("participants[1].id:");
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .window(WEEK)
                        .duration(Duration.ofMinutes(30))
                        .participant(p)
                        .group(ParticipantGroup.all(List.of("p", "zed")))
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("groups[0].members[1]: unknown participant 'zed'");
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .window(WEEK)
                        .duration(Duration.ofMinutes(30))
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("participants:");
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .duration(Duration.ofMinutes(30))
                        .participant(p)
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("window:");
        assertThatThrownBy(() -> AvailabilityRequest.builder()
                        .window(TimeWindow.of(t("2026-01-01T00:00:00Z"), Duration.ofDays(300)))
                        .duration(Duration.ofSeconds(1))
                        .participant(p)
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("interval:");
        TimeWindow million = TimeWindow.of(t("2026-01-01T00:00:00Z"), Duration.ofMinutes(1_000_000));
        List<Participant> many = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> Participant.builder("p" + i, UTC).build())
                .toList();
        AvailabilityRequest.Builder huge = AvailabilityRequest.builder()
                .window(million)
                .duration(Duration.ofMinutes(1))
                .participants(many);
        assertThatThrownBy(huge::build)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("maxResults:");
        assertThat(huge.maxResults(100).build().maxResults()).hasValue(100);
        for (int g = 0; g < 60; g++) {
            huge.group(ParticipantGroup.atLeast(1, List.of("p" + g)));
        }
        assertThatThrownBy(huge::build)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("groups:");
        assertThatThrownBy(() -> ParticipantGroup.atLeast(3, List.of("a", "b")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Buffer.of(Duration.ofMinutes(-1), Duration.ZERO))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aFineGridOverDaysCountsExactly() {
        // 3 days of 1-minute steps: 4320 - 30 + 1 = 4291 candidates for 30 minutes; the second busy
        // interval straddles candidate 2048 (03-03T10:08Z), where the engine's sweep moves to a new block
        Participant p = Participant.builder("p", UTC)
                .workingHours(WorkingHours.always())
                .busy(busy("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", BusyStatus.BUSY))
                .busy(busy("2026-03-03T10:00:00Z", "2026-03-03T10:20:00Z", BusyStatus.BUSY))
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T00:00:00Z"), Duration.ofDays(3)))
                .duration(Duration.ofMinutes(30))
                .interval(Duration.ofMinutes(1))
                .participant(p)
                .build();
        List<String> s = starts(Availability.find(req));
        // blocked starts: 09:31..10:59 (89) and 09:31..10:19 (49)
        assertThat(s)
                .hasSize(4291 - 89 - 49)
                .contains(
                        "2026-03-02T09:30:00Z", "2026-03-02T11:00:00Z", "2026-03-03T09:30:00Z", "2026-03-03T10:20:00Z")
                .doesNotContain("2026-03-02T09:31:00Z", "2026-03-03T10:08:00Z", "2026-03-03T10:19:00Z");
    }

    @Test
    void aDurationLongerThanTheWindowGivesNoSlots() {
        Participant p = Participant.builder("p", UTC)
                .workingHours(WorkingHours.always())
                .build();
        AvailabilityRequest req = AvailabilityRequest.builder()
                .window(TimeWindow.of(t("2026-03-02T00:00:00Z"), Duration.ofHours(1)))
                .duration(Duration.ofDays(400))
                .interval(Duration.ofDays(1000))
                .participant(p)
                .build();
        assertThat(Availability.find(req).slots()).isEmpty();
        AvailabilityRequest whole =
                req.toBuilder().duration(Duration.ofHours(1)).build();
        assertThat(starts(Availability.find(whole))).containsExactly("2026-03-02T00:00:00Z");
    }
}
