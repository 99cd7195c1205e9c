package org.calsdk.google;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.OAuth2TokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenStore;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.google.internal.GoogleErrors;
import org.calsdk.google.internal.Json;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.model.Mailbox;

/**
 * A user's own Google authorization (OAuth 2 authorization code flow with offline access): the consent
 * URL the host sends the user to, the exchange of the code Google sends back for tokens (the refresh
 * token kept in the host's {@link TokenStore}, which should be an encrypting one), a refreshing token
 * source for {@link org.calsdk.auth.TokenCredentials} whose re-authorization error carries a fresh consent
 * URL, and disconnecting (revoking at Google and deleting the stored token).
 *
 * <pre>{@code
 * GoogleOAuth oauth = GoogleOAuth.builder("client-id.apps.googleusercontent.com", Secret.of(clientSecret),
 *         "https://myapp.example/oauth/google").build();
 * String state = GoogleOAuth.newState();                       // keep it in the user's session
 * String url = oauth.consentUrl(state, alice);                 // redirect the user there
 * // ... Google redirects back with ?code=...&state=...
 * if (!GoogleOAuth.sameState(state, returnedState)) { refuse(); }
 * oauth.exchange(code, store, "conn-42");                      // stores the refresh token
 * ConnectionConfig cfg = ConnectionConfig.builder("google").setting("mailbox", alice.email())
 *     .credentials(new TokenCredentials(oauth.tokenSource(store, "conn-42", alice))).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class GoogleOAuth {
    /** Google's consent page. */
    public static final String AUTHORIZATION_URL = "https://accounts.google.com/o/oauth2/v2/auth";
    /** Google's token endpoint. */
    public static final String TOKEN_URL = "https://oauth2.googleapis.com/token";
    /** Google's revocation endpoint. */
    public static final String REVOKE_URL = "https://oauth2.googleapis.com/revoke";
    /** The scopes asked for by default: read and write events, read free/busy. */
    public static final String DEFAULT_SCOPES = "https://www.googleapis.com/auth/calendar";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String clientId;
    private final Secret clientSecret;
    private final String redirectUri;
    private final String scopes;
    private final HttpUrl authorizationUrl;
    private final HttpUrl tokenUrl;
    private final HttpUrl revokeUrl;
    private final HttpTransport transport;
    private final Clock clock;

    private GoogleOAuth(Builder b) {
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.redirectUri = b.redirectUri;
        this.scopes = b.scopes;
        this.authorizationUrl = url(b.authorizationUrl, "authorizationUrl");
        this.tokenUrl = url(b.tokenUrl, "tokenUrl");
        this.revokeUrl = url(b.revokeUrl, "revokeUrl");
        this.transport = b.transport != null ? b.transport : HttpTransport.defaults(GoogleProvider.ID);
        this.clock = b.clock;
    }

    /**
     * A builder for the OAuth client {@code clientId} whose redirect URI is {@code redirectUri}.
     *
     * @param clientId     the OAuth client id ({@code ...apps.googleusercontent.com})
     * @param clientSecret the OAuth client secret; sent only to the token endpoint
     * @param redirectUri  a redirect URI registered for the client, where Google sends the code back
     * @return a builder asking for {@link #DEFAULT_SCOPES} at Google's own endpoints
     * @throws InvalidInputException when {@code clientId} is blank, {@code clientSecret} is null, or
     *                               {@code redirectUri} is not an http(s) URL
     */
    public static Builder builder(String clientId, Secret clientSecret, String redirectUri) {
        return new Builder(clientId, clientSecret, redirectUri);
    }

    /**
     * A fresh, unguessable state value (32 random bytes, base64url) to tie a consent to the user's session.
     *
     * @return 43 URL-safe characters from a {@link SecureRandom}
     */
    public static String newState() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Whether the state Google sent back is the one the host issued (compared in constant time).
     *
     * @param issued   the state the host put in the consent URL, or null
     * @param returned the {@code state} query parameter of Google's redirect, or null
     * @return true only when both are non-null and equal
     */
    public static boolean sameState(String issued, String returned) {
        if (issued == null || returned == null) {
            return false;
        }
        return MessageDigest.isEqual(
                issued.getBytes(StandardCharsets.UTF_8), returned.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The consent URL: offline access (a refresh token), the calendar scopes, consent asked again (so a
     * relink gets a new refresh token), the host's {@code state}, and the user's address as a hint.
     *
     * @param state     an unguessable value of at least 16 characters ({@link #newState()}), checked on the
     *                  redirect with {@link #sameState}
     * @param loginHint the mailbox to suggest, or null
     * @return the URL to send the user's browser to
     * @throws InvalidInputException when {@code state} is null or shorter than 16 characters
     */
    public String consentUrl(String state, Mailbox loginHint) {
        if (state == null || state.length() < 16) {
            throw new InvalidInputException(
                    "state",
                    "the state must be an unguessable value of at least 16 characters "
                            + "(use GoogleOAuth.newState())");
        }
        HttpUrl.Builder u = authorizationUrl
                .newBuilder()
                .addQueryParameter("client_id", clientId)
                .addQueryParameter("redirect_uri", redirectUri)
                .addQueryParameter("response_type", "code")
                .addQueryParameter("scope", scopes)
                .addQueryParameter("access_type", "offline")
                .addQueryParameter("prompt", "consent")
                .addQueryParameter("include_granted_scopes", "true")
                .addQueryParameter("state", state);
        if (loginHint != null) {
            u.addQueryParameter("login_hint", loginHint.email());
        }
        return u.build().toString();
    }

    /**
     * Exchanges the code from Google's redirect for tokens, keeps the refresh token in {@code store} under
     * {@code TokenStore.name(connectionId, "refresh_token")}, and returns the first access token.
     *
     * @param code         the {@code code} query parameter of Google's redirect
     * @param store        where the refresh token is kept (should encrypt at rest)
     * @param connectionId the host's id of this connection; names the stored token
     * @return the first access token, valid for the lifetime Google gave it (an hour when it names none)
     * @throws NullPointerException  if {@code store} is null
     * @throws InvalidInputException when the code is missing, Google refuses it (used already, expired, or
     *                               for another redirect URI), or gives no refresh token
     * @throws org.calsdk.errors.CalendarException on other failures of the token endpoint (outage, throttling)
     */
    public AccessToken exchange(String code, TokenStore store, String connectionId) {
        Objects.requireNonNull(store, "store == null");
        if (code == null || code.isBlank()) {
            throw new InvalidInputException("code", "the authorization code is missing");
        }
        Map<String, Object> body = post(
                tokenUrl,
                new FormBody.Builder()
                        .add("grant_type", "authorization_code")
                        .add("code", code)
                        .add("redirect_uri", redirectUri)
                        .add("client_id", clientId)
                        .add("client_secret", clientSecret.reveal())
                        .build(),
                "exchanging the authorization code");
        String access = Json.str(body, "access_token");
        String refresh = Json.str(body, "refresh_token");
        if (access == null || refresh == null) {
            throw new InvalidInputException(
                    "code",
                    "Google gave no " + (access == null ? "access" : "refresh")
                            + " token for the code; the consent must ask for offline access (consentUrl does)");
        }
        store.store(TokenStore.name(connectionId, "refresh_token"), Secret.of(refresh));
        Object expires = body.get("expires_in");
        long seconds = expires instanceof Number n ? n.longValue() : 3600;
        return new AccessToken(Secret.of(access), clock.instant().plusSeconds(seconds));
    }

    /**
     * A refreshing token source for the grant stored for {@code connectionId}; when Google says the grant is
     * gone ({@code invalid_grant}) it fails with a re-authorization error carrying a fresh consent URL (its
     * {@code state} is new: a host that checks states on return issues its own with {@link #consentUrl}).
     * Refreshes go through this object's transport, so its accounting and deadline apply to them.
     *
     * @param store        the store {@link #exchange} kept the refresh token in
     * @param connectionId the connection id passed to {@link #exchange}
     * @param mailbox      the user's mailbox (the relink URL's login hint and the errors' context)
     * @return a token source for {@link org.calsdk.auth.TokenCredentials}
     */
    public OAuth2TokenSource tokenSource(TokenStore store, String connectionId, Mailbox mailbox) {
        return OAuth2TokenSource.builder(tokenUrl.toString())
                .clientId(clientId)
                .clientSecret(clientSecret)
                .tokenStore(store, TokenStore.name(connectionId, "refresh_token"))
                .relinkUrl(consentUrl(newState(), mailbox))
                .provider(GoogleProvider.ID)
                .mailbox(mailbox)
                .clock(clock)
                .transport(transport)
                .build();
    }

    /**
     * Disconnects: revokes the stored refresh token at Google (which also ends its access tokens) and deletes
     * it from {@code store}. A token Google no longer knows counts as revoked.
     *
     * @param store        the store {@link #exchange} kept the refresh token in
     * @param connectionId the connection id passed to {@link #exchange}
     * @return whether a stored token was found (false: nothing was sent to Google)
     * @throws org.calsdk.errors.CalendarException when Google's revocation endpoint fails otherwise; the
     *                                             stored token is then kept, so the call can be repeated
     */
    public boolean disconnect(TokenStore store, String connectionId) {
        String name = TokenStore.name(connectionId, "refresh_token");
        java.util.Optional<Secret> token = store.load(name);
        if (token.isEmpty()) {
            return false;
        }
        HttpResponse r = transport.execute(HttpCall.builder(new Request.Builder()
                        .url(revokeUrl)
                        .post(new FormBody.Builder()
                                .add("token", token.get().reveal())
                                .build())
                        .build())
                .operation("oauth-revoke")
                .authorizer(Authorizer.none())
                .idempotent(true)
                .build());
        if (!r.isSuccessful() && !(r.status() == 400 && "invalid_token".equals(oauthError(r)))) {
            throw GoogleErrors.toException(r, ErrorContext.of(GoogleProvider.ID), "revoking the grant", clock);
        }
        store.delete(name);
        return true;
    }

    private Map<String, Object> post(HttpUrl url, FormBody form, String what) {
        HttpResponse r = transport.execute(
                HttpCall.builder(new Request.Builder().url(url).post(form).build())
                        .operation("oauth-token")
                        .authorizer(Authorizer.none())
                        .build());
        if (r.isSuccessful()) {
            return Json.object(r.body(), ErrorContext.of(GoogleProvider.ID));
        }
        String error = oauthError(r);
        if ("invalid_grant".equals(error) || "redirect_uri_mismatch".equals(error)) {
            throw new InvalidInputException(
                    "code",
                    what + " failed: Google refused the code (" + error + "); it was "
                            + "used already, has expired, or was issued for another redirect URI: start the consent again");
        }
        throw GoogleErrors.toException(r, ErrorContext.of(GoogleProvider.ID), what, clock);
    }

    private static String oauthError(HttpResponse r) {
        try {
            return r.body().length > 0 && r.body()[0] == '{'
                    ? Json.str(Json.object(r.body(), ErrorContext.NONE), "error")
                    : null;
        } catch (MalformedDataException e) {
            return null;
        }
    }

    private static HttpUrl url(String s, String field) {
        HttpUrl u = HttpUrl.parse(s);
        if (u == null) {
            throw new InvalidInputException(field, field + " is not an http(s) URL: " + s);
        }
        return u;
    }

    /** Client id, redirect URI and scopes; never the secret. */
    @Override
    public String toString() {
        return "GoogleOAuth[clientId=" + clientId + ", redirectUri=" + redirectUri + ", scopes=" + scopes + "]";
    }

    /** Builds a {@link GoogleOAuth}. */
    public static final class Builder {
        private final String clientId;
        private final Secret clientSecret;
        private final String redirectUri;
        private String scopes = DEFAULT_SCOPES;
        private String authorizationUrl = AUTHORIZATION_URL;
        private String tokenUrl = TOKEN_URL;
        private String revokeUrl = REVOKE_URL;
        private HttpTransport transport;
        private Clock clock = Clock.systemUTC();

        private Builder(String clientId, Secret clientSecret, String redirectUri) {
            if (clientId == null || clientId.isBlank()) {
                throw new InvalidInputException("clientId", "the OAuth client id is missing");
            }
            if (clientSecret == null) {
                throw new InvalidInputException("clientSecret", "the OAuth client secret is missing");
            }
            url(redirectUri == null ? "" : redirectUri, "redirectUri");
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.redirectUri = redirectUri;
        }

        /**
         * The scopes to ask for, space separated (default {@link #DEFAULT_SCOPES}: read and write calendars).
         *
         * @param scopes the scopes, not null
         * @return this builder
         */
        public Builder scopes(String scopes) {
            this.scopes = Objects.requireNonNull(scopes, "scopes == null");
            return this;
        }

        /**
         * Endpoints other than Google's (fakes, tests); checked when {@link #build()} runs.
         *
         * @param authorizationUrl the consent page (default {@link #AUTHORIZATION_URL})
         * @param tokenUrl         the token endpoint (default {@link #TOKEN_URL})
         * @param revokeUrl        the revocation endpoint (default {@link #REVOKE_URL})
         * @return this builder
         */
        public Builder endpoints(String authorizationUrl, String tokenUrl, String revokeUrl) {
            this.authorizationUrl = authorizationUrl;
            this.tokenUrl = tokenUrl;
            this.revokeUrl = revokeUrl;
            return this;
        }

        /**
         * The transport for the token and revoke calls (default: the SDK's defaults).
         *
         * @param transport the host's transport (its retry policy, limits and accounting apply), or null for
         *                  the default
         * @return this builder
         */
        public Builder transport(HttpTransport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * The clock that access-token expiry times are computed with (default the system UTC clock).
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * Builds the flow.
         *
         * @return the flow with this builder's settings
         * @throws InvalidInputException when an endpoint given to {@link #endpoints} is not an http(s) URL
         */
        public GoogleOAuth build() {
            return new GoogleOAuth(this);
        }
    }
}
