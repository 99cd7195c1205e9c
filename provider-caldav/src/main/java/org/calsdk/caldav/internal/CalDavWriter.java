package org.calsdk.caldav.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.api.EventWriter;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;

/**
 * Writes events safely: create is {@code PUT} with {@code If-None-Match: *} at a name derived from the
 * host's key (a retry after a lost answer gets 412 and returns the event the first attempt made);
 * update and delete are conditional on the ETag ({@code If-Match}, 412 → {@link ConflictException} with
 * the current version); occurrence changes and RSVPs read the series, change it, and write it back
 * conditionally, re-reading on a concurrent change when the caller gave no version.
 *
 * <p>Write options: who is told is the server's business (RFC 6638 implicit scheduling sends what it
 * sends), so only {@link WriteOptions.Notify#ALL} is accepted and the others fail with
 * {@link UnsupportedCapabilityException} rather than being ignored. {@link WriteOptions.Removal#CANCEL}
 * writes the event back with {@code STATUS:CANCELLED} (conditional on the version), which a scheduling
 * server turns into a CANCEL to the attendees, and keeps it.
 */
final class CalDavWriter implements EventWriter {
    private static final int READ_MODIFY_WRITE_ATTEMPTS = 3;

    private final CalDavSession session;
    private final Resources resources;
    private final CalDavReader reader;

    CalDavWriter(CalDavSession session, Resources resources, CalDavReader reader) {
        this.session = session;
        this.resources = resources;
        this.reader = reader;
    }

    private ErrorContext ctx() {
        return session.ctx().withMailbox(session.self());
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event) {
        java.util.Objects.requireNonNull(key, "key == null");
        java.util.Objects.requireNonNull(event, "event == null");
        if (event.recurrenceId().isPresent()) {
            throw new InvalidInputException(
                    "event",
                    "create a series or a single event, not an override; use "
                            + "updateOccurrence to change one occurrence",
                    ctx(),
                    null);
        }
        HttpUrl cal = session.calendarUrl(calendar);
        String uid = Ids.uidFor(key);
        Event prepared =
                withUid(event, uid).toBuilder().key(key).id(null).version(null).build();
        HttpUrl url = cal.resolve(Ids.resourceName(uid));
        for (int attempt = 0; attempt < 2; attempt++) {
            DavResponse r = put(url, prepared, "*", null, "create-event");
            if (r.isSuccessful()) {
                return stored(url, prepared, r.etag(), key);
            }
            if (r.status() == 412) {
                Optional<Resources.Resource> existing = resources.get(url);
                if (existing.isPresent()) {
                    return Resources.withKey(existing.get().event(), key); // created before: idempotent
                }
                continue; // deleted in between: try once more
            }
            if (r.status() == 403 || r.status() == 409) {
                // RFC 4791 no-uid-conflict: an event with this UID lives at another href
                Optional<String> href = Multistatus.errorHref(r.body(), Dav.CALDAV, "no-uid-conflict", ctx());
                if (href.isPresent()) {
                    Optional<Resources.Resource> other = resources.get(Ids.resolveHref(url, href.get(), ctx()));
                    if (other.isPresent()) {
                        return Resources.withKey(other.get().event(), key);
                    }
                }
                Optional<Resources.Resource> byKey = reader.findByKey(cal, key);
                if (byKey.isPresent()) {
                    return byKey.get().event();
                }
            }
            throw DavErrors.toException(r, ctx(), "creating an event");
        }
        throw new ConflictException(
                "creating an event failed: the server reported it existing, then missing; " + "retry later", ctx());
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event, WriteOptions options) {
        notifyAll(options, "create");
        return create(calendar, key, event);
    }

    @Override
    public Event update(CalendarRef calendar, Event event, WriteOptions options) {
        notifyAll(options, "update");
        return update(calendar, event);
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion, WriteOptions options) {
        notifyAll(options, "delete");
        if (options.removal() == WriteOptions.Removal.DELETE) {
            delete(calendar, eventId, expectedVersion);
            return;
        }
        HttpUrl url = session.eventUrl(session.calendarUrl(calendar), eventId);
        if (resources.get(url).isEmpty()) {
            return; // already gone: as with delete, removing what is not there succeeds
        }
        readModifyWrite(
                calendar,
                eventId,
                expectedVersion,
                false,
                e -> e.isCancelled()
                        ? e
                        : e.toBuilder().status(EventStatus.CANCELLED).build());
    }

    @Override
    public Event updateOccurrence(
            CalendarRef calendar, String seriesId, Event override, String expectedVersion, WriteOptions options) {
        notifyAll(options, "updateOccurrence");
        return updateOccurrence(calendar, seriesId, override, expectedVersion);
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar,
            String seriesId,
            EventTime recurrenceId,
            String expectedVersion,
            WriteOptions options) {
        notifyAll(options, "cancelOccurrence");
        return cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion);
    }

    @Override
    public Event respond(
            CalendarRef calendar,
            String eventId,
            Mailbox attendee,
            Attendee.ResponseStatus response,
            WriteOptions options) {
        notifyAll(options, "respond");
        return respond(calendar, eventId, attendee, response);
    }

    private void notifyAll(WriteOptions options, String operation) {
        java.util.Objects.requireNonNull(options, "options == null");
        if (options.notifications() != WriteOptions.Notify.ALL) {
            throw new UnsupportedCapabilityException(
                    "CalDAV cannot choose who is told of a " + operation
                            + " (the server schedules by itself, RFC 6638); use WriteOptions.Notify.ALL",
                    ctx());
        }
    }

    @Override
    public Event update(CalendarRef calendar, Event event) {
        java.util.Objects.requireNonNull(event, "event == null");
        String id = event.id()
                .orElseThrow(() -> new InvalidInputException(
                        "event.id", "update needs the event's id (from create or a read)", ctx(), null));
        HttpUrl url = session.eventUrl(session.calendarUrl(calendar), id);
        Event toWrite = event;
        if (event.uid().isEmpty()) {
            Resources.Resource current = resources.get(url).orElseThrow(() -> notFound(id));
            toWrite = withUid(event, current.event().uid().orElseThrow());
        }
        String ifMatch = event.version().orElse("*");
        DavResponse r = put(url, toWrite, null, ifMatch, "update-event");
        if (r.isSuccessful()) {
            return stored(url, toWrite, r.etag(), event.key().orElse(null));
        }
        if (r.status() == 412) {
            throw conflictOrGone(url, id);
        }
        if (r.status() == 404) {
            throw notFound(id);
        }
        throw DavErrors.toException(r, ctx(), "updating event " + id);
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
        HttpUrl url = session.eventUrl(session.calendarUrl(calendar), eventId);
        Request.Builder b = new Request.Builder().url(url).delete();
        if (expectedVersion != null) {
            b.header("If-Match", expectedVersion);
        }
        DavResponse r = session.http().send("delete-event", b.build());
        if (r.isSuccessful() || r.status() == 404 || r.status() == 410) {
            return;
        }
        if (r.status() == 412) {
            Optional<Resources.Resource> current = resources.get(url);
            if (current.isEmpty()) {
                return; // already gone
            }
            throw new ConflictException(
                    "deleting event " + eventId + " failed: it changed since it was read (HTTP 412); "
                            + "read it again",
                    ctx().withStatusCode(412),
                    current.get().etag());
        }
        throw DavErrors.toException(r, ctx(), "deleting event " + eventId);
    }

    @Override
    public Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String expectedVersion) {
        java.util.Objects.requireNonNull(override, "override == null");
        EventTime rid = override.recurrenceId()
                .orElseThrow(() -> new InvalidInputException(
                        "override.recurrenceId",
                        "an occurrence change needs the recurrenceId of the occurrence",
                        ctx(),
                        null));
        return modifySeries(calendar, seriesId, expectedVersion, master -> {
            List<Event> overrides = new ArrayList<>();
            for (Event o : master.overrides()) {
                if (!sameTime(o.recurrenceId().orElseThrow(), rid)) {
                    overrides.add(o);
                }
            }
            overrides.add(override.toBuilder()
                    .uid(master.uid().orElse(null))
                    .id(null)
                    .version(null)
                    .build());
            return master.toBuilder().overrides(overrides).build();
        });
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
        java.util.Objects.requireNonNull(recurrenceId, "recurrenceId == null");
        return modifySeries(calendar, seriesId, expectedVersion, master -> {
            List<Event> overrides = new ArrayList<>();
            for (Event o : master.overrides()) {
                if (!sameTime(o.recurrenceId().orElseThrow(), recurrenceId)) {
                    overrides.add(o);
                }
            }
            Recurrence rec = master.recurrence().orElseThrow();
            List<EventTime> ex = new ArrayList<>(rec.exdates());
            if (ex.stream().noneMatch(t -> sameTime(t, recurrenceId))) {
                ex.add(recurrenceId);
            }
            return master.toBuilder()
                    .overrides(overrides)
                    .recurrence(rec.withExdates(ex))
                    .build();
        });
    }

    @Override
    public Event respond(CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response) {
        java.util.Objects.requireNonNull(attendee, "attendee == null");
        java.util.Objects.requireNonNull(response, "response == null");
        return readModifyWrite(calendar, eventId, null, false, event -> {
            boolean found = event.attendee(attendee).isPresent();
            Event updated = withResponse(event, attendee, response);
            List<Event> overrides = new ArrayList<>();
            for (Event o : event.overrides()) {
                found |= o.attendee(attendee).isPresent();
                overrides.add(withResponse(o, attendee, response));
            }
            if (!found) {
                throw new InvalidInputException(
                        "attendee", attendee + " is not invited to event " + eventId, ctx(), null);
            }
            return updated.toBuilder().overrides(overrides).build();
        });
    }

    private static Event withResponse(Event e, Mailbox who, Attendee.ResponseStatus response) {
        List<Attendee> list = new ArrayList<>();
        for (Attendee a : e.attendees()) {
            list.add(a.mailbox().equals(who) ? a.withResponse(response) : a);
        }
        return e.toBuilder().attendees(list).build();
    }

    private Event modifySeries(
            CalendarRef calendar, String seriesId, String expectedVersion, UnaryOperator<Event> change) {
        return readModifyWrite(calendar, seriesId, expectedVersion, true, change);
    }

    private Event readModifyWrite(
            CalendarRef calendar, String eventId, String expectedVersion, boolean series, UnaryOperator<Event> change) {
        HttpUrl url = session.eventUrl(session.calendarUrl(calendar), eventId);
        for (int attempt = 0; attempt < READ_MODIFY_WRITE_ATTEMPTS; attempt++) {
            Resources.Resource current = resources.get(url).orElseThrow(() -> notFound(eventId));
            if (expectedVersion != null && !expectedVersion.equals(current.etag())) {
                throw new ConflictException(
                        "event " + eventId + " changed since version " + expectedVersion + " was read; read it again",
                        ctx(),
                        current.etag());
            }
            Event master = current.event();
            if (series && !master.isRecurring()) {
                throw new InvalidInputException(
                        "seriesId", "event " + eventId + " is not a recurring series", ctx(), null);
            }
            Event changed = change.apply(master);
            String ifMatch = current.etag() != null ? current.etag() : "*";
            DavResponse r = put(url, changed, null, ifMatch, "update-event");
            if (r.isSuccessful()) {
                return stored(url, changed, r.etag(), master.key().orElse(null));
            }
            if (r.status() == 412) {
                if (expectedVersion != null) {
                    throw conflictOrGone(url, eventId);
                }
                continue; // someone else wrote in between: read again and re-apply
            }
            throw DavErrors.toException(r, ctx(), "updating event " + eventId);
        }
        throw new ConflictException(
                "event " + eventId + " kept changing while we tried to update it; try again", ctx());
    }

    private DavResponse put(HttpUrl url, Event event, String ifNoneMatch, String ifMatch, String operation) {
        String ics = ICalendar.write(event);
        Request.Builder b = new Request.Builder().url(url).put(RequestBody.create(ics, DavRequests.ICS));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return session.http().send(operation, b.build());
    }

    /** The stored event: from the PUT's ETag when the server sent one, else read back. */
    private Event stored(HttpUrl url, Event written, String etag, EventKey key) {
        if (etag != null && !etag.startsWith("W/")) {
            Event e = Resources.versioned(written, etag).toBuilder()
                    .id(session.idOf(url))
                    .build();
            return key == null ? e : Resources.withKey(e, key);
        }
        Event e = resources.get(url).map(Resources.Resource::event).orElseThrow(() -> notFound(session.idOf(url)));
        return key == null ? e : Resources.withKey(e, key);
    }

    private RuntimeException conflictOrGone(HttpUrl url, String id) {
        Optional<Resources.Resource> current = resources.get(url);
        if (current.isEmpty()) {
            return notFound(id);
        }
        return new ConflictException(
                "event " + id + " changed since it was read (HTTP 412); read it again and "
                        + "retry with the new version",
                ctx().withStatusCode(412),
                current.get().etag());
    }

    private NotFoundException notFound(String id) {
        return new NotFoundException("no event " + id + " in this calendar", ctx().withStatusCode(404));
    }

    private static Event withUid(Event e, String uid) {
        List<Event> overrides =
                e.overrides().stream().map(o -> o.toBuilder().uid(uid).build()).toList();
        return e.toBuilder().uid(uid).overrides(overrides).build();
    }

    private boolean sameTime(EventTime a, EventTime b) {
        ZoneId z = session.zone();
        return a.toInstant(z).equals(b.toInstant(z));
    }
}
