package org.calsdk.google.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Transparency;
import org.calsdk.model.Visibility;

/**
 * Google event JSON ⇄ the core {@link Event}. Times keep their zone ({@code timeZone}); all-day events
 * use {@code date}; a floating time is written in the connection's zone (Google has no floating times).
 * Recurrence lines (RRULE, RDATE, EXDATE) are written and read by the core's iCalendar code, so a series
 * means the same on both sides. The host's key lives in {@code extendedProperties.private.calsdkKey};
 * other private extended properties are the event's {@link Event#properties()}.
 */
public final class EventCodec {
    /** The private extended property holding the host's {@link EventKey}. */
    public static final String KEY_PROPERTY = "calsdkKey";

    private final ZoneId zone;
    private final ErrorContext ctx;

    public EventCodec(ZoneId zone, ErrorContext ctx) {
        this.zone = zone;
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------------------------------------
    // reading

    /** Whether the item is an occurrence of a series (an exception, changed or cancelled). */
    public static boolean isInstance(Map<String, Object> e) {
        return e.get("recurringEventId") != null;
    }

    public static boolean isCancelled(Map<String, Object> e) {
        return "cancelled".equals(Json.str(e, "status"));
    }

    public static boolean isRecurring(Map<String, Object> e) {
        return !Json.list(e, "recurrence").isEmpty();
    }

    /** A series master with its exceptions (those of {@code exceptions} whose recurringEventId is its id). */
    public Event series(Map<String, Object> master, List<Map<String, Object>> exceptions) {
        Event m = event(master);
        if (!isRecurring(master)) {
            return m;
        }
        String id = Json.str(master, "id");
        if (id == null) {
            // its exceptions are matched by this id (found by fuzzing: a NullPointerException before)
            throw new MalformedDataException("Google sent a recurring event without id", ctx, null);
        }
        Duration length = Duration.between(m.start().toInstant(zone), m.end().toInstant(zone));
        List<Event> overrides = new ArrayList<>();
        for (Map<String, Object> x : exceptions) {
            if (id.equals(Json.str(x, "recurringEventId"))) {
                overrides.add(override(x, m, length));
            }
        }
        return m.toBuilder().overrides(overrides).build();
    }

    private Event override(Map<String, Object> x, Event master, Duration length) {
        EventTime rid = time(Json.map(x, "originalStartTime"), "originalStartTime");
        if (isCancelled(x) && Json.map(x, "start") == null) {
            // Google sends a cancelled occurrence as id, status and originalStartTime only
            EventTime end = rid instanceof EventTime.AllDay d
                    ? EventTime.allDay(d.date().plusDays(Math.max(1, length.toDays())))
                    : plus(rid, length);
            return Event.builder()
                    .id(Json.str(x, "id"))
                    .uid(master.uid().orElse(null))
                    .recurrenceId(rid)
                    .summary(master.summary())
                    .start(rid)
                    .end(end)
                    .status(EventStatus.CANCELLED)
                    .build();
        }
        return event(x).toBuilder().recurrenceId(rid).key(null).build();
    }

    private static EventTime plus(EventTime t, Duration d) {
        if (t instanceof EventTime.Zoned z) {
            return EventTime.of(z.dateTime().plus(d));
        }
        if (t instanceof EventTime.Floating f) {
            return EventTime.floating(f.dateTime().plus(d));
        }
        return t;
    }

    /** One item as an event (a master without its exceptions, a single event, or one occurrence). */
    public Event event(Map<String, Object> e) {
        try {
            EventTime start = time(Json.map(e, "start"), "start");
            EventTime end = time(Json.map(e, "end"), "end");
            if (end.toInstant(zone).isBefore(start.toInstant(zone))) {
                end = start;
            }
            Event.Builder b = Event.builder()
                    .id(Json.str(e, "id"))
                    .uid(Json.str(e, "iCalUID"))
                    .summary(Json.str(e, "summary"))
                    .description(Json.str(e, "description"))
                    .location(Json.str(e, "location"))
                    .start(start)
                    .end(end)
                    .status(status(Json.str(e, "status")))
                    .transparency(
                            "transparent".equals(Json.str(e, "transparency"))
                                    ? Transparency.TRANSPARENT
                                    : Transparency.OPAQUE)
                    .visibility(visibility(Json.str(e, "visibility")))
                    .version(Json.str(e, "etag"));
            String updated = Json.str(e, "updated");
            if (updated != null) {
                b.updated(OffsetDateTime.parse(updated).toInstant());
            }
            if ("outOfOffice".equals(Json.str(e, "eventType"))) {
                b.showAs(BusyStatus.OUT_OF_OFFICE);
            } else if ("workingLocation".equals(Json.str(e, "eventType"))) {
                b.showAs(BusyStatus.WORKING_ELSEWHERE);
            }
            Map<String, Object> org = Json.map(e, "organizer");
            if (org != null && Json.str(org, "email") != null) {
                b.organizer(new Organizer(Mailbox.of(Json.str(org, "email")), Json.str(org, "displayName")));
            }
            for (Map<String, Object> a : Json.objects(e, "attendees")) {
                String email = Json.str(a, "email");
                if (email == null) {
                    continue;
                }
                b.attendee(new Attendee(
                        Mailbox.of(email),
                        Json.str(a, "displayName"),
                        Json.bool(a, "optional") ? Attendee.Role.OPTIONAL : Attendee.Role.REQUIRED,
                        response(Json.str(a, "responseStatus")),
                        Json.bool(a, "resource")));
            }
            Map<String, Object> priv = Json.map(Json.map(e, "extendedProperties"), "private");
            if (priv != null) {
                priv.forEach((k, v) -> {
                    if (KEY_PROPERTY.equals(k)) {
                        b.key(EventKey.of(String.valueOf(v)));
                    } else if (v != null && !k.isBlank()) {
                        b.property(k, String.valueOf(v));
                    }
                });
            }
            if (priv == null || priv.get(KEY_PROPERTY) == null) {
                Ids.keyOf(Json.str(e, "id")).ifPresent(b::key);
            }
            Event base = b.build();
            List<String> lines = new ArrayList<>();
            Json.list(e, "recurrence").forEach(l -> lines.add(String.valueOf(l)));
            return lines.isEmpty() ? base : withRecurrence(base, lines);
        } catch (MalformedDataException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new MalformedDataException(
                    "Google sent an event the SDK cannot read (" + ex.getClass().getSimpleName() + ": "
                            + ex.getMessage() + ")",
                    ctx,
                    ex);
        }
    }

    /** A time object ({@code date}, or {@code dateTime} with optional {@code timeZone}). */
    public EventTime time(Map<String, Object> t, String field) {
        if (t == null) {
            throw new MalformedDataException("Google sent an event without " + field, ctx, null);
        }
        String date = Json.str(t, "date");
        if (date != null) {
            return EventTime.allDay(LocalDate.parse(date));
        }
        String dt = Json.str(t, "dateTime");
        if (dt == null) {
            throw new MalformedDataException(
                    "Google sent an event whose " + field + " has neither date nor dateTime", ctx, null);
        }
        String tz = Json.str(t, "timeZone");
        ZoneId z = tz == null ? null : ZoneId.of(tz);
        if (!dt.endsWith("Z") && !dt.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return EventTime.of(LocalDateTime.parse(dt).atZone(z == null ? zone : z));
        }
        OffsetDateTime odt = OffsetDateTime.parse(dt);
        if (z == null) {
            return odt.getOffset().equals(ZoneOffset.UTC)
                    ? EventTime.utc(odt.toInstant())
                    : EventTime.of(odt.toZonedDateTime());
        }
        return EventTime.of(odt.toInstant().atZone(z));
    }

    private static Event withRecurrence(Event base, List<String> lines) {
        String ics = ICalendar.write(
                base.toBuilder().uid("calsdk-recurrence").overrides(List.of()).build());
        int at = ics.lastIndexOf("END:VEVENT");
        StringBuilder sb = new StringBuilder(ics.substring(0, at));
        for (String l : lines) {
            String line = l.strip();
            if (line.matches("(?i)(RRULE|RDATE|EXDATE)[;:].*")) {
                sb.append(line).append("\r\n");
            }
        }
        sb.append(ics.substring(at));
        List<Event> parsed = ICalendar.parse(sb.toString());
        return base.toBuilder()
                .recurrence(parsed.get(0).recurrence().orElse(null))
                .build();
    }

    private static EventStatus status(String s) {
        if (s == null) {
            return EventStatus.CONFIRMED;
        }
        return switch (s) {
            case "tentative" -> EventStatus.TENTATIVE;
            case "cancelled" -> EventStatus.CANCELLED;
            default -> EventStatus.CONFIRMED;
        };
    }

    private static Visibility visibility(String v) {
        if (v == null) {
            return Visibility.DEFAULT;
        }
        return switch (v) {
            case "public" -> Visibility.PUBLIC;
            case "private" -> Visibility.PRIVATE;
            case "confidential" -> Visibility.CONFIDENTIAL;
            default -> Visibility.DEFAULT;
        };
    }

    static Attendee.ResponseStatus response(String s) {
        if (s == null) {
            return Attendee.ResponseStatus.NEEDS_ACTION;
        }
        return switch (s) {
            case "accepted" -> Attendee.ResponseStatus.ACCEPTED;
            case "declined" -> Attendee.ResponseStatus.DECLINED;
            case "tentative" -> Attendee.ResponseStatus.TENTATIVE;
            default -> Attendee.ResponseStatus.NEEDS_ACTION;
        };
    }

    static String responseName(Attendee.ResponseStatus r) {
        return switch (r) {
            case ACCEPTED -> "accepted";
            case DECLINED -> "declined";
            case TENTATIVE -> "tentative";
            default -> "needsAction";
        };
    }

    // ------------------------------------------------------------------------------------------------
    // writing

    /**
     * The JSON body of {@code e} (without its overrides). {@code id} is written when not null; the key, when
     * not null, goes to {@code extendedProperties.private}; {@code originalStart} marks an occurrence.
     */
    public byte[] body(Event e, String id, EventKey key, EventTime originalStart, String recurringEventId) {
        return Json.write(g -> {
            g.writeStartObject();
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeStringField("summary", e.summary());
            g.writeStringField("description", e.description().orElse(null));
            g.writeStringField("location", e.location().orElse(null));
            g.writeFieldName("start");
            writeTime(g, e.start());
            g.writeFieldName("end");
            writeTime(g, e.end());
            if (recurringEventId != null) {
                g.writeStringField("recurringEventId", recurringEventId);
                g.writeFieldName("originalStartTime");
                writeTime(g, originalStart);
            }
            g.writeStringField(
                    "status",
                    switch (e.status()) {
                        case TENTATIVE -> "tentative";
                        case CANCELLED -> "cancelled";
                        default -> "confirmed";
                    });
            g.writeStringField("transparency", e.transparency() == Transparency.TRANSPARENT ? "transparent" : "opaque");
            g.writeStringField("visibility", e.visibility().name().toLowerCase(Locale.ROOT));
            g.writeArrayFieldStart("attendees");
            for (Attendee a : e.attendees()) {
                g.writeStartObject();
                g.writeStringField("email", a.mailbox().email());
                if (a.name() != null) {
                    g.writeStringField("displayName", a.name());
                }
                if (a.role() == Attendee.Role.OPTIONAL || a.role() == Attendee.Role.NON_PARTICIPANT) {
                    g.writeBooleanField("optional", true);
                }
                if (a.resource()) {
                    g.writeBooleanField("resource", true);
                }
                g.writeStringField("responseStatus", responseName(a.response()));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (recurringEventId == null) {
                g.writeArrayFieldStart("recurrence");
                if (e.recurrence().isPresent()) {
                    for (String line : recurrenceLines(e)) {
                        g.writeString(line);
                    }
                }
                g.writeEndArray();
            }
            Map<String, String> priv = new LinkedHashMap<>(e.properties());
            if (key != null) {
                priv.put(KEY_PROPERTY, key.value());
            }
            g.writeObjectFieldStart("extendedProperties");
            g.writeObjectFieldStart("private");
            for (Map.Entry<String, String> p : priv.entrySet()) {
                g.writeStringField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    void writeTime(JsonGenerator g, EventTime t) throws IOException {
        g.writeStartObject();
        if (t instanceof EventTime.AllDay d) {
            g.writeStringField("date", d.date().toString());
        } else if (t instanceof EventTime.Zoned z) {
            g.writeStringField("dateTime", z.dateTime().toOffsetDateTime().toString());
            g.writeStringField("timeZone", z.isUtc() ? "UTC" : z.zone().getId());
        } else {
            EventTime.Floating f = (EventTime.Floating) t;
            g.writeStringField(
                    "dateTime", f.dateTime().atZone(zone).toOffsetDateTime().toString());
            g.writeStringField("timeZone", zone.getId().equals("Z") ? "UTC" : zone.getId());
        }
        g.writeEndObject();
    }

    /** The RRULE/RDATE/EXDATE lines of a series, as the core's iCalendar writer spells them. */
    static List<String> recurrenceLines(Event e) {
        String ics = ICalendar.write(e.toBuilder()
                        .overrides(List.of())
                        .uid("calsdk-recurrence")
                        .build())
                .replace("\r\n ", "")
                .replace("\r\n\t", "");
        List<String> out = new ArrayList<>();
        boolean inEvent = false;
        for (String line : ics.split("\r\n")) {
            if (line.equals("BEGIN:VEVENT")) {
                inEvent = true;
            } else if (line.equals("END:VEVENT")) {
                inEvent = false;
            } else if (inEvent && line.matches("(RRULE|RDATE|EXDATE)[;:].*")) {
                out.add(line);
            }
        }
        return out;
    }

    /** The instant of an event time, floating and all-day read in the connection's zone. */
    public Instant instant(EventTime t) {
        return t.toInstant(zone);
    }
}
