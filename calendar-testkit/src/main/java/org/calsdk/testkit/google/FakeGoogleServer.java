package org.calsdk.testkit.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.internal.Checks;
import org.calsdk.model.Event;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.ProtocolFaults;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.internal.RoutePattern;

/**
 * A stateful fake Google Calendar API v3 on the testkit's {@link FakeServer}, speaking Google's JSON:
 * calendar list, events (list with paging, {@code timeMin}/{@code timeMax}, {@code singleEvents}
 * expansion, {@code syncToken}/{@code nextSyncToken}, {@code showDeleted}, {@code iCalUID},
 * {@code privateExtendedProperty}), insert with a client-chosen id (409 when taken), get, update and patch
 * with {@code If-Match} (412), delete (tombstones), instances, {@code freeBusy} and the multipart batch
 * endpoint, plus an OAuth token endpoint (refresh tokens; JWT bearer assertions of a service account
 * with domain-wide delegation to a configured set of users). Errors come in Google's JSON form.
 *
 * <p>It enforces Google's limits, so that a client that ignores them fails: at most 50 calendars per
 * {@code freeBusy} call, a window of at most 90 days (configurable), at most 1,000 calls per batch,
 * {@code maxResults} up to 2,500, and the parameters a sync token cannot be combined with.
 *
 * <p>Paths: {@code /calendar/v3/...} and {@code /batch/calendar/v3} under {@link #baseUrl()}, the token
 * endpoint at {@link #tokenUrl()}. Operations (for fault rules and accounting): {@code calendarList.list},
 * {@code calendars.get}, {@code events.list}, {@code events.insert}, {@code events.get},
 * {@code events.update}, {@code events.patch}, {@code events.delete}, {@code events.instances},
 * {@code freebusy.query}, {@code events.watch}, {@code channels.stop}, {@code directory.users.list} (Admin
 * SDK, {@code /admin/directory/v1/users}), {@code directory.resources.calendars.list}
 * ({@code /admin/directory/v1/customer/{customer}/resources/calendars}),
 * {@code directory.resources.buildings.list}, {@code directory.groups.list} ({@code /admin/directory/v1/groups}),
 * {@code directory.members.list} ({@code /admin/directory/v1/groups/{groupKey}/members}), {@code batch}, {@code token} (refresh, authorization code, JWT
 * bearer), {@code revoke}. Watch channels' notifications are recorded ({@link #takeNotifications()}). Fault rules also hit the calls inside a batch
 * (a status fault answers that part only); {@link #calls(String)} counts calls whether batched or not,
 * while {@link #accounting()} counts HTTP requests.
 *
 * <p>Authentication: with no token, refresh token or service account configured, any bearer token is
 * accepted (such a token is bound to no user, so {@code primary} and the calendar list need the user's
 * address instead). Otherwise only tokens it knows, unexpired, are; a token bound to a user sees only that
 * user's calendars (others answer 404), and free/busy of anyone.
 *
 * <pre>{@code
 * try (FakeGoogleServer google = FakeGoogleServer.builder()
 *         .user("alice@example.com", "Alice").user("bob@example.com", "Bob").build().start()) {
 *     ConnectionConfig cfg = google.connectionConfig("alice@example.com").build();
 *     google.faults().add(FaultRule.on("events.list").times(1).inject(Fault.tooManyRequests()));
 *     assertThat(google.calls("freebusy.query")).isEqualTo(20);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeGoogleServer implements AutoCloseable {
    private static final String V3 = "/calendar/v3";

    private record Route(String method, RoutePattern pattern, String operation, Handler handler) {}

    @FunctionalInterface
    private interface Handler {
        FakeResponse handle(FakeRequest r);
    }

    private final GoogleState state;
    private final List<Route> routes = new ArrayList<>();
    private final FakeServer<GoogleState> server;

    private FakeGoogleServer(GoogleState state, int port) {
        this.state = state;
        route("GET", V3 + "/users/me/calendarList", "calendarList.list", state::calendarList);
        route("GET", V3 + "/calendars/{calendarId}/events", "events.list", state::list);
        route("POST", V3 + "/calendars/{calendarId}/events", "events.insert", state::insert);
        route("POST", V3 + "/calendars/{calendarId}/events/watch", "events.watch", state::watch);
        route("POST", V3 + "/channels/stop", "channels.stop", state::stop);
        route("GET", V3 + "/calendars/{calendarId}/events/{eventId}/instances", "events.instances", state::instances);
        route("GET", V3 + "/calendars/{calendarId}/events/{eventId}", "events.get", state::get);
        route("PUT", V3 + "/calendars/{calendarId}/events/{eventId}", "events.update", r -> state.update(r, false));
        route("PATCH", V3 + "/calendars/{calendarId}/events/{eventId}", "events.patch", r -> state.update(r, true));
        route("DELETE", V3 + "/calendars/{calendarId}/events/{eventId}", "events.delete", state::delete);
        route("GET", V3 + "/calendars/{calendarId}", "calendars.get", state::calendarGet);
        route("POST", V3 + "/freeBusy", "freebusy.query", state::freeBusy);
        route("GET", "/admin/directory/v1/users", "directory.users.list", state::directoryUsers);
        route(
                "GET",
                "/admin/directory/v1/customer/{customer}/resources/calendars",
                "directory.resources.calendars.list",
                state::directoryResources);
        route(
                "GET",
                "/admin/directory/v1/customer/{customer}/resources/buildings",
                "directory.resources.buildings.list",
                state::directoryBuildings);
        route("GET", "/admin/directory/v1/groups", "directory.groups.list", state::directoryGroups);
        route(
                "GET",
                "/admin/directory/v1/groups/{groupKey}/members",
                "directory.members.list",
                state::directoryMembers);
        FakeServer.Builder<GoogleState> sb = FakeServer.builder(state)
                .name("google")
                .protocolFaults(ProtocolFaults.google())
                .port(port);
        for (Route r : routes) {
            sb.route(r.method(), r.pattern().toString(), r.operation(), (req, s) -> guarded(r, req));
        }
        sb.route("POST", "/batch/calendar/v3", "batch", (req, s) -> batch(req));
        sb.route("POST", "/token", "token", (req, s) -> token(req));
        sb.route("POST", "/revoke", "revoke", (req, s) -> revoke(req));
        this.server = sb.build();
    }

    /**
     * Starts building a fake.
     *
     * @return a builder with no users, a free port, 1-hour tokens and a 90-day free/busy window
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The fake as {@code ./calendar fake --provider google} is to run it (not started): without seed data
     * every mailbox {@code @example.com} exists with an empty primary calendar and any bearer token is
     * accepted (bound to no user: name calendars by address); with seed data, the seeded users and events.
     * The command's {@code StandaloneFake} service wraps this factory.
     *
     * @param port the port on 127.0.0.1, or 0 for a free one
     * @param seed the seed data, or null for the open {@code @example.com} mode
     * @return the fake, not started
     */
    public static FakeGoogleServer standalone(int port, SeedData seed) {
        if (seed == null) {
            return builder().port(port).autoCreateUsers("example.com").build();
        }
        FakeGoogleServer f = builder().port(port).build();
        f.seed(seed);
        return f;
    }

    private void route(String method, String pattern, String operation, Handler handler) {
        routes.add(new Route(method, RoutePattern.compile(pattern), operation, handler));
    }

    private FakeResponse guarded(Route route, FakeRequest req) {
        synchronized (state) {
            try {
                return route.handler().handle(req);
            } catch (GoogleError e) {
                return e.response();
            } catch (IllegalArgumentException e) {
                return GoogleError.response(400, "invalid", "Bad Request");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // batch

    private FakeResponse batch(FakeRequest outer) {
        List<GoogleBatch.Part> parts;
        try {
            parts = GoogleBatch.parse(
                    outer.body(),
                    GoogleBatch.boundary(outer.header("Content-Type").orElse(null)),
                    state.maxBatchCalls);
        } catch (GoogleError e) {
            return e.response();
        }
        List<GoogleBatch.Answer> answers = new ArrayList<>();
        for (GoogleBatch.Part p : parts) {
            answers.add(answer(outer, p));
        }
        String[] body = GoogleBatch.write(answers);
        return FakeResponse.body(200, "multipart/mixed; boundary=" + body[1], body[0]);
    }

    private GoogleBatch.Answer answer(FakeRequest outer, GoogleBatch.Part p) {
        HttpUrl url;
        try {
            url = GoogleBatch.url(outer.url(), p.target());
        } catch (GoogleError e) {
            return jsonAnswer(p, e.response());
        }
        Headers.Builder h = p.headers().newBuilder();
        if (p.headers().get("Authorization") == null
                && outer.header("Authorization").isPresent()) {
            h.set("Authorization", outer.header("Authorization").get());
        }
        for (Route r : routes) {
            Optional<Map<String, String>> vars = r.pattern().match(url.pathSegments());
            if (vars.isPresent() && r.method().equals(p.method())) {
                FakeRequest inner =
                        new FakeRequest(p.method(), url, vars.get(), h.build(), p.body(), r.operation(), null);
                String mailbox = vars.get().getOrDefault("calendarId", null);
                inner = inner.with(r.operation(), mailbox != null && mailbox.contains("@") ? mailbox : null);
                Optional<Fault> fault = server.faults().next(r.operation(), inner.mailbox());
                if (fault.isPresent() && fault.get() instanceof Fault.Status s) {
                    return jsonAnswer(p, s.response());
                }
                if (fault.isPresent() && fault.get() instanceof Fault.InvalidSyncToken) {
                    return jsonAnswer(
                            p,
                            GoogleError.response(
                                    410,
                                    "fullSyncRequired",
                                    "Sync token is no longer valid, a full sync is required."));
                }
                if (fault.isPresent() && !(fault.get() instanceof Fault.Latency)) {
                    return jsonAnswer(p, GoogleError.response(503, "backendError", "Backend Error"));
                }
                return jsonAnswer(p, guarded(r, inner));
            }
        }
        return jsonAnswer(p, GoogleError.response(404, "notFound", "Not Found"));
    }

    private static GoogleBatch.Answer jsonAnswer(GoogleBatch.Part p, FakeResponse r) {
        Headers.Builder extra = new Headers.Builder();
        r.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type")) {
                extra.add(k, v);
            }
        });
        return new GoogleBatch.Answer(
                p.contentId(),
                r.status(),
                r.headers()
                        .getOrDefault("Content-Type", r.body().length == 0 ? null : "application/json; charset=UTF-8"),
                r.body(),
                extra.build());
    }

    // ------------------------------------------------------------------------------------------------
    // OAuth token endpoint

    private FakeResponse token(FakeRequest r) {
        Map<String, String> form = form(r.bodyString());
        synchronized (state) {
            String grant = form.getOrDefault("grant_type", "");
            switch (grant) {
                case "refresh_token": {
                    String user = state.refreshTokens.get(form.getOrDefault("refresh_token", ""));
                    if (user == null) {
                        return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
                    }
                    return tokenAnswer(state.issueToken(user));
                }
                case "authorization_code": {
                    String user = state.authorizationCodes.remove(form.getOrDefault("code", ""));
                    if (user == null) {
                        return oauthError(400, "invalid_grant", "Malformed auth code.");
                    }
                    String refresh = "1//fake-refresh-" + java.util.UUID.randomUUID();
                    state.refreshTokens.put(refresh, user);
                    FakeResponse answer = tokenAnswer(state.issueToken(user));
                    ObjectNode n;
                    try {
                        n = (ObjectNode) GoogleState.JSON.readTree(answer.body());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    n.put("refresh_token", refresh);
                    n.put("scope", form.getOrDefault("scope", "https://www.googleapis.com/auth/calendar"));
                    return FakeResponse.json(200, n.toString()).withHeader("Cache-Control", "no-store");
                }
                case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                    return jwtBearer(form.getOrDefault("assertion", ""), r.url());
                default:
                    return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
            }
        }
    }

    private FakeResponse revoke(FakeRequest r) {
        Map<String, String> form = form(r.bodyString());
        String token = form.getOrDefault("token", r.query("token").orElse(""));
        synchronized (state) {
            String user = state.refreshTokens.remove(token);
            GoogleState.Token access = state.tokens.remove(token);
            if (user == null && access == null) {
                return oauthError(400, "invalid_token", "Token expired or revoked");
            }
            String who = user != null ? user : access.user();
            state.tokens.values().removeIf(t -> who != null && who.equals(t.user()));
            return FakeResponse.json(200, "{}");
        }
    }

    private FakeResponse jwtBearer(String assertion, HttpUrl tokenUrl) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return oauthError(
                    400,
                    "invalid_grant",
                    "Invalid JWT: Token must be a short-lived token and in a " + "reasonable timeframe");
        }
        JsonNode claims;
        try {
            claims = GoogleState.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return oauthError(400, "invalid_grant", "Invalid JWT.");
        }
        String iss = claims.path("iss").asText("");
        Set<String> allowed = state.delegation.get(iss.toLowerCase(Locale.ROOT));
        if (allowed == null) {
            return oauthError(401, "invalid_client", "The OAuth client was not found.");
        }
        PublicKey key = state.serviceAccountKeys.get(iss.toLowerCase(Locale.ROOT));
        if (key != null && !verifies(key, parts)) {
            return oauthError(400, "invalid_grant", "Invalid JWT Signature.");
        }
        long exp = claims.path("exp").asLong(0);
        if (exp * 1000 < state.clock.millis()) {
            return oauthError(
                    400,
                    "invalid_grant",
                    "Invalid JWT: Token must be a short-lived token and in a " + "reasonable timeframe");
        }
        String sub = claims.path("sub").asText(null);
        // Google names an unknown subject before it looks at the delegation
        if (sub != null && state.user(sub).isEmpty()) {
            return oauthError(400, "invalid_grant", "Invalid email or User ID");
        }
        if (sub != null && !allowed.contains(sub.toLowerCase(Locale.ROOT))) {
            return oauthError(
                    401,
                    "unauthorized_client",
                    "Client is unauthorized to retrieve access tokens using "
                            + "this method, or client not authorized for any of the scopes requested.");
        }
        return tokenAnswer(
                state.issueToken(sub == null ? iss : sub, claims.path("scope").asText("")));
    }

    private static boolean verifies(PublicKey key, String[] parts) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return s.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private FakeResponse tokenAnswer(String token) {
        ObjectNode n = GoogleState.JSON.createObjectNode();
        n.put("access_token", token);
        n.put("token_type", "Bearer");
        n.put("expires_in", state.tokenLifetime.toSeconds());
        return FakeResponse.json(200, n.toString()).withHeader("Cache-Control", "no-store");
    }

    private static FakeResponse oauthError(int status, String error, String description) {
        ObjectNode n = GoogleState.JSON.createObjectNode();
        n.put("error", error);
        n.put("error_description", description);
        return FakeResponse.json(status, n.toString());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(
                        java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------
    // public API

    /**
     * Starts serving on a free 127.0.0.1 port. Idempotent.
     *
     * @return this server, running
     */
    public FakeGoogleServer start() {
        server.start();
        return this;
    }

    /**
     * The root the API paths hang from ({@code http://127.0.0.1:PORT/}): the provider's {@code baseUrl}.
     *
     * @return the root URL, ending in {@code /}
     * @throws IllegalStateException if the server is not running
     */
    public String baseUrl() {
        return server.baseUrl().toString();
    }

    /**
     * The OAuth revocation endpoint ({@code .../revoke}).
     *
     * @return the endpoint's URL
     * @throws IllegalStateException if the server is not running
     */
    public String revokeUrl() {
        return server.url("/revoke").toString();
    }

    /**
     * The OAuth token endpoint ({@code .../token}).
     *
     * @return the endpoint's URL
     * @throws IllegalStateException if the server is not running
     */
    public String tokenUrl() {
        return server.url("/token").toString();
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     * @throws IllegalStateException if the server is not running
     */
    public int port() {
        return server.port();
    }

    /**
     * Latency before every HTTP request is answered, a batch once (see {@link FakeServer#latency}): for
     * benchmarks that make round trips cost what they cost over the internet.
     *
     * @param perRequest the wait per request, zero or positive
     * @return this server
     */
    public FakeGoogleServer latency(Duration perRequest) {
        server.latency(perRequest);
        return this;
    }

    /**
     * Fault rules (they also hit calls inside a batch).
     *
     * @return the live rule set
     */
    public FaultScript faults() {
        return server.faults();
    }

    /**
     * The HTTP requests received (a batch counts once, as {@code batch}).
     *
     * @return the live accounting
     */
    public RequestAccounting accounting() {
        return server.accounting();
    }

    /**
     * Calls of one API method handled, batched or not: {@code events.list}, {@code freebusy.query}, …, and
     * {@code freebusy.calendar} for each calendar asked about inside free/busy calls.
     *
     * @param operation the API method's name
     * @return the count; 0 for an unknown name
     */
    public long calls(String operation) {
        var a = state.subCalls.get(operation);
        return a == null ? 0 : a.sum();
    }

    /** Forgets {@link #calls} and the HTTP accounting. */
    public void resetCounts() {
        state.subCalls.clear();
        server.accounting().reset();
    }

    /**
     * The push notifications sent since the last call, oldest first: a {@code sync} one when a channel is
     * made, an {@code exists} one per change of a watched calendar. They are recorded, not sent over HTTP.
     *
     * @return the notifications, removed from the fake's queue; empty when none were sent
     */
    public java.util.List<GoogleNotification> takeNotifications() {
        synchronized (state) {
            java.util.List<GoogleNotification> out = java.util.List.copyOf(state.notifications);
            state.notifications.clear();
            return out;
        }
    }

    /**
     * The channel {@code id} lapses now (Google sends nothing when a channel expires).
     *
     * @param id the channel id
     */
    public void expireChannel(String id) {
        synchronized (state) {
            state.channels.remove(id);
        }
    }

    /** Makes every sync token issued so far invalid (the next incremental read gets 410 fullSyncRequired). */
    public void invalidateSyncTokens() {
        synchronized (state) {
            state.epoch++;
        }
    }

    /**
     * An access token for {@code email}, valid for the configured lifetime.
     *
     * @param email the user's address
     * @return the new token
     */
    public String issueAccessToken(String email) {
        synchronized (state) {
            state.user(email).orElseThrow(() -> new IllegalArgumentException("no user " + email));
            return state.issueToken(email.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Revokes every access token issued for {@code email} (the next call with one answers 401).
     *
     * @param email the user's address
     */
    public void revokeAccessTokens(String email) {
        synchronized (state) {
            state.tokens.values().removeIf(t -> email.equalsIgnoreCase(t.user()));
        }
    }

    /**
     * Adds a user with an empty primary calendar (its id is the address).
     *
     * @param email the user's address
     * @param name the user's full name
     */
    public void addUser(String email, String name) {
        synchronized (state) {
            state.addUser(email, name);
        }
    }

    /**
     * Loads users, calendars and events (series with their overrides) from seed data.
     *
     * @param data the seed data
     */
    public void seed(SeedData data) {
        Objects.requireNonNull(data, "data == null");
        synchronized (state) {
            for (SeedData.SeedUser u : data.users()) {
                GoogleState.User user = state.addUser(u.mailbox().email(), u.displayName());
                user.suspended = !u.enabled();
                for (SeedData.SeedCalendar c : u.calendars()) {
                    String id = c.primary() ? u.mailbox().normalized() : c.id();
                    GoogleState.Cal cal = user.calendars.computeIfAbsent(
                            id, k -> new GoogleState.Cal(k, u.mailbox().normalized(), c.displayName(), false));
                    for (Event e : c.events()) {
                        GoogleSeeds.put(state, cal, e);
                    }
                }
            }
        }
    }

    /**
     * Number of events (tombstones excluded, exceptions included) in a user's primary calendar.
     *
     * @param email the user's address
     * @return the count; 0 for an unknown user
     */
    public int eventCount(String email) {
        synchronized (state) {
            GoogleState.User u = state.user(email).orElseThrow(() -> new IllegalArgumentException("no user " + email));
            return (int) u.calendars.get(email.toLowerCase(Locale.ROOT)).events.values().stream()
                    .filter(s -> !s.cancelled())
                    .count();
        }
    }

    /**
     * A connection config for the provider {@code google} acting as {@code email}: {@code baseUrl}, the
     * {@code mailbox} setting and a fresh access token for that user.
     *
     * @param email the user's address
     * @return a builder for provider {@code google}, ready to build
     */
    public ConnectionConfig.Builder connectionConfig(String email) {
        String token = issueAccessToken(email);
        AccessToken t = new AccessToken(Secret.of(token), null);
        AccessTokenSource fixed = AccessTokenSource.fixed(t);
        return ConnectionConfig.builder("google")
                .setting("baseUrl", baseUrl())
                .setting("mailbox", email)
                .credentials(new TokenCredentials(fixed));
    }

    /** Stops serving. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeGoogleServer[" + server + "]";
    }

    /** Builds a {@link FakeGoogleServer}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final List<Runnable> setup = new ArrayList<>();
        private GoogleState current;
        private int port;

        private Builder() {}

        /**
         * The port on 127.0.0.1 (default 0: a free one).
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
         * The clock for token expiry and {@code updated} stamps (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * A user with an empty primary calendar whose id is the address.
         *
         * @param email the user's address
         * @param name the user's full name
         * @return this builder
         */
        public Builder user(String email, String name) {
            Checks.notBlank(email, "email");
            setup.add(() -> current.addUser(email, name));
            return this;
        }

        /**
         * An alias address of the user {@code email} (listed by the directory); add the user first.
         *
         * @param email the user's primary address
         * @param alias the other address
         * @return this builder
         */
        public Builder alias(String email, String alias) {
            Checks.notBlank(alias, "alias");
            setup.add(() -> current.user(email)
                    .orElseThrow(() -> new IllegalArgumentException("no user " + email))
                    .aliases
                    .add(alias));
            return this;
        }

        /**
         * A room ({@code resourceCategory} {@code CONFERENCE_ROOM}) of the Admin SDK's calendar resources, with
         * a calendar of its own whose id is {@code email} (its free/busy is read like a person's); listed by
         * {@code resources.calendars.list}, not by {@code users.list}.
         *
         * @param capacity   seats, or null
         * @param buildingId the building's id, or null
         * @param email the room's address (its calendar id)
         * @param name the room's name
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code email} or {@code name} is blank
         */
        public Builder room(String email, String name, Integer capacity, String buildingId) {
            return resource(email, name, "CONFERENCE_ROOM", capacity, buildingId);
        }

        /**
         * A calendar resource of any {@code category} ({@code CONFERENCE_ROOM}, {@code OTHER} for equipment,
         * {@code CATEGORY_UNKNOWN} for legacy data).
         *
         * @param email the resource's address (its calendar id)
         * @param name the resource's name
         * @param category the resource category, not blank
         * @param capacity seats, or null
         * @param buildingId the building's id, or null
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code email}, {@code name} or {@code category} is blank
         */
        public Builder resource(String email, String name, String category, Integer capacity, String buildingId) {
            Checks.notBlank(email, "email");
            Checks.notBlank(name, "name");
            Checks.notBlank(category, "category");
            setup.add(() -> current.addResource(new GoogleState.Resource(
                    Integer.toString(Math.abs(email.toLowerCase(Locale.ROOT).hashCode())),
                    email,
                    name,
                    category,
                    capacity,
                    buildingId,
                    buildingId == null ? null : "1")));
            return this;
        }

        /**
         * A building of the calendar resources ({@code resources.buildings.list}): rooms name it by {@code id}.
         *
         * @param id the building's id
         * @param name the building's name
         * @return this builder
         */
        public Builder building(String id, String name) {
            Checks.notBlank(id, "id");
            Checks.notBlank(name, "name");
            setup.add(() -> current.buildings.put(id, new GoogleState.Building(id, name)));
            return this;
        }

        /**
         * A group of the Admin SDK's directory ({@code groups.list}, {@code members.list}) with {@code members}
         * (addresses of users, of other groups, which nest, or of outsiders, listed as {@code EXTERNAL}), each
         * with role {@code MEMBER}. Its id is derived from the address.
         *
         * @param email the group's address
         * @param name the group's name
         * @param members the members' addresses
         * @return this builder
         */
        public Builder group(String email, String name, String... members) {
            Checks.notBlank(email, "email");
            Checks.notBlank(name, "name");
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String member : members) {
                m.put(Checks.notBlank(member, "member").toLowerCase(Locale.ROOT), "MEMBER");
            }
            setup.add(() -> current.groups.put(
                    email.toLowerCase(Locale.ROOT),
                    new GoogleState.Group(
                            "0"
                                    + Integer.toHexString(
                                            email.toLowerCase(Locale.ROOT).hashCode()),
                            email,
                            name,
                            List.of(),
                            m)));
            return this;
        }

        /**
         * Every address of {@code domain} exists (with an empty primary calendar) when first used.
         *
         * @param domain the domain, such as {@code example.com}
         * @return this builder
         */
        public Builder autoCreateUsers(String domain) {
            Checks.notBlank(domain, "domain");
            setup.add(() -> current.autoDomains.add(domain.toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * An access token that acts for {@code email} and never expires; switches off the open mode.
         *
         * @param token the token text
         * @param email the user it acts for
         * @return this builder
         */
        public Builder accessToken(String token, String email) {
            Checks.notBlank(token, "token");
            setup.add(() -> current.tokens.put(token, new GoogleState.Token(email.toLowerCase(Locale.ROOT), null)));
            return this;
        }

        /**
         * An authorization code for {@code email}, good for one exchange (grant_type=authorization_code), which
         * returns an access token and a new refresh token; switches off the open mode.
         *
         * @param code the code text
         * @param email the user it is for
         * @return this builder
         */
        public Builder authorizationCode(String code, String email) {
            Checks.notBlank(code, "code");
            setup.add(() -> current.authorizationCodes.put(code, email.toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * A refresh token for {@code email} (grant_type=refresh_token); switches off the open mode.
         *
         * @param refreshToken the token text
         * @param email the user it is for
         * @return this builder
         */
        public Builder refreshToken(String refreshToken, String email) {
            setup.add(() -> current.refreshTokens.put(refreshToken, email.toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * A service account with domain-wide delegation: JWT bearer assertions issued by {@code clientEmail}
         * (signed with the private key of {@code publicKey}, checked when it is not null) get a token for
         * their {@code sub} if it is one of {@code mayActAs}; others are refused with
         * {@code unauthorized_client}. Switches off the open mode.
         *
         * @param clientEmail the service account's address (the assertions' issuer)
         * @param publicKey the key that checks the assertions' signatures
         * @param mayActAs the addresses it may act as
         * @return this builder
         */
        public Builder serviceAccount(String clientEmail, PublicKey publicKey, Set<String> mayActAs) {
            Checks.notBlank(clientEmail, "clientEmail");
            Set<String> users = new LinkedHashSet<>();
            mayActAs.forEach(u -> users.add(u.toLowerCase(Locale.ROOT)));
            setup.add(() -> {
                current.delegation.put(clientEmail.toLowerCase(Locale.ROOT), users);
                if (publicKey != null) {
                    current.serviceAccountKeys.put(clientEmail.toLowerCase(Locale.ROOT), publicKey);
                }
            });
            return this;
        }

        /**
         * The longest free/busy window accepted (default 90 days).
         *
         * @param max the longest window
         * @return this builder
         */
        public Builder maxFreeBusyWindow(Duration max) {
            setup.add(() -> current.maxFreeBusyWindow = Checks.notNull(max, "max"));
            return this;
        }

        /**
         * How long issued access tokens live (default 1 hour).
         *
         * @param lifetime the token lifetime
         * @return this builder
         */
        public Builder tokenLifetime(Duration lifetime) {
            setup.add(() -> current.tokenLifetime = Checks.notNull(lifetime, "lifetime"));
            return this;
        }

        /**
         * Builds the server; it does not listen until {@link FakeGoogleServer#start()}.
         *
         * @return the server, not started
         */
        public FakeGoogleServer build() {
            current = new GoogleState(clock);
            setup.forEach(Runnable::run);
            return new FakeGoogleServer(current, port);
        }
    }
}
