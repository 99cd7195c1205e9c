package org.calsdk.caldav.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.api.SkippedEvent;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/** Lists calendars and reads events of the connected CalDAV account. */
final class CalDavReader implements EventReader {
    private final CalDavSession session;
    private final Resources resources;

    CalDavReader(CalDavSession session, Resources resources) {
        this.session = session;
        this.resources = resources;
    }

    @Override
    public List<CalendarInfo> calendars(Mailbox mailbox) {
        session.requireSelf(mailbox);
        return session.calendars().stream().map(CalDavSession.DavCalendar::info).toList();
    }

    /**
     * CalDAV has no paging, so the first page reads the whole window (see {@link Resources#inWindow}),
     * sorted by event id, and its token carries the ids of the resources not yet handed out (see
     * {@link PageTokens}); each later page is one {@code calendar-multiget} of its own resources (one per
     * 100 of them), re-checked against the window. Every resource comes out at most once: one changed
     * between pages comes out as it is then (left out if it no longer occurs in the window or is gone);
     * one created between pages is not seen by this listing.
     */
    @Override
    public EventPage list(EventQuery query) {
        HttpUrl cal = session.calendarUrl(query.calendar());
        TimeWindow window = query.window();
        List<Resources.Resource> candidates = new ArrayList<>();
        List<SkippedEvent> skipped = new ArrayList<>(); // poisoned events are reported, not fatal to the page
        List<String> notFetched;
        if (query.pageToken() == null) {
            candidates.addAll(resources.inWindow(cal, window, skipped));
            candidates.sort(Comparator.comparing(Resources.Resource::id));
            notFetched = List.of();
        } else {
            List<String> ids = PageTokens.decode(
                    query.pageToken(),
                    cal,
                    window,
                    name -> session.idOf(session.eventUrl(cal, name)),
                    session.ctx().withMailbox(session.self()));
            List<String> batch = ids.subList(0, Math.min(ids.size(), query.pageSize()));
            Map<String, Resources.Resource> read = resources.multiget(cal, batch, skipped);
            for (String id : batch) {
                Resources.Resource r = read.get(id);
                // gone, or changed so that it no longer occurs in the window: a placeholder keeps its turn
                Resources.Resource inWindow = null;
                if (r != null) {
                    try {
                        inWindow = resources.inWindowOnly(r, window).orElse(null);
                    } catch (MalformedDataException e) {
                        skipped.add(new SkippedEvent(id, e));
                    }
                }
                candidates.add(inWindow);
            }
            notFetched = ids.subList(batch.size(), ids.size());
        }
        List<Event> page = new ArrayList<>();
        int used = 0;
        for (Resources.Resource r : candidates) {
            if (r != null) {
                if (!page.isEmpty() && page.size() + r.events().size() > query.pageSize()) {
                    break;
                }
                r.events().stream()
                        .sorted(Comparator.comparing((Event e) -> e.uid().orElse("")))
                        .forEach(page::add);
            }
            used++;
        }
        List<String> rest = new ArrayList<>();
        for (Resources.Resource r : candidates.subList(used, candidates.size())) {
            if (r != null) {
                rest.add(r.id());
            }
        }
        rest.addAll(notFetched);
        return new EventPage(page, PageTokens.encode(cal, window, rest), skipped);
    }

    @Override
    public Optional<Event> get(CalendarRef calendar, String eventId) {
        HttpUrl cal = session.calendarUrl(calendar);
        return resources.get(session.eventUrl(cal, eventId)).map(Resources.Resource::event);
    }

    @Override
    public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
        HttpUrl cal = session.calendarUrl(calendar);
        return findByKey(cal, key).map(Resources.Resource::event);
    }

    Optional<Resources.Resource> findByKey(HttpUrl cal, EventKey key) {
        String uid = Ids.uidFor(key);
        Optional<Resources.Resource> direct = resources.get(cal.resolve(Ids.resourceName(uid)));
        if (direct.isPresent() && direct.get().event().uid().map(uid::equals).orElse(false)) {
            return direct.map(r -> keyed(r, key));
        }
        return resources.byUid(cal, uid).stream().findFirst().map(r -> keyed(r, key));
    }

    private static Resources.Resource keyed(Resources.Resource r, EventKey key) {
        List<Event> events =
                r.events().stream().map(e -> Resources.withKey(e, key)).toList();
        return new Resources.Resource(r.id(), r.url(), r.etag(), events);
    }
}
