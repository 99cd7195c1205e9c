package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.SocketFactory;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §2, the one exception, on real TLS sockets: iCloud's {@code caldav.icloud.com} hands accounts to
 * partition hosts ({@code pNN-caldav.icloud.com}) over HTTPS on port 443, and the credentials follow there
 * because both hosts share a registrable domain. Two HTTPS MockWebServers play the two hosts; the names
 * resolve to 127.0.0.1 and a socket factory maps each host's port 443 to its server's real port, so the
 * URLs the provider sees are exactly iCloud's shape.
 */
class PartitionHostHttpsTest {
    private static final Mailbox ALICE = Mailbox.of("alice@icloud.test");
    private static final String NS = " xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"";

    private final MockWebServer front = new MockWebServer();
    private final MockWebServer partition = new MockWebServer();
    private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
    private final HeldCertificate cert = new HeldCertificate.Builder()
            .addSubjectAlternativeName("caldav.icloud.test")
            .addSubjectAlternativeName("p42-caldav.icloud.test")
            .addSubjectAlternativeName("caldav.other.test")
            .build();
    private CalendarConnection connection;

    @BeforeEach
    void start() throws IOException {
        HandshakeCertificates server =
                new HandshakeCertificates.Builder().heldCertificate(cert).build();
        front.useHttps(server.sslSocketFactory(), false);
        partition.useHttps(server.sslSocketFactory(), false);
        front.start(InetAddress.getByName("127.0.0.1"), 0);
        partition.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        if (connection != null) {
            connection.close();
        }
        front.shutdown();
        partition.shutdown();
    }

    private void serve(MockWebServer server, Function<RecordedRequest, MockResponse> routes) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                seen.add(request);
                return routes.apply(request);
            }
        });
    }

    /** Connects port 443 of each test host to its server's real port on 127.0.0.1. */
    private SocketFactory port443(Map<String, Integer> ports) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new Socket() {
                    @Override
                    public void connect(SocketAddress endpoint, int timeout) throws IOException {
                        InetSocketAddress a = (InetSocketAddress) endpoint;
                        Integer real = a.getPort() == 443 ? ports.get(a.getHostName()) : null;
                        super.connect(real == null ? a : new InetSocketAddress(a.getAddress(), real), timeout);
                    }
                };
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private CalendarConnection connect(String url) {
        Map<String, Integer> ports = Map.of(
                "caldav.icloud.test",
                front.getPort(),
                "p42-caldav.icloud.test",
                partition.getPort(),
                "caldav.other.test",
                partition.getPort());
        Dns loopback = host -> {
            if (!ports.containsKey(host)) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        };
        HandshakeCertificates trust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(cert.certificate())
                .build();
        // HTTP/1.1: over HTTP/2 OkHttp would coalesce both names onto one connection (same address, one
        // certificate for both), and the port mapping would never be asked for the partition host
        OkHttpClient client = new OkHttpClient.Builder()
                .socketFactory(port443(ports))
                .protocols(List.of(Protocol.HTTP_1_1))
                .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
                .build();
        connection = CalDavProvider.builder()
                .okHttpClient(client)
                .dns(loopback)
                .retryPolicy(RetryPolicy.none())
                .build()
                .connect(ConnectionConfig.builder("caldav")
                        .setting("url", url)
                        .setting("srv", "false")
                        .setting("allowPrivateNetwork", "true") // the test servers are on loopback
                        .setting("mailbox", ALICE.toString())
                        .credentials(PasswordCredentials.of("alice", Secret.of("app-pw")))
                        .build());
        return connection;
    }

    private static MockResponse multistatus(String href, String props) {
        return new MockResponse()
                .setResponseCode(207)
                .setHeader("Content-Type", "application/xml; charset=utf-8")
                .setBody("<?xml version=\"1.0\"?><D:multistatus" + NS + "><D:response><D:href>" + href
                        + "</D:href><D:propstat><D:prop>" + props + "</D:prop><D:status>HTTP/1.1 200 OK</D:status>"
                        + "</D:propstat></D:response></D:multistatus>");
    }

    /** The partition host: principal, an absolute home set on itself, one calendar. */
    private static MockResponse partitionAnswer(RecordedRequest r) {
        String path = r.getPath();
        if (path.startsWith("/1234/principal/")) {
            return multistatus(
                    path,
                    "<C:calendar-home-set><D:href>https://p42-caldav.icloud.test/1234/calendars/"
                            + "</D:href></C:calendar-home-set>");
        }
        if (path.startsWith("/1234/calendars/")) {
            return multistatus(
                    "/1234/calendars/home/",
                    "<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>"
                            + "<D:displayname>Home</D:displayname><C:supported-calendar-component-set><C:comp name=\"VEVENT\"/>"
                            + "</C:supported-calendar-component-set>");
        }
        return multistatus(
                path, "<D:current-user-principal><D:href>/1234/principal/</D:href></D:current-user-principal>");
    }

    @Test
    void credentialsFollowToAnHttpsPartitionHostOfTheSameRegistrableDomain() {
        serve(
                front,
                r -> new MockResponse()
                        .setResponseCode(302)
                        .setHeader("Location", "https://p42-caldav.icloud.test" + r.getPath()));
        serve(partition, PartitionHostHttpsTest::partitionAnswer);

        assertThat(connect("https://caldav.icloud.test/").reader().calendars(ALICE))
                .extracting(c -> c.displayName())
                .containsExactly("Home");
        assertThat(front.getRequestCount()).isPositive();
        assertThat(partition.getRequestCount()).isGreaterThanOrEqualTo(3);
        assertThat(seen)
                .allMatch(r -> r.getHeader("Authorization") != null
                        && r.getHeader("Authorization").startsWith("Basic "))
                .allMatch(r -> r.getHandshake() != null);
    }

    @Test
    void aPartitionHostOfAnotherRegistrableDomainGetsNothing() {
        serve(
                front,
                r -> new MockResponse()
                        .setResponseCode(302)
                        .setHeader("Location", "https://caldav.other.test" + r.getPath()));
        serve(partition, PartitionHostHttpsTest::partitionAnswer);

        assertThatThrownBy(() -> connect("https://caldav.icloud.test/").reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("caldav.other.test");
        assertThat(partition.getRequestCount()).isZero();
    }
}
