package org.calsdk.ews.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Reads a mailbox's calendar: {@code GetFolder} for the calendar, {@code FindItem} with a
 * {@code CalendarView} for a window (occurrences, grouped by series), {@code GetItem} for the full items
 * (series masters with their deleted occurrences, then their modified occurrences as overrides), and
 * {@code FindItem} restricted by the key's extended property for {@link #findByKey}.
 */
public final class EwsReader implements EventReader {
    /** Occurrences one CalendarView call may return before the window is split. */
    static final int VIEW_MAX = 1000;
    /** Item ids per GetItem call. */
    static final int GET_BATCH = 100;

    private static final int MAX_SPLITS = 8;

    private final EwsSession session;

    public EwsReader(EwsSession session) {
        this.session = session;
    }

    @Override
    public List<CalendarInfo> calendars(Mailbox mailbox) {
        CalendarRef ref = CalendarRef.primary(mailbox);
        Xml.Node r = session.call(
                "GetFolder",
                "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>" + "<m:FolderIds>"
                        + session.folder(ref) + "</m:FolderIds></m:GetFolder>",
                true);
        List<CalendarInfo> out = new ArrayList<>();
        for (Xml.Node m : EwsClient.messages(r)) {
            session.client().check(m, "GetFolder", mailbox);
            Xml.Node folder = m.path("Folders", "CalendarFolder")
                    .orElseThrow(() -> new MalformedDataException(
                            "EWS GetFolder answered without a CalendarFolder", session.context(), null));
            String tag = folder.child("FolderId")
                    .map(f -> f.attrs().get("ChangeKey"))
                    .orElse(null);
            out.add(new CalendarInfo(
                    ref, folder.text("DisplayName").orElse("Calendar"), null, Set.of("VEVENT"), false, true, tag));
        }
        return out;
    }

    @Override
    public EventPage list(EventQuery query) {
        List<Event> all = window(query.calendar(), query.window());
        int offset = 0;
        if (query.pageToken() != null) {
            try {
                offset = Integer.parseInt(query.pageToken());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("pageToken", "not a page token of this provider");
            }
            if (offset < 0 || offset > all.size()) {
                throw new InvalidInputException("pageToken", "the page token is out of range");
            }
        }
        int end = Math.min(all.size(), offset + query.pageSize());
        return new EventPage(all.subList(offset, end), end < all.size() ? Integer.toString(end) : null);
    }

    /** Every event (series whole) with an occurrence in {@code window}, sorted by id. */
    List<Event> window(CalendarRef calendar, TimeWindow window) {
        Map<String, String> singles = new LinkedHashMap<>();
        Map<String, String> seriesByUid = new LinkedHashMap<>();
        view(calendar, window, singles, seriesByUid, 0);
        List<String> ids = new ArrayList<>(singles.keySet());
        List<Event> events = new ArrayList<>(full(ids, false));
        List<String> masters = new ArrayList<>(seriesByUid.values());
        events.addAll(full(masters, true));
        Map<String, Event> unique = new LinkedHashMap<>();
        for (Event e : events) {
            unique.put(e.id().orElseThrow(), e);
        }
        List<Event> out = new ArrayList<>(unique.values());
        out.sort(Comparator.comparing(e -> e.id().orElseThrow()));
        return out;
    }

    private void view(
            CalendarRef calendar,
            TimeWindow window,
            Map<String, String> singles,
            Map<String, String> seriesByUid,
            int depth) {
        Xml.Node r = session.call(
                "FindItem",
                "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
                        + "<t:AdditionalProperties><t:FieldURI FieldURI=\"calendar:CalendarItemType\"/><t:FieldURI FieldURI=\"calendar:UID\"/>"
                        + "<t:FieldURI FieldURI=\"calendar:Start\"/></t:AdditionalProperties></m:ItemShape>"
                        + "<m:CalendarView MaxEntriesReturned=\"" + VIEW_MAX + "\" StartDate=\""
                        + EwsItems.utc(window.start())
                        + "\" EndDate=\"" + EwsItems.utc(window.end()) + "\"/><m:ParentFolderIds>"
                        + session.folder(calendar)
                        + "</m:ParentFolderIds></m:FindItem>",
                true);
        Xml.Node msg = session.client()
                .check(
                        EwsClient.messages(r).stream()
                                .findFirst()
                                .orElseThrow(() -> new MalformedDataException(
                                        "EWS FindItem answered without a response message", session.context(), null)),
                        "FindItem",
                        session.self());
        Xml.Node root = msg.child("RootFolder")
                .orElseThrow(() -> new MalformedDataException(
                        "EWS FindItem answered without " + "a RootFolder", session.context(), null));
        boolean last = !"false".equalsIgnoreCase(root.attrs().getOrDefault("IncludesLastItemInRange", "true"));
        if (!last) {
            Duration half = window.duration().dividedBy(2);
            if (depth >= MAX_SPLITS || half.toMinutes() < 1) {
                throw new org.calsdk.errors.CalendarException(
                        "EWS FindItem: more than " + VIEW_MAX + " occurrences in " + "a window of " + window.duration()
                                + "; ask for a shorter window",
                        session.context(),
                        false,
                        null);
            }
            Instant mid = window.start().plus(half);
            view(calendar, TimeWindow.of(window.start(), mid), singles, seriesByUid, depth + 1);
            view(calendar, TimeWindow.of(mid, window.end()), singles, seriesByUid, depth + 1);
            return;
        }
        for (Xml.Node item : root.child("Items").map(Xml.Node::children).orElse(List.of())) {
            String id = item.child("ItemId").map(i -> i.attrs().get("Id")).orElse(null);
            if (id == null) {
                continue;
            }
            String type = item.text("CalendarItemType").orElse("Single");
            if (type.equals("Occurrence") || type.equals("Exception")) {
                seriesByUid.putIfAbsent(item.text("UID").orElse(id), id);
            } else {
                singles.putIfAbsent(id, id);
            }
        }
    }

    /**
     * Full items for {@code ids}, series masters with their overrides; {@code occurrenceIds}: the ids name
     * occurrences whose masters are wanted. Ids that are gone are skipped.
     */
    List<Event> full(List<String> ids, boolean occurrenceIds) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += GET_BATCH) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + GET_BATCH));
            StringBuilder idXml = new StringBuilder();
            for (String id : chunk) {
                idXml.append(occurrenceIds ? "<t:RecurringMasterItemId OccurrenceId=\"" : "<t:ItemId Id=\"")
                        .append(Xml.esc(id))
                        .append("\"/>");
            }
            List<Xml.Node> items = getItems(idXml.toString());
            List<String> modified = new ArrayList<>();
            List<Xml.Node> masters = new ArrayList<>();
            for (Xml.Node item : items) {
                if ("RecurringMaster".equals(item.text("CalendarItemType").orElse(""))) {
                    masters.add(item);
                    modified.addAll(EwsItems.modifiedOccurrenceIds(item));
                } else {
                    out.add(EwsItems.read(item, session.context()));
                }
            }
            Map<String, List<Event>> overridesByUid = new LinkedHashMap<>();
            for (int j = 0; j < modified.size(); j += GET_BATCH) {
                StringBuilder occ = new StringBuilder();
                modified.subList(j, Math.min(modified.size(), j + GET_BATCH))
                        .forEach(id -> occ.append("<t:ItemId Id=\"")
                                .append(Xml.esc(id))
                                .append("\"/>"));
                for (Xml.Node o : getItems(occ.toString())) {
                    Event e = EwsItems.read(o, session.context());
                    // an occurrence keeps its own ChangeKey as its version
                    Event override = e.toBuilder()
                            .id(null)
                            .recurrence(null)
                            .overrides(List.of())
                            .key(null)
                            .build();
                    overridesByUid
                            .computeIfAbsent(e.uid().orElse(""), k -> new ArrayList<>())
                            .add(override);
                }
            }
            for (Xml.Node m : masters) {
                Event e = EwsItems.read(m, session.context());
                List<Event> ov = overridesByUid.getOrDefault(e.uid().orElse(""), List.of());
                out.add(ov.isEmpty() ? e : e.toBuilder().overrides(ov).build());
            }
        }
        return out;
    }

    /** GetItem with a full shape; items that are gone are left out. */
    private List<Xml.Node> getItems(String idXml) {
        Xml.Node r = session.call(
                "GetItem",
                "<m:GetItem>" + EwsItems.fullShape() + "<m:ItemIds>" + idXml + "</m:ItemIds></m:GetItem>",
                true);
        List<Xml.Node> items = new ArrayList<>();
        for (Xml.Node m : EwsClient.messages(r)) {
            String code = EwsClient.code(m);
            if (EwsClient.isError(m)
                    && (code.equals("ErrorItemNotFound")
                            || code.startsWith("ErrorInvalidId")
                            || code.equals("ErrorCalendarOccurrenceIsDeletedFromRecurrence"))) {
                continue;
            }
            session.client().check(m, "GetItem", session.self());
            m.child("Items").ifPresent(i -> i.children().forEach(items::add));
        }
        return items;
    }

    @Override
    public Optional<Event> get(CalendarRef calendar, String eventId) {
        session.folder(calendar);
        if (eventId == null || eventId.isBlank()) {
            return Optional.empty();
        }
        List<Event> e = full(List.of(eventId), false);
        return e.stream().findFirst();
    }

    @Override
    public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
        Optional<String> id = idByKey(calendar, key);
        return id.flatMap(i -> get(calendar, i));
    }

    /** The id of the item carrying {@code key}, if any. */
    Optional<String> idByKey(CalendarRef calendar, EventKey key) {
        Xml.Node r = session.call(
                "FindItem",
                "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
                        + "</m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"2\" Offset=\"0\" BasePoint=\"Beginning\"/>"
                        + "<m:Restriction><t:IsEqualTo>" + EwsItems.extendedUri(EwsItems.KEY_PROPERTY)
                        + "<t:FieldURIOrConstant>"
                        + "<t:Constant Value=\"" + Xml.esc(key.value())
                        + "\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
                        + "<m:ParentFolderIds>" + session.folder(calendar) + "</m:ParentFolderIds></m:FindItem>",
                true);
        for (Xml.Node m : EwsClient.messages(r)) {
            session.client().check(m, "FindItem", session.self());
            Optional<Xml.Node> first = m.path("RootFolder", "Items")
                    .flatMap(i -> i.children().stream().findFirst());
            if (first.isPresent()) {
                return first.get().child("ItemId").map(i -> i.attrs().get("Id"));
            }
        }
        return Optional.empty();
    }

    /** The current ChangeKey of an item, or empty when it is gone. */
    Optional<String> changeKey(String itemId) {
        Xml.Node r = session.call(
                "GetItem",
                "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds>" + "<t:ItemId Id=\""
                        + Xml.esc(itemId) + "\"/></m:ItemIds></m:GetItem>",
                true);
        for (Xml.Node m : EwsClient.messages(r)) {
            if (EwsClient.isError(m)
                    && (EwsClient.code(m).equals("ErrorItemNotFound")
                            || EwsClient.code(m).startsWith("ErrorInvalidId"))) {
                return Optional.empty();
            }
            session.client().check(m, "GetItem", session.self());
            return m.path("Items")
                    .flatMap(i -> i.children().stream().findFirst())
                    .flatMap(i -> i.child("ItemId"))
                    .map(i -> i.attrs().get("ChangeKey"));
        }
        return Optional.empty();
    }

    static NotFoundException gone(EwsSession s, String id) {
        return new NotFoundException("EWS: no calendar item " + id, s.context());
    }
}
