package org.calsdk.graph.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.internal.Rfc3339;
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
import org.calsdk.tz.TimeZones;

/**
 * Graph {@code event} resources and the core {@link Event}, both ways. Times are read in UTC (every call
 * asks for {@code outlook.timezone="UTC"}) and placed in the event's own zone
 * ({@code originalStartTimeZone}, a Windows or IANA name, through the CLDR table in
 * {@link TimeZones}); all-day events, which Graph gives as midnight in the event's zone, read as all-day
 * dates. What Graph has no field for (the host's key, a tentative status) travels in single-value
 * extended properties.
 */
public final class EventMapper {
    /** MAPI named-property set PS_PUBLIC_STRINGS. */
    private static final String PS_PUBLIC_STRINGS = "{00020329-0000-0000-C000-000000000046}";

    public static final String KEY_PROPERTY = "String " + PS_PUBLIC_STRINGS + " Name calsdk-event-key";
    public static final String STATUS_PROPERTY = "String " + PS_PUBLIC_STRINGS + " Name calsdk-status";
    /** The {@code $expand} that returns our extended properties with an event. */
    public static final String EXPAND =
            "singleValueExtendedProperties($filter=id eq '" + KEY_PROPERTY + "' or id eq '" + STATUS_PROPERTY + "')";

    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");

    private final ZoneId defaultZone;

    public EventMapper(ZoneId defaultZone) {
        this.defaultZone = defaultZone;
    }

    /** The {@code transactionId} for a host key in a calendar: stable, so a retried create is the same create. */
    public static String transactionId(Mailbox mailbox, String calendarId, EventKey key) {
        return UUID.nameUUIDFromBytes(("calsdk:" + mailbox.normalized() + "/" + calendarId + "/" + key.value())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    // ------------------------------------------------------------------------------------------ reading

    /** The zone an event was written in (UTC when Graph names none or one it cannot map). */
    public ZoneId zoneOf(Map<String, Object> g) {
        String name = Json.str(g, "originalStartTimeZone");
        if (name == null || name.isBlank() || name.equalsIgnoreCase("UTC") || name.startsWith("tzone://")) {
            return name == null || name.isBlank() ? defaultZone : ZoneOffset.UTC;
        }
        return TimeZones.find(name).orElse(ZoneOffset.UTC);
    }

    /** A {@code dateTimeTimeZone} as an instant. */
    public static Instant instant(Map<String, Object> dtz) {
        String dt = Json.str(dtz, "dateTime");
        if (dt == null) {
            throw new MalformedDataException("Graph sent a dateTimeTimeZone without dateTime");
        }
        String zoneName = Json.str(dtz, "timeZone");
        boolean utc = zoneName == null || zoneName.equalsIgnoreCase("UTC");
        if (utc) {
            Instant common = Rfc3339.tryParse(dt, Rfc3339.Offset.IGNORED); // the wall clock, as below
            if (common != null) {
                return common;
            }
        }
        ZoneId zone = utc ? ZoneOffset.UTC : TimeZones.find(zoneName).orElse(ZoneOffset.UTC);
        try {
            return LocalDateTime.parse(dt.replaceFirst("(Z|[+-]\\d{2}:\\d{2})$", ""))
                    .atZone(zone)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedDataException("Graph sent an unreadable dateTime '" + clip(dt) + "'");
        }
    }

    private EventTime time(Map<String, Object> dtz, ZoneId zone, boolean allDay) {
        Instant t = instant(dtz);
        if (allDay) {
            // Graph gives all-day bounds as midnight in the event's zone, shown in the zone asked for: read the
            // wall clock in that zone, or take the date directly when it is already midnight
            LocalDateTime local =
                    LocalDateTime.parse(Json.str(dtz, "dateTime").replaceFirst("(Z|[+-]\\d{2}:\\d{2})$", ""));
            if (local.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                return EventTime.allDay(local.toLocalDate());
            }
            return EventTime.allDay(t.atZone(zone).toLocalDate());
        }
        return EventTime.of(t.atZone(zone));
    }

    /** A single instance, occurrence, exception or series master (without its exceptions). */
    public Event read(Map<String, Object> g) {
        if (Json.str(g, "id") == null || Json.str(g, "id").isBlank()) {
            // every event Graph lists or returns has an id; callers rely on it (found by fuzzing)
            throw new MalformedDataException("Graph sent an event without an id");
        }
        ZoneId zone = zoneOf(g);
        boolean allDay = Json.bool(g, "isAllDay");
        Event.Builder b = Event.builder()
                .id(Json.str(g, "id"))
                .uid(Json.str(g, "iCalUId"))
                .summary(Json.str(g, "subject") == null ? "" : Json.str(g, "subject"))
                .time(time(Json.obj(g, "start"), zone, allDay), time(Json.obj(g, "end"), zone, allDay))
                .version(Json.str(g, "changeKey"));
        String body = Json.str(Json.obj(g, "body"), "content");
        if (body != null && !body.isEmpty()) {
            b.description(body);
        }
        String location = Json.str(Json.obj(g, "location"), "displayName");
        if (location != null && !location.isEmpty()) {
            b.location(location);
        }
        String modified = Json.str(g, "lastModifiedDateTime");
        if (modified != null) {
            try {
                b.updated(java.time.OffsetDateTime.parse(modified).toInstant());
            } catch (DateTimeParseException e) {
                // not a timestamp we can read: leave unset rather than fail the read
            }
        }
        Map<String, String> ext = extended(g);
        String key = ext.get(KEY_PROPERTY);
        if (key != null) {
            try {
                b.key(EventKey.of(key));
            } catch (InvalidInputException e) {
                // a foreign value in our property: not a key we wrote
            }
        }
        String showAs = Json.str(g, "showAs");
        if ("free".equals(showAs)) {
            b.transparency(Transparency.TRANSPARENT);
        } else if (showAs != null) {
            switch (showAs) {
                case "tentative" -> b.showAs(BusyStatus.TENTATIVE);
                case "oof" -> b.showAs(BusyStatus.OUT_OF_OFFICE);
                case "workingElsewhere" -> b.showAs(BusyStatus.WORKING_ELSEWHERE);
                default -> {}
            }
        }
        if (Json.bool(g, "isCancelled")) {
            b.status(EventStatus.CANCELLED);
        } else if ("TENTATIVE".equals(ext.get(STATUS_PROPERTY)) || ("tentative".equals(showAs) && ext.isEmpty())) {
            b.status(EventStatus.TENTATIVE);
        }
        b.visibility(
                switch (String.valueOf(Json.str(g, "sensitivity"))) {
                    case "private", "personal" -> Visibility.PRIVATE;
                    case "confidential" -> Visibility.CONFIDENTIAL;
                    default -> Visibility.DEFAULT;
                });
        Map<String, Object> org = Json.obj(Json.obj(g, "organizer"), "emailAddress");
        Mailbox organizer = mailbox(Json.str(org, "address"));
        if (organizer != null) {
            b.organizer(new Organizer(organizer, Json.str(org, "name")));
        }
        for (Map<String, Object> a : Json.objects(g, "attendees")) {
            Map<String, Object> email = Json.obj(a, "emailAddress");
            Mailbox m = mailbox(Json.str(email, "address"));
            if (m == null) {
                continue;
            }
            String type = String.valueOf(Json.str(a, "type"));
            Attendee.Role role = type.equals("optional") ? Attendee.Role.OPTIONAL : Attendee.Role.REQUIRED;
            b.attendee(new Attendee(
                    m,
                    Json.str(email, "name"),
                    role,
                    response(Json.str(Json.obj(a, "status"), "response")),
                    type.equals("resource")));
        }
        if (g.get("recurrence") instanceof Map<?, ?> && "seriesMaster".equals(Json.str(g, "type"))) {
            String rule = Patterns.toRule(Json.obj(g, "recurrence"), zone, allDay);
            b.recurrence(Recurrence.rule(rule));
        }
        String original = Json.str(g, "originalStart");
        if (original != null && !"seriesMaster".equals(Json.str(g, "type"))) {
            Instant t;
            try {
                t = java.time.OffsetDateTime.parse(original).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                // found by fuzzing: a DateTimeParseException escaped before
                throw new MalformedDataException("Graph sent an unreadable originalStart '" + clip(original) + "'");
            }
            b.recurrenceId(allDay ? EventTime.allDay(t.atZone(zone).toLocalDate()) : EventTime.of(t.atZone(zone)));
        }
        return b.build();
    }

    private static Attendee.ResponseStatus response(String r) {
        if (r == null) {
            return Attendee.ResponseStatus.NEEDS_ACTION;
        }
        return switch (r) {
            case "accepted", "organizer" -> Attendee.ResponseStatus.ACCEPTED;
            case "tentativelyAccepted" -> Attendee.ResponseStatus.TENTATIVE;
            case "declined" -> Attendee.ResponseStatus.DECLINED;
            default -> Attendee.ResponseStatus.NEEDS_ACTION;
        };
    }

    private static Mailbox mailbox(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        try {
            return Mailbox.of(address);
        } catch (InvalidInputException e) {
            return null; // an Exchange legacy DN or an unresolved name: no address to report
        }
    }

    private static Map<String, String> extended(Map<String, Object> g) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> p : Json.objects(g, "singleValueExtendedProperties")) {
            String id = Json.str(p, "id");
            if (id != null) {
                for (String known : List.of(KEY_PROPERTY, STATUS_PROPERTY)) {
                    if (known.equalsIgnoreCase(id)) {
                        out.put(known, Json.str(p, "value"));
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ writing

    /** The Graph name of a zone: its Windows name when CLDR maps it back to the same zone, else the IANA id. */
    public static String zoneName(ZoneId zone) {
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        Optional<String> windows = TimeZones.windowsName(zone);
        if (windows.isPresent()
                && TimeZones.find(windows.get()).map(z -> z.equals(zone)).orElse(false)) {
            return windows.get();
        }
        return zone.getId();
    }

    /** The zone an event is written in. */
    public ZoneId zoneOf(Event e) {
        return e.start() instanceof EventTime.Zoned z ? z.zone() : defaultZone;
    }

    private Map<String, Object> dateTime(EventTime t, ZoneId zone) {
        LocalDateTime local;
        if (t instanceof EventTime.Zoned z) {
            local = z.dateTime().withZoneSameInstant(zone).toLocalDateTime();
        } else if (t instanceof EventTime.Floating f) {
            local = f.dateTime();
        } else {
            local = t.date().atStartOfDay();
        }
        return Json.map("dateTime", GRAPH_TIME.format(local), "timeZone", zoneName(zone));
    }

    /**
     * The body for a create or full update: every field the core model has, so that an update is a
     * replacement; {@code recurrence} is written for a master (null clears it on update).
     */
    public Map<String, Object> write(Event e, EventKey key, String transactionId, boolean forUpdate) {
        ZoneId zone = zoneOf(e);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("subject", e.summary());
        g.put("body", Json.map("contentType", "text", "content", e.description().orElse("")));
        g.put("start", dateTime(e.start(), zone));
        g.put("end", dateTime(e.end(), zone));
        g.put("isAllDay", e.isAllDay());
        g.put("location", Json.map("displayName", e.location().orElse("")));
        g.put("showAs", showAs(e));
        g.put(
                "sensitivity",
                switch (e.visibility()) {
                    case PRIVATE -> "private";
                    case CONFIDENTIAL -> "confidential";
                    default -> "normal";
                });
        List<Object> attendees = new ArrayList<>();
        for (Attendee a : e.attendees()) {
            String type = a.resource()
                    ? "resource"
                    : a.role() == Attendee.Role.OPTIONAL || a.role() == Attendee.Role.NON_PARTICIPANT
                            ? "optional"
                            : "required";
            Map<String, Object> email = Json.map("address", a.mailbox().email());
            if (a.name() != null) {
                email.put("name", a.name());
            }
            attendees.add(Json.map("type", type, "emailAddress", email));
        }
        g.put("attendees", attendees);
        if (e.recurrence().isPresent() && e.recurrenceId().isEmpty()) {
            List<String> rules = e.recurrence().get().rules();
            if (rules.size() != 1 || !e.recurrence().get().rdates().isEmpty()) {
                throw new InvalidInputException(
                        "recurrence",
                        "Microsoft Graph holds exactly one recurrence rule and no "
                                + "RDATEs per series; this series has " + rules.size() + " rules and "
                                + e.recurrence().get().rdates().size() + " RDATEs");
            }
            LocalDate first = e.start() instanceof EventTime.Zoned z
                    ? z.dateTime().withZoneSameInstant(zone).toLocalDate()
                    : e.start().date();
            g.put("recurrence", Patterns.toGraph(rules.get(0), first, zone, zoneName(zone)));
        } else if (forUpdate && e.recurrenceId().isEmpty()) {
            g.put("recurrence", null);
        }
        List<Object> ext = new ArrayList<>();
        if (key != null) {
            ext.add(Json.map("id", KEY_PROPERTY, "value", key.value()));
        }
        ext.add(Json.map("id", STATUS_PROPERTY, "value", e.status().name()));
        g.put("singleValueExtendedProperties", ext);
        if (transactionId != null) {
            g.put("transactionId", transactionId);
        }
        return g;
    }

    /** The fields of an exception (a moved or changed occurrence). */
    public Map<String, Object> writeOccurrence(Event override, ZoneId seriesZone) {
        ZoneId zone = override.start() instanceof EventTime.Zoned z ? z.zone() : seriesZone;
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("subject", override.summary());
        g.put("start", dateTime(override.start(), zone));
        g.put("end", dateTime(override.end(), zone));
        g.put("isAllDay", override.isAllDay());
        g.put("location", Json.map("displayName", override.location().orElse("")));
        override.description().ifPresent(d -> g.put("body", Json.map("contentType", "text", "content", d)));
        g.put("showAs", showAs(override));
        return g;
    }

    private static String showAs(Event e) {
        if (e.transparency() == Transparency.TRANSPARENT) {
            return "free";
        }
        BusyStatus s = e.busyStatus();
        return switch (s) {
            case TENTATIVE -> "tentative";
            case OUT_OF_OFFICE -> "oof";
            case WORKING_ELSEWHERE -> "workingElsewhere";
            case FREE -> "free";
            default -> "busy";
        };
    }

    /** A query-string date-time for calendarView and getSchedule. */
    public static String queryTime(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDateTime().format(GRAPH_TIME) + "Z";
    }

    /** The instant {@code t} as Graph's {@code dateTimeTimeZone} in UTC. */
    public static Map<String, Object> utc(Instant t) {
        return Json.map("dateTime", GRAPH_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)), "timeZone", "UTC");
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
