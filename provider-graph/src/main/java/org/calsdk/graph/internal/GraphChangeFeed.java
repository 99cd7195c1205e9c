package org.calsdk.graph.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.EventChange;
import org.calsdk.api.SyncCursor;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;

/**
 * Incremental reads with {@code calendarView/delta} over a sync window (from {@code syncWindowPast}
 * before now to {@code syncWindowFuture} after it, fixed when a full read starts). The cursor holds the
 * window and Graph's next or delta link; pages are sized with {@code Prefer: odata.maxpagesize}. An
 * expired token (410 {@code syncStateNotFound}, or any 410) answers {@link ChangeBatch.ResyncRequired}, and
 * so does an incremental read once the window's start lags more than a day behind where the clock puts it
 * (the window rolls forward by a full read).
 * Occurrences and exceptions come as their own upserts naming their series master
 * ({@link EventChange.Upserted#seriesId()}); a series master listed by the feed is read with its exceptions.
 *
 * <p>Cursor format: {@code graph1|F or I|window start|window end|link} (F while a full read is still
 * paging).
 */
public final class GraphChangeFeed implements ChangeFeed {
    static final int PAGE_SIZE = 100;
    /** How far the window may lag behind the clock before a full read over the current window is asked for. */
    static final java.time.Duration WINDOW_ROLL = java.time.Duration.ofDays(1);

    private static final String PREFIX = "graph1|";

    private final GraphSession s;
    private final GraphReader reader;

    public GraphChangeFeed(GraphSession session, GraphReader reader) {
        this.s = session;
        this.reader = reader;
    }

    private record Cursor(boolean full, Instant start, Instant end, HttpUrl link) {
        String encode() {
            return PREFIX + (full ? "F" : "I") + "|" + start + "|" + end + "|" + link;
        }
    }

    private Optional<Cursor> decode(SyncCursor c) {
        String v = c.value();
        if (!v.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] p = v.substring(PREFIX.length()).split("\\|", 4);
        if (p.length != 4) {
            return Optional.empty();
        }
        try {
            HttpUrl link = HttpUrl.parse(p[3]);
            if (link == null || !s.client().isUnderBase(link)) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(p[0].equals("F"), Instant.parse(p[1]), Instant.parse(p[2]), link));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> quiet(HttpResponse r) {
        try {
            return r.body().length == 0 ? Map.of() : Json.object(r.body());
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    @Override
    public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
        Cursor from;
        if (cursor.isStart()) {
            Instant now = s.client().clock().instant();
            Instant start = now.minus(s.syncPast());
            Instant end = now.plus(s.syncFuture());
            HttpUrl url = s.calendarUrl(calendar, "calendarView", "delta")
                    .addQueryParameter("startDateTime", EventMapper.queryTime(start))
                    .addQueryParameter("endDateTime", EventMapper.queryTime(end))
                    .build();
            from = new Cursor(true, start, end, url);
        } else {
            Optional<Cursor> c = decode(cursor);
            if (c.isEmpty()) {
                return new ChangeBatch.ResyncRequired("the cursor was not issued by this Graph connection");
            }
            from = c.get();
            Instant wanted = s.client().clock().instant().minus(s.syncPast());
            if (!from.full() && wanted.isAfter(from.start().plus(WINDOW_ROLL))) {
                // the window rolls forward: a delta token covers only the window it started with
                return new ChangeBatch.ResyncRequired("the sync window moved forward (it started at " + from.start()
                        + "): read again from the start over the current window");
            }
        }
        HttpResponse r = s.client()
                .send(
                        "delta",
                        calendar.mailbox(),
                        "GET",
                        from.link(),
                        null,
                        Map.of("Prefer", "odata.maxpagesize=" + PAGE_SIZE));
        String code = r.isSuccessful() ? "" : GraphClient.errorCode(quiet(r));
        if (r.status() == 410 || code.toLowerCase(java.util.Locale.ROOT).contains("syncstate")) {
            return new ChangeBatch.ResyncRequired("Graph no longer knows the delta token (HTTP " + r.status()
                    + (code.isEmpty() ? "" : " " + code) + "): read again from the start");
        }
        if (!r.isSuccessful()) {
            throw s.client().error(r, calendar.mailbox(), "delta");
        }
        Map<String, Object> body = s.client().parse(r, calendar.mailbox(), "delta");
        List<EventChange> changes = new ArrayList<>();
        for (Map<String, Object> g : GraphClient.values(body)) {
            String id = Json.str(g, "id");
            if (id == null) {
                continue;
            }
            if (g.containsKey("@removed")) {
                changes.add(new EventChange.Deleted(id, null, null));
                continue;
            }
            String master = Json.str(g, "seriesMasterId");
            if (master != null && !"seriesMaster".equals(Json.str(g, "type"))) {
                // an occurrence or exception, listed on its own as the windowed feed gives it: it names its
                // series, and only it changed (the whole series is not read again for it)
                Event occurrence = s.mapper().read(g);
                if (occurrence.recurrenceId().isEmpty()) {
                    occurrence = occurrence.toBuilder()
                            .recurrenceId(occurrence.start())
                            .build(); // no originalStart
                }
                changes.add(new EventChange.Upserted(
                        occurrence.toBuilder()
                                .recurrence(null)
                                .overrides(List.of())
                                .build(),
                        master));
                continue;
            }
            Event e = "seriesMaster".equals(Json.str(g, "type"))
                    ? reader.series(calendar, g)
                    : s.mapper().read(g);
            changes.add(new EventChange.Upserted(e)); // a cancelled meeting is an upsert with status CANCELLED
        }
        String next = Json.str(body, "@odata.nextLink");
        String delta = Json.str(body, "@odata.deltaLink");
        String link = next != null ? next : delta;
        HttpUrl linkUrl = link == null ? null : HttpUrl.parse(link);
        if (linkUrl == null || !s.client().isUnderBase(linkUrl)) {
            throw new org.calsdk.errors.MalformedDataException(
                    "Graph's delta answer has neither a next link nor a " + "delta link under the base URL",
                    s.client().context(calendar.mailbox()),
                    null);
        }
        boolean more = next != null;
        Cursor after = new Cursor(from.full() && more, from.start(), from.end(), linkUrl);
        // calendarView/delta reports only events inside its window: the engine may infer deletions only there
        return new ChangeBatch.Changes(
                changes,
                SyncCursor.of(after.encode()),
                more,
                from.full(),
                ChangeBatch.Coverage.window(org.calsdk.model.TimeWindow.of(from.start(), from.end())));
    }
}
