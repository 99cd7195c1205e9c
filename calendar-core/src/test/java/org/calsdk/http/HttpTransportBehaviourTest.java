package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportBehaviourTest {
    private final MockWebServer server = new MockWebServer();
    private final FakeTime time = new FakeTime();

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void concurrencyNeverExceedsThePerMailboxAndPerHostLimits() throws Exception {
        RequestCounter counter = new RequestCounter();
        HttpTransport t = HttpTransport.builder()
                .maxConcurrentPerHost(3)
                .maxConcurrentPerMailbox(2)
                .listener(counter)
                .clock(time)
                .sleeper(time)
                .build();
        int calls = 12;
        for (int i = 0; i < calls; i++) {
            server.enqueue(new MockResponse().setBody("ok").setBodyDelay(40, TimeUnit.MILLISECONDS));
        }
        Mailbox alice = Mailbox.of("alice@example.com");
        Mailbox bob = Mailbox.of("bob@example.com");
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse>> results = new ArrayList<>();
        try {
            for (int i = 0; i < calls; i++) {
                Mailbox m = i % 2 == 0 ? alice : bob;
                results.add(pool.submit(() -> {
                    go.await();
                    return t.execute(HttpCall.builder(
                                    new Request.Builder().url(server.url("/x")).build())
                            .operation("read")
                            .mailbox(m)
                            .build());
                }));
            }
            go.countDown();
            for (Future<HttpResponse> f : results) {
                assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        String host = server.url("/").host();
        assertThat(counter.count("read")).isEqualTo(calls);
        assertThat(counter.count(alice)).isEqualTo(calls / 2);
        assertThat(counter.maxConcurrentForMailbox(alice)).isBetween(1, 2);
        assertThat(counter.maxConcurrentForMailbox(bob)).isBetween(1, 2);
        assertThat(counter.maxConcurrentForHost(host)).isBetween(1, 3);
        assertThat(counter.maxConcurrent()).isBetween(1, 3);
        assertThat(counter.inFlight()).isZero();
        assertThat(counter.responseBytes()).isEqualTo(2L * calls);
    }

    @Test
    void cancellingTheFutureCancelsTheInFlightCall() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
        server.enqueue(new MockResponse().setBody("a retry must not happen"));
        CountDownLatch finished = new CountDownLatch(1);
        List<RequestRecord> records = new ArrayList<>();
        HttpTransport t = HttpTransport.builder()
                .clock(time)
                .sleeper(time)
                .listener(r -> {
                    records.add(r);
                    finished.countDown();
                })
                .build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<HttpResponse> f = t.executeAsync(
                    HttpCall.builder(new Request.Builder()
                                    .url(server.url("/slow"))
                                    .build())
                            .build(),
                    pool);
            assertThat(server.takeRequest(10, TimeUnit.SECONDS))
                    .as("request reached the server")
                    .isNotNull();

            assertThat(f.cancel(true)).isTrue();

            assertThat(finished.await(10, TimeUnit.SECONDS))
                    .as("the blocked HTTP attempt ended")
                    .isTrue();
            assertThat(f).isCancelled();
            assertThat(records)
                    .singleElement()
                    .satisfies(r -> assertThat(r.status()).isZero());
            assertThat(time.sleeps).isEmpty();
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void basicCredentialsAreSentAndA401CannotBeRefreshed() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401).setHeader("WWW-Authenticate", "Basic realm=x"));
        HttpTransport t = HttpTransport.builder()
                .provider("caldav")
                .clock(time)
                .sleeper(time)
                .build();
        Authorizer basic = Authorizer.forCredentials(PasswordCredentials.of("alice", Secret.of("pa55w0rd")));

        assertThatThrownBy(() -> t.execute(HttpCall.builder(
                                new Request.Builder().url(server.url("/")).build())
                        .authorizer(basic)
                        .mailbox(Mailbox.of("alice@example.com"))
                        .build()))
                .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.provider()).contains("caldav");
                    assertThat(e.mailbox()).contains(Mailbox.of("alice@example.com"));
                    assertThat(e.getMessage()).doesNotContain("pa55w0rd").contains("cannot be refreshed");
                });
        assertThat(server.takeRequest().getHeader("Authorization"))
                .isEqualTo(okhttp3.Credentials.basic("alice", "pa55w0rd"));
        assertThat(basic.toString()).doesNotContain("pa55w0rd");
    }

    @Test
    void logLinesAndToStringNeverShowSecrets() {
        server.enqueue(new MockResponse().setBody("ok"));
        HttpTransport t = HttpTransport.builder()
                .provider("caldav")
                .clock(time)
                .sleeper(time)
                .build();
        okhttp3.HttpUrl url = server.url("/cal/events")
                .newBuilder()
                .addQueryParameter("access_token", "tok-SECRET-1")
                .addQueryParameter("client_secret", "cs-SECRET-2")
                .addQueryParameter("code", "code-SECRET-3")
                .addQueryParameter("apiKey", "key-SECRET-4")
                .addQueryParameter("pw", "pw-SECRET-7") // issue 10 §4: pw= and p= reached the trace log
                .addQueryParameter("P", "p-SECRET-8")
                .addQueryParameter("page", "2")
                .build();
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer bearer-SECRET-5")
                .header("Cookie", "session=cookie-SECRET-6")
                .build();
        HttpCall call = HttpCall.builder(request).operation("list").build();

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        HttpResponse r;
        try {
            r = t.execute(call);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(r.status()).isEqualTo(200);
        assertThat(log).as("one debug line per attempt").contains("caldav list GET", "/cal/events", "page=2", "-> 200");
        String everything = log + call + r + t;
        assertThat(everything).doesNotContain("SECRET");
        assertThat(log).contains("access_token=****");
    }

    @Test
    void cancellingDuringTheRetryPauseStopsWaiting() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "50"));
        server.enqueue(new MockResponse().setBody("a retry must not happen"));
        CountDownLatch pausing = new CountDownLatch(1);
        List<Duration> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpTransport t = HttpTransport.builder()
                .sleeper(d -> {
                    pauses.add(d);
                    pausing.countDown();
                    Sleeper.system().sleep(d);
                })
                .build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<HttpResponse> f = t.executeAsync(
                    HttpCall.builder(new Request.Builder()
                                    .url(server.url("/busy"))
                                    .build())
                            .build(),
                    pool);
            assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
            // wait until the worker is really in the 50 s pause (a fixed sleep could cancel too early on a slow
            // machine)
            assertThat(pausing.await(30, TimeUnit.SECONDS))
                    .as("the worker reached the retry pause")
                    .isTrue();
            assertThat(pauses).singleElement().isEqualTo(Duration.ofSeconds(50));

            f.cancel(true);

            // the single worker thread is free again long before the 50 s pause would have ended
            assertThat(pool.submit(() -> "free").get(10, TimeUnit.SECONDS)).isEqualTo("free");
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a401WithoutCredentialsSaysToConfigureThem() {
        server.enqueue(new MockResponse().setResponseCode(401));
        HttpTransport t = HttpTransport.builder().clock(time).sleeper(time).build();

        assertThatThrownBy(() -> t.execute(HttpCall.builder(
                                new Request.Builder().url(server.url("/")).build())
                        .build()))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("none were configured");
    }

    @Test
    void closedTransportRefusesCalls() {
        HttpTransport t = HttpTransport.defaults("caldav");
        t.close();

        assertThatThrownBy(() -> t.execute(HttpCall.builder(
                                new Request.Builder().url(server.url("/")).build())
                        .build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
