package org.calsdk.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.OAuth2TokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OAuth fake keeps its grants: every grant type, revocation, and tokens the other fakes can validate. */
class FakeOAuthServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServiceAccountKey SA = ServiceAccountKey.generate("sync@proj.iam.gserviceaccount.com");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final OkHttpClient http =
            new OkHttpClient.Builder().followRedirects(false).build();
    private FakeOAuthServer oauth;

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() {
        oauth = FakeOAuthServer.builder()
                .clock(clock)
                .client("app", "app-secret")
                .client("mobile", null)
                .serviceAccount(SA.clientEmail(), SA.publicKey(), Set.of("alice@example.com"))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        oauth.close();
    }

    private JsonNode post(String url, FormBody form, String basic, int expectedStatus) throws IOException {
        Request.Builder r = new Request.Builder().url(url).post(form);
        if (basic != null) {
            r.header("Authorization", basic);
        }
        try (Response resp = http.newCall(r.build()).execute()) {
            assertThat(resp.code()).isEqualTo(expectedStatus);
            String body = resp.body().string();
            return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        }
    }

    @Test
    void a_refresh_token_gives_live_access_tokens_until_it_is_revoked_then_invalid_grant() {
        String refresh = oauth.issueRefreshToken("app", "alice@example.com", "calendar");
        OAuth2TokenSource tokens = OAuth2TokenSource.builder(oauth.tokenUrl())
                .clientId("app")
                .clientSecret(Secret.of("app-secret"))
                .refreshToken(Secret.of(refresh))
                .clock(clock)
                .build();
        AccessToken t = tokens.token();
        assertThat(oauth.validate(t.token().reveal()))
                .map(FakeOAuthServer.Grant::subject)
                .contains("alice@example.com");
        assertThat(oauth.validateHeader("Bearer " + t.token().reveal())).isPresent();
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThat(oauth.validate(t.token().reveal()))
                .as("expired by the clock")
                .isEmpty();

        oauth.revoke(refresh);
        OAuth2TokenSource again = OAuth2TokenSource.builder(oauth.tokenUrl())
                .clientId("app")
                .clientSecret(Secret.of("app-secret"))
                .refreshToken(Secret.of(refresh))
                .clock(clock)
                .build();
        assertThatThrownBy(again::token).isInstanceOf(ReauthorizationRequiredException.class);
    }

    @Test
    void the_authorization_code_flow_binds_codes_to_client_and_redirect_and_uses_them_once() throws IOException {
        HttpUrl authorize = HttpUrl.get(oauth.authorizeUrl())
                .newBuilder()
                .addQueryParameter("client_id", "app")
                .addQueryParameter("redirect_uri", "http://localhost/cb")
                .addQueryParameter("state", "xyz")
                .addQueryParameter("login_hint", "alice@example.com")
                .addQueryParameter("scope", "calendar")
                .build();
        HttpUrl back;
        try (Response r =
                http.newCall(new Request.Builder().url(authorize).build()).execute()) {
            assertThat(r.code()).isEqualTo(302);
            back = HttpUrl.get(r.header("Location"));
        }
        assertThat(back.queryParameter("state")).isEqualTo("xyz");
        String code = back.queryParameter("code");
        FormBody wrongRedirect = new FormBody.Builder()
                .add("grant_type", "authorization_code")
                .add("code", code)
                .add("redirect_uri", "http://evil/cb")
                .add("client_id", "app")
                .add("client_secret", "app-secret")
                .build();
        assertThat(post(oauth.tokenUrl(), wrongRedirect, null, 400).get("error").asText())
                .isEqualTo("invalid_grant");

        String code2 = oauth.authorizationCode("app", "bob@example.com", "http://localhost/cb", "calendar");
        FormBody exchange = new FormBody.Builder()
                .add("grant_type", "authorization_code")
                .add("code", code2)
                .add("redirect_uri", "http://localhost/cb")
                .build();
        JsonNode ok = post(oauth.tokenUrl(), exchange, Credentials.basic("app", "app-secret"), 200);
        assertThat(ok.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(ok.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(oauth.validate(ok.get("access_token").asText()))
                .map(FakeOAuthServer.Grant::subject)
                .contains("bob@example.com");
        assertThat(post(oauth.tokenUrl(), exchange, Credentials.basic("app", "app-secret"), 400)
                        .get("error")
                        .asText())
                .as("a code is used once")
                .isEqualTo("invalid_grant");

        FormBody refresh = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", ok.get("refresh_token").asText())
                .add("client_id", "app")
                .add("client_secret", "app-secret")
                .build();
        assertThat(post(oauth.tokenUrl(), refresh, null, 200).has("access_token"))
                .isTrue();
        post(
                oauth.revokeUrl(),
                new FormBody.Builder()
                        .add("token", ok.get("refresh_token").asText())
                        .build(),
                null,
                200);
        assertThat(post(oauth.tokenUrl(), refresh, null, 400)
                        .get("error_description")
                        .asText())
                .contains("revoked");
    }

    @Test
    void client_credentials_need_the_right_secret() throws IOException {
        FormBody cc = new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("scope", "https://graph.microsoft.com/.default")
                .build();
        JsonNode ok = post(oauth.tokenUrl(), cc, Credentials.basic("app", "app-secret"), 200);
        assertThat(oauth.validate(ok.get("access_token").asText()))
                .map(FakeOAuthServer.Grant::subject)
                .contains("app");
        assertThat(post(oauth.tokenUrl(), cc, Credentials.basic("app", "wrong"), 401)
                        .get("error")
                        .asText())
                .isEqualTo("invalid_client");
        assertThat(post(oauth.tokenUrl(), cc, Credentials.basic("mobile", ""), 401)
                        .get("error")
                        .asText())
                .as("a public client has no app identity")
                .isEqualTo("invalid_client");
        assertThat(post(
                                oauth.tokenUrl(),
                                new FormBody.Builder()
                                        .add("grant_type", "password")
                                        .build(),
                                null,
                                400)
                        .get("error")
                        .asText())
                .isEqualTo("unsupported_grant_type");
    }

    @Test
    void the_jwt_bearer_grant_acts_only_as_the_allowed_subjects_with_a_valid_fresh_signature() throws IOException {
        String assertion = SA.signAssertion(oauth.tokenUrl(), "alice@example.com", "calendar", clock.now);
        JsonNode ok = post(oauth.tokenUrl(), jwt(assertion), null, 200);
        FakeOAuthServer.Grant g =
                oauth.validate(ok.get("access_token").asText()).orElseThrow();
        assertThat(g.subject()).isEqualTo("alice@example.com");
        assertThat(g.clientId()).isEqualTo(SA.clientEmail());
        assertThat(post(oauth.tokenUrl(), jwt(assertion), null, 400)
                        .get("error")
                        .asText())
                .as("replayed")
                .isEqualTo("invalid_grant");

        JsonNode notAllowed = post(
                oauth.tokenUrl(),
                jwt(SA.signAssertion(oauth.tokenUrl(), "mallory@example.com", "calendar", clock.now)),
                null,
                401);
        assertThat(notAllowed.get("error").asText()).isEqualTo("unauthorized_client");

        ServiceAccountKey other = ServiceAccountKey.generate(SA.clientEmail()); // same name, wrong key
        assertThat(post(
                                oauth.tokenUrl(),
                                jwt(other.signAssertion(oauth.tokenUrl(), "alice@example.com", "calendar", clock.now)),
                                null,
                                400)
                        .get("error_description")
                        .asText())
                .contains("Signature");
        assertThat(post(
                                oauth.tokenUrl(),
                                jwt(SA.signAssertion(
                                        oauth.tokenUrl(),
                                        "alice@example.com",
                                        "calendar",
                                        clock.now.minus(Duration.ofHours(3)))),
                                null,
                                400)
                        .get("error")
                        .asText())
                .as("expired")
                .isEqualTo("invalid_grant");
        assertThat(post(
                                oauth.tokenUrl(),
                                jwt(SA.signAssertion(
                                        "https://elsewhere/oauth", "alice@example.com", "calendar", clock.now)),
                                null,
                                400)
                        .get("error")
                        .asText())
                .as("other audience")
                .isEqualTo("invalid_grant");
        assertThat(oauth.issuedAccessTokens()).isEqualTo(1);
        assertThat(SA.toString()).doesNotContain("PRIVATE");
    }

    private static FormBody jwt(String assertion) {
        return new FormBody.Builder()
                .add("grant_type", FakeOAuthServer.JWT_BEARER)
                .add("assertion", assertion)
                .build();
    }
}
