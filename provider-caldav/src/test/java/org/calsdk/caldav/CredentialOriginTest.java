package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.Dns;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventQuery;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.OperationTimeoutException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §2 and §4 as a hostile server plays them, on real sockets: MockWebServers on 127.0.0.1, two
 * ports being two origins, and names ({@code caldav.good.test}, {@code caldav.evil.test}) mapped to
 * 127.0.0.1 by the provider's DNS so that "another host" is a real other origin on the same socket. Every
 * request is recorded with its {@code Host} and {@code Authorization}; the assertion is always that the
 * other origin received nothing, so no credentials.
 */
class CredentialOriginTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final String NS = " xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer otherPort = new MockWebServer();
    private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private volatile Function<RecordedRequest, MockResponse> routes = r -> new MockResponse().setResponseCode(404);

    @BeforeEach
    void start() throws IOException {
        Dispatcher d = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                seen.add(request);
                return routes.apply(request);
            }
        };
        server.setDispatcher(d);
        otherPort.setDispatcher(d);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        otherPort.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        server.shutdown();
        otherPort.shutdown();
    }

    /** Resolves the test names: {@code *.good.test} and {@code *.evil.test} to 127.0.0.1, {@code *.public.test} to a public address. */
    private static final Dns NAMES = host -> {
        if (host.endsWith(".good.test") || host.endsWith(".evil.test")) {
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        if (host.endsWith(".public.test")) {
            return List.of(InetAddress.getByAddress(host, new byte[] {(byte) 203, 0, 113, 7}));
        }
        throw new UnknownHostException(host);
    };

    private String good() {
        return "http://caldav.good.test:" + server.getPort();
    }

    private String evil() {
        return "http://caldav.evil.test:" + server.getPort();
    }

    private CalendarConnection connect(String url, boolean credentials, Map<String, String> settings) {
        CalDavProvider provider = CalDavProvider.builder()
                .dns(NAMES)
                .retryPolicy(RetryPolicy.none())
                .build();
        ConnectionConfig.Builder cfg = ConnectionConfig.builder("caldav")
                .setting("url", url)
                .setting("mailbox", ALICE.toString())
                .setting("srv", "false")
                .setting("allowPrivateNetwork", "true")
                .settings(settings);
        if (credentials) {
            cfg.credentials(PasswordCredentials.of("alice", Secret.of("alice-pw")));
        }
        CalendarConnection c = provider.connect(cfg.build());
        open.add(c);
        return c;
    }

    private CalendarConnection connect(String url) {
        return connect(url, true, Map.of());
    }

    private static MockResponse multistatus(String responses) {
        return new MockResponse()
                .setResponseCode(207)
                .setHeader("Content-Type", "application/xml; charset=utf-8")
                .setBody("<?xml version=\"1.0\"?><D:multistatus" + NS + ">" + responses + "</D:multistatus>");
    }

    private static String response(String href, String props) {
        return "<D:response><D:href>" + href + "</D:href><D:propstat><D:prop>" + props
                + "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";
    }

    private static String hrefProp(String ns, String name, String href) {
        return "<" + ns + ":" + name + "><D:href>" + href + "</D:href></" + ns + ":" + name + ">";
    }

    private static MockResponse redirect(String location) {
        return new MockResponse().setResponseCode(302).setHeader("Location", location);
    }

    private List<RecordedRequest> to(String hostPrefix) {
        return seen.stream()
                .filter(r -> r.getHeader("Host").startsWith(hostPrefix))
                .toList();
    }

    private List<RecordedRequest> withCredentials() {
        return seen.stream().filter(r -> r.getHeader("Authorization") != null).toList();
    }

    /** Issue 10 §2, first attack: the principal named on another host got the next PROPFINDs with Basic. */
    @Test
    void aCurrentUserPrincipalOnAnotherHostNeverGetsTheCredentials() {
        routes = r -> r.getHeader("Host").startsWith("caldav.evil.test")
                ? multistatus(response("/p/", hrefProp("C", "calendar-home-set", "/calendars/alice/")))
                : multistatus(response("/", hrefProp("D", "current-user-principal", evil() + "/principals/alice/")));
        CalendarConnection c = connect(good() + "/");

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("current-user-principal")
                .hasMessageContaining("caldav.evil.test")
                .hasMessageContaining("outside the configured origin");
        assertThat(to("caldav.evil.test")).isEmpty();
        assertThat(seen).isNotEmpty().allMatch(r -> r.getHeader("Host").startsWith("caldav.good.test"));
    }

    /** Issue 10 §2: a redirect to another host; following it without credentials led to the attack above. */
    @Test
    void aRedirectToAnotherHostIsNotFollowedWithCredentials() {
        routes = r -> r.getHeader("Host").startsWith("caldav.evil.test")
                ? multistatus(response("/", hrefProp("D", "current-user-principal", "/principals/alice/")))
                : redirect(evil() + "/");
        CalendarConnection c = connect(good() + "/");

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("redirected")
                .hasMessageContaining("caldav.evil.test");
        assertThat(to("caldav.evil.test")).isEmpty();
    }

    /** Issue 10 §2: a calendar-home-set href on another host received the credentials. */
    @Test
    void aCalendarHomeSetOnAnotherHostNeverGetsTheCredentials() {
        routes = r -> {
            if (r.getHeader("Host").startsWith("caldav.evil.test")) {
                return multistatus("");
            }
            return r.getPath().startsWith("/principals/")
                    ? multistatus(response(
                            "/principals/alice/", hrefProp("C", "calendar-home-set", evil() + "/calendars/alice/")))
                    : multistatus(response("/", hrefProp("D", "current-user-principal", "/principals/alice/")));
        };
        CalendarConnection c = connect(good() + "/");

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("calendar-home-set");
        assertThat(to("caldav.evil.test")).isEmpty();
    }

    /** Issue 10 §2: a redirect to another port on the same host carried the credentials. */
    @Test
    void aRedirectToAnotherPortOfTheSameHostIsNotFollowedWithCredentials() {
        String other = "http://127.0.0.1:" + otherPort.getPort();
        routes = r -> r.getHeader("Host").endsWith(":" + otherPort.getPort())
                ? multistatus(response("/", hrefProp("D", "current-user-principal", "/principals/alice/")))
                : redirect(other + "/dav/");
        CalendarConnection c = connect("http://127.0.0.1:" + server.getPort() + "/");

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining(":" + otherPort.getPort());
        assertThat(otherPort.getRequestCount()).isZero();
        assertThat(server.getRequestCount()).isPositive();
    }

    /** A calendar the home set lists on another host cannot be read: its id leaves the account's origin. */
    @Test
    void aCalendarListedOnAnotherHostIsNeverRequested() {
        routes = r -> {
            if (r.getHeader("Host").startsWith("caldav.evil.test")) {
                return multistatus("");
            }
            if (r.getPath().startsWith("/calendars/")) {
                return multistatus(response("/calendars/alice/", "<D:resourcetype><D:collection/></D:resourcetype>")
                        + response(
                                evil() + "/calendars/alice/work/",
                                "<D:resourcetype><D:collection/>"
                                        + "<C:calendar/></D:resourcetype><D:displayname>Work</D:displayname>"
                                        + "<C:supported-calendar-component-set><C:comp name=\"VEVENT\"/>"
                                        + "</C:supported-calendar-component-set>"));
            }
            return r.getPath().startsWith("/principals/")
                    ? multistatus(
                            response("/principals/alice/", hrefProp("C", "calendar-home-set", "/calendars/alice/")))
                    : multistatus(response("/", hrefProp("D", "current-user-principal", "/principals/alice/")));
        };
        CalendarConnection c = connect(good() + "/");
        List<CalendarInfo> calendars = c.reader().calendars(ALICE);
        assertThat(calendars).isNotEmpty();
        CalendarRef foreign = calendars.stream()
                .filter(i -> i.ref().id().contains("evil"))
                .findFirst()
                .orElseThrow()
                .ref();
        TimeWindow week = TimeWindow.of(
                java.time.Instant.parse("2026-03-02T00:00:00Z"), java.time.Instant.parse("2026-03-09T00:00:00Z"));

        assertThatThrownBy(() -> c.reader().list(EventQuery.of(foreign, week)))
                .isInstanceOfAny(InvalidInputException.class, PermissionDeniedException.class);
        assertThat(to("caldav.evil.test")).isEmpty();
    }

    /**
     * Issue 10 §2, sync and multiget hrefs: a sync-collection answer naming an event on another host. The
     * href travels only inside the multiget sent to the calendar's own origin; writing to that event is
     * refused, and the other host never sees a request.
     */
    @Test
    void syncAndMultigetHrefsOnAnotherHostAreNeverFollowed() {
        String foreign = evil() + "/calendars/alice/work/e1.ics";
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
                + "DTSTAMP:20260101T000000Z\r\nDTSTART:20260302T100000Z\r\nDTEND:20260302T110000Z\r\n"
                + "SUMMARY:planted\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        routes = r -> {
            if (r.getHeader("Host").startsWith("caldav.evil.test")) {
                return new MockResponse().setResponseCode(204);
            }
            String body = r.getBody().clone().readUtf8();
            if (r.getMethod().equals("REPORT") && body.contains("sync-collection")) {
                return multistatus(response(foreign, "<D:getetag>\"1\"</D:getetag>")
                        + "<D:sync-token>http://sync/1</D:sync-token>");
            }
            if (r.getMethod().equals("REPORT") && body.contains("calendar-multiget")) {
                return multistatus(response(
                        foreign, "<D:getetag>\"1\"</D:getetag><C:calendar-data>" + ics + "</C:calendar-data>"));
            }
            return r.getPath().startsWith("/principals/")
                    ? multistatus(
                            response("/principals/alice/", hrefProp("C", "calendar-home-set", "/calendars/alice/")))
                    : multistatus(response("/", hrefProp("D", "current-user-principal", "/principals/alice/")));
        };
        CalendarConnection c = connect(good() + "/");
        CalendarRef work = CalendarRef.of(ALICE, "/calendars/alice/work/");

        org.calsdk.api.ChangeBatch batch = c.changes().changes(work, org.calsdk.api.SyncCursor.START);
        assertThat(batch).isInstanceOf(org.calsdk.api.ChangeBatch.Changes.class);
        String id = ((org.calsdk.api.EventChange.Upserted)
                        ((org.calsdk.api.ChangeBatch.Changes) batch).changes().get(0))
                .event()
                .id()
                .orElseThrow();
        assertThat(id).contains("caldav.evil.test");
        assertThatThrownBy(() -> c.writer().delete(work, id, null))
                .isInstanceOfAny(InvalidInputException.class, PermissionDeniedException.class);
        assertThatThrownBy(() -> c.reader().get(work, id))
                .isInstanceOfAny(InvalidInputException.class, PermissionDeniedException.class);
        assertThat(to("caldav.evil.test")).isEmpty();
        assertThat(withCredentials())
                .isNotEmpty()
                .allMatch(r -> r.getHeader("Host").startsWith("caldav.good.test"));
    }

    /** Issue 10 §2: allowPrivateNetwork also allowed Basic credentials in cleartext to public hosts. */
    @Test
    void cleartextCredentialsToAPublicHostAreRefusedEvenWithAllowPrivateNetwork() {
        CalendarConnection c = connect("http://caldav.public.test:" + server.getPort() + "/");

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("plain HTTP");
        assertThat(seen).isEmpty();
    }

    /** Issue 10 §2: allowPrivateNetwork also allowed redirects to 169.254.169.254. */
    @Test
    void redirectsToTheMetadataServiceAreRefusedEvenWithAllowPrivateNetwork() {
        for (String target : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:169.254.169.254]/",
                "http://2852039166/",
                "http://0xa9fea9fe/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://[fd00:ec2::254]/")) {
            routes = r -> redirect(target);
            for (boolean credentials : List.of(true, false)) {
                CalendarConnection c = connect(good() + "/", credentials, Map.of());
                assertThatThrownBy(() -> c.reader().calendars(ALICE))
                        .as(target + " credentials=" + credentials)
                        .isInstanceOf(PermissionDeniedException.class);
            }
        }
    }

    /** Issue 10 §2: a home-set href at the metadata address received the credentials. */
    @Test
    void aHomeSetAtTheMetadataAddressIsRefused() {
        routes = r -> r.getPath().startsWith("/principals/")
                ? multistatus(response(
                        "/principals/alice/",
                        hrefProp("C", "calendar-home-set", "http://169.254.169.254/latest/meta-data/")))
                : multistatus(response("/", hrefProp("D", "current-user-principal", "/principals/alice/")));
        for (boolean credentials : List.of(true, false)) {
            CalendarConnection c = connect(good() + "/", credentials, Map.of());
            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .as("credentials=" + credentials)
                    .isInstanceOf(PermissionDeniedException.class);
        }
        assertThat(withCredentials()).allMatch(r -> r.getHeader("Host").startsWith("caldav.good.test"));
    }

    /** Issue 10 §4: a server that accepts the connection and never answers held a call for 242 s. */
    @Test
    void aServerThatNeverAnswersEndsAtTheConfiguredTimeoutAsATimeout() {
        routes = r -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        CalDavProvider provider = CalDavProvider.builder().dns(NAMES).build(); // default: 4 attempts
        CalendarConnection c = provider.connect(ConnectionConfig.builder("caldav")
                .setting("url", good() + "/")
                .setting("mailbox", ALICE.toString())
                .setting("allowPrivateNetwork", "true")
                .setting("timeout", "0.5")
                .credentials(PasswordCredentials.of("alice", Secret.of("alice-pw")))
                .build());
        open.add(c);

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> c.reader().calendars(ALICE))
                        .isInstanceOf(OperationTimeoutException.class)
                        .hasMessageContaining("timed out")
                        .hasMessageNotContaining("cancelled"));
    }

    /** Issue 10 §4: {@code "allowPrivateNetwork": "yes"} was silently false. */
    @Test
    void aWronglyTypedSettingIsAnErrorNamingIt() {
        for (Map.Entry<String, String> bad : Map.of("allowPrivateNetwork", "yes", "srv", "no", "timeout", "soon")
                .entrySet()) {
            assertThatThrownBy(() -> connect(good() + "/", true, Map.of(bad.getKey(), bad.getValue())))
                    .as(bad.toString())
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.field()).contains(bad.getKey()));
        }
    }
}
