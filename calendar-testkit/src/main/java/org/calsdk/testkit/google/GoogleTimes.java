package org.calsdk.testkit.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Transparency;

/**
 * The fake's reading of Google's event times and recurrence lines into the core model, so that it can
 * expand series ({@code singleEvents}, {@code instances}, {@code freeBusy}) with the core's
 * {@link org.calsdk.ical.Recurrences}. Recurrence lines (RRULE, RDATE, EXDATE) are read by the core's
 * iCalendar parser, so the fake and the SDK agree on what a line means.
 */
final class GoogleTimes {
    private static final DateTimeFormatter BASIC_UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private GoogleTimes() {}

    /** The start or end of an event ({@code {"date": ...}} or {@code {"dateTime": ..., "timeZone": ...}}). */
    static EventTime time(JsonNode t, String field) {
        if (t == null || !t.isObject()) {
            throw new GoogleError(400, "required", "Missing " + field + ".");
        }
        try {
            if (t.hasNonNull("date")) {
                return EventTime.allDay(LocalDate.parse(t.get("date").asText()));
            }
            if (!t.hasNonNull("dateTime")) {
                throw new GoogleError(400, "required", "Missing " + field + ".dateTime or " + field + ".date.");
            }
            String dt = t.get("dateTime").asText();
            String zone = t.hasNonNull("timeZone") ? t.get("timeZone").asText() : null;
            if (!hasOffset(dt)) {
                if (zone == null) {
                    throw new GoogleError(400, "timeZoneRequired", "Missing time zone definition for " + field + ".");
                }
                return EventTime.of(java.time.LocalDateTime.parse(dt).atZone(ZoneId.of(zone)));
            }
            Instant at = OffsetDateTime.parse(dt).toInstant();
            return EventTime.of(
                    at.atZone(zone == null ? OffsetDateTime.parse(dt).getOffset() : ZoneId.of(zone)));
        } catch (java.time.DateTimeException e) {
            throw new GoogleError(400, "invalid", "Invalid " + field + " value.");
        }
    }

    private static boolean hasOffset(String dt) {
        return dt.endsWith("Z") || dt.matches(".*[+-]\\d\\d:\\d\\d$");
    }

    /** Google's JSON for a time: {@code date} for all-day, else {@code dateTime} with offset and {@code timeZone}. */
    static ObjectNode json(EventTime t) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (t instanceof EventTime.AllDay d) {
            n.put("date", d.date().toString());
        } else if (t instanceof EventTime.Zoned z) {
            n.put("dateTime", z.dateTime().toOffsetDateTime().toString());
            n.put("timeZone", z.isUtc() ? "UTC" : z.zone().getId());
        } else {
            n.put(
                    "dateTime",
                    ((EventTime.Floating) t).dateTime().atOffset(ZoneOffset.UTC).toString());
            n.put("timeZone", "UTC");
        }
        return n;
    }

    /** The instance id suffix Google uses for an occurrence whose original start is {@code t}. */
    static String instanceSuffix(EventTime t) {
        if (t instanceof EventTime.AllDay d) {
            return d.date().format(BASIC_DATE);
        }
        return BASIC_UTC.format(t.toInstant(ZoneOffset.UTC));
    }

    /** The master as a core event (times, recurrence, status, transparency), for expansion. */
    static Event toCore(ObjectNode e) {
        EventTime start = time(e.get("start"), "start");
        EventTime end = time(e.get("end"), "end");
        Event.Builder b = Event.builder()
                .id(e.path("id").asText(null))
                .start(start)
                .end(end)
                .summary(e.path("summary").asText(""))
                .status(status(e.path("status").asText("confirmed")))
                .transparency(
                        "transparent".equals(e.path("transparency").asText())
                                ? Transparency.TRANSPARENT
                                : Transparency.OPAQUE);
        Event base = b.build();
        JsonNode rec = e.get("recurrence");
        if (rec == null || !rec.isArray() || rec.isEmpty()) {
            return base;
        }
        List<String> lines = new ArrayList<>();
        rec.forEach(l -> lines.add(l.asText()));
        return withRecurrence(base, lines);
    }

    /** {@code base} with the recurrence of {@code lines} (RRULE/RDATE/EXDATE property lines), read by the core parser. */
    static Event withRecurrence(Event base, List<String> lines) {
        String ics = ICalendar.write(base.toBuilder().uid("fake-expansion").build());
        int at = ics.lastIndexOf("END:VEVENT");
        StringBuilder sb = new StringBuilder(ics.substring(0, at));
        for (String l : lines) {
            String line = l.strip();
            if (!line.matches("(?i)(RRULE|RDATE|EXDATE|EXRULE)[;:].*")) {
                throw new GoogleError(400, "invalid", "Invalid recurrence rule.");
            }
            sb.append(line).append("\r\n");
        }
        sb.append(ics.substring(at));
        try {
            List<Event> parsed = ICalendar.parse(sb.toString());
            return base.toBuilder()
                    .recurrence(parsed.get(0).recurrence().orElse(null))
                    .build();
        } catch (org.calsdk.errors.CalendarException ex) {
            throw new GoogleError(400, "invalid", "Invalid recurrence rule.");
        }
    }

    static EventStatus status(String s) {
        return switch (s) {
            case "tentative" -> EventStatus.TENTATIVE;
            case "cancelled" -> EventStatus.CANCELLED;
            default -> EventStatus.CONFIRMED;
        };
    }

    /** RFC 3339 of an instant, as Google writes {@code updated}. */
    static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}
