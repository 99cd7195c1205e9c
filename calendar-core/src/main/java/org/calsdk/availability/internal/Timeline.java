package org.calsdk.availability.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.availability.AllDayBusy;
import org.calsdk.availability.DateOverride;
import org.calsdk.availability.Participant;
import org.calsdk.availability.TimeOfDayRange;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;

/**
 * One participant's time, precomputed for a request as merged interval lists in nanoseconds from the
 * request's base instant: working time, working time minus buffered blocking time (the free list), and
 * the starts the meeting limits forbid.
 */
final class Timeline {
    final Participant participant;
    /** Working hours, materialized per local date and merged. */
    final long[] working;
    /** Working minus blocking intervals widened by the buffers: a slot must lie inside one of these. */
    final long[] free;
    /** Where a slot may not start because of daily or weekly limits (merged). */
    final long[] noStart;
    /** Local days, and local ISO weeks, already at the participant's limit (merged), for explanations. */
    final long[] dailyLimited;

    final long[] weeklyLimited;
    /** Blocking intervals as given (all-day entries materialized), for explanations. */
    final List<Blocker> blockers;

    /** A blocking interval: where it came from and where it lies on the engine's time line. */
    record Blocker(Instant start, Instant end, BusyStatus status, String eventId, boolean allDay, long s, long e) {}

    private Timeline(
            Participant participant,
            long[] working,
            long[] free,
            long[] dailyLimited,
            long[] weeklyLimited,
            long[] noStart,
            List<Blocker> blockers) {
        this.participant = participant;
        this.working = working;
        this.free = free;
        this.dailyLimited = dailyLimited;
        this.weeklyLimited = weeklyLimited;
        this.noStart = noStart;
        this.blockers = blockers;
    }

    /**
     * Builds the timeline of {@code p} over {@code [lo, hi]} (instants outside are clamped: the caller
     * picks a range wide enough that clamping cannot change any answer).
     */
    static Timeline build(
            Participant p,
            TimeBase base,
            Duration before,
            Duration after,
            boolean tentativeBlocks,
            boolean keepBlockers) {
        ZoneId zone = p.zone();
        ZoneRules rules = zone.getRules();
        LocalDate firstDate = LocalDate.ofInstant(base.lo(), zone).minusDays(1);
        LocalDate lastDate = LocalDate.ofInstant(base.hi(), zone).plusDays(1);

        long[] working = working(p, rules, firstDate, lastDate, base);

        long beforeN = before.toNanos();
        long afterN = after.toNanos();
        Intervals.Builder blocked =
                new Intervals.Builder(p.busy().size() + p.allDayBusy().size());
        List<Blocker> blockers = keepBlockers ? new ArrayList<>() : null;
        for (BusyInterval b : p.busy()) {
            if (!blocks(b.status(), tentativeBlocks)) {
                continue;
            }
            long s = base.rel(b.start());
            long e = base.rel(b.end());
            if (e <= s) {
                continue; // wholly outside the range that matters
            }
            // [start - before, end + after) overlaps [bs, be)  <=>  [start, end) overlaps [bs - after, be + before)
            blocked.add(s - afterN, e + beforeN);
            if (blockers != null) {
                blockers.add(new Blocker(b.start(), b.end(), b.status(), b.eventId(), false, s, e));
            }
        }
        for (AllDayBusy d : p.allDayBusy()) {
            if (!blocks(d.status(), tentativeBlocks)
                    || d.date().isBefore(firstDate)
                    || d.date().isAfter(lastDate)) {
                continue;
            }
            LocalTimes.instants(d.date().atStartOfDay(), d.date().plusDays(1).atStartOfDay(), rules, (a, z) -> {
                long s = base.rel(a);
                long e = base.rel(z);
                blocked.add(s - afterN, e + beforeN);
                if (blockers != null) {
                    blockers.add(new Blocker(a, z, d.status(), null, true, s, e));
                }
            });
        }
        long[] free = Intervals.subtract(working, blocked.union());
        if (blockers != null) {
            blockers.sort(Comparator.comparingLong(Blocker::s).thenComparingLong(Blocker::e));
        }

        long[] daily = Intervals.EMPTY;
        if (p.maxMeetingsPerDay().isPresent()) {
            int max = p.maxMeetingsPerDay().getAsInt();
            Intervals.Builder days = new Intervals.Builder(16);
            for (LocalDate d = firstDate; !d.isAfter(lastDate); d = d.plusDays(1)) {
                if (p.existingMeetings().getOrDefault(d, 0) >= max) {
                    addLocalRange(days, d, d.plusDays(1), rules, base);
                }
            }
            daily = days.union();
        }
        long[] weekly = Intervals.EMPTY;
        if (p.maxMeetingsPerWeek().isPresent()) {
            int max = p.maxMeetingsPerWeek().getAsInt();
            Intervals.Builder weeks = new Intervals.Builder(16);
            for (LocalDate w = firstDate.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    !w.isAfter(lastDate);
                    w = w.plusWeeks(1)) {
                int count = 0;
                for (int i = 0; i < 7; i++) {
                    count += p.existingMeetings().getOrDefault(w.plusDays(i), 0);
                }
                if (count >= max) {
                    addLocalRange(weeks, w, w.plusWeeks(1), rules, base);
                }
            }
            weekly = weeks.union();
        }
        long[] noStart;
        if (daily.length == 0) {
            noStart = weekly;
        } else if (weekly.length == 0) {
            noStart = daily;
        } else {
            Intervals.Builder both = new Intervals.Builder(daily.length + weekly.length);
            for (int i = 0; i < daily.length; i += 2) {
                both.add(daily[i], daily[i + 1]);
            }
            for (int i = 0; i < weekly.length; i += 2) {
                both.add(weekly[i], weekly[i + 1]);
            }
            noStart = both.union();
        }
        return new Timeline(p, working, free, daily, weekly, noStart, blockers);
    }

    /** Adds the instants whose local date is in {@code [from, to)}. */
    private static void addLocalRange(
            Intervals.Builder into, LocalDate from, LocalDate to, ZoneRules rules, TimeBase base) {
        LocalTimes.instants(
                from.atStartOfDay(), to.atStartOfDay(), rules, (a, z) -> into.add(base.rel(a), base.rel(z)));
    }

    static boolean blocks(BusyStatus status, boolean tentativeBlocks) {
        return switch (status) {
            case BUSY, OUT_OF_OFFICE -> true;
            case TENTATIVE -> tentativeBlocks;
            case FREE, WORKING_ELSEWHERE -> false;
        };
    }

    /** Working hours on every local date in {@code [first, last]}, with overrides, merged. */
    private static long[] working(Participant p, ZoneRules rules, LocalDate first, LocalDate last, TimeBase base) {
        Map<LocalDate, List<DateOverride>> overrides = new HashMap<>();
        for (DateOverride o : p.overrides()) {
            overrides.computeIfAbsent(o.date(), d -> new ArrayList<>()).add(o);
        }
        Intervals.Builder b = new Intervals.Builder(64);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (TimeOfDayRange r : rangesOn(p, d, overrides.get(d))) {
                LocalDateTime from = d.atTime(r.start());
                LocalDateTime to = (r.crossesMidnight() ? d.plusDays(1) : d).atTime(r.end());
                LocalTimes.instants(from, to, rules, (a, z) -> b.add(base.rel(a), base.rel(z)));
            }
        }
        return b.union();
    }

    private static List<TimeOfDayRange> rangesOn(Participant p, LocalDate d, List<DateOverride> overrides) {
        if (overrides == null) {
            return p.workingHours().on(d.getDayOfWeek());
        }
        List<TimeOfDayRange> replaced = null;
        List<TimeOfDayRange> extra = new ArrayList<>();
        for (DateOverride o : overrides) {
            switch (o.kind()) {
                case DAY_OFF -> {
                    return List.of();
                }
                case REPLACE_HOURS -> {
                    if (replaced == null) {
                        replaced = new ArrayList<>();
                    }
                    replaced.addAll(o.ranges());
                }
                case EXTRA_HOURS -> extra.addAll(o.ranges());
            }
        }
        List<TimeOfDayRange> all =
                new ArrayList<>(replaced != null ? replaced : p.workingHours().on(d.getDayOfWeek()));
        all.addAll(extra);
        return all;
    }
}
