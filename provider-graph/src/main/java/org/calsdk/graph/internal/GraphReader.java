package org.calsdk.graph.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.HttpResponse;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;

/**
 * Reads calendars and events. A list is a {@code calendarView} page; the occurrences and exceptions of a
 * series in it are folded into their series master (read once, with its exceptions as overrides and its
 * deleted occurrences as EXDATEs), as the core's series model wants.
 */
public final class GraphReader implements EventReader {
    /** How far ahead an endless series is searched for exceptions and deleted occurrences. */
    static final Duration SERIES_HORIZON = Duration.ofDays(2 * 366);

    private static final int MAX_SERIES_OCCURRENCES = 1000;
    private static final int MAX_PAGES = 50;
    private static final int MAX_EMITTED_IN_TOKEN = 500;

    private final GraphSession s;

    public GraphReader(GraphSession session) {
        this.s = session;
    }

    @Override
    public List<CalendarInfo> calendars(Mailbox mailbox) {
        HttpUrl url = s.client()
                .url("users", mailbox.email(), "calendars")
                .addQueryParameter("$top", "250")
                .build();
        List<CalendarInfo> out = new ArrayList<>();
        for (int page = 0; url != null && page < MAX_PAGES; page++) {
            Map<String, Object> body = s.client().get("calendars", mailbox, url);
            for (Map<String, Object> c : GraphClient.values(body)) {
                String id = Json.str(c, "id");
                if (id == null) {
                    continue;
                }
                boolean primary = Json.bool(c, "isDefaultCalendar");
                boolean canEdit = !Boolean.FALSE.equals(c.get("canEdit"));
                out.add(new CalendarInfo(
                        CalendarRef.of(mailbox, primary ? CalendarRef.PRIMARY : id),
                        Json.str(c, "name"),
                        Json.str(c, "hexColor") != null ? Json.str(c, "hexColor") : Json.str(c, "color"),
                        java.util.Set.of("VEVENT"),
                        !canEdit,
                        primary,
                        Json.str(c, "changeKey")));
            }
            url = nextLink(body, mailbox);
        }
        return out;
    }

    HttpUrl nextLink(Map<String, Object> body, Mailbox mailbox) {
        return s.client().serverLink(Json.str(body, "@odata.nextLink"), mailbox);
    }

    @Override
    public EventPage list(EventQuery query) {
        CalendarRef cal = query.calendar();
        HttpUrl url;
        Set<String> emitted = new LinkedHashSet<>();
        if (query.pageToken() == null) {
            url = s.calendarUrl(cal, "calendarView")
                    .addQueryParameter(
                            "startDateTime",
                            EventMapper.queryTime(query.window().start()))
                    .addQueryParameter(
                            "endDateTime", EventMapper.queryTime(query.window().end()))
                    .addQueryParameter("$top", Integer.toString(Math.min(query.pageSize(), 1000)))
                    .addQueryParameter("$expand", EventMapper.EXPAND)
                    .build();
        } else {
            PageToken t = PageToken.decode(query.pageToken());
            url = HttpUrl.parse(t.link());
            if (url == null || !s.client().isUnderBase(url)) {
                throw new InvalidInputException("pageToken", "not a page token of this Graph connection");
            }
            emitted.addAll(t.emitted());
        }
        Map<String, Object> body = s.client().get("calendarView", cal.mailbox(), url);
        List<Event> events = new ArrayList<>();
        for (Map<String, Object> g : GraphClient.values(body)) {
            String master = Json.str(g, "seriesMasterId");
            if (master != null) {
                if (emitted.add(master)) {
                    get(cal, master).ifPresent(events::add);
                }
            } else if (!"seriesMaster".equals(Json.str(g, "type"))) {
                events.add(s.mapper().read(g));
            } else if (emitted.add(Json.str(g, "id"))) {
                events.add(series(cal, g));
            }
        }
        HttpUrl next = nextLink(body, cal.mailbox());
        if (next == null) {
            return new EventPage(events, null);
        }
        List<String> keep = new ArrayList<>(emitted);
        if (keep.size() > MAX_EMITTED_IN_TOKEN) {
            keep = keep.subList(keep.size() - MAX_EMITTED_IN_TOKEN, keep.size());
        }
        return new EventPage(events, new PageToken(next.toString(), keep).encode());
    }

    @Override
    public Optional<Event> get(CalendarRef calendar, String eventId) {
        HttpUrl url = s.eventUrl(calendar, eventId)
                .addQueryParameter("$expand", EventMapper.EXPAND)
                .build();
        HttpResponse r = s.client().send("events.get", calendar.mailbox(), "GET", url, null, null);
        if (r.status() == 404 && !GraphClient.errorCode(parseQuietly(r)).equals("ErrorInvalidUser")) {
            return Optional.empty();
        }
        if (!r.isSuccessful()) {
            throw s.client().error(r, calendar.mailbox(), "events.get");
        }
        Map<String, Object> g = s.client().parse(r, calendar.mailbox(), "events.get");
        if ("seriesMaster".equals(Json.str(g, "type"))) {
            return Optional.of(series(calendar, g));
        }
        return Optional.of(s.mapper().read(g));
    }

    private static Map<String, Object> parseQuietly(HttpResponse r) {
        try {
            return r.body().length == 0 ? Map.of() : Json.object(r.body());
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    @Override
    public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
        String filter = "singleValueExtendedProperties/any(ep: ep/id eq '" + EventMapper.KEY_PROPERTY
                + "' and ep/value eq '" + key.value().replace("'", "''") + "')";
        HttpUrl url = s.calendarUrl(calendar, "events")
                .addQueryParameter("$filter", filter)
                .addQueryParameter("$expand", EventMapper.EXPAND)
                .addQueryParameter("$top", "2")
                .build();
        List<Map<String, Object>> found =
                GraphClient.values(s.client().get("events.findByKey", calendar.mailbox(), url));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> g = found.get(0);
        return Optional.of(
                "seriesMaster".equals(Json.str(g, "type"))
                        ? series(calendar, g)
                        : s.mapper().read(g));
    }

    /**
     * A series master with its exceptions (as overrides) and deleted occurrences (as EXDATEs): the
     * instances over the series' span (up to {@link #SERIES_HORIZON} for an endless one) compared with what
     * its pattern generates.
     */
    Event series(CalendarRef calendar, Map<String, Object> masterJson) {
        Event master = s.mapper().read(masterJson);
        ZoneId zone = s.mapper().zoneOf(masterJson);
        Instant first = master.start().toInstant(zone);
        TimeWindow span = TimeWindow.of(first.minus(Duration.ofDays(1)), first.plus(SERIES_HORIZON));
        List<Occurrence> expected;
        try (Stream<Occurrence> st = Recurrences.expand(master, span, zone)) {
            expected = st.limit(MAX_SERIES_OCCURRENCES).toList();
        }
        Instant last = expected.isEmpty()
                ? first
                : expected.get(expected.size() - 1).end().toInstant(zone);
        TimeWindow look = TimeWindow.of(span.start(), last.plus(Duration.ofDays(31)));
        Map<Instant, Map<String, Object>> instances =
                instances(calendar, master.id().orElseThrow(), look);
        List<EventTime> exdates = new ArrayList<>();
        for (Occurrence o : expected) {
            Instant original = o.recurrenceId().toInstant(zone);
            if (!instances.containsKey(original)) {
                exdates.add(o.recurrenceId());
            }
        }
        List<Event> overrides = new ArrayList<>();
        for (Map<String, Object> i : instances.values()) {
            if ("exception".equals(Json.str(i, "type"))) {
                overrides.add(s.mapper().read(i));
            }
        }
        Recurrence rec = master.recurrence().orElseThrow();
        return master.toBuilder()
                .recurrence(rec.withExdates(exdates))
                .overrides(overrides)
                .build();
    }

    /** The occurrences and exceptions of a series in a window, by original start. */
    Map<Instant, Map<String, Object>> instances(CalendarRef calendar, String masterId, TimeWindow window) {
        HttpUrl url = s.eventUrl(calendar, masterId, "instances")
                .addQueryParameter("startDateTime", EventMapper.queryTime(window.start()))
                .addQueryParameter("endDateTime", EventMapper.queryTime(window.end()))
                .addQueryParameter("$top", "500")
                .build();
        Map<Instant, Map<String, Object>> out = new LinkedHashMap<>();
        for (int page = 0; url != null && page < MAX_PAGES; page++) {
            Map<String, Object> body = s.client().get("events.instances", calendar.mailbox(), url);
            for (Map<String, Object> i : GraphClient.values(body)) {
                String original = Json.str(i, "originalStart");
                if (original != null) {
                    out.put(java.time.OffsetDateTime.parse(original).toInstant(), i);
                }
            }
            url = nextLink(body, calendar.mailbox());
        }
        return out;
    }

    /** A list page token: Graph's next link and the series already listed (so a series is listed once). */
    record PageToken(String link, List<String> emitted) {
        String encode() {
            String raw = "g1\n" + link + "\n" + String.join(",", emitted);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static PageToken decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] parts = raw.split("\n", -1);
                if (parts.length != 3 || !parts[0].equals("g1")) {
                    throw new IllegalArgumentException("not ours");
                }
                List<String> emitted = parts[2].isEmpty() ? List.of() : List.of(parts[2].split(","));
                return new PageToken(parts[1], emitted);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("pageToken", "not a page token of the Graph provider");
            }
        }
    }
}
