package org.calsdk.caldav.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import okhttp3.HttpUrl;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.EventPage;
import org.calsdk.spi.EventQuery;
import org.calsdk.spi.EventReader;

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
     * CalDAV has no paging: the page token is an offset into the sorted result, which is read again for
     * every page (the default page size of 250 makes that one read for most calendars).
     */
    @Override
    public EventPage list(EventQuery query) {
        HttpUrl url = session.calendarUrl(query.calendar());
        int offset = offset(query.pageToken());
        List<Event> events = new ArrayList<>();
        for (Resources.Resource r : resources.inWindow(url, query.window())) {
            events.addAll(r.events());
        }
        events.sort(Comparator.comparing((Event e) -> e.id().orElse(""))
                .thenComparing(e -> e.uid().orElse("")));
        int end = Math.min(events.size(), offset + query.pageSize());
        List<Event> page = offset >= events.size() ? List.of() : events.subList(offset, end);
        return new EventPage(page, end < events.size() ? "o:" + end : null);
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        if (token.startsWith("o:")) {
            try {
                int o = Integer.parseInt(token.substring(2));
                if (o >= 0) {
                    return o;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new InvalidInputException("pageToken", "not a page token of this provider: '" + token + "'");
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
        List<Event> events = r.events().stream().map(e -> Resources.withKey(e, key)).toList();
        return new Resources.Resource(r.id(), r.url(), r.etag(), events);
    }
}
