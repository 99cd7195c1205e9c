package org.calsdk.ical.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Lazily generates the local date-times of one RRULE (RFC 5545 §3.3.10, §3.8.5.3) in increasing order,
 * one period (year, month, week, day, hour, minute or second, stepped by INTERVAL) at a time, and within
 * a period one day and one time at a time: a YEARLY rule with every BY* list filled in (31 million
 * candidates a year) holds one candidate, and days before the lower bound are skipped without being
 * generated, so a one-hour window costs what that hour holds.
 *
 * <p>Works on wall-clock times; the caller maps them to instants in the event's zone (which is where
 * RFC 5545 §3.3.5's gap and overlap rules apply). Stops at the first of: COUNT reached, a candidate
 * after UNTIL, the year 9999, a period starting after {@code stopAfter}, or {@value #MAX_EMPTY_PERIODS}
 * periods in a row without a candidate (a rule that can never match, such as
 * {@code FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31}, ends instead of searching forever).
 *
 * <p>Not thread-safe (an iterator).
 */
public final class RuleIterator implements Iterator<LocalDateTime> {
    static final int MAX_EMPTY_PERIODS = 500_000;
    private static final int MAX_YEAR = 9999;

    private final RRule rule;
    private final LocalDateTime dtstart;
    private final Predicate<LocalDateTime> beyondUntil;
    private final LocalDateTime stopAfter;
    private final boolean includeDtstart;

    private final int[] byMonth;
    private final int[] byMonthDay;
    private final int[] byYearDay;
    private final int[] byWeekNo;
    private final boolean[] plainWeekday = new boolean[8];
    private final List<RRule.WeekdayNum> nthWeekdays = new ArrayList<>();
    private final boolean anyDayFilter;
    private final int[] hours;
    private final int[] minutes;
    private final int[] seconds;
    private final LocalTime[] dayTimes; // for YEARLY..DAILY: sorted product of hours x minutes x seconds
    private final ChronoUnit unit;

    private LocalDateTime cursor;
    private final ArrayDeque<LocalDateTime> buffer = new ArrayDeque<>();
    /** Candidates before this are skipped: DTSTART, or the lower bound given to {@link #skipTo}. */
    private LocalDateTime floor;

    private Iterator<LocalDateTime> period;
    private boolean periodEmitted;
    private int emitted;
    private boolean done;
    private boolean started;

    /**
     * @param rule           the rule
     * @param dtstart        the series start, local
     * @param beyondUntil    whether a candidate lies after UNTIL (the caller knows the zone); null = no UNTIL
     * @param stopAfter      no candidates after this are needed (null = unbounded)
     * @param includeDtstart emit {@code dtstart} first even when the rule does not match it, counting it
     *                       towards COUNT (RFC 5545 §3.8.5.3: "DTSTART ... always counts as the first
     *                       occurrence"); false gives the rule's own matches only
     */
    public RuleIterator(
            RRule rule,
            LocalDateTime dtstart,
            Predicate<LocalDateTime> beyondUntil,
            LocalDateTime stopAfter,
            boolean includeDtstart) {
        this.rule = rule;
        this.dtstart = dtstart.truncatedTo(ChronoUnit.SECONDS);
        this.beyondUntil = beyondUntil == null ? t -> false : beyondUntil;
        this.stopAfter = stopAfter;
        this.includeDtstart = includeDtstart;

        int[] bm = rule.byMonth;
        int[] bmd = rule.byMonthDay;
        List<RRule.WeekdayNum> bd = rule.byDay;
        boolean noDayParts = rule.byWeekNo.length == 0 && rule.byYearDay.length == 0 && bmd.length == 0 && bd.isEmpty();
        if (noDayParts) {
            switch (rule.freq) {
                case YEARLY -> {
                    if (bm.length == 0) {
                        bm = new int[] {this.dtstart.getMonthValue()};
                    }
                    bmd = new int[] {this.dtstart.getDayOfMonth()};
                }
                case MONTHLY -> bmd = new int[] {this.dtstart.getDayOfMonth()};
                case WEEKLY -> bd = List.of(new RRule.WeekdayNum(0, this.dtstart.getDayOfWeek()));
                default -> {}
            }
        }
        this.byMonth = bm;
        this.byMonthDay = bmd;
        this.byYearDay = rule.byYearDay;
        this.byWeekNo = rule.byWeekNo;
        boolean ordinalsApply = rule.freq == RRule.Freq.MONTHLY || rule.freq == RRule.Freq.YEARLY;
        for (RRule.WeekdayNum w : bd) {
            if (w.ordinal() != 0 && ordinalsApply) {
                nthWeekdays.add(w);
            } else {
                plainWeekday[w.day().getValue()] = true;
            }
        }
        this.anyDayFilter = !bd.isEmpty();
        this.hours = rule.byHour.length > 0 ? sorted(rule.byHour) : new int[] {this.dtstart.getHour()};
        this.minutes = rule.byMinute.length > 0 ? sorted(rule.byMinute) : new int[] {this.dtstart.getMinute()};
        this.seconds = rule.bySecond.length > 0 ? sorted(rule.bySecond) : new int[] {this.dtstart.getSecond()};
        List<LocalTime> times = new ArrayList<>();
        for (int h : hours) {
            for (int m : minutes) {
                for (int s : seconds) {
                    if (s < 60) { // a leap second (BYSECOND=60) has no LocalTime; RFC 5545 lets it be ignored
                        times.add(LocalTime.of(h, m, s));
                    }
                }
            }
        }
        this.dayTimes = times.toArray(new LocalTime[0]);
        this.unit = switch (rule.freq) {
            case YEARLY -> ChronoUnit.YEARS;
            case MONTHLY -> ChronoUnit.MONTHS;
            case WEEKLY -> ChronoUnit.WEEKS;
            case DAILY -> ChronoUnit.DAYS;
            case HOURLY -> ChronoUnit.HOURS;
            case MINUTELY -> ChronoUnit.MINUTES;
            case SECONDLY -> ChronoUnit.SECONDS;
        };
        this.cursor = periodStart(this.dtstart);
        this.floor = this.dtstart;
    }

    /**
     * Moves straight to the period holding {@code lowerBound} (keeping the INTERVAL alignment), when the
     * rule has no COUNT (which needs every earlier instance counted). Call before iterating. Instances
     * before {@code lowerBound} may still be returned; the caller filters.
     */
    public RuleIterator skipTo(LocalDateTime lowerBound) {
        if (started || rule.count > 0 || lowerBound == null || !lowerBound.isAfter(dtstart)) {
            return this;
        }
        floor = lowerBound.truncatedTo(ChronoUnit.SECONDS);
        long n = unit.between(cursor, periodStart(lowerBound));
        long k = (n / rule.interval) * rule.interval;
        if (k > 0) {
            try {
                cursor = cursor.plus(k, unit);
            } catch (java.time.DateTimeException e) {
                done = true;
            }
        }
        return this;
    }

    private LocalDateTime periodStart(LocalDateTime t) {
        return switch (rule.freq) {
            case YEARLY -> LocalDate.of(t.getYear(), 1, 1).atStartOfDay();
            case MONTHLY -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
            case WEEKLY ->
                t.toLocalDate()
                        .with(TemporalAdjusters.previousOrSame(rule.wkst))
                        .atStartOfDay();
            case DAILY -> t.toLocalDate().atStartOfDay();
            case HOURLY -> t.truncatedTo(ChronoUnit.HOURS);
            case MINUTELY -> t.truncatedTo(ChronoUnit.MINUTES);
            case SECONDLY -> t.truncatedTo(ChronoUnit.SECONDS);
        };
    }

    @Override
    public boolean hasNext() {
        if (!started) {
            started = true;
            if (includeDtstart) {
                buffer.add(dtstart);
                emitted = 1;
                if (rule.count > 0 && emitted >= rule.count) {
                    done = true;
                }
            }
        }
        int empty = 0;
        while (buffer.isEmpty() && !done) {
            if (period == null) {
                if (!openPeriod()) {
                    break;
                }
                periodEmitted = false;
            }
            if (period.hasNext()) {
                if (accept(period.next())) {
                    periodEmitted = true;
                }
            } else {
                period = null;
                if (periodEmitted) {
                    empty = 0;
                } else if (++empty > MAX_EMPTY_PERIODS) {
                    done = true;
                }
            }
        }
        return !buffer.isEmpty();
    }

    @Override
    public LocalDateTime next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }

    /** Opens the period at {@code cursor} (its candidates, lazily) and advances the cursor; false when done. */
    private boolean openPeriod() {
        if (cursor.getYear() > MAX_YEAR || (stopAfter != null && cursor.isAfter(stopAfter))) {
            done = true;
            return false;
        }
        LocalDateTime at = cursor;
        advance();
        period = rule.freq.compareTo(RRule.Freq.DAILY) <= 0 ? dayCandidates(at.toLocalDate()) : subDailyCandidates(at);
        return true;
    }

    /** Applies DTSTART, UNTIL, the stop point and COUNT to one candidate; true if it was emitted. */
    private boolean accept(LocalDateTime c) {
        if (c.isBefore(floor) || (includeDtstart && c.equals(dtstart))) {
            return false;
        }
        if (beyondUntil.test(c) || stopAfter != null && c.isAfter(stopAfter)) {
            done = true;
            return false;
        }
        buffer.add(c);
        if (rule.count > 0 && ++emitted >= rule.count) {
            done = true;
        }
        return true;
    }

    /** The candidates of one HOURLY, MINUTELY or SECONDLY period: at most 3,600. */
    private Iterator<LocalDateTime> subDailyCandidates(LocalDateTime at) {
        List<LocalDateTime> candidates = candidates(at);
        if (!candidates.isEmpty() && rule.bySetPos.length > 0) {
            candidates = applySetPos(candidates);
        }
        return candidates.iterator();
    }

    /**
     * The candidates of one YEARLY, MONTHLY, WEEKLY or DAILY period starting on {@code start}, generated
     * lazily day by day (a YEARLY rule with every BY* list filled in has 31 million per year). Days and
     * times before the floor are skipped without being generated. With BYSETPOS, positions are computed
     * arithmetically over (matching days) × (times of day), never materialized.
     */
    private Iterator<LocalDateTime> dayCandidates(LocalDate start) {
        List<LocalDate[]> ranges = new ArrayList<>(); // [first, end) date ranges, in order
        switch (rule.freq) {
            case YEARLY -> {
                if (byMonth.length > 0) {
                    for (int m : sorted(byMonth)) {
                        LocalDate first = start.withMonth(m);
                        ranges.add(new LocalDate[] {first, first.plusMonths(1)});
                    }
                } else {
                    ranges.add(new LocalDate[] {start, start.plusYears(1)});
                }
            }
            case MONTHLY -> ranges.add(new LocalDate[] {start, start.plusMonths(1)});
            case WEEKLY -> ranges.add(new LocalDate[] {start, start.plusDays(7)});
            default -> ranges.add(new LocalDate[] {start, start.plusDays(1)});
        }
        if (dayTimes.length == 0) {
            return java.util.Collections.emptyIterator();
        }
        if (rule.bySetPos.length > 0) {
            List<LocalDate> days = new ArrayList<>();
            for (LocalDate[] r : ranges) {
                for (LocalDate d = r[0]; d.isBefore(r[1]); d = d.plusDays(1)) {
                    if (dayMatches(d)) {
                        days.add(d);
                    }
                }
            }
            long n = (long) days.size() * dayTimes.length;
            TreeSet<LocalDateTime> chosen = new TreeSet<>();
            for (int p : rule.bySetPos) {
                long i = p > 0 ? p - 1L : n + p;
                if (i >= 0 && i < n) {
                    chosen.add(days.get((int) (i / dayTimes.length)).atTime(dayTimes[(int) (i % dayTimes.length)]));
                }
            }
            return chosen.iterator();
        }
        return new DayWalk(ranges);
    }

    /** Walks the matching days of a period and the times of each, starting at the floor. */
    private final class DayWalk implements Iterator<LocalDateTime> {
        private final List<LocalDate[]> ranges;
        private int range;
        private LocalDate day;
        private int time;
        private boolean dayOpen;

        DayWalk(List<LocalDate[]> ranges) {
            this.ranges = ranges;
            this.day = ranges.get(0)[0];
        }

        @Override
        public boolean hasNext() {
            while (true) {
                if (dayOpen && time < dayTimes.length) {
                    return true;
                }
                if (dayOpen) {
                    dayOpen = false;
                    day = day.plusDays(1);
                }
                if (range >= ranges.size()) {
                    return false;
                }
                if (!day.isBefore(ranges.get(range)[1])) {
                    if (++range >= ranges.size()) {
                        return false;
                    }
                    day = ranges.get(range)[0];
                    continue;
                }
                LocalDate floorDay = floor.toLocalDate();
                if (day.isBefore(floorDay)) {
                    // jump over whole days before the floor (within this range)
                    LocalDate end = ranges.get(range)[1];
                    day = floorDay.isBefore(end) ? floorDay : end;
                    continue;
                }
                if (!dayMatches(day)) {
                    day = day.plusDays(1);
                    continue;
                }
                dayOpen = true;
                time = day.equals(floorDay) ? firstTimeAtOrAfter(floor.toLocalTime()) : 0;
            }
        }

        @Override
        public LocalDateTime next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return day.atTime(dayTimes[time++]);
        }
    }

    private int firstTimeAtOrAfter(LocalTime t) {
        int i = Arrays.binarySearch(dayTimes, t);
        return i >= 0 ? i : -i - 1;
    }

    private void advance() {
        LocalDateTime next;
        try {
            if (rule.freq.compareTo(RRule.Freq.HOURLY) >= 0 && !dayMatches(cursor.toLocalDate())) {
                // The whole day is filtered out: jump to the first step that lands on a later day.
                long perDay = unit == ChronoUnit.HOURS ? 24 : unit == ChronoUnit.MINUTES ? 1440 : 86400;
                long ofDay = unit == ChronoUnit.HOURS
                        ? cursor.getHour()
                        : unit == ChronoUnit.MINUTES
                                ? cursor.getHour() * 60L + cursor.getMinute()
                                : cursor.toLocalTime().toSecondOfDay();
                long steps = (perDay - 1 - ofDay) / rule.interval + 1;
                next = cursor.plus(steps * rule.interval, unit);
            } else {
                next = cursor.plus(rule.interval, unit);
            }
        } catch (java.time.DateTimeException e) {
            done = true;
            return;
        }
        cursor = next;
    }

    /** The candidates of one HOURLY, MINUTELY or SECONDLY period. */
    private List<LocalDateTime> candidates(LocalDateTime at) {
        List<LocalDateTime> out = new ArrayList<>();
        if (!dayMatches(at.toLocalDate()) || !timeMatches(at)) {
            return out;
        }
        switch (rule.freq) {
            case HOURLY -> {
                for (int m : minutes) {
                    for (int s : seconds) {
                        if (s < 60) {
                            out.add(at.withMinute(m).withSecond(s));
                        }
                    }
                }
            }
            case MINUTELY -> {
                for (int s : seconds) {
                    if (s < 60) {
                        out.add(at.withSecond(s));
                    }
                }
            }
            default -> out.add(at);
        }
        return out;
    }

    private boolean timeMatches(LocalDateTime t) {
        if (rule.byHour.length > 0 && !contains(rule.byHour, t.getHour())) {
            return false;
        }
        if (rule.freq.compareTo(RRule.Freq.MINUTELY) >= 0
                && rule.byMinute.length > 0
                && !contains(rule.byMinute, t.getMinute())) {
            return false;
        }
        return rule.freq != RRule.Freq.SECONDLY || rule.bySecond.length == 0 || contains(rule.bySecond, t.getSecond());
    }

    boolean dayMatches(LocalDate d) {
        if (byMonth.length > 0 && !contains(byMonth, d.getMonthValue())) {
            return false;
        }
        if (byWeekNo.length > 0 && !weekNoMatches(d)) {
            return false;
        }
        if (byYearDay.length > 0) {
            int doy = d.getDayOfYear();
            if (!contains(byYearDay, doy) && !contains(byYearDay, doy - d.lengthOfYear() - 1)) {
                return false;
            }
        }
        if (byMonthDay.length > 0) {
            int dom = d.getDayOfMonth();
            if (!contains(byMonthDay, dom) && !contains(byMonthDay, dom - d.lengthOfMonth() - 1)) {
                return false;
            }
        }
        if (anyDayFilter) {
            DayOfWeek dow = d.getDayOfWeek();
            if (!plainWeekday[dow.getValue()] && !nthMatches(d, dow)) {
                return false;
            }
        }
        return true;
    }

    /** BYDAY with an ordinal: the n-th weekday of the month (MONTHLY, or YEARLY with BYMONTH) or of the year. */
    private boolean nthMatches(LocalDate d, DayOfWeek dow) {
        if (nthWeekdays.isEmpty()) {
            return false;
        }
        boolean inMonth = rule.freq == RRule.Freq.MONTHLY || byMonth.length > 0;
        int index = inMonth ? d.getDayOfMonth() : d.getDayOfYear();
        int length = inMonth ? d.lengthOfMonth() : d.lengthOfYear();
        int pos = (index - 1) / 7 + 1;
        int neg = -((length - index) / 7 + 1);
        for (RRule.WeekdayNum w : nthWeekdays) {
            if (w.day() == dow && (w.ordinal() == pos || w.ordinal() == neg)) {
                return true;
            }
        }
        return false;
    }

    /** Week numbers as RFC 5545 defines them: weeks start on WKST; week 1 is the first with 4+ days in the year. */
    private boolean weekNoMatches(LocalDate d) {
        int y = d.getYear();
        LocalDate w1 = week1Start(y);
        LocalDate w1next = week1Start(y + 1);
        int weekYear = y;
        LocalDate base = w1;
        if (!d.isBefore(w1next)) {
            weekYear = y + 1;
            base = w1next;
        } else if (d.isBefore(w1)) {
            weekYear = y - 1;
            base = week1Start(y - 1);
        }
        int week = (int) (ChronoUnit.DAYS.between(base, d) / 7) + 1;
        int weeksInYear = (int) (ChronoUnit.DAYS.between(base, week1Start(weekYear + 1)) / 7);
        return contains(byWeekNo, week) || contains(byWeekNo, week - weeksInYear - 1);
    }

    private LocalDate week1Start(int year) {
        return LocalDate.of(year, 1, 4).with(TemporalAdjusters.previousOrSame(rule.wkst));
    }

    /** BYSETPOS: picks positions (1-based, negative from the end) of the period's sorted candidates. */
    private List<LocalDateTime> applySetPos(List<LocalDateTime> candidates) {
        TreeSet<LocalDateTime> chosen = new TreeSet<>();
        int n = candidates.size();
        for (int p : rule.bySetPos) {
            int i = p > 0 ? p - 1 : n + p;
            if (i >= 0 && i < n) {
                chosen.add(candidates.get(i));
            }
        }
        return new ArrayList<>(chosen);
    }

    /** Sorted, without duplicates (a rule may repeat a value: BYMINUTE=15,15). */
    private static int[] sorted(int[] a) {
        return Arrays.stream(a).distinct().sorted().toArray();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
