package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Dns;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.SyncCursor;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.google.GoogleProvider;
import org.calsdk.graph.GraphProvider;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Promise: no way into the host's network, for the two OAuth providers (Google, Microsoft Graph), on the
 * URLs that are not the base URL: the token endpoints a user configures, and the links a server hands out.
 *
 * <ul>
 *   <li>A token URL (Google's {@code tokenUrl} setting or a grant's {@code tokenEndpoint}; Graph's
 *       {@code authorityUrl} for client secrets and refresh-token grants) on loopback, private, link-local
 *       or metadata addresses, in every spelling, is refused with {@link PermissionDeniedException} before a
 *       byte reaches it, unless the connection says {@code allowPrivateNetwork=true}.
 *   <li>A server on 127.0.0.1 (allowed on purpose, as a hostile API host) hands out links to other hosts:
 *       3xx {@code Location}, Graph's {@code @odata.nextLink} and {@code @odata.deltaLink}, and 3xx answers
 *       inside Google's and Graph's batch responses. None is followed: a second server ("elsewhere", the
 *       same loopback address on another port, which every loopback spelling below reaches) sees no request.
 * </ul>
 */
class HostileLinksTest {
    private static final String TOKEN = "links-token-" + Long.toHexString(System.nanoTime());
    private static final String REFRESH = "links-refresh-" + Long.toHexString(System.nanoTime());
    private static final String CLIENT_SECRET = "links-client-secret-" + Long.toHexString(System.nanoTime());
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final CalendarRef CAL = CalendarRef.primary(ALICE);

    private final MockWebServer origin = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        elsewhere.setDispatcher(answer(r -> new MockResponse().setResponseCode(404)));
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        origin.shutdown();
        elsewhere.shutdown();
    }

    private static Dispatcher answer(Function<RecordedRequest, MockResponse> f) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return f.apply(request);
            }
        };
    }

    /** Names under .evil.example and .good.example resolve where the test says. */
    private static Dns dns() {
        return host -> switch (host) {
            case "loopback.evil.example" -> List.of(InetAddress.getByName("127.0.0.1"));
            case "private.evil.example" -> List.of(InetAddress.getByName("10.1.2.3"));
            case "metadata.evil.example" -> List.of(InetAddress.getByName("169.254.169.254"));
            // the API host of the token URL cases: public, so only the token URL is in question (never reached)
            case "api.good.example" -> List.of(InetAddress.getByName("93.184.215.14"));
            default -> {
                if (host.endsWith(".evil.example")) {
                    throw new UnknownHostException(host);
                }
                yield Dns.SYSTEM.lookup(host);
            }
        };
    }

    /** Hosts that reach the "elsewhere" server when followed, and private, link-local and metadata ones. */
    private List<String> hostileRoots() {
        int q = elsewhere.getPort();
        return List.of(
                "http://127.0.0.1:" + q + "/",
                "http://localhost:" + q + "/",
                "http://[::1]:" + q + "/",
                "http://0x7f000001:" + q + "/",
                "http://2130706433:" + q + "/",
                "http://0177.0.0.1:" + q + "/",
                "http://127.1:" + q + "/",
                "http://[::ffff:127.0.0.1]:" + q + "/",
                "http://loopback.evil.example:" + q + "/",
                "http://10.0.0.1:" + q + "/",
                "http://192.168.0.1:" + q + "/",
                "http://172.16.0.1:" + q + "/",
                "http://[fd00::1]:" + q + "/",
                "http://private.evil.example:" + q + "/",
                "http://169.254.169.254/",
                "http://[fe80::1]/",
                "http://metadata.evil.example/",
                "http://0xa9fea9fe/");
    }

    /**
     * Whether the URL names loopback literally ({@code OriginPolicy.namesLoopback}): 127.0.0.1, ::1, localhost,
     * and {@code [::ffff:127.0.0.1]}, which OkHttp's {@code HttpUrl} writes as 127.0.0.1.
     */
    private static boolean namesLoopbackLiterally(String root) {
        return root.startsWith("http://127.0.0.1:")
                || root.startsWith("http://localhost:")
                || root.startsWith("http://[::1]:")
                || root.startsWith("http://[::ffff:127.0.0.1]:");
    }

    private static AccessTokenSource fixed() {
        AccessToken t = new AccessToken(Secret.of(TOKEN), null);
        return AccessTokenSource.fixed(t);
    }

    private static ConnectionConfig.Builder withAllow(ConnectionConfig.Builder b, String allow) {
        return allow == null ? b : b.setting("allowPrivateNetwork", allow);
    }

    /** Runs {@code body}; "answered", or the simple name of the typed error it ended in and its message. */
    private static String outcome(ThrowingRunnable body) {
        return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            try {
                body.run();
                return "answered";
            } catch (CalendarException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- token URLs ----------------------------------------------------------------------------------

    private static CalendarConnection google(ConnectionConfig config) {
        return GoogleProvider.builder()
                .retryPolicy(RetryPolicy.none())
                .dns(dns())
                .build()
                .connect(config);
    }

    private static CalendarConnection graph(ConnectionConfig config) {
        return GraphProvider.builder()
                .retryPolicy(RetryPolicy.none())
                .dns(dns())
                .timeout(Duration.ofSeconds(3))
                .build()
                .connect(config);
    }

    /** The ways a user can hand each provider a token URL; each needs a token before its first call. */
    private List<String> tokenUrlKinds() {
        return List.of(
                "google tokenUrl setting",
                "google grant tokenEndpoint",
                "graph authorityUrl + client secret",
                "graph authorityUrl + refresh grant",
                "graph grant tokenEndpoint");
    }

    private static CalendarConnection connectWithTokenUrl(String kind, String root, String allow) {
        return switch (kind) {
            case "google tokenUrl setting" ->
                google(withAllow(ConnectionConfig.builder("google"), allow)
                        .setting("baseUrl", "https://api.good.example/")
                        .setting("tokenUrl", root + "token")
                        .setting("mailbox", ALICE.email())
                        .credentials(new RefreshTokenCredentials(
                                "client", Secret.of(CLIENT_SECRET), Secret.of(REFRESH), null, ALICE))
                        .build());
            case "google grant tokenEndpoint" ->
                google(withAllow(ConnectionConfig.builder("google"), allow)
                        .setting("baseUrl", "https://api.good.example/")
                        .setting("mailbox", ALICE.email())
                        .credentials(new RefreshTokenCredentials(
                                "client", Secret.of(CLIENT_SECRET), Secret.of(REFRESH), root + "token", ALICE))
                        .build());
            case "graph authorityUrl + client secret" ->
                graph(withAllow(ConnectionConfig.builder("graph"), allow)
                        .setting("baseUrl", "https://api.good.example/v1.0")
                        .setting("authorityUrl", root)
                        .setting("tenantId", "contoso")
                        .setting("clientId", "client")
                        .setting("clientSecret", CLIENT_SECRET)
                        .setting("mailbox", ALICE.email())
                        .build());
            case "graph authorityUrl + refresh grant" ->
                graph(withAllow(ConnectionConfig.builder("graph"), allow)
                        .setting("baseUrl", "https://api.good.example/v1.0")
                        .setting("authorityUrl", root)
                        .setting("mailbox", ALICE.email())
                        .credentials(new RefreshTokenCredentials(
                                "client", Secret.of(CLIENT_SECRET), Secret.of(REFRESH), null, ALICE))
                        .build());
            case "graph grant tokenEndpoint" ->
                graph(withAllow(ConnectionConfig.builder("graph"), allow)
                        .setting("baseUrl", "https://api.good.example/v1.0")
                        .setting("mailbox", ALICE.email())
                        .credentials(new RefreshTokenCredentials(
                                "client", Secret.of(CLIENT_SECRET), Secret.of(REFRESH), root + "token", ALICE))
                        .build());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private String tokenUrlOutcome(String kind, String root, String allow) {
        return outcome(() -> {
            try (CalendarConnection c = connectWithTokenUrl(kind, root, allow)) {
                c.reader().list(EventQuery.of(CAL, SoakRun.WINDOW));
            }
        });
    }

    @Test
    void tokenUrlsIntoThePrivateNetworkAreRefusedUnlessAllowed() throws Exception {
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (String kind : tokenUrlKinds()) {
            for (String root : hostileRoots()) {
                // explicitly refused, and by default; the one default exception: Graph lets a token URL that names
                // loopback literally allow itself (a local fake), as it does for its base URL
                for (String allow : new String[] {"false", null}) {
                    if (allow == null && kind.startsWith("graph") && namesLoopbackLiterally(root)) {
                        continue;
                    }
                    tried++;
                    int before = elsewhere.getRequestCount();
                    String got = tokenUrlOutcome(kind, root, allow);
                    if (!got.startsWith("PermissionDeniedException") || elsewhere.getRequestCount() > before) {
                        failures.add(kind + " " + root + " allowPrivateNetwork=" + allow + " -> " + got + ", "
                                + (elsewhere.getRequestCount() - before) + " requests arrived");
                    }
                }
            }
        }
        // allowed explicitly, the loopback token endpoint is reached (so the check above could see a request), and
        // the metadata address stays refused whatever the setting
        List<String> reachedWhenAllowed = new ArrayList<>();
        for (String kind : tokenUrlKinds()) {
            int before = elsewhere.getRequestCount();
            tokenUrlOutcome(kind, "http://loopback.evil.example:" + elsewhere.getPort() + "/", "true");
            if (elsewhere.getRequestCount() > before) {
                reachedWhenAllowed.add(kind);
            }
            String metadata = tokenUrlOutcome(kind, "http://169.254.169.254/", "true");
            if (!metadata.startsWith("PermissionDeniedException")) {
                failures.add(kind + " http://169.254.169.254/ allowPrivateNetwork=true -> " + metadata);
            }
        }
        Figures.record(
                "ssrf",
                "token URLs (google tokenUrl, google grant tokenEndpoint, graph authorityUrl with a client secret and "
                        + "a refresh grant, graph grant tokenEndpoint): " + tried + " hostile token URLs tried, "
                        + (tried - failures.size()) + " refused with PermissionDeniedException before any byte was sent"
                        + (failures.isEmpty() ? "" : "; NOT REFUSED: " + failures)
                        + "; with allowPrivateNetwork=true the loopback endpoint was reached by "
                        + reachedWhenAllowed.size() + " of " + tokenUrlKinds().size());
        assertThat(failures).as("token URLs that were not refused").isEmpty();
        assertThat(reachedWhenAllowed)
                .as("allowPrivateNetwork=true lets the token request through")
                .hasSize(5);
    }

    // ---- links the server hands out --------------------------------------------------------------------

    private CalendarConnection googleAtOrigin() {
        return google(ConnectionConfig.builder("google")
                .setting("baseUrl", "http://127.0.0.1:" + origin.getPort() + "/")
                .setting("allowPrivateNetwork", "true")
                .setting("mailbox", ALICE.email())
                .credentials(new TokenCredentials(fixed()))
                .build());
    }

    private CalendarConnection graphAtOrigin() {
        return graph(ConnectionConfig.builder("graph")
                .setting("baseUrl", "http://127.0.0.1:" + origin.getPort() + "/v1.0")
                .setting("allowPrivateNetwork", "true")
                .setting("accessToken", TOKEN)
                .setting("mailbox", ALICE.email())
                .build());
    }

    private static MockResponse redirect(int status, String location) {
        return new MockResponse().setResponseCode(status).setHeader("Location", location);
    }

    private static final Pattern GOOGLE_PART = Pattern.compile("Content-ID: <item(\\d+)>");
    private static final Pattern GRAPH_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** A Google batch answer whose every part is {@code status} with {@code Location: location}. */
    private static MockResponse googleBatch(RecordedRequest r, int status, String location) {
        String boundary = "batch_hostile";
        StringBuilder sb = new StringBuilder();
        Matcher m = GOOGLE_PART.matcher(r.getBody().clone().readUtf8());
        while (m.find()) {
            sb.append("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Type: application/http\r\n")
                    .append("Content-ID: <response-item")
                    .append(m.group(1))
                    .append(">\r\n\r\n")
                    .append("HTTP/1.1 ")
                    .append(status)
                    .append(" Moved\r\n")
                    .append("Location: ")
                    .append(location)
                    .append("\r\n")
                    .append("Content-Length: 0\r\n\r\n\r\n");
        }
        sb.append("--").append(boundary).append("--\r\n");
        return new MockResponse()
                .setHeader("Content-Type", "multipart/mixed; boundary=" + boundary)
                .setBody(sb.toString());
    }

    /** A Graph $batch answer whose every response is {@code status} with a {@code Location} header. */
    private static MockResponse graphBatch(RecordedRequest r, int status, String location) {
        List<String> parts = new ArrayList<>();
        Matcher m = GRAPH_ID.matcher(r.getBody().clone().readUtf8());
        while (m.find()) {
            parts.add("{\"id\":\"" + m.group(1) + "\",\"status\":" + status + ",\"headers\":{\"Location\":\"" + location
                    + "\"},\"body\":{}}");
        }
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"responses\":[" + String.join(",", parts) + "]}");
    }

    private static final TimeWindow GOOGLE_FB =
            TimeWindow.of(Instant.parse("2026-01-05T00:00:00Z"), Instant.parse("2026-01-20T00:00:00Z"));
    /** Over Graph's 62-day getSchedule limit, so the call is split and the pieces travel in a $batch. */
    private static final TimeWindow GRAPH_FB =
            TimeWindow.of(Instant.parse("2026-01-05T00:00:00Z"), Instant.parse("2026-04-20T00:00:00Z"));

    private static final List<Mailbox> PEOPLE =
            List.of(ALICE, Mailbox.of("bob@example.com"), Mailbox.of("carol@example.com"));

    @Test
    void linksAServerHandsOutAreNeverFollowed() throws Exception {
        List<String> followed = new ArrayList<>();
        int tried = 0;
        for (String root : hostileRoots()) {
            String link = root + "v1.0/users/alice@example.com/calendar/calendarView?$skiptoken=x";
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                // every call answered with a redirect to the hostile host
                origin.setDispatcher(answer(r -> redirect(status, link)));
                tried += 2;
                check(followed, "google " + status + " " + root, outcome(() -> {
                    try (CalendarConnection c = googleAtOrigin()) {
                        c.reader().list(EventQuery.of(CAL, SoakRun.WINDOW));
                    }
                }));
                check(followed, "graph " + status + " " + root, outcome(() -> {
                    try (CalendarConnection c = graphAtOrigin()) {
                        c.reader().list(EventQuery.of(CAL, SoakRun.WINDOW));
                    }
                }));
            }
            // Graph pages: @odata.nextLink on a calendarView page, and on a delta page; @odata.deltaLink
            for (String field : List.of("@odata.nextLink", "@odata.deltaLink")) {
                origin.setDispatcher(answer(r -> new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"value\":[],\"" + field + "\":\"" + link + "\"}")));
                tried += 2;
                if (field.equals("@odata.nextLink")) {
                    check(followed, "graph calendarView " + field + " " + root, outcome(() -> {
                        try (CalendarConnection c = graphAtOrigin()) {
                            c.reader().list(EventQuery.of(CAL, SoakRun.WINDOW));
                        }
                    }));
                } else {
                    tried--;
                }
                check(followed, "graph delta " + field + " " + root, outcome(() -> {
                    try (CalendarConnection c = graphAtOrigin()) {
                        c.changes().changes(CAL, SyncCursor.START);
                        // a delta link under the base would be followed on the next read; this one is not
                        c.changes().changes(CAL, SyncCursor.START);
                    }
                }));
            }
            // batches: every part answered with a redirect to the hostile host
            for (int status : new int[] {302, 307}) {
                origin.setDispatcher(answer(r ->
                        r.getPath().startsWith("/batch/") ? googleBatch(r, status, link) : redirect(status, link)));
                tried++;
                check(followed, "google batch part " + status + " " + root, outcome(() -> {
                    try (CalendarConnection c = googleAtOrigin()) {
                        freeBusyOrThrow(c, GOOGLE_FB);
                    }
                }));
                origin.setDispatcher(answer(
                        r -> r.getPath().contains("$batch") ? graphBatch(r, status, link) : redirect(status, link)));
                tried++;
                check(followed, "graph $batch response " + status + " " + root, outcome(() -> {
                    try (CalendarConnection c = graphAtOrigin()) {
                        freeBusyOrThrow(c, GRAPH_FB);
                    }
                }));
            }
        }
        List<String> leaked = new ArrayList<>();
        for (int i = elsewhere.getRequestCount(); i > 0; i--) {
            RecordedRequest r = elsewhere.takeRequest(0, TimeUnit.SECONDS);
            if (r != null) {
                leaked.add(r.getRequestLine() + (r.getHeader("Authorization") != null ? " +auth" : ""));
            }
        }
        Figures.record(
                "ssrf",
                "google and graph, links the server hands out (3xx Location 301/302/303/307/308, @odata.nextLink, "
                        + "@odata.deltaLink, 3xx parts of Google batch and Graph $batch answers) to "
                        + hostileRoots().size() + " hostile hosts: " + tried + " tried, " + (tried - followed.size())
                        + " ended in a typed error, " + origin.getRequestCount() + " requests to the origin, "
                        + leaked.size() + " requests elsewhere" + (leaked.isEmpty() ? "" : " " + leaked)
                        + (followed.isEmpty() ? "" : "; NOT REFUSED: " + followed));
        assertThat(origin.getRequestCount()).as("the hostile origin was asked").isPositive();
        assertThat(leaked).as("requests that reached another host").isEmpty();
        assertThat(followed).as("links that did not end in a typed error").isEmpty();
    }

    private static void freeBusyOrThrow(CalendarConnection c, TimeWindow window) {
        FreeBusyResult r = c.freeBusy().query(FreeBusyRequest.of(PEOPLE, window));
        for (FreeBusy fb : r.results()) {
            if (!fb.ok()) {
                throw fb.error();
            }
        }
    }

    private void check(List<String> followed, String what, String outcome) {
        if (outcome.equals("answered")) {
            followed.add(what);
        }
    }
}
