package org.calsdk.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Graph's {@code patternedRecurrence} read as an RFC 5545 RRULE, so that the fake can expand a series with
 * the core's {@link org.calsdk.ical.Recurrences}. Only the direction the fake needs (Graph to RRULE).
 */
final class FakePatterns {
    private FakePatterns() {}

    /** The RRULE for {@code recurrence} ({@code pattern} and {@code range}); the series starts at {@code start}. */
    static String toRule(JsonNode recurrence, LocalDate start) {
        JsonNode p = recurrence.path("pattern");
        JsonNode r = recurrence.path("range");
        String type = p.path("type").asText("");
        int interval = Math.max(1, p.path("interval").asInt(1));
        StringBuilder s = new StringBuilder();
        switch (type) {
            case "daily" -> s.append("FREQ=DAILY");
            case "weekly" ->
                s.append("FREQ=WEEKLY;BYDAY=")
                        .append(days(p))
                        .append(";WKST=")
                        .append(day(p.path("firstDayOfWeek").asText("sunday")));
            case "absoluteMonthly" ->
                s.append("FREQ=MONTHLY;BYMONTHDAY=").append(p.path("dayOfMonth").asInt());
            case "relativeMonthly" ->
                s.append("FREQ=MONTHLY;BYDAY=")
                        .append(days(p))
                        .append(";BYSETPOS=")
                        .append(index(p));
            case "absoluteYearly" ->
                s.append("FREQ=YEARLY;BYMONTH=")
                        .append(p.path("month").asInt())
                        .append(";BYMONTHDAY=")
                        .append(p.path("dayOfMonth").asInt());
            case "relativeYearly" ->
                s.append("FREQ=YEARLY;BYMONTH=")
                        .append(p.path("month").asInt())
                        .append(";BYDAY=")
                        .append(days(p))
                        .append(";BYSETPOS=")
                        .append(index(p));
            default -> throw new IllegalArgumentException("unknown recurrence pattern type '" + type + "'");
        }
        if (interval > 1) {
            s.append(";INTERVAL=").append(interval);
        }
        switch (r.path("type").asText("noEnd")) {
            case "numbered" ->
                s.append(";COUNT=")
                        .append(Math.max(1, r.path("numberOfOccurrences").asInt(1)));
            case "endDate" ->
                s.append(";UNTIL=")
                        .append(LocalDate.parse(r.path("endDate").asText())
                                .toString()
                                .replace("-", ""))
                        .append("T235959Z");
            default -> {}
        }
        return s.toString();
    }

    private static String days(JsonNode p) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : p.path("daysOfWeek")) {
            out.add(day(d.asText()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the pattern needs daysOfWeek");
        }
        return String.join(",", out);
    }

    private static String day(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "monday" -> "MO";
            case "tuesday" -> "TU";
            case "wednesday" -> "WE";
            case "thursday" -> "TH";
            case "friday" -> "FR";
            case "saturday" -> "SA";
            case "sunday" -> "SU";
            default -> throw new IllegalArgumentException("unknown day of week '" + name + "'");
        };
    }

    private static int index(JsonNode p) {
        return switch (p.path("index").asText("first")) {
            case "first" -> 1;
            case "second" -> 2;
            case "third" -> 3;
            case "fourth" -> 4;
            case "last" -> -1;
            default ->
                throw new IllegalArgumentException(
                        "unknown week index '" + p.path("index").asText() + "'");
        };
    }
}
