package org.calsdk.testkit.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.RetryPolicy;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;

/**
 * The client of {@code MemoryHttpFake}'s API (provider id {@code memory-http}): a small but honest HTTP provider on the SDK's
 * {@link HttpTransport} (retries, cancellation), mapping the statuses it returns to the typed errors,
 * with ETags for safe writes and an idempotent PUT by key for create. Free/busy, read and write only: the
 * TCK skips the rest with the reason.
 */
public class MemoryHttpConnection implements CalendarConnection {
    /** The provider id. */
    public static final String PROVIDER = "memory-http";
    /** What it can do, in declaration order. */
    public static final Set<Capability> CAPABILITIES = java.util.Collections.unmodifiableSet(
            EnumSet.of(Capability.FREE_BUSY, Capability.READ_EVENTS, Capability.WRITE_EVENTS));

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final int ATTEMPTS = 3;
    private static final MediaType ICS = MediaType.get("text/calendar; charset=utf-8");
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final HttpTransport transport;
    private final HttpUrl base;
    private final Mailbox self;

    /** A connection to the fake at {@code base} as {@code self}; no real waiting between retries (the fake's faults, not the clock, are under test). */
    public MemoryHttpConnection(OkHttpClient http, HttpUrl base, Mailbox self) {
        this(http, base, self, d -> {});
    }

    /** A connection whose pauses between retries go to {@code sleeper} (a test can record them). */
    public MemoryHttpConnection(OkHttpClient http, HttpUrl base, Mailbox self, org.calsdk.http.Sleeper sleeper) {
        this.transport = HttpTransport.builder()
                .okHttpClient(http)
                .provider(PROVIDER)
                .retryPolicy(RetryPolicy.custom().maxAttempts(ATTEMPTS).build())
                .sleeper(sleeper)
                .build();
        this.base = base;
        this.self = self;
    }

    @Override
    public String providerId() {
        return PROVIDER;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ConnectionScope scope() {
        return ConnectionScope.USER;
    }

    @Override
    public Optional<Mailbox> self() {
        return Optional.of(self);
    }

    @Override
    public void close() {
        transport.close();
    }

    // ------------------------------------------------------------------ transport

    private record Answer(int status, String body, String etag) {}

    /**
     * One call through the SDK's transport: it retries (429 honouring Retry-After, 5xx, resets, truncated
     * bodies) by its policy, registers the call with the async task's cancellation, and turns exhausted
     * retries into RateLimitedException / ProviderUnavailableException. Other statuses come back to us.
     */
    private Answer execute(Request request, String operation, Mailbox mailbox) {
        HttpResponse r = exchange(
                HttpCall.builder(request).operation(operation).mailbox(mailbox).build());
        return new Answer(r.status(), r.bodyString(), r.header("ETag"));
    }

    /** The one place requests go out; the deliberately broken variants in {@code BrokenWireProviders} replace it. */
    protected HttpResponse exchange(HttpCall call) {
        return transport.execute(call);
    }

    /** The transport this connection sends through. */
    protected final HttpTransport transport() {
        return transport;
    }

    private static CalendarException error(Answer a, Mailbox mailbox, String what) {
        ErrorContext ctx = ErrorContext.of(PROVIDER).withMailbox(mailbox).withStatusCode(a.status());
        String msg = what + " failed with " + a.status();
        return switch (a.status()) {
            case 400 -> new InvalidInputException(null, msg, ctx, null);
            case 401 -> new ReauthorizationRequiredException(msg + ": connect again", ctx);
            case 403 -> new PermissionDeniedException(msg, ctx);
            case 404 -> new NotFoundException(msg, ctx);
            case 409, 412 ->
                new ConflictException(
                        msg + ": the event changed since it was read",
                        ctx,
                        a.etag() == null ? null : a.etag().replace("\"", ""));
            case 429 -> new RateLimitedException(msg, ctx, null);
            default -> new ProviderUnavailableException(msg, ctx);
        };
    }

    private HttpUrl.Builder calUrl(CalendarRef c) {
        return base.newBuilder()
                .addPathSegment("cal")
                .addPathSegment(c.mailbox().email())
                .addPathSegment(c.id());
    }

    private static JsonNode json(Answer a) {
        try {
            return JSON.readTree(a.body());
        } catch (IOException e) {
            throw new MalformedDataException("the answer is not JSON", ErrorContext.of(PROVIDER), e);
        }
    }

    private static Event event(JsonNode n) {
        List<Event> parsed = ICalendar.parse(n.path("ics").asText());
        if (parsed.size() != 1) {
            throw new MalformedDataException("expected one event, got " + parsed.size());
        }
        String version = n.path("version").asText();
        Event e = parsed.get(0);
        // one resource per series, as in CalDAV: an occurrence's version is the resource's
        List<Event> overrides = e.overrides().stream()
                .map(o -> o.toBuilder().version(version).build())
                .toList();
        return e.toBuilder()
                .id(n.path("id").asText())
                .version(version)
                .overrides(overrides)
                .build();
    }

    private Optional<Event> getOptional(HttpUrl url, Mailbox mailbox) {
        Answer a = execute(new Request.Builder().url(url).build(), "events.get", mailbox);
        if (a.status() == 404) {
            return Optional.empty();
        }
        if (a.status() != 200) {
            throw error(a, mailbox, "reading an event");
        }
        return Optional.of(event(json(a)));
    }

    private Event send(String method, HttpUrl url, Event e, String ifMatch, Mailbox mailbox, String what) {
        Request.Builder b = new Request.Builder().url(url).method(method, RequestBody.create(ICalendar.write(e), ICS));
        if (ifMatch != null) {
            b.header("If-Match", "\"" + ifMatch + "\"");
        }
        Answer a = execute(b.build(), what, mailbox);
        if (a.status() != 200) {
            throw error(a, mailbox, what);
        }
        return event(json(a));
    }

    // ------------------------------------------------------------------ facets

    @Override
    public FreeBusyQuery freeBusy() {
        return new FreeBusyQuery() {
            @Override
            public FreeBusyResult query(FreeBusyRequest request) {
                ObjectNode body = JSON.createObjectNode();
                ArrayNode who = body.putArray("mailboxes");
                request.mailboxes().forEach(m -> who.add(m.email()));
                body.put("start", request.window().start().toString())
                        .put("end", request.window().end().toString());
                Answer a = execute(
                        new Request.Builder()
                                .url(base.newBuilder()
                                        .addPathSegment("freebusy")
                                        .build())
                                .post(RequestBody.create(body.toString(), JSON_TYPE))
                                .build(),
                        "freebusy",
                        self);
                if (a.status() != 200) {
                    throw error(a, self, "free/busy");
                }
                List<FreeBusy> out = new ArrayList<>();
                for (JsonNode r : json(a).path("results")) {
                    Mailbox m = Mailbox.of(r.path("mailbox").asText());
                    if (r.has("error")) {
                        out.add(FreeBusy.failed(
                                m,
                                error(
                                        new Answer(r.path("error").path("code").asInt(), "", null),
                                        m,
                                        "free/busy of " + m)));
                    } else {
                        List<BusyInterval> busy = new ArrayList<>();
                        for (JsonNode b : r.path("busy")) {
                            busy.add(BusyInterval.of(
                                    Instant.parse(b.path("start").asText()),
                                    Instant.parse(b.path("end").asText()),
                                    BusyStatus.fromJsonName(b.path("status").asText())));
                        }
                        out.add(FreeBusy.of(m, busy));
                    }
                }
                return new FreeBusyResult(out);
            }
        };
    }

    @Override
    public EventReader reader() {
        return new EventReader() {
            @Override
            public List<CalendarInfo> calendars(Mailbox mailbox) {
                Answer a = execute(
                        new Request.Builder()
                                .url(base.newBuilder()
                                        .addPathSegment("cal")
                                        .addPathSegment(mailbox.email())
                                        .addPathSegment("calendars")
                                        .build())
                                .build(),
                        "calendars",
                        mailbox);
                if (a.status() != 200) {
                    throw error(a, mailbox, "listing calendars");
                }
                List<CalendarInfo> out = new ArrayList<>();
                for (JsonNode c : json(a)) {
                    out.add(new CalendarInfo(
                            CalendarRef.of(mailbox, c.path("id").asText()),
                            c.path("name").asText(),
                            null,
                            Set.of("VEVENT"),
                            false,
                            c.path("primary").asBoolean(),
                            null));
                }
                return out;
            }

            @Override
            public EventPage list(EventQuery q) {
                HttpUrl.Builder url = calUrl(q.calendar())
                        .addPathSegment("events")
                        .addQueryParameter("start", q.window().start().toString())
                        .addQueryParameter("end", q.window().end().toString())
                        .addQueryParameter("pageSize", Integer.toString(q.pageSize()));
                if (q.pageToken() != null) {
                    url.addQueryParameter("pageToken", q.pageToken());
                }
                Answer a = execute(
                        new Request.Builder().url(url.build()).build(),
                        "events.list",
                        q.calendar().mailbox());
                if (a.status() != 200) {
                    throw error(a, q.calendar().mailbox(), "listing events");
                }
                JsonNode n = json(a);
                List<Event> events = new ArrayList<>();
                n.path("items").forEach(i -> events.add(event(i)));
                return new EventPage(
                        events, n.hasNonNull("next") ? n.path("next").asText() : null);
            }

            @Override
            public Optional<Event> get(CalendarRef calendar, String eventId) {
                return getOptional(
                        calUrl(calendar)
                                .addPathSegment("events")
                                .addPathSegment(eventId)
                                .build(),
                        calendar.mailbox());
            }

            @Override
            public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
                return getOptional(
                        calUrl(calendar)
                                .addPathSegment("keys")
                                .addPathSegment(key.value())
                                .build(),
                        calendar.mailbox());
            }
        };
    }

    @Override
    public EventWriter writer() {
        return new EventWriter() {
            @Override
            public Event create(CalendarRef calendar, EventKey key, Event event) {
                // PUT to the key's URL is idempotent: a retry after a lost answer finds the event made.
                return send(
                        "PUT",
                        calUrl(calendar)
                                .addPathSegment("keys")
                                .addPathSegment(key.value())
                                .build(),
                        event,
                        null,
                        calendar.mailbox(),
                        "creating an event");
            }

            @Override
            public Event update(CalendarRef calendar, Event event) {
                String id = event.id().orElseThrow(() -> new InvalidInputException("event", "the event has no id"));
                return send(
                        "PUT",
                        calUrl(calendar)
                                .addPathSegment("events")
                                .addPathSegment(id)
                                .build(),
                        event,
                        event.version().orElse(null),
                        calendar.mailbox(),
                        "updating an event");
            }

            @Override
            public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
                Request.Builder b = new Request.Builder()
                        .url(calUrl(calendar)
                                .addPathSegment("events")
                                .addPathSegment(eventId)
                                .build())
                        .delete();
                if (expectedVersion != null) {
                    b.header("If-Match", "\"" + expectedVersion + "\"");
                }
                Answer a = execute(b.build(), "events.delete", calendar.mailbox());
                if (a.status() != 204 && a.status() != 404) {
                    throw error(a, calendar.mailbox(), "deleting an event");
                }
            }

            @Override
            public Event updateOccurrence(
                    CalendarRef calendar, String seriesId, Event override, String expectedVersion) {
                Event master = series(calendar, seriesId);
                Instant rid = override.recurrenceId()
                        .orElseThrow(
                                () -> new InvalidInputException("override", "the override must name its occurrence"))
                        .toInstant(ZoneOffset.UTC);
                List<Event> overrides = new ArrayList<>(master.overrides().stream()
                        .filter(o -> !o.recurrenceId()
                                .orElseThrow()
                                .toInstant(ZoneOffset.UTC)
                                .equals(rid))
                        .toList());
                overrides.add(override.toBuilder()
                        .id(null)
                        .version(null)
                        .uid(master.uid().orElse(null))
                        .build());
                return update(
                        calendar,
                        master.toBuilder()
                                .overrides(overrides)
                                .version(
                                        expectedVersion != null
                                                ? expectedVersion
                                                : master.version().orElse(null))
                                .build());
            }

            @Override
            public Event cancelOccurrence(
                    CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
                Event master = series(calendar, seriesId);
                Instant rid = recurrenceId.toInstant(ZoneOffset.UTC);
                List<EventTime> exdates =
                        new ArrayList<>(master.recurrence().orElseThrow().exdates());
                exdates.add(recurrenceId);
                return update(
                        calendar,
                        master.toBuilder()
                                .recurrence(master.recurrence().orElseThrow().withExdates(exdates))
                                .overrides(master.overrides().stream()
                                        .filter(o -> !o.recurrenceId()
                                                .orElseThrow()
                                                .toInstant(ZoneOffset.UTC)
                                                .equals(rid))
                                        .toList())
                                .version(
                                        expectedVersion != null
                                                ? expectedVersion
                                                : master.version().orElse(null))
                                .build());
            }

            @Override
            public Event respond(
                    CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response) {
                Event e = reader().get(calendar, eventId)
                        .orElseThrow(() -> new NotFoundException(
                                "no event " + eventId, ErrorContext.of(PROVIDER).withMailbox(calendar.mailbox())));
                return update(
                        calendar,
                        e.toBuilder()
                                .attendees(e.attendees().stream()
                                        .map(a -> a.mailbox().equals(attendee) ? a.withResponse(response) : a)
                                        .toList())
                                .build());
            }

            private Event series(CalendarRef calendar, String seriesId) {
                Event master = reader().get(calendar, seriesId)
                        .orElseThrow(() -> new NotFoundException(
                                "no series " + seriesId,
                                ErrorContext.of(PROVIDER).withMailbox(calendar.mailbox())));
                if (!master.isRecurring()) {
                    throw new InvalidInputException("seriesId", seriesId + " is not a recurring series");
                }
                return master;
            }
        };
    }
}
