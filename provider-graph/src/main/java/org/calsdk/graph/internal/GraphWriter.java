package org.calsdk.graph.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.calsdk.api.EventWriter;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Writes events. A create carries a {@code transactionId} derived from the host's key (Graph answers a
 * repeated one with the event it already made) and the key itself in an extended property; updates and
 * deletes send the change key as {@code If-Match}. A series' EXDATEs and overrides become deleted and
 * patched occurrences after the master is written.
 */
public final class GraphWriter implements EventWriter {
    private final GraphSession s;
    private final GraphReader reader;

    public GraphWriter(GraphSession session, GraphReader reader) {
        this.s = session;
        this.reader = reader;
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event) {
        if (event.recurrenceId().isPresent()) {
            throw new InvalidInputException("event", "an override is written with updateOccurrence, not create");
        }
        String tx = EventMapper.transactionId(calendar.mailbox(), calendar.id(), key);
        Map<String, Object> body = s.mapper().write(event, key, tx, false);
        HttpUrl url = s.calendarUrl(calendar, "events").build();
        Map<String, Object> made = s.client().json("events.create", calendar.mailbox(), "POST", url, body, null);
        String id = Json.str(made, "id");
        if (id == null) {
            throw new org.calsdk.errors.MalformedDataException(
                    "Graph created an event without an id", s.client().context(calendar.mailbox()), null);
        }
        if (event.isRecurring() && hasExceptions(event)) {
            applyExceptions(calendar, id, event);
        }
        return readBack(calendar, id, made, key, event);
    }

    @Override
    public Event update(CalendarRef calendar, Event event) {
        String id = event.id().orElseThrow(() -> new InvalidInputException("id", "update needs the event's id"));
        Map<String, Object> body = s.mapper().write(event, event.key().orElse(null), null, true);
        Map<String, Object> updated = s.client()
                .json(
                        "events.update",
                        calendar.mailbox(),
                        "PATCH",
                        s.eventUrl(calendar, id).build(),
                        body,
                        ifMatch(event.version().orElse(null)));
        if (event.isRecurring() && hasExceptions(event)) {
            applyExceptions(calendar, id, event);
        }
        return readBack(calendar, id, updated, event.key().orElse(null), event);
    }

    private Event readBack(CalendarRef calendar, String id, Map<String, Object> answer, EventKey key, Event written) {
        if (written.isRecurring()) {
            return reader.get(calendar, id)
                    .orElseThrow(() -> new NotFoundException(
                            "event " + id + " vanished right after it was written",
                            s.client().context(calendar.mailbox())));
        }
        Event e = s.mapper().read(answer);
        Event.Builder b = e.toBuilder()
                .status(written.status() == org.calsdk.model.EventStatus.CANCELLED ? e.status() : written.status());
        if (key != null) {
            b.key(key);
        }
        return b.build();
    }

    private static boolean hasExceptions(Event e) {
        return !e.overrides().isEmpty()
                || !e.recurrence().orElseThrow().exdates().isEmpty();
    }

    private static Map<String, String> ifMatch(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        String v = version.strip();
        return Map.of("If-Match", v.startsWith("W/") || v.startsWith("\"") ? v : "W/\"" + v + "\"");
    }

    /** Deletes the EXDATE occurrences and patches the overridden ones of a series just written. */
    private void applyExceptions(CalendarRef calendar, String masterId, Event series) {
        ZoneId zone = s.mapper().zoneOf(series);
        List<Instant> times = new ArrayList<>();
        for (EventTime t : series.recurrence().orElseThrow().exdates()) {
            times.add(t.toInstant(zone));
        }
        for (Event o : series.overrides()) {
            times.add(o.recurrenceId().orElseThrow().toInstant(zone));
        }
        Instant from = times.stream().min(Instant::compareTo).orElseThrow().minus(Duration.ofDays(1));
        Instant to = times.stream().max(Instant::compareTo).orElseThrow().plus(Duration.ofDays(2));
        Map<Instant, Map<String, Object>> instances = reader.instances(calendar, masterId, TimeWindow.of(from, to));
        for (EventTime t : series.recurrence().orElseThrow().exdates()) {
            Map<String, Object> i = instances.get(t.toInstant(zone));
            if (i != null) {
                delete(calendar, Json.str(i, "id"), null);
            }
        }
        for (Event o : series.overrides()) {
            Instant original = o.recurrenceId().orElseThrow().toInstant(zone);
            Map<String, Object> i = instances.get(original);
            if (i == null) {
                throw new InvalidInputException(
                        "overrides",
                        "the override for " + o.recurrenceId().orElseThrow()
                                + " is not at an occurrence of the series");
            }
            if (o.isCancelled()) {
                delete(calendar, Json.str(i, "id"), null);
            } else {
                s.client()
                        .json(
                                "events.update",
                                calendar.mailbox(),
                                "PATCH",
                                s.eventUrl(calendar, Json.str(i, "id")).build(),
                                s.mapper().writeOccurrence(o, zone),
                                null);
            }
        }
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
        HttpResponse r = s.client()
                .send(
                        "events.delete",
                        calendar.mailbox(),
                        "DELETE",
                        s.eventUrl(calendar, eventId).build(),
                        null,
                        ifMatch(expectedVersion));
        if (r.isSuccessful()) {
            return;
        }
        if (r.status() == 404
                && GraphClient.errorCode(s.client().parse(r, calendar.mailbox(), "events.delete"))
                        .equals("ErrorItemNotFound")) {
            return; // already gone: a delete is done when the event does not exist
        }
        throw s.client().error(r, calendar.mailbox(), "events.delete");
    }

    @Override
    public Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String expectedVersion) {
        EventTime rid = override.recurrenceId()
                .orElseThrow(() -> new InvalidInputException("override", "an override needs its recurrenceId"));
        Map<String, Object> occurrence = occurrence(calendar, seriesId, rid);
        ZoneId zone = override.start() instanceof EventTime.Zoned z ? z.zone() : s.zone();
        s.client()
                .json(
                        "events.update",
                        calendar.mailbox(),
                        "PATCH",
                        s.eventUrl(calendar, Json.str(occurrence, "id")).build(),
                        s.mapper().writeOccurrence(override, zone),
                        ifMatch(expectedVersion));
        return series(calendar, seriesId);
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
        Map<String, Object> occurrence = occurrence(calendar, seriesId, recurrenceId);
        delete(calendar, Json.str(occurrence, "id"), expectedVersion);
        return series(calendar, seriesId);
    }

    private Event series(CalendarRef calendar, String seriesId) {
        return reader.get(calendar, seriesId)
                .orElseThrow(() -> new NotFoundException(
                        "series " + seriesId + " does not exist", s.client().context(calendar.mailbox())));
    }

    private Map<String, Object> occurrence(CalendarRef calendar, String seriesId, EventTime recurrenceId) {
        Instant at = recurrenceId.toInstant(s.zone());
        Map<Instant, Map<String, Object>> found = reader.instances(
                calendar, seriesId, TimeWindow.of(at.minus(Duration.ofDays(2)), at.plus(Duration.ofDays(2))));
        Map<String, Object> hit = found.get(at);
        if (hit == null && recurrenceId.isAllDay()) {
            // an all-day series' occurrences start at midnight in the series' own zone
            for (Map.Entry<Instant, Map<String, Object>> e : found.entrySet()) {
                if (s.mapper()
                        .read(e.getValue())
                        .recurrenceId()
                        .map(t -> t.equals(recurrenceId))
                        .orElse(false)) {
                    hit = e.getValue();
                }
            }
        }
        if (hit == null) {
            throw new NotFoundException(
                    "series " + seriesId + " has no occurrence at " + recurrenceId,
                    s.client().context(calendar.mailbox()));
        }
        return hit;
    }

    @Override
    public Event respond(CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response) {
        if (!attendee.equals(calendar.mailbox())) {
            throw new InvalidInputException(
                    "attendee",
                    "Graph records an answer in the attendee's own calendar: pass " + "a calendar of " + attendee
                            + " and the event id there");
        }
        String action = switch (response) {
            case ACCEPTED -> "accept";
            case TENTATIVE -> "tentativelyAccept";
            case DECLINED -> "decline";
            default ->
                throw new InvalidInputException(
                        "response", "Graph can answer accepted, tentative or declined, " + "not " + response);
        };
        s.client()
                .json(
                        "events.respond",
                        calendar.mailbox(),
                        "POST",
                        s.eventUrl(calendar, eventId, action).build(),
                        Json.map("sendResponse", true),
                        null);
        return reader.get(calendar, eventId)
                .orElseThrow(() -> new NotFoundException(
                        "event " + eventId + " vanished after the answer",
                        s.client().context(calendar.mailbox())));
    }
}
