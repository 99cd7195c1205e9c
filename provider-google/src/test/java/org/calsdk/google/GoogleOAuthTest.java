package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.InMemoryTokenStore;
import org.calsdk.auth.OAuth2TokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.auth.TokenStore;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.google.FakeGoogleServer;

/** A user's own grant: consent URL, code exchange into the token store, refreshing use, disconnect. */
class GoogleOAuthTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private FakeGoogleServer google;
    private GoogleOAuth oauth;
    private final InMemoryTokenStore store = new InMemoryTokenStore();

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder().user(ALICE.email(), "Alice").authorizationCode("code-1", ALICE.email())
                .build().start();
        oauth = GoogleOAuth.builder("client-1.apps.googleusercontent.com", Secret.of("client-secret"),
                        "https://app.example/oauth/google")
                .endpoints(GoogleOAuth.AUTHORIZATION_URL, google.tokenUrl(), google.revokeUrl()).build();
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
        assertThatThrownBy(() -> oauth.exchange("code-1", store, "conn-2")).as("a code works once")
                .isInstanceOf(InvalidInputException.class);

        OAuth2TokenSource tokens = oauth.tokenSource(store, "conn-1", ALICE);
        try (CalendarConnection c = new GoogleProvider().connect(ConnectionConfig.builder("google")
                .setting("baseUrl", google.baseUrl()).setting("mailbox", ALICE.email())
                .credentials(new TokenCredentials(tokens)).build())) {
            assertThat(c.reader().calendars(ALICE)).isNotEmpty();
        }
    }

    @Test
    void disconnectRevokesAtGoogleAndForgetsTheGrant() {
        oauth.exchange("code-1", store, "conn-1");
        Secret refresh = store.load(TokenStore.name("conn-1", "refresh_token")).orElseThrow();
        assertThat(oauth.disconnect(store, "conn-1")).isTrue();
        assertThat(store.load(TokenStore.name("conn-1", "refresh_token"))).isEmpty();
        assertThat(oauth.disconnect(store, "conn-1")).as("nothing left to disconnect").isFalse();

        InMemoryTokenStore old = new InMemoryTokenStore();
        old.store(TokenStore.name("conn-1", "refresh_token"), refresh);
        OAuth2TokenSource revoked = oauth.tokenSource(old, "conn-1", ALICE);
        assertThatThrownBy(revoked::token).isInstanceOfSatisfying(ReauthorizationRequiredException.class,
                e -> assertThat(e.relinkUrl()).hasValueSatisfying(u -> assertThat(u)
                        .startsWith(GoogleOAuth.AUTHORIZATION_URL).contains("access_type=offline")));
    }
}
