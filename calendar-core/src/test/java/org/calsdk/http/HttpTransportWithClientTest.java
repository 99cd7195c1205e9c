package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HttpTransport#withClient}: own client settings, everything else shared with the original. */
class HttpTransportWithClientTest {
    private final MockWebServer server = new MockWebServer();
    private final FakeTime time = new FakeTime();
    private final RequestCounter counter = new RequestCounter();
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private HttpTransport.Builder host() {
        return HttpTransport.builder()
                .provider("host-app")
                .listener(counter)
                .listener(records::add)
                .clock(time)
                .sleeper(time);
    }

    private HttpCall call(String path) {
        return HttpCall.builder(new Request.Builder().url(server.url(path)).build())
                .operation("read")
                .build();
    }

    @Test
    void theCustomizerChangesOnlyTheDerivedTransportsClient() throws Exception {
        HttpTransport host = host().build();
        HttpTransport derived = host.withClient(b -> b.addInterceptor(chain -> chain.proceed(
                chain.request().newBuilder().header("X-Derived", "yes").build())));
        server.enqueue(new MockResponse().setBody("a"));
        server.enqueue(new MockResponse().setBody("b"));

        assertThat(derived.execute(call("/derived")).bodyString()).isEqualTo("a");
        assertThat(host.execute(call("/host")).bodyString()).isEqualTo("b");

        RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(first.getPath()).isEqualTo("/derived");
        assertThat(first.getHeader("X-Derived")).isEqualTo("yes");
        assertThat(second.getPath()).isEqualTo("/host");
        assertThat(second.getHeader("X-Derived")).isNull();
        // the host's listeners and provider id account for both
        assertThat(counter.total()).isEqualTo(2);
        assertThat(records).extracting(RequestRecord::provider).containsOnly("host-app");
        assertThat(derived.provider()).isEqualTo("host-app");
    }

    @Test
    void theHostsRetryPolicyClockAndSleeperApply() {
        HttpTransport host =
                host().retryPolicy(RetryPolicy.custom().maxAttempts(3).build()).build();
        HttpTransport derived = host.withClient(b -> b);
        assertThat(derived.retryPolicy()).isSameAs(host.retryPolicy());
        assertThat(derived.clock()).isSameAs(time);
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setBody("ok"));

        HttpResponse r = derived.execute(call("/x"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(time.sleeps).hasSize(2); // the host's sleeper waited between the attempts
        assertThat(counter.countStatus(503)).isEqualTo(2);
    }

    @Test
    void concurrencyLimitsHoldAcrossTheOriginalAndTheDerivedTransport() throws Exception {
        HttpTransport host =
                host().maxConcurrentPerHost(2).maxConcurrentPerMailbox(1).build();
        HttpTransport derived = host.withClient(b -> b);
        int calls = 8;
        for (int i = 0; i < calls; i++) {
            server.enqueue(new MockResponse().setBody("ok").setBodyDelay(30, TimeUnit.MILLISECONDS));
        }
        Mailbox alice = Mailbox.of("alice@example.com");
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            CompletableFuture<?>[] all = new CompletableFuture<?>[calls];
            for (int i = 0; i < calls; i++) {
                HttpTransport t = i % 2 == 0 ? host : derived;
                HttpCall c = HttpCall.builder(
                                new Request.Builder().url(server.url("/" + i)).build())
                        .operation("read")
                        .mailbox(alice)
                        .build();
                all[i] = t.executeAsync(c, pool);
            }
            CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(counter.total()).isEqualTo(calls);
        // one limiter per key for both transports: alice never has two attempts in flight
        assertThat(counter.maxConcurrentForMailbox(alice)).isEqualTo(1);
    }

    @Test
    void redirectsAreStillReturnedWhateverTheCustomizerSets() throws Exception {
        HttpTransport derived =
                host().build().withClient(b -> b.followRedirects(true).followSslRedirects(true));
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));

        HttpResponse r = derived.execute(call("/start"));

        assertThat(r.status()).isEqualTo(302);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void closingTheOriginalClosesTheDerivedButNotTheOtherWayRound() {
        HttpTransport host = host().build();
        HttpTransport derived = host.withClient(b -> b);
        derived.close();
        server.enqueue(new MockResponse().setBody("still open"));
        assertThat(host.execute(call("/a")).bodyString()).isEqualTo("still open");

        HttpTransport another = host.withClient(b -> b);
        host.close();
        assertThatThrownBy(() -> another.execute(call("/b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aNullCustomizerOrResultIsRejected() {
        HttpTransport host = host().build();
        assertThatThrownBy(() -> host.withClient(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("customizer");
        assertThatThrownBy(() -> host.withClient(b -> null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("customizer");
    }
}
