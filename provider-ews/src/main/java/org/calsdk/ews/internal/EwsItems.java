package org.calsdk.ews.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
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
import org.calsdk.tz.TimeZones;

/**
 * Maps EWS {@code CalendarItem} elements to the core {@link Event} model and back. Times travel as UTC
 * with the item's {@code StartTimeZone}/{@code EndTimeZone} (Windows names, mapped through
 * {@link TimeZones}); an all-day item is midnight to midnight in its zone. The host's {@link EventKey}
 * lives in a named extended property ({@code PublicStrings}/{@value #KEY_PROPERTY}); an event's status
 * that {@code LegacyFreeBusyStatus} cannot carry next to its transparency (tentative and free) in
 * {@value #STATUS_PROPERTY}.
 */
public final class EwsItems {
    public static final String KEY_PROPERTY = "CalSdkEventKey";
    public static final String STATUS_PROPERTY = "CalSdkStatus";

    private EwsItems() {}

    /** The {@code ExtendedFieldURI} of one of our named properties. */
    public static String extendedUri(String name) {
        return "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"" + name
                + "\" PropertyType=\"String\"/>";
    }

    /** The item shape that reads every field mapped here. */
    public static String fullShape() {
        return "<m:ItemShape><t:BaseShape>AllProperties</t:BaseShape><t:BodyType>Text</t:BodyType><t:AdditionalProperties>"
                + "<t:FieldURI FieldURI=\"calendar:StartTimeZone\"/><t:FieldURI FieldURI=\"calendar:EndTimeZone\"/>"
                + "<t:FieldURI FieldURI=\"calendar:UID\"/>" + extendedUri(KEY_PROPERTY) + extendedUri(STATUS_PROPERTY)
                + "</t:AdditionalProperties></m:ItemShape>";
    }

    // --------------------------------------------------------------------------------------------------
    // reading

    /** The event of a CalendarItem (without overrides: the caller adds those it reads). */
    public static Event read(Xml.Node item, ErrorContext ctx) {
        try {
            Event.Builder b = Event.builder();
            Xml.Node id = item.child("ItemId")
                    .orElseThrow(() -> new MalformedDataException("a CalendarItem without ItemId", ctx, null));
            b.id(id.attrs().get("Id")).version(id.attrs().get("ChangeKey"));
            ZoneId zone = zone(item);
            boolean allDay =
                    item.text("IsAllDayEvent").map(Boolean::parseBoolean).orElse(false);
            Instant start = Instant.parse(item.text("Start")
                    .orElseThrow(() -> new MalformedDataException("a CalendarItem without Start", ctx, null)));
            Instant end = Instant.parse(item.text("End")
                    .orElseThrow(() -> new MalformedDataException("a CalendarItem without End", ctx, null)));
            b.time(time(start, zone, allDay), time(end, zone, allDay));
            b.summary(item.text("Subject").orElse(""));
            item.text("Body").filter(s -> !s.isEmpty()).ifPresent(b::description);
            item.text("Location").filter(s -> !s.isEmpty()).ifPresent(b::location);
            item.text("UID").ifPresent(b::uid);
            item.text("LastModifiedTime").map(Instant::parse).ifPresent(b::updated);
            item.text("OriginalStart").map(Instant::parse).ifPresent(o -> b.recurrenceId(time(o, zone, allDay)));
            Map<String, String> ext = extended(item);
            String fb = item.text("LegacyFreeBusyStatus").orElse("Busy");
            switch (fb) {
                case "Free" -> b.transparency(Transparency.TRANSPARENT);
                case "Tentative" -> b.status(EventStatus.TENTATIVE);
                case "OOF" -> b.showAs(BusyStatus.OUT_OF_OFFICE);
                case "WorkingElsewhere" -> b.showAs(BusyStatus.WORKING_ELSEWHERE);
                default -> {
                    // Busy, NoData: opaque and confirmed
                }
            }
            if (item.text("IsCancelled").map(Boolean::parseBoolean).orElse(false)) {
                b.status(EventStatus.CANCELLED);
            } else if (ext.containsKey(STATUS_PROPERTY)) {
                try {
                    b.status(EventStatus.valueOf(ext.get(STATUS_PROPERTY)));
                } catch (IllegalArgumentException ignored) {
                    // another client's value: the free/busy status stands
                }
            }
            if (ext.containsKey(KEY_PROPERTY)) {
                try {
                    b.key(EventKey.of(ext.get(KEY_PROPERTY)));
                } catch (InvalidInputException ignored) {
                    // not a key this SDK wrote
                }
            }
            item.path("Organizer", "Mailbox")
                    .ifPresent(m -> mailbox(m)
                            .ifPresent(mb -> b.organizer(new Organizer(
                                    mb,
                                    m.text("Name")
                                            .filter(n -> !n.equals(mb.email()))
                                            .orElse(null)))));
            List<Attendee> attendees = new ArrayList<>();
            attendees(item, "RequiredAttendees", Attendee.Role.REQUIRED, false, attendees);
            attendees(item, "OptionalAttendees", Attendee.Role.OPTIONAL, false, attendees);
            attendees(item, "Resources", Attendee.Role.NON_PARTICIPANT, true, attendees);
            b.attendees(attendees);
            Optional<Xml.Node> rec = item.child("Recurrence");
            if (rec.isPresent()) {
                LocalTime t = allDay ? LocalTime.MIDNIGHT : start.atZone(zone).toLocalTime();
                String rule = rrule(rec.get(), zone, t, allDay);
                List<EventTime> exdates = new ArrayList<>();
                item.child("DeletedOccurrences")
                        .ifPresent(d -> d.all("DeletedOccurrence")
                                .forEach(o -> o.text("Start")
                                        .map(Instant::parse)
                                        .ifPresent(s -> exdates.add(time(s, zone, allDay)))));
                b.recurrence(new Recurrence(List.of(rule), List.of(), exdates));
            }
            return b.build();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            if (e instanceof InvalidInputException i) {
                throw i;
            }
            throw new MalformedDataException(
                    "Exchange sent a calendar item this SDK cannot read: " + e.getMessage(), ctx, e);
        }
    }

    /** The item ids of a master's modified occurrences. */
    public static List<String> modifiedOccurrenceIds(Xml.Node item) {
        List<String> ids = new ArrayList<>();
        item.child("ModifiedOccurrences")
                .ifPresent(m -> m.all("Occurrence")
                        .forEach(o ->
                                o.child("ItemId").map(i -> i.attrs().get("Id")).ifPresent(ids::add)));
        return ids;
    }

    private static String rrule(Xml.Node rec, ZoneId zone, LocalTime t, boolean allDay) {
        Xml.Node pattern = null;
        Xml.Node range = null;
        for (Xml.Node c : rec.children()) {
            if (RecurrenceXml.isRange(c.name())) {
                range = c;
            } else if (RecurrenceXml.isPattern(c.name())) {
                pattern = c;
            }
        }
        if (pattern == null || range == null) {
            throw new IllegalArgumentException("a Recurrence without a pattern or a range");
        }
        return RecurrenceXml.toRrule(
                new RecurrenceXml.Part(pattern.name(), values(pattern)),
                new RecurrenceXml.Part(range.name(), values(range)),
                zone,
                t,
                allDay);
    }

    private static Map<String, String> values(Xml.Node n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.children().forEach(c -> m.put(c.name(), c.text()));
        return m;
    }

    static Map<String, String> extended(Xml.Node item) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Xml.Node p : item.all("ExtendedProperty")) {
            String name = p.child("ExtendedFieldURI")
                    .map(u -> u.attrs().get("PropertyName"))
                    .orElse(null);
            if (name != null) {
                m.put(name, p.text("Value").orElse(""));
            }
        }
        return m;
    }

    private static void attendees(
            Xml.Node item, String list, Attendee.Role role, boolean resource, List<Attendee> out) {
        item.child(list)
                .ifPresent(l -> l.all("Attendee")
                        .forEach(a -> a.child("Mailbox")
                                .flatMap(EwsItems::mailbox)
                                .ifPresent(m -> {
                                    String name = a.path("Mailbox", "Name")
                                            .map(Xml.Node::text)
                                            .filter(n -> !n.isEmpty() && !n.equals(m.email()))
                                            .orElse(null);
                                    out.add(new Attendee(
                                            m,
                                            name,
                                            role,
                                            response(a.text("ResponseType").orElse("Unknown")),
                                            resource));
                                })));
    }

    private static Optional<Mailbox> mailbox(Xml.Node m) {
        return m.text("EmailAddress").filter(e -> e.contains("@")).flatMap(e -> {
            try {
                return Optional.of(Mailbox.of(e));
            } catch (InvalidInputException x) {
                return Optional.empty();
            }
        });
    }

    static Attendee.ResponseStatus response(String t) {
        return switch (t) {
            case "Accept", "Organizer" ->
                t.equals("Accept") ? Attendee.ResponseStatus.ACCEPTED : Attendee.ResponseStatus.NEEDS_ACTION;
            case "Decline" -> Attendee.ResponseStatus.DECLINED;
            case "Tentative" -> Attendee.ResponseStatus.TENTATIVE;
            default -> Attendee.ResponseStatus.NEEDS_ACTION;
        };
    }

    static String responseType(Attendee.ResponseStatus s) {
        return switch (s) {
            case ACCEPTED -> "Accept";
            case DECLINED -> "Decline";
            case TENTATIVE -> "Tentative";
            default -> "NoResponseReceived";
        };
    }

    private static ZoneId zone(Xml.Node item) {
        Optional<String> id =
                item.child("StartTimeZone").map(z -> z.attrs().get("Id")).or(() -> item.text("StartTimeZoneId"));
        return id.flatMap(TimeZones::find).orElse(ZoneOffset.UTC);
    }

    private static EventTime time(Instant i, ZoneId zone, boolean allDay) {
        return allDay ? EventTime.allDay(i.atZone(zone).toLocalDate()) : EventTime.of(ZonedDateTime.ofInstant(i, zone));
    }

    // --------------------------------------------------------------------------------------------------
    // writing

    /** The zone an event is written in: its start's zone (UTC for floating and all-day without one). */
    public static ZoneId zoneOf(Event e, ZoneId fallback) {
        return e.start() instanceof EventTime.Zoned z ? z.zone() : fallback;
    }

    /** The Windows name of a zone, or an InvalidInputException for a zone Exchange cannot name. */
    public static String windowsZone(ZoneId zone) {
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        return TimeZones.windowsName(zone)
                .or(() -> SAME_RULES.computeIfAbsent(zone.getId(), k -> sameRules(zone)))
                .orElseThrow(() -> new InvalidInputException(
                        "start",
                        "Exchange names time zones by their Windows names and "
                                + "there is none for '" + zone
                                + "' nor for a zone with the same rules; use an IANA zone with a Windows "
                                + "equivalent"));
    }

    private static final java.util.concurrent.ConcurrentMap<String, Optional<String>> SAME_RULES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The Windows name of a zone with the same rules, for IANA names the CLDR table lists under another
     * alias (Asia/Kolkata is listed as Asia/Calcutta).
     */
    private static Optional<String> sameRules(ZoneId zone) {
        java.time.zone.ZoneRules rules = zone.getRules();
        for (String id : new java.util.TreeSet<>(ZoneId.getAvailableZoneIds())) {
            ZoneId other = ZoneId.of(id);
            if (!id.equals(zone.getId()) && other.getRules().equals(rules)) {
                Optional<String> w = TimeZones.windowsName(other);
                if (w.isPresent()) {
                    return w;
                }
            }
        }
        return Optional.empty();
    }

    static String utc(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Start and end as EWS writes them: UTC instants. */
    static Instant instant(EventTime t, ZoneId zone) {
        return t.toInstant(zone);
    }

    /** A new CalendarItem element for CreateItem, in the schema's element order. */
    public static String createXml(Event e, EventKey key, ZoneId fallback) {
        ZoneId zone = zoneOf(e, fallback);
        String w = windowsZone(zone);
        StringBuilder x = new StringBuilder("<t:CalendarItem>");
        x.append("<t:Subject>").append(Xml.esc(e.summary())).append("</t:Subject>");
        e.description()
                .ifPresent(d -> x.append("<t:Body BodyType=\"Text\">")
                        .append(Xml.esc(d))
                        .append("</t:Body>"));
        if (key != null) {
            x.append("<t:ExtendedProperty>")
                    .append(extendedUri(KEY_PROPERTY))
                    .append("<t:Value>")
                    .append(Xml.esc(key.value()))
                    .append("</t:Value></t:ExtendedProperty>");
        }
        if (needsStatusProperty(e)) {
            x.append("<t:ExtendedProperty>")
                    .append(extendedUri(STATUS_PROPERTY))
                    .append("<t:Value>")
                    .append(e.status().name())
                    .append("</t:Value></t:ExtendedProperty>");
        }
        e.uid().ifPresent(u -> x.append("<t:UID>").append(Xml.esc(u)).append("</t:UID>"));
        x.append("<t:Start>").append(utc(instant(e.start(), zone))).append("</t:Start>");
        x.append("<t:End>").append(utc(instant(e.end(), zone))).append("</t:End>");
        x.append("<t:IsAllDayEvent>").append(e.isAllDay()).append("</t:IsAllDayEvent>");
        x.append("<t:LegacyFreeBusyStatus>").append(freeBusy(e)).append("</t:LegacyFreeBusyStatus>");
        e.location().ifPresent(l -> x.append("<t:Location>").append(Xml.esc(l)).append("</t:Location>"));
        attendeeList(x, "RequiredAttendees", e, Attendee.Role.REQUIRED);
        attendeeList(x, "OptionalAttendees", e, Attendee.Role.OPTIONAL);
        attendeeList(x, "Resources", e, null);
        e.recurrence().ifPresent(r -> x.append(recurrenceXml(e, r, zone)));
        x.append("<t:StartTimeZone Id=\"").append(Xml.esc(w)).append("\"/>");
        x.append("<t:EndTimeZone Id=\"").append(Xml.esc(w)).append("\"/>");
        return x.append("</t:CalendarItem>").toString();
    }

    static String recurrenceXml(Event e, Recurrence r, ZoneId zone) {
        if (r.rules().size() != 1 || !r.rdates().isEmpty()) {
            throw new InvalidInputException("recurrence", "Exchange takes exactly one recurrence rule and no RDATEs");
        }
        LocalDate startDate = e.start() instanceof EventTime.Zoned z
                ? z.dateTime().toLocalDate()
                : e.start().date();
        try {
            return RecurrenceXml.toXml(r.rules().get(0), startDate, zone);
        } catch (IllegalArgumentException ex) {
            throw new InvalidInputException("recurrence", ex.getMessage());
        }
    }

    static boolean needsStatusProperty(Event e) {
        return e.status() == EventStatus.TENTATIVE && e.transparency() == Transparency.TRANSPARENT;
    }

    static String freeBusy(Event e) {
        if (e.transparency() == Transparency.TRANSPARENT) {
            return "Free";
        }
        if (e.status() == EventStatus.TENTATIVE) {
            return "Tentative";
        }
        return switch (e.busyStatus()) {
            case OUT_OF_OFFICE -> "OOF";
            case WORKING_ELSEWHERE -> "WorkingElsewhere";
            case FREE -> "Free";
            default -> "Busy";
        };
    }

    private static void attendeeList(StringBuilder x, String list, Event e, Attendee.Role role) {
        List<Attendee> as = e.attendees().stream()
                .filter(a -> role == null
                        ? a.resource()
                        : !a.resource()
                                && (role == Attendee.Role.OPTIONAL
                                        ? a.role() == Attendee.Role.OPTIONAL
                                        : a.role() != Attendee.Role.OPTIONAL))
                .toList();
        if (as.isEmpty()) {
            return;
        }
        x.append("<t:").append(list).append(">");
        for (Attendee a : as) {
            x.append("<t:Attendee><t:Mailbox>");
            if (a.name() != null) {
                x.append("<t:Name>").append(Xml.esc(a.name())).append("</t:Name>");
            }
            x.append("<t:EmailAddress>").append(Xml.esc(a.mailbox().email())).append("</t:EmailAddress></t:Mailbox>");
            if (a.response() != Attendee.ResponseStatus.NEEDS_ACTION) {
                x.append("<t:ResponseType>").append(responseType(a.response())).append("</t:ResponseType>");
            }
            x.append("</t:Attendee>");
        }
        x.append("</t:").append(list).append(">");
    }

    /** The Updates of an UpdateItem that makes the item equal to {@code e} (recurrence included when {@code series}). */
    public static String updatesXml(Event e, ZoneId fallback, boolean series) {
        ZoneId zone = zoneOf(e, fallback);
        String w = windowsZone(zone);
        StringBuilder u = new StringBuilder("<t:Updates>");
        set(u, "item:Subject", "<t:Subject>" + Xml.esc(e.summary()) + "</t:Subject>");
        if (e.description().isPresent()) {
            set(
                    u,
                    "item:Body",
                    "<t:Body BodyType=\"Text\">" + Xml.esc(e.description().get()) + "</t:Body>");
        } else {
            delete(u, "item:Body");
        }
        u.append("<t:SetItemField>")
                .append(extendedUri(STATUS_PROPERTY))
                .append("<t:CalendarItem><t:ExtendedProperty>")
                .append(extendedUri(STATUS_PROPERTY))
                .append("<t:Value>")
                .append(e.status().name())
                .append("</t:Value></t:ExtendedProperty></t:CalendarItem></t:SetItemField>");
        set(u, "calendar:Start", "<t:Start>" + utc(instant(e.start(), zone)) + "</t:Start>");
        set(u, "calendar:End", "<t:End>" + utc(instant(e.end(), zone)) + "</t:End>");
        set(u, "calendar:IsAllDayEvent", "<t:IsAllDayEvent>" + e.isAllDay() + "</t:IsAllDayEvent>");
        set(u, "calendar:LegacyFreeBusyStatus", "<t:LegacyFreeBusyStatus>" + freeBusy(e) + "</t:LegacyFreeBusyStatus>");
        if (e.location().isPresent()) {
            set(u, "calendar:Location", "<t:Location>" + Xml.esc(e.location().get()) + "</t:Location>");
        } else {
            delete(u, "calendar:Location");
        }
        if (series) {
            for (String[] list :
                    new String[][] {{"RequiredAttendees", "R"}, {"OptionalAttendees", "O"}, {"Resources", "X"}}) {
                StringBuilder one = new StringBuilder();
                attendeeList(
                        one,
                        list[0],
                        e,
                        list[1].equals("R")
                                ? Attendee.Role.REQUIRED
                                : list[1].equals("O") ? Attendee.Role.OPTIONAL : null);
                if (one.length() == 0) {
                    delete(u, "calendar:" + list[0]);
                } else {
                    set(u, "calendar:" + list[0], one.toString());
                }
            }
            if (e.recurrence().isPresent()) {
                set(u, "calendar:Recurrence", recurrenceXml(e, e.recurrence().get(), zone));
            } else {
                delete(u, "calendar:Recurrence");
            }
        }
        set(u, "calendar:StartTimeZone", "<t:StartTimeZone Id=\"" + Xml.esc(w) + "\"/>");
        set(u, "calendar:EndTimeZone", "<t:EndTimeZone Id=\"" + Xml.esc(w) + "\"/>");
        return u.append("</t:Updates>").toString();
    }

    private static void set(StringBuilder u, String field, String value) {
        u.append("<t:SetItemField><t:FieldURI FieldURI=\"")
                .append(field)
                .append("\"/><t:CalendarItem>")
                .append(value)
                .append("</t:CalendarItem></t:SetItemField>");
    }

    private static void delete(StringBuilder u, String field) {
        u.append("<t:DeleteItemField><t:FieldURI FieldURI=\"").append(field).append("\"/></t:DeleteItemField>");
    }
}
