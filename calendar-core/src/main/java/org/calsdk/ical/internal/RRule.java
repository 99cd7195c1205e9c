package org.calsdk.ical.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.WeekDay;
import org.calsdk.errors.MalformedDataException;

/**
 * One RRULE value, parsed (by ical4j's {@link Recur}, which checks the grammar and value ranges) and
 * further checked against RFC 5545 §3.3.10: FREQ present, COUNT and UNTIL not together, INTERVAL and
 * COUNT positive, COUNT at most {@link #MAX_COUNT}, no ordinal BYDAY with BYWEEKNO in YEARLY rules.
 * Immutable.
 */
public final class RRule {
    /** Largest COUNT accepted: far beyond any real calendar (a daily series for 2,700 years). */
    public static final int MAX_COUNT = 1_000_000;

    /** RFC 5545 frequencies, in increasing order of frequency. */
    public enum Freq {
        YEARLY,
        MONTHLY,
        WEEKLY,
        DAILY,
        HOURLY,
        MINUTELY,
        SECONDLY
    }

    /** A BYDAY entry: a weekday with an optional ordinal (0 = every). */
    public record WeekdayNum(int ordinal, DayOfWeek day) {}

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT)
            .withResolverStyle(java.time.format.ResolverStyle.STRICT); // UNTIL=20260231T...: an error, not 28 Feb
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    final String text;
    final Freq freq;
    final int interval;
    final int count; // 0 = none
    final Temporal until; // null, LocalDate, LocalDateTime (floating) or Instant (UTC)
    final int[] bySecond;
    final int[] byMinute;
    final int[] byHour;
    final List<WeekdayNum> byDay;
    final int[] byMonthDay;
    final int[] byYearDay;
    final int[] byWeekNo;
    final int[] byMonth;
    final int[] bySetPos;
    final DayOfWeek wkst;

    private RRule(
            String text,
            Freq freq,
            int interval,
            int count,
            Temporal until,
            int[] bySecond,
            int[] byMinute,
            int[] byHour,
            List<WeekdayNum> byDay,
            int[] byMonthDay,
            int[] byYearDay,
            int[] byWeekNo,
            int[] byMonth,
            int[] bySetPos,
            DayOfWeek wkst) {
        this.text = text;
        this.freq = freq;
        this.interval = interval;
        this.count = count;
        this.until = until;
        this.bySecond = bySecond;
        this.byMinute = byMinute;
        this.byHour = byHour;
        this.byDay = byDay;
        this.byMonthDay = byMonthDay;
        this.byYearDay = byYearDay;
        this.byWeekNo = byWeekNo;
        this.byMonth = byMonth;
        this.bySetPos = bySetPos;
        this.wkst = wkst;
    }

    /**
     * Parses an RRULE value (with or without the {@code RRULE:} prefix).
     *
     * @throws MalformedDataException naming the rule and the offending part
     */
    public static RRule parse(String rrule) {
        if (rrule == null || rrule.isBlank()) {
            throw new MalformedDataException("empty RRULE");
        }
        String text = rrule.strip();
        if (text.regionMatches(true, 0, "RRULE:", 0, 6)) {
            text = text.substring(6);
        }
        if (text.length() > 2000) {
            throw new MalformedDataException("RRULE is longer than 2000 characters");
        }
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        boolean hasCount = false;
        boolean hasUntil = false;
        String untilText = null;
        String countText = null;
        String intervalText = null;
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (name.equals("COUNT")) {
                if (hasCount) {
                    throw invalid(shown, "COUNT appears twice");
                }
                hasCount = true;
                countText = part.substring(eq + 1);
            } else if (name.equals("UNTIL")) {
                if (hasUntil) {
                    throw invalid(shown, "UNTIL appears twice");
                }
                hasUntil = true;
                untilText = part.substring(eq + 1);
            } else if (name.equals("INTERVAL")) {
                intervalText = part.substring(eq + 1);
            }
        }
        if (hasCount && hasUntil) {
            throw invalid(shown, "COUNT and UNTIL must not both be present (RFC 5545 §3.3.10)");
        }
        int count = 0;
        if (hasCount) {
            count = parsePositive(countText, "COUNT", shown);
            if (count > MAX_COUNT) {
                throw invalid(shown, "COUNT " + count + " exceeds the limit of " + MAX_COUNT);
            }
        } else if (countText != null) {
            throw invalid(shown, "COUNT has no value");
        }
        if (intervalText != null) {
            parsePositive(intervalText, "INTERVAL", shown);
        }
        Temporal until =
                untilText == null ? null : parseUntil(untilText.strip(), shown); // before ical4j: a clear message
        Recur<Temporal> recur;
        try {
            recur = new Recur<>(text);
        } catch (RuntimeException e) {
            throw invalid(shown, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        Freq freq = Freq.valueOf(recur.getFrequency().name());
        int interval = Math.max(1, recur.getInterval());
        List<WeekdayNum> byDay = new ArrayList<>();
        for (WeekDay wd : recur.getDayList()) {
            byDay.add(new WeekdayNum(wd.getOffset(), WeekDay.getDayOfWeek(wd)));
        }
        int[] byMonth =
                recur.getMonthList().stream().mapToInt(m -> m.getMonthOfYear()).toArray();
        for (int m : byMonth) {
            if (m < 1 || m > 12) {
                throw invalid(
                        shown,
                        "BYMONTH value " + m + " is not 1..12 (leap months need RSCALE, which is not supported)");
            }
        }
        for (var m : recur.getMonthList()) {
            if (m.isLeapMonth()) {
                throw invalid(shown, "leap months (RFC 7529) are not supported");
            }
        }
        int[] byWeekNo = ints(recur.getWeekNoList());
        if (freq == Freq.YEARLY && byWeekNo.length > 0 && byDay.stream().anyMatch(d -> d.ordinal() != 0)) {
            throw invalid(shown, "BYDAY with an ordinal must not be combined with BYWEEKNO (RFC 5545 §3.3.10)");
        }
        if (!recur.getExperimentalValues().isEmpty()) {
            throw invalid(
                    shown, "unsupported parts " + recur.getExperimentalValues().keySet());
        }
        DayOfWeek wkst =
                recur.getWeekStartDay() == null ? DayOfWeek.MONDAY : WeekDay.getDayOfWeek(recur.getWeekStartDay());
        return new RRule(
                text,
                freq,
                interval,
                count,
                until,
                checked(ints(recur.getSecondList()), 0, 60, "BYSECOND", shown),
                checked(ints(recur.getMinuteList()), 0, 59, "BYMINUTE", shown),
                checked(ints(recur.getHourList()), 0, 23, "BYHOUR", shown),
                List.copyOf(byDay),
                checkedSigned(ints(recur.getMonthDayList()), 31, "BYMONTHDAY", shown),
                checkedSigned(ints(recur.getYearDayList()), 366, "BYYEARDAY", shown),
                checkedSigned(byWeekNo, 53, "BYWEEKNO", shown),
                byMonth,
                checkedSigned(ints(recur.getSetPosList()), 366, "BYSETPOS", shown),
                wkst);
    }

    /** The rule text as given (without {@code RRULE:}). */
    public String text() {
        return text;
    }

    public Freq freq() {
        return freq;
    }

    /** COUNT, or 0 when the rule has none. */
    public int count() {
        return count;
    }

    /** How many times of day the rule names: the product of the BYHOUR, BYMINUTE and BYSECOND list sizes (each at least 1). */
    public long timesOfDay() {
        return (long) Math.max(1, byHour.length) * Math.max(1, byMinute.length) * Math.max(1, bySecond.length);
    }

    /** UNTIL: null, a LocalDate, a LocalDateTime (floating) or an Instant. */
    public Temporal until() {
        return until;
    }

    private static int parsePositive(String v, String part, String shown) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 1) {
                throw invalid(shown, part + " must be a positive integer, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(
                    shown,
                    part + " '" + v + "' is not a positive integer"
                            + (v.strip().matches("\\d{10,}") ? " (exceeds the limit of " + MAX_COUNT + ")" : ""));
        }
    }

    private static Temporal parseUntil(String v, String shown) {
        try {
            if (v.length() == 8) {
                return LocalDate.parse(v, DATE);
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                return LocalDateTime.parse(v.substring(0, v.length() - 1), LOCAL)
                        .toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(v, LOCAL);
        } catch (DateTimeParseException e) {
            throw invalid(shown, "UNTIL '" + v + "' is not a DATE or DATE-TIME");
        }
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] checked(int[] values, int min, int max, String part, String shown) {
        for (int v : values) {
            if (v < min || v > max) {
                throw invalid(shown, part + " value " + v + " is out of range " + min + ".." + max);
            }
        }
        return values;
    }

    private static int[] checkedSigned(int[] values, int max, String part, String shown) {
        for (int v : values) {
            if (v == 0 || v < -max || v > max) {
                throw invalid(shown, part + " value " + v + " is out of range (1.." + max + " or -" + max + "..-1)");
            }
        }
        return values;
    }

    private static MalformedDataException invalid(String rule, String why) {
        return new MalformedDataException("invalid RRULE '" + rule + "': " + why);
    }

    /** Formats an UNTIL value for tests and messages. */
    static String describe(Temporal t) {
        return t instanceof Instant i ? i.toString() : String.valueOf(t);
    }

    @Override
    public String toString() {
        return text;
    }
}
