package org.calsdk.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;

/**
 * Properties of the availability engine over random requests around daylight-saving changes, in zones
 * with whole-, half- and quarter-hour offsets. The reference answer is computed by brute force straight
 * from the definition (every 15-minute boundary of a slot checked against the wall clock; every
 * blocking interval checked against the buffered slot): nothing of the engine is reused.
 */
class AvailabilityPropertiesTest {
    static final List<ZoneId> ZONES = List.of(
            ZoneId.of("UTC"),
            ZoneId.of("America/New_York"),
            ZoneId.of("Europe/London"),
            ZoneId.of("Asia/Kolkata"),
            ZoneId.of("Asia/Kathmandu"),
            ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("America/St_Johns"),
            ZoneId.of("Pacific/Chatham"));
    static final List<LocalDate> CHANGES = List.of(
            LocalDate.of(2026, 3, 8),
            LocalDate.of(2026, 3, 29),
            LocalDate.of(2026, 4, 5),
            LocalDate.of(2026, 10, 4),
            LocalDate.of(2026, 10, 25),
            LocalDate.of(2026, 11, 1));
    static final BusyStatus[] STATUSES = BusyStatus.values();

    @Provide
    Arbitrary<AvailabilityRequest> requests() {
        return Arbitraries.randomValue(AvailabilityPropertiesTest::randomRequest)
                .withoutEdgeCases();
    }

    @Property(tries = 300, seed = "202604031")
    void engineAgreesWithBruteForce(@ForAll("requests") AvailabilityRequest request) {
        List<Slot> expected = bruteForce(request);
        Statistics.label("slots").collect(expected.isEmpty() ? "none" : expected.size() < 10 ? "1-9" : "10+");
        assertThat(Availability.find(request).slots()).isEqualTo(expected);
    }

    @Provide
    Arbitrary<AvailabilityRequest> clockChanges() {
        return Arbitraries.randomValue(AvailabilityPropertiesTest::randomClockChangeRequest)
                .withoutEdgeCases();
    }

    @Provide
    Arbitrary<AvailabilityRequest> fineGrids() {
        return Arbitraries.randomValue(rnd -> {
                    AvailabilityRequest r = randomRequest(rnd);
                    return r.toBuilder()
                            .interval(Duration.ofMinutes(1 + rnd.nextInt(3)))
                            .build();
                })
                .withoutEdgeCases();
    }

    /** Thousands of candidates: the sweep's blocks of candidates and runs crossing them. */
    @Property(tries = 40, seed = "202604032")
    void fineGridsAgreeWithBruteForce(@ForAll("fineGrids") AvailabilityRequest request) {
        assertThat(Availability.find(request).slots()).isEqualTo(bruteForce(request));
    }

    /** Working hours that start or end in the skipped or repeated hour, one participant, no busy time. */
    @Property(tries = 300, seed = "202604033")
    void workingHoursAtClockChangesAgreeWithBruteForce(@ForAll("clockChanges") AvailabilityRequest request) {
        assertThat(Availability.find(request).slots()).isEqualTo(bruteForce(request));
    }

    @Property(tries = 150, seed = "202604034")
    void noSlotOverlapsABlockingIntervalPlusBuffers(@ForAll("requests") AvailabilityRequest request) {
        for (Slot slot : Availability.find(request).slots()) {
            Instant from = slot.start().minus(request.buffer().before());
            Instant to = slot.end().plus(request.buffer().after());
            for (Participant p : request.participants()) {
                if (slot.participants().contains(p.id())) {
                    for (TimeWindow b : blocking(p, request.countTentativeAsBusy())) {
                        assertThat(b.overlaps(from, to))
                                .as("%s overlaps %s of %s", slot, b, p.id())
                                .isFalse();
                    }
                }
            }
        }
    }

    @Property(tries = 150, seed = "202604035")
    void everySlotLiesInWorkingHours(@ForAll("requests") AvailabilityRequest request) {
        for (Slot slot : Availability.find(request).slots()) {
            assertThat(slot.participants()).isNotEmpty();
            for (Participant p : request.participants()) {
                if (slot.participants().contains(p.id())) {
                    assertThat(inWorkingHours(p, slot.start(), slot.end()))
                            .as("%s for %s", slot, p.id())
                            .isTrue();
                }
            }
        }
    }

    @Property(tries = 150, seed = "202604036")
    void removingABusyIntervalNeverRemovesASlot(
            @ForAll("requests") AvailabilityRequest request, @ForAll Random random) {
        List<Participant> ps = new ArrayList<>(request.participants());
        int who = random.nextInt(ps.size());
        Participant p = ps.get(who);
        if (p.busy().isEmpty()) {
            return;
        }
        List<BusyInterval> busy = new ArrayList<>(p.busy());
        busy.remove(random.nextInt(busy.size()));
        ps.set(who, copy(p, busy));
        List<Slot> before = Availability.find(request).slots();
        AvailabilityRequest fewer =
                rebuild(request, ps, request.groups(), request.roundRobin().orElse(null));
        List<Instant> remaining =
                Availability.find(fewer).slots().stream().map(Slot::start).toList();
        for (Slot s : before) {
            assertThat(remaining).contains(s.start());
        }
        Map<Instant, Slot> byStart = new TreeMap<>();
        Availability.find(fewer).slots().forEach(s -> byStart.put(s.start(), s));
        for (Slot s : before) {
            assertThat(byStart.get(s.start()).participants()).containsAll(s.participants());
        }
    }

    @Property(tries = 150, seed = "202604037")
    void resultDoesNotDependOnInputOrder(@ForAll("requests") AvailabilityRequest request, @ForAll Random random) {
        AvailabilityRequest explained = request.toBuilder()
                .explain(true)
                .showBusyDetails(random.nextBoolean())
                .build();
        List<Participant> ps = new ArrayList<>();
        for (Participant p : explained.participants()) {
            List<BusyInterval> busy = new ArrayList<>(p.busy());
            Collections.shuffle(busy, random);
            ps.add(copy(p, busy));
        }
        Collections.shuffle(ps, random);
        List<ParticipantGroup> groups = new ArrayList<>();
        for (ParticipantGroup g : explained.groups()) {
            List<String> members = new ArrayList<>(g.members());
            Collections.shuffle(members, random);
            groups.add(new ParticipantGroup(members, g.required()));
        }
        Collections.shuffle(groups, random);
        RoundRobin rr = explained
                .roundRobin()
                .map(r -> {
                    List<String> hosts = new ArrayList<>(r.hosts());
                    Collections.shuffle(hosts, random);
                    return RoundRobin.of(r.method(), hosts, r.pastBookings());
                })
                .orElse(null);
        AvailabilityRequest shuffled = rebuild(explained, ps, groups, rr);
        AvailabilityResult a = Availability.find(explained);
        AvailabilityResult b = Availability.find(shuffled);
        assertThat(b.slots()).isEqualTo(a.slots());
        assertThat(b.rejected()).isEqualTo(a.rejected());
    }

    @Property(tries = 100, seed = "202604038")
    void everyCandidateIsReturnedOrExplained(@ForAll("requests") AvailabilityRequest request) {
        AvailabilityResult r = Availability.find(
                request.toBuilder().explain(true).maxExplanations(100_000).build());
        List<Instant> all = new ArrayList<>();
        r.slots().forEach(s -> all.add(s.start()));
        r.rejected().forEach(x -> all.add(x.start()));
        all.sort(Comparator.naturalOrder());
        assertThat(all).isEqualTo(candidates(request));
        for (RejectedSlot x : r.rejected()) {
            for (Unavailability u : x.unavailable()) {
                assertThat(u.reasons()).as("%s %s", x.start(), u.participant()).isNotEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- reference implementation

    static List<Instant> candidates(AvailabilityRequest r) {
        List<Instant> out = new ArrayList<>();
        if (r.maxResults().isPresent()) {
            throw new IllegalStateException("generator never sets maxResults");
        }
        for (TimeWindow w : r.periods()) {
            for (Instant s = w.start(); !s.plus(r.duration()).isAfter(w.end()); s = s.plus(r.interval())) {
                out.add(s);
            }
        }
        return out;
    }

    static List<Slot> bruteForce(AvailabilityRequest r) {
        List<Participant> ps = new ArrayList<>(r.participants());
        ps.sort(Comparator.comparing(Participant::id));
        List<Slot> out = new ArrayList<>();
        for (Instant s : candidates(r)) {
            Instant e = s.plus(r.duration());
            List<String> avail = new ArrayList<>();
            for (Participant p : ps) {
                if (available(p, s, e, r)) {
                    avail.add(p.id());
                }
            }
            boolean ok = true;
            List<ParticipantGroup> groups = r.groups();
            if (groups.isEmpty()) {
                List<String> required = new ArrayList<>();
                ps.forEach(p -> required.add(p.id()));
                r.roundRobin().ifPresent(rr -> required.removeAll(rr.hosts()));
                ok = avail.containsAll(required);
            }
            for (ParticipantGroup g : groups) {
                ok &= g.members().stream().filter(avail::contains).count() >= g.required();
            }
            String host = null;
            if (ok && r.roundRobin().isPresent()) {
                RoundRobin rr = r.roundRobin().get();
                int least = rr.hosts().stream().mapToInt(rr::bookings).min().orElseThrow();
                host = rr.hosts().stream()
                        .filter(h -> rr.method() == RoundRobin.Method.MAX_AVAILABILITY || rr.bookings(h) == least)
                        .filter(avail::contains)
                        .min(Comparator.comparingInt(rr::bookings).thenComparing(Comparator.naturalOrder()))
                        .orElse(null);
                ok = host != null;
            }
            if (ok) {
                out.add(new Slot(s, e, avail, host));
            }
        }
        return out;
    }

    static boolean available(Participant p, Instant s, Instant e, AvailabilityRequest r) {
        if (!inWorkingHours(p, s, e)) {
            return false;
        }
        Instant from = s.minus(r.buffer().before());
        Instant to = e.plus(r.buffer().after());
        for (TimeWindow b : blocking(p, r.countTentativeAsBusy())) {
            if (b.overlaps(from, to)) {
                return false;
            }
        }
        LocalDate day = LocalDate.ofInstant(s, p.zone());
        if (p.maxMeetingsPerDay().isPresent()
                && p.existingMeetings().getOrDefault(day, 0)
                        >= p.maxMeetingsPerDay().getAsInt()) {
            return false;
        }
        if (p.maxMeetingsPerWeek().isPresent()) {
            LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            int count = 0;
            for (int i = 0; i < 7; i++) {
                count += p.existingMeetings().getOrDefault(monday.plusDays(i), 0);
            }
            if (count >= p.maxMeetingsPerWeek().getAsInt()) {
                return false;
            }
        }
        return true;
    }

    static List<TimeWindow> blocking(Participant p, boolean tentative) {
        List<TimeWindow> out = new ArrayList<>();
        for (BusyInterval b : p.busy()) {
            if (blocks(b.status(), tentative)) {
                out.add(TimeWindow.of(b.start(), b.end()));
            }
        }
        for (AllDayBusy d : p.allDayBusy()) {
            if (blocks(d.status(), tentative)) {
                out.add(TimeWindow.of(
                        d.date().atStartOfDay(p.zone()).toInstant(),
                        d.date().plusDays(1).atStartOfDay(p.zone()).toInstant()));
            }
        }
        return out;
    }

    static boolean blocks(BusyStatus s, boolean tentative) {
        return s == BusyStatus.BUSY || s == BusyStatus.OUT_OF_OFFICE || (tentative && s == BusyStatus.TENTATIVE);
    }

    /**
     * Whether every instant of {@code [s, e)} shows a wall-clock time inside one of the participant's
     * ranges. All range ends and zone offsets here are multiples of 15 minutes, so the answer can only
     * change at 15-minute boundaries of UTC: checking {@code s} and each such boundary inside is exact.
     */
    static boolean inWorkingHours(Participant p, Instant s, Instant e) {
        long q = 15 * 60;
        if (!working(p, s)) {
            return false;
        }
        long first = Math.floorDiv(s.getEpochSecond(), q) * q + q;
        for (long t = first; t < e.getEpochSecond() || (t == e.getEpochSecond() && e.getNano() > 0); t += q) {
            if (!working(p, Instant.ofEpochSecond(t))) {
                return false;
            }
        }
        return true;
    }

    static boolean working(Participant p, Instant t) {
        LocalDateTime wall = LocalDateTime.ofInstant(t, p.zone());
        for (LocalDate d : List.of(wall.toLocalDate(), wall.toLocalDate().minusDays(1))) {
            for (TimeOfDayRange range : rangesOn(p, d)) {
                LocalDateTime from = d.atTime(range.start());
                LocalDateTime to = (range.crossesMidnight() ? d.plusDays(1) : d).atTime(range.end());
                if (!wall.isBefore(from) && wall.isBefore(to)) {
                    return true;
                }
            }
        }
        return false;
    }

    static List<TimeOfDayRange> rangesOn(Participant p, LocalDate d) {
        List<DateOverride> os =
                p.overrides().stream().filter(o -> o.date().equals(d)).toList();
        if (os.stream().anyMatch(o -> o.kind() == DateOverride.Kind.DAY_OFF)) {
            return List.of();
        }
        List<TimeOfDayRange> out = new ArrayList<>();
        if (os.stream().anyMatch(o -> o.kind() == DateOverride.Kind.REPLACE_HOURS)) {
            os.stream().filter(o -> o.kind() == DateOverride.Kind.REPLACE_HOURS).forEach(o -> out.addAll(o.ranges()));
        } else {
            out.addAll(p.workingHours().on(d.getDayOfWeek()));
        }
        os.stream().filter(o -> o.kind() == DateOverride.Kind.EXTRA_HOURS).forEach(o -> out.addAll(o.ranges()));
        return out;
    }

    // ---------------------------------------------------------------- generator

    static AvailabilityRequest randomRequest(Random rnd) {
        // Centre most windows on a clock change of one zone, and put most participants in that zone.
        ZoneId focus = ZONES.get(rnd.nextInt(ZONES.size()));
        LocalDate change = CHANGES.get(rnd.nextInt(CHANGES.size()));
        Instant near = change.minusDays(2).atStartOfDay(ZoneId.of("UTC")).toInstant();
        java.time.zone.ZoneOffsetTransition tr = focus.getRules().nextTransition(near);
        Instant centre = tr != null && rnd.nextInt(4) > 0 ? tr.getInstant() : near.plus(Duration.ofDays(2));
        Instant start = centre.minus(Duration.ofMinutes(rnd.nextInt(24 * 60)))
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        TimeWindow window = TimeWindow.of(start, Duration.ofMinutes(60L * (2 + rnd.nextInt(46))));
        AvailabilityRequest.Builder b = AvailabilityRequest.builder()
                .window(window)
                .duration(Duration.ofMinutes(5L * (1 + rnd.nextInt(36))))
                .interval(Duration.ofMinutes(5L * (1 + rnd.nextInt(12))))
                .buffer(Buffer.of(Duration.ofMinutes(5L * rnd.nextInt(10)), Duration.ofMinutes(5L * rnd.nextInt(10))))
                .countTentativeAsBusy(rnd.nextBoolean());
        int n = rnd.nextBoolean() ? 1 : 2 + rnd.nextInt(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "p" + (char) ('a' + i);
            ids.add(id);
            b.participant(randomParticipant(
                    rnd, id, rnd.nextInt(5) < 3 ? focus : ZONES.get(rnd.nextInt(ZONES.size())), window));
        }
        if (rnd.nextInt(3) == 0) {
            int groups = 1 + rnd.nextInt(2);
            for (int g = 0; g < groups; g++) {
                List<String> members = new ArrayList<>(ids);
                Collections.shuffle(members, rnd);
                members = members.subList(0, 1 + rnd.nextInt(members.size()));
                b.group(ParticipantGroup.atLeast(1 + rnd.nextInt(members.size()), members));
            }
        }
        if (rnd.nextInt(4) == 0) {
            // several query periods with gaps between them
            List<TimeWindow> periods = new ArrayList<>();
            Instant at = window.start();
            for (int i = 1 + rnd.nextInt(3); i > 0 && at.isBefore(window.end()); i--) {
                Instant end = at.plus(Duration.ofMinutes(30L + rnd.nextInt(900)));
                periods.add(TimeWindow.of(at, end));
                at = end.plus(Duration.ofMinutes(rnd.nextInt(300)));
            }
            Collections.shuffle(periods, rnd);
            b.periods(periods);
        }
        if (rnd.nextInt(5) == 0) {
            List<String> hosts = new ArrayList<>(ids);
            Collections.shuffle(hosts, rnd);
            hosts = hosts.subList(0, 1 + rnd.nextInt(hosts.size()));
            Map<String, Integer> past = new TreeMap<>();
            hosts.forEach(h -> past.put(h, rnd.nextInt(3)));
            b.roundRobin(RoundRobin.of(
                    rnd.nextBoolean() ? RoundRobin.Method.MAX_AVAILABILITY : RoundRobin.Method.MAX_FAIRNESS,
                    hosts,
                    past));
        }
        return b.build();
    }

    static AvailabilityRequest randomClockChangeRequest(Random rnd) {
        List<ZoneId> changing = List.of(
                ZoneId.of("America/New_York"),
                ZoneId.of("Europe/London"),
                ZoneId.of("Australia/Lord_Howe"),
                ZoneId.of("America/St_Johns"),
                ZoneId.of("Pacific/Chatham"));
        ZoneId zone = changing.get(rnd.nextInt(changing.size()));
        LocalDate change = CHANGES.get(rnd.nextInt(CHANGES.size()));
        java.time.zone.ZoneOffsetTransition tr = zone.getRules()
                .nextTransition(
                        change.minusDays(2).atStartOfDay(ZoneId.of("UTC")).toInstant());
        LocalDate day = tr.getDateTimeBefore().toLocalDate();
        WorkingHours.Builder h = WorkingHours.builder();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            // boundaries on quarter hours within two hours of the change, in local time
            LocalTime a = tr.getDateTimeBefore().toLocalTime().minusMinutes(120).plusMinutes(15L * rnd.nextInt(17));
            LocalTime z = a.plusMinutes(15L * (1 + rnd.nextInt(12)));
            h.on(day.getDayOfWeek(), a, z);
        }
        Instant start = tr.getInstant().minus(Duration.ofMinutes(180 + rnd.nextInt(60)));
        return AvailabilityRequest.builder()
                .window(TimeWindow.of(start, Duration.ofHours(6)))
                .duration(Duration.ofMinutes(15L * (1 + rnd.nextInt(4))))
                .interval(Duration.ofMinutes(rnd.nextBoolean() ? 5 : 15))
                .participant(
                        Participant.builder("p", zone).workingHours(h.build()).build())
                .build();
    }

    static Participant randomParticipant(Random rnd, String id, ZoneId zone, TimeWindow window) {
        Participant.Builder p = Participant.builder(id, zone);
        int hoursKind = rnd.nextInt(10);
        if (hoursKind == 0) {
            p.workingHours(WorkingHours.never());
        } else if (hoursKind <= 2) {
            p.workingHours(WorkingHours.always());
        } else if (hoursKind >= 4) {
            WorkingHours.Builder h = WorkingHours.builder();
            for (DayOfWeek d : DayOfWeek.values()) {
                int ranges = rnd.nextInt(4);
                for (int i = 0; i < ranges; i++) {
                    h.on(d, quarter(rnd), quarter(rnd));
                }
            }
            p.workingHours(h.build());
        } // else: the default
        LocalDate firstDate = LocalDate.ofInstant(window.start(), zone);
        for (int i = rnd.nextInt(3); i > 0; i--) {
            LocalDate d = firstDate.plusDays(rnd.nextInt(4) - 1);
            switch (rnd.nextInt(3)) {
                case 0 -> p.override(DateOverride.dayOff(d));
                case 1 -> p.override(DateOverride.extraHours(d, TimeOfDayRange.of(quarter(rnd), quarter(rnd))));
                default -> p.override(DateOverride.hours(d, TimeOfDayRange.of(quarter(rnd), quarter(rnd))));
            }
        }
        long spanMinutes = window.duration().toMinutes() + 2 * 24 * 60;
        for (int i = rnd.nextInt(9); i > 0; i--) {
            Instant s =
                    window.start().minus(Duration.ofDays(1)).plus(Duration.ofMinutes(rnd.nextInt((int) spanMinutes)));
            p.busy(BusyInterval.of(
                    s, s.plus(Duration.ofMinutes(5L + rnd.nextInt(600))), STATUSES[rnd.nextInt(STATUSES.length)]));
        }
        for (int i = rnd.nextInt(3) == 0 ? 1 : 0; i > 0; i--) {
            p.busyAllDay(firstDate.plusDays(rnd.nextInt(4) - 1), STATUSES[rnd.nextInt(STATUSES.length)]);
        }
        if (rnd.nextInt(4) == 0) {
            p.maxMeetingsPerDay(rnd.nextInt(4));
            for (int i = 0; i < 4; i++) {
                p.meetingsOn(firstDate.plusDays(i - 1), rnd.nextInt(4));
            }
            if (rnd.nextBoolean()) {
                p.maxMeetingsPerWeek(rnd.nextInt(12));
            }
        }
        return p.build();
    }

    /** A quarter-hour time of day, often in the small hours where clocks change. */
    static LocalTime quarter(Random rnd) {
        return LocalTime.of(rnd.nextBoolean() ? 1 + rnd.nextInt(3) : rnd.nextInt(24), 15 * rnd.nextInt(4));
    }

    static Participant copy(Participant p, List<BusyInterval> busy) {
        Participant.Builder b = Participant.builder(p.id(), p.zone())
                .workingHours(p.workingHours())
                .overrides(p.overrides())
                .busy(busy);
        p.allDayBusy().forEach(b::busyAllDay);
        p.maxMeetingsPerDay().ifPresent(b::maxMeetingsPerDay);
        p.maxMeetingsPerWeek().ifPresent(b::maxMeetingsPerWeek);
        p.existingMeetings().forEach(b::meetingsOn);
        return b.build();
    }

    static AvailabilityRequest rebuild(
            AvailabilityRequest r, List<Participant> ps, List<ParticipantGroup> groups, RoundRobin rr) {
        AvailabilityRequest.Builder b = AvailabilityRequest.builder()
                .periods(r.periods())
                .duration(r.duration())
                .interval(r.interval())
                .buffer(r.buffer())
                .countTentativeAsBusy(r.countTentativeAsBusy())
                .participants(ps)
                .groups(groups)
                .explain(r.explain())
                .showBusyDetails(r.showBusyDetails())
                .maxExplanations(r.maxExplanations());
        if (rr != null) {
            b.roundRobin(rr);
        }
        return b.build();
    }
}
