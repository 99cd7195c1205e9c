package org.calsdk.testkit.caldav;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.ErrorDialect;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.ProtocolFaults;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.SeedData;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A fake CalDAV server (RFC 4791 / 6578 / 6638 subset) on the testkit's {@link FakeServer}, for what a
 * real Radicale cannot show: iCloud-style partition hosts (a front host that redirects the principal to
 * a second host on another port, whose home set is an absolute URL), truncated {@code sync-collection}
 * answers (507), invalidated sync tokens (403 {@code valid-sync-token}), a server without
 * {@code sync-collection} (clients must fall back to ctag/ETag comparison), hostile XML, Digest-only
 * authentication, a scheduling outbox, and any HTTP fault the testkit's {@link FaultScript} injects
 * (429, 5xx, dropped answers). By default it follows the protocol: its {@code calendar-query}
 * time-range filter (RFC 4791 §9.9) expands recurring series server-side (RRULE, RDATE, EXDATE,
 * overrides), and so does its scheduling outbox. Quirks of real servers are opt-in:
 * {@link Builder#timeRangeIgnoresRecurrences} makes the filter look at the master's DTSTART/DTEND only,
 * as some servers do.
 *
 * <p>Users: added one by one ({@link Builder#user}), seeded from {@link SeedData} ({@link #seed}), or
 * all of them: in {@link Builder#openDomain open mode} every {@code USER@domain} exists with an empty
 * calendar {@code primary} (created on first use) and any password is accepted; a bearer token is
 * accepted for the user whose resources it asks for (point such a client at {@code /calendars/USER/}).
 * This is what {@code ./calendar fake --provider caldav} serves.
 *
 * <p>Paths: {@code /principals/USER/}, home {@code /calendars/USER/}, calendars
 * {@code /calendars/USER/CAL/}, outbox {@code /calendars/USER/outbox/}. Users' addresses are
 * {@code USER@example.com}. Operations (for fault rules and accounting): {@code propfind}, {@code report}, {@code options},
 * {@code get}, {@code put}, {@code delete}, {@code outbox}, {@code well-known}.
 *
 * <pre>{@code
 * try (FakeCalDavServer dav = FakeCalDavServer.builder().user("alice", "pw").calendar("alice", "work", "Work")
 *         .partitioned(true).build().start()) {
 *     ConnectionConfig cfg = dav.connectionConfig("alice").build();     // allowPrivateNetwork=true
 *     dav.faults().add(FaultRule.on("report").times(1).inject(Fault.tooManyRequests()));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeCalDavServer implements AutoCloseable {
    private static final String DAV = "DAV:";
    private static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    private static final String NS = " xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\""
            + " xmlns:CS=\"http://calendarserver.org/ns/\" xmlns:I=\"http://apple.com/ns/ical/\"";

    private final DavStore store;
    private final boolean partitioned;
    private final String nonce = UUID.randomUUID().toString();
    private final FakeServer<DavStore> main;
    private final FakeServer<DavStore> front;

    private FakeCalDavServer(Builder b) {
        this.store = b.store;
        this.partitioned = b.partitioned;
        this.main = routes(
                        FakeServer.builder(store)
                                .name("caldav")
                                .protocolFaults(ProtocolFaults.caldav())
                                .port(b.partitioned ? 0 : b.port),
                        false)
                .build();
        this.front = partitioned
                ? routes(
                                FakeServer.builder(store)
                                        .name("caldav-front")
                                        .protocolFaults(ProtocolFaults.caldav())
                                        .port(b.port),
                                true)
                        .build()
                : null;
    }

    /**
     * Starts building a fake.
     *
     * @return a builder with no users, domain {@code example.com}, Basic authentication and sync-collection on
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server(s) on 127.0.0.1 (the builder's port, else a free one). Idempotent.
     *
     * @return this server, running
     */
    public FakeCalDavServer start() {
        main.start();
        if (front != null) {
            front.start();
        }
        return this;
    }

    /**
     * The URL a client is given: the front host when partitioned, else the server root.
     *
     * @return the URL, ending in {@code /}
     */
    public String url() {
        return (front != null ? front : main).baseUrl().toString();
    }

    /**
     * The partition host's root (the only host when not partitioned).
     *
     * @return the URL, ending in {@code /}
     */
    public String partitionUrl() {
        return main.baseUrl().toString();
    }

    /**
     * A connection config for {@code user}: url, its password, {@code allowPrivateNetwork=true}.
     *
     * @param user the user name
     * @return a builder for provider {@code caldav}, ready to build
     * @throws org.calsdk.errors.InvalidInputException if the fake has no such user
     */
    public ConnectionConfig.Builder connectionConfig(String user) {
        String pw;
        synchronized (store) {
            if (!store.ensureUser(user)) {
                throw new IllegalArgumentException("unknown user " + user);
            }
            pw = store.passwords.get(user);
            if (pw == null) {
                pw = user + "-pw"; // any password is accepted for this user
            }
        }
        return ConnectionConfig.builder("caldav")
                .setting("url", url())
                .setting("allowPrivateNetwork", "true")
                .setting("mailbox", user + "@" + store.domain)
                .credentials(PasswordCredentials.of(user, Secret.of(pw)));
    }

    /**
     * The port of the URL a client is given.
     *
     * @return the port
     * @throws IllegalStateException if the server is not running
     */
    public int port() {
        return (front != null ? front : main).port();
    }

    /**
     * Adds the users, calendars and events of {@code data}: user {@code USER} for each mailbox
     * {@code USER@domain} (the domain must be this server's), accepting any password unless one was set
     * with {@link Builder#user}; calendar {@link CalendarRef#PRIMARY} becomes {@code /calendars/USER/primary/};
     * each event (a series with its overrides) one resource {@code UID.ics}.
     *
     * @param data the seed data
     * @throws InvalidInputException when a mailbox is of another domain or a calendar id is not a path segment
     */
    public void seed(SeedData data) {
        Objects.requireNonNull(data, "data == null");
        synchronized (store) {
            for (SeedData.SeedUser u : data.users()) {
                String user = localPart(store, u.mailbox().email());
                if (user == null) {
                    throw new InvalidInputException(
                            "mailbox", "the fake serves users @" + store.domain + " only: " + u.mailbox());
                }
                store.passwords.putIfAbsent(user, null);
                Map<String, DavStore.Cal> cals = store.calendars.computeIfAbsent(user, k -> new LinkedHashMap<>());
                for (SeedData.SeedCalendar c : u.calendars()) {
                    if (!DavStore.validUserName(c.id())) {
                        throw new InvalidInputException("calendar id", "not usable as a path segment: " + c.id());
                    }
                    DavStore.Cal cal = cals.computeIfAbsent(
                            c.id(), k -> new DavStore.Cal(k, c.displayName() == null ? k : c.displayName()));
                    for (Event e : c.events()) {
                        String name = e.uid()
                                        .orElseGet(() -> UUID.randomUUID().toString())
                                        .replaceAll("[^A-Za-z0-9._@-]", "_")
                                + ".ics";
                        String etag = store.nextEtag();
                        cal.resources.put(name, new DavStore.Res(ICalendar.write(e), etag));
                        cal.changed(name, store.etagCounter);
                    }
                }
            }
        }
    }

    /**
     * A client connected as {@code mailbox} through the {@code caldav} provider found by
     * {@link CalendarProviders#load()} (provider-caldav must be on the class path).
     *
     * @param mailbox the user's address
     * @return an open connection; the caller closes it
     */
    public CalendarConnection connect(Mailbox mailbox) {
        return CalendarProviders.load().connect(connectionConfig(mailbox).build());
    }

    /**
     * A connection config for the user of {@code mailbox} (see {@link #connectionConfig(String)}).
     *
     * @param mailbox the user's address
     * @return a builder for provider {@code caldav}
     */
    public ConnectionConfig.Builder connectionConfig(Mailbox mailbox) {
        String user = localPart(
                store, Objects.requireNonNull(mailbox, "mailbox == null").email());
        if (user == null) {
            throw new InvalidInputException("mailbox", "the fake serves users @" + store.domain + " only: " + mailbox);
        }
        return connectionConfig(user);
    }

    /**
     * Latency before every HTTP request is answered, on both hosts (see {@link FakeServer#latency}).
     *
     * @param perRequest the wait per request, zero or positive
     * @return this server
     */
    public FakeCalDavServer latency(java.time.Duration perRequest) {
        main.latency(perRequest);
        if (front != null) {
            front.latency(perRequest);
        }
        return this;
    }

    /**
     * Fault rules of the data host (operations listed in the class comment).
     *
     * @return the live rule set
     */
    public FaultScript faults() {
        return main.faults();
    }

    /**
     * Calls the data host received.
     *
     * @return the live accounting
     */
    public RequestAccounting accounting() {
        return main.accounting();
    }

    /**
     * Calls the front host received (empty accounting when not partitioned).
     *
     * @return the live accounting of the front host
     */
    public RequestAccounting frontAccounting() {
        return front != null ? front.accounting() : new RequestAccounting();
    }

    /**
     * Stores an event resource directly (as another client would), returning its ETag.
     *
     * @param user the user name
     * @param calendar the calendar's name
     * @param resourceName the resource's name, such as {@code e1.ics}
     * @param ics the iCalendar text
     * @return the new ETag, quoted
     */
    public String putEvent(String user, String calendar, String resourceName, String ics) {
        synchronized (store) {
            DavStore.Cal cal = existing(user, calendar);
            String etag = store.nextEtag();
            cal.resources.put(resourceName, new DavStore.Res(ics, etag));
            cal.changed(resourceName, store.etagCounter);
            return etag;
        }
    }

    private DavStore.Cal existing(String user, String calendar) {
        store.ensureUser(user);
        DavStore.Cal cal = store.calendar(user, calendar);
        if (cal == null) {
            throw new InvalidInputException("calendar", "no calendar " + calendar + " of user " + user);
        }
        return cal;
    }

    /**
     * Removes an event resource directly.
     *
     * @param user the user name
     * @param calendar the calendar's name
     * @param resourceName the resource's name
     */
    public void removeEvent(String user, String calendar, String resourceName) {
        synchronized (store) {
            DavStore.Cal cal = existing(user, calendar);
            if (cal.resources.remove(resourceName) != null) {
                cal.changed(resourceName, ++store.etagCounter);
            }
        }
    }

    /**
     * The iCalendar text stored for a resource, if any.
     *
     * @param user the user name
     * @param calendar the calendar's name
     * @param resourceName the resource's name
     * @return the stored text, or empty when there is no such resource
     */
    public Optional<String> event(String user, String calendar, String resourceName) {
        synchronized (store) {
            DavStore.Cal cal = store.calendar(user, calendar);
            DavStore.Res r = cal == null ? null : cal.resources.get(resourceName);
            return Optional.ofNullable(r == null ? null : r.ics());
        }
    }

    /**
     * Number of event resources in a calendar.
     *
     * @param user the user name
     * @param calendar the calendar's name
     * @return the count; 0 for an unknown calendar
     */
    public int eventCount(String user, String calendar) {
        synchronized (store) {
            DavStore.Cal cal = store.calendar(user, calendar);
            return cal == null ? 0 : cal.resources.size();
        }
    }

    /** Every sync token issued so far for the calendars stops being valid (403 valid-sync-token). */
    public void invalidateSyncTokens() {
        synchronized (store) {
            store.calendars.values().forEach(m -> m.values().forEach(c -> c.epoch++));
        }
    }

    /**
     * At most {@code n} changes per sync-collection answer; more are cut off with a 507 (RFC 6578 §3.6).
     *
     * @param n the most changes per answer, positive
     */
    public void maxSyncResults(int n) {
        synchronized (store) {
            store.maxSyncResults = n;
        }
    }

    /**
     * Whether a sync-collection REPORT that asks for a limit ({@code DAV:limit}) is refused with 507
     * {@code DAV:number-of-matches-within-limits}, as a server that cannot truncate its answer does (RFC 6578
     * §3.7). Default: the limit is honoured.
     *
     * @param refuse true to refuse limited requests
     */
    public void refuseSyncLimit(boolean refuse) {
        synchronized (store) {
            store.refuseSyncLimit = refuse;
        }
    }

    /**
     * Switches sync-collection support on or off (off: 403, and not in supported-report-set).
     *
     * @param supported false to switch it off
     */
    public void syncCollection(boolean supported) {
        synchronized (store) {
            store.syncCollection = supported;
        }
    }

    /**
     * Accepts {@code Authorization: Bearer TOKEN} for {@code user} (OAuth-protected servers).
     *
     * @param user the user name
     * @param token the bearer token
     */
    public void acceptBearerToken(String user, String token) {
        synchronized (store) {
            store.bearerTokens.put(
                    Objects.requireNonNull(token, "token == null"), Objects.requireNonNull(user, "user == null"));
        }
    }

    /**
     * Stops accepting a bearer token (it expired or was revoked).
     *
     * @param token the bearer token
     */
    public void revokeBearerToken(String token) {
        synchronized (store) {
            store.bearerTokens.remove(token);
        }
    }

    /**
     * Makes PROPFIND and REPORT answers hostile.
     *
     * @param mode the kind of hostility ({@link HostileXml})
     */
    public void hostileXml(HostileXml mode) {
        synchronized (store) {
            store.hostile = Objects.requireNonNull(mode, "mode == null");
        }
    }

    /**
     * Stops the server(s). Idempotent. A request still sleeping in an injected latency fault keeps
     * MockWebServer from shutting down within its grace period; that is reported on stderr, not thrown
     * (the port is released either way, and the sleeping thread ends with its delay).
     */
    @Override
    public void close() {
        try {
            closeQuietly(main);
        } finally {
            if (front != null) {
                closeQuietly(front);
            }
        }
    }

    private static void closeQuietly(FakeServer<?> server) {
        try {
            server.close();
        } catch (java.io.UncheckedIOException e) {
            System.err.println("FakeCalDavServer: " + e.getMessage() + " (a delayed request was still running)");
        }
    }

    @Override
    public String toString() {
        return "FakeCalDavServer[" + url() + (partitioned ? " -> " + partitionUrl() : "") + "]";
    }

    // ---------------------------------------------------------------- routes

    private FakeServer.Builder<DavStore> routes(FakeServer.Builder<DavStore> b, boolean isFront) {
        b.protocolFaults(ProtocolFaults.caldav());
        b.mailboxResolver(
                r -> r.pathParams().containsKey("user") ? r.pathParams().get("user") + "@" + store.domain : null);
        b.errorDialect(ErrorDialect.dav());
        for (String path : List.of(
                "/",
                "/principals/{user}",
                "/calendars/{user}",
                "/calendars/{user}/{cal}",
                "/calendars/{user}/{cal}/{res}")) {
            b.route(
                    "OPTIONS",
                    path,
                    "options",
                    (req, s) -> FakeResponse.of(200)
                            .withHeader("DAV", "1, 3, calendar-access, sync-collection")
                            .withHeader("Allow", "OPTIONS, GET, PUT, DELETE, PROPFIND, REPORT, POST"));
        }
        for (String m : List.of("GET", "PROPFIND", "OPTIONS")) {
            b.route(
                    m,
                    "/.well-known/caldav",
                    "well-known",
                    (req, s) -> FakeResponse.text(301, "moved").withHeader("Location", "/"));
        }
        b.route("PROPFIND", "/", "propfind", (req, s) -> authed(req, s, user -> root(req, user)));
        b.route(
                "PROPFIND",
                "/principals/{user}",
                "propfind",
                (req, s) -> authed(req, s, user -> {
                    if (!user.equals(req.pathParam("user"))) {
                        return FakeResponse.of(403);
                    }
                    if (isFront) {
                        return FakeResponse.text(302, "see partition")
                                .withHeader(
                                        "Location",
                                        main.baseUrl()
                                                .resolve("/principals/" + user + "/")
                                                .toString());
                    }
                    return principal(user);
                }));
        if (isFront) {
            return b; // the front host serves discovery only, like caldav.icloud.com
        }
        b.route(
                "PROPFIND",
                "/calendars/{user}",
                "propfind",
                (req, s) -> authed(req, s, user -> owner(req, user, () -> home(req, user))));
        b.route(
                "PROPFIND",
                "/calendars/{user}/{cal}",
                "propfind",
                (req, s) -> authed(
                        req, s, user -> owner(req, user, () -> withCal(req, cal -> calendarPropfind(req, user, cal)))));
        b.route(
                "REPORT",
                "/calendars/{user}/{cal}",
                "report",
                (req, s) ->
                        authed(req, s, user -> owner(req, user, () -> withCal(req, cal -> report(req, user, cal)))));
        b.route(
                "POST",
                "/calendars/{user}/outbox",
                "outbox",
                (req, s) -> authed(req, s, user -> owner(req, user, () -> outbox(req))));
        b.route(
                "GET",
                "/calendars/{user}/{cal}/{res}",
                "get",
                (req, s) -> authed(req, s, user -> owner(req, user, () -> withCal(req, cal -> get(req, cal)))));
        b.route(
                "PUT",
                "/calendars/{user}/{cal}/{res}",
                "put",
                (req, s) -> authed(req, s, user -> owner(req, user, () -> withCal(req, cal -> put(req, user, cal)))));
        b.route(
                "DELETE",
                "/calendars/{user}/{cal}/{res}",
                "delete",
                (req, s) -> authed(req, s, user -> owner(req, user, () -> withCal(req, cal -> delete(req, cal)))));
        return b;
    }

    private interface UserHandler {
        FakeResponse handle(String user) throws Exception;
    }

    private interface Body {
        FakeResponse get() throws Exception;
    }

    private interface CalHandler {
        FakeResponse handle(DavStore.Cal cal) throws Exception;
    }

    private FakeResponse authed(FakeRequest req, DavStore s, UserHandler h) throws Exception {
        String header = req.header("Authorization").orElse("");
        String user = null;
        synchronized (s) {
            if (!s.digest && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                String dec;
                try {
                    dec = new String(
                            Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    dec = "";
                }
                int colon = dec.indexOf(':');
                String u = localPart(s, colon < 0 ? dec : dec.substring(0, colon));
                if (colon > 0 && u != null && s.ensureUser(u)) {
                    String pw = s.passwords.get(u);
                    if (pw == null || dec.substring(colon + 1).equals(pw)) {
                        user = u;
                    }
                }
            } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                user = s.bearerTokens.get(header.substring(7).strip());
                String pathUser = req.pathParams().get("user");
                if (user == null && s.open && header.substring(7).strip().length() > 0) {
                    // open mode: any token acts as the user whose resources it asks for
                    user = pathUser != null && s.ensureUser(pathUser) ? pathUser : null;
                }
            } else if (s.digest && header.regionMatches(true, 0, "Digest ", 0, 7)) {
                user = checkDigest(req, header.substring(7), s);
            }
        }
        if (user == null) {
            String challenge = s.digest
                    ? "Digest realm=\"fake-caldav\", qop=\"auth\", algorithm=MD5, nonce=\"" + nonce + "\""
                    : "Basic realm=\"fake-caldav\"";
            return FakeResponse.text(401, "unauthorized").withHeader("WWW-Authenticate", challenge);
        }
        if (s.hostile != HostileXml.NONE
                && (req.method().equals("PROPFIND") || req.method().equals("REPORT"))) {
            return hostile(s.hostile);
        }
        synchronized (s) {
            return h.handle(user);
        }
    }

    private String checkDigest(FakeRequest req, String params, DavStore s) {
        Map<String, String> p = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=(\"([^\"]*)\"|([^,\\s]*))")
                .matcher(params);
        while (m.find()) {
            p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(4));
        }
        String user = p.get("username");
        String pw = user == null || !s.ensureUser(user) ? null : s.passwords.get(user);
        if (pw == null || !nonce.equals(p.get("nonce")) || !"auth".equals(p.get("qop"))) {
            return null;
        }
        String ha1 = md5(user + ":fake-caldav:" + pw);
        String ha2 = md5(req.method() + ":" + p.get("uri"));
        String expected = md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        String uri = req.url().encodedPath()
                + (req.url().encodedQuery() == null ? "" : "?" + req.url().encodedQuery());
        return expected.equals(p.get("response")) && uri.equals(p.get("uri")) ? user : null;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FakeResponse owner(FakeRequest req, String user, Body body) throws Exception {
        return user.equals(req.pathParam("user")) ? body.get() : FakeResponse.of(403);
    }

    private FakeResponse withCal(FakeRequest req, CalHandler h) throws Exception {
        DavStore.Cal cal = store.calendar(req.pathParam("user"), req.pathParam("cal"));
        return cal == null ? FakeResponse.of(404) : h.handle(cal);
    }

    private static FakeResponse hostile(HostileXml mode) {
        String body = switch (mode) {
            case XXE ->
                "<?xml version=\"1.0\"?>\n<!DOCTYPE m [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                        + "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/&xxe;</D:href><D:propstat><D:prop>"
                        + "<D:current-user-principal><D:href>/&xxe;</D:href></D:current-user-principal></D:prop>"
                        + "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>";
            case BILLION_LAUGHS -> {
                StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
                String prev = "lol";
                for (int i = 1; i <= 9; i++) {
                    sb.append("<!ENTITY lol")
                            .append(i)
                            .append(" \"")
                            .append(("&" + prev + ";").repeat(10))
                            .append("\">");
                    prev = "lol" + i;
                }
                sb.append(
                        "]>\n<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>&lol9;</D:href></D:response></D:multistatus>");
                yield sb.toString();
            }
            case HUGE -> "<D:multistatus xmlns:D=\"DAV:\">" + "<!-- padding -->".repeat(1_200_000) + "</D:multistatus>";
            case NONE -> throw new IllegalStateException();
        };
        return FakeResponse.xml(207, body);
    }

    // ---------------------------------------------------------------- PROPFIND

    private FakeResponse root(FakeRequest req, String user) {
        return multistatus(response(
                "/",
                ok("<D:current-user-principal><D:href>/principals/" + user
                        + "/</D:href></D:current-user-principal><D:resourcetype><D:collection/></D:resourcetype>")));
    }

    private FakeResponse principal(String user) {
        String home = partitioned
                ? main.baseUrl().resolve("/calendars/" + user + "/").toString()
                : "/calendars/" + user + "/";
        StringBuilder props = new StringBuilder("<D:resourcetype><D:principal/><D:collection/></D:resourcetype>"
                + "<D:current-user-principal><D:href>/principals/" + user + "/</D:href></D:current-user-principal>"
                + "<C:calendar-home-set><D:href>" + home + "</D:href></C:calendar-home-set>"
                + "<C:calendar-user-address-set><D:href>mailto:" + user + "@" + store.domain + "</D:href>"
                + "<D:href>/principals/" + user + "/</D:href></C:calendar-user-address-set>");
        if (store.outbox) {
            props.append("<C:schedule-outbox-URL><D:href>/calendars/")
                    .append(user)
                    .append("/outbox/</D:href></C:schedule-outbox-URL>");
        }
        return multistatus(response("/principals/" + user + "/", ok(props.toString())));
    }

    private FakeResponse home(FakeRequest req, String user) {
        StringBuilder sb = new StringBuilder(
                response("/calendars/" + user + "/", ok("<D:resourcetype><D:collection/></D:resourcetype>")));
        if (depth(req) > 0) {
            for (DavStore.Cal c : store.calendars.getOrDefault(user, Map.of()).values()) {
                sb.append(response("/calendars/" + user + "/" + c.name + "/", ok(calendarProps(c))));
            }
        }
        return multistatus(sb.toString());
    }

    private FakeResponse calendarPropfind(FakeRequest req, String user, DavStore.Cal cal) {
        String base = "/calendars/" + user + "/" + cal.name + "/";
        StringBuilder sb = new StringBuilder(response(base, ok(calendarProps(cal))));
        if (depth(req) > 0) {
            cal.resources.forEach((name, res) -> sb.append(
                    response(base + name, ok("<D:resourcetype/><D:getetag>" + esc(res.etag()) + "</D:getetag>"))));
        }
        return multistatus(sb.toString());
    }

    private String calendarProps(DavStore.Cal c) {
        StringBuilder p = new StringBuilder("<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>");
        p.append("<D:displayname>").append(esc(c.displayName)).append("</D:displayname>");
        if (c.color != null) {
            p.append("<I:calendar-color>").append(esc(c.color)).append("</I:calendar-color>");
        }
        p.append("<C:supported-calendar-component-set><C:comp name=\"VEVENT\"/></C:supported-calendar-component-set>");
        p.append("<D:current-user-privilege-set><D:privilege><D:read/></D:privilege>");
        if (!c.readOnly) {
            p.append("<D:privilege><D:write/></D:privilege>");
        }
        p.append("</D:current-user-privilege-set>");
        p.append("<CS:getctag>\"c").append(c.ctag).append("\"</CS:getctag>");
        p.append(
                "<D:supported-report-set><D:supported-report><D:report><C:calendar-query/></D:report></D:supported-report>"
                        + "<D:supported-report><D:report><C:calendar-multiget/></D:report></D:supported-report>");
        if (store.syncCollection) {
            p.append("<D:supported-report><D:report><D:sync-collection/></D:report></D:supported-report>");
        }
        p.append("</D:supported-report-set>");
        if (store.syncCollection) {
            p.append("<D:sync-token>").append(token(c, c.revision())).append("</D:sync-token>");
        }
        return p.toString();
    }

    private static String token(DavStore.Cal c, int revision) {
        return "http://fake.invalid/sync/" + c.name + "/" + c.epoch + "-" + revision;
    }

    // ---------------------------------------------------------------- REPORT

    private FakeResponse report(FakeRequest req, String user, DavStore.Cal cal) throws Exception {
        Element root = parse(req.body());
        String base = "/calendars/" + user + "/" + cal.name + "/";
        String kind = root.getLocalName();
        if ("sync-collection".equals(kind) && DAV.equals(root.getNamespaceURI())) {
            return sync(root, base, cal);
        }
        if ("calendar-multiget".equals(kind)) {
            StringBuilder sb = new StringBuilder();
            for (Element h : elements(root, DAV, "href")) {
                String href = h.getTextContent().strip();
                String name = href.substring(href.lastIndexOf('/') + 1);
                DavStore.Res r = href.startsWith(base) ? cal.resources.get(name) : null;
                sb.append(
                        r == null
                                ? "<D:response><D:href>" + esc(href) + "</D:href><D:status>HTTP/1.1 404 Not Found"
                                        + "</D:status></D:response>"
                                : response(href, data(r)));
            }
            return multistatus(sb.toString());
        }
        if ("calendar-query".equals(kind)) {
            Instant[] range = null;
            List<Element> tr = elements(root, CALDAV, "time-range");
            if (!tr.isEmpty()) {
                try {
                    range = new Instant[] {
                        bound(tr.get(0).getAttribute("start"), FAR_PAST),
                        bound(tr.get(0).getAttribute("end"), FAR_FUTURE)
                    };
                } catch (java.time.DateTimeException e) {
                    range = null;
                }
                if (range == null || !range[0].isBefore(range[1])) {
                    return FakeResponse.xml(
                            403,
                            HEAD + "<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                                    + "<C:valid-filter/></D:error>");
                }
            }
            List<String> defined = new ArrayList<>();
            String uid = null;
            for (Element pf : elements(root, CALDAV, "prop-filter")) {
                List<Element> tm = elements(pf, CALDAV, "text-match");
                if (tm.isEmpty()) {
                    defined.add(pf.getAttribute("name"));
                } else if ("UID".equalsIgnoreCase(pf.getAttribute("name"))) {
                    uid = tm.get(0).getTextContent().strip();
                }
            }
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, DavStore.Res> e : cal.resources.entrySet()) {
                String ics = e.getValue().ics();
                if (uid != null && !uid.equals(prop(ics, "UID"))) {
                    continue;
                }
                if (defined.stream().anyMatch(d -> prop(ics, d) == null)) {
                    continue;
                }
                if (range != null && !overlaps(ics, range[0], range[1])) {
                    continue;
                }
                sb.append(response(base + e.getKey(), data(e.getValue())));
            }
            return multistatus(sb.toString());
        }
        return FakeResponse.xml(403, HEAD + "<D:error xmlns:D=\"DAV:\"><D:supported-report/></D:error>");
    }

    private FakeResponse sync(Element root, String base, DavStore.Cal cal) {
        if (!store.syncCollection) {
            return FakeResponse.xml(403, HEAD + "<D:error xmlns:D=\"DAV:\"><D:supported-report/></D:error>");
        }
        String token = elements(root, DAV, "sync-token").stream()
                .findFirst()
                .map(e -> e.getTextContent().strip())
                .orElse("");
        // the client's own bound (RFC 6578 §3.7, DAV:limit/DAV:nresults) applies on top of the server's
        int limit = store.maxSyncResults;
        List<Element> nresults = elements(root, DAV, "nresults");
        if (!nresults.isEmpty()) {
            if (store.refuseSyncLimit) {
                return FakeResponse.xml(
                        507, HEAD + "<D:error xmlns:D=\"DAV:\"><D:number-of-matches-within-limits/></D:error>");
            }
            try {
                limit = Math.min(
                        limit,
                        Math.max(
                                1,
                                Integer.parseInt(
                                        nresults.get(0).getTextContent().strip())));
            } catch (NumberFormatException e) {
                return FakeResponse.of(400);
            }
        }
        // tokens: PREFIX + revision, or PREFIX + "i" + revision + "." + offset while an initial sync is
        // being handed out in pieces (the revision it started at, and how many members were sent)
        int from;
        int initialOffset = -1;
        if (token.isEmpty()) {
            from = -1;
            initialOffset = 0;
        } else {
            String prefix = token(cal, 0);
            prefix = prefix.substring(0, prefix.length() - 1);
            try {
                String rest = token.startsWith(prefix) ? token.substring(prefix.length()) : "x";
                if (rest.startsWith("i") && rest.indexOf('.') > 1) {
                    from = Integer.parseInt(rest.substring(1, rest.indexOf('.')));
                    initialOffset = Integer.parseInt(rest.substring(rest.indexOf('.') + 1));
                } else {
                    from = Integer.parseInt(rest);
                }
            } catch (NumberFormatException e) {
                from = -2;
            }
            if (from < 0 || from > cal.revision() || initialOffset < -1) {
                return ProtocolFaults.caldav().invalidSyncToken(null);
            }
        }
        List<String> names = new ArrayList<>();
        String next;
        boolean truncated;
        if (initialOffset >= 0) {
            int startRev = from < 0 ? cal.revision() : from;
            List<String> all = new ArrayList<>(cal.resources.keySet());
            int end = (int) Math.min(all.size(), (long) initialOffset + limit);
            names.addAll(all.subList(Math.min(initialOffset, all.size()), end));
            truncated = end < all.size();
            next = truncated ? token(cal, 0).replaceAll("0$", "") + "i" + startRev + "." + end : token(cal, startRev);
        } else {
            Set<String> seen = new LinkedHashSet<>();
            int stop = from;
            for (int i = from; i < cal.revision(); i++) {
                if (seen.size() >= limit && !seen.contains(cal.log.get(i))) {
                    break;
                }
                seen.add(cal.log.get(i));
                stop = i + 1;
            }
            names.addAll(seen);
            truncated = stop < cal.revision();
            next = token(cal, stop);
        }
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            DavStore.Res r = cal.resources.get(n);
            sb.append(
                    r == null
                            ? "<D:response><D:href>" + esc(base + n)
                                    + "</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
                            : response(base + n, ok("<D:getetag>" + esc(r.etag()) + "</D:getetag>")));
        }
        if (truncated) {
            sb.append("<D:response><D:href>")
                    .append(base)
                    .append("</D:href><D:status>HTTP/1.1 507 Insufficient Storage" + "</D:status></D:response>");
        }
        sb.append("<D:sync-token>").append(esc(next)).append("</D:sync-token>");
        return multistatus(sb.toString());
    }

    // ---------------------------------------------------------------- resources

    private FakeResponse get(FakeRequest req, DavStore.Cal cal) {
        DavStore.Res r = cal.resources.get(req.pathParam("res"));
        return r == null
                ? FakeResponse.of(404)
                : FakeResponse.body(200, "text/calendar; charset=utf-8", r.ics())
                        .withHeader("ETag", r.etag());
    }

    private FakeResponse put(FakeRequest req, String user, DavStore.Cal cal) {
        String name = req.pathParam("res");
        DavStore.Res existing = cal.resources.get(name);
        Optional<String> ifNoneMatch = req.header("If-None-Match");
        Optional<String> ifMatch = req.header("If-Match");
        if (ifNoneMatch.map(v -> v.strip().equals("*")).orElse(false) && existing != null) {
            return FakeResponse.of(412);
        }
        if (ifMatch.isPresent()
                && (existing == null
                        || !(ifMatch.get().strip().equals("*")
                                || ifMatch.get().strip().equals(existing.etag())))) {
            return FakeResponse.of(412);
        }
        if (cal.readOnly) {
            return FakeResponse.xml(403, HEAD + "<D:error xmlns:D=\"DAV:\"><D:need-privileges/></D:error>");
        }
        String ics = req.bodyString();
        String uid = prop(ics, "UID");
        if (!ics.contains("BEGIN:VCALENDAR") || uid == null) {
            return FakeResponse.xml(
                    403,
                    HEAD + "<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                            + "<C:valid-calendar-data/></D:error>");
        }
        for (Map.Entry<String, DavStore.Res> e : cal.resources.entrySet()) {
            if (!e.getKey().equals(name) && uid.equals(prop(e.getValue().ics(), "UID"))) {
                return FakeResponse.xml(
                        403,
                        HEAD + "<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                                + "<C:no-uid-conflict><D:href>/calendars/" + user + "/" + cal.name + "/"
                                + esc(e.getKey())
                                + "</D:href></C:no-uid-conflict></D:error>");
            }
        }
        String etag = store.nextEtag();
        cal.resources.put(name, new DavStore.Res(ics, etag));
        cal.changed(name, store.etagCounter);
        return FakeResponse.of(existing == null ? 201 : 204).withHeader("ETag", etag);
    }

    private FakeResponse delete(FakeRequest req, DavStore.Cal cal) {
        String name = req.pathParam("res");
        DavStore.Res existing = cal.resources.get(name);
        Optional<String> ifMatch = req.header("If-Match");
        if (existing == null) {
            return ifMatch.isPresent() ? FakeResponse.of(412) : FakeResponse.of(404);
        }
        if (ifMatch.isPresent()
                && !ifMatch.get().strip().equals("*")
                && !ifMatch.get().strip().equals(existing.etag())) {
            return FakeResponse.of(412);
        }
        cal.resources.remove(name);
        cal.changed(name, ++store.etagCounter);
        return FakeResponse.of(204);
    }

    /**
     * RFC 6638 free/busy: busy time from the recipients' events, occurrences of series included (masters
     * only with the {@link Builder#timeRangeIgnoresRecurrences} quirk).
     */
    private FakeResponse outbox(FakeRequest req) {
        String ics = req.bodyString();
        Instant start = utc(prop(ics, "DTSTART"));
        Instant end = utc(prop(ics, "DTEND"));
        StringBuilder sb = new StringBuilder(HEAD + "<C:schedule-response" + NS + ">");
        for (String line : unfold(ics)) {
            if (!line.toUpperCase(Locale.ROOT).startsWith("ATTENDEE")) {
                continue;
            }
            String addr = line.substring(line.indexOf(':') + 1).strip();
            String user =
                    addr.toLowerCase(Locale.ROOT).startsWith("mailto:") ? localPart(store, addr.substring(7)) : null;
            sb.append("<C:response><C:recipient><D:href>").append(esc(addr)).append("</D:href></C:recipient>");
            if (user == null || !store.ensureUser(user)) {
                sb.append("<C:request-status>3.7;Invalid calendar user</C:request-status></C:response>");
                continue;
            }
            StringBuilder fb =
                    new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fake//EN\r\nMETHOD:REPLY\r\n"
                            + "BEGIN:VFREEBUSY\r\nUID:" + UUID.randomUUID() + "\r\nDTSTAMP:20260101T000000Z\r\n");
            for (DavStore.Cal c : store.calendars.getOrDefault(user, Map.of()).values()) {
                for (DavStore.Res r : c.resources.values()) {
                    for (Instant[] se : busy(r.ics(), start, end)) {
                        fb.append("FREEBUSY;FBTYPE=BUSY:")
                                .append(fmt(se[0]))
                                .append('/')
                                .append(fmt(se[1]))
                                .append("\r\n");
                    }
                }
            }
            fb.append("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
            sb.append("<C:request-status>2.0;Success</C:request-status><C:calendar-data>")
                    .append(esc(fb.toString()))
                    .append("</C:calendar-data></C:response>");
        }
        sb.append("</C:schedule-response>");
        return FakeResponse.xml(200, sb.toString());
    }

    // ---------------------------------------------------------------- helpers

    private static int depth(FakeRequest req) {
        String d = req.header("Depth").orElse("0").strip();
        return d.equals("0") ? 0 : 1;
    }

    private static String ok(String props) {
        return "<D:propstat><D:prop>" + props + "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>";
    }

    private static String data(DavStore.Res r) {
        return ok(
                "<D:getetag>" + esc(r.etag()) + "</D:getetag><C:calendar-data>" + esc(r.ics()) + "</C:calendar-data>");
    }

    private static String response(String href, String propstats) {
        return "<D:response><D:href>" + esc(href) + "</D:href>" + propstats + "</D:response>";
    }

    private static FakeResponse multistatus(String responses) {
        return FakeResponse.xml(207, HEAD + "<D:multistatus" + NS + ">" + responses + "</D:multistatus>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Element parse(byte[] body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        return d.getDocumentElement();
    }

    private static List<Element> elements(Element root, String ns, String local) {
        List<Element> out = new ArrayList<>();
        NodeList nl = root.getElementsByTagNameNS(ns, local);
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> unfold(String ics) {
        List<String> out = new ArrayList<>();
        for (String line : ics.split("\r?\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + line.substring(1));
            } else if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    /** The value of the first property {@code name} of the first VEVENT (or of the text), or null. */
    static String prop(String ics, String name) {
        boolean inEvent = !ics.contains("BEGIN:VEVENT") && !ics.contains("BEGIN:VFREEBUSY");
        for (String line : unfold(ics)) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("BEGIN:VEVENT") || upper.startsWith("BEGIN:VFREEBUSY")) {
                inEvent = true;
                continue;
            }
            if (inEvent && (upper.startsWith(name + ":") || upper.startsWith(name + ";"))) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return null;
    }

    private static Instant[] span(String ics) {
        String s = prop(ics, "DTSTART");
        if (s == null) {
            return null;
        }
        Instant start = instant(ics, "DTSTART");
        String e = prop(ics, "DTEND");
        Instant end = e != null
                ? instant(ics, "DTEND")
                : s.length() == 8 ? start.plusSeconds(86400) : start.plusSeconds(3600);
        return new Instant[] {start, end};
    }

    /** A DTSTART/DTEND of the first VEVENT as an instant, honouring an IANA TZID (floating and dates as UTC). */
    private static Instant instant(String ics, String name) {
        String value = prop(ics, name);
        for (String line : unfold(ics)) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith(name + ";") && upper.contains("TZID=") && !value.endsWith("Z") && value.length() > 8) {
                String params = line.substring(name.length() + 1, line.indexOf(':'));
                for (String p : params.split(";")) {
                    if (p.toUpperCase(Locale.ROOT).startsWith("TZID=")) {
                        try {
                            java.time.ZoneId zone =
                                    java.time.ZoneId.of(p.substring(5).replace("\"", ""));
                            return LocalDateTime.parse(value, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
                                    .atZone(zone)
                                    .toInstant();
                        } catch (java.time.DateTimeException ignored) {
                            break; // not an IANA zone: read as UTC, this server is naive
                        }
                    }
                }
                break;
            }
        }
        return utc(value);
    }

    private static final Instant FAR_PAST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant bound(String attr, Instant missing) {
        return attr == null || attr.isBlank() ? missing : utc(attr);
    }

    /**
     * The RFC 4791 §9.9 time-range test of a calendar object resource: whether any occurrence of its
     * series (RRULE, RDATE, EXDATE and overrides expanded; floating and all-day times read as UTC)
     * overlaps {@code [from, to)}. With the quirk set, only the master's own DTSTART/DTEND count.
     */
    private boolean overlaps(String ics, Instant from, Instant to) {
        if (store.timeRangeIgnoresRecurrences) {
            return naiveOverlap(ics, from, to);
        }
        List<org.calsdk.model.Event> events;
        try {
            events = org.calsdk.ical.ICalendar.parse(ics);
        } catch (RuntimeException e) {
            return naiveOverlap(ics, from, to);
        }
        try (java.util.stream.Stream<org.calsdk.ical.Occurrence> s = org.calsdk.ical.Recurrences.expandAll(
                events, org.calsdk.model.TimeWindow.of(from, to), ZoneOffset.UTC)) {
            return s.findAny().isPresent();
        } catch (RuntimeException e) {
            return naiveOverlap(ics, from, to);
        }
    }

    /** Busy intervals of a resource inside {@code [from, to)}. */
    private List<Instant[]> busy(String ics, Instant from, Instant to) {
        List<Instant[]> out = new ArrayList<>();
        if (!store.timeRangeIgnoresRecurrences && from.isBefore(to)) {
            try {
                for (org.calsdk.model.BusyInterval b : org.calsdk.ical.Recurrences.busy(
                        org.calsdk.ical.ICalendar.parse(ics),
                        org.calsdk.model.TimeWindow.of(from, to),
                        ZoneOffset.UTC)) {
                    out.add(new Instant[] {b.start(), b.end()});
                }
                return out;
            } catch (RuntimeException e) {
                out.clear(); // unreadable data: fall back to the master's own span
            }
        }
        Instant[] se = span(ics);
        if (se != null && se[0].isBefore(to) && se[1].isAfter(from)) {
            out.add(se);
        }
        return out;
    }

    /** The user name of an address or user name of this server's domain, or null when it is not one. */
    private static String localPart(DavStore s, String name) {
        String n = name.strip();
        int at = n.indexOf('@');
        if (at >= 0) {
            if (!n.substring(at + 1).equalsIgnoreCase(s.domain)) {
                return null;
            }
            n = n.substring(0, at);
        }
        return DavStore.validUserName(n) ? n : null;
    }

    private static boolean naiveOverlap(String ics, Instant from, Instant to) {
        Instant[] se = span(ics);
        return se == null || (se[0].isBefore(to) && se[1].isAfter(from));
    }

    /** Reads DATE, floating or UTC DATE-TIME values as UTC (zones are ignored: this server is naive). */
    static Instant utc(String v) {
        String s = v.strip();
        if (s.length() == 8) {
            return LocalDate.parse(s, DateTimeFormatter.BASIC_ISO_DATE)
                    .atStartOfDay()
                    .toInstant(ZoneOffset.UTC);
        }
        if (s.endsWith("Z")) {
            s = s.substring(0, s.length() - 1);
        }
        return LocalDateTime.parse(s, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
                .toInstant(ZoneOffset.UTC);
    }

    private static String fmt(Instant t) {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(t);
    }

    /** Configures a {@link FakeCalDavServer}. */
    public static final class Builder {
        private final DavStore store = new DavStore();
        private boolean partitioned;
        private int port;

        private Builder() {}

        /**
         * Adds a user.
         *
         * @param name the user name (the part before {@code @})
         * @param password the password, in Basic or Digest
         * @return this builder
         */
        public Builder user(String name, String password) {
            store.passwords.put(
                    Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(password, "password == null"));
            store.calendars.putIfAbsent(name, new LinkedHashMap<>());
            return this;
        }

        /**
         * Adds a calendar {@code /calendars/USER/NAME/}.
         *
         * @param user the owner's user name
         * @param name the calendar's path segment
         * @param displayName its display name
         * @return this builder
         */
        public Builder calendar(String user, String name, String displayName) {
            return calendar(user, name, displayName, null, false);
        }

        /**
         * Adds a calendar with a colour and read-only flag.
         *
         * @param user the owner's user name
         * @param name the calendar's path segment
         * @param displayName its display name
         * @param color its colour, such as {@code #3366ffff}, or null
         * @param readOnly true when the owner may not write
         * @return this builder
         */
        public Builder calendar(String user, String name, String displayName, String color, boolean readOnly) {
            DavStore.Cal c = new DavStore.Cal(name, displayName);
            c.color = color;
            c.readOnly = readOnly;
            store.calendars.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(name, c);
            return this;
        }

        /**
         * iCloud-style: a front host for discovery that redirects the principal to a second host (default off).
         *
         * @param partitioned true for two hosts
         * @return this builder
         */
        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        /**
         * The port of the client-facing host (default 0: a free port).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("port", "port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The mail domain of users' addresses (default {@code example.com}).
         *
         * @param domain the domain
         * @return this builder
         */
        public Builder domain(String domain) {
            if (domain == null || !domain.matches("[A-Za-z0-9.-]+")) {
                throw new InvalidInputException("domain", "not a mail domain: " + domain);
            }
            store.domain = domain.toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Open mode (default off): every {@code USER@domain} exists, with an empty calendar {@code primary}
         * created on first use, and any password (or, for their own resources, any bearer token) is accepted
         * for a user added without a password.
         *
         * @param open true for open mode
         * @return this builder
         */
        public Builder openDomain(boolean open) {
            store.open = open;
            return this;
        }

        /**
         * Quirk (default off): the calendar-query time-range filter and the outbox look at each resource's
         * master DTSTART/DTEND only and miss later occurrences of a series, as some servers do.
         *
         * @param quirk true to imitate such servers
         * @return this builder
         */
        public Builder timeRangeIgnoresRecurrences(boolean quirk) {
            store.timeRangeIgnoresRecurrences = quirk;
            return this;
        }

        /**
         * Digest-only authentication (default Basic).
         *
         * @param digest true for Digest only
         * @return this builder
         */
        public Builder digest(boolean digest) {
            store.digest = digest;
            return this;
        }

        /**
         * Whether sync-collection is supported (default true).
         *
         * @param supported false to leave it out
         * @return this builder
         */
        public Builder syncCollection(boolean supported) {
            store.syncCollection = supported;
            return this;
        }

        /**
         * Whether principals have a scheduling outbox (default true).
         *
         * @param outbox false to leave it out
         * @return this builder
         */
        public Builder outbox(boolean outbox) {
            store.outbox = outbox;
            return this;
        }

        /**
         * Builds the server; it does not listen until {@link FakeCalDavServer#start()}.
         *
         * @return the server, not started
         */
        public FakeCalDavServer build() {
            return new FakeCalDavServer(this);
        }
    }
}
