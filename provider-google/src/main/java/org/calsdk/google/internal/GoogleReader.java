package org.calsdk.google.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.errors.NotFoundException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/**
 * Reads calendars and events. A page of {@code events.list} ({@code singleEvents=false}) holds single
 * events, series masters and changed occurrences; each master on the page gets its exceptions from one
 * {@code events.list?iCalUID=} call, all of the page's masters in one batch round trip, and comes back
 * as one core {@link Event} with overrides. Occurrences listed on their own are folded into their master.
 */
final class GoogleReader implements EventReader {
    private final GoogleSession s;
    private final Mailbox self;

    GoogleReader(GoogleSession s, Mailbox self) {
        this.s = s;
        this.self = self;
    }

    @Override
    public List<CalendarInfo> calendars(Mailbox mailbox) {
        if (self != null && !self.equals(mailbox)) {
            Map<String, Object> c = s.call(
                    "calendars.get",
                    self,
                    new Request.Builder()
                            .url(s.api("calendars", mailbox.email()).build())
                            .build(),
                    true,
                    "reading " + mailbox + "'s calendar");
            return List.of(new CalendarInfo(
                    CalendarRef.of(mailbox, Json.str(c, "id")),
                    Json.str(c, "summary"),
                    null,
                    Set.of("VEVENT"),
                    true,
                    true,
                    null));
        }
        List<CalendarInfo> out = new ArrayList<>();
        String pageToken = null;
        do {
            HttpUrl.Builder u = s.api("users", "me", "calendarList").addQueryParameter("maxResults", "250");
            if (pageToken != null) {
                u.addQueryParameter("pageToken", pageToken);
            }
            Map<String, Object> page = s.call(
                    "calendarList.list",
                    mailbox,
                    new Request.Builder().url(u.build()).build(),
                    true,
                    "listing " + mailbox + "'s calendars");
            for (Map<String, Object> c : Json.objects(page, "items")) {
                String role = Json.str(c, "accessRole");
                boolean readOnly = !"owner".equals(role) && !"writer".equals(role);
                out.add(new CalendarInfo(
                        CalendarRef.of(mailbox, Json.str(c, "id")),
                        Json.str(c, "summary"),
                        Json.str(c, "backgroundColor"),
                        Set.of("VEVENT"),
                        readOnly,
                        Json.bool(c, "primary"),
                        null));
            }
            pageToken = Json.str(page, "nextPageToken");
        } while (pageToken != null);
        return out;
    }

    @Override
    public EventPage list(EventQuery query) {
        CalendarRef cal = query.calendar();
        HttpUrl.Builder u = s.events(cal)
                .addQueryParameter("timeMin", query.window().start().toString())
                .addQueryParameter("timeMax", query.window().end().toString())
                .addQueryParameter("singleEvents", "false")
                .addQueryParameter("maxResults", Integer.toString(Math.min(query.pageSize(), 2500)));
        if (query.pageToken() != null) {
            u.addQueryParameter("pageToken", query.pageToken());
        }
        Map<String, Object> page = s.call(
                "events.list",
                cal.mailbox(),
                new Request.Builder().url(u.build()).build(),
                true,
                "listing events");
        List<Map<String, Object>> items = Json.objects(page, "items");
        return new EventPage(assemble(cal, items), Json.str(page, "nextPageToken"));
    }

    /**
     * The events of {@code items} as core events: single events as they are, masters with their
     * exceptions (fetched in one batch), occurrences folded into their master, cancelled items dropped.
     */
    List<Event> assemble(CalendarRef cal, List<Map<String, Object>> items) {
        List<Map<String, Object>> masters = new ArrayList<>();
        List<Event> out = new ArrayList<>();
        Map<Integer, Map<String, Object>> slots = new LinkedHashMap<>();
        for (Map<String, Object> e : items) {
            if (EventCodec.isInstance(e) || EventCodec.isCancelled(e)) {
                continue;
            }
            if (EventCodec.isRecurring(e)) {
                masters.add(e);
                slots.put(out.size(), e);
                out.add(null);
            } else {
                out.add(s.codec().event(e));
            }
        }
        Map<String, List<Map<String, Object>>> exceptions = exceptions(cal, masters);
        for (Map.Entry<Integer, Map<String, Object>> slot : slots.entrySet()) {
            Map<String, Object> m = slot.getValue();
            out.set(slot.getKey(), s.codec().series(m, exceptions.getOrDefault(Json.str(m, "id"), List.of())));
        }
        return out;
    }

    /** The exceptions of each master (by master id), from {@code events.list?iCalUID=}: one batch for all. */
    Map<String, List<Map<String, Object>>> exceptions(CalendarRef cal, List<Map<String, Object>> masters) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        if (masters.isEmpty()) {
            return out;
        }
        List<Batch.Call> calls = new ArrayList<>();
        for (Map<String, Object> m : masters) {
            calls.add(new Batch.Call("GET", s.relative(byUid(cal, Json.str(m, "iCalUID"), null)), null));
        }
        List<Batch.Answer> answers = masters.size() == 1 ? null : s.batch("series-exceptions", cal.mailbox(), calls);
        for (int i = 0; i < masters.size(); i++) {
            Map<String, Object> m = masters.get(i);
            Map<String, Object> page;
            if (answers == null) {
                page = s.call(
                        "events.list",
                        cal.mailbox(),
                        new Request.Builder()
                                .url(byUid(cal, Json.str(m, "iCalUID"), null))
                                .build(),
                        true,
                        "reading a series' exceptions");
            } else {
                Batch.Answer a = answers.get(i);
                if (a.status() < 200 || a.status() > 299) {
                    throw s.error(a, cal.mailbox(), "reading a series' exceptions");
                }
                page = Json.object(a.body(), s.ctx(cal.mailbox()));
            }
            List<Map<String, Object>> items = new ArrayList<>(Json.objects(page, "items"));
            String next = Json.str(page, "nextPageToken");
            while (next != null) {
                Map<String, Object> more = s.call(
                        "events.list",
                        cal.mailbox(),
                        new Request.Builder()
                                .url(byUid(cal, Json.str(m, "iCalUID"), next))
                                .build(),
                        true,
                        "reading a series' exceptions");
                items.addAll(Json.objects(more, "items"));
                next = Json.str(more, "nextPageToken");
            }
            out.put(Json.str(m, "id"), items);
        }
        return out;
    }

    private HttpUrl byUid(CalendarRef cal, String uid, String pageToken) {
        HttpUrl.Builder u = s.events(cal)
                .addQueryParameter("iCalUID", uid)
                .addQueryParameter("showDeleted", "true")
                .addQueryParameter("maxResults", "2500");
        if (pageToken != null) {
            u.addQueryParameter("pageToken", pageToken);
        }
        return u.build();
    }

    @Override
    public Optional<Event> get(CalendarRef calendar, String eventId) {
        return raw(calendar, eventId).filter(e -> !EventCodec.isCancelled(e)).map(e -> full(calendar, e));
    }

    /** The event resource, cancelled or not; empty when Google has none. */
    Optional<Map<String, Object>> raw(CalendarRef calendar, String eventId) {
        Request r =
                new Request.Builder().url(s.events(calendar, eventId).build()).build();
        HttpResponse resp = s.send("events.get", calendar.mailbox(), r, true);
        if (resp.status() == 404 || resp.status() == 410) {
            return Optional.empty();
        }
        if (!resp.isSuccessful()) {
            throw GoogleErrors.toException(resp, s.ctx(calendar.mailbox()), "reading event " + eventId, s.clock());
        }
        return Optional.of(Json.object(resp.body(), s.ctx(calendar.mailbox())));
    }

    /** A resource as a core event; a master with its exceptions. */
    Event full(CalendarRef calendar, Map<String, Object> e) {
        if (!EventCodec.isRecurring(e)) {
            Event one = s.codec().event(e);
            if (EventCodec.isInstance(e)) {
                return one.toBuilder()
                        .recurrenceId(s.codec().time(Json.map(e, "originalStartTime"), "originalStartTime"))
                        .build();
            }
            return one;
        }
        return s.codec().series(e, exceptions(calendar, List.of(e)).getOrDefault(Json.str(e, "id"), List.of()));
    }

    @Override
    public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
        return get(calendar, Ids.forKey(key));
    }

    static NotFoundException notFound(GoogleSession s, Mailbox m, String id) {
        return new NotFoundException("event " + id + " does not exist (or was deleted)", s.ctx(m));
    }
}
