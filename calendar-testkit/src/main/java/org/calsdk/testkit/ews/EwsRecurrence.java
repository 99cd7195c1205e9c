package org.calsdk.testkit.ews;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.WeekDay;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * The fake's own reading and writing of the EWS {@code Recurrence} element, kept apart from the provider's
 * translator so that the official client's test against the fake checks the dialect, not one piece of code
 * against itself. RRULEs are read with ical4j's {@link Recur}; the element's pattern (Daily, Weekly,
 * Absolute/RelativeMonthly, Absolute/RelativeYearly) and range (NoEnd, EndDate, Numbered) follow the EWS
 * schema. A rule EWS cannot hold is an {@link IllegalArgumentException}.
 */
final class EwsRecurrence {
    private static final DateTimeFormatter UNTIL_UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String[] INDEX = {"First", "Second", "Third", "Fourth"};
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    private static final Set<DayOfWeek> WEEKEND = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    private EwsRecurrence() {}

    static boolean isRange(String name) {
        return Set.of("NoEndRecurrence", "EndDateRecurrence", "NumberedRecurrence")
                .contains(name);
    }

    static boolean isPattern(String name) {
        return name.endsWith("Recurrence") && !isRange(name);
    }

    /** The RRULE of a pattern and range element (their children's texts), for a series starting at {@code start} in {@code zone}. */
    static String rrule(
            String pattern,
            Map<String, String> p,
            String range,
            Map<String, String> r,
            ZoneId zone,
            LocalTime start,
            boolean allDay) {
        List<String> parts = new ArrayList<>();
        String interval = p.getOrDefault("Interval", "1");
        switch (pattern) {
            case "DailyRecurrence" -> parts.add("FREQ=DAILY;INTERVAL=" + interval);
            case "WeeklyRecurrence" -> {
                parts.add("FREQ=WEEKLY;INTERVAL=" + interval + ";BYDAY=" + codes(days(need(p, "DaysOfWeek"))));
                if (p.containsKey("FirstDayOfWeek")) {
                    parts.add("WKST="
                            + code(DayOfWeek.valueOf(p.get("FirstDayOfWeek").toUpperCase(Locale.ROOT))));
                }
            }
            case "AbsoluteMonthlyRecurrence" ->
                parts.add("FREQ=MONTHLY;INTERVAL=" + interval + ";BYMONTHDAY=" + need(p, "DayOfMonth"));
            case "RelativeMonthlyRecurrence" -> parts.add("FREQ=MONTHLY;INTERVAL=" + interval + relative(p));
            case "AbsoluteYearlyRecurrence" ->
                parts.add("FREQ=YEARLY;BYMONTH=" + month(need(p, "Month")) + ";BYMONTHDAY=" + need(p, "DayOfMonth"));
            case "RelativeYearlyRecurrence" ->
                parts.add("FREQ=YEARLY;BYMONTH=" + month(need(p, "Month")) + relative(p));
            default -> throw new IllegalArgumentException("no such recurrence pattern: " + pattern);
        }
        switch (range) {
            case "NumberedRecurrence" -> parts.add("COUNT=" + Integer.parseInt(need(r, "NumberOfOccurrences")));
            case "EndDateRecurrence" -> {
                LocalDate end = LocalDate.parse(need(r, "EndDate").substring(0, 10));
                parts.add("UNTIL="
                        + (allDay
                                ? DateTimeFormatter.BASIC_ISO_DATE.format(end)
                                : UNTIL_UTC.format(
                                        end.atTime(start).atZone(zone).withZoneSameInstant(ZoneOffset.UTC))));
            }
            case "NoEndRecurrence" -> {}
            default -> throw new IllegalArgumentException("no such recurrence range: " + range);
        }
        return String.join(";", parts);
    }

    /** The {@code <t:Recurrence>} element of {@code rrule} for a series starting on {@code start}. */
    static String xml(String rrule, LocalDate start, ZoneId zone) {
        Recur<Temporal> recur = new Recur<>(rrule.startsWith("RRULE:") ? rrule.substring(6) : rrule);
        int interval = Math.max(1, recur.getInterval());
        List<WeekDay> byDay = recur.getDayList();
        int monthDay = recur.getMonthDayList().isEmpty()
                ? start.getDayOfMonth()
                : recur.getMonthDayList().get(0);
        int month = recur.getMonthList().isEmpty()
                ? start.getMonthValue()
                : recur.getMonthList().get(0).getMonthOfYear();
        StringBuilder x = new StringBuilder("<t:Recurrence>");
        Frequency f = recur.getFrequency();
        if (f == Frequency.DAILY && byDay.isEmpty()) {
            x.append("<t:DailyRecurrence><t:Interval>").append(interval).append("</t:Interval></t:DailyRecurrence>");
        } else if (f == Frequency.DAILY || f == Frequency.WEEKLY) {
            List<String> names = new ArrayList<>();
            for (WeekDay d : byDay.isEmpty() ? List.of(WeekDay.getWeekDay(start.getDayOfWeek())) : byDay) {
                names.add(name(WeekDay.getDayOfWeek(d)));
            }
            WeekDay wkst = recur.getWeekStartDay();
            x.append("<t:WeeklyRecurrence><t:Interval>")
                    .append(interval)
                    .append("</t:Interval><t:DaysOfWeek>")
                    .append(String.join(" ", names))
                    .append("</t:DaysOfWeek><t:FirstDayOfWeek>")
                    .append(name(wkst == null ? DayOfWeek.MONDAY : WeekDay.getDayOfWeek(wkst)))
                    .append("</t:FirstDayOfWeek></t:WeeklyRecurrence>");
        } else if (f == Frequency.MONTHLY || f == Frequency.YEARLY) {
            String kind = (byDay.isEmpty() ? "Absolute" : "Relative") + (f == Frequency.MONTHLY ? "Monthly" : "Yearly")
                    + "Recurrence";
            x.append("<t:").append(kind).append('>');
            if (f == Frequency.MONTHLY) {
                x.append("<t:Interval>").append(interval).append("</t:Interval>");
            }
            if (byDay.isEmpty()) {
                x.append("<t:DayOfMonth>").append(monthDay).append("</t:DayOfMonth>");
            } else {
                int pos = byDay.size() == 1 && byDay.get(0).getOffset() != 0
                        ? byDay.get(0).getOffset()
                        : recur.getSetPosList().isEmpty()
                                ? 0
                                : recur.getSetPosList().get(0);
                x.append("<t:DaysOfWeek>")
                        .append(group(byDay))
                        .append("</t:DaysOfWeek><t:DayOfWeekIndex>")
                        .append(pos == -1 ? "Last" : pos >= 1 && pos <= 4 ? INDEX[pos - 1] : bad(rrule))
                        .append("</t:DayOfWeekIndex>");
            }
            if (f == Frequency.YEARLY) {
                x.append("<t:Month>")
                        .append(Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                        .append("</t:Month>");
            }
            x.append("</t:").append(kind).append('>');
        } else {
            bad(rrule);
        }
        if (recur.getCount() > 0) {
            x.append("<t:NumberedRecurrence><t:StartDate>")
                    .append(start)
                    .append("</t:StartDate><t:NumberOfOccurrences>")
                    .append(recur.getCount())
                    .append("</t:NumberOfOccurrences></t:NumberedRecurrence>");
        } else if (recur.getUntil() != null) {
            Temporal u = recur.getUntil();
            LocalDate end = u instanceof LocalDate d
                    ? d
                    : u instanceof LocalDateTime t
                            ? t.toLocalDate()
                            : java.time.Instant.from(u).atZone(zone).toLocalDate();
            x.append("<t:EndDateRecurrence><t:StartDate>")
                    .append(start)
                    .append("</t:StartDate><t:EndDate>")
                    .append(end)
                    .append("</t:EndDate></t:EndDateRecurrence>");
        } else {
            x.append("<t:NoEndRecurrence><t:StartDate>").append(start).append("</t:StartDate></t:NoEndRecurrence>");
        }
        return x.append("</t:Recurrence>").toString();
    }

    private static String bad(String rrule) {
        throw new IllegalArgumentException("EWS has no Recurrence for '" + rrule + "'");
    }

    private static String need(Map<String, String> v, String key) {
        String s = v.get(key);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("the recurrence has no " + key);
        }
        return s.trim();
    }

    /** EWS DaysOfWeek (names, or Day / Weekday / WeekendDay) as days. */
    private static List<DayOfWeek> days(String ews) {
        List<DayOfWeek> out = new ArrayList<>();
        for (String d : ews.trim().split("\\s+")) {
            switch (d) {
                case "Day" -> out.addAll(EnumSet.allOf(DayOfWeek.class));
                case "Weekday" -> out.addAll(WEEKDAYS);
                case "WeekendDay" -> out.addAll(WEEKEND);
                default -> out.add(DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT)));
            }
        }
        return out;
    }

    private static String relative(Map<String, String> p) {
        List<DayOfWeek> ds = days(need(p, "DaysOfWeek"));
        String index = need(p, "DayOfWeekIndex");
        int pos = index.equals("Last") ? -1 : List.of(INDEX).indexOf(index) + 1;
        if (pos == 0) {
            throw new IllegalArgumentException("no such DayOfWeekIndex: " + index);
        }
        return ds.size() == 1 ? ";BYDAY=" + pos + code(ds.get(0)) : ";BYDAY=" + codes(ds) + ";BYSETPOS=" + pos;
    }

    private static String group(List<WeekDay> byDay) {
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        byDay.forEach(d -> set.add(WeekDay.getDayOfWeek(d)));
        if (set.size() == 7) {
            return "Day";
        }
        if (set.equals(WEEKDAYS)) {
            return "Weekday";
        }
        if (set.equals(WEEKEND)) {
            return "WeekendDay";
        }
        if (set.size() != 1) {
            throw new IllegalArgumentException("EWS takes one weekday, Day, Weekday or WeekendDay here: " + byDay);
        }
        return name(set.iterator().next());
    }

    private static String codes(List<DayOfWeek> ds) {
        List<String> out = new ArrayList<>();
        ds.forEach(d -> out.add(code(d)));
        return String.join(",", out);
    }

    private static String code(DayOfWeek d) {
        return d.name().substring(0, 2);
    }

    private static String name(DayOfWeek d) {
        return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private static int month(String name) {
        return Month.valueOf(name.toUpperCase(Locale.ROOT)).getValue();
    }
}
