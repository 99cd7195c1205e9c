package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Dns;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventQuery;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.errors.CalendarException;
import org.calsdk.ews.EwsProvider;
import org.calsdk.google.GoogleProvider;
import org.calsdk.graph.GraphProvider;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise: no way into the host's network, per provider. A user-supplied server URL that reaches
 * loopback, private, link-local or cloud-metadata addresses, in any spelling (decimal, hex, octal,
 * short, IPv6-mapped, names that resolve there), is refused with a typed error before any byte reaches
 * it, unless {@code allowPrivateNetwork} allows it (metadata never); and a redirect to another host never
 * carries the credentials there. A recording server on 127.0.0.1 sees what arrives.
 */
class NoWayIntoTheHostNetworkTest {
    private static final String SECRET = "ssrf-secret-" + Long.toHexString(System.nanoTime());
    private static final CalendarRef ALICE = CalendarRef.primary(Mailbox.of("alice@example.com"));

    static List<String> providers() {
        return Target.names();
    }

    /** Accepts connections on 127.0.0.1 and records each request head; answers with {@code answer}. */
    private static final class Recorder implements AutoCloseable {
        final ServerSocket socket;
        final List<String> heads = new CopyOnWriteArrayList<>();
        volatile String answer = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

        Recorder(InetAddress on) throws IOException {
            socket = new ServerSocket(0, 50, on);
            Thread t = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try (Socket s = socket.accept()) {
                                s.setSoTimeout(3_000);
                                InputStream in = s.getInputStream();
                                byte[] buf = new byte[16_384];
                                int n = in.read(buf);
                                heads.add(n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                                OutputStream out = s.getOutputStream();
                                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                            } catch (IOException e) {
                                // next
                            }
                        }
                    },
                    "recorder");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Names under .evil.example resolve where the test says; everything else as the system resolves it. */
    private static Dns dns() {
        return host -> switch (host) {
            case "loopback.evil.example" -> List.of(InetAddress.getByName("127.0.0.1"));
            case "private.evil.example" -> List.of(InetAddress.getByName("10.1.2.3"));
            case "linklocal.evil.example" -> List.of(InetAddress.getByName("169.254.10.10"));
            case "metadata.evil.example" -> List.of(InetAddress.getByName("169.254.169.254"));
            case "mixed.evil.example" ->
                List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getByName("127.0.0.1"));
            default -> {
                if (host.endsWith(".evil.example")) {
                    throw new UnknownHostException(host);
                }
                yield Dns.SYSTEM.lookup(host);
            }
        };
    }

    private static CalendarConnection connect(String provider, String base, boolean allowPrivate) {
        RetryPolicy once = RetryPolicy.none();
        Dns dns = dns();
        String allow = Boolean.toString(allowPrivate);
        return switch (provider) {
            case "caldav" ->
                CalDavProvider.builder()
                        .retryPolicy(once)
                        .dns(dns)
                        .timeout(Duration.ofSeconds(3))
                        .build()
                        .connect(ConnectionConfig.builder("caldav")
                                .setting("url", base + "calendars/alice/calendar/")
                                .setting("allowPrivateNetwork", allow)
                                .setting("mailbox", "alice@example.com")
                                .credentials(PasswordCredentials.of("alice", Secret.of(SECRET)))
                                .build());
            case "google" ->
                GoogleProvider.builder()
                        .retryPolicy(once)
                        .dns(dns)
                        .build()
                        .connect(ConnectionConfig.builder("google")
                                .setting("baseUrl", base)
                                .setting("mailbox", "alice@example.com")
                                .setting("allowPrivateNetwork", allow)
                                .credentials(new TokenCredentials(fixed()))
                                .build());
            case "graph" ->
                GraphProvider.builder()
                        .retryPolicy(once)
                        .dns(dns)
                        .timeout(Duration.ofSeconds(3))
                        .build()
                        .connect(ConnectionConfig.builder("graph")
                                .setting("baseUrl", base)
                                .setting("accessToken", SECRET)
                                .setting("mailbox", "alice@example.com")
                                .setting("allowPrivateNetwork", allow)
                                .build());
            case "ews" ->
                EwsProvider.builder()
                        .retryPolicy(once)
                        .dns(dns)
                        .timeout(Duration.ofSeconds(3))
                        .build()
                        .connect(ConnectionConfig.builder("ews")
                                .setting("url", base + "EWS/Exchange.asmx")
                                .setting("allowPrivateNetwork", allow)
                                .setting("mailbox", "alice@example.com")
                                .credentials(PasswordCredentials.of("svc", Secret.of(SECRET)))
                                .build());
            default -> throw new IllegalArgumentException(provider);
        };
    }

    private static org.calsdk.auth.AccessTokenSource fixed() {
        org.calsdk.auth.AccessToken t = new org.calsdk.auth.AccessToken(Secret.of(SECRET), null);
        return new org.calsdk.auth.AccessTokenSource() {
            @Override
            public org.calsdk.auth.AccessToken token() {
                return t;
            }

            @Override
            public org.calsdk.auth.AccessToken refresh(org.calsdk.auth.AccessToken rejected) {
                return t;
            }
        };
    }

    /** Runs one read; returns null when it was refused with a typed error, else a description. */
    private static String attempt(String provider, String base, boolean allowPrivate) {
        return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            try (CalendarConnection c = connect(provider, base, allowPrivate)) {
                c.reader().list(EventQuery.of(ALICE, SoakRun.WINDOW));
                return "answered";
            } catch (CalendarException e) {
                return e.getClass().getSimpleName();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void privateAndMetadataAddressesAreRefusedInEverySpelling(String provider) throws Exception {
        try (Recorder r = new Recorder(InetAddress.getByName("127.0.0.1"))) {
            int p = r.port();
            List<String> spellings = new ArrayList<>(List.of(
                    "http://2130706433:" + p + "/",
                    "http://0x7f000001:" + p + "/",
                    "http://0177.0.0.1:" + p + "/",
                    "http://127.1:" + p + "/",
                    "http://127.0.0.2:" + p + "/",
                    "http://[::ffff:127.0.0.1]:" + p + "/",
                    "http://[0:0:0:0:0:ffff:7f00:1]:" + p + "/",
                    "http://loopback.evil.example:" + p + "/",
                    "http://mixed.evil.example:" + p + "/",
                    "http://private.evil.example:" + p + "/",
                    "http://10.0.0.1:" + p + "/",
                    "http://192.168.0.1:" + p + "/",
                    "http://172.16.0.1:" + p + "/",
                    "http://[fd00::1]:" + p + "/",
                    "http://[fe80::1]:" + p + "/",
                    "http://linklocal.evil.example:" + p + "/",
                    "http://169.254.169.254/",
                    "http://metadata.evil.example/",
                    "http://[fd00:ec2::254]/",
                    "http://0xa9fea9fe/",
                    "http://2852039166/"));
            // the loopback literals too, on every provider: the connection says allowPrivateNetwork=false. (Left
            // unset, Google and Graph take a base URL naming loopback literally as allowing it, for local fakes:
            // OriginPolicy.namesLoopback; every other spelling above is refused then too, see HostileLinksTest.)
            spellings.add("http://127.0.0.1:" + p + "/");
            spellings.add("http://localhost:" + p + "/");
            spellings.add("http://[::1]:" + p + "/");
            List<String> reached = new ArrayList<>();
            for (String base : spellings) {
                int before = r.heads.size();
                String outcome = attempt(provider, base, false);
                if (outcome.equals("answered") || r.heads.size() > before) {
                    reached.add(base + " -> " + outcome);
                }
            }
            // metadata stays refused even when the private network is allowed
            for (String base :
                    List.of("http://169.254.169.254/", "http://metadata.evil.example/", "http://0xa9fea9fe/")) {
                if (attempt(provider, base, true).equals("answered")) {
                    reached.add(base + " (allowPrivateNetwork) -> answered");
                }
            }
            // and the recorder is reachable when allowed: the check above can see a request
            int before = r.heads.size();
            attempt(provider, "http://loopback.evil.example:" + p + "/", true);
            boolean visible = r.heads.size() > before;
            Figures.record(
                    "ssrf",
                    provider + ": " + (spellings.size() + 3) + " hostile server URLs tried, "
                            + (spellings.size() + 3 - reached.size()) + " refused before any byte was sent"
                            + (reached.isEmpty() ? "" : "; REACHED: " + reached)
                            + "; with allowPrivateNetwork the recorder was " + (visible ? "reached" : "NOT reached"));
            assertThat(reached).as("server URLs that got through").isEmpty();
            assertThat(visible)
                    .as("allowPrivateNetwork lets a request through (the recorder can see one)")
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aRedirectNeverCarriesCredentialsToAnotherHost(String provider) throws Exception {
        try (Recorder other = new Recorder(InetAddress.getByName("127.0.0.2"));
                Recorder origin = new Recorder(InetAddress.getByName("127.0.0.1"))) {
            for (int status : new int[] {301, 302, 307, 308}) {
                origin.answer = "HTTP/1.1 " + status + " Moved\r\nLocation: http://127.0.0.2:" + other.port()
                        + "/elsewhere/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                attempt(provider, "http://loopback.evil.example:" + origin.port() + "/", true);
            }
            List<String> leaked = other.heads.stream()
                    .filter(h -> h.contains(SECRET) || h.toLowerCase().contains("authorization:"))
                    .toList();
            Figures.record(
                    "ssrf",
                    provider + ": redirects 301/302/307/308 to another host: " + origin.heads.size()
                            + " requests to the origin, " + other.heads.size() + " followed to the other host, "
                            + leaked.size() + " carried credentials");
            assertThat(origin.heads).as("the origin was asked").isNotEmpty();
            assertThat(leaked).as("requests to the other host with credentials").isEmpty();
        }
    }
}
