package org.calsdk.google.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.EventChange;
import org.calsdk.api.SyncCursor;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/**
 * Incremental changes with Google's sync tokens. A full read lists the calendar page by page and ends
 * with {@code nextSyncToken}; an incremental read lists what changed since a token (deletions included,
 * as cancelled items) page by page. The cursor holds the mode and Google's token:
 * {@code F:<pageToken>} (a full read under way), {@code I:<pageToken>} (an incremental read under way),
 * {@code S:<syncToken>} (caught up). 410 {@code fullSyncRequired} → {@link ChangeBatch.ResyncRequired}.
 * A changed occurrence is reported as its whole series (master and exceptions, read in one batch with
 * the page's other series); a deleted event carries its key, read from its id.
 */
final class GoogleChangeFeed implements ChangeFeed {
    private final GoogleSession s;
    private final GoogleReader reader;

    GoogleChangeFeed(GoogleSession s, GoogleReader reader) {
        this.s = s;
        this.reader = reader;
    }

    @Override
    public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
        Mailbox m = calendar.mailbox();
        boolean full;
        String pageToken = null;
        String syncToken = null;
        String v = cursor.value();
        if (cursor.isStart()) {
            full = true;
        } else if (v.startsWith("F:") && v.length() > 2) {
            full = true;
            pageToken = v.substring(2);
        } else if (v.startsWith("I:") && v.indexOf('|') > 2) {
            full = false;
            syncToken = v.substring(2, v.indexOf('|'));
            pageToken = v.substring(v.indexOf('|') + 1);
        } else if (v.startsWith("S:") && v.length() > 2) {
            full = false;
            syncToken = v.substring(2);
        } else {
            return new ChangeBatch.ResyncRequired("not a cursor of the Google provider");
        }
        HttpUrl.Builder u = s.events(calendar)
                .addQueryParameter("maxResults", Integer.toString(s.pageSize()))
                .addQueryParameter("singleEvents", "false");
        if (syncToken != null) {
            u.addQueryParameter("syncToken", syncToken);
        }
        if (pageToken != null) {
            u.addQueryParameter("pageToken", pageToken);
        }
        HttpResponse r =
                s.send("events.list", m, new Request.Builder().url(u.build()).build(), true);
        if (r.status() == 410) {
            return new ChangeBatch.ResyncRequired("Google: the sync token is no longer valid (" + GoogleErrors.reason(r)
                    + "); a full sync is required");
        }
        if (!r.isSuccessful()) {
            throw GoogleErrors.toException(r, s.ctx(m), "reading changes", s.clock());
        }
        Map<String, Object> page = Json.object(r.body(), s.ctx(m));
        List<EventChange> changes = changes(calendar, Json.objects(page, "items"), full);
        String next = Json.str(page, "nextPageToken");
        if (next != null) {
            SyncCursor more = SyncCursor.of(full ? "F:" + next : "I:" + syncToken + "|" + next);
            return new ChangeBatch.Changes(changes, more, true, full, ChangeBatch.Coverage.EVERYTHING);
        }
        String nextSync = Json.str(page, "nextSyncToken");
        if (nextSync == null) {
            throw new org.calsdk.errors.MalformedDataException(
                    "Google's last page of events has no nextSyncToken", s.ctx(m), null);
        }
        return new ChangeBatch.Changes(
                changes, SyncCursor.of("S:" + nextSync), false, full, ChangeBatch.Coverage.EVERYTHING);
    }

    private List<EventChange> changes(CalendarRef calendar, List<Map<String, Object>> items, boolean full) {
        Map<String, Map<String, Object>> masters = new LinkedHashMap<>();
        List<String> mastersToRead = new ArrayList<>();
        Map<String, EventChange> out = new LinkedHashMap<>();
        for (Map<String, Object> e : items) {
            String id = Json.str(e, "id");
            if (EventCodec.isInstance(e)) {
                String master = Json.str(e, "recurringEventId");
                if (!masters.containsKey(master) && !mastersToRead.contains(master)) {
                    mastersToRead.add(master);
                    out.put(master, null);
                }
                continue;
            }
            if (EventCodec.isCancelled(e)) {
                if (!full) {
                    out.put(id, deleted(e));
                }
                continue;
            }
            if (EventCodec.isRecurring(e)) {
                masters.put(id, e);
                mastersToRead.remove(id);
                out.put(id, null);
            } else {
                out.put(id, new EventChange.Upserted(s.codec().event(e)));
            }
        }
        Map<String, Map<String, Object>> read = readMasters(calendar, mastersToRead);
        for (String id : mastersToRead) {
            Map<String, Object> master = read.get(id);
            if (master == null || EventCodec.isCancelled(master)) {
                if (master != null && !full) {
                    out.put(id, deleted(master));
                } else {
                    out.remove(id);
                }
            } else {
                masters.put(id, master);
            }
        }
        Map<String, List<Map<String, Object>>> exceptions =
                reader.exceptions(calendar, new ArrayList<>(masters.values()));
        masters.forEach((id, master) -> out.put(
                id, new EventChange.Upserted(s.codec().series(master, exceptions.getOrDefault(id, List.of())))));
        List<EventChange> list = new ArrayList<>();
        out.values().forEach(c -> {
            if (c != null) {
                list.add(c);
            }
        });
        return list;
    }

    /** The masters of changed occurrences: one {@code events.get}, or one batch for several. */
    private Map<String, Map<String, Object>> readMasters(CalendarRef calendar, List<String> ids) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (ids.size() == 1) {
            reader.raw(calendar, ids.get(0)).ifPresent(m -> out.put(ids.get(0), m));
            return out;
        }
        List<Batch.Call> calls = new ArrayList<>();
        ids.forEach(id -> calls.add(
                new Batch.Call("GET", s.relative(s.events(calendar, id).build()), null)));
        List<Batch.Answer> answers = ids.isEmpty() ? List.of() : s.batch("series-masters", calendar.mailbox(), calls);
        for (int i = 0; i < answers.size(); i++) {
            Batch.Answer a = answers.get(i);
            if (a.status() == 404 || a.status() == 410) {
                continue;
            }
            if (a.status() < 200 || a.status() > 299) {
                throw s.error(a, calendar.mailbox(), "reading the series of changed occurrences");
            }
            out.put(ids.get(i), Json.object(a.body(), s.ctx(calendar.mailbox())));
        }
        return out;
    }

    private static EventChange.Deleted deleted(Map<String, Object> e) {
        String id = Json.str(e, "id");
        Map<String, Object> priv = Json.map(Json.map(e, "extendedProperties"), "private");
        String key = priv == null ? null : Json.str(priv, EventCodec.KEY_PROPERTY);
        EventKey k = key != null ? EventKey.of(key) : Ids.keyOf(id).orElse(null);
        return new EventChange.Deleted(id, Json.str(e, "iCalUID"), k);
    }
}
