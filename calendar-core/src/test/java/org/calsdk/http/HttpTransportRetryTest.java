package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.InsufficientStorageException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportRetryTest {
    private final MockWebServer server = new MockWebServer();
    private final FakeTime time = new FakeTime();
    private final RequestCounter counter = new RequestCounter();
    private HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        transport = transport(RetryPolicy.custom().random(new Random(42)).build());
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        server.shutdown();
    }

    private HttpTransport transport(RetryPolicy policy) {
        return HttpTransport.builder()
                .provider("test")
                .retryPolicy(policy)
                .clock(time)
                .sleeper(time)
                .listener(counter)
                .build();
    }

    private HttpCall get() {
        return HttpCall.builder(new Request.Builder().url(server.url("/cal")).build())
                .operation("read")
                .build();
    }

    private HttpCall post() {
        Request r = new Request.Builder()
                .url(server.url("/cal"))
                .post(RequestBody.create("{}", MediaType.get("application/json")))
                .build();
        return HttpCall.builder(r)
                .operation("create")
                .mailbox(Mailbox.of("alice@example.com"))
                .build();
    }

    @Test
    void rateLimitWithRetryAfterSecondsWaitsExactlyThatLong() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
        server.enqueue(new MockResponse().setBody("ok"));

        HttpResponse r = transport.execute(get());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("ok");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(counter.count("read")).isEqualTo(2);
    }

    @Test
    void a503WithRetryAfterZeroIsNotSentAgainBehindTheTransportsBack() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0"));
        server.enqueue(new MockResponse().setResponseCode(201).setBody("created twice"));

        try (HttpTransport once = transport(RetryPolicy.none())) {
            assertThatThrownBy(() -> once.execute(post())).isInstanceOf(ProviderUnavailableException.class);
        }

        // OkHttp replays a 503 with Retry-After: 0 by itself, a POST too; the transport must see every attempt
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(counter.count("create")).isEqualTo(1);
    }

    @Test
    void a503WithRetryAfterZeroIsRetriedByThePolicyAtOnce() {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0"));
        server.enqueue(new MockResponse().setBody("ok"));

        HttpResponse r = transport.execute(get());

        assertThat(r.attempts()).isEqualTo(2);
        assertThat(counter.count("read")).isEqualTo(2);
        assertThat(time.sleeps).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ZERO));
    }

    @Test
    void rateLimitWithRetryAfterHttpDateWaitsUntilThatDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                time.instant().plusSeconds(30).atOffset(ZoneOffset.UTC));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", date));
        server.enqueue(new MockResponse().setBody("ok"));

        HttpResponse r = transport.execute(get());

        assertThat(r.status()).isEqualTo(200);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOffExponentiallyWithJitter() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(429));
        }
        server.enqueue(new MockResponse().setBody("ok"));

        HttpResponse r = transport.execute(get());

        assertThat(r.attempts()).isEqualTo(4);
        assertThat(time.sleeps).hasSize(3);
        RetryPolicy p = transport.retryPolicy();
        for (int i = 0; i < 3; i++) {
            assertThat(time.sleeps.get(i)).isBetween(Duration.ZERO, p.backoffCeiling(i + 1));
        }
        assertThat(p.backoffCeiling(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoffCeiling(3)).isEqualTo(Duration.ofMillis(2000));
        assertThat(time.sleeps)
                .as("jitter: not all pauses equal their ceiling")
                .isNotEqualTo(java.util.List.of(p.backoffCeiling(1), p.backoffCeiling(2), p.backoffCeiling(3)));
    }

    @Test
    void serviceUnavailableThenSuccess() {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setBody("ok"));

        assertThat(transport.execute(get()).status()).isEqualTo(200);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void connectionResetAtStartIsRetriedForIdempotentCalls() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setBody("ok"));

        HttpResponse r = transport.execute(get());

        assertThat(r.bodyString()).isEqualTo("ok");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(counter.countStatus(0)).isEqualTo(1);
    }

    @Test
    void truncatedBodyIsRetriedForIdempotentCalls() {
        server.enqueue(new MockResponse()
                .setBody("x".repeat(10_000))
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        server.enqueue(new MockResponse().setBody("whole"));

        HttpResponse r = transport.execute(get());

        assertThat(r.bodyString()).isEqualTo("whole");
        assertThat(r.attempts()).isEqualTo(2);
    }

    @Test
    void nonIdempotentPostIsNotRetriedAfterAReset() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setBody("must not be reached"));

        assertThatThrownBy(() -> transport.execute(post()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.provider()).contains("test");
                    assertThat(e.mailbox()).contains(Mailbox.of("alice@example.com"));
                    assertThat(e.getMessage()).contains("create request to").contains("try again later");
                });
        assertThat(time.sleeps).isEmpty();
        assertThat(counter.count("create")).isEqualTo(1);
    }

    @Test
    void nonIdempotentPostIsNotRetriedAfterAServerError() {
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setBody("must not be reached"));

        assertThatThrownBy(() -> transport.execute(post()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.statusCode()).hasValue(500);
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void insufficientStorageIsAFinalAnswerNotAServerHiccup() {
        // 507: the mailbox is over its quota; a retry, now or by a sync engine later, would fail the same way
        server.enqueue(new MockResponse().setResponseCode(507));
        server.enqueue(new MockResponse().setBody("must not be reached"));

        assertThatThrownBy(() -> transport.execute(get()))
                .isInstanceOfSatisfying(InsufficientStorageException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.statusCode()).hasValue(507);
                    assertThat(e.provider()).contains("test");
                    assertThat(e.getMessage()).contains("read request to").contains("quota");
                })
                .isNotInstanceOf(ProviderUnavailableException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void nonIdempotentPostIsRetriedAfterARateLimitBecauseTheServerDidNotActOnIt() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
        server.enqueue(new MockResponse().setResponseCode(201));

        assertThat(transport.execute(post()).status()).isEqualTo(201);
    }

    @Test
    void conditionalPutAndIdempotentOverrideAreRespected() {
        Request put = new Request.Builder()
                .url(server.url("/e.ics"))
                .header("If-None-Match", "*")
                .method("MKCALENDAR", null)
                .build();
        assertThat(HttpCall.builder(put).build().idempotent()).isTrue();
        Request postRequest = post().request();
        assertThat(HttpCall.builder(postRequest).build().idempotent()).isFalse();
        assertThat(HttpCall.builder(postRequest).idempotent(true).build().idempotent())
                .isTrue();
        assertThat(HttpCall.builder(new Request.Builder()
                                .url(server.url("/"))
                                .method("PROPFIND", RequestBody.create("", null))
                                .build())
                        .build()
                        .idempotent())
                .isTrue();
    }

    @Test
    void exhaustedServerErrorsBecomeProviderUnavailableWithAttemptsAndRequestId() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(503).setHeader("x-request-id", "req-" + i));
        }

        assertThatThrownBy(() -> transport.execute(get()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.statusCode()).hasValue(503);
                    assertThat(e.requestId()).contains("req-3");
                    assertThat(e.getMessage()).contains("attempts=4").contains("try again later");
                });
        assertThat(time.sleeps).hasSize(3);
    }

    @Test
    void exhaustedRateLimitsBecomeRateLimitedWithRetryAfter() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "2"));
        }

        assertThatThrownBy(() -> transport.execute(get())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.attempts()).isEqualTo(4);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
            assertThat(e.retryable()).isTrue();
        });
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void retryAfterLongerThanTheCapFailsAtOnceInsteadOfParkingTheThread() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3600"));

        assertThatThrownBy(() -> transport.execute(get())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        });
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void clientErrorsAreReturnedToTheCaller() {
        server.enqueue(new MockResponse().setResponseCode(404));
        server.enqueue(new MockResponse().setResponseCode(412));

        assertThat(transport.execute(get()).status()).isEqualTo(404);
        assertThat(transport.execute(get()).status()).isEqualTo(412);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void unreachableHostFailsWithATypedError() throws IOException {
        int port = server.getPort();
        server.shutdown();
        HttpCall call = HttpCall.builder(new Request.Builder()
                        .url("http://127.0.0.1:" + port + "/")
                        .build())
                .build();

        assertThatThrownBy(() -> transport.execute(call))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
                });
    }

    @Test
    void bodyLargerThanTheLimitIsRejected() {
        HttpTransport small = HttpTransport.builder()
                .maxResponseBytes(1000)
                .clock(time)
                .sleeper(time)
                .build();
        server.enqueue(new MockResponse().setBody("y".repeat(5000)));
        server.enqueue(new MockResponse()
                .setBody("y".repeat(5000))
                .removeHeader("Content-Length")
                .setChunkedBody("y".repeat(5000), 700));

        assertThatThrownBy(() -> small.execute(get()))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("larger than 1000 bytes");
        assertThatThrownBy(() -> small.execute(get())).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void noRetriesWithPolicyNone() {
        HttpTransport once = transport(RetryPolicy.none());
        server.enqueue(new MockResponse().setResponseCode(503));

        assertThatThrownBy(() -> once.execute(get()))
                .isInstanceOf(CalendarException.class)
                .satisfies(e -> assertThat(((CalendarException) e).attempts()).isEqualTo(1));
    }
}
