package org.calsdk.sync.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.model.Transparency;
import org.calsdk.model.Visibility;

/**
 * Writes an {@link Event} (with overrides, attendees and properties) as compact JSON for the state store
 * (outbox payloads, agreed base states) and reads it back exactly.
 */
public final class EventCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventCodec() {}

    public static String write(Event e) {
        return toNode(e).toString();
    }

    public static Event read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return fromNode(JSON.readTree(json));
        } catch (IOException | RuntimeException ex) {
            throw new MalformedDataException(
                    "stored event is not valid JSON of an event: " + ex.getMessage(),
                    org.calsdk.errors.ErrorContext.NONE,
                    ex);
        }
    }

    private static ObjectNode toNode(Event e) {
        ObjectNode n = JSON.createObjectNode();
        e.id().ifPresent(v -> n.put("id", v));
        e.uid().ifPresent(v -> n.put("uid", v));
        e.key().ifPresent(v -> n.put("key", v.value()));
        e.recurrenceId().ifPresent(v -> n.set("recurrenceId", time(v)));
        n.put("summary", e.summary());
        e.description().ifPresent(v -> n.put("description", v));
        e.location().ifPresent(v -> n.put("location", v));
        n.set("start", time(e.start()));
        n.set("end", time(e.end()));
        e.recurrence().ifPresent(r -> {
            ObjectNode rn = n.putObject("recurrence");
            ArrayNode rules = rn.putArray("rules");
            r.rules().forEach(rules::add);
            ArrayNode rdates = rn.putArray("rdates");
            r.rdates().forEach(t -> rdates.add(time(t)));
            ArrayNode exdates = rn.putArray("exdates");
            r.exdates().forEach(t -> exdates.add(time(t)));
        });
        if (!e.overrides().isEmpty()) {
            ArrayNode o = n.putArray("overrides");
            e.overrides().forEach(x -> o.add(toNode(x)));
        }
        e.organizer().ifPresent(o -> {
            ObjectNode on = n.putObject("organizer");
            on.put("email", o.mailbox().email());
            if (o.name() != null) {
                on.put("name", o.name());
            }
        });
        if (!e.attendees().isEmpty()) {
            ArrayNode a = n.putArray("attendees");
            for (Attendee at : e.attendees()) {
                ObjectNode an = a.addObject();
                an.put("email", at.mailbox().email());
                if (at.name() != null) {
                    an.put("name", at.name());
                }
                an.put("role", at.role().name());
                an.put("response", at.response().name());
                an.put("resource", at.resource());
            }
        }
        n.put("status", e.status().name());
        n.put("transparency", e.transparency().name());
        n.put("visibility", e.visibility().name());
        // Event exposes "show as" only through busyStatus(): keep it when it says more than status does.
        showAs(e).ifPresent(s -> n.put("showAs", s.name()));
        e.version().ifPresent(v -> n.put("version", v));
        e.updated().ifPresent(v -> n.put("updated", v.toString()));
        if (!e.properties().isEmpty()) {
            ObjectNode p = n.putObject("properties");
            e.properties().forEach(p::put);
        }
        return n;
    }

    /** The explicit "show as" of an event: what busyStatus() says beyond what status/transparency imply. */
    private static java.util.Optional<BusyStatus> showAs(Event e) {
        BusyStatus derived;
        if (e.status() == EventStatus.CANCELLED || e.transparency() == Transparency.TRANSPARENT) {
            return java.util.Optional.empty();
        }
        derived = e.status() == EventStatus.TENTATIVE ? BusyStatus.TENTATIVE : BusyStatus.BUSY;
        return e.busyStatus() == derived ? java.util.Optional.empty() : java.util.Optional.of(e.busyStatus());
    }

    private static ObjectNode time(EventTime t) {
        ObjectNode n = JSON.createObjectNode();
        if (t instanceof EventTime.Zoned z) {
            n.put("zoned", z.dateTime().format(DateTimeFormatter.ISO_ZONED_DATE_TIME));
        } else if (t instanceof EventTime.Floating f) {
            n.put("floating", f.dateTime().toString());
        } else {
            n.put("date", ((EventTime.AllDay) t).date().toString());
        }
        return n;
    }

    private static EventTime time(JsonNode n) {
        if (n.has("zoned")) {
            return EventTime.of(ZonedDateTime.parse(n.get("zoned").asText(), DateTimeFormatter.ISO_ZONED_DATE_TIME));
        }
        if (n.has("floating")) {
            return EventTime.floating(LocalDateTime.parse(n.get("floating").asText()));
        }
        return EventTime.allDay(LocalDate.parse(n.get("date").asText()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Event fromNode(JsonNode n) {
        Event.Builder b = Event.builder()
                .id(text(n, "id"))
                .uid(text(n, "uid"))
                .summary(text(n, "summary"))
                .description(text(n, "description"))
                .location(text(n, "location"))
                .start(time(n.get("start")))
                .end(time(n.get("end")))
                .status(EventStatus.valueOf(n.get("status").asText()))
                .transparency(Transparency.valueOf(n.get("transparency").asText()))
                .visibility(Visibility.valueOf(n.get("visibility").asText()))
                .version(text(n, "version"));
        String key = text(n, "key");
        if (key != null) {
            b.key(EventKey.of(key));
        }
        if (n.has("recurrenceId")) {
            b.recurrenceId(time(n.get("recurrenceId")));
        }
        if (n.has("recurrence")) {
            JsonNode r = n.get("recurrence");
            List<String> rules = new ArrayList<>();
            r.get("rules").forEach(x -> rules.add(x.asText()));
            List<EventTime> rdates = new ArrayList<>();
            r.get("rdates").forEach(x -> rdates.add(time(x)));
            List<EventTime> exdates = new ArrayList<>();
            r.get("exdates").forEach(x -> exdates.add(time(x)));
            b.recurrence(new Recurrence(rules, rdates, exdates));
        }
        if (n.has("overrides")) {
            n.get("overrides").forEach(x -> b.addOverride(fromNode(x)));
        }
        if (n.has("organizer")) {
            JsonNode o = n.get("organizer");
            b.organizer(new Organizer(Mailbox.of(o.get("email").asText()), text(o, "name")));
        }
        if (n.has("attendees")) {
            for (JsonNode a : n.get("attendees")) {
                b.attendee(new Attendee(
                        Mailbox.of(a.get("email").asText()),
                        text(a, "name"),
                        Attendee.Role.valueOf(a.get("role").asText()),
                        Attendee.ResponseStatus.valueOf(a.get("response").asText()),
                        a.get("resource").asBoolean()));
            }
        }
        if (n.has("showAs")) {
            b.showAs(BusyStatus.valueOf(n.get("showAs").asText()));
        }
        if (n.has("updated")) {
            b.updated(Instant.parse(n.get("updated").asText()));
        }
        if (n.has("properties")) {
            Iterator<Map.Entry<String, JsonNode>> it = n.get("properties").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> p = it.next();
                b.property(p.getKey(), p.getValue().asText());
            }
        }
        return b.build();
    }
}
