package org.calsdk.ews.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.calsdk.api.EventWriter;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Writes calendar items: {@code CreateItem} (the key in an extended property, found again before creating
 * and after an ambiguous failure), {@code UpdateItem} with the {@code ChangeKey} (a stale one is
 * {@code ErrorIrresolvableConflict} → {@link ConflictException}), {@code DeleteItem}, occurrences by
 * {@code OccurrenceItemId} (master id and 1-based instance index), and meeting responses.
 *
 * <p>Exchange cannot create a series with its exceptions in one call: a series with overrides or EXDATEs
 * is created, then each override written to its occurrence and each EXDATE's occurrence deleted.
 *
 * <p>Who is told follows {@link WriteOptions}: {@link WriteOptions.Notify#ALL} sends invitations, updates
 * and cancellations ({@code SendToAllAndSaveCopy}) when an event has attendees, {@link WriteOptions.Notify#NONE}
 * sends nothing ({@code SendToNone}; an answer is saved with {@code MessageDisposition="SaveOnly"}, as the
 * EWS Managed API's {@code accept(false)} does). {@link WriteOptions.Removal#CANCEL} by the organizer of a
 * meeting is {@code CancelCalendarItem} (the cancellation goes out and the item is removed); with
 * {@code Notify.NONE}, or for an event without attendees or of another organizer, it is a plain
 * {@code DeleteItem}. {@link WriteOptions.Notify#EXTERNAL_ONLY} has no EWS equivalent and is refused.
 */
public final class EwsWriter implements EventWriter {
    private final EwsSession session;
    private final EwsReader reader;

    public EwsWriter(EwsSession session, EwsReader reader) {
        this.session = session;
        this.reader = reader;
    }

    /** The SendMeetingInvitations / ...OrCancellations / SendMeetingCancellations value for a write. */
    private String sendMode(WriteOptions options, boolean meeting, String operation) {
        java.util.Objects.requireNonNull(options, "options");
        return switch (options.notifications()) {
            case ALL -> meeting ? "SendToAllAndSaveCopy" : "SendToNone";
            case NONE -> "SendToNone";
            case EXTERNAL_ONLY ->
                throw new UnsupportedCapabilityException(
                        "EWS cannot notify only external attendees (" + operation
                                + " with Notify.EXTERNAL_ONLY); use Notify.ALL or Notify.NONE",
                        session.context());
        };
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event) {
        return create(calendar, key, event, WriteOptions.defaults());
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event, WriteOptions options) {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(event, "event");
        Optional<Event> existing = reader.findByKey(calendar, key);
        if (existing.isPresent()) {
            return existing.get();
        }
        String xml = EwsItems.createXml(event, key, session.zone());
        String invitations = sendMode(options, !event.attendees().isEmpty(), "create");
        String id;
        try {
            Xml.Node r = session.call(
                    "CreateItem",
                    "<m:CreateItem SendMeetingInvitations=\"" + invitations + "\"><m:SavedItemFolderId>"
                            + session.folder(calendar) + "</m:SavedItemFolderId><m:Items>" + xml
                            + "</m:Items></m:CreateItem>",
                    false);
            Xml.Node m = session.client().check(first(r, "CreateItem"), "CreateItem", session.self());
            id = m.path("Items", "CalendarItem", "ItemId")
                    .map(i -> i.attrs().get("Id"))
                    .orElseThrow(() -> new MalformedDataException(
                            "EWS CreateItem answered without the new item's id", session.context(), null));
        } catch (ProviderUnavailableException e) {
            // the request may have arrived: the key tells whether it did
            Optional<String> made = reader.idByKey(calendar, key);
            if (made.isEmpty()) {
                throw e;
            }
            id = made.get();
        }
        if (event.isRecurring()
                && (!event.overrides().isEmpty()
                        || !event.recurrence().get().exdates().isEmpty())) {
            Event stored = reader.get(calendar, id).orElseThrow(() -> EwsReader.gone(session, "just created"));
            applyExceptions(stored, event, options);
        }
        return reader.get(calendar, id).orElseThrow(() -> EwsReader.gone(session, "just created"));
    }

    /** Writes the overrides and EXDATEs of {@code wanted} onto the freshly written series {@code master}. */
    private void applyExceptions(Event master, Event wanted, WriteOptions options) {
        String masterId = master.id().orElseThrow();
        for (Event o : wanted.overrides()) {
            int index = instanceIndex(master, o.recurrenceId().orElseThrow());
            updateOccurrenceItem(masterId, index, o, master, options);
        }
        for (EventTime ex : wanted.recurrence().get().exdates()) {
            int index = instanceIndex(master, ex);
            deleteItems(
                    "<t:OccurrenceItemId RecurringMasterId=\"" + Xml.esc(masterId) + "\" InstanceIndex=\"" + index
                            + "\"/>",
                    sendMode(options, !master.attendees().isEmpty(), "create"));
        }
    }

    /** The 1-based position of the occurrence at {@code recurrenceId} in the series' pattern. */
    static int instanceIndex(Event master, EventTime recurrenceId) {
        ZoneId zone = EwsItems.zoneOf(master, java.time.ZoneOffset.UTC);
        Event bare = master.toBuilder()
                .overrides(List.of())
                .recurrence(master.recurrence()
                        .orElseThrow(() -> new InvalidInputException("seriesId", "the event is not a recurring series"))
                        .withExdates(List.of()))
                .build();
        Instant target = recurrenceId.toInstant(zone);
        Instant from = master.start().toInstant(zone);
        if (target.isBefore(from)) {
            throw new InvalidInputException(
                    "recurrenceId", "the occurrence " + recurrenceId + " is before the series starts");
        }
        int i = 0;
        for (Occurrence o : (Iterable<Occurrence>) Recurrences.expand(
                bare, TimeWindow.of(from, target.plusSeconds(1)), java.time.ZoneOffset.UTC)::iterator) {
            i++;
            if (o.recurrenceId().toInstant(zone).equals(target)) {
                return i;
            }
        }
        throw new InvalidInputException("recurrenceId", "the series has no occurrence at " + recurrenceId);
    }

    private void updateOccurrenceItem(String masterId, int index, Event override, Event master, WriteOptions options) {
        String updates = EwsItems.updatesXml(override, EwsItems.zoneOf(master, session.zone()), false);
        update(
                "<t:OccurrenceItemId RecurringMasterId=\"" + Xml.esc(masterId) + "\" InstanceIndex=\"" + index + "\"/>",
                updates,
                null,
                sendMode(options, !master.attendees().isEmpty(), "updateOccurrence"));
    }

    private void update(String idXml, String updates, String changeKey, String sendMode) {
        String resolution = changeKey == null ? "AlwaysOverwrite" : "AutoResolve";
        Xml.Node r = session.call(
                "UpdateItem",
                "<m:UpdateItem MessageDisposition=\"SaveOnly\" ConflictResolution=\"" + resolution
                        + "\" SendMeetingInvitationsOrCancellations=\"" + sendMode + "\"><m:ItemChanges>"
                        + "<t:ItemChange>" + idXml + updates + "</t:ItemChange></m:ItemChanges></m:UpdateItem>",
                false);
        session.client().check(first(r, "UpdateItem"), "UpdateItem", session.self());
    }

    private void deleteItems(String idXml, String sendMode) {
        Xml.Node r = session.call(
                "DeleteItem",
                "<m:DeleteItem DeleteType=\"MoveToDeletedItems\" SendMeetingCancellations=\""
                        + sendMode + "\" AffectedTaskOccurrences=\"AllOccurrences\"><m:ItemIds>"
                        + idXml + "</m:ItemIds></m:DeleteItem>",
                false);
        session.client().check(first(r, "DeleteItem"), "DeleteItem", session.self());
    }

    @Override
    public Event update(CalendarRef calendar, Event event) {
        return update(calendar, event, WriteOptions.defaults());
    }

    @Override
    public Event update(CalendarRef calendar, Event event, WriteOptions options) {
        String send = sendMode(options, !event.attendees().isEmpty(), "update");
        String id = event.id().orElseThrow(() -> new InvalidInputException("id", "an update needs the event's id"));
        session.folder(calendar);
        String changeKey = event.version().orElse(null);
        String idXml = "<t:ItemId Id=\"" + Xml.esc(id) + "\""
                + (changeKey == null ? "" : " ChangeKey=\"" + Xml.esc(changeKey) + "\"") + "/>";
        try {
            update(idXml, EwsItems.updatesXml(event, session.zone(), true), changeKey, send);
        } catch (NotFoundException e) {
            throw new NotFoundException(
                    "EWS UpdateItem: the calendar item " + id + " does not exist (any more)", session.context(), e);
        }
        if (event.isRecurring()) {
            // a new pattern drops the series' exceptions in Exchange: write them again
            Event stored = reader.get(calendar, id).orElseThrow(() -> EwsReader.gone(session, id));
            if (!event.overrides().isEmpty()
                    || !event.recurrence().get().exdates().isEmpty()) {
                applyExceptions(stored, event, options);
            }
        }
        return reader.get(calendar, id).orElseThrow(() -> EwsReader.gone(session, id));
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
        delete(calendar, eventId, expectedVersion, WriteOptions.defaults());
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion, WriteOptions options) {
        session.folder(calendar);
        String send = sendMode(options, true, "delete");
        String changeKey = null;
        if (expectedVersion != null) {
            Optional<String> current = reader.changeKey(eventId);
            if (current.isEmpty()) {
                return;
            }
            if (!current.get().equals(expectedVersion)) {
                throw new ConflictException(
                        "EWS DeleteItem: the calendar item " + eventId + " changed since it was read",
                        session.context(),
                        current.get());
            }
            changeKey = current.get();
        }
        try {
            if (options.removal() == WriteOptions.Removal.CANCEL
                    && options.notifications() == WriteOptions.Notify.ALL
                    && cancelMeeting(calendar, eventId, changeKey)) {
                return;
            }
            deleteItems("<t:ItemId Id=\"" + Xml.esc(eventId) + "\"/>", send);
        } catch (NotFoundException e) {
            // already gone: the wanted state
        } catch (InvalidInputException e) {
            if (!e.getMessage().contains("ErrorInvalidId")) {
                throw e;
            }
        }
    }

    /**
     * {@code CancelCalendarItem} when this mailbox organizes {@code eventId} and it has attendees: the
     * cancellation is sent and Exchange removes the item. False when it is not such a meeting (then a plain
     * delete is right).
     */
    private boolean cancelMeeting(CalendarRef calendar, String eventId, String changeKey) {
        Optional<Event> event = reader.get(calendar, eventId);
        if (event.isEmpty()) {
            return true; // gone already
        }
        Event e = event.get();
        boolean organizer = e.organizer()
                .map(o -> session.self() == null || o.mailbox().equals(session.self()))
                .orElse(true);
        if (!organizer || e.attendees().isEmpty()) {
            return false;
        }
        Xml.Node r = session.call(
                "CreateItem",
                "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items>"
                        + "<t:CancelCalendarItem><t:ReferenceItemId Id=\"" + Xml.esc(eventId) + "\""
                        + (changeKey == null ? "" : " ChangeKey=\"" + Xml.esc(changeKey) + "\"")
                        + "/></t:CancelCalendarItem></m:Items></m:CreateItem>",
                false);
        session.client().check(first(r, "CreateItem"), "CreateItem", session.self());
        return true;
    }

    /**
     * The series, checked against {@code expectedVersion}: the version of the occurrence at {@code rid} when it
     * is already an override (an occurrence keeps its own version), else the series' own.
     */
    private Event master(CalendarRef calendar, String seriesId, EventTime rid, String expectedVersion) {
        Event master = reader.get(calendar, seriesId)
                .orElseThrow(() -> new NotFoundException("EWS: no series " + seriesId, session.context()));
        if (!master.isRecurring()) {
            throw new InvalidInputException("seriesId", "the event " + seriesId + " is not a recurring series");
        }
        if (expectedVersion != null) {
            ZoneId zone = EwsItems.zoneOf(master, java.time.ZoneOffset.UTC);
            String current = master.overrides().stream()
                    .filter(o -> o.recurrenceId().orElseThrow().toInstant(zone).equals(rid.toInstant(zone)))
                    .findFirst()
                    .flatMap(Event::version)
                    .or(master::version)
                    .orElse(null);
            if (!expectedVersion.equals(current)) {
                throw new ConflictException(
                        "EWS: the occurrence " + rid + " of series " + seriesId + " changed since it " + "was read",
                        session.context(),
                        current);
            }
        }
        return master;
    }

    @Override
    public Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String expectedVersion) {
        return updateOccurrence(calendar, seriesId, override, expectedVersion, WriteOptions.defaults());
    }

    @Override
    public Event updateOccurrence(
            CalendarRef calendar, String seriesId, Event override, String expectedVersion, WriteOptions options) {
        sendMode(options, false, "updateOccurrence");
        EventTime rid = override.recurrenceId()
                .orElseThrow(() -> new InvalidInputException(
                        "recurrenceId", "an override names its occurrence with recurrenceId"));
        Event master = master(calendar, seriesId, rid, expectedVersion);
        updateOccurrenceItem(seriesId, instanceIndex(master, rid), override, master, options);
        return reader.get(calendar, seriesId).orElseThrow(() -> EwsReader.gone(session, seriesId));
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
        return cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion, WriteOptions.defaults());
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar,
            String seriesId,
            EventTime recurrenceId,
            String expectedVersion,
            WriteOptions options) {
        sendMode(options, false, "cancelOccurrence");
        Event master = master(calendar, seriesId, recurrenceId, expectedVersion);
        try {
            deleteItems(
                    "<t:OccurrenceItemId RecurringMasterId=\"" + Xml.esc(seriesId) + "\" InstanceIndex=\""
                            + instanceIndex(master, recurrenceId) + "\"/>",
                    sendMode(options, !master.attendees().isEmpty(), "cancelOccurrence"));
        } catch (NotFoundException e) {
            // deleted already
        }
        return reader.get(calendar, seriesId).orElseThrow(() -> EwsReader.gone(session, seriesId));
    }

    @Override
    public Event respond(CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response) {
        return respond(calendar, eventId, attendee, response, WriteOptions.defaults());
    }

    @Override
    public Event respond(
            CalendarRef calendar,
            String eventId,
            Mailbox attendee,
            Attendee.ResponseStatus response,
            WriteOptions options) {
        boolean send = sendMode(options, true, "respond").equals("SendToAllAndSaveCopy");
        session.folder(calendar);
        if (session.self() != null && !attendee.equals(session.self())) {
            throw new InvalidInputException(
                    "attendee",
                    "EWS answers an invitation as the mailbox acted as (" + session.self() + "), not as " + attendee);
        }
        Event event = reader.get(calendar, eventId).orElseThrow(() -> EwsReader.gone(session, eventId));
        boolean organizer =
                event.organizer().map(o -> o.mailbox().equals(attendee)).orElse(true);
        if (organizer) {
            // the organizer's own copy has no invitation to answer: record the answer on its attendee list
            List<Attendee> as = new ArrayList<>();
            for (Attendee a : event.attendees()) {
                as.add(a.mailbox().equals(attendee) ? a.withResponse(response) : a);
            }
            Event changed = event.toBuilder().attendees(as).build();
            update("<t:ItemId Id=\"" + Xml.esc(eventId) + "\"/>", attendeesOnly(changed), null, "SendToNone");
        } else {
            String element = switch (response) {
                case ACCEPTED -> "AcceptItem";
                case DECLINED -> "DeclineItem";
                case TENTATIVE -> "TentativelyAcceptItem";
                default ->
                    throw new InvalidInputException(
                            "response", "an invitation is answered with accepted, tentative or declined");
            };
            // an answer kept silent is saved, not sent (what the EWS Managed API's accept(false) does)
            Xml.Node r = session.call(
                    "CreateItem",
                    "<m:CreateItem MessageDisposition=\"" + (send ? "SendAndSaveCopy" : "SaveOnly")
                            + "\"><m:Items><t:" + element
                            + "><t:ReferenceItemId Id=\"" + Xml.esc(eventId) + "\"/></t:" + element
                            + "></m:Items></m:CreateItem>",
                    false);
            session.client().check(first(r, "CreateItem"), "CreateItem", session.self());
        }
        return reader.get(calendar, eventId).orElseThrow(() -> EwsReader.gone(session, eventId));
    }

    private String attendeesOnly(Event e) {
        String all = EwsItems.updatesXml(e, session.zone(), true);
        // keep only the attendee lists of the full set of updates
        StringBuilder u = new StringBuilder("<t:Updates>");
        for (String list : List.of("RequiredAttendees", "OptionalAttendees", "Resources")) {
            int at = all.indexOf("FieldURI=\"calendar:" + list + "\"");
            if (at < 0) {
                continue;
            }
            int start = all.lastIndexOf("<t:", all.lastIndexOf("<t:FieldURI", at) - 1);
            String tag = all.startsWith("<t:SetItemField>", start) ? "</t:SetItemField>" : "</t:DeleteItemField>";
            int end = all.indexOf(tag, at) + tag.length();
            u.append(all, start, end);
        }
        return u.append("</t:Updates>").toString();
    }

    static Xml.Node first(Xml.Node response, String op) {
        List<Xml.Node> m = EwsClient.messages(response);
        if (m.isEmpty()) {
            throw new CalendarException("EWS " + op + " answered without a response message", null, false, null);
        }
        return m.get(0);
    }
}
