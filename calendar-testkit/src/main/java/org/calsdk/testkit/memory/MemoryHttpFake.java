package org.calsdk.testkit.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.HttpCalendarFake;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.memory.internal.MemoryHttpConnection;

/**
 * The in-memory reference provider over HTTP: a small JSON + iCalendar API whose state is an
 * {@link InMemoryCalendarService}, and its client, the {@code memory-http} provider
 * ({@link MemoryHttpProvider}, on the SDK's {@code HttpTransport}: retries, cancellation, typed errors).
 * Code that must cross a real socket (timeouts, wire faults, TLS, proxies, the host's transport
 * accounting) runs against the reference behaviour this way, with the {@link FakeServer}'s fault rules and
 * accounting ({@link #server()}). It is also the worked example of a provider fake: routes over state,
 * errors as statuses, ETags, idempotent PUT by key. Free/busy, read and write only.
 *
 * <pre>{@code
 * try (MemoryHttpFake fake = new MemoryHttpFake(InMemoryCalendarService.builder().build())) {
 *     fake.start();
 *     fake.seed(SeedData.organization("example.com").users(2).build());
 *     fake.server().faults().add(FaultRule.on("events.create").inject(Fault.dropResponseAfterCommit()));
 *     CalendarConnection c = CalendarProviders.load().connect(fake.connectionConfig(Mailbox.of("user1@example.com")));
 * }
 * }</pre>
 *
 * <pre>
 * GET    /cal/{mailbox}/calendars                         -> [{id, name, primary}]
 * GET    /cal/{mailbox}/{calendar}/events?start&amp;end&amp;pageSize&amp;pageToken -> {items:[{id,version,ics}], next}
 * GET    /cal/{mailbox}/{calendar}/events/{id}            -> {id,version,ics} | 404
 * GET    /cal/{mailbox}/{calendar}/keys/{key}             -> {id,version,ics} | 404
 * PUT    /cal/{mailbox}/{calendar}/keys/{key}   (ics)     -> 200 {id,version,ics}  (idempotent create)
 * PUT    /cal/{mailbox}/{calendar}/events/{id}  (ics, If-Match) -> 200 | 404 | 412
 * DELETE /cal/{mailbox}/{calendar}/events/{id}  (If-Match) -> 204 | 412
 * POST   /freebusy  {mailboxes, start, end}               -> {results:[{mailbox, busy|error}]}
 * </pre>
 */
public final class MemoryHttpFake implements HttpCalendarFake {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryCalendarService service;
    private final FakeServer<InMemoryCalendarService> server;
    private final OkHttpClient http =
            new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    /**
     * A fake serving {@code service} (closed with the fake).
     *
     * @param service the reference service to serve
     */
    public MemoryHttpFake(InMemoryCalendarService service) {
        this.service = service;
        this.server = FakeServer.builder(service)
                .name("memory-http")
                .route("GET", "/cal/{mailbox}/calendars", "calendars", MemoryHttpFake::calendars)
                .route("GET", "/cal/{mailbox}/{calendar}/events", "events.list", MemoryHttpFake::list)
                .route("GET", "/cal/{mailbox}/{calendar}/events/{id}", "events.get", MemoryHttpFake::get)
                .route("GET", "/cal/{mailbox}/{calendar}/keys/{key}", "events.byKey", MemoryHttpFake::byKey)
                .route("PUT", "/cal/{mailbox}/{calendar}/keys/{key}", "events.create", MemoryHttpFake::create)
                .route("PUT", "/cal/{mailbox}/{calendar}/events/{id}", "events.update", MemoryHttpFake::update)
                .route("DELETE", "/cal/{mailbox}/{calendar}/events/{id}", "events.delete", MemoryHttpFake::delete)
                .route("POST", "/freebusy", "freebusy", MemoryHttpFake::freeBusy)
                .build();
    }

    /**
     * The HTTP server: faults, accounting, URL.
     *
     * @return the server
     */
    public FakeServer<InMemoryCalendarService> server() {
        return server;
    }

    /**
     * The reference service behind it, for seeding and assertions.
     *
     * @return the service
     */
    public InMemoryCalendarService service() {
        return service;
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void seed(SeedData data) {
        service.seed(data);
    }

    @Override
    public CalendarConnection connect(Mailbox mailbox) {
        return new MemoryHttpConnection(http, server.url("/"), mailbox);
    }

    @Override
    public java.net.URI baseUrl() {
        return server.baseUrl().uri();
    }

    /** A config for the {@code memory-http} provider: setting {@code url} (this fake) and {@code mailbox}. */
    @Override
    public ConnectionConfig connectionConfig(Mailbox mailbox) {
        return ConnectionConfig.builder(MemoryHttpConnection.PROVIDER)
                .setting("url", server.baseUrl().toString())
                .setting("mailbox", mailbox.email())
                .build();
    }

    /**
     * A connection whose pauses between retries go to {@code sleeper} (a test can record them).
     *
     * @param mailbox the mailbox to act as
     * @param sleeper receives the connection's retry pauses
     * @return an open connection; the caller closes it
     */
    public CalendarConnection connect(Mailbox mailbox, org.calsdk.http.Sleeper sleeper) {
        return new MemoryHttpConnection(http, server.url("/"), mailbox, sleeper);
    }

    /**
     * The HTTP client connections to this fake use.
     *
     * @return the client (its TLS and timeouts fit this fake)
     */
    public OkHttpClient http() {
        return http;
    }

    @Override
    public void close() {
        server.close();
        service.close();
    }

    // ------------------------------------------------------------------ routes

    private interface Body {
        FakeResponse run(CalendarConnection c, FakeRequest r) throws Exception;
    }

    private static FakeResponse as(FakeRequest r, InMemoryCalendarService s, Body body) throws Exception {
        Mailbox m;
        try {
            m = Mailbox.of(r.pathParam("mailbox"));
        } catch (InvalidInputException e) {
            return error(400, e.getMessage());
        }
        if (!s.mailboxes().contains(m)) {
            return error(404, "no mailbox " + m);
        }
        try (CalendarConnection c = s.connect(m)) {
            return body.run(c, r);
        } catch (CalendarException e) {
            return error(statusOf(e), e.getMessage());
        }
    }

    private static int statusOf(CalendarException e) {
        if (e instanceof ConflictException) {
            return 412;
        }
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof PermissionDeniedException) {
            return 403;
        }
        if (e instanceof InvalidInputException) {
            return 400;
        }
        if (e instanceof RateLimitedException) {
            return 429;
        }
        if (e instanceof ReauthorizationRequiredException) {
            return 401;
        }
        return 503;
    }

    private static FakeResponse error(int status, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("error").put("code", status).put("message", message);
        return FakeResponse.json(status, n.toString());
    }

    private static CalendarRef cal(CalendarConnection c, FakeRequest r) {
        return CalendarRef.of(c.self().orElseThrow(), r.pathParam("calendar"));
    }

    static ObjectNode eventJson(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id().orElseThrow());
        n.put("version", e.version().orElseThrow());
        n.put("ics", ICalendar.write(e));
        return n;
    }

    private static FakeResponse one(Optional<Event> e) {
        return e.map(x -> FakeResponse.json(200, eventJson(x).toString())
                        .withHeader("ETag", "\"" + x.version().orElseThrow() + "\""))
                .orElseGet(() -> error(404, "no such event"));
    }

    private static Event parseOne(FakeRequest r) {
        List<Event> events = ICalendar.parse(r.bodyString());
        if (events.size() != 1) {
            throw new InvalidInputException("body", "send exactly one event (series), got " + events.size());
        }
        return events.get(0);
    }

    private static String ifMatch(FakeRequest r) {
        return r.header("If-Match").map(v -> v.replace("\"", "")).orElse(null);
    }

    private static FakeResponse calendars(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(r, s, (c, req) -> {
            ArrayNode a = JSON.createArrayNode();
            for (CalendarInfo ci : c.reader().calendars(c.self().orElseThrow())) {
                a.addObject()
                        .put("id", ci.ref().id())
                        .put("name", ci.displayName())
                        .put("primary", ci.primary());
            }
            return FakeResponse.json(200, a.toString());
        });
    }

    private static FakeResponse list(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(r, s, (c, req) -> {
            TimeWindow w = TimeWindow.of(
                    Instant.parse(req.query("start").orElseThrow()),
                    Instant.parse(req.query("end").orElseThrow()));
            int size = Integer.parseInt(req.query("pageSize").orElse("250"));
            EventPage page = c.reader()
                    .list(new EventQuery(
                            cal(c, req), w, size, req.query("pageToken").orElse(null)));
            ObjectNode n = JSON.createObjectNode();
            ArrayNode items = n.putArray("items");
            page.events().forEach(e -> items.add(eventJson(e)));
            if (page.nextPageToken() != null) {
                n.put("next", page.nextPageToken());
            }
            return FakeResponse.json(200, n.toString());
        });
    }

    private static FakeResponse get(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(r, s, (c, req) -> one(c.reader().get(cal(c, req), req.pathParam("id"))));
    }

    private static FakeResponse byKey(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(r, s, (c, req) -> one(c.reader().findByKey(cal(c, req), EventKey.of(req.pathParam("key")))));
    }

    private static FakeResponse create(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(
                r,
                s,
                (c, req) -> one(
                        Optional.of(c.writer().create(cal(c, req), EventKey.of(req.pathParam("key")), parseOne(req)))));
    }

    private static FakeResponse update(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(
                r,
                s,
                (c, req) -> one(Optional.of(c.writer()
                        .update(
                                cal(c, req),
                                parseOne(req).toBuilder()
                                        .id(req.pathParam("id"))
                                        .version(ifMatch(req))
                                        .build()))));
    }

    private static FakeResponse delete(FakeRequest r, InMemoryCalendarService s) throws Exception {
        return as(r, s, (c, req) -> {
            c.writer().delete(cal(c, req), req.pathParam("id"), ifMatch(req));
            return FakeResponse.of(204);
        });
    }

    private static FakeResponse freeBusy(FakeRequest r, InMemoryCalendarService s) throws Exception {
        JsonNode in = JSON.readTree(r.body());
        List<Mailbox> who = new java.util.ArrayList<>();
        in.path("mailboxes").forEach(m -> who.add(Mailbox.of(m.asText())));
        TimeWindow w = TimeWindow.of(
                Instant.parse(in.path("start").asText()),
                Instant.parse(in.path("end").asText()));
        // free/busy of anyone in the organization, as the service account sees it
        FreeBusyResult result;
        try (CalendarConnection org = s.connectOrganization()) {
            result = org.freeBusy().query(FreeBusyRequest.of(who, w));
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (FreeBusy fb : result.results()) {
            ObjectNode n = results.addObject().put("mailbox", fb.mailbox().email());
            if (fb.error() != null) {
                n.putObject("error")
                        .put("code", statusOf(fb.error()))
                        .put("message", fb.error().getMessage());
            } else {
                ArrayNode busy = n.putArray("busy");
                for (BusyInterval b : fb.busy()) {
                    busy.addObject()
                            .put("start", b.start().toString())
                            .put("end", b.end().toString())
                            .put("status", b.status().jsonName());
                }
            }
        }
        return FakeResponse.json(200, out.toString());
    }
}
