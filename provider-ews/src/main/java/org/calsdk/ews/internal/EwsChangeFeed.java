package org.calsdk.ews.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.EventChange;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;

/**
 * Incremental changes through {@code SyncFolderItems}: {@value #MAX_CHANGES} changes a call; each
 * {@link #changes} call makes one and says {@code hasMore} until Exchange reports
 * {@code IncludesLastItemInRange}, so memory stays bounded however large the calendar. The cursor holds
 * the sync state, which calendar it belongs to and whether it continues a full read;
 * {@code ErrorInvalidSyncStateData} answers {@link ChangeBatch.ResyncRequired}. Created and changed
 * items are read whole ({@code GetItem}, series with their overrides); a deletion names the item id
 * only (Exchange no longer has the key then).
 */
public final class EwsChangeFeed implements ChangeFeed {
    static final int MAX_CHANGES = 512;
    private static final String PREFIX = "ews1";

    private final EwsSession session;
    private final EwsReader reader;

    public EwsChangeFeed(EwsSession session, EwsReader reader) {
        this.session = session;
        this.reader = reader;
    }

    @Override
    public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
        String state = "";
        boolean full = cursor.isStart();
        if (!cursor.isStart()) {
            String[] c = decode(cursor.value(), calendar);
            full = c[0].equals("F");
            state = c[1];
        }
        StringBuilder body = new StringBuilder(
                        "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>")
                .append("<m:SyncFolderId>")
                .append(session.folder(calendar))
                .append("</m:SyncFolderId>");
        if (!state.isEmpty()) {
            body.append("<m:SyncState>").append(Xml.esc(state)).append("</m:SyncState>");
        }
        body.append("<m:MaxChangesReturned>")
                .append(MAX_CHANGES)
                .append("</m:MaxChangesReturned>")
                .append("<m:SyncScope>NormalItems</m:SyncScope></m:SyncFolderItems>");
        Xml.Node r;
        try {
            r = session.call("SyncFolderItems", body.toString(), true);
        } catch (InvalidInputException e) {
            // some servers say it as a SOAP fault instead of a response message: the same outcome
            if (e.getMessage() != null && e.getMessage().contains("ErrorInvalidSyncStateData")) {
                return new ChangeBatch.ResyncRequired("Exchange: ErrorInvalidSyncStateData");
            }
            throw e;
        }
        Xml.Node msg = EwsWriter.first(r, "SyncFolderItems");
        if (EwsClient.isError(msg) && "ErrorInvalidSyncStateData".equals(EwsClient.code(msg))) {
            return new ChangeBatch.ResyncRequired(
                    "Exchange: " + msg.text("MessageText").orElse("ErrorInvalidSyncStateData"));
        }
        session.client().check(msg, "SyncFolderItems", session.self());
        String next = msg.text("SyncState")
                .orElseThrow(() -> new MalformedDataException(
                        "EWS SyncFolderItems answered without " + "a SyncState", session.context(), null));
        boolean last =
                msg.text("IncludesLastItemInRange").map(Boolean::parseBoolean).orElse(true);
        Map<String, Boolean> upserts = new LinkedHashMap<>();
        List<EventChange> changes = new ArrayList<>();
        List<String> order = new ArrayList<>();
        Map<String, EventChange> deleted = new LinkedHashMap<>();
        for (Xml.Node ch : msg.child("Changes").map(Xml.Node::children).orElse(List.of())) {
            String id = ch.find("ItemId").map(i -> i.attrs().get("Id")).orElse(null);
            if (id == null) {
                continue;
            }
            switch (ch.name()) {
                case "Create", "Update" -> {
                    upserts.put(id, true);
                    deleted.remove(id);
                    order.remove(id);
                    order.add(id);
                }
                case "Delete" -> {
                    upserts.remove(id);
                    order.remove(id);
                    order.add(id);
                    deleted.put(id, new EventChange.Deleted(id, null, null));
                }
                default -> {
                    // ReadFlagChange: not a calendar change
                }
            }
        }
        Map<String, Event> read = new LinkedHashMap<>();
        for (Event e : reader.full(new ArrayList<>(upserts.keySet()), false)) {
            read.put(e.id().orElseThrow(), e);
        }
        for (String id : order) {
            if (deleted.containsKey(id)) {
                changes.add(deleted.get(id));
            } else if (read.containsKey(id)) {
                changes.add(new EventChange.Upserted(read.get(id)));
            } else {
                // changed, then deleted before it could be read: the next sync says Delete
                changes.add(new EventChange.Deleted(id, null, null));
            }
        }
        return new ChangeBatch.Changes(
                changes, SyncCursor.of(encode(calendar, full && !last ? "F" : "I", next)), !last, full);
    }

    private static String encode(CalendarRef calendar, String mode, String state) {
        String raw =
                PREFIX + "\n" + calendar.mailbox().normalized() + "\n" + calendar.id() + "\n" + mode + "\n" + state;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor, CalendarRef calendar) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor", "not a cursor of the EWS provider");
        }
        String[] p = raw.split("\n", 5);
        if (p.length != 5 || !p[0].equals(PREFIX) || !(p[3].equals("F") || p[3].equals("I"))) {
            throw new InvalidInputException("cursor", "not a cursor of the EWS provider");
        }
        if (!p[1].equals(calendar.mailbox().normalized()) || !p[2].equals(calendar.id())) {
            throw new InvalidInputException("cursor", "the cursor belongs to another calendar");
        }
        return new String[] {p[3], p[4]};
    }
}
