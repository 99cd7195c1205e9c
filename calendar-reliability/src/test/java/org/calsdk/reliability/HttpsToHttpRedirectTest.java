package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventQuery;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
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
import org.calsdk.testkit.FakeTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise: an HTTPS → HTTP redirect is refused, per provider, on real TLS. The origin is an HTTPS server on
 * 127.0.0.1 (okhttp-tls certificate from the testkit's {@link FakeTls}; each provider is handed an OkHttp
 * client that trusts it, through its builder's {@code okHttpClient}); it answers every request with a
 * redirect (301, 302, 303, 307, 308) to a plain-HTTP server on 127.0.0.1. The read ends in a typed error,
 * the HTTPS leg carried the credentials (so the test can see them), and the plain server gets no request at
 * all, so no credential ever travels in cleartext.
 */
class HttpsToHttpRedirectTest {
    private static final String SECRET = "downgrade-secret-" + Long.toHexString(System.nanoTime());
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final int[] STATUSES = {301, 302, 303, 307, 308};

    private final FakeTls tls = FakeTls.generate();
    private final MockWebServer secure = new MockWebServer();
    private final MockWebServer plain = new MockWebServer();
    private OkHttpClient client;

    static List<String> providers() {
        return Target.names();
    }

    @BeforeEach
    void start() throws IOException {
        secure.useHttps(tls.serverSocketFactory(), false);
        plain.setDispatcher(answer(r -> new MockResponse().setResponseCode(404)));
        secure.start(InetAddress.getByName("127.0.0.1"), 0);
        plain.start(InetAddress.getByName("127.0.0.1"), 0);
        client = tls.trust(new OkHttpClient.Builder()).build();
    }

    @AfterEach
    void stop() throws IOException {
        secure.shutdown();
        plain.shutdown();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static Dispatcher answer(java.util.function.Function<RecordedRequest, MockResponse> f) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return f.apply(request);
            }
        };
    }

    private static AccessTokenSource fixed() {
        AccessToken t = new AccessToken(Secret.of(SECRET), null);
        return AccessTokenSource.fixed(t);
    }

    private CalendarConnection connect(String provider) {
        String base = "https://127.0.0.1:" + secure.getPort() + "/";
        return switch (provider) {
            case "caldav" ->
                CalDavProvider.builder()
                        .okHttpClient(client)
                        .retryPolicy(RetryPolicy.none())
                        .timeout(Duration.ofSeconds(5))
                        .build()
                        .connect(ConnectionConfig.builder("caldav")
                                .setting("url", base + "calendars/alice/calendar/")
                                .setting("allowPrivateNetwork", "true")
                                .setting("mailbox", ALICE.email())
                                .credentials(PasswordCredentials.of("alice", Secret.of(SECRET)))
                                .build());
            case "google" ->
                GoogleProvider.builder()
                        .okHttpClient(client)
                        .retryPolicy(RetryPolicy.none())
                        .build()
                        .connect(ConnectionConfig.builder("google")
                                .setting("baseUrl", base)
                                .setting("allowPrivateNetwork", "true")
                                .setting("mailbox", ALICE.email())
                                .credentials(new TokenCredentials(fixed()))
                                .build());
            case "graph" ->
                GraphProvider.builder()
                        .okHttpClient(client)
                        .retryPolicy(RetryPolicy.none())
                        .timeout(Duration.ofSeconds(5))
                        .build()
                        .connect(ConnectionConfig.builder("graph")
                                .setting("baseUrl", base + "v1.0")
                                .setting("allowPrivateNetwork", "true")
                                .setting("accessToken", SECRET)
                                .setting("mailbox", ALICE.email())
                                .build());
            case "ews" ->
                EwsProvider.builder()
                        .okHttpClient(client)
                        .retryPolicy(RetryPolicy.none())
                        .timeout(Duration.ofSeconds(5))
                        .build()
                        .connect(ConnectionConfig.builder("ews")
                                .setting("url", base + "EWS/Exchange.asmx")
                                .setting("allowPrivateNetwork", "true")
                                .setting("mailbox", ALICE.email())
                                .credentials(PasswordCredentials.of("svc", Secret.of(SECRET)))
                                .build());
            default -> throw new IllegalArgumentException(provider);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void anHttpsToHttpRedirectIsRefusedAndNoCredentialGoesInCleartext(String provider) throws Exception {
        Map<Integer, String> outcomes = new TreeMap<>();
        Map<Integer, String> messages = new TreeMap<>();
        for (int status : STATUSES) {
            secure.setDispatcher(answer(r -> new MockResponse()
                    .setResponseCode(status)
                    .setHeader("Location", "http://127.0.0.1:" + plain.getPort() + r.getPath())));
            String outcome = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
                try (CalendarConnection c = connect(provider)) {
                    c.reader().list(EventQuery.of(CalendarRef.primary(ALICE), SoakRun.WINDOW));
                    return "answered";
                } catch (CalendarException e) {
                    messages.put(status, e.getMessage());
                    return e.getClass().getSimpleName();
                }
            });
            outcomes.put(status, outcome);
        }
        int overTls = secure.getRequestCount();
        int withCredentialsOverTls = 0;
        for (int i = 0; i < overTls; i++) {
            RecordedRequest r = secure.takeRequest(0, TimeUnit.SECONDS);
            if (r != null && r.getHeader("Authorization") != null) {
                withCredentialsOverTls++;
            }
        }
        List<String> cleartext = new ArrayList<>();
        for (int i = plain.getRequestCount(); i > 0; i--) {
            RecordedRequest r = plain.takeRequest(0, TimeUnit.SECONDS);
            if (r != null) {
                cleartext.add(r.getRequestLine() + (r.getHeader("Authorization") != null ? " +auth" : ""));
            }
        }
        Figures.record(
                "ssrf",
                provider + ": HTTPS -> HTTP redirects " + outcomes + " (status -> outcome), " + overTls
                        + " requests over TLS (" + withCredentialsOverTls + " with credentials), " + cleartext.size()
                        + " requests to the plain-HTTP server" + (cleartext.isEmpty() ? "" : " " + cleartext)
                        + "; the 302's message: " + messages.get(302));
        assertThat(outcomes.values()).as("each redirect ends in a typed error").doesNotContain("answered");
        if (provider.equals("caldav")) {
            // the one provider that follows redirects refuses this one by name
            assertThat(outcomes.values()).containsOnly("PermissionDeniedException");
        }
        assertThat(withCredentialsOverTls)
                .as("the HTTPS leg carried the credentials (TLS trust works)")
                .isPositive();
        assertThat(cleartext).as("requests that reached the plain-HTTP server").isEmpty();
    }
}
