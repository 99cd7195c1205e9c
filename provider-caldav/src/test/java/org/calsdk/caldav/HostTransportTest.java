package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.RequestCounter;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A transport supplied by the host application ({@link ConnectionConfig#transport()}) keeps the host's
 * accounting and retry policy, and still gets the provider's private-network filter and Digest answer.
 */
class HostTransportTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private final List<AutoCloseable> open = new ArrayList<>();
    private final RequestCounter counter = new RequestCounter();
    private final AtomicInteger sleeps = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T open(T c) {
        open.add(c);
        return c;
    }

    private HttpTransport hostTransport() {
        return open(HttpTransport.builder()
                .provider("host-app")
                .listener(counter)
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(2))
                        .build())
                .sleeper(d -> sleeps.incrementAndGet())
                .build());
    }

    private static FakeCalDavServer.Builder alice() {
        return FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .calendar("alice", "work", "Work")
                .calendar("alice", "home", "Home");
    }

    @Test
    void aDigestOnlyServerIsAnsweredThroughAHostTransport() {
        FakeCalDavServer s = open(alice().digest(true).build().start());
        HttpTransport host = hostTransport();
        CalendarConnection c = open(new CalDavProvider()
                .connect(s.connectionConfig("alice").transport(host).build()));

        assertThat(c.reader().calendars(ALICE)).hasSize(2);
        assertThat(c.reader().calendars(ALICE)).hasSize(2);

        // the host's listener saw the traffic, and no attempt was retried
        assertThat(counter.count("list-calendars")).isEqualTo(2);
        assertThat(counter.countStatus(401)).isZero(); // Digest challenges are answered inside one attempt
        assertThat(sleeps).hasValue(0);
        c.close();
        // closing the connection closes only what the provider derived, not the host's transport
        CalendarConnection again = open(new CalDavProvider()
                .connect(s.connectionConfig("alice").transport(host).build()));
        assertThat(again.reader().calendars(ALICE)).hasSize(2);
    }

    @Test
    void aLoopbackServerIsRefusedThroughAHostTransportWithoutAllowPrivateNetwork() {
        FakeCalDavServer s = open(alice().build().start());
        CalendarConnection c = open(new CalDavProvider()
                .connect(s.connectionConfig("alice")
                        .setting("allowPrivateNetwork", "false")
                        .transport(hostTransport())
                        .build()));

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("allowPrivateNetwork");
        assertThat(s.accounting().totalCalls()).isZero();
    }

    @Test
    void aNameThatResolvesToLoopbackOnlyAtConnectTimeIsRefusedThroughAHostTransport() {
        // DNS rebinding: the name looks public when the URL is checked, then points at loopback when
        // OkHttp connects. Only the connect-time filter can catch this, so the host transport's client
        // must carry it (with the host's own client, the name would not even resolve).
        AtomicInteger lookups = new AtomicInteger();
        Dns rebinding = host -> {
            if (!host.equals("caldav.rebind.test")) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByAddress(
                    host,
                    lookups.getAndIncrement() == 0
                            ? new byte[] {93, (byte) 184, (byte) 216, 34}
                            : new byte[] {127, 0, 0, 1}));
        };
        CalDavProvider provider = CalDavProvider.builder().dns(rebinding).build();
        ConnectionConfig cfg = ConnectionConfig.builder("caldav")
                .setting("url", "https://caldav.rebind.test:8443/")
                .setting("mailbox", "alice@example.com")
                .setting("srv", "false")
                .credentials(PasswordCredentials.of("alice", Secret.of("alice-pw")))
                .transport(hostTransport())
                .build();
        CalendarConnection c = open(provider.connect(cfg));

        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("allowPrivateNetwork");
        assertThat(lookups)
                .as("checked once before sending, once more when OkHttp connected")
                .hasValue(2);
    }

    @Test
    void theHostClientsHttpProxyOnLoopbackIsStillReachable() throws Exception {
        // through an HTTP proxy OkHttp resolves the proxy's name, not the server's; a proxy the application
        // configured in its own network must not be refused like a user-supplied URL would be
        try (ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Thread t = new Thread(
                    () -> {
                        while (!proxy.isClosed()) {
                            try (Socket s = proxy.accept()) {
                                BufferedReader in = new BufferedReader(
                                        new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                                seen.add(in.readLine());
                                s.getOutputStream()
                                        .write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
                                                .getBytes(StandardCharsets.ISO_8859_1));
                            } catch (IOException e) {
                                // the test closed the proxy
                            }
                        }
                    },
                    "test-proxy");
            t.setDaemon(true);
            t.start();
            OkHttpClient proxied = new OkHttpClient.Builder()
                    .proxy(new Proxy(
                            Proxy.Type.HTTP, InetSocketAddress.createUnresolved("localhost", proxy.getLocalPort())))
                    .build();
            HttpTransport host = open(HttpTransport.builder()
                    .okHttpClient(proxied)
                    .listener(counter)
                    .retryPolicy(RetryPolicy.none())
                    .build());
            Dns dns = name -> List.of(
                    name.equals("localhost")
                            ? InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1})
                            : InetAddress.getByAddress(name, new byte[] {93, (byte) 184, (byte) 216, 34}));
            ConnectionConfig cfg = ConnectionConfig.builder("caldav")
                    .setting("url", "https://caldav.example.test/")
                    .setting("mailbox", "alice@example.com")
                    .setting("srv", "false")
                    .credentials(PasswordCredentials.of("alice", Secret.of("alice-pw")))
                    .transport(host)
                    .build();
            CalendarConnection c =
                    open(CalDavProvider.builder().dns(dns).build().connect(cfg));

            // the proxy refuses the tunnel (it is not a real proxy), so the call fails as unavailable, not denied
            assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(ProviderUnavailableException.class);
            assertThat(seen).isNotEmpty().allMatch(line -> line.startsWith("CONNECT caldav.example.test:443 "));
            proxy.close();
            t.join(5_000);
        }
    }
}
