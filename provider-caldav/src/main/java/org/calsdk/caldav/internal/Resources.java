package org.calsdk.caldav.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.api.SkippedEvent;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.TimeWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads calendar object resources (one iCalendar UID each: a master with its overrides) and turns them
 * into {@link Event}s whose id is the resource's href and whose version is its ETag.
 *
 * <p>Window queries do not trust the server with recurring series: besides a {@code time-range}
 * calendar-query (single events, and series on servers that get it right), two queries without a time
 * range fetch every series regardless of dates, one for resources with an {@code RRULE} and one for
 * those with an {@code RDATE} (RFC 4791 filters cannot say "either"), and the recurrence engine decides
 * locally whether a series has an occurrence in the window. Overrides travel with their master, so an
 * occurrence moved into the window is found however far away its master lies. A server that refuses a
 * property filter gets one unfiltered query instead.
 *
 * <p>Why three queries rather than listing every resource's ETag without a time range and multigetting
 * what is not cached: that costs 1 + ⌈N/100⌉ round trips and the whole calendar's data on every cold
 * read (N = all events the calendar ever held), and a cache per connection besides; the three queries
 * cost 3 round trips whatever N is, and carry only the window's events and the series.
 */
public final class Resources {
    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);
    static final int MULTIGET_CHUNK = 100;
    /** The properties that make a VEVENT a series; each gets its own query without a time range. */
    static final List<String> SERIES_PROPERTIES = List.of("RRULE", "RDATE");

    private final CalDavSession session;

    public Resources(CalDavSession session) {
        this.session = session;
    }

    /**
     * One calendar object resource.
     *
     * @param id     its href (the event id)
     * @param url    its URL
     * @param etag   its ETag (the event version), or null
     * @param events the series in it (normally one), each carrying id and version
     */
    public record Resource(String id, HttpUrl url, String etag, List<Event> events) {
        public Resource {
            events = List.copyOf(events);
        }

        /** The main event: the master, or the first override when the master is absent. */
        public Event event() {
            return events.get(0);
        }
    }

    private ErrorContext ctx() {
        return session.ctx().withMailbox(session.self());
    }

    /** The resource at {@code url}, or empty on 404/410. */
    public Optional<Resource> get(HttpUrl url) {
        DavResponse r = session.http()
                .send(
                        "get-event",
                        new Request.Builder()
                                .url(url)
                                .get()
                                .header("Accept", "text/calendar")
                                .build());
        if (r.status() == 404 || r.status() == 410) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw DavErrors.toException(r, ctx(), "reading event " + url.encodedPath());
        }
        return toResource(session.idOf(url), url, r.etag(), r.bodyString());
    }

    /** Resources whose events may occur in {@code window}; see the class comment for how. */
    public List<Resource> inWindow(HttpUrl calendar, TimeWindow window) {
        return inWindow(calendar, window, null);
    }

    /**
     * As {@link #inWindow(HttpUrl, TimeWindow)}; a resource that cannot be read (malformed, or over a
     * bound while parsing or expanding) is added to {@code skipped} and left out, or, when
     * {@code skipped} is null, fails the call.
     */
    public List<Resource> inWindow(HttpUrl calendar, TimeWindow window, List<SkippedEvent> skipped) {
        Map<String, Resource> byId = new LinkedHashMap<>();
        DavResponse ranged =
                session.http().send("calendar-query", DavRequests.calendarQuery(calendar, window, null, null));
        if (ranged.status() != 207) {
            throw DavErrors.toException(ranged, ctx(), "querying events");
        }
        collect(ranged, byId, skipped);
        for (String defining : SERIES_PROPERTIES) {
            DavResponse series =
                    session.http().send("calendar-query", DavRequests.calendarQuery(calendar, null, defining, null));
            if (series.status() == 207) {
                collect(series, byId, skipped);
            } else if (series.status() == 400
                    || series.status() == 403
                    || series.status() == 501
                    || series.status() == 422) {
                // the server refuses property filters: one unfiltered query covers every series
                DavResponse all =
                        session.http().send("calendar-query", DavRequests.calendarQuery(calendar, null, null, null));
                if (all.status() != 207) {
                    throw DavErrors.toException(all, ctx(), "querying events");
                }
                collect(all, byId, skipped);
                break;
            } else {
                throw DavErrors.toException(series, ctx(), "querying recurring events");
            }
        }
        List<Resource> out = new ArrayList<>();
        for (Resource res : byId.values()) {
            try {
                inWindowOnly(res, window).ifPresent(out::add);
            } catch (CalendarException e) {
                if (skipped == null || e instanceof ReauthorizationRequiredException) {
                    throw e;
                }
                skipped.add(skip(res.id(), e));
            }
        }
        return out;
    }

    /** {@code res} with only its events that occur in {@code window}, or empty when none does. */
    public Optional<Resource> inWindowOnly(Resource res, TimeWindow window) {
        List<Event> kept = new ArrayList<>();
        for (Event e : res.events()) {
            if (occursIn(e, window)) {
                kept.add(e);
            }
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(new Resource(res.id(), res.url(), res.etag(), kept));
    }

    /** Whether {@code e} occurs in the window, by the rule every provider shares ({@link Recurrences#occursIn}). */
    boolean occursIn(Event e, TimeWindow window) {
        return Recurrences.occursIn(e, window, session.zone());
    }

    /** Resources with this UID (calendar-query on UID). */
    public List<Resource> byUid(HttpUrl calendar, String uid) {
        Map<String, Resource> byId = new LinkedHashMap<>();
        DavResponse r = session.http().send("calendar-query", DavRequests.calendarQuery(calendar, null, null, uid));
        if (r.status() != 207) {
            throw DavErrors.toException(r, ctx(), "finding an event by UID");
        }
        collect(r, byId, null);
        List<Resource> out = new ArrayList<>();
        for (Resource res : byId.values()) {
            if (res.events().stream().anyMatch(e -> e.uid().map(uid::equals).orElse(false))) {
                out.add(res);
            }
        }
        return out;
    }

    /** The resources at these hrefs (calendar-multiget in chunks); missing ones are left out. */
    public Map<String, Resource> multiget(HttpUrl calendar, Collection<String> hrefs) {
        return multiget(calendar, hrefs, null);
    }

    /**
     * As {@link #multiget(HttpUrl, Collection)}; a resource that cannot be read is added to
     * {@code skipped} and left out (or, when {@code skipped} is null, fails the call).
     */
    public Map<String, Resource> multiget(HttpUrl calendar, Collection<String> hrefs, List<SkippedEvent> skipped) {
        Map<String, Resource> byId = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(hrefs);
        for (int i = 0; i < all.size(); i += MULTIGET_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + MULTIGET_CHUNK));
            DavResponse r = session.http().send("calendar-multiget", DavRequests.multiget(calendar, chunk));
            if (r.status() != 207) {
                throw DavErrors.toException(r, ctx(), "reading changed events");
            }
            collect(r, byId, skipped);
        }
        return byId;
    }

    private void collect(DavResponse r, Map<String, Resource> into, List<SkippedEvent> skipped) {
        Multistatus ms = Multistatus.parse(r.body(), session.maxXml(), ctx());
        for (Multistatus.Entry e : ms.entries()) {
            Optional<String> data = e.prop(Dav.CALDAV, "calendar-data").map(el -> el.getTextContent());
            if (data.isEmpty() || data.get().isBlank()) {
                continue; // a collection, a 404 entry, or a resource the server would not give us
            }
            HttpUrl url = Ids.resolveHref(r.url(), e.href(), ctx());
            String id = session.idOf(url);
            String etag = e.text(Dav.DAV, "getetag").orElse(null);
            Optional<Resource> res;
            try {
                res = toResource(id, url, etag, data.get());
            } catch (MalformedDataException ex) {
                if (skipped == null) {
                    throw ex;
                }
                skipped.add(skip(id, ex)); // one poisoned event does not take the others down with it
                continue;
            }
            res.ifPresent(x -> into.put(id, x));
        }
    }

    private SkippedEvent skip(String id, CalendarException e) {
        LOG.debug("skipped event {} of {}: {}", id, session.self(), e.getMessage());
        return new SkippedEvent(id, e);
    }

    private Optional<Resource> toResource(String id, HttpUrl url, String etag, String ics) {
        List<Event> parsed;
        try {
            parsed = ICalendar.parse(ics);
        } catch (LimitExceededException e) {
            throw e.within("the event at " + id + ": ", ctx());
        } catch (MalformedDataException e) {
            throw new MalformedDataException(
                    "the event at " + id + " is not valid iCalendar: " + e.getMessage(), ctx(), e);
        }
        if (parsed.isEmpty()) {
            return Optional.empty(); // a task or journal entry in a mixed calendar: no event here
        }
        List<Event> events = new ArrayList<>();
        for (Event e : parsed) {
            Event.Builder b = versioned(e, etag).toBuilder().id(id);
            if (e.key().isEmpty()) {
                Ids.keyFromEncodedUid(e.uid().orElse(null)).ifPresent(b::key);
            }
            events.add(b.build());
        }
        return Optional.of(new Resource(id, url, etag, events));
    }

    /**
     * {@code e} with {@code etag} as its version and as the version of each of its overrides: one resource
     * holds the whole series, so an occurrence's version is the resource's ETag.
     */
    static Event versioned(Event e, String etag) {
        if (e.overrides().isEmpty()) {
            return e.toBuilder().version(etag).build();
        }
        List<Event> overrides = e.overrides().stream()
                .map(o -> o.toBuilder().version(etag).build())
                .toList();
        return e.toBuilder().version(etag).overrides(overrides).build();
    }

    /** {@code e} with the key set (for events found by key). */
    static Event withKey(Event e, EventKey key) {
        return e.key().isPresent() ? e : e.toBuilder().key(key).build();
    }
}
