package org.calsdk.google.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.api.EventWriter;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;

/**
 * Writes events. Create chooses the event id from the host's key ({@link Ids#forKey}), so a retried create
 * gets 409 and returns the event the first attempt made (or revives it, when the host deleted it and
 * creates it again); the key is also kept in {@code extendedProperties.private}. A series is written as
 * its master plus one {@code PUT} per changed occurrence (Google's instance ids). Updates and deletes
 * send the etag as {@code If-Match} (412 → {@link ConflictException}). Who Google emails about a write is
 * its {@code sendUpdates}: the connection's setting for the forms without options, and the call's
 * {@link WriteOptions.Notify} ({@code all}, {@code externalOnly}, {@code none}) for the forms with them.
 * Google's delete already cancels a meeting for its attendees, so both {@link WriteOptions.Removal}s delete.
 */
final class GoogleWriter implements EventWriter {
    private final GoogleSession s;
    private final GoogleReader reader;
    private final String sendUpdates;

    GoogleWriter(GoogleSession s, GoogleReader reader) {
        this(s, reader, s.sendUpdates());
    }

    private GoogleWriter(GoogleSession s, GoogleReader reader, String sendUpdates) {
        this.s = s;
        this.reader = reader;
        this.sendUpdates = sendUpdates;
    }

    /** This writer for one call with {@code options}: the same session, their {@code sendUpdates}. */
    private GoogleWriter with(WriteOptions options) {
        java.util.Objects.requireNonNull(options, "options == null");
        String updates = switch (options.notifications()) {
            case ALL -> "all";
            case EXTERNAL_ONLY -> "externalOnly";
            case NONE -> "none";
        };
        return new GoogleWriter(s, reader, updates);
    }

    private HttpUrl.Builder withUpdates(HttpUrl.Builder b) {
        return b.addQueryParameter("sendUpdates", sendUpdates);
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event, WriteOptions options) {
        return with(options).create(calendar, key, event);
    }

    @Override
    public Event update(CalendarRef calendar, Event event, WriteOptions options) {
        return with(options).update(calendar, event);
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion, WriteOptions options) {
        with(options).delete(calendar, eventId, expectedVersion);
    }

    @Override
    public Event updateOccurrence(
            CalendarRef calendar, String seriesId, Event override, String expectedVersion, WriteOptions options) {
        return with(options).updateOccurrence(calendar, seriesId, override, expectedVersion);
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar,
            String seriesId,
            EventTime recurrenceId,
            String expectedVersion,
            WriteOptions options) {
        return with(options).cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion);
    }

    @Override
    public Event respond(
            CalendarRef calendar,
            String eventId,
            Mailbox attendee,
            Attendee.ResponseStatus response,
            WriteOptions options) {
        return with(options).respond(calendar, eventId, attendee, response);
    }

    @Override
    public Event create(CalendarRef calendar, EventKey key, Event event) {
        java.util.Objects.requireNonNull(key, "key == null");
        java.util.Objects.requireNonNull(event, "event == null");
        Mailbox m = calendar.mailbox();
        if (event.recurrenceId().isPresent()) {
            throw new InvalidInputException(
                    "event",
                    "create a series or a single event, not an occurrence; use "
                            + "updateOccurrence to change one occurrence",
                    s.ctx(m),
                    null);
        }
        String id = Ids.forKey(key);
        byte[] body = s.codec().body(event, id, key, null, null);
        Request insert = new Request.Builder()
                .url(withUpdates(s.events(calendar)).build())
                .post(GoogleSession.json(body))
                .build();
        // the client-chosen id makes the insert safe to repeat: a second arrival answers 409
        HttpResponse r = s.send("events.insert", m, insert, true);
        Map<String, Object> stored;
        if (r.isSuccessful()) {
            stored = Json.object(r.body(), s.ctx(m));
        } else if (r.status() == 409) {
            Map<String, Object> existing = reader.raw(calendar, id)
                    .orElseThrow(() -> new ConflictException(
                            "creating an event failed: Google says its id is taken but has no such event; retry later",
                            s.ctx(m)));
            if (!EventCodec.isCancelled(existing)) {
                return reader.full(calendar, existing); // made before: the create is idempotent
            }
            stored = s.call(
                    "events.update",
                    m,
                    new Request.Builder()
                            .url(withUpdates(s.events(calendar, id)).build())
                            .put(GoogleSession.json(body))
                            .build(),
                    true,
                    "re-creating deleted event " + id);
        } else {
            throw GoogleErrors.toException(r, s.ctx(m), "creating an event", s.clock());
        }
        Event master = s.codec().event(stored);
        return master.toBuilder()
                .overrides(writeOverrides(calendar, id, event.overrides()))
                .build();
    }

    private List<Event> writeOverrides(CalendarRef calendar, String masterId, List<Event> overrides) {
        List<Event> out = new ArrayList<>();
        for (Event o : overrides) {
            out.add(writeOverride(calendar, masterId, o));
        }
        return out;
    }

    private Event writeOverride(CalendarRef calendar, String masterId, Event o) {
        EventTime rid = o.recurrenceId()
                .orElseThrow(() -> new InvalidInputException(
                        "override.recurrenceId",
                        "an occurrence change needs the recurrenceId of the occurrence",
                        s.ctx(calendar.mailbox()),
                        null));
        String iid = Ids.instance(masterId, rid);
        if (o.isCancelled()) {
            delete(calendar, iid, null);
            return o;
        }
        byte[] body = s.codec().body(o.toBuilder().recurrence(null).build(), null, null, rid, masterId);
        Map<String, Object> stored = s.call(
                "events.update",
                calendar.mailbox(),
                new Request.Builder()
                        .url(withUpdates(s.events(calendar, iid)).build())
                        .put(GoogleSession.json(body))
                        .build(),
                true,
                "changing an occurrence of " + masterId);
        return s.codec().event(stored).toBuilder().recurrenceId(rid).build();
    }

    @Override
    public Event update(CalendarRef calendar, Event event) {
        java.util.Objects.requireNonNull(event, "event == null");
        Mailbox m = calendar.mailbox();
        String id = event.id()
                .orElseThrow(() -> new InvalidInputException(
                        "event.id", "update needs the event's id (from create or a read)", s.ctx(m), null));
        EventKey key = event.key().orElse(Ids.keyOf(id).orElse(null));
        byte[] body = s.codec().body(event, null, key, null, null);
        Request.Builder put = new Request.Builder()
                .url(withUpdates(s.events(calendar, id)).build())
                .put(GoogleSession.json(body));
        event.version().ifPresent(v -> put.header("If-Match", v));
        HttpResponse r = s.send("events.update", m, put.build(), true);
        if (r.status() == 404 || r.status() == 410) {
            throw GoogleReader.notFound(s, m, id);
        }
        if (!r.isSuccessful()) {
            throw GoogleErrors.toException(r, s.ctx(m), "updating event " + id, s.clock());
        }
        Map<String, Object> stored = Json.object(r.body(), s.ctx(m));
        if (EventCodec.isCancelled(stored) && !event.isCancelled()) {
            throw GoogleReader.notFound(s, m, id);
        }
        Event master = s.codec().event(stored);
        if (!event.isRecurring()) {
            return master;
        }
        return master.toBuilder()
                .overrides(writeOverrides(calendar, id, event.overrides()))
                .build();
    }

    @Override
    public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
        Mailbox m = calendar.mailbox();
        Request.Builder b = new Request.Builder()
                .url(withUpdates(s.events(calendar, eventId)).build())
                .delete();
        if (expectedVersion != null) {
            b.header("If-Match", expectedVersion);
        }
        HttpResponse r = s.send("events.delete", m, b.build(), true);
        if (r.isSuccessful() || r.status() == 404 || r.status() == 410) {
            return;
        }
        if (r.status() == 412) {
            Optional<Map<String, Object>> now = reader.raw(calendar, eventId);
            if (now.isEmpty() || EventCodec.isCancelled(now.get())) {
                return; // already gone
            }
            throw new ConflictException(
                    "deleting event " + eventId + " failed: it changed since it was read (HTTP 412); "
                            + "read it again",
                    s.ctx(m).withStatusCode(412),
                    Json.str(now.get(), "etag"));
        }
        throw GoogleErrors.toException(r, s.ctx(m), "deleting event " + eventId, s.clock());
    }

    @Override
    public Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String expectedVersion) {
        java.util.Objects.requireNonNull(override, "override == null");
        checkVersion(calendar, seriesId, override.recurrenceId().orElse(null), expectedVersion);
        writeOverride(calendar, seriesId, override);
        return reader.get(calendar, seriesId).orElseThrow(() -> GoogleReader.notFound(s, calendar.mailbox(), seriesId));
    }

    @Override
    public Event cancelOccurrence(
            CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
        java.util.Objects.requireNonNull(recurrenceId, "recurrenceId == null");
        checkVersion(calendar, seriesId, recurrenceId, expectedVersion);
        delete(calendar, Ids.instance(seriesId, recurrenceId), null);
        return reader.get(calendar, seriesId).orElseThrow(() -> GoogleReader.notFound(s, calendar.mailbox(), seriesId));
    }

    /**
     * An occurrence change is conditional on the occurrence's own version: the etag of its instance when it
     * was changed before (every override read carries it), or the series' etag for one never changed.
     */
    private void checkVersion(CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
        Map<String, Object> master = reader.raw(calendar, seriesId)
                .filter(e -> !EventCodec.isCancelled(e))
                .orElseThrow(() -> GoogleReader.notFound(s, calendar.mailbox(), seriesId));
        if (expectedVersion == null || expectedVersion.equals(Json.str(master, "etag"))) {
            return;
        }
        String current = recurrenceId == null
                ? null
                : reader.raw(calendar, Ids.instance(seriesId, recurrenceId))
                        .map(e -> Json.str(e, "etag"))
                        .orElse(null);
        if (!expectedVersion.equals(current)) {
            throw new ConflictException(
                    "occurrence of series " + seriesId + " changed since version " + expectedVersion
                            + " was read; read it again",
                    s.ctx(calendar.mailbox()),
                    current != null ? current : Json.str(master, "etag"));
        }
    }

    @Override
    public Event respond(CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response) {
        java.util.Objects.requireNonNull(attendee, "attendee == null");
        java.util.Objects.requireNonNull(response, "response == null");
        Mailbox m = calendar.mailbox();
        Map<String, Object> current = reader.raw(calendar, eventId)
                .filter(e -> !EventCodec.isCancelled(e))
                .orElseThrow(() -> GoogleReader.notFound(s, m, eventId));
        List<Map<String, Object>> attendees = Json.objects(current, "attendees");
        boolean found = attendees.stream()
                .anyMatch(a -> attendee.normalized().equalsIgnoreCase(String.valueOf(Json.str(a, "email"))));
        if (!found) {
            throw new InvalidInputException(
                    "attendee", attendee + " is not invited to event " + eventId, s.ctx(m), null);
        }
        byte[] patch = Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("attendees");
            for (Map<String, Object> a : attendees) {
                g.writeStartObject();
                for (Map.Entry<String, Object> f : a.entrySet()) {
                    Object v = f.getValue();
                    if (f.getKey().equals("responseStatus") || v instanceof Map || v instanceof List) {
                        continue;
                    }
                    g.writeFieldName(f.getKey());
                    g.writeObject(v);
                }
                boolean me = attendee.normalized().equalsIgnoreCase(String.valueOf(Json.str(a, "email")));
                g.writeStringField(
                        "responseStatus",
                        me
                                ? EventCodec.responseName(response)
                                : String.valueOf(
                                        Json.str(a, "responseStatus") == null
                                                ? "needsAction"
                                                : Json.str(a, "responseStatus")));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        Request.Builder b = new Request.Builder()
                .url(withUpdates(s.events(calendar, eventId)).build())
                .patch(GoogleSession.json(patch))
                .header("If-Match", String.valueOf(Json.str(current, "etag")));
        Map<String, Object> stored = s.call("events.patch", m, b.build(), true, "answering event " + eventId);
        return reader.full(calendar, stored);
    }
}
