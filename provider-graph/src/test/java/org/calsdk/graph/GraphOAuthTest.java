package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.InMemoryTokenStore;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.auth.TokenStore;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user authorization-code flow against the fake identity platform: consent URL with state and PKCE,
 * the redirect, the code exchange (single use, verifier checked), a connection refreshing through the
 * stored refresh token, and revoked consent becoming a re-authorization error carrying a consent URL.
 */
class GraphOAuthTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final String REDIRECT = "https://app.example/oauth/graph";

    FakeGraphServer graph;
    GraphOAuth oauth;
    final TokenStore store = new InMemoryTokenStore();
    final OkHttpClient browser =
            new OkHttpClient.Builder().followRedirects(false).build();

    @BeforeEach
    void start() {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .client("app-id", "app-secret")
                .build()
                .start();
        oauth = GraphOAuth.builder("app-id", Secret.of("app-secret"), REDIRECT)
                .authority(graph.authorityUrl())
                .tenant("contoso.onmicrosoft.com")
                .build();
    }

    @AfterEach
    void stop() {
        graph.close();
    }

    /** The user's browser at the consent URL: the redirect back to the app. */
    HttpUrl consent(String url) throws IOException {
        try (Response r =
                browser.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(r.code()).isEqualTo(302);
            return HttpUrl.get(r.header("Location"));
        }
    }

    @Test
    void consentExchangeRefreshAndRevocation() throws IOException {
        String state = GraphOAuth.newState();
        String verifier = GraphOAuth.newCodeVerifier();
        HttpUrl url = HttpUrl.get(oauth.consentUrl(state, verifier, ALICE));
        assertThat(url.encodedPath()).isEqualTo("/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
        assertThat(url.queryParameter("scope")).contains("offline_access").contains("Calendars.ReadWrite");
        assertThat(url.queryParameter("code_challenge_method")).isEqualTo("S256");
        assertThat(url.queryParameter("code_challenge")).hasSize(43).isNotEqualTo(verifier);
        assertThat(oauth.toString()).doesNotContain("app-secret");

        HttpUrl back = consent(url.toString());
        assertThat(GraphOAuth.sameState(state, back.queryParameter("state"))).isTrue();
        assertThat(GraphOAuth.sameState(state, "forged-state-value")).isFalse();
        String code = back.queryParameter("code");
        oauth.exchange(code, verifier, store, "conn-1");
        assertThat(store.load("conn-1/refresh_token")).isPresent();
        assertThatThrownBy(() -> oauth.exchange(code, verifier, store, "conn-1"))
                .as("a code is single use")
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid_grant");

        // a host-side token source (rotating the stored refresh token) works as credentials
        try (CalendarConnection c = GraphProvider.builder()
                .build()
                .connect(ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .credentials(new TokenCredentials(oauth.tokenSource(store, "conn-1", ALICE)))
                        .build())) {
            assertThat(c.self()).contains(ALICE);
            assertThat(c.reader().calendars(ALICE)).isNotEmpty();
        }

        // so does the stored refresh token alone; revoked consent then asks the user to consent again
        Secret refresh = store.load("conn-1/refresh_token").orElseThrow();
        try (CalendarConnection c = GraphProvider.builder()
                .build()
                .connect(ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("authorityUrl", graph.authorityUrl())
                        .setting("tenantId", "contoso.onmicrosoft.com")
                        .setting("consentRedirectUri", REDIRECT)
                        .credentials(
                                new RefreshTokenCredentials("app-id", Secret.of("app-secret"), refresh, null, ALICE))
                        .build())) {
            assertThat(c.reader().calendars(ALICE)).isNotEmpty();
            graph.revokeUserConsent("alice@example.com");
            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                        HttpUrl relink = HttpUrl.get(e.relinkUrl().orElseThrow());
                        assertThat(relink.encodedPath()).isEqualTo("/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
                        assertThat(relink.queryParameter("login_hint")).isEqualTo("alice@example.com");
                        assertThat(relink.queryParameter("state")).hasSizeGreaterThanOrEqualTo(16);
                        assertThat(e.getMessage())
                                .doesNotContain(refresh.reveal())
                                .doesNotContain("app-secret");
                    });
        }
        assertThat(oauth.disconnect(store, "conn-1")).isTrue();
        assertThat(store.load("conn-1/refresh_token")).isEmpty();
    }

    @Test
    void aWrongVerifierOrAnUnknownUserIsRefused() throws IOException {
        String verifier = GraphOAuth.newCodeVerifier();
        HttpUrl back = consent(oauth.consentUrl(GraphOAuth.newState(), verifier, ALICE));
        assertThatThrownBy(() -> oauth.exchange(back.queryParameter("code"), GraphOAuth.newCodeVerifier(), store, "c"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid_grant");
        HttpUrl denied = consent(oauth.consentUrl(GraphOAuth.newState(), verifier, Mailbox.of("nobody@example.com")));
        assertThat(denied.queryParameter("error")).isEqualTo("access_denied");
        assertThatThrownBy(() -> oauth.consentUrl("short", verifier, ALICE)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> GraphOAuth.builder("app-id", null, REDIRECT).scopes("Calendars.Read"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("offline_access");
    }
}
