package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.EncryptedTokenStore;
import org.calsdk.auth.InMemoryTokenStore;
import org.calsdk.auth.OAuth2TokenSource;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.auth.TokenStore;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.RequestRecord;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A user's own grant: consent URL, code exchange into the token store, refreshing use, disconnect. */
class GoogleOAuthTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private FakeGoogleServer google;
    private GoogleOAuth oauth;
    private final InMemoryTokenStore store = new InMemoryTokenStore();

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder()
                .user(ALICE.email(), "Alice")
                .authorizationCode("code-1", ALICE.email())
                .build()
                .start();
        oauth = GoogleOAuth.builder(
                        "client-1.apps.googleusercontent.com",
                        Secret.of("client-secret"),
                        "https://app.example/oauth/google")
                .endpoints(GoogleOAuth.AUTHORIZATION_URL, google.tokenUrl(), google.revokeUrl())
                .build();
    }

    @AfterEach
    void stop() {
        google.close();
    }

    @Test
    void theConsentUrlAsksForOfflineAccessWithTheHostsState() {
        String state = GoogleOAuth.newState();
        HttpUrl u = HttpUrl.parse(oauth.consentUrl(state, ALICE));
        assertThat(u.host()).isEqualTo("accounts.google.com");
        assertThat(u.queryParameter("access_type")).isEqualTo("offline");
        assertThat(u.queryParameter("prompt")).isEqualTo("consent");
        assertThat(u.queryParameter("response_type")).isEqualTo("code");
        assertThat(u.queryParameter("scope")).isEqualTo(GoogleOAuth.DEFAULT_SCOPES);
        assertThat(u.queryParameter("state")).isEqualTo(state);
        assertThat(u.queryParameter("login_hint")).isEqualTo(ALICE.email());
        assertThat(u.queryParameter("redirect_uri")).isEqualTo("https://app.example/oauth/google");
        assertThat(GoogleOAuth.sameState(state, state)).isTrue();
        assertThat(GoogleOAuth.sameState(state, GoogleOAuth.newState())).isFalse();
        assertThatThrownBy(() -> oauth.consentUrl("short", null)).isInstanceOf(InvalidInputException.class);
        assertThat(oauth.toString()).doesNotContain("client-secret");
    }

    @Test
    void theCodeBecomesAStoredGrantThatConnectsAndRefreshes() {
        AccessToken first = oauth.exchange("code-1", store, "conn-1");
        assertThat(first.token().reveal()).isNotBlank();
        assertThat(store.load(TokenStore.name("conn-1", "refresh_token"))).isPresent();
        assertThatThrownBy(() -> oauth.exchange("code-1", store, "conn-2"))
                .as("a code works once")
                .isInstanceOf(InvalidInputException.class);

        OAuth2TokenSource tokens = oauth.tokenSource(store, "conn-1", ALICE);
        try (CalendarConnection c = new GoogleProvider()
                .connect(ConnectionConfig.builder("google")
                        .setting("baseUrl", google.baseUrl())
                        .setting("mailbox", ALICE.email())
                        .credentials(new TokenCredentials(tokens))
                        .build())) {
            assertThat(c.reader().calendars(ALICE)).isNotEmpty();
        }
    }

    @Test
    void anEncryptedStoredGrantRefreshesByItselfWhenTheAccessTokenExpiresOrIsRejected() {
        GoogleImpersonationTest.MutableClock clock = new GoogleImpersonationTest.MutableClock(Instant.now());
        google.close();
        google = FakeGoogleServer.builder()
                .clock(clock)
                .tokenLifetime(Duration.ofMinutes(30))
                .user(ALICE.email(), "Alice")
                .authorizationCode("code-1", ALICE.email())
                .build()
                .start();
        List<RequestRecord> records = new CopyOnWriteArrayList<>();
        HttpTransport transport = HttpTransport.builder()
                .provider("google")
                .clock(clock)
                .listener(records::add)
                .build();
        GoogleOAuth o = GoogleOAuth.builder(
                        "client-1.apps.googleusercontent.com",
                        Secret.of("client-secret"),
                        "https://app.example/oauth/google")
                .endpoints(GoogleOAuth.AUTHORIZATION_URL, google.tokenUrl(), google.revokeUrl())
                .transport(transport)
                .clock(clock)
                .build();
        Map<String, byte[]> records2 = new ConcurrentHashMap<>();
        TokenStore encrypted = EncryptedTokenStore.builder()
                .key(EncryptedTokenStore.newKey())
                .records(records2)
                .build();

        o.exchange("code-1", encrypted, "conn-1");
        String refresh = encrypted
                .load(TokenStore.name("conn-1", "refresh_token"))
                .orElseThrow()
                .reveal();
        assertThat(records2.values())
                .as("kept encrypted")
                .allSatisfy(v -> assertThat(new String(v, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain(refresh));

        try (CalendarConnection c = new GoogleProvider()
                .connect(ConnectionConfig.builder("google")
                        .clock(clock)
                        .setting("baseUrl", google.baseUrl())
                        .setting("mailbox", ALICE.email())
                        .credentials(new TokenCredentials(o.tokenSource(encrypted, "conn-1", ALICE)))
                        .build())) {
            c.reader().calendars(ALICE);
            c.reader().calendars(ALICE);
            assertThat(tokenCalls(records))
                    .as("exchange, then one refresh for the source's first token")
                    .isEqualTo(2);

            clock.advance(Duration.ofMinutes(45)); // the token has expired: refreshed before the call, no 401
            c.reader().calendars(ALICE);
            assertThat(tokenCalls(records)).isEqualTo(3);

            google.revokeAccessTokens(ALICE.email()); // Google dropped the access token: one 401, one refresh
            assertThat(c.reader().calendars(ALICE)).isNotEmpty();
            assertThat(tokenCalls(records)).isEqualTo(4);
        }
    }

    @Test
    void aRevokedGrantAsksTheHostToRelinkWithAFreshConsentUrl() {
        oauth.exchange("code-1", store, "conn-1");
        try (CalendarConnection c = new GoogleProvider()
                .connect(ConnectionConfig.builder("google")
                        .setting("baseUrl", google.baseUrl())
                        .setting("mailbox", ALICE.email())
                        .credentials(new TokenCredentials(oauth.tokenSource(store, "conn-1", ALICE)))
                        .build())) {
            c.reader().calendars(ALICE);
            // the user removed the app in their Google account: refresh and access tokens are gone
            google.revokeAccessTokens(ALICE.email());
            assertThat(oauth.disconnect(copy(store, "conn-1"), "conn-1")).isTrue();

            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                        assertThat(e.provider()).contains("google");
                        assertThat(e.relinkUrl()).hasValueSatisfying(u -> {
                            HttpUrl url = HttpUrl.parse(u);
                            assertThat(url.queryParameter("access_type")).isEqualTo("offline");
                            assertThat(url.queryParameter("login_hint")).isEqualTo(ALICE.email());
                            assertThat(url.queryParameter("state")).hasSizeGreaterThanOrEqualTo(16);
                        });
                        assertThat(e.getMessage())
                                .doesNotContain(store.load(TokenStore.name("conn-1", "refresh_token"))
                                        .orElseThrow()
                                        .reveal());
                    });
        }
    }

    @Test
    void aStoredRefreshTokenConnectsThroughTheConnectionsOwnTransport() {
        String refresh = "1//stored-grant";
        google.close();
        google = FakeGoogleServer.builder()
                .user(ALICE.email(), "Alice")
                .refreshToken(refresh, ALICE.email())
                .build()
                .start();
        List<RequestRecord> records = new CopyOnWriteArrayList<>();
        GoogleProvider provider =
                GoogleProvider.builder().listener(records::add).build();
        try (CalendarConnection c = provider.connect(ConnectionConfig.builder("google")
                .setting("baseUrl", google.baseUrl())
                .setting("tokenUrl", google.tokenUrl())
                .credentials(new RefreshTokenCredentials(
                        "client-1", Secret.of("client-secret"), Secret.of(refresh), null, ALICE))
                .build())) {
            assertThat(c.reader().calendars(ALICE)).isNotEmpty();
        }
        assertThat(tokenCalls(records))
                .as("the refresh is counted by the connection's accounting")
                .isEqualTo(1);
        assertThat(records).extracting(RequestRecord::provider).containsOnly("google");
    }

    private static long tokenCalls(List<RequestRecord> records) {
        return records.stream().filter(r -> r.operation().equals("oauth-token")).count();
    }

    /** A second store holding the same grant (the host's copy, so the test can still read the token). */
    private static InMemoryTokenStore copy(TokenStore from, String connectionId) {
        InMemoryTokenStore s = new InMemoryTokenStore();
        String name = TokenStore.name(connectionId, "refresh_token");
        s.store(name, from.load(name).orElseThrow());
        return s;
    }

    @Test
    void disconnectRevokesAtGoogleAndForgetsTheGrant() {
        oauth.exchange("code-1", store, "conn-1");
        Secret refresh = store.load(TokenStore.name("conn-1", "refresh_token")).orElseThrow();
        assertThat(oauth.disconnect(store, "conn-1")).isTrue();
        assertThat(store.load(TokenStore.name("conn-1", "refresh_token"))).isEmpty();
        assertThat(oauth.disconnect(store, "conn-1"))
                .as("nothing left to disconnect")
                .isFalse();

        InMemoryTokenStore old = new InMemoryTokenStore();
        old.store(TokenStore.name("conn-1", "refresh_token"), refresh);
        OAuth2TokenSource revoked = oauth.tokenSource(old, "conn-1", ALICE);
        assertThatThrownBy(revoked::token)
                .isInstanceOfSatisfying(
                        ReauthorizationRequiredException.class,
                        e -> assertThat(e.relinkUrl())
                                .hasValueSatisfying(u -> assertThat(u)
                                        .startsWith(GoogleOAuth.AUTHORIZATION_URL)
                                        .contains("access_type=offline")));
    }
}
