package org.calsdk.caldav.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import okhttp3.HttpUrl;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.EventChange;
import org.calsdk.api.SkippedEvent;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/**
 * Incremental changes. Where the calendar supports RFC 6578, a {@code sync-collection} REPORT with the
 * token kept in the cursor ({@code s:TOKEN}), asking for at most {@value #PAGE} members per answer
 * ({@code DAV:limit}; again without it where the server refuses to truncate): 403 {@code valid-sync-token} → {@link ChangeBatch.ResyncRequired};
 * a 507 entry for the collection (the server truncated the answer) → the changes so far with
 * {@code hasMore} and the returned token ({@code f:TOKEN} while a full read is still being handed out, so
 * that every batch of it says {@code full}). Elsewhere the cursor holds the collection's ctag and every
 * event's ETag ({@code e:...}, compressed): one Depth-0 PROPFIND tells whether anything changed, a
 * Depth-1 PROPFIND which events did. Changed events are read with {@code calendar-multiget}.
 */
final class CalDavChangeFeed implements ChangeFeed {
    private static final String SYNC = "s:";
    /** A sync token in the middle of a full read that the server handed out in pieces (507). */
    private static final String SYNC_FULL = "f:";

    private static final String ETAGS = "e:";
    /**
     * Members asked for per sync-collection answer ({@code DAV:limit}): about 200 KB of hrefs and etags, far
     * below the response cap even for a 100,000-event first sync, which then arrives in pieces. Each piece's
     * events are read and handed out together: with 5,000 a 100,000-event first sync in {@code -Xmx256m}
     * peaked at 233 MB (88 MB live), with 1,000 pieces at about 13 MB live.
     */
    static final int PAGE = 1_000;

    private final CalDavSession session;
    private final Resources resources;
    /** Set once the server refused {@code DAV:limit}: later reports on this connection go without it. */
    private volatile boolean noLimit;

    CalDavChangeFeed(CalDavSession session, Resources resources) {
        this.session = session;
        this.resources = resources;
    }

    private ErrorContext ctx() {
        return session.ctx().withMailbox(session.self());
    }

    @Override
    public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
        HttpUrl cal = session.calendarUrl(calendar);
        String v = cursor.value();
        if (cursor.isStart() || v.startsWith(SYNC) || v.startsWith(SYNC_FULL)) {
            String token = cursor.isStart() ? "" : v.substring(2);
            boolean full = cursor.isStart() || v.startsWith(SYNC_FULL);
            Optional<ChangeBatch> viaSync = syncCollection(cal, token, full);
            if (viaSync.isPresent()) {
                return viaSync.get();
            }
            if (!cursor.isStart()) {
                return new ChangeBatch.ResyncRequired("the server no longer supports sync-collection");
            }
            return etagChanges(cal, null);
        }
        if (v.startsWith(ETAGS)) {
            return etagChanges(cal, decode(v.substring(ETAGS.length())));
        }
        throw new InvalidInputException("cursor", "not a cursor of the CalDAV provider", ctx(), null);
    }

    /** Empty when the server does not support sync-collection on this calendar. */
    private Optional<ChangeBatch> syncCollection(HttpUrl cal, String token, boolean full) {
        DavResponse r;
        try {
            r = session.http().send("sync-collection", DavRequests.syncCollection(cal, token, noLimit ? 0 : PAGE));
        } catch (org.calsdk.errors.InsufficientStorageException e) {
            if (noLimit) {
                throw e;
            }
            r = null; // 507 for the request itself: the server will not truncate (the transport throws for it)
        }
        if (!noLimit && (r == null || refusedLimit(r))) {
            // a server that cannot truncate (RFC 6578 §3.7), or does not know DAV:limit: ask again without,
            // and from now on on this connection
            noLimit = true;
            r = session.http().send("sync-collection", DavRequests.syncCollection(cal, token, 0));
        }
        if (r.status() == 403 || r.status() == 409 || r.status() == 400) {
            if (Multistatus.errorNames(r.body(), Dav.DAV, "valid-sync-token", ctx())) {
                return Optional.of(new ChangeBatch.ResyncRequired(
                        "the server no longer accepts the sync token " + "(valid-sync-token)"));
            }
            if (!token.isEmpty() && r.status() != 400) {
                throw DavErrors.toException(r, ctx(), "reading changes");
            }
            return Optional.empty();
        }
        if (r.status() == 405 || r.status() == 501 || r.status() == 415) {
            return Optional.empty();
        }
        if (r.status() != 207) {
            throw DavErrors.toException(r, ctx(), "reading changes");
        }
        Multistatus ms = Multistatus.parse(r.body(), session.maxXml(), ctx());
        if (ms.syncToken() == null) {
            return Optional.empty(); // a server that ignored the report type
        }
        boolean truncated = false;
        List<String> changed = new ArrayList<>();
        Map<String, Boolean> order = new LinkedHashMap<>(); // href -> deleted?
        for (Multistatus.Entry e : ms.entries()) {
            HttpUrl url = Ids.resolveHref(r.url(), e.href(), ctx());
            if (Ids.asCollection(url).equals(cal)) {
                if (e.status() == 507) {
                    truncated = true;
                }
                continue;
            }
            String id = session.idOf(url);
            boolean deleted = e.status() == 404 || e.status() == 410;
            order.put(id, deleted);
            if (!deleted) {
                changed.add(id);
            }
        }
        List<SkippedEvent> skipped = new ArrayList<>();
        Map<String, Resources.Resource> read = resources.multiget(cal, changed, skipped);
        Set<String> unreadable = new HashSet<>();
        skipped.forEach(x -> unreadable.add(x.eventId()));
        List<EventChange> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : order.entrySet()) {
            Resources.Resource res = read.get(e.getKey());
            if (unreadable.contains(e.getKey())) {
                continue; // exists but cannot be read: reported as skipped, not as deleted
            }
            if (e.getValue() || res == null) {
                if (!full) {
                    out.add(new EventChange.Deleted(e.getKey(), null, null));
                }
            } else {
                out.add(new EventChange.Upserted(res.event()));
            }
        }
        // a full read handed out in pieces stays a full read until its last piece
        String prefix = full && truncated ? SYNC_FULL : SYNC;
        return Optional.of(
                new ChangeBatch.Changes(out, SyncCursor.of(prefix + ms.syncToken()), truncated, full, skipped));
    }

    /**
     * Whether the server may have refused the sync-collection's {@code DAV:limit}: 507 for the request itself,
     * an error naming {@code DAV:number-of-matches-within-limits} (RFC 6578 §3.7), or a bare 400 (a server that
     * does not know the element; asking again without it costs one round trip, once per connection).
     */
    private boolean refusedLimit(DavResponse r) {
        if (r.status() == 507) {
            return true;
        }
        if (r.status() == 400) {
            return !Multistatus.errorNames(r.body(), Dav.DAV, "valid-sync-token", ctx());
        }
        return (r.status() == 403 || r.status() == 409)
                && Multistatus.errorNames(r.body(), Dav.DAV, "number-of-matches-within-limits", ctx());
    }

    private record EtagState(String ctag, Map<String, String> etags) {}

    private ChangeBatch etagChanges(HttpUrl cal, EtagState before) {
        boolean full = before == null;
        if (!full) {
            DavResponse head =
                    session.http().send("propfind-ctag", DavRequests.propfind(cal, 0, DavRequests.TAG_PROPS));
            if (head.status() == 404) {
                return new ChangeBatch.ResyncRequired("the calendar is gone");
            }
            if (head.status() != 207) {
                throw DavErrors.toException(head, ctx(), "reading changes");
            }
            String ctag = ctag(Multistatus.parse(head.body(), session.maxXml(), ctx()), head.url(), cal);
            if (ctag != null && ctag.equals(before.ctag())) {
                return new ChangeBatch.Changes(List.of(), SyncCursor.of(ETAGS + encode(before)), false, false);
            }
        }
        DavResponse r = session.http()
                .send(
                        "propfind-etags",
                        DavRequests.propfind(cal, 1, "<D:resourcetype/><D:getetag/><CS:getctag/><D:sync-token/>"));
        if (r.status() != 207) {
            throw DavErrors.toException(r, ctx(), "reading changes");
        }
        Multistatus ms = Multistatus.parse(r.body(), session.maxXml(), ctx());
        String ctag = ctag(ms, r.url(), cal);
        Map<String, String> now = new TreeMap<>();
        for (Multistatus.Entry e : ms.entries()) {
            HttpUrl url = Ids.resolveHref(r.url(), e.href(), ctx());
            if (Ids.asCollection(url).equals(cal) || e.isType(Dav.DAV, "collection")) {
                continue;
            }
            now.put(session.idOf(url), e.text(Dav.DAV, "getetag").orElse(""));
        }
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String old = full ? null : before.etags().get(e.getKey());
            if (old == null || !old.equals(e.getValue()) || e.getValue().isEmpty()) {
                changed.add(e.getKey());
            }
        }
        List<SkippedEvent> skipped = new ArrayList<>();
        Map<String, Resources.Resource> read = resources.multiget(cal, changed, skipped);
        Set<String> unreadable = new HashSet<>();
        skipped.forEach(x -> unreadable.add(x.eventId()));
        List<EventChange> out = new ArrayList<>();
        for (String id : changed) {
            Resources.Resource res = read.get(id);
            if (res != null) {
                out.add(new EventChange.Upserted(res.event()));
            } else if (unreadable.contains(id)) {
                // keep its ETag: reported once as skipped, read again when it changes
            } else {
                now.remove(id); // not an event (or gone meanwhile): do not remember it
            }
        }
        if (!full) {
            for (String id : before.etags().keySet()) {
                if (!now.containsKey(id)) {
                    out.add(new EventChange.Deleted(id, null, null));
                }
            }
        }
        EtagState after = new EtagState(ctag == null ? "" : ctag, now);
        return new ChangeBatch.Changes(out, SyncCursor.of(ETAGS + encode(after)), false, full, skipped);
    }

    private String ctag(Multistatus ms, HttpUrl base, HttpUrl cal) {
        for (Multistatus.Entry e : ms.entries()) {
            if (Ids.asCollection(Ids.resolveHref(base, e.href(), ctx())).equals(cal)) {
                return e.text(Dav.CS, "getctag")
                        .or(() -> e.text(Dav.DAV, "sync-token"))
                        .orElse(null);
            }
        }
        return null;
    }

    @Override
    public Map<CalendarRef, String> changedCalendars(Mailbox mailbox, Map<String, String> knownTags) {
        session.requireSelf(mailbox);
        Objects.requireNonNull(knownTags, "knownTags == null");
        HttpUrl home = session.home();
        DavResponse r = session.http().send("propfind-tags", DavRequests.propfind(home, 1, DavRequests.TAG_PROPS));
        if (r.status() != 207) {
            throw DavErrors.toException(r, ctx(), "checking which calendars changed");
        }
        Multistatus ms = Multistatus.parse(r.body(), session.maxXml(), ctx());
        Map<CalendarRef, String> out = new LinkedHashMap<>();
        for (Multistatus.Entry e : ms.entries()) {
            if (!e.isType(Dav.CALDAV, "calendar")) {
                continue;
            }
            String id = session.idOf(Ids.asCollection(Ids.resolveHref(r.url(), e.href(), ctx())));
            String tag = e.text(Dav.DAV, "sync-token")
                    .or(() -> e.text(Dav.CS, "getctag"))
                    .orElse("");
            if (!tag.equals(knownTags.get(id)) || tag.isEmpty()) {
                out.put(CalendarRef.of(session.self(), id), tag);
            }
        }
        return out;
    }

    static String encode(EtagState s) {
        StringBuilder sb = new StringBuilder(s.ctag()).append('\n');
        s.etags().forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        byte[] raw = sb.toString().getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    EtagState decode(String s) {
        try {
            byte[] z = Base64.getUrlDecoder().decode(s);
            Inflater inf = new Inflater();
            inf.setInput(z);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
                if (out.size() > 64 * 1024 * 1024) {
                    throw new InvalidInputException("cursor", "cursor is too large", ctx(), null);
                }
            }
            inf.end();
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
            Map<String, String> etags = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                int tab = lines[i].indexOf('\t');
                if (tab < 0) {
                    throw new InvalidInputException("cursor", "not a cursor of the CalDAV provider", ctx(), null);
                }
                etags.put(lines[i].substring(0, tab), lines[i].substring(tab + 1));
            }
            return new EtagState(lines[0], etags);
        } catch (IllegalArgumentException | DataFormatException e) {
            throw new InvalidInputException("cursor", "not a cursor of the CalDAV provider", ctx(), e);
        }
    }
}
