package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.calsdk.errors.OperationTimeoutException;
import org.calsdk.errors.ProviderUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §4: a server that accepts the connection and never answers held a call for 4 attempts × the
 * read timeout (242 s); a body cut off for being too slow read "was cancelled". Each call now has one
 * deadline across all its attempts, and running out of time is an {@link OperationTimeoutException}.
 * The guards ({@code assertTimeoutPreemptively}) are generous: they only keep a regression from hanging.
 */
class HttpTransportDeadlineTest {
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

    private static OkHttpClient client(Duration readTimeout) {
        return new OkHttpClient.Builder().readTimeout(readTimeout).build();
    }

    private HttpCall propfind() {
        return HttpCall.builder(
                        new Request.Builder().url(server.url("/dav/")).get().build())
                .operation("propfind")
                .build();
    }

    @Test
    void aServerThatNeverAnswersEndsAtTheOverallDeadlineNotAfterEveryAttemptsReadTimeout() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        HttpTransport t = HttpTransport.builder()
                .okHttpClient(client(Duration.ofSeconds(20)))
                .clock(time)
                .sleeper(time)
                .timeout(Duration.ofMillis(400))
                .build();

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> t.execute(propfind()))
                        .isInstanceOfSatisfying(OperationTimeoutException.class, e -> {
                            assertThat(e.timeout()).contains(Duration.ofMillis(400));
                            assertThat(e.retryable()).isTrue();
                            assertThat(e).isInstanceOf(ProviderUnavailableException.class);
                        })
                        .hasMessageContaining("timed out")
                        .hasMessageContaining("400 ms")
                        .hasMessageNotContaining("cancelled"));
    }

    @Test
    void retriesStopWhenTheNextOneWouldStartAfterTheDeadline() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        // each attempt times out on its own after 100 ms; the pause before the next would end after the deadline
        HttpTransport t = HttpTransport.builder()
                .okHttpClient(client(Duration.ofMillis(100)))
                .clock(time)
                .sleeper(time)
                .timeout(Duration.ofMillis(1500))
                .retryPolicy(RetryPolicy.custom()
                        .baseBackoff(Duration.ofSeconds(5))
                        .maxBackoff(Duration.ofSeconds(5))
                        .random(new java.util.Random(1))
                        .build())
                .build();

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> t.execute(propfind()))
                        .isInstanceOf(OperationTimeoutException.class)
                        .hasMessageContaining("timed out"));
        assertThat(time.sleeps.stream().mapToLong(Duration::toMillis).sum()).isLessThan(1500);
    }

    @Test
    void aBodyTooSlowForTheDeadlineIsATimeoutNotACancellation() {
        server.enqueue(new MockResponse().setBody("x".repeat(200)).throttleBody(10, 100, TimeUnit.MILLISECONDS));
        HttpTransport t = HttpTransport.builder()
                .okHttpClient(client(Duration.ofSeconds(20)))
                .clock(time)
                .sleeper(time)
                .retryPolicy(RetryPolicy.none())
                .timeout(Duration.ofMillis(400))
                .build();

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> t.execute(propfind()))
                        .isInstanceOf(OperationTimeoutException.class)
                        .hasMessageContaining("timed out")
                        .hasMessageNotContaining("cancelled"));
    }

    @Test
    void aBodyCutOffByTheClientsOwnCallTimeoutIsATimeoutNotACancellation() {
        server.enqueue(new MockResponse().setBody("x".repeat(200)).throttleBody(10, 100, TimeUnit.MILLISECONDS));
        OkHttpClient withCallTimeout =
                new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300)).build();
        HttpTransport t = HttpTransport.builder()
                .okHttpClient(withCallTimeout)
                .clock(time)
                .sleeper(time)
                .retryPolicy(RetryPolicy.none())
                .build();

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> t.execute(propfind()))
                        .isInstanceOf(OperationTimeoutException.class)
                        .hasMessageContaining("did not answer in time")
                        .hasMessageContaining("timed out")
                        .hasMessageNotContaining("cancelled"));
    }

    @Test
    void aCallMaySetItsOwnDeadline() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        HttpTransport t = HttpTransport.builder()
                .okHttpClient(client(Duration.ofSeconds(20)))
                .clock(time)
                .sleeper(time)
                .retryPolicy(RetryPolicy.none())
                .build();
        assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(60));

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> t.execute(propfind().toBuilder()
                                .timeout(Duration.ofMillis(300))
                                .build()))
                        .isInstanceOfSatisfying(
                                OperationTimeoutException.class,
                                e -> assertThat(e.timeout()).contains(Duration.ofMillis(300))));
    }

    @Test
    void aFastAnswerIsUnaffected() {
        server.enqueue(new MockResponse().setBody("ok"));
        HttpTransport t = HttpTransport.builder()
                .clock(time)
                .sleeper(time)
                .timeout(Duration.ofSeconds(5))
                .build();
        assertThat(t.execute(propfind()).bodyString()).isEqualTo("ok");
    }

    @Test
    void aFailureThatIsNoTimeoutKeepsItsOwnErrorWhenNoRetryFitsBeforeTheDeadline() throws Exception {
        okhttp3.HttpUrl closed = server.url("/dav/");
        server.shutdown(); // connection refused
        HttpTransport t = HttpTransport.builder()
                .clock(time)
                .sleeper(time)
                .timeout(Duration.ofSeconds(1))
                .retryPolicy(RetryPolicy.custom()
                        .baseBackoff(Duration.ofSeconds(5))
                        .maxBackoff(Duration.ofSeconds(5))
                        .random(new java.util.Random(3))
                        .build())
                .build();
        HttpCall call =
                HttpCall.builder(new Request.Builder().url(closed).build()).build();

        assertThatThrownBy(() -> t.execute(call))
                .isInstanceOf(ProviderUnavailableException.class)
                .isNotInstanceOf(OperationTimeoutException.class)
                .hasMessageContaining("ConnectException");
    }
}
