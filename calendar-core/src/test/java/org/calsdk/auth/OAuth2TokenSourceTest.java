package org.calsdk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.calsdk.errors.OperationTimeoutException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.http.RequestRecord;
import org.calsdk.http.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuth2TokenSourceTest {
    private final MockWebServer idp = new MockWebServer();
    private final MockWebServer api = new MockWebServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

    @BeforeEach
    void start() throws IOException {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        api.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        idp.shutdown();
        api.shutdown();
    }

    private OAuth2TokenSource.Builder source() {
        return OAuth2TokenSource.builder(idp.url("/token").toString())
                .clientId("client-1")
                .clientSecret(Secret.of("client-secret-xyz"))
                .refreshToken(Secret.of("refresh-abc"))
                .relinkUrl("https://app.example/relink")
                .clock(clock);
    }

    private static MockResponse token(String access, int expiresIn) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"access_token\":\"" + access + "\",\"expires_in\":" + expiresIn
                        + ",\"token_type\":\"Bearer\"}");
    }

    @Test
    void expiredTokenIsRefreshedOnceAndThenReused() throws InterruptedException {
        idp.enqueue(token("access-1", 3600));
        OAuth2TokenSource s = source().accessToken(
                        new AccessToken(Secret.of("old"), clock.instant().minusSeconds(1)))
                .build();

        AccessToken t = s.token();
        assertThat(t.token().reveal()).isEqualTo("access-1");
        assertThat(t.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
        assertThat(s.token()).isSameAs(t);
        assertThat(idp.getRequestCount()).isEqualTo(1);

        RecordedRequest r = idp.takeRequest();
        String form = r.getBody().readUtf8();
        assertThat(form)
                .contains(
                        "grant_type=refresh_token",
                        "refresh_token=refresh-abc",
                        "client_id=client-1",
                        "client_secret=client-secret-xyz");
    }

    @Test
    void tokenIsRefreshedWithinTheSkewBeforeExpiry() {
        idp.enqueue(token("access-1", 3600));
        idp.enqueue(token("access-2", 3600));
        OAuth2TokenSource s = source().skew(Duration.ofMinutes(5)).build();

        assertThat(s.token().token().reveal()).isEqualTo("access-1");
        clock.advance(Duration.ofMinutes(54));
        assertThat(s.token().token().reveal()).isEqualTo("access-1");
        clock.advance(Duration.ofMinutes(2)); // 4 minutes left < 5 minutes skew
        assertThat(s.token().token().reveal()).isEqualTo("access-2");
        assertThat(idp.getRequestCount()).isEqualTo(2);
    }

    @Test
    void unauthorizedResponseTriggersOneRefreshThenTheCallIsRetried() throws InterruptedException {
        idp.enqueue(token("fresh", 3600));
        OAuth2TokenSource s =
                source().accessToken(new AccessToken(Secret.of("stale"), null)).build();
        api.enqueue(new MockResponse().setResponseCode(401));
        api.enqueue(new MockResponse().setBody("events"));
        HttpTransport t = HttpTransport.builder()
                .provider("test")
                .retryPolicy(RetryPolicy.none())
                .build();

        HttpResponse r = t.execute(
                HttpCall.builder(new Request.Builder().url(api.url("/events")).build())
                        .authorizer(Authorizer.bearer(s))
                        .build());

        assertThat(r.bodyString()).isEqualTo("events");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer stale");
        assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer fresh");
        assertThat(idp.getRequestCount()).isEqualTo(1);
    }

    @Test
    void secondUnauthorizedAfterARefreshNeedsReauthorization() {
        idp.enqueue(token("fresh-token-123", 3600));
        OAuth2TokenSource s =
                source().accessToken(new AccessToken(Secret.of("stale"), null)).build();
        api.enqueue(new MockResponse().setResponseCode(401).setHeader("request-id", "r-9"));
        api.enqueue(new MockResponse().setResponseCode(401).setHeader("request-id", "r-10"));
        HttpTransport t = HttpTransport.builder().provider("test").build();

        assertThatThrownBy(() -> t.execute(HttpCall.builder(
                                new Request.Builder().url(api.url("/e")).build())
                        .authorizer(Authorizer.bearer(s))
                        .build()))
                .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                    assertThat(e.statusCode()).hasValue(401);
                    assertThat(e.requestId()).contains("r-10");
                    assertThat(e.attempts()).isEqualTo(2);
                    assertThat(e.getMessage())
                            .contains("connect the account again")
                            .doesNotContain("fresh-token-123")
                            .doesNotContain("stale");
                });
        assertThat(idp.getRequestCount()).isEqualTo(1);
    }

    @Test
    void revokedGrantNeedsReauthorizationWithTheRelinkUrlAndIsNotAskedAgain() {
        idp.enqueue(new MockResponse()
                .setResponseCode(400)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"));
        OAuth2TokenSource s = source().build();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(s::token).isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                assertThat(e.relinkUrl()).contains("https://app.example/relink");
                assertThat(e.getMessage())
                        .contains("connect the account again")
                        .contains("https://app.example/relink")
                        .doesNotContain("refresh-abc")
                        .doesNotContain("client-secret-xyz");
                assertThat(e.retryable()).isFalse();
            });
        }
        assertThat(idp.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rejectedClientCredentialsArePermissionDenied() {
        idp.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":\"invalid_client\"}"));

        assertThatThrownBy(() -> source().build().token())
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("client id and secret");
    }

    @Test
    void serverErrorsAndUnreachableEndpointsAreProviderUnavailable() throws IOException {
        idp.enqueue(new MockResponse().setResponseCode(500));
        OAuth2TokenSource s = source().build();
        assertThatThrownBy(s::token)
                .isInstanceOfSatisfying(
                        ProviderUnavailableException.class,
                        e -> assertThat(e.statusCode()).hasValue(500));
        assertThat(idp.getRequestCount())
                .as("the grant is not replayed after a 500")
                .isEqualTo(1);

        idp.shutdown();
        assertThatThrownBy(s::token)
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining(OAuth2TokenSource.OPERATION)
                .hasMessageContaining(idp.getHostName());
    }

    @Test
    void theTokenEndpointIsCalledThroughTheGivenTransportWithItsRetriesAndAccounting() {
        idp.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "1"));
        idp.enqueue(token("after-503", 3600));
        List<RequestRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Duration> pauses = new ArrayList<>();
        HttpTransport t = HttpTransport.builder()
                .provider("google")
                .listener(records::add)
                .sleeper(pauses::add)
                .build();

        assertThat(source().transport(t).build().token().token().reveal()).isEqualTo("after-503");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        assertThat(records)
                .extracting(RequestRecord::operation)
                .containsExactly(OAuth2TokenSource.OPERATION, OAuth2TokenSource.OPERATION);
        assertThat(records).extracting(RequestRecord::status).containsExactly(503, 200);
        assertThat(records).extracting(RequestRecord::provider).containsOnly("google");
    }

    @Test
    void theTransportsOriginPolicyKeepsTheGrantFromAHostItDoesNotAllow() {
        // a policy for a public HTTPS origin that refuses private addresses: the loopback token endpoint is
        // not reachable under it, so the refresh token is never sent
        OriginPolicy policy = OriginPolicy.builder(okhttp3.HttpUrl.get("https://calendar.example.com/"))
                .allowPrivateNetwork(false)
                .build();
        HttpTransport t =
                HttpTransport.builder().provider("google").originPolicy(policy).build();

        assertThatThrownBy(() -> source().transport(t).build().token()).isInstanceOf(PermissionDeniedException.class);
        assertThat(idp.getRequestCount()).isZero();
    }

    @Test
    void theTransportsDeadlineBoundsARefresh() {
        idp.enqueue(token("late", 3600).setHeadersDelay(1, TimeUnit.SECONDS));
        HttpTransport t = HttpTransport.builder()
                .provider("google")
                .timeout(Duration.ofMillis(200))
                .build();

        assertThatThrownBy(() -> source().transport(t).build().token()).isInstanceOf(OperationTimeoutException.class);
    }

    @Test
    void concurrentCallersShareOneRefresh() throws Exception {
        idp.enqueue(token("shared", 3600).setBodyDelay(200, TimeUnit.MILLISECONDS));
        idp.enqueue(token("second-refresh-must-not-happen", 3600));
        OAuth2TokenSource s = source().build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AccessToken>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return s.token();
                }));
            }
            go.countDown();
            for (Future<AccessToken> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).token().reveal()).isEqualTo("shared");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(idp.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refreshOfAnAlreadyReplacedTokenReturnsTheNewOneWithoutAnotherRefresh() {
        idp.enqueue(token("new", 3600));
        OAuth2TokenSource s = source().build();
        AccessToken first = s.token();

        AccessToken again = s.refresh(new AccessToken(Secret.of("some-older-token"), null));

        assertThat(again).isSameAs(first);
        assertThat(idp.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rotatedRefreshTokenIsSavedToTheStore() throws InterruptedException {
        InMemoryTokenStore store = new InMemoryTokenStore();
        store.store("conn-1/refresh_token", Secret.of("rt-1"));
        idp.enqueue(
                new MockResponse().setBody("{\"access_token\":\"a1\",\"expires_in\":60,\"refresh_token\":\"rt-2\"}"));
        idp.enqueue(token("a2", 3600));
        OAuth2TokenSource s = OAuth2TokenSource.builder(idp.url("/token").toString())
                .clientId("c")
                .tokenStore(store, "conn-1/refresh_token")
                .clock(clock)
                .build();

        assertThat(s.token().token().reveal()).isEqualTo("a1");
        assertThat(store.load("conn-1/refresh_token")).contains(Secret.of("rt-2"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(s.token().token().reveal()).isEqualTo("a2");
        idp.takeRequest();
        assertThat(idp.takeRequest().getBody().readUtf8()).contains("refresh_token=rt-2");
    }

    @Test
    void toStringShowsNoSecret() {
        idp.enqueue(token("access-secret-value", 3600));
        OAuth2TokenSource s = source().build();
        AccessToken t = s.token();

        assertThat(s.toString() + t + new TokenCredentials(s))
                .doesNotContain("access-secret-value", "refresh-abc", "client-secret-xyz");
    }

    @Test
    void revokedGrantDuringA401RefreshSurfacesFromTheTransportWithContext() {
        idp.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"invalid_grant\"}"));
        OAuth2TokenSource s =
                source().accessToken(new AccessToken(Secret.of("stale"), null)).build();
        api.enqueue(new MockResponse().setResponseCode(401));
        HttpTransport t = HttpTransport.builder().provider("google").build();

        assertThatThrownBy(() -> t.execute(HttpCall.builder(
                                new Request.Builder().url(api.url("/e")).build())
                        .authorizer(Authorizer.bearer(s))
                        .build()))
                .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                    assertThat(e.provider()).contains("google");
                    assertThat(e.statusCode()).hasValue(401);
                    assertThat(e.relinkUrl()).contains("https://app.example/relink");
                });
        assertThat(api.getRequestCount()).isEqualTo(1);
    }

    /** A settable clock. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
