package org.calsdk.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Transparency;
import org.calsdk.tz.TimeZones;

/**
 * Reads the events the fake stores (Graph JSON) as the core model for expansion, and renders instances
 * (single, series master, occurrence, exception) back as Graph JSON in the zone the client asked for.
 */
final class GraphEvents {
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");

    private GraphEvents() {}

    /** A zone as the client named it (Windows or IANA), with the name to echo. */
    record Zone(ZoneId id, String name) {
        static final Zone UTC = new Zone(ZoneOffset.UTC, "UTC");

        static Zone of(String name) {
            if (name == null || name.isBlank() || name.equalsIgnoreCase("UTC")) {
                return UTC;
            }
            return new Zone(TimeZones.resolve(name), name);
        }
    }

    /**
     * The body with every property name in camelCase: Graph matches names without regard to case, and the
     * official SDK writes action parameters in PascalCase ({@code "Schedules"}, {@code "StartTime"}).
     */
    static JsonNode camel(JsonNode n) {
        if (n instanceof ObjectNode o) {
            ObjectNode out = FakeGraphServer.JSON.createObjectNode();
            o.fields().forEachRemaining(f -> {
                String k = f.getKey();
                String name = !k.isEmpty() && Character.isUpperCase(k.charAt(0))
                        ? Character.toLowerCase(k.charAt(0)) + k.substring(1)
                        : k;
                out.set(name, camel(f.getValue()));
            });
            return out;
        }
        if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            com.fasterxml.jackson.databind.node.ArrayNode out = FakeGraphServer.JSON.createArrayNode();
            a.forEach(x -> out.add(camel(x)));
            return out;
        }
        return n;
    }

    /** The output zone a request asked for with {@code Prefer: outlook.timezone="…"} (UTC when absent). */
    static Zone preferredZone(List<String> preferHeaders) {
        for (String h : preferHeaders) {
            for (String part : h.split(",")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "outlook.timezone=", 0, 17)) {
                    return Zone.of(p.substring(17).replace("\"", "").strip());
                }
            }
        }
        return Zone.UTC;
    }

    /** The page size a request asked for with {@code Prefer: odata.maxpagesize=N}, or {@code fallback}. */
    static int maxPageSize(List<String> preferHeaders, int fallback) {
        for (String h : preferHeaders) {
            for (String part : h.split(",")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "odata.maxpagesize=", 0, 18)) {
                    try {
                        return Math.max(
                                1,
                                Math.min(1000, Integer.parseInt(p.substring(18).strip())));
                    } catch (NumberFormatException e) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }

    static LocalDateTime localTime(String graphDateTime) {
        String s = graphDateTime.strip().replaceFirst("(Z|[+-]\\d{2}:\\d{2})$", "");
        return LocalDateTime.parse(s);
    }

    /** A {@code dateTimeTimeZone} as an instant. */
    static Instant instant(JsonNode dtz) {
        Zone z = Zone.of(dtz.path("timeZone").asText(null));
        return localTime(dtz.path("dateTime").asText()).atZone(z.id()).toInstant();
    }

    /** A query parameter such as {@code startDateTime} (with or without offset; UTC when none). */
    static Instant queryInstant(String value) {
        String v = value.strip();
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return LocalDateTime.parse(v.endsWith("Z") ? v.substring(0, v.length() - 1) : v)
                    .toInstant(ZoneOffset.UTC);
        }
    }

    static ObjectNode dateTime(Instant t, Zone out) {
        ObjectNode n = FakeGraphServer.JSON.createObjectNode();
        n.put("dateTime", GRAPH_TIME.format(LocalDateTime.ofInstant(t, out.id())));
        n.put("timeZone", out.name());
        return n;
    }

    /** The event zone (the zone its start was written in). */
    static Zone eventZone(ObjectNode json) {
        return Zone.of(json.path("start").path("timeZone").asText(null));
    }

    /** The stored event as the core model: times, recurrence with cancelled occurrences, exceptions as overrides. */
    static Event model(GraphStore.Stored s) {
        Event.Builder b = base(s.json, eventZone(s.json));
        if (s.json.hasNonNull("recurrence")) {
            Zone zone = eventZone(s.json);
            LocalDate first =
                    localTime(s.json.path("start").path("dateTime").asText()).toLocalDate();
            String rule = FakePatterns.toRule(s.json.get("recurrence"), first);
            List<EventTime> ex = new ArrayList<>();
            for (Instant c : s.cancelled) {
                ex.add(originalTime(s.json, c, zone));
            }
            b.recurrence(new Recurrence(List.of(rule), List.of(), ex));
            List<Event> overrides = new ArrayList<>();
            for (Map.Entry<Instant, ObjectNode> e : s.exceptions.entrySet()) {
                overrides.add(base(e.getValue(), zone)
                        .recurrenceId(originalTime(s.json, e.getKey(), zone))
                        .build());
            }
            b.overrides(overrides);
        }
        return b.build();
    }

    private static EventTime originalTime(ObjectNode master, Instant t, Zone zone) {
        if (master.path("isAllDay").asBoolean(false)) {
            return EventTime.allDay(LocalDateTime.ofInstant(t, zone.id()).toLocalDate());
        }
        return EventTime.of(t.atZone(zone.id()));
    }

    private static Event.Builder base(JsonNode json, Zone masterZone) {
        Zone zone = json.path("start").hasNonNull("timeZone")
                ? Zone.of(json.path("start").path("timeZone").asText())
                : masterZone;
        Zone endZone = json.path("end").hasNonNull("timeZone")
                ? Zone.of(json.path("end").path("timeZone").asText())
                : zone;
        LocalDateTime start = localTime(json.path("start").path("dateTime").asText());
        LocalDateTime end = localTime(json.path("end").path("dateTime").asText());
        Event.Builder b = Event.builder().summary(json.path("subject").asText(""));
        if (json.path("isAllDay").asBoolean(false)) {
            b.time(EventTime.allDay(start.toLocalDate()), EventTime.allDay(end.toLocalDate()));
        } else {
            b.time(EventTime.of(start.atZone(zone.id())), EventTime.of(end.atZone(endZone.id())));
        }
        String showAs = json.path("showAs").asText("busy");
        if (showAs.equals("free")) {
            b.transparency(Transparency.TRANSPARENT);
        }
        if (json.path("isCancelled").asBoolean(false)) {
            b.status(EventStatus.CANCELLED);
        }
        return b;
    }

    /** Validates the times of a body the client sent; a message when they are wrong, else null. */
    static String checkTimes(JsonNode json) {
        try {
            JsonNode s = json.path("start");
            JsonNode e = json.path("end");
            if (!s.hasNonNull("dateTime") || !e.hasNonNull("dateTime")) {
                return "start and end (dateTimeTimeZone) are required";
            }
            Zone.of(s.path("timeZone").asText(null));
            Zone.of(e.path("timeZone").asText(null));
            LocalDateTime a = localTime(s.path("dateTime").asText());
            LocalDateTime b = localTime(e.path("dateTime").asText());
            if (json.path("isAllDay").asBoolean(false)) {
                if (!a.toLocalTime().equals(LocalTime.MIDNIGHT)
                        || !b.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                    return "an all-day event must start and end at midnight";
                }
            }
            if (instant(e).isBefore(instant(s))) {
                return "the end is before the start";
            }
            if (json.hasNonNull("recurrence")) {
                FakePatterns.toRule(json.get("recurrence"), a.toLocalDate());
            }
            return null;
        } catch (RuntimeException ex) {
            return "invalid event: " + ex.getMessage();
        }
    }

    /** The instances of {@code s} that overlap {@code window}: itself, or its occurrences and exceptions. */
    static Stream<Instance> instances(GraphStore.Stored s, TimeWindow window) {
        Event model = model(s);
        Zone zone = eventZone(s.json);
        if (!model.isRecurring()) {
            return Recurrences.expand(model, window, zone.id()).limit(1).map(o -> new Instance(s, null, o));
        }
        return Recurrences.expand(model, window, zone.id()).map(o -> {
            Instant original = o.recurrenceId().toInstant(zone.id());
            return new Instance(s, original, o);
        });
    }

    /** The occurrence (or exception) of series {@code s} whose original start is {@code original}. */
    static java.util.Optional<Instance> instanceAt(GraphStore.Stored s, Instant original) {
        Instant from = original;
        Instant to = original.plusSeconds(1);
        ObjectNode ex = s.exceptions.get(original);
        if (ex != null && ex.has("start") && ex.has("end")) {
            Instant a = instant(ex.path("start"));
            Instant b = instant(ex.path("end"));
            from = a.isBefore(from) ? a : from;
            to = b.isAfter(to) ? b : to;
        }
        TimeWindow w = TimeWindow.of(from.minusSeconds(1), to.plusSeconds(1));
        return instances(s, w).filter(i -> original.equals(i.original())).findFirst();
    }

    /** One instance: a single event (original null), or one occurrence of a series. */
    record Instance(GraphStore.Stored source, Instant original, Occurrence occurrence) {
        String id() {
            return original == null ? source.id : occurrenceId(source.id, original);
        }
    }

    static String occurrenceId(String masterId, Instant original) {
        return masterId + "_OCC" + original.getEpochSecond();
    }

    /** Renders a stored event (single or series master). */
    static ObjectNode render(GraphStore.Stored s, Zone out, boolean withExtended, String mailbox) {
        ObjectNode n = s.json.deepCopy();
        if (!withExtended) {
            n.remove("singleValueExtendedProperties");
        }
        n.put("id", s.id);
        n.put("@odata.etag", "W/\"" + s.changeKey + "\"");
        n.put("changeKey", s.changeKey);
        n.put("type", n.hasNonNull("recurrence") ? "seriesMaster" : "singleInstance");
        n.put("iCalUId", "fake-" + s.id);
        n.put("createdDateTime", s.created.toString());
        n.put("lastModifiedDateTime", s.modified.toString());
        times(n, s.json, out);
        return n;
    }

    /** Renders one instance (single, occurrence or exception). */
    static ObjectNode render(Instance i, Zone out, String mailbox) {
        GraphStore.Stored s = i.source();
        if (i.original() == null) {
            return render(s, out, false, mailbox);
        }
        ObjectNode ex = s.exceptions.get(i.original());
        ObjectNode n = s.json.deepCopy();
        n.remove("singleValueExtendedProperties");
        n.remove("recurrence");
        if (ex != null) {
            ex.fields().forEachRemaining(f -> n.set(f.getKey(), f.getValue().deepCopy()));
        }
        n.put("id", i.id());
        n.put("@odata.etag", "W/\"" + s.changeKey + "\"");
        n.put("changeKey", s.changeKey);
        n.put("type", ex != null ? "exception" : "occurrence");
        n.put("seriesMasterId", s.id);
        n.put("originalStart", i.original().toString());
        n.put("iCalUId", "fake-" + s.id);
        n.put("createdDateTime", s.created.toString());
        n.put("lastModifiedDateTime", s.modified.toString());
        n.putNull("recurrence");
        Zone zone = eventZone(s.json);
        Occurrence o = i.occurrence();
        n.put("originalStartTimeZone", zone.name());
        n.put("originalEndTimeZone", zone.name());
        // all-day occurrences too: midnight in the event's zone, shown in the zone the client asked for
        n.set("start", dateTime(o.start().toInstant(zone.id()), out));
        n.set("end", dateTime(o.end().toInstant(zone.id()), out));
        return n;
    }

    private static void times(ObjectNode n, ObjectNode stored, Zone out) {
        Zone startZone = Zone.of(stored.path("start").path("timeZone").asText(null));
        Zone endZone = Zone.of(stored.path("end").path("timeZone").asText(null));
        n.put("originalStartTimeZone", startZone.name());
        n.put("originalEndTimeZone", endZone.name());
        // all-day events too: midnight in the event's zone, shown in the zone the client asked for (as Graph does)
        n.set("start", dateTime(instant(stored.path("start")), out));
        n.set("end", dateTime(instant(stored.path("end")), out));
    }
}
