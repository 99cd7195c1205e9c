package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;

/**
 * Properties of expansion, in the zones where daylight saving is hardest: America/New_York,
 * Europe/Berlin, Australia/Lord_Howe (30-minute DST) and Pacific/Apia (skipped 30 December 2011).
 * Seeds are fixed so that every run checks the same cases (the suite must be deterministic); edge cases
 * are mixed in with random ones rather than filling all tries.
 */
class RecurrencePropertiesTest {

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia");
    }

    record Occ(Instant rid, Instant start, Instant end) {}

    /**
     * Overrides and EXDATEs merged by {@link Recurrences#expand} equal an independent model: take the
     * plain instances, drop EXDATEs, drop cancelled overrides, put moved overrides at their new times,
     * keep what overlaps the window, sort.
     */
    @Property(tries = 150, seed = "20260301", edgeCases = EdgeCasesMode.MIXIN)
    void overridesAndExdatesMergeLikeTheModel(
            @ForAll("zones") String zoneId,
            @ForAll @IntRange(min = 0, max = 7300) int startDay,
            @ForAll @IntRange(min = 0, max = 95) int startQuarterHour,
            @ForAll boolean weekly,
            @ForAll @IntRange(min = 1, max = 3) int interval,
            @ForAll @IntRange(min = 3, max = 40) int count,
            @ForAll @IntRange(min = 15, max = 600) int minutes,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 39) Integer> exdateIdx,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 39) Integer> overrideIdx,
            @ForAll @Size(max = 8) List<@IntRange(min = -20000, max = 20000) Integer> shifts,
            @ForAll @IntRange(min = -30, max = 300) int windowFromDay,
            @ForAll @IntRange(min = 1, max = 200) int windowDays) {
        ZoneId zone = ZoneId.of(zoneId);
        ZonedDateTime start = ZonedDateTime.of(
                LocalDate.of(2005, 1, 1).plusDays(startDay),
                LocalTime.of(startQuarterHour / 4, startQuarterHour % 4 * 15),
                zone);
        String rule = "FREQ=" + (weekly ? "WEEKLY" : "DAILY") + ";INTERVAL=" + interval + ";COUNT=" + count;
        Event plain = Event.builder()
                .uid("p")
                .time(EventTime.of(start), EventTime.of(start.plusMinutes(minutes)))
                .recurrence(Recurrence.rule(rule))
                .build();
        TimeWindow all = TimeWindow.of(
                start.toInstant().minus(Duration.ofDays(1)), start.toInstant().plus(Duration.ofDays(400 * 3)));
        List<Occurrence> originals = Recurrences.expand(plain, all, zone).toList();
        assertThat(originals).hasSize(count);

        Set<Integer> ex = new LinkedHashSet<>();
        for (int i : exdateIdx) {
            if (i < count) {
                ex.add(i);
            }
        }
        Map<Integer, Integer> moved = new LinkedHashMap<>(); // index -> shift minutes, or null for cancelled
        for (int k = 0; k < overrideIdx.size(); k++) {
            int i = overrideIdx.get(k);
            if (i < count && !moved.containsKey(i)) {
                int shift = k < shifts.size() ? shifts.get(k) : 0;
                moved.put(i, shift % 7 == 0 ? null : shift);
            }
        }
        List<EventTime> exdates = new ArrayList<>();
        ex.forEach(i -> exdates.add(originals.get(i).start()));
        List<Event> overrides = new ArrayList<>();
        for (Map.Entry<Integer, Integer> m : moved.entrySet()) {
            Occurrence o = originals.get(m.getKey());
            ZonedDateTime s = ((EventTime.Zoned) o.start()).dateTime();
            Event.Builder b = Event.builder().uid("p").recurrenceId(o.start());
            if (m.getValue() == null) {
                b.time(o.start(), o.end()).status(EventStatus.CANCELLED);
            } else {
                ZonedDateTime ns = s.plusMinutes(m.getValue());
                b.time(EventTime.of(ns), EventTime.of(ns.plusMinutes(30)));
            }
            overrides.add(b.build());
        }
        Event series = plain.toBuilder()
                .recurrence(new Recurrence(List.of(rule), List.of(), exdates))
                .overrides(overrides)
                .build();

        TimeWindow w = TimeWindow.of(
                start.toInstant().plus(Duration.ofDays(windowFromDay)),
                start.toInstant().plus(Duration.ofDays(windowFromDay + windowDays)));
        List<Occ> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Occurrence o = originals.get(i);
            Instant rid = o.startInstant(zone);
            Occ occ;
            if (moved.containsKey(i)) {
                Integer shift = moved.get(i);
                if (shift == null) {
                    continue;
                }
                Instant s = ((EventTime.Zoned) o.start())
                        .dateTime()
                        .plusMinutes(shift)
                        .toInstant();
                occ = new Occ(rid, s, s.plus(Duration.ofMinutes(30)));
            } else if (ex.contains(i)) {
                continue;
            } else {
                occ = new Occ(rid, rid, o.endInstant(zone));
            }
            if (occ.start().isBefore(w.end()) && occ.end().isAfter(w.start())) {
                expected.add(occ);
            }
        }
        expected.sort(Comparator.comparing(Occ::start).thenComparing(Occ::end).thenComparing(Occ::rid));

        List<Occ> actual = Recurrences.expand(series, w, zone)
                .map(o -> new Occ(o.recurrenceId().toInstant(zone), o.startInstant(zone), o.endInstant(zone)))
                .toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /**
     * A daily series that crosses a DST transition keeps its wall-clock time, except as RFC 5545 §3.3.5
     * says: a time in a gap moves forward by the gap's length; a time in an overlap takes the earlier
     * offset. Checked against the zone's own transition data; no instance is lost. (The series starts
     * before the transition day: a DTSTART that itself lies in a gap is stored resolved in the model, so
     * its wall-clock time is the shifted one.)
     */
    @Property(tries = 200, seed = "20260302", edgeCases = EdgeCasesMode.MIXIN)
    void dailySeriesAcrossTransitionsFollowRfc5545(
            @ForAll("zones") String zoneId,
            @ForAll @IntRange(min = 0, max = 7000) int fromDay,
            @ForAll @IntRange(min = 1, max = 10) int daysBefore,
            @ForAll @IntRange(min = 0, max = 47) int halfHour,
            @ForAll @IntRange(min = 0, max = 1) int nearTransition) {
        ZoneId zone = ZoneId.of(zoneId);
        ZoneRules rules = zone.getRules();
        Instant from = LocalDate.of(2008, 1, 1)
                .plusDays(fromDay)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        ZoneOffsetTransition t = rules.nextTransition(from);
        if (t == null) {
            t = rules.previousTransition(from); // Apia has had no DST since 2021
        }
        LocalDate startDate = t.getDateTimeBefore().toLocalDate().minusDays(daysBefore);
        // half the tries start at the transition's own local times, where gaps and overlaps are
        LocalTime time = nearTransition == 1
                ? t.getDateTimeBefore().toLocalTime().plusMinutes(halfHour % 4 * 15)
                : LocalTime.of(halfHour / 2, halfHour % 2 * 30);
        int n = 20;
        ZonedDateTime start = ZonedDateTime.of(startDate, time, zone);
        Event e = Event.builder()
                .uid("d")
                .time(EventTime.of(start), EventTime.of(start.plusMinutes(45)))
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=" + n))
                .build();
        TimeWindow w = TimeWindow.of(
                start.toInstant().minus(Duration.ofDays(2)), start.toInstant().plus(Duration.ofDays(n + 3)));
        List<Occurrence> occ = Recurrences.expand(e, w, zone).toList();
        // Apia skipped 30 December 2011: that day's instance lands on the next one and counts once
        int skippedDays = 0;
        for (int i = 0; i < n; i++) {
            LocalDateTime wanted = LocalDateTime.of(startDate.plusDays(i), time);
            ZoneOffsetTransition tr = rules.getTransition(wanted);
            if (tr != null && tr.isGap() && !tr.getDuration().minusHours(24).isNegative()) {
                skippedDays++;
            }
        }
        assertThat(occ).hasSize(n - skippedDays);
        Instant previous = Instant.MIN;
        for (int i = 0, day = 0; i < occ.size(); i++, day++) {
            LocalDateTime probe = LocalDateTime.of(startDate.plusDays(day), time);
            ZoneOffsetTransition tr = rules.getTransition(probe);
            if (tr != null && tr.isGap() && !tr.getDuration().minusHours(24).isNegative()) {
                day++; // the skipped day's instance is the next day's
            }
            ZonedDateTime s = ((EventTime.Zoned) occ.get(i).start()).dateTime();
            LocalDateTime wanted = LocalDateTime.of(startDate.plusDays(day), time);
            List<ZoneOffset> valid = rules.getValidOffsets(wanted);
            if (valid.size() == 1) {
                assertThat(s.toLocalDateTime()).isEqualTo(wanted);
                assertThat(s.getOffset()).isEqualTo(valid.get(0));
            } else if (valid.isEmpty()) {
                ZoneOffsetTransition gap = rules.getTransition(wanted);
                assertThat(s.toLocalDateTime()).isEqualTo(wanted.plus(gap.getDuration()));
            } else {
                ZoneOffsetTransition overlap = rules.getTransition(wanted);
                assertThat(s.toLocalDateTime()).isEqualTo(wanted);
                assertThat(s.getOffset()).isEqualTo(overlap.getOffsetBefore());
            }
            // the recurrence id names the original day
            assertThat(occ.get(i).recurrenceId().date()).isEqualTo(s.toLocalDate());
            assertThat(s.toInstant()).isAfter(previous);
            previous = s.toInstant();
            assertThat(Duration.between(s.toInstant(), occ.get(i).endInstant(zone)))
                    .isEqualTo(Duration.ofMinutes(45));
        }
    }

    /** Expanding a window in two halves gives the same occurrences as expanding it at once. */
    @Property(tries = 150, seed = "20260303", edgeCases = EdgeCasesMode.MIXIN)
    void windowsCompose(
            @ForAll("zones") String zoneId,
            @ForAll @IntRange(min = 0, max = 5) int ruleIndex,
            @ForAll @IntRange(min = 0, max = 4000) int startDay,
            @ForAll @IntRange(min = 0, max = 23) int hour,
            @ForAll @IntRange(min = 1, max = 2000) int splitHours,
            @ForAll @IntRange(min = 0, max = 5000) int windowStartDay) {
        String[] rules = {
            "FREQ=DAILY",
            "FREQ=WEEKLY;BYDAY=MO,WE,FR",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=HOURLY;INTERVAL=7",
            "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
            "FREQ=DAILY;UNTIL=20200101T000000Z"
        };
        ZoneId zone = ZoneId.of(zoneId);
        ZonedDateTime start =
                ZonedDateTime.of(LocalDate.of(2010, 1, 1).plusDays(startDay), LocalTime.of(hour, 0), zone);
        Event e = Event.builder()
                .uid("w")
                .time(EventTime.of(start), EventTime.of(start.plusMinutes(90)))
                .recurrence(Recurrence.rule(rules[ruleIndex]))
                .build();
        Instant a = start.toInstant().plus(Duration.ofDays(windowStartDay - 100));
        Instant b = a.plus(Duration.ofHours(splitHours));
        Instant c = b.plus(Duration.ofHours(2000));
        List<Instant> whole = Recurrences.expand(e, TimeWindow.of(a, c), zone)
                .map(o -> o.recurrenceId().toInstant(zone))
                .toList();
        Set<Instant> halves = new LinkedHashSet<>();
        Recurrences.expand(e, TimeWindow.of(a, b), zone)
                .forEach(o -> halves.add(o.recurrenceId().toInstant(zone)));
        Recurrences.expand(e, TimeWindow.of(b, c), zone)
                .forEach(o -> halves.add(o.recurrenceId().toInstant(zone)));
        assertThat(new ArrayList<>(halves)).containsExactlyElementsOf(whole);
    }
}
