package org.calsdk.graph.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;

/**
 * RFC 5545 RRULEs and Graph's {@code patternedRecurrence}, both ways. Graph expresses daily, weekly,
 * (absolute or relative) monthly and yearly patterns with an end date, a count or no end; a rule outside
 * that (BYHOUR, several BYMONTHDAYs, FREQ=HOURLY, ...) is refused with {@link InvalidInputException}
 * rather than written approximately.
 */
public final class Patterns {
    private static final DateTimeFormatter UNTIL_UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String[] INDEX = {"first", "second", "third", "fourth"};

    private Patterns() {}

    /** The Graph recurrence for {@code rule}, a series starting on {@code start} in {@code zone} (named {@code zoneName}). */
    public static Map<String, Object> toGraph(String rule, LocalDate start, ZoneId zone, String zoneName) {
        Map<String, String> p = parts(rule);
        String freq = p.getOrDefault("FREQ", "");
        int interval = p.containsKey("INTERVAL") ? positive(p.get("INTERVAL"), rule) : 1;
        for (String k : p.keySet()) {
            if (!List.of("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST")
                    .contains(k)) {
                throw unsupported(rule, k);
            }
        }
        Map<String, Object> pattern = new LinkedHashMap<>();
        String byDay = p.get("BYDAY");
        switch (freq) {
            case "DAILY" -> {
                if (byDay != null || p.containsKey("BYMONTHDAY") || p.containsKey("BYMONTH")) {
                    throw unsupported(rule, "BY* with FREQ=DAILY");
                }
                pattern.put("type", "daily");
            }
            case "WEEKLY" -> {
                pattern.put("type", "weekly");
                List<String> days = new ArrayList<>();
                if (byDay == null) {
                    days.add(dayName(start.getDayOfWeek()));
                } else {
                    for (String d : byDay.split(",")) {
                        if (d.length() != 2) {
                            throw unsupported(rule, "BYDAY with ordinals in a weekly rule");
                        }
                        days.add(dayName(day(d, rule)));
                    }
                }
                pattern.put("daysOfWeek", days);
                pattern.put(
                        "firstDayOfWeek", dayName(p.containsKey("WKST") ? day(p.get("WKST"), rule) : DayOfWeek.MONDAY));
            }
            case "MONTHLY", "YEARLY" -> {
                boolean yearly = freq.equals("YEARLY");
                if (yearly) {
                    pattern.put(
                            "month",
                            p.containsKey("BYMONTH") ? positive(p.get("BYMONTH"), rule) : start.getMonthValue());
                }
                if (byDay == null) {
                    pattern.put("type", yearly ? "absoluteYearly" : "absoluteMonthly");
                    pattern.put(
                            "dayOfMonth",
                            p.containsKey("BYMONTHDAY") ? positive(p.get("BYMONTHDAY"), rule) : start.getDayOfMonth());
                } else {
                    if (p.containsKey("BYMONTHDAY") || byDay.contains(",")) {
                        throw unsupported(rule, "several days in a monthly or yearly rule");
                    }
                    int ordinal;
                    String d;
                    if (p.containsKey("BYSETPOS")) {
                        ordinal = Integer.parseInt(p.get("BYSETPOS"));
                        d = byDay;
                    } else {
                        ordinal = Integer.parseInt(
                                byDay.substring(0, byDay.length() - 2).replace("+", ""));
                        d = byDay.substring(byDay.length() - 2);
                    }
                    pattern.put("type", yearly ? "relativeYearly" : "relativeMonthly");
                    pattern.put("daysOfWeek", List.of(dayName(day(d, rule))));
                    pattern.put(
                            "index", ordinal == -1 ? "last" : ordinal >= 1 && ordinal <= 4 ? INDEX[ordinal - 1] : null);
                    if (pattern.get("index") == null) {
                        throw unsupported(rule, "week ordinal " + ordinal);
                    }
                }
            }
            default -> throw unsupported(rule, "FREQ=" + freq);
        }
        pattern.put("interval", interval);
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("startDate", start.toString());
        range.put("recurrenceTimeZone", zoneName);
        if (p.containsKey("COUNT")) {
            range.put("type", "numbered");
            range.put("numberOfOccurrences", positive(p.get("COUNT"), rule));
        } else if (p.containsKey("UNTIL")) {
            range.put("type", "endDate");
            range.put("endDate", untilDate(p.get("UNTIL"), zone, rule).toString());
        } else {
            range.put("type", "noEnd");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pattern", pattern);
        out.put("range", range);
        return out;
    }

    /** The RRULE for a Graph recurrence of a series in {@code zone}; all-day series end with a DATE UNTIL. */
    public static String toRule(Map<String, Object> recurrence, ZoneId zone, boolean allDay) {
        Map<String, Object> p = Json.obj(recurrence, "pattern");
        Map<String, Object> r = Json.obj(recurrence, "range");
        String type = String.valueOf(Json.str(p, "type"));
        StringBuilder s = new StringBuilder();
        switch (type) {
            case "daily" -> s.append("FREQ=DAILY");
            case "weekly" ->
                s.append("FREQ=WEEKLY;BYDAY=")
                        .append(days(p))
                        .append(";WKST=")
                        .append(abbrev(
                                Json.str(p, "firstDayOfWeek") == null ? "sunday" : Json.str(p, "firstDayOfWeek")));
            case "absoluteMonthly" -> s.append("FREQ=MONTHLY;BYMONTHDAY=").append(Json.number(p, "dayOfMonth", 1));
            case "relativeMonthly" ->
                s.append("FREQ=MONTHLY;BYDAY=")
                        .append(days(p))
                        .append(";BYSETPOS=")
                        .append(index(p));
            case "absoluteYearly" ->
                s.append("FREQ=YEARLY;BYMONTH=")
                        .append(Json.number(p, "month", 1))
                        .append(";BYMONTHDAY=")
                        .append(Json.number(p, "dayOfMonth", 1));
            case "relativeYearly" ->
                s.append("FREQ=YEARLY;BYMONTH=")
                        .append(Json.number(p, "month", 1))
                        .append(";BYDAY=")
                        .append(days(p))
                        .append(";BYSETPOS=")
                        .append(index(p));
            default ->
                throw new MalformedDataException("Graph sent a recurrence pattern of unknown type '" + type + "'");
        }
        long interval = Json.number(p, "interval", 1);
        if (interval > 1) {
            s.append(";INTERVAL=").append(interval);
        }
        String rangeType = Json.str(r, "type") == null ? "noEnd" : Json.str(r, "type");
        if (rangeType.equals("numbered")) {
            s.append(";COUNT=").append(Math.max(1, Json.number(r, "numberOfOccurrences", 1)));
        } else if (rangeType.equals("endDate") && Json.str(r, "endDate") != null) {
            LocalDate end = LocalDate.parse(Json.str(r, "endDate"));
            if (allDay) {
                s.append(";UNTIL=").append(end.toString().replace("-", ""));
            } else {
                LocalDateTime last = end.plusDays(1).atStartOfDay().minusSeconds(1);
                s.append(";UNTIL=").append(UNTIL_UTC.format(last.atZone(zone).withZoneSameInstant(ZoneOffset.UTC)));
            }
        }
        return s.toString();
    }

    private static String days(Map<String, Object> p) {
        List<String> out = new ArrayList<>();
        for (String d : Json.strings(p, "daysOfWeek")) {
            out.add(abbrev(d));
        }
        if (out.isEmpty()) {
            throw new MalformedDataException("Graph sent a recurrence pattern without daysOfWeek");
        }
        return String.join(",", out);
    }

    private static int index(Map<String, Object> p) {
        String i = Json.str(p, "index") == null ? "first" : Json.str(p, "index");
        return switch (i) {
            case "first" -> 1;
            case "second" -> 2;
            case "third" -> 3;
            case "fourth" -> 4;
            case "last" -> -1;
            default -> throw new MalformedDataException("Graph sent an unknown week index '" + i + "'");
        };
    }

    private static String abbrev(String day) {
        try {
            return DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT)).name().substring(0, 2);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("Graph sent an unknown day of week '" + day + "'");
        }
    }

    private static String dayName(DayOfWeek d) {
        return d.name().toLowerCase(Locale.ROOT);
    }

    private static DayOfWeek day(String two, String rule) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(two.toUpperCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new InvalidInputException("recurrence", "unknown day '" + two + "' in RRULE " + rule);
    }

    private static LocalDate untilDate(String until, ZoneId zone, String rule) {
        try {
            if (until.length() == 8) {
                return LocalDate.parse(until, DateTimeFormatter.BASIC_ISO_DATE);
            }
            if (until.endsWith("Z")) {
                return LocalDateTime.parse(until, UNTIL_UTC)
                        .atZone(ZoneOffset.UTC)
                        .withZoneSameInstant(zone)
                        .toLocalDate();
            }
            return LocalDateTime.parse(until, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
                    .toLocalDate();
        } catch (RuntimeException e) {
            throw new InvalidInputException(
                    "recurrence", "UNTIL '" + until + "' is not a date or date-time in RRULE " + rule);
        }
    }

    private static int positive(String v, String rule) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new InvalidInputException("recurrence", "'" + v + "' is not a positive number in RRULE " + rule);
    }

    private static Map<String, String> parts(String rule) {
        Map<String, String> out = new LinkedHashMap<>();
        String r = rule.startsWith("RRULE:") ? rule.substring(6) : rule;
        for (String part : r.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("recurrence", "malformed RRULE part '" + part + "' in " + rule);
            }
            out.put(
                    part.substring(0, eq).toUpperCase(Locale.ROOT),
                    part.substring(eq + 1).toUpperCase(Locale.ROOT));
        }
        return out;
    }

    private static InvalidInputException unsupported(String rule, String what) {
        return new InvalidInputException(
                "recurrence",
                "Microsoft Graph cannot express the RRULE " + rule + " (" + what
                        + "); use daily, weekly, monthly or yearly rules with an interval, count or end date");
    }
}
