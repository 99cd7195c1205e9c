package org.calsdk.ews.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between an RFC 5545 RRULE and the EWS {@code Recurrence} element (a pattern:
 * Daily/Weekly/AbsoluteMonthly/RelativeMonthly/AbsoluteYearly/RelativeYearly, and a range:
 * NoEnd/EndDate/Numbered). Only what both sides can say is translated; anything else is refused with
 * an {@link IllegalArgumentException} naming the part, never approximated.
 */
public final class RecurrenceXml {
    private static final DateTimeFormatter UNTIL_UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final DateTimeFormatter UNTIL_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String[] INDEX = {"First", "Second", "Third", "Fourth"};

    private RecurrenceXml() {}

    /** An EWS pattern or range element: its local name and its children's texts. */
    public record Part(String name, Map<String, String> values) {}

    /**
     * The {@code <t:Recurrence>} element for {@code rrule} of a series that starts on {@code startDate}
     * ({@code startDay} in the event's zone); {@code zone} turns a UTC UNTIL into the local end date.
     */
    public static String toXml(String rrule, LocalDate startDate, ZoneId zone) {
        Map<String, String> p = parse(rrule);
        String freq = p.remove("FREQ");
        int interval = Integer.parseInt(p.getOrDefault("INTERVAL", "1"));
        p.remove("INTERVAL");
        String count = p.remove("COUNT");
        String until = p.remove("UNTIL");
        String byDay = p.remove("BYDAY");
        String byMonthDay = p.remove("BYMONTHDAY");
        String byMonth = p.remove("BYMONTH");
        String setPos = p.remove("BYSETPOS");
        String wkst = p.remove("WKST");
        if (!p.isEmpty()) {
            throw new IllegalArgumentException(
                    "Exchange cannot express the recurrence part(s) " + p.keySet() + " of '" + rrule + "'");
        }
        if (freq == null) {
            throw new IllegalArgumentException("the recurrence rule '" + rrule + "' has no FREQ");
        }
        if (interval < 1 || interval > 999) {
            throw new IllegalArgumentException("INTERVAL must be 1-999 in '" + rrule + "'");
        }
        StringBuilder x = new StringBuilder("<t:Recurrence>");
        switch (freq) {
            case "DAILY" -> {
                if (byDay != null) {
                    if (interval != 1) {
                        throw new IllegalArgumentException(
                                "Exchange cannot repeat every " + interval + " days on chosen weekdays");
                    }
                    x.append("<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>")
                            .append(days(byDay, false))
                            .append("</t:DaysOfWeek></t:WeeklyRecurrence>");
                } else {
                    x.append("<t:DailyRecurrence><t:Interval>")
                            .append(interval)
                            .append("</t:Interval></t:DailyRecurrence>");
                }
                noMonthParts(byMonthDay, byMonth, setPos, rrule);
            }
            case "WEEKLY" -> {
                noMonthParts(byMonthDay, byMonth, setPos, rrule);
                String d = byDay != null ? days(byDay, false) : name(startDate.getDayOfWeek());
                x.append("<t:WeeklyRecurrence><t:Interval>")
                        .append(interval)
                        .append("</t:Interval><t:DaysOfWeek>")
                        .append(d)
                        .append("</t:DaysOfWeek><t:FirstDayOfWeek>")
                        .append(name(wkst == null ? DayOfWeek.MONDAY : day(wkst)))
                        .append("</t:FirstDayOfWeek></t:WeeklyRecurrence>");
            }
            case "MONTHLY" -> {
                if (byMonth != null) {
                    throw new IllegalArgumentException(
                            "Exchange cannot limit a monthly rule by BYMONTH: '" + rrule + "'");
                }
                if (byDay != null) {
                    String[] rel = relative(byDay, setPos, rrule);
                    x.append("<t:RelativeMonthlyRecurrence><t:Interval>")
                            .append(interval)
                            .append("</t:Interval><t:DaysOfWeek>")
                            .append(rel[0])
                            .append("</t:DaysOfWeek><t:DayOfWeekIndex>")
                            .append(rel[1])
                            .append("</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>");
                } else {
                    x.append("<t:AbsoluteMonthlyRecurrence><t:Interval>")
                            .append(interval)
                            .append("</t:Interval><t:DayOfMonth>")
                            .append(monthDay(byMonthDay, startDate, rrule))
                            .append("</t:DayOfMonth></t:AbsoluteMonthlyRecurrence>");
                }
            }
            case "YEARLY" -> {
                if (interval != 1) {
                    throw new IllegalArgumentException(
                            "Exchange repeats yearly rules every year only: '" + rrule + "'");
                }
                int m = byMonth == null ? startDate.getMonthValue() : Integer.parseInt(byMonth);
                String month = Month.of(m).getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
                if (byDay != null) {
                    String[] rel = relative(byDay, setPos, rrule);
                    x.append("<t:RelativeYearlyRecurrence><t:DaysOfWeek>")
                            .append(rel[0])
                            .append("</t:DaysOfWeek><t:DayOfWeekIndex>")
                            .append(rel[1])
                            .append("</t:DayOfWeekIndex><t:Month>")
                            .append(month)
                            .append("</t:Month></t:RelativeYearlyRecurrence>");
                } else {
                    x.append("<t:AbsoluteYearlyRecurrence><t:DayOfMonth>")
                            .append(monthDay(byMonthDay, startDate, rrule))
                            .append("</t:DayOfMonth><t:Month>")
                            .append(month)
                            .append("</t:Month></t:AbsoluteYearlyRecurrence>");
                }
            }
            default -> throw new IllegalArgumentException("Exchange cannot repeat " + freq + ": '" + rrule + "'");
        }
        if (count != null && until != null) {
            throw new IllegalArgumentException("a rule has COUNT or UNTIL, not both: '" + rrule + "'");
        }
        if (count != null) {
            x.append("<t:NumberedRecurrence><t:StartDate>")
                    .append(startDate)
                    .append("</t:StartDate><t:NumberOfOccurrences>")
                    .append(Integer.parseInt(count))
                    .append("</t:NumberOfOccurrences></t:NumberedRecurrence>");
        } else if (until != null) {
            x.append("<t:EndDateRecurrence><t:StartDate>")
                    .append(startDate)
                    .append("</t:StartDate><t:EndDate>")
                    .append(untilDate(until, zone))
                    .append("</t:EndDate></t:EndDateRecurrence>");
        } else {
            x.append("<t:NoEndRecurrence><t:StartDate>").append(startDate).append("</t:StartDate></t:NoEndRecurrence>");
        }
        return x.append("</t:Recurrence>").toString();
    }

    /**
     * The RRULE for an EWS pattern and range, for a series whose occurrences start at {@code startTime}
     * in {@code zone} ({@code allDay}: an UNTIL date instead of a UTC date-time).
     */
    public static String toRrule(Part pattern, Part range, ZoneId zone, LocalTime startTime, boolean allDay) {
        Map<String, String> v = pattern.values();
        String interval = v.getOrDefault("Interval", "1");
        StringBuilder r = new StringBuilder();
        switch (pattern.name()) {
            case "DailyRecurrence" -> r.append("FREQ=DAILY;INTERVAL=").append(interval);
            case "WeeklyRecurrence" -> {
                r.append("FREQ=WEEKLY;INTERVAL=")
                        .append(interval)
                        .append(";BYDAY=")
                        .append(byDay(req(v, "DaysOfWeek")));
                if (v.containsKey("FirstDayOfWeek")) {
                    r.append(";WKST=")
                            .append(abbrev(
                                    DayOfWeek.valueOf(v.get("FirstDayOfWeek").toUpperCase(Locale.ROOT))));
                }
            }
            case "AbsoluteMonthlyRecurrence" ->
                r.append("FREQ=MONTHLY;INTERVAL=")
                        .append(interval)
                        .append(";BYMONTHDAY=")
                        .append(Integer.parseInt(req(v, "DayOfMonth")));
            case "RelativeMonthlyRecurrence" ->
                r.append("FREQ=MONTHLY;INTERVAL=")
                        .append(interval)
                        .append(relativeRule(req(v, "DaysOfWeek"), req(v, "DayOfWeekIndex")));
            case "AbsoluteYearlyRecurrence" ->
                r.append("FREQ=YEARLY;BYMONTH=")
                        .append(month(req(v, "Month")))
                        .append(";BYMONTHDAY=")
                        .append(Integer.parseInt(req(v, "DayOfMonth")));
            case "RelativeYearlyRecurrence" ->
                r.append("FREQ=YEARLY;BYMONTH=")
                        .append(month(req(v, "Month")))
                        .append(relativeRule(req(v, "DaysOfWeek"), req(v, "DayOfWeekIndex")));
            default -> throw new IllegalArgumentException("unknown recurrence pattern " + pattern.name());
        }
        switch (range.name()) {
            case "NumberedRecurrence" ->
                r.append(";COUNT=").append(Integer.parseInt(req(range.values(), "NumberOfOccurrences")));
            case "EndDateRecurrence" -> {
                LocalDate end = LocalDate.parse(date(req(range.values(), "EndDate")));
                r.append(";UNTIL=")
                        .append(
                                allDay
                                        ? UNTIL_DATE.format(end)
                                        : UNTIL_UTC.format(end.atTime(startTime)
                                                .atZone(zone)
                                                .withZoneSameInstant(ZoneOffset.UTC)));
            }
            case "NoEndRecurrence" -> {
                // no end
            }
            default -> throw new IllegalArgumentException("unknown recurrence range " + range.name());
        }
        return r.toString().replaceAll(";INTERVAL=1(?=;|$)", "");
    }

    /** The date part of an EWS xs:date, which may carry a zone suffix ({@code 2031-01-06Z}, {@code 2031-01-06-05:00}). */
    public static String date(String s) {
        return s.length() > 10 ? s.substring(0, 10) : s;
    }

    /** Whether a pattern or range element name belongs to a Recurrence. */
    public static boolean isPattern(String name) {
        return name.endsWith("Recurrence") && !isRange(name);
    }

    public static boolean isRange(String name) {
        return name.equals("NoEndRecurrence") || name.equals("EndDateRecurrence") || name.equals("NumberedRecurrence");
    }

    private static String req(Map<String, String> v, String key) {
        String s = v.get(key);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("the recurrence lacks " + key);
        }
        return s.trim();
    }

    private static Map<String, String> parse(String rrule) {
        Map<String, String> m = new LinkedHashMap<>();
        String body = rrule.startsWith("RRULE:") ? rrule.substring(6) : rrule;
        for (String part : body.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("malformed recurrence rule part '" + part + "'");
            }
            m.put(
                    part.substring(0, eq).trim().toUpperCase(Locale.ROOT),
                    part.substring(eq + 1).trim().toUpperCase(Locale.ROOT));
        }
        return m;
    }

    private static void noMonthParts(String byMonthDay, String byMonth, String setPos, String rrule) {
        if (byMonthDay != null || byMonth != null || setPos != null) {
            throw new IllegalArgumentException(
                    "Exchange cannot combine this frequency with BYMONTHDAY/BYMONTH/BYSETPOS: '" + rrule + "'");
        }
    }

    private static String monthDay(String byMonthDay, LocalDate start, String rrule) {
        if (byMonthDay == null) {
            return Integer.toString(start.getDayOfMonth());
        }
        int d = Integer.parseInt(byMonthDay);
        if (d < 1 || d > 31) {
            throw new IllegalArgumentException("Exchange takes one BYMONTHDAY of 1-31: '" + rrule + "'");
        }
        return Integer.toString(d);
    }

    /** BYDAY with an ordinal (2MO, -1FR) or plain days with BYSETPOS: {days, index}. */
    private static String[] relative(String byDay, String setPos, String rrule) {
        String ordinal;
        String days;
        if (setPos != null) {
            ordinal = setPos;
            days = byDay;
        } else {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("^([+-]?\\d)([A-Z]{2})$").matcher(byDay);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "Exchange takes one weekday with one position per month: '" + rrule + "'");
            }
            ordinal = m.group(1);
            days = m.group(2);
        }
        int n = Integer.parseInt(ordinal.replace("+", ""));
        String index = n == -1 ? "Last" : n >= 1 && n <= 4 ? INDEX[n - 1] : null;
        if (index == null) {
            throw new IllegalArgumentException(
                    "Exchange takes the 1st-4th or last weekday of a month: '" + rrule + "'");
        }
        String d = days(days, true);
        return new String[] {d, index};
    }

    private static String days(String byDay, boolean allowGroups) {
        List<String> list = List.of(byDay.split(","));
        java.util.Set<String> set = new java.util.TreeSet<>(list);
        if (allowGroups && set.equals(new java.util.TreeSet<>(List.of("MO", "TU", "WE", "TH", "FR")))) {
            return "Weekday";
        }
        if (allowGroups && set.equals(new java.util.TreeSet<>(List.of("SA", "SU")))) {
            return "WeekendDay";
        }
        if (allowGroups && set.size() == 7) {
            return "Day";
        }
        if (allowGroups && list.size() != 1) {
            throw new IllegalArgumentException(
                    "Exchange takes one weekday (or Day, Weekday, WeekendDay) here: " + byDay);
        }
        List<String> out = new ArrayList<>();
        for (String d : list) {
            if (!d.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("Exchange cannot give a weekly day a position: " + d);
            }
            out.add(name(day(d)));
        }
        return String.join(" ", out);
    }

    private static String relativeRule(String days, String index) {
        String pos = switch (index) {
            case "First" -> "1";
            case "Second" -> "2";
            case "Third" -> "3";
            case "Fourth" -> "4";
            case "Last" -> "-1";
            default -> throw new IllegalArgumentException("unknown DayOfWeekIndex " + index);
        };
        return switch (days) {
            case "Day" -> ";BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=" + pos;
            case "Weekday" -> ";BYDAY=MO,TU,WE,TH,FR;BYSETPOS=" + pos;
            case "WeekendDay" -> ";BYDAY=SA,SU;BYSETPOS=" + pos;
            default -> ";BYDAY=" + pos + abbrev(DayOfWeek.valueOf(days.toUpperCase(Locale.ROOT)));
        };
    }

    private static String byDay(String ewsDays) {
        List<String> out = new ArrayList<>();
        for (String d : ewsDays.trim().split("\\s+")) {
            switch (d) {
                case "Day" -> out.addAll(List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU"));
                case "Weekday" -> out.addAll(List.of("MO", "TU", "WE", "TH", "FR"));
                case "WeekendDay" -> out.addAll(List.of("SA", "SU"));
                default -> out.add(abbrev(DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT))));
            }
        }
        return String.join(",", out);
    }

    private static int month(String name) {
        return Month.valueOf(name.toUpperCase(Locale.ROOT)).getValue();
    }

    private static DayOfWeek day(String abbrev) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (abbrev(d).equals(abbrev)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown weekday " + abbrev);
    }

    private static String abbrev(DayOfWeek d) {
        return d.name().substring(0, 2);
    }

    private static String name(DayOfWeek d) {
        return d.getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
    }

    private static String untilDate(String until, ZoneId zone) {
        if (until.length() == 8) {
            return LocalDate.parse(until, UNTIL_DATE).toString();
        }
        if (until.endsWith("Z")) {
            return java.time.LocalDateTime.parse(until, UNTIL_UTC)
                    .atOffset(ZoneOffset.UTC)
                    .atZoneSameInstant(zone)
                    .toLocalDate()
                    .toString();
        }
        return java.time.LocalDateTime.parse(until, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
                .toLocalDate()
                .toString();
    }
}
