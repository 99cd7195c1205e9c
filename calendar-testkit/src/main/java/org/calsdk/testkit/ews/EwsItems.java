package org.calsdk.testkit.ews;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.model.Transparency;
import org.calsdk.tz.TimeZones;

/**
 * The fake's translation between the EWS {@code CalendarItem} element and the core event model it
 * keeps its state in. Times on the wire are UTC with the item's {@code StartTimeZone}; all-day items are
 * midnight to midnight in that zone.
 */
final class EwsItems {
    static final String KEY_PROPERTY = "CalSdkEventKey";
    static final String STATUS_PROPERTY = "CalSdkStatus";

    private EwsItems() {}

    /** Fields of a CalendarItem element, applied over {@code base} (null: a new item). */
    static Event apply(Event base, El item, Map<String, String> extended) {
        Event.Builder b = base == null ? Event.builder() : base.toBuilder();
        ZoneId zone = item.path("StartTimeZone")
                .flatMap(z -> z.attr("Id"))
                .flatMap(TimeZones::find)
                .or(() -> item.text("StartTimeZoneId").flatMap(TimeZones::find))
                .orElse(base == null ? ZoneOffset.UTC : zoneOf(base));
        boolean allDay = item.text("IsAllDayEvent").map(Boolean::parseBoolean).orElse(base != null && base.isAllDay());
        item.text("Subject").ifPresent(b::summary);
        item.text("Body").ifPresent(s -> b.description(s.isEmpty() ? null : s));
        item.text("Location").ifPresent(s -> b.location(s.isEmpty() ? null : s));
        item.text("UID").ifPresent(b::uid);
        Optional<Instant> start = item.text("Start").map(Instant::parse);
        Optional<Instant> end = item.text("End").map(Instant::parse);
        boolean timesTouched = start.isPresent()
                || end.isPresent()
                || item.child("IsAllDayEvent").isPresent()
                || item.child("StartTimeZone").isPresent();
        if (timesTouched) {
            Instant s = start.orElseGet(() -> base.start().toInstant(zone));
            Instant e = end.orElseGet(() -> base.end().toInstant(zone));
            if (allDay) {
                LocalDate sd = s.atZone(zone).toLocalDate();
                LocalDate ed = e.atZone(zone).toLocalDate();
                if (!ed.isAfter(sd)) {
                    ed = sd.plusDays(1);
                }
                b.time(EventTime.allDay(sd), EventTime.allDay(ed));
            } else {
                b.time(EventTime.of(s.atZone(zone)), EventTime.of(e.atZone(zone)));
            }
        }
        item.text("LegacyFreeBusyStatus").ifPresent(fb -> {
            switch (fb) {
                case "Free" ->
                    b.transparency(Transparency.TRANSPARENT).showAs(null).status(EventStatus.CONFIRMED);
                case "Tentative" ->
                    b.transparency(Transparency.OPAQUE).showAs(null).status(EventStatus.TENTATIVE);
                case "OOF" ->
                    b.transparency(Transparency.OPAQUE)
                            .showAs(BusyStatus.OUT_OF_OFFICE)
                            .status(EventStatus.CONFIRMED);
                case "WorkingElsewhere" ->
                    b.transparency(Transparency.OPAQUE)
                            .showAs(BusyStatus.WORKING_ELSEWHERE)
                            .status(EventStatus.CONFIRMED);
                default -> b.transparency(Transparency.OPAQUE).showAs(null).status(EventStatus.CONFIRMED);
            }
        });
        String st = extended.get(STATUS_PROPERTY);
        if (st != null) {
            b.status(EventStatus.valueOf(st));
        }
        List<Attendee> attendees = null;
        for (String list : List.of("RequiredAttendees", "OptionalAttendees", "Resources")) {
            Optional<El> l = item.child(list);
            if (l.isEmpty()) {
                continue;
            }
            if (attendees == null) {
                attendees = new ArrayList<>(base == null ? List.of() : base.attendees());
            }
            // the list replaces the attendees of its kind
            attendees.removeIf(a -> list.equals("Resources")
                    ? a.resource()
                    : !a.resource() && (list.equals("OptionalAttendees") == (a.role() == Attendee.Role.OPTIONAL)));
            for (El a : l.get().all("Attendee")) {
                El mb = a.child("Mailbox")
                        .orElseThrow(() -> new IllegalArgumentException("an Attendee without a Mailbox"));
                Mailbox m = Mailbox.of(mb.text("EmailAddress")
                        .orElseThrow(() -> new IllegalArgumentException("an attendee Mailbox without EmailAddress")));
                attendees.add(new Attendee(
                        m,
                        mb.text("Name").orElse(null),
                        role(list),
                        response(a.text("ResponseType").orElse("Unknown")),
                        list.equals("Resources")));
            }
        }
        if (attendees != null) {
            b.attendees(attendees);
        }
        item.path("Organizer", "Mailbox")
                .flatMap(m -> m.text("EmailAddress"))
                .ifPresent(e -> b.organizer(new Organizer(
                        Mailbox.of(e),
                        item.path("Organizer", "Mailbox")
                                .flatMap(m -> m.text("Name"))
                                .orElse(null))));
        Optional<El> rec = item.child("Recurrence");
        if (rec.isPresent()) {
            Event now = b.build();
            // like Exchange, a new recurrence pattern drops the series' modified and deleted occurrences
            b.recurrence(new Recurrence(List.of(rrule(rec.get(), now)), List.of(), List.of()))
                    .overrides(List.of());
        }
        return b.build();
    }

    static String rrule(El rec, Event event) {
        El pattern = null;
        El range = null;
        for (El c : rec.children()) {
            if (EwsRecurrence.isRange(c.name())) {
                range = c;
            } else if (EwsRecurrence.isPattern(c.name())) {
                pattern = c;
            }
        }
        if (pattern == null || range == null) {
            throw new IllegalArgumentException("a Recurrence needs a pattern and a range");
        }
        ZoneId zone = zoneOf(event);
        java.time.LocalTime t =
                event.start() instanceof EventTime.Zoned z ? z.dateTime().toLocalTime() : java.time.LocalTime.MIDNIGHT;
        return EwsRecurrence.rrule(
                pattern.name(), pattern.values(), range.name(), range.values(), zone, t, event.isAllDay());
    }

    static ZoneId zoneOf(Event e) {
        return e.start() instanceof EventTime.Zoned z ? z.zone() : ZoneOffset.UTC;
    }

    static Attendee.Role role(String list) {
        return list.equals("OptionalAttendees")
                ? Attendee.Role.OPTIONAL
                : list.equals("Resources") ? Attendee.Role.NON_PARTICIPANT : Attendee.Role.REQUIRED;
    }

    static Attendee.ResponseStatus response(String t) {
        return switch (t) {
            case "Accept" -> Attendee.ResponseStatus.ACCEPTED;
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

    static String utc(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String freeBusy(Event e) {
        if (e.transparency() == Transparency.TRANSPARENT) {
            return "Free";
        }
        if (e.status() == EventStatus.TENTATIVE) {
            return "Tentative";
        }
        BusyStatus s = e.busyStatus();
        return switch (s) {
            case OUT_OF_OFFICE -> "OOF";
            case WORKING_ELSEWHERE -> "WorkingElsewhere";
            case FREE -> "Free";
            case TENTATIVE -> "Tentative";
            default -> "Busy";
        };
    }

    static String windowsZone(ZoneId zone) {
        return TimeZones.windowsName(zone).orElse("UTC");
    }

    /** The whole CalendarItem element as the fake answers it. */
    static String toXml(EwsStore.Item item, Event e, String id, String type, EwsStore.Item master, boolean full) {
        ZoneId zone = zoneOf(e);
        StringBuilder x = new StringBuilder("<t:CalendarItem>");
        x.append("<t:ItemId Id=\"")
                .append(El.esc(id))
                .append("\" ChangeKey=\"")
                .append(item.changeKey())
                .append("\"/>");
        x.append("<t:ParentFolderId Id=\"").append(El.esc(item.folderId)).append("\" ChangeKey=\"AQAAAA==\"/>");
        x.append("<t:ItemClass>IPM.Appointment</t:ItemClass>");
        x.append("<t:Subject>").append(El.esc(e.summary())).append("</t:Subject>");
        if (full) {
            x.append("<t:Body BodyType=\"Text\">")
                    .append(El.esc(e.description().orElse("")))
                    .append("</t:Body>");
        }
        x.append("<t:DateTimeCreated>").append(utc(item.created)).append("</t:DateTimeCreated>");
        if (full) {
            for (Map.Entry<String, String> p : item.extended.entrySet()) {
                x.append(
                                "<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"")
                        .append(El.esc(p.getKey()))
                        .append("\" PropertyType=\"String\"/><t:Value>")
                        .append(El.esc(p.getValue()))
                        .append("</t:Value></t:ExtendedProperty>");
            }
        }
        x.append("<t:LastModifiedTime>").append(utc(item.modified)).append("</t:LastModifiedTime>");
        x.append("<t:UID>").append(El.esc(e.uid().orElse(item.id))).append("</t:UID>");
        Instant s = e.start().toInstant(zone);
        Instant en = e.end().toInstant(zone);
        x.append("<t:Start>")
                .append(utc(s))
                .append("</t:Start><t:End>")
                .append(utc(en))
                .append("</t:End>");
        if (e.recurrenceId().isPresent()) {
            x.append("<t:OriginalStart>")
                    .append(utc(e.recurrenceId().get().toInstant(zone)))
                    .append("</t:OriginalStart>");
        }
        x.append("<t:IsAllDayEvent>").append(e.isAllDay()).append("</t:IsAllDayEvent>");
        x.append("<t:LegacyFreeBusyStatus>").append(freeBusy(e)).append("</t:LegacyFreeBusyStatus>");
        e.location().ifPresent(l -> x.append("<t:Location>").append(El.esc(l)).append("</t:Location>"));
        x.append("<t:IsMeeting>").append(!e.attendees().isEmpty()).append("</t:IsMeeting>");
        x.append("<t:IsCancelled>").append(e.isCancelled()).append("</t:IsCancelled>");
        x.append("<t:IsRecurring>").append(!type.equals("Single")).append("</t:IsRecurring>");
        x.append("<t:CalendarItemType>").append(type).append("</t:CalendarItemType>");
        x.append("<t:MyResponseType>").append(item.myResponse).append("</t:MyResponseType>");
        e.organizer()
                .ifPresent(o -> x.append("<t:Organizer>")
                        .append(mailbox(o.mailbox(), o.name()))
                        .append("</t:Organizer>"));
        if (full) {
            attendees(x, "RequiredAttendees", e, a -> a.role() != Attendee.Role.OPTIONAL && !a.resource());
            attendees(x, "OptionalAttendees", e, a -> a.role() == Attendee.Role.OPTIONAL && !a.resource());
            attendees(x, "Resources", e, Attendee::resource);
        }
        if (full && type.equals("RecurringMaster") && e.recurrence().isPresent()) {
            LocalDate startDate = e.start() instanceof EventTime.Zoned z
                    ? z.dateTime().toLocalDate()
                    : e.start().date();
            x.append(EwsRecurrence.xml(e.recurrence().get().rules().get(0), startDate, zone));
            if (!e.overrides().isEmpty()) {
                x.append("<t:ModifiedOccurrences>");
                for (Event o : e.overrides()) {
                    x.append("<t:Occurrence><t:ItemId Id=\"")
                            .append(El.esc(EwsStore.occurrenceId(
                                    item.id, o.recurrenceId().get(), zone)))
                            .append("\" ChangeKey=\"")
                            .append(item.changeKey())
                            .append("\"/><t:Start>")
                            .append(utc(o.start().toInstant(zone)))
                            .append("</t:Start><t:End>")
                            .append(utc(o.end().toInstant(zone)))
                            .append("</t:End><t:OriginalStart>")
                            .append(utc(o.recurrenceId().get().toInstant(zone)))
                            .append("</t:OriginalStart></t:Occurrence>");
                }
                x.append("</t:ModifiedOccurrences>");
            }
            List<EventTime> ex = e.recurrence().get().exdates();
            if (!ex.isEmpty()) {
                x.append("<t:DeletedOccurrences>");
                for (EventTime t : ex) {
                    x.append("<t:DeletedOccurrence><t:Start>")
                            .append(utc(t.toInstant(zone)))
                            .append("</t:Start></t:DeletedOccurrence>");
                }
                x.append("</t:DeletedOccurrences>");
            }
        }
        String w = windowsZone(zone);
        x.append("<t:StartTimeZone Id=\"")
                .append(El.esc(w))
                .append("\" Name=\"")
                .append(El.esc(w))
                .append("\"/>");
        x.append("<t:EndTimeZone Id=\"")
                .append(El.esc(w))
                .append("\" Name=\"")
                .append(El.esc(w))
                .append("\"/>");
        return x.append("</t:CalendarItem>").toString();
    }

    private static void attendees(StringBuilder x, String list, Event e, java.util.function.Predicate<Attendee> which) {
        List<Attendee> as = e.attendees().stream().filter(which).toList();
        if (as.isEmpty()) {
            return;
        }
        x.append("<t:").append(list).append(">");
        for (Attendee a : as) {
            x.append("<t:Attendee>")
                    .append(mailbox(a.mailbox(), a.name()))
                    .append("<t:ResponseType>")
                    .append(responseType(a.response()))
                    .append("</t:ResponseType></t:Attendee>");
        }
        x.append("</t:").append(list).append(">");
    }

    static String mailbox(Mailbox m, String name) {
        return "<t:Mailbox><t:Name>" + El.esc(name == null ? m.email() : name) + "</t:Name><t:EmailAddress>"
                + El.esc(m.email())
                + "</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox>";
    }

    /** The start of an occurrence of {@code e} at {@code originalStart} as the event's own kind of time. */
    static EventTime timeLike(Event e, Instant instant) {
        ZoneId zone = zoneOf(e);
        if (e.isAllDay()) {
            return EventTime.allDay(instant.atZone(zone).toLocalDate());
        }
        return EventTime.of(ZonedDateTime.ofInstant(instant, zone));
    }
}
