package org.calsdk.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.internal.Checks;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.ProtocolFaults;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.RouteHandler;
import org.calsdk.testkit.internal.RoutePattern;

/**
 * A stateful fake of Microsoft Graph v1.0 for calendars, on real HTTP ({@link FakeServer}): calendars,
 * events (create with {@code transactionId}, get, {@code PATCH}/{@code DELETE} with {@code If-Match}
 * change keys, series masters with exceptions and occurrences, RSVP), {@code calendarView} paged with
 * {@code @odata.nextLink}, {@code calendarView/delta} with skip and delta tokens (an expired token answers
 * 410 {@code syncStateNotFound}), {@code calendar/getSchedule}, JSON {@code $batch}, {@code /me}, Graph's
 * error bodies, an application access policy (a mailbox outside it answers 403 {@code ErrorAccessDenied}),
 * the per-mailbox concurrency limit (a fifth concurrent request for one mailbox answers 429 with
 * {@code Retry-After}) and a token endpoint ({@code /{tenant}/oauth2/v2.0/token}: client credentials and
 * refresh tokens).
 *
 * <p>Graph's limits are enforced: at most 20 schedules per getSchedule and a window under 62 days, at most
 * 20 requests per {@code $batch}. Sub-requests of a batch run one after the other, each counted against its
 * mailbox's concurrency and recorded in {@link #subRequests()}; fault rules on their operation names
 * ({@link #faults()}) that answer a status apply to them as well.
 *
 * <p>Without seeded tokens any bearer token is accepted as an app-only token; {@link Builder#openDomain}
 * makes every address of a domain exist on first use.
 *
 * <pre>{@code
 * try (FakeGraphServer graph = FakeGraphServer.builder().mailbox("alice@example.com").mailbox("bob@example.com")
 *         .build().start()) {
 *     ConnectionConfig config = graph.connectionConfig("alice@example.com").build();
 *     // CalendarProviders.connect(config) ...
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeGraphServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The id of the single-value extended property clients may filter on. */
    private static final Pattern EXT_FILTER = Pattern.compile(
            "singleValueExtendedProperties/any\\(\\s*(\\w+)\\s*:\\s*\\1/id\\s+eq\\s+'([^']*)'\\s+and\\s+\\1/value\\s+eq\\s+'([^']*)'\\s*\\)");

    private static final int MAX_SCHEDULES = 20;
    private static final int MAX_BATCH = 20;
    private static final Duration MAX_SCHEDULE_WINDOW = Duration.ofDays(62);

    private final GraphStore store = new GraphStore();
    private final FakeServer<GraphStore> server;
    private final List<Route> routes = new ArrayList<>();
    private final Duration latency;
    private final GraphSubscriptions subscriptions;
    private final Duration deliverEvery;
    private java.util.concurrent.ScheduledExecutorService deliverer;

    private record Route(String method, RoutePattern pattern, String operation, RouteHandler<GraphStore> handler) {}

    private FakeGraphServer(Builder b) {
        b.mailboxes.forEach(store::addMailbox);
        b.rooms.forEach(r -> {
            store.addMailbox(r.address(), r.displayName());
            store.rooms.put(r.address().toLowerCase(Locale.ROOT), r);
        });
        b.groups.forEach(g -> store.groups.put(g.id(), g));
        store.openDomain = b.openDomain;
        store.accessPolicy = b.accessPolicy == null ? null : lower(b.accessPolicy);
        store.tokens.putAll(b.tokens);
        store.clients.putAll(b.clients);
        store.refreshTokens.putAll(b.refreshTokens);
        store.clientCertificates.putAll(b.clientCertificates);
        store.maxConcurrentPerMailbox = b.maxConcurrent;
        store.retryAfterSeconds = b.retryAfterSeconds;
        this.latency = b.latency;
        this.subscriptions = new GraphSubscriptions(store, b.webhookEndpoint);
        this.deliverEvery = b.deliverEvery;
        FakeServer.Builder<GraphStore> sb = FakeServer.builder(store)
                .name("graph")
                .port(b.port)
                .protocolFaults(ProtocolFaults.graph())
                .mailboxResolver(FakeGraphServer::mailboxOf);
        String u = "/v1.0/users/{mailbox}";
        add(sb, "POST", "/{tenant}/oauth2/v2.0/token", "token", this::token);
        add(sb, "GET", "/{tenant}/oauth2/v2.0/authorize", "authorize", this::authorize);
        add(sb, "POST", "/v1.0/$batch", "batch", this::batch);
        add(sb, "GET", "/v1.0/me", "me", this::me);
        add(sb, "GET", "/v1.0/users", "users", this::users);
        add(sb, "GET", "/v1.0/groups", "groups", this::groups);
        add(sb, "GET", "/v1.0/groups/{gid}/members", "groups.members", (req, st) -> members(req, st, false));
        add(sb, "GET", "/v1.0/groups/{gid}/transitiveMembers", "groups.members", (req, st) -> members(req, st, true));
        add(sb, "GET", "/v1.0/places/microsoft.graph.room", "places.rooms", this::rooms);
        add(sb, "GET", u, "user", this::user);
        add(sb, "GET", u + "/calendars", "calendars", this::calendars);
        add(sb, "GET", u + "/calendar", "calendar", this::calendar);
        add(sb, "POST", u + "/calendar/getSchedule", "getSchedule", this::getSchedule);
        add(sb, "GET", u + "/calendarView/delta", "delta", this::delta);
        add(sb, "GET", u + "/calendars/{cal}/calendarView/delta", "delta", this::delta);
        // the function-call spelling the official SDK uses
        add(sb, "GET", u + "/calendarView/delta()", "delta", this::delta);
        add(sb, "GET", u + "/calendars/{cal}/calendarView/delta()", "delta", this::delta);
        add(sb, "GET", u + "/calendarView", "calendarView", this::calendarView);
        add(sb, "GET", u + "/calendars/{cal}/calendarView", "calendarView", this::calendarView);
        add(sb, "GET", u + "/events", "events.list", this::listEvents);
        add(sb, "GET", u + "/calendars/{cal}/events", "events.list", this::listEvents);
        add(sb, "POST", u + "/events", "events.create", this::createEvent);
        add(sb, "POST", u + "/calendars/{cal}/events", "events.create", this::createEvent);
        add(sb, "GET", u + "/events/{id}/instances", "events.instances", this::instances);
        add(sb, "GET", u + "/events/{id}", "events.get", this::getEvent);
        add(sb, "PATCH", u + "/events/{id}", "events.update", this::updateEvent);
        add(sb, "DELETE", u + "/events/{id}", "events.delete", this::deleteEvent);
        add(sb, "POST", u + "/events/{id}/{action}", "events.respond", this::respond);
        add(
                sb,
                "POST",
                "/v1.0/subscriptions",
                "subscriptions.create",
                (req, st) -> subscriptions.create(req, subject(req)));
        add(sb, "GET", "/v1.0/subscriptions/{sid}", "subscriptions.get", (req, st) -> subscriptions.get(req));
        add(sb, "PATCH", "/v1.0/subscriptions/{sid}", "subscriptions.renew", (req, st) -> subscriptions.renew(req));
        add(sb, "DELETE", "/v1.0/subscriptions/{sid}", "subscriptions.delete", (req, st) -> subscriptions.delete(req));
        this.server = sb.build();
    }

    /**
     * The standalone fake ({@code ./calendar fake --provider graph}): every mailbox {@code @example.com}
     * exists with an empty primary calendar, and any bearer token is accepted as an app-only token. Not
     * started.
     *
     * @return the fake, not started
     */
    public static FakeGraphServer standalone() {
        return builder().openDomain("example.com").build();
    }

    /**
     * Starts building a fake Graph.
     *
     * @return a builder with no mailboxes or tokens, a free port and at most 4 requests in flight per mailbox
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds 127.0.0.1 on a free port. Idempotent.
     *
     * @return this server, running
     */
    public FakeGraphServer start() {
        server.start();
        synchronized (this) {
            if (deliverEvery != null && deliverer == null) {
                deliverer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "fake-graph-notifications");
                    t.setDaemon(true);
                    return t;
                });
                long ms = deliverEvery.toMillis();
                deliverer.scheduleWithFixedDelay(
                        () -> {
                            try {
                                subscriptions.deliver();
                            } catch (RuntimeException e) {
                                // a failed delivery is dropped, as Graph drops notifications it cannot deliver
                            }
                        },
                        ms,
                        ms,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    /**
     * The Graph root, such as {@code http://127.0.0.1:41234/v1.0}.
     *
     * @return the root, without a trailing {@code /}
     * @throws IllegalStateException if the server is not running
     */
    public String baseUrl() {
        return server.url("/v1.0").toString();
    }

    /**
     * The authority root for the token endpoint, such as {@code http://127.0.0.1:41234/}.
     *
     * @return the root, ending in {@code /}
     * @throws IllegalStateException if the server is not running
     */
    public String authorityUrl() {
        return server.baseUrl().toString();
    }

    /**
     * The underlying server (port, accounting, faults); its state is the fake's own, not API.
     *
     * @return the server
     */
    public FakeServer<?> server() {
        return server;
    }

    /**
     * Network latency: every HTTP request from now on waits {@code perRequest} before it is answered (a
     * {@code $batch} once), as {@link FakeServer#latency} does; {@link Duration#ZERO} turns it off. Unlike
     * the builder's {@link Builder#latency}, the wait is not counted in a mailbox's concurrency.
     *
     * @param perRequest the delay, not negative
     * @return this fake
     * @throws NullPointerException if {@code perRequest} is null
     * @throws org.calsdk.errors.InvalidInputException if {@code perRequest} is negative
     */
    public FakeGraphServer latency(Duration perRequest) {
        server.latency(perRequest);
        return this;
    }

    /**
     * Fault rules, by operation name ({@code getSchedule}, {@code events.create}, {@code delta}, {@code batch}, ...).
     *
     * @return the live rule set
     */
    public FaultScript faults() {
        return server.faults();
    }

    /**
     * The HTTP requests received (a {@code $batch} counts once, as {@code batch}).
     *
     * @return the live accounting
     */
    public RequestAccounting accounting() {
        return server.accounting();
    }

    /**
     * The operations of the sub-requests of every {@code $batch}, in the order they ran.
     *
     * @return an immutable snapshot
     */
    public List<String> subRequests() {
        synchronized (store.subRequests) {
            return List.copyOf(store.subRequests);
        }
    }

    /**
     * getSchedule calls received, direct and inside batches.
     *
     * @return the count
     */
    public long scheduleCalls() {
        return accounting().calls("getSchedule")
                + subRequests().stream().filter("getSchedule"::equals).count();
    }

    /**
     * The most requests ever in flight at once for {@code mailbox} (0 when none).
     *
     * @param mailbox the mailbox address
     * @return the high-water mark
     */
    public int maxConcurrency(String mailbox) {
        AtomicInteger m = store.maxInFlight.get(mailbox.toLowerCase(Locale.ROOT));
        return m == null ? 0 : m.get();
    }

    /**
     * The most requests ever in flight at once for any one mailbox.
     *
     * @return the high-water mark over all mailboxes
     */
    public int maxConcurrencyPerMailbox() {
        return store.maxInFlight.values().stream()
                .mapToInt(AtomicInteger::get)
                .max()
                .orElse(0);
    }

    /**
     * Delivers the change notifications queued since the last call (one per created, updated or deleted event
     * of a subscribed calendar) to their subscriptions' notification URLs, up to 50 to a POST, as Graph
     * does. Notifications are queued, not sent as events change, so a test decides when they arrive.
     *
     * @return what each endpoint answered, one per POST
     */
    public List<org.calsdk.testkit.WebhookClient.Delivery> deliverNotifications() {
        return subscriptions.deliver();
    }

    /**
     * Sends a lifecycle notification for subscription {@code id} to its {@code lifecycleNotificationUrl}:
     * {@code reauthorizationRequired}, {@code missed}, or {@code subscriptionRemoved} (which also ends the
     * subscription, as Graph does when it removes one).
     *
     * @param id the subscription id
     * @param lifecycleEvent the event's name
     * @return what the endpoint answered
     * @throws org.calsdk.errors.NotFoundException when there is no such subscription
     */
    public org.calsdk.testkit.WebhookClient.Delivery sendLifecycleNotification(String id, String lifecycleEvent) {
        Checks.check(
                List.of("reauthorizationRequired", "subscriptionRemoved", "missed")
                        .contains(lifecycleEvent),
                "lifecycleEvent",
                "one of reauthorizationRequired, subscriptionRemoved, missed");
        return subscriptions.lifecycle(Checks.notBlank(id, "id"), lifecycleEvent);
    }

    /**
     * Ends subscription {@code id} now, as Graph does when it removes one: a {@code subscriptionRemoved}
     * lifecycle notification is sent, and renewing it answers 404.
     *
     * @param id the subscription id
     */
    public void expireSubscription(String id) {
        subscriptions.lifecycle(Checks.notBlank(id, "id"), "subscriptionRemoved");
    }

    /**
     * With {@link Builder#webhookEndpoint}: delivers the waiting notifications and returns every notification
     * request (change and lifecycle, not handshakes) delivered in-process since the last call.
     *
     * @return the delivered requests, oldest first, removed from the fake's record
     */
    public List<org.calsdk.api.WebhookRequest> takeWebhooks() {
        return subscriptions.take();
    }

    /**
     * The administrator revokes (true) or grants again (false) the app's admin consent: app-only tokens are
     * still issued but carry no roles, so every Graph call with one answers 401
     * {@code NoPermissionsInAccessToken}. Delegated tokens are unaffected.
     *
     * @param revoked true to revoke, false to grant again
     */
    public void revokeAdminConsent(boolean revoked) {
        store.consentRevoked = revoked;
    }

    /**
     * The user revokes the app's consent (or an administrator resets the user's sessions): the user's refresh
     * tokens answer {@code invalid_grant} and the access tokens issued for the user answer 401.
     *
     * @param mailbox the user's address
     */
    public void revokeUserConsent(String mailbox) {
        Checks.notBlank(mailbox, "mailbox");
        store.strictTokens = true;
        store.refreshTokens.values().removeIf(m -> m.equalsIgnoreCase(mailbox));
        store.tokens.values().removeIf(m -> m.equalsIgnoreCase(mailbox));
    }

    /**
     * The ids of the live subscriptions, with their expiry.
     *
     * @return an immutable snapshot: subscription id to expiry
     */
    public Map<String, Instant> subscriptions() {
        synchronized (store) {
            Map<String, Instant> out = new LinkedHashMap<>();
            store.subscriptions.values().forEach(x -> out.put(x.id, x.expires));
            return out;
        }
    }

    /** Forgets every delta token: the next incremental read answers 410 {@code syncStateNotFound}. */
    public void expireDeltaTokens() {
        synchronized (store) {
            store.deltaTokens.clear();
        }
    }

    /**
     * Adds the seed's users and the events of their primary calendars (as if created through the API).
     *
     * @param data the seed data
     * @throws org.calsdk.errors.InvalidInputException for what this fake cannot hold: a calendar other than
     *         the primary, or a recurring event (nothing is dropped silently)
     */
    public void seed(org.calsdk.testkit.SeedData data) {
        Checks.notNull(data, "data");
        for (org.calsdk.testkit.SeedData.SeedUser u : data.users()) {
            for (org.calsdk.testkit.SeedData.SeedCalendar c : u.calendars()) {
                if (!c.primary()) {
                    throw new org.calsdk.errors.InvalidInputException(
                            "calendar",
                            "the fake Graph seeds primary " + "calendars only, not '" + c.id() + "' of " + u.mailbox());
                }
                for (org.calsdk.model.Event e : c.events()) {
                    if (e.recurrence().isPresent() || e.recurrenceId().isPresent()) {
                        throw new org.calsdk.errors.InvalidInputException(
                                "event",
                                "the fake Graph does not seed " + "recurring events ('" + e.summary() + "' of "
                                        + u.mailbox() + ")");
                    }
                }
            }
        }
        for (org.calsdk.testkit.SeedData.SeedUser u : data.users()) {
            String address = u.mailbox().email();
            synchronized (store) {
                store.addMailbox(address, u.displayName());
            }
            for (org.calsdk.testkit.SeedData.SeedCalendar c : u.calendars()) {
                for (org.calsdk.model.Event e : c.events()) {
                    ObjectNode json = JSON.createObjectNode();
                    json.put("subject", e.summary());
                    e.location().ifPresent(l -> json.putObject("location").put("displayName", l));
                    json.put("isAllDay", e.start().isAllDay());
                    json.set("start", seedTime(e.start()));
                    json.set("end", seedTime(e.end()));
                    try {
                        FakeRequest req = new FakeRequest(
                                "POST",
                                HttpUrl.get(baseUrl() + "/users/" + address + "/events"),
                                Map.of("mailbox", address),
                                okhttp3.Headers.of(),
                                JSON.writeValueAsBytes(json),
                                "events.create",
                                address);
                        FakeResponse r = createEvent(req, store);
                        if (r.status() != 201) {
                            throw new org.calsdk.errors.InvalidInputException(
                                    "event",
                                    "the fake Graph refused the "
                                            + "seed event '" + e.summary() + "' of " + address + " (HTTP " + r.status()
                                            + ": "
                                            + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8) + ")");
                        }
                    } catch (org.calsdk.errors.CalendarException x) {
                        throw x;
                    } catch (Exception x) {
                        throw new IllegalStateException("seeding the fake Graph failed", x);
                    }
                }
            }
        }
    }

    private static ObjectNode seedTime(org.calsdk.model.EventTime t) {
        ObjectNode n = JSON.createObjectNode();
        if (t.isAllDay()) {
            n.put("dateTime", t.date() + "T00:00:00.0000000");
        } else {
            n.put(
                    "dateTime",
                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS")
                            .format(t.toInstant(java.time.ZoneOffset.UTC).atOffset(java.time.ZoneOffset.UTC)));
        }
        n.put("timeZone", "UTC");
        return n;
    }

    /**
     * Adds (or keeps) a mailbox.
     *
     * @param address the mailbox address
     */
    public void addMailbox(String address) {
        synchronized (store) {
            store.addMailbox(address, null);
        }
    }

    /**
     * The number of events and series masters (not deleted) in {@code mailbox}'s calendars.
     *
     * @param mailbox the mailbox address
     * @return the count; 0 for an unknown mailbox
     */
    public int eventCount(String mailbox) {
        synchronized (store) {
            GraphStore.MailboxData m = store.mailbox(mailbox);
            return m == null
                    ? 0
                    : (int) m.calendars.values().stream()
                            .flatMap(c -> c.events.values().stream())
                            .filter(s -> !s.deleted)
                            .count();
        }
    }

    /**
     * A connection config for the {@code graph} provider acting as {@code mailbox}: the base URL, a bearer
     * token the fake accepts, and {@code allowPrivateNetwork=true} (the fake listens on loopback).
     *
     * @param mailbox the mailbox address
     * @return a builder for provider {@code graph}, ready to build
     */
    public ConnectionConfig.Builder connectionConfig(String mailbox) {
        String token = store.tokens.isEmpty()
                ? "fake-graph-token"
                : store.tokens.entrySet().stream()
                        .filter(e -> e.getValue().equalsIgnoreCase(mailbox)
                                || e.getValue().equals(GraphStore.APP))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse("none");
        return ConnectionConfig.builder("graph")
                .setting("baseUrl", baseUrl())
                .setting("accessToken", token)
                .setting("mailbox", mailbox)
                .setting("allowPrivateNetwork", "true");
    }

    @Override
    public void close() {
        synchronized (this) {
            if (deliverer != null) {
                deliverer.shutdownNow();
                deliverer = null;
            }
        }
        server.close();
    }

    @Override
    public String toString() {
        return "FakeGraphServer[" + server + "]";
    }

    // ------------------------------------------------------------------------------------------ routing

    private void add(
            FakeServer.Builder<GraphStore> sb,
            String method,
            String pattern,
            String operation,
            RouteHandler<GraphStore> handler) {
        RouteHandler<GraphStore> guarded = (req, st) -> guarded(req, handler);
        routes.add(new Route(method, RoutePattern.compile(pattern), operation, guarded));
        sb.route(method, pattern, operation, guarded);
    }

    private static String mailboxOf(FakeRequest r) {
        String m = r.pathParams().get("mailbox");
        return m == null ? null : m.toLowerCase(Locale.ROOT);
    }

    /** Authorization, access policy and the per-mailbox concurrency limit around a handler. */
    private FakeResponse guarded(FakeRequest original, RouteHandler<GraphStore> handler) throws Exception {
        FakeRequest req = original;
        if (original.header("Content-Encoding")
                .map(v -> v.equalsIgnoreCase("gzip"))
                .orElse(false)) {
            // Graph accepts gzip-compressed request bodies (the official SDK sends them)
            byte[] plain;
            try (java.io.InputStream in =
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(original.body()))) {
                plain = in.readNBytes(16 * 1024 * 1024);
            } catch (java.io.IOException e) {
                return error(400, "BadRequest", "The request body is not valid gzip.");
            }
            req = new FakeRequest(
                    original.method(),
                    original.url(),
                    original.pathParams(),
                    original.headers()
                            .newBuilder()
                            .removeAll("Content-Encoding")
                            .build(),
                    plain,
                    original.operation(),
                    original.mailbox(),
                    original.mailboxes(),
                    original.mailboxErrors());
        }
        if (req.operation().equals("token") || req.operation().equals("authorize")) {
            return handler.handle(req, store);
        }
        String subject = subject(req);
        if (subject == null) {
            return error(
                            401,
                            "InvalidAuthenticationToken",
                            req.header("Authorization").isEmpty()
                                    ? "Access token is empty."
                                    : "Access token validation failure. Invalid audience.")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
        }
        if (subject.equals(GraphStore.APP) && store.consentRevoked) {
            // Entra still issues the app a token, but without roles; Outlook answers 401
            return error(
                            401,
                            "NoPermissionsInAccessToken",
                            "The token contains no permissions, or permissions can " + "not be understood.")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
        }
        String mailbox = mailboxOf(req);
        if (mailbox == null) {
            return handler.handle(req, store);
        }
        FakeResponse denied = access(subject, mailbox, req.operation());
        if (denied != null) {
            return denied;
        }
        AtomicInteger count = store.inFlight.computeIfAbsent(mailbox, k -> new AtomicInteger());
        int now = count.incrementAndGet();
        try {
            store.maxInFlight.computeIfAbsent(mailbox, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            if (now > store.maxConcurrentPerMailbox) {
                return error(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
                        .withHeader("Retry-After", Long.toString(store.retryAfterSeconds));
            }
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis()); // inside the mailbox's count, as a slow mailbox server would be
            }
            return handler.handle(req, store);
        } finally {
            count.decrementAndGet();
        }
    }

    /** Who the bearer token speaks for: a mailbox address, {@link GraphStore#APP}, or null when refused. */
    private String subject(FakeRequest req) {
        String auth = req.header("Authorization").orElse("");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            return null;
        }
        String token = auth.substring(7).strip();
        if (store.tokens.isEmpty() && !store.strictTokens) {
            return GraphStore.APP;
        }
        return store.tokens.get(token);
    }

    private FakeResponse access(String subject, String mailbox, String operation) {
        if (subject.equals(GraphStore.APP)) {
            // Exchange resolves the user before the policy: an unknown mailbox is 404, not 403
            boolean known;
            synchronized (store) {
                known = store.mailbox(mailbox) != null;
            }
            if (known && store.accessPolicy != null && !store.accessPolicy.contains(mailbox)) {
                return error(
                        403,
                        "ErrorAccessDenied",
                        "Access to OData is disabled: [RAOP] : Blocked by tenant "
                                + "configured AppOnly AccessPolicy settings.");
            }
            return null;
        }
        if (!subject.equalsIgnoreCase(mailbox)) {
            return error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }
        return null;
    }

    static FakeResponse error(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("code", code);
        e.put("message", message);
        ObjectNode inner = e.putObject("innerError");
        inner.put("request-id", UUID.randomUUID().toString());
        inner.put("date", Instant.now().toString());
        return json(status, root)
                .withHeader("request-id", inner.path("request-id").asText());
    }

    static FakeResponse json(int status, JsonNode body) {
        return FakeResponse.json(status, body.toString());
    }

    /** The request's URL on the address clients were given (MockWebServer may name its host "localhost"). */
    private HttpUrl.Builder link(FakeRequest req) {
        return req.url().newBuilder().scheme("http").host("127.0.0.1").port(server.port());
    }

    private static List<String> prefer(FakeRequest req) {
        return req.headers().values("Prefer");
    }

    // ------------------------------------------------------------------------------------------ token endpoint

    private FakeResponse token(FakeRequest req, GraphStore st) {
        Map<String, String> form = form(req.bodyString());
        String grant = form.getOrDefault("grant_type", "");
        String token = "fake-at-" + UUID.randomUUID();
        ObjectNode ok = JSON.createObjectNode();
        ok.put("token_type", "Bearer");
        ok.put("expires_in", 3599);
        ok.put("ext_expires_in", 3599);
        switch (grant) {
            case "client_credentials" -> {
                String id = form.getOrDefault("client_id", "");
                String secret = form.get("client_secret");
                if (secret == null && form.containsKey("client_assertion")) {
                    String problem = checkAssertion(req, id, form);
                    if (problem != null) {
                        return oauthError(401, "invalid_client", problem);
                    }
                    if (!store.tokens.isEmpty()) {
                        store.tokens.put(token, GraphStore.APP);
                    }
                    ok.put("access_token", token);
                    return json(200, ok);
                }
                if (secret == null) {
                    return oauthError(
                            400,
                            "invalid_client",
                            "AADSTS7000216: 'client_assertion', 'client_secret' or "
                                    + "'request' is required for the 'client_credentials' grant type.");
                }
                if (!store.clients.isEmpty() && !secret.equals(store.clients.get(id))) {
                    return oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
                }
                if (!store.tokens.isEmpty()) {
                    store.tokens.put(token, GraphStore.APP);
                }
            }
            case "authorization_code" -> {
                GraphStore.Grant g = store.codes.remove(form.getOrDefault("code", ""));
                if (g == null || !g.redirectUri().equals(form.get("redirect_uri"))) {
                    return oauthError(
                            400,
                            "invalid_grant",
                            "AADSTS70008: The provided authorization code or refresh "
                                    + "token has expired due to inactivity, or was already redeemed.");
                }
                if (g.challenge() != null && !g.challenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
                    return oauthError(
                            400,
                            "invalid_grant",
                            "AADSTS501481: The Code_Verifier does not match the "
                                    + "code_challenge supplied in the authorization request.");
                }
                String secret = form.get("client_secret");
                if (secret != null
                        && !store.clients.isEmpty()
                        && !secret.equals(store.clients.get(form.getOrDefault("client_id", "")))) {
                    return oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
                }
                String refresh = "fake-rt-" + UUID.randomUUID();
                store.refreshTokens.put(refresh, g.mailbox());
                ok.put("refresh_token", refresh);
                ok.put("scope", form.getOrDefault("scope", ""));
                store.tokens.put(token, g.mailbox());
            }
            case "refresh_token" -> {
                String user = store.refreshTokens.remove(form.getOrDefault("refresh_token", ""));
                if (user == null) {
                    return oauthError(
                            400,
                            "invalid_grant",
                            "AADSTS70000: The provided grant has expired due to it "
                                    + "being revoked, a fresh auth token is needed.");
                }
                String refresh = "fake-rt-" + UUID.randomUUID();
                store.refreshTokens.put(refresh, user);
                ok.put("refresh_token", refresh);
                store.tokens.put(token, user);
            }
            default -> {
                return oauthError(
                        400,
                        "unsupported_grant_type",
                        "AADSTS70003: The app requested an unsupported grant " + "type '" + grant + "'.");
            }
        }
        ok.put("access_token", token);
        return json(200, ok);
    }

    /**
     * The consent page, answered at once as if the user named by {@code login_hint} signed in and consented:
     * a redirect to {@code redirect_uri} with a single-use {@code code} and the {@code state}.
     */
    private FakeResponse authorize(FakeRequest req, GraphStore st) {
        String redirect = req.query("redirect_uri").orElse(null);
        String state = req.query("state").orElse(null);
        String user = req.query("login_hint").orElse(null);
        HttpUrl target = redirect == null ? null : HttpUrl.parse(redirect);
        if (target == null
                || !"code".equals(req.query("response_type").orElse(null))
                || req.query("client_id").isEmpty()) {
            return FakeResponse.text(400, "AADSTS900144: client_id, response_type=code and redirect_uri are required.");
        }
        boolean known;
        synchronized (st) {
            known = user != null && st.mailbox(user) != null;
        }
        HttpUrl.Builder back = target.newBuilder();
        if (!known) {
            back.addQueryParameter("error", "access_denied")
                    .addQueryParameter(
                            "error_description",
                            "AADSTS50020: the fake signs in the user named by login_hint, and there is no such user.");
        } else {
            String code = "fake-code-" + UUID.randomUUID();
            String challenge = req.query("code_challenge").orElse(null);
            if (challenge != null
                    && !"S256".equals(req.query("code_challenge_method").orElse("plain"))) {
                return FakeResponse.text(400, "AADSTS501491: only the S256 code_challenge_method is supported here.");
            }
            st.codes.put(code, new GraphStore.Grant(user.toLowerCase(Locale.ROOT), redirect, challenge));
            back.addQueryParameter("code", code);
        }
        if (state != null) {
            back.addQueryParameter("state", state);
        }
        return FakeResponse.of(302).withHeader("Location", back.build().toString());
    }

    /**
     * Checks a certificate client assertion (RFC 7523) as the identity platform does: the client's registered
     * certificate named by {@code x5t#S256} (or SHA-1 {@code x5t}), a PS256 or RS256 signature by its key,
     * {@code aud} the token endpoint, {@code iss} and {@code sub} the client id, not expired. Verified with
     * the JDK's {@link java.security.Signature}.
     *
     * @return the AADSTS error text, or null when the assertion is good
     */
    private String checkAssertion(FakeRequest req, String clientId, Map<String, String> form) {
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
            return "AADSTS700021: Client assertion application identifier doesn't match 'client_assertion_type'.";
        }
        String pem = store.clientCertificates.get(clientId);
        if (pem == null) {
            return "AADSTS700027: The certificate with identifier used to sign the client assertion is not "
                    + "registered on application " + clientId + ".";
        }
        String[] parts = form.get("client_assertion").split("\\.");
        if (parts.length != 3) {
            return "AADSTS50027: JWT token is invalid or malformed.";
        }
        try {
            java.util.Base64.Decoder b64 = java.util.Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(b64.decode(parts[0]));
            JsonNode claims = JSON.readTree(b64.decode(parts[1]));
            java.security.cert.X509Certificate cert =
                    (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(
                                    new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            String s256 = java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            String sha1 = java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            java.security.MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
            if (!s256.equals(header.path("x5t#S256").asText())
                    && !sha1.equals(header.path("x5t").asText())) {
                return "AADSTS700027: The certificate with identifier used to sign the client assertion is not "
                        + "registered on application " + clientId + ".";
            }
            java.security.Signature verifier;
            String alg = header.path("alg").asText();
            if (alg.equals("PS256")) {
                verifier = java.security.Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(new java.security.spec.PSSParameterSpec(
                        "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            } else if (alg.equals("RS256")) {
                verifier = java.security.Signature.getInstance("SHA256withRSA");
            } else {
                return "AADSTS5002738: Invalid JWT token. '" + alg + "' is not a supported signature algorithm.";
            }
            verifier.initVerify(cert.getPublicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(b64.decode(parts[2]))) {
                return "AADSTS700027: Client assertion contains an invalid signature.";
            }
            String audience = link(req).query(null).build().toString();
            JsonNode aud = claims.path("aud");
            boolean audOk = aud.isArray()
                    ? aud.size() == 1 && aud.get(0).asText().equals(audience)
                    : aud.asText().equals(audience);
            if (!audOk) {
                return "AADSTS700016: The audience of the client assertion is not the token endpoint " + audience + ".";
            }
            if (!clientId.equals(claims.path("iss").asText())
                    || !clientId.equals(claims.path("sub").asText())) {
                return "AADSTS700023: Client assertion issuer and subject must be the client id.";
            }
            if (claims.path("exp").asLong(0) <= Instant.now().getEpochSecond()) {
                return "AADSTS700024: Client assertion is not within its valid time range.";
            }
            return null;
        } catch (Exception e) {
            return "AADSTS50027: JWT token is invalid or malformed ("
                    + e.getClass().getSimpleName() + ").";
        }
    }

    private static String s256(String verifier) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FakeResponse oauthError(int status, String code, String description) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", code);
        n.put("error_description", description);
        return json(status, n);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ users, calendars

    private FakeResponse me(FakeRequest req, GraphStore st) {
        String subject = subject(req);
        if (subject == null || subject.equals(GraphStore.APP)) {
            return error(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
        }
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(subject);
            return m == null
                    ? error(404, "Request_ResourceNotFound", "Resource '" + subject + "' does not exist.")
                    : json(200, userJson(m));
        }
    }

    private FakeResponse user(FakeRequest req, GraphStore st) {
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            return m == null ? notFoundUser(req) : json(200, userJson(m));
        }
    }

    private FakeResponse users(FakeRequest req, GraphStore st) {
        int top = req.query("$top").map(Integer::parseInt).orElse(100);
        if (top < 1 || top > 999) {
            return error(
                    400,
                    "Request_BadRequest",
                    "Invalid page size specified: '" + top + "'. Must be between 1 and 999 inclusive.");
        }
        int skip = req.query("$skiptoken")
                .map(t -> Integer.parseInt(t.substring(1)))
                .orElse(0);
        synchronized (st) {
            List<GraphStore.MailboxData> all = new ArrayList<>(st.mailboxes.values());
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (int i = skip; i < Math.min(all.size(), skip + top); i++) {
                ObjectNode u = userJson(all.get(i));
                u.put("accountEnabled", true);
                value.add(u);
            }
            if (skip + top < all.size()) {
                root.put(
                        "@odata.nextLink",
                        link(req)
                                .removeAllQueryParameters("$skiptoken")
                                .addEncodedQueryParameter("$skiptoken", "X" + (skip + top))
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    private FakeResponse groups(FakeRequest req, GraphStore st) {
        String filter = req.query("$filter").orElse("");
        Matcher m = Pattern.compile("mail eq '([^']*)'").matcher(filter);
        synchronized (st) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (GraphStore.Group g : st.groups.values()) {
                if (filter.isEmpty() || m.matches() && g.mail().equalsIgnoreCase(m.group(1))) {
                    value.addObject().put("id", g.id()).put("mail", g.mail()).put("displayName", g.displayName());
                }
            }
            if (!filter.isEmpty() && !m.matches()) {
                return error(400, "Request_UnsupportedQuery", "Unsupported query.");
            }
            return json(200, root);
        }
    }

    /** A group's members: direct (groups as entries), or transitive (nested groups' members flattened, once each). */
    private FakeResponse members(FakeRequest req, GraphStore st, boolean transitive) {
        int top = req.query("$top").map(Integer::parseInt).orElse(100);
        if (top < 1 || top > 999) {
            return error(400, "Request_BadRequest", "Invalid page size specified: '" + top + "'.");
        }
        int skip = req.query("$skiptoken")
                .map(t -> Integer.parseInt(t.substring(1)))
                .orElse(0);
        synchronized (st) {
            GraphStore.Group g = st.groups.get(req.pathParam("gid"));
            if (g == null) {
                return error(
                        404,
                        "Request_ResourceNotFound",
                        "Resource '" + req.pathParam("gid") + "' does not exist "
                                + "or one of its queried reference-property objects are not present.");
            }
            List<ObjectNode> all = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            collect(st, g, transitive, all, seen, 0);
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (int i = skip; i < Math.min(all.size(), skip + top); i++) {
                value.add(all.get(i));
            }
            if (skip + top < all.size()) {
                root.put(
                        "@odata.nextLink",
                        link(req)
                                .removeAllQueryParameters("$skiptoken")
                                .addEncodedQueryParameter("$skiptoken", "X" + (skip + top))
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    private static void collect(
            GraphStore st, GraphStore.Group g, boolean transitive, List<ObjectNode> out, Set<String> seen, int depth) {
        for (String member : g.members()) {
            GraphStore.Group nested = st.groups.get(member);
            if (nested != null) {
                if (!seen.add("group:" + nested.id())) {
                    continue;
                }
                if (transitive && depth < 32) {
                    collect(st, nested, true, out, seen, depth + 1);
                } else {
                    out.add(JSON.createObjectNode()
                            .put("@odata.type", "#microsoft.graph.group")
                            .put("id", nested.id())
                            .put("mail", nested.mail())
                            .put("displayName", nested.displayName()));
                }
                continue;
            }
            GraphStore.MailboxData m = st.mailbox(member);
            if (m != null && seen.add(m.userId)) {
                ObjectNode u = userJson(m);
                u.put("@odata.type", "#microsoft.graph.user");
                u.put("accountEnabled", true);
                out.add(u);
            }
        }
    }

    private FakeResponse rooms(FakeRequest req, GraphStore st) {
        int top = req.query("$top").map(Integer::parseInt).orElse(100);
        if (top < 1 || top > 100) {
            return error(400, "ErrorInvalidParameter", "The $top value must be between 1 and 100.");
        }
        int skip = req.query("$skip").map(Integer::parseInt).orElse(0);
        synchronized (st) {
            List<GraphStore.Room> all = new ArrayList<>(st.rooms.values());
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (int i = skip; i < Math.min(all.size(), skip + top); i++) {
                GraphStore.Room r = all.get(i);
                ObjectNode n = value.addObject();
                n.put("id", r.id());
                n.put("emailAddress", r.address());
                n.put("displayName", r.displayName());
                if (r.capacity() != null) {
                    n.put("capacity", r.capacity());
                } else {
                    n.putNull("capacity");
                }
                if (r.building() != null) {
                    n.put("building", r.building());
                } else {
                    n.putNull("building");
                }
                n.put("isWheelChairAccessible", false);
            }
            if (skip + top < all.size()) {
                root.put(
                        "@odata.nextLink",
                        link(req)
                                .removeAllQueryParameters("$skip")
                                .addQueryParameter("$skip", Integer.toString(skip + top))
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    private static ObjectNode userJson(GraphStore.MailboxData m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", m.userId);
        n.put("displayName", m.displayName);
        n.put("mail", m.address);
        n.put("userPrincipalName", m.address);
        return n;
    }

    private static FakeResponse notFoundUser(FakeRequest req) {
        return error(
                404,
                "ErrorInvalidUser",
                "The requested user '" + req.pathParams().get("mailbox") + "' is invalid.");
    }

    private FakeResponse calendars(FakeRequest req, GraphStore st) {
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            m.calendars.values().forEach(c -> value.add(calendarJson(m, c)));
            return json(200, root);
        }
    }

    private FakeResponse calendar(FakeRequest req, GraphStore st) {
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            return m == null ? notFoundUser(req) : json(200, calendarJson(m, m.primary()));
        }
    }

    private static ObjectNode calendarJson(GraphStore.MailboxData m, GraphStore.CalendarData c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", c.id);
        n.put("name", c.name);
        n.put("color", "auto");
        n.put("isDefaultCalendar", c.primary);
        n.put("canEdit", true);
        n.put("changeKey", "ck-" + c.id);
        ObjectNode owner = n.putObject("owner");
        owner.put("name", m.displayName);
        owner.put("address", m.address);
        return n;
    }

    private GraphStore.CalendarData calendarOf(FakeRequest req, GraphStore.MailboxData m) {
        String cal = req.pathParams().get("cal");
        return cal == null ? m.primary() : m.calendars.get(cal);
    }

    // ------------------------------------------------------------------------------------------ getSchedule

    private FakeResponse getSchedule(FakeRequest req, GraphStore st) throws Exception {
        JsonNode body = GraphEvents.camel(JSON.readTree(req.body()));
        JsonNode schedules = body.path("schedules");
        if (!schedules.isArray() || schedules.isEmpty()) {
            return error(400, "ErrorInvalidRequest", "schedules is required.");
        }
        if (schedules.size() > MAX_SCHEDULES) {
            return error(
                    400,
                    "ErrorInvalidRequest",
                    "The number of schedules exceeds the maximum of " + MAX_SCHEDULES + ".");
        }
        Instant start;
        Instant end;
        GraphEvents.Zone out;
        try {
            start = GraphEvents.instant(body.path("startTime"));
            end = GraphEvents.instant(body.path("endTime"));
            out = GraphEvents.Zone.of(body.path("startTime").path("timeZone").asText(null));
        } catch (RuntimeException e) {
            return error(400, "ErrorInvalidRequest", "startTime and endTime are required: " + e.getMessage());
        }
        if (!end.isAfter(start) || Duration.between(start, end).compareTo(MAX_SCHEDULE_WINDOW) >= 0) {
            return error(
                    400,
                    "ErrorInvalidTimeInterval",
                    "The time interval is invalid: it must be positive and " + "shorter than 62 days.");
        }
        int interval = body.path("availabilityViewInterval").asInt(30);
        if (interval < 5 || interval > 1440) {
            return error(400, "ErrorInvalidRequest", "availabilityViewInterval must be between 5 and 1440.");
        }
        String subject = subject(req);
        TimeWindow window = TimeWindow.of(start, end);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode value = root.putArray("value");
        synchronized (st) {
            for (JsonNode s : schedules) {
                String id = s.asText();
                ObjectNode info = value.addObject();
                info.put("scheduleId", id);
                GraphStore.MailboxData m = st.mailbox(id);
                if (m == null) {
                    ObjectNode e = info.putObject("error");
                    e.put("message", "The SMTP address has no mailbox associated with it.");
                    e.put("responseCode", "ErrorMailRecipientNotFound");
                    continue;
                }
                if (subject.equals(GraphStore.APP)
                        && st.accessPolicy != null
                        && !st.accessPolicy.contains(id.toLowerCase(Locale.ROOT))) {
                    ObjectNode e = info.putObject("error");
                    e.put("message", "Access is denied by the tenant's application access policy.");
                    e.put("responseCode", "ErrorAccessDenied");
                    continue;
                }
                List<ObjectNode> items = new ArrayList<>();
                List<String> statuses = new ArrayList<>();
                List<Instant[]> spans = new ArrayList<>();
                for (GraphStore.Stored ev : m.primary().events.values()) {
                    if (ev.deleted || ev.json.path("isCancelled").asBoolean(false)) {
                        continue;
                    }
                    GraphEvents.instances(ev, window).forEach(i -> {
                        ObjectNode r = GraphEvents.render(i, out, m.address);
                        String status = r.path("showAs").asText("busy");
                        if (status.equals("free") || status.equals("unknown")) {
                            return;
                        }
                        ObjectNode item = JSON.createObjectNode();
                        item.put(
                                "isPrivate",
                                !"normal".equals(r.path("sensitivity").asText("normal")));
                        item.put("status", status);
                        item.put("subject", r.path("subject").asText(""));
                        item.put(
                                "location",
                                r.path("location").path("displayName").asText(""));
                        item.put("isMeeting", r.path("attendees").size() > 0);
                        item.put("isRecurring", i.original() != null);
                        item.put("isException", r.path("type").asText().equals("exception"));
                        item.set("start", r.get("start"));
                        item.set("end", r.get("end"));
                        items.add(item);
                        statuses.add(status);
                        spans.add(new Instant[] {
                            i.occurrence()
                                    .start()
                                    .toInstant(GraphEvents.eventZone(ev.json).id()),
                            i.occurrence()
                                    .end()
                                    .toInstant(GraphEvents.eventZone(ev.json).id())
                        });
                    });
                }
                info.put("availabilityView", availabilityView(window, interval, spans, statuses));
                ArrayNode arr = info.putArray("scheduleItems");
                items.forEach(arr::add);
                ObjectNode wh = info.putObject("workingHours");
                wh.putArray("daysOfWeek")
                        .add("monday")
                        .add("tuesday")
                        .add("wednesday")
                        .add("thursday")
                        .add("friday");
                wh.put("startTime", "08:00:00.0000000");
                wh.put("endTime", "17:00:00.0000000");
                wh.putObject("timeZone").put("name", "UTC");
            }
        }
        return json(200, root);
    }

    private static String availabilityView(TimeWindow w, int minutes, List<Instant[]> spans, List<String> statuses) {
        StringBuilder sb = new StringBuilder();
        Duration step = Duration.ofMinutes(minutes);
        for (Instant t = w.start(); t.isBefore(w.end()) && sb.length() < 20_000; t = t.plus(step)) {
            Instant e = t.plus(step);
            int code = 0;
            for (int i = 0; i < spans.size(); i++) {
                if (spans.get(i)[0].isBefore(e) && spans.get(i)[1].isAfter(t)) {
                    code = Math.max(
                            code,
                            switch (statuses.get(i)) {
                                case "tentative" -> 1;
                                case "busy" -> 2;
                                case "oof" -> 3;
                                case "workingElsewhere" -> 4;
                                default -> 0;
                            });
                }
            }
            sb.append(code);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------ calendarView, delta

    private List<GraphEvents.Instance> instancesIn(GraphStore.CalendarData c, TimeWindow window) {
        List<GraphEvents.Instance> all = new ArrayList<>();
        for (GraphStore.Stored s : c.events.values()) {
            if (!s.deleted) {
                GraphEvents.instances(s, window).forEach(all::add);
            }
        }
        all.sort(Comparator.comparing((GraphEvents.Instance i) -> i.occurrence()
                        .start()
                        .toInstant(GraphEvents.eventZone(i.source().json).id()))
                .thenComparing(GraphEvents.Instance::id));
        return all;
    }

    private static Optional<TimeWindow> window(FakeRequest req) {
        Optional<String> s = req.query("startDateTime");
        Optional<String> e = req.query("endDateTime");
        if (s.isEmpty() || e.isEmpty()) {
            return Optional.empty();
        }
        Instant a = GraphEvents.queryInstant(s.get());
        Instant b = GraphEvents.queryInstant(e.get());
        return b.isAfter(a) ? Optional.of(TimeWindow.of(a, b)) : Optional.empty();
    }

    private FakeResponse calendarView(FakeRequest req, GraphStore st) {
        Optional<TimeWindow> w;
        try {
            w = window(req);
        } catch (RuntimeException e) {
            return error(400, "ErrorInvalidParameter", "startDateTime and endDateTime must be ISO 8601 date-times.");
        }
        if (w.isEmpty()) {
            return error(
                    400,
                    "ErrorInvalidParameter",
                    "This request requires a time window specified by the query "
                            + "string parameters StartDateTime and EndDateTime.");
        }
        int top = req.query("$top").map(Integer::parseInt).orElse(GraphEvents.maxPageSize(prefer(req), 10));
        top = Math.max(1, Math.min(1000, top));
        int skip = req.query("$skip").map(Integer::parseInt).orElse(0);
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            GraphStore.CalendarData c = calendarOf(req, m);
            if (c == null) {
                return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            List<GraphEvents.Instance> all = instancesIn(c, w.get());
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (int i = skip; i < Math.min(all.size(), skip + top); i++) {
                value.add(GraphEvents.render(all.get(i), out, m.address));
            }
            if (skip + top < all.size()) {
                root.put(
                        "@odata.nextLink",
                        link(req)
                                .setQueryParameter("$top", Integer.toString(top))
                                .setQueryParameter("$skip", Integer.toString(skip + top))
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    private FakeResponse delta(FakeRequest req, GraphStore st) {
        int pageSize = GraphEvents.maxPageSize(prefer(req), 10);
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            GraphStore.CalendarData c = calendarOf(req, m);
            if (c == null) {
                return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            Optional<String> skipToken = req.query("$skiptoken");
            Optional<String> deltaToken = req.query("$deltatoken");
            GraphStore.DeltaState state;
            if (skipToken.isPresent() || deltaToken.isPresent()) {
                GraphStore.DeltaState prior = st.deltaTokens.remove(skipToken.orElseGet(deltaToken::get));
                if (prior == null
                        || !prior.mailbox().equals(m.address)
                        || !prior.calendarId().equals(c.id)) {
                    return error(410, "syncStateNotFound", "The sync state generation is not found.");
                }
                state = skipToken.isPresent() ? prior : snapshot(m, c, prior.start(), prior.end(), prior.known(), out);
            } else {
                Optional<TimeWindow> w;
                try {
                    w = window(req);
                } catch (RuntimeException e) {
                    return error(400, "ErrorInvalidParameter", "startDateTime and endDateTime must be ISO 8601.");
                }
                if (w.isEmpty()) {
                    return error(
                            400,
                            "ErrorInvalidParameter",
                            "The delta request requires startDateTime and " + "endDateTime on its first call.");
                }
                state = snapshot(m, c, w.get().start(), w.get().end(), Map.of(), out);
            }
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            List<JsonNode> pending = state.pending();
            int n = Math.min(pageSize, pending.size());
            pending.subList(0, n).forEach(value::add);
            List<JsonNode> rest = new ArrayList<>(pending.subList(n, pending.size()));
            GraphStore.DeltaState next = new GraphStore.DeltaState(
                    state.mailbox(), state.calendarId(), state.start(), state.end(), rest, state.known());
            String token = UUID.randomUUID().toString().replace("-", "");
            st.deltaTokens.put(token, next);
            while (st.deltaTokens.size() > GraphStore.MAX_DELTA_TOKENS) {
                st.deltaTokens.remove(st.deltaTokens.keySet().iterator().next());
            }
            HttpUrl.Builder link = link(req).query(null);
            for (String name : req.url().queryParameterNames()) {
                if (!Set.of("startDateTime", "endDateTime", "$skiptoken", "$deltatoken")
                        .contains(name)) {
                    for (String v : req.url().queryParameterValues(name)) {
                        link.addQueryParameter(name, v);
                    }
                }
            }
            if (rest.isEmpty()) {
                root.put(
                        "@odata.deltaLink",
                        link.addEncodedQueryParameter("$deltatoken", token)
                                .build()
                                .toString());
            } else {
                root.put(
                        "@odata.nextLink",
                        link.addEncodedQueryParameter("$skiptoken", token)
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    /** The changes since {@code known} (every instance when empty), and the instances known after them. */
    private GraphStore.DeltaState snapshot(
            GraphStore.MailboxData m,
            GraphStore.CalendarData c,
            Instant start,
            Instant end,
            Map<String, Long> known,
            GraphEvents.Zone out) {
        List<JsonNode> changes = new ArrayList<>();
        Map<String, Long> now = new LinkedHashMap<>();
        for (GraphEvents.Instance i : instancesIn(c, TimeWindow.of(start, end))) {
            ObjectNode rendered = GraphEvents.render(i, out, m.address);
            // an instance changed when what it says changed: editing one exception of a series leaves its
            // other occurrences out of the delta, as on Graph
            ObjectNode content = rendered.deepCopy();
            content.remove(List.of("changeKey", "@odata.etag", "lastModifiedDateTime"));
            String text = content.toString();
            long version = ((long) text.hashCode() << 32) ^ text.length();
            now.put(i.id(), version);
            Long was = known.get(i.id());
            if (was == null || was != version) {
                changes.add(rendered);
            }
        }
        for (String gone : known.keySet()) {
            if (!now.containsKey(gone)) {
                ObjectNode removed = JSON.createObjectNode();
                removed.put("id", gone);
                removed.putObject("@removed").put("reason", "deleted");
                changes.add(removed);
            }
        }
        return new GraphStore.DeltaState(m.address, c.id, start, end, changes, now);
    }

    // ------------------------------------------------------------------------------------------ events

    private FakeResponse listEvents(FakeRequest req, GraphStore st) {
        Optional<String> filter = req.query("$filter");
        Matcher f = filter.map(EXT_FILTER::matcher).orElse(null);
        if (filter.isPresent() && !f.find()) {
            return error(
                    400,
                    "ErrorInvalidUrlQueryFilter",
                    "The fake supports $filter only on "
                            + "singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...').");
        }
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        boolean ext = req.query("$expand").orElse("").contains("singleValueExtendedProperties");
        int top = Math.max(
                1, Math.min(1000, req.query("$top").map(Integer::parseInt).orElse(10)));
        int skip = req.query("$skip").map(Integer::parseInt).orElse(0);
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            Collection<GraphStore.CalendarData> cals = req.pathParams().containsKey("cal")
                    ? java.util.Optional.ofNullable(m.calendars.get(req.pathParam("cal")))
                            .map(List::of)
                            .orElse(List.of())
                    : List.of(m.primary());
            List<GraphStore.Stored> match = new ArrayList<>();
            for (GraphStore.CalendarData c : cals) {
                for (GraphStore.Stored s : c.events.values()) {
                    if (!s.deleted && (f == null || hasProperty(s, f.group(2), f.group(3)))) {
                        match.add(s);
                    }
                }
            }
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (int i = skip; i < Math.min(match.size(), skip + top); i++) {
                value.add(GraphEvents.render(match.get(i), out, ext, m.address));
            }
            if (skip + top < match.size()) {
                root.put(
                        "@odata.nextLink",
                        link(req)
                                .setQueryParameter("$skip", Integer.toString(skip + top))
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    private static boolean hasProperty(GraphStore.Stored s, String id, String value) {
        for (JsonNode p : s.json.path("singleValueExtendedProperties")) {
            if (p.path("id").asText().equalsIgnoreCase(id)
                    && p.path("value").asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private FakeResponse createEvent(FakeRequest req, GraphStore st) throws Exception {
        JsonNode body;
        try {
            body = GraphEvents.camel(JSON.readTree(req.body()));
        } catch (Exception e) {
            return error(400, "RequestBodyRead", "The request body is not valid JSON.");
        }
        if (!(body instanceof ObjectNode json)) {
            return error(400, "RequestBodyRead", "The request body must be a JSON object.");
        }
        String problem = GraphEvents.checkTimes(json);
        if (problem != null) {
            return error(400, "ErrorInvalidRequest", problem);
        }
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            GraphStore.CalendarData c = calendarOf(req, m);
            if (c == null) {
                return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            String tx = json.path("transactionId").asText(null);
            if (tx != null) {
                for (GraphStore.Stored s : c.events.values()) {
                    if (!s.deleted && tx.equals(s.json.path("transactionId").asText(null))) {
                        return json(201, GraphEvents.render(s, out, true, m.address));
                    }
                }
            }
            json.remove(List.of(
                    "id",
                    "changeKey",
                    "@odata.etag",
                    "type",
                    "seriesMasterId",
                    "createdDateTime",
                    "lastModifiedDateTime",
                    "iCalUId"));
            GraphStore.Stored s = new GraphStore.Stored(st.newId("AAMkAG"), c.id);
            s.json = json;
            if (!json.has("showAs")) {
                json.put("showAs", "busy");
            }
            if (json.has("organizer") == false) {
                ObjectNode org = json.putObject("organizer").putObject("emailAddress");
                org.put("name", m.displayName);
                org.put("address", m.address);
            }
            s.created = Instant.now();
            touch(st, s);
            c.events.put(s.id, s);
            return json(201, GraphEvents.render(s, out, true, m.address));
        }
    }

    private static void touch(GraphStore st, GraphStore.Stored s) {
        String change = s.deleted ? "deleted" : s.changeKey == null ? "created" : "updated";
        s.seq = ++st.sequence;
        s.changeKey = "ck" + Long.toString(s.seq, 36) + Integer.toHexString(s.id.hashCode() & 0xfff);
        s.modified = Instant.now();
        GraphSubscriptions.changed(st, s, change);
    }

    /** A stored event, or an occurrence of a series (master, original start). */
    private record Found(GraphStore.Stored stored, Instant original) {}

    private static Found find(GraphStore.MailboxData m, String id) {
        for (GraphStore.CalendarData c : m.calendars.values()) {
            GraphStore.Stored s = c.events.get(id);
            if (s != null && !s.deleted) {
                return new Found(s, null);
            }
        }
        int at = id.lastIndexOf("_OCC");
        if (at > 0) {
            Found master = find(m, id.substring(0, at));
            if (master != null
                    && master.original() == null
                    && master.stored().json.hasNonNull("recurrence")) {
                try {
                    Instant original = Instant.ofEpochSecond(Long.parseLong(id.substring(at + 4)));
                    boolean exists =
                            GraphEvents.instanceAt(master.stored(), original).isPresent();
                    if (exists && !master.stored().cancelled.contains(original)) {
                        return new Found(master.stored(), original);
                    }
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static FakeResponse itemNotFound() {
        return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    private FakeResponse getEvent(FakeRequest req, GraphStore st) {
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        boolean ext = req.query("$expand").orElse("").contains("singleValueExtendedProperties");
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            Found f = find(m, req.pathParam("id"));
            if (f == null) {
                return itemNotFound();
            }
            if (f.original() == null) {
                return json(200, GraphEvents.render(f.stored(), out, ext, m.address));
            }
            return GraphEvents.instanceAt(f.stored(), f.original())
                    .map(i -> json(200, GraphEvents.render(i, out, m.address)))
                    .orElseGet(FakeGraphServer::itemNotFound);
        }
    }

    private FakeResponse instances(FakeRequest req, GraphStore st) {
        Optional<TimeWindow> w;
        try {
            w = window(req);
        } catch (RuntimeException e) {
            return error(400, "ErrorInvalidParameter", "startDateTime and endDateTime must be ISO 8601 date-times.");
        }
        if (w.isEmpty()) {
            return error(400, "ErrorInvalidParameter", "This request requires startDateTime and endDateTime.");
        }
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        int top = Math.max(
                1,
                Math.min(
                        1000,
                        req.query("$top").map(Integer::parseInt).orElse(GraphEvents.maxPageSize(prefer(req), 10))));
        int skip = req.query("$skip").map(Integer::parseInt).orElse(0);
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            Found f = find(m, req.pathParam("id"));
            if (f == null || f.original() != null) {
                return itemNotFound();
            }
            List<GraphEvents.Instance> all =
                    GraphEvents.instances(f.stored(), w.get()).toList();
            ObjectNode root = JSON.createObjectNode();
            ArrayNode value = root.putArray("value");
            for (int i = skip; i < Math.min(all.size(), skip + top); i++) {
                value.add(GraphEvents.render(all.get(i), out, m.address));
            }
            if (skip + top < all.size()) {
                root.put(
                        "@odata.nextLink",
                        link(req)
                                .setQueryParameter("$top", Integer.toString(top))
                                .setQueryParameter("$skip", Integer.toString(skip + top))
                                .build()
                                .toString());
            }
            return json(200, root);
        }
    }

    private static boolean changeKeyMatches(FakeRequest req, GraphStore.Stored s) {
        Optional<String> ifMatch = req.header("If-Match");
        if (ifMatch.isEmpty() || ifMatch.get().strip().equals("*")) {
            return true;
        }
        String v = ifMatch.get().strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        return v.equals(s.changeKey);
    }

    private static FakeResponse changeKeyConflict() {
        return error(
                412,
                "ErrorIrresolvableConflict",
                "The send or update operation could not be performed because "
                        + "the change key passed in the request does not match the current change key for the item.");
    }

    private FakeResponse updateEvent(FakeRequest req, GraphStore st) throws Exception {
        JsonNode body;
        try {
            body = GraphEvents.camel(JSON.readTree(req.body()));
        } catch (Exception e) {
            return error(400, "RequestBodyRead", "The request body is not valid JSON.");
        }
        if (!(body instanceof ObjectNode patch)) {
            return error(400, "RequestBodyRead", "The request body must be a JSON object.");
        }
        GraphEvents.Zone out = GraphEvents.preferredZone(prefer(req));
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            Found f = find(m, req.pathParam("id"));
            if (f == null) {
                return itemNotFound();
            }
            GraphStore.Stored s = f.stored();
            if (!changeKeyMatches(req, s)) {
                return changeKeyConflict();
            }
            patch.remove(List.of(
                    "id",
                    "changeKey",
                    "@odata.etag",
                    "type",
                    "seriesMasterId",
                    "createdDateTime",
                    "lastModifiedDateTime",
                    "iCalUId",
                    "originalStart"));
            if (f.original() != null) {
                patch.remove("recurrence");
                ObjectNode ex = s.exceptions
                        .getOrDefault(f.original(), JSON.createObjectNode())
                        .deepCopy();
                patch.fields().forEachRemaining(e -> ex.set(e.getKey(), e.getValue()));
                ObjectNode probe = s.json.deepCopy();
                ex.fields().forEachRemaining(e -> probe.set(e.getKey(), e.getValue()));
                probe.remove("recurrence");
                if (!ex.has("start")) {
                    // an exception keeps its own times: fill them from the occurrence
                    GraphEvents.Instance i =
                            GraphEvents.instanceAt(s, f.original()).orElse(null);
                    if (i != null) {
                        GraphEvents.Zone z = GraphEvents.eventZone(s.json);
                        ex.set(
                                "start",
                                GraphEvents.dateTime(i.occurrence().start().toInstant(z.id()), z));
                        ex.set("end", GraphEvents.dateTime(i.occurrence().end().toInstant(z.id()), z));
                        probe.set("start", ex.get("start"));
                        probe.set("end", ex.get("end"));
                    }
                }
                String problem = GraphEvents.checkTimes(probe);
                if (problem != null) {
                    return error(400, "ErrorInvalidRequest", problem);
                }
                s.exceptions.put(f.original(), ex);
                touch(st, s);
                String occ = GraphEvents.occurrenceId(s.id, f.original());
                return GraphEvents.instanceAt(s, f.original())
                        .map(i -> json(200, GraphEvents.render(i, out, m.address)))
                        .orElseGet(() -> error(500, "ErrorInternalServerError", "exception " + occ + " vanished"));
            }
            ObjectNode merged = s.json.deepCopy();
            if (patch.path("singleValueExtendedProperties").isArray()) {
                // extended properties are set one by one (by id); the ones not named stay
                ArrayNode props = merged.path("singleValueExtendedProperties").isArray()
                        ? (ArrayNode) merged.get("singleValueExtendedProperties")
                        : merged.putArray("singleValueExtendedProperties");
                for (JsonNode p : patch.get("singleValueExtendedProperties")) {
                    for (int i = props.size() - 1; i >= 0; i--) {
                        if (props.get(i)
                                .path("id")
                                .asText()
                                .equalsIgnoreCase(p.path("id").asText())) {
                            props.remove(i);
                        }
                    }
                    props.add(p);
                }
                merged.set("singleValueExtendedProperties", props);
                patch.remove("singleValueExtendedProperties");
            }
            patch.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    merged.remove(e.getKey());
                } else {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            String problem = GraphEvents.checkTimes(merged);
            if (problem != null) {
                return error(400, "ErrorInvalidRequest", problem);
            }
            boolean reshaped =
                    patch.has("recurrence") || patch.has("start") || patch.has("end") || patch.has("isAllDay");
            if (reshaped) {
                // Graph drops a series' exceptions and cancellations when its pattern or times change
                s.exceptions.clear();
                s.cancelled.clear();
            }
            s.json = merged;
            touch(st, s);
            return json(200, GraphEvents.render(s, out, true, m.address));
        }
    }

    private FakeResponse deleteEvent(FakeRequest req, GraphStore st) {
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            Found f = find(m, req.pathParam("id"));
            if (f == null) {
                return itemNotFound();
            }
            GraphStore.Stored s = f.stored();
            if (!changeKeyMatches(req, s)) {
                return changeKeyConflict();
            }
            if (f.original() != null) {
                s.exceptions.remove(f.original());
                s.cancelled.add(f.original());
            } else {
                s.deleted = true;
            }
            touch(st, s);
            return FakeResponse.of(204);
        }
    }

    private FakeResponse respond(FakeRequest req, GraphStore st) throws Exception {
        String action = req.pathParam("action");
        String response = switch (action) {
            case "accept" -> "accepted";
            case "tentativelyAccept" -> "tentativelyAccepted";
            case "decline" -> "declined";
            default -> null;
        };
        if (response == null) {
            return error(400, "BadRequest", "Unsupported action '" + action + "' on an event.");
        }
        JsonNode body = req.body().length == 0 ? JSON.createObjectNode() : GraphEvents.camel(JSON.readTree(req.body()));
        synchronized (st) {
            GraphStore.MailboxData m = st.mailbox(req.pathParam("mailbox"));
            if (m == null) {
                return notFoundUser(req);
            }
            Found f = find(m, req.pathParam("id"));
            if (f == null) {
                return itemNotFound();
            }
            GraphStore.Stored s = f.stored();
            String time = Instant.now().toString();
            ObjectNode rs = s.json.putObject("responseStatus");
            rs.put("response", response);
            rs.put("time", time);
            for (JsonNode a : s.json.path("attendees")) {
                if (a.path("emailAddress").path("address").asText().equalsIgnoreCase(m.address)) {
                    ObjectNode status = ((ObjectNode) a).putObject("status");
                    status.put("response", response);
                    status.put("time", time);
                }
            }
            if (body.has("sendResponse")) {
                s.json.put("fakeLastResponseSent", body.path("sendResponse").asBoolean(true));
            }
            touch(st, s);
            return FakeResponse.of(202);
        }
    }

    // ------------------------------------------------------------------------------------------ $batch

    private FakeResponse batch(FakeRequest req, GraphStore st) throws Exception {
        JsonNode body;
        try {
            body = JSON.readTree(req.body());
        } catch (Exception e) {
            return error(400, "BadRequest", "The batch body is not valid JSON.");
        }
        JsonNode requests = body.path("requests");
        if (!requests.isArray() || requests.isEmpty()) {
            return error(400, "BadRequest", "Invalid batch payload format: requests is missing or empty.");
        }
        if (requests.size() > MAX_BATCH) {
            return error(
                    400,
                    "BadRequest",
                    "Unable to deserialize content. The number of requests exceeds the limit " + "of " + MAX_BATCH
                            + ".");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode r : requests) {
            if (!ids.add(r.path("id").asText(""))) {
                return error(400, "BadRequest", "Batch request ids must be unique and present.");
            }
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode responses = root.putArray("responses");
        for (JsonNode r : requests) {
            FakeResponse sub = subRequest(req, r);
            ObjectNode out = responses.addObject();
            out.put("id", r.path("id").asText());
            out.put("status", sub.status());
            ObjectNode h = out.putObject("headers");
            sub.headers().forEach(h::put);
            if (sub.body().length > 0) {
                String type = sub.headers().getOrDefault("Content-Type", "");
                if (type.contains("json")) {
                    out.set("body", JSON.readTree(sub.body()));
                } else {
                    out.put("body", java.util.Base64.getEncoder().encodeToString(sub.body()));
                }
            }
        }
        return json(200, root);
    }

    private FakeResponse subRequest(FakeRequest outer, JsonNode r) throws Exception {
        String method = r.path("method").asText("GET").toUpperCase(Locale.ROOT);
        String rel = r.path("url").asText("");
        HttpUrl url = outer.url().resolve("/v1.0" + (rel.startsWith("/") ? rel : "/" + rel));
        if (url == null) {
            return error(400, "BadRequest", "Invalid request URL '" + rel + "'.");
        }
        Route route = null;
        Map<String, String> vars = Map.of();
        for (Route candidate : routes) {
            Optional<Map<String, String>> m = candidate.pattern().match(url.pathSegments());
            if (m.isPresent()
                    && candidate.method().equals(method)
                    && !candidate.operation().equals("batch")) {
                route = candidate;
                vars = m.get();
                break;
            }
        }
        if (route == null) {
            return error(400, "BadRequest", "Resource not found for the segment '" + rel + "'.");
        }
        Headers.Builder headers = new Headers.Builder();
        outer.header("Authorization").ifPresent(v -> headers.add("Authorization", v));
        r.path("headers")
                .fields()
                .forEachRemaining(e -> headers.set(e.getKey(), e.getValue().asText()));
        if (headers.get("Prefer") == null) {
            outer.headers().values("Prefer").forEach(v -> headers.add("Prefer", v));
        }
        byte[] body = r.has("body") ? JSON.writeValueAsBytes(r.get("body")) : new byte[0];
        FakeRequest sub = new FakeRequest(method, url, vars, headers.build(), body, route.operation(), null);
        sub = sub.with(route.operation(), mailboxOf(sub));
        synchronized (store.subRequests) {
            store.subRequests.add(route.operation());
        }
        Optional<Fault> fault = faults().next(route.operation(), sub.mailbox());
        if (fault.isPresent() && fault.get() instanceof Fault.Status s) {
            return s.response();
        }
        if (fault.isPresent() && fault.get() instanceof Fault.Error e) {
            return e.render(org.calsdk.testkit.ErrorDialect.graph());
        }
        return route.handler().handle(sub, store);
    }

    private static Set<String> lower(Collection<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }

    /** Builds a {@link FakeGraphServer}. */
    public static final class Builder {
        private final Map<String, String> mailboxes = new LinkedHashMap<>();
        private String openDomain;
        private Collection<String> accessPolicy;
        private final Map<String, String> tokens = new LinkedHashMap<>();
        private final Map<String, String> clients = new LinkedHashMap<>();
        private final Map<String, String> refreshTokens = new LinkedHashMap<>();
        private final Map<String, String> clientCertificates = new LinkedHashMap<>();
        private int maxConcurrent = 4;
        private long retryAfterSeconds = 1;
        private Duration latency = Duration.ZERO;
        private int port;
        private final List<GraphStore.Room> rooms = new ArrayList<>();
        private final List<GraphStore.Group> groups = new ArrayList<>();
        private java.util.function.Function<org.calsdk.api.WebhookRequest, org.calsdk.api.WebhookResponse>
                webhookEndpoint;
        private Duration deliverEvery;

        private Builder() {}

        /**
         * Delivers queued change notifications by itself every {@code every} (as Graph does, within seconds),
         * instead of only on {@link FakeGraphServer#deliverNotifications()}: for the standalone fake.
         *
         * @param every the delivery interval, positive
         * @return this builder
         */
        public Builder deliverNotificationsEvery(Duration every) {
            Checks.check(every != null && !every.isNegative() && !every.isZero(), "every", "every must be positive");
            this.deliverEvery = every;
            return this;
        }

        /**
         * Delivers validation handshakes and notifications in-process to {@code endpoint} instead of POSTing
         * them over HTTP (for tests without an HTTP endpoint, such as the TCK); the notifications delivered are
         * kept for {@link FakeGraphServer#takeWebhooks()}. The subscription's URLs are still checked.
         *
         * @param endpoint answers each handshake or notification as the host's endpoint would
         * @return this builder
         */
        public Builder webhookEndpoint(
                java.util.function.Function<org.calsdk.api.WebhookRequest, org.calsdk.api.WebhookResponse> endpoint) {
            this.webhookEndpoint = Checks.notNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Time each mailbox request takes on the server, counted in the mailbox's concurrency (default none):
         * for benchmarks with injected latency and for tests of the concurrency limit.
         *
         * @param latency the time per request
         * @return this builder
         */
        public Builder latency(Duration latency) {
            Checks.check(latency != null && !latency.isNegative(), "latency", "latency must not be negative");
            this.latency = latency;
            return this;
        }

        /**
         * A mailbox with a primary calendar.
         *
         * @param address the mailbox address
         * @return this builder
         */
        public Builder mailbox(String address) {
            return mailbox(address, null);
        }

        /**
         * A mailbox with a display name and a primary calendar.
         *
         * @param address the mailbox address
         * @param displayName its display name
         * @return this builder
         */
        public Builder mailbox(String address, String displayName) {
            mailboxes.put(Checks.notBlank(address, "address"), displayName);
            return this;
        }

        /**
         * A room resource (also a mailbox with a calendar) for {@code /places/microsoft.graph.room}.
         *
         * @param address the room's address
         * @param displayName its display name
         * @param capacity seats, or null
         * @param building the building's name, or null
         * @return this builder
         */
        public Builder room(String address, String displayName, Integer capacity, String building) {
            Checks.notBlank(address, "address");
            rooms.add(new GraphStore.Room(
                    "room-"
                            + Integer.toHexString(
                                    address.toLowerCase(Locale.ROOT).hashCode()),
                    address,
                    displayName == null ? address : displayName,
                    capacity,
                    building));
            return this;
        }

        /**
         * A group with id {@code id} and address {@code mail}; its members are mailbox addresses or the ids of
         * other groups (nested).
         *
         * @param id the group's id
         * @param mail the group's address
         * @param members addresses of mailboxes or ids of groups
         * @return this builder
         */
        public Builder group(String id, String mail, List<String> members) {
            groups.add(new GraphStore.Group(
                    Checks.notBlank(id, "id"),
                    Checks.notBlank(mail, "mail"),
                    id,
                    List.copyOf(Checks.notNull(members, "members"))));
            return this;
        }

        /**
         * The port to listen on (0, the default, for a free one).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            Checks.check(port >= 0 && port <= 65535, "port", "port must be 0..65535");
            this.port = port;
            return this;
        }

        /**
         * Every address {@code @domain} exists on first use (the standalone fake's default).
         *
         * @param domain the domain, such as {@code example.com}
         * @return this builder
         */
        public Builder openDomain(String domain) {
            this.openDomain = Checks.notBlank(domain, "domain").toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * The mailboxes an app-only token may reach (the application access policy / RBAC scope).
         *
         * @param mailboxes the addresses app-only tokens may reach
         * @return this builder
         */
        public Builder accessPolicy(Collection<String> mailboxes) {
            this.accessPolicy = List.copyOf(Checks.notNull(mailboxes, "mailboxes"));
            return this;
        }

        /**
         * An access token for one user (delegated). Seeding any token makes unknown tokens fail with 401.
         *
         * @param token the token text
         * @param mailbox the user it acts for
         * @return this builder
         */
        public Builder userToken(String token, String mailbox) {
            tokens.put(Checks.notBlank(token, "token"), Checks.notBlank(mailbox, "mailbox"));
            return this;
        }

        /**
         * An app-only access token. Seeding any token makes unknown tokens fail with 401.
         *
         * @param token the token text
         * @return this builder
         */
        public Builder appToken(String token) {
            tokens.put(Checks.notBlank(token, "token"), GraphStore.APP);
            return this;
        }

        /**
         * A confidential client; once one is seeded, the token endpoint checks client secrets.
         *
         * @param clientId the client id
         * @param secret the client secret
         * @return this builder
         */
        public Builder client(String clientId, String secret) {
            clients.put(Checks.notBlank(clientId, "clientId"), Checks.notBlank(secret, "secret"));
            return this;
        }

        /**
         * A confidential client that proves itself with a certificate: client assertions signed by the key of
         * {@code certificatePem} (an X.509 certificate, PEM) are accepted for {@code clientId}.
         *
         * @param clientId the client id
         * @param certificatePem the client's certificate, PEM
         * @return this builder
         */
        public Builder clientCertificate(String clientId, String certificatePem) {
            clientCertificates.put(
                    Checks.notBlank(clientId, "clientId"), Checks.notBlank(certificatePem, "certificatePem"));
            return this;
        }

        /**
         * A refresh token for {@code mailbox} (single use: refreshing rotates it).
         *
         * @param token the token text
         * @param mailbox the user it is for
         * @return this builder
         */
        public Builder refreshToken(String token, String mailbox) {
            refreshTokens.put(Checks.notBlank(token, "token"), Checks.notBlank(mailbox, "mailbox"));
            return this;
        }

        /**
         * Requests in flight per mailbox before 429 (default 4, as Outlook's limit).
         *
         * @param limit the most requests in flight per mailbox, positive
         * @return this builder
         */
        public Builder maxConcurrentPerMailbox(int limit) {
            Checks.check(limit >= 1, "limit", "limit must be at least 1");
            this.maxConcurrent = limit;
            return this;
        }

        /**
         * The Retry-After (seconds) a throttled request gets (default 1).
         *
         * @param seconds the Retry-After value in seconds
         * @return this builder
         */
        public Builder retryAfterSeconds(long seconds) {
            Checks.check(seconds >= 0, "seconds", "seconds must not be negative");
            this.retryAfterSeconds = seconds;
            return this;
        }

        /**
         * Builds the server; it does not listen until {@link FakeGraphServer#start()}.
         *
         * @return the server, not started
         */
        public FakeGraphServer build() {
            return new FakeGraphServer(this);
        }
    }
}
