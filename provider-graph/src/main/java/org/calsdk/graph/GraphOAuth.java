package org.calsdk.graph;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import org.calsdk.graph.internal.Json;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpErrors;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.model.Mailbox;

/**
 * A user's own Microsoft 365 authorization (the Microsoft identity platform's authorization-code flow with
 * {@code offline_access}, and PKCE): the consent URL the host sends the user to, the exchange of the code
 * that comes back for tokens (the refresh token kept in the host's {@link TokenStore}, which should be an
 * encrypting one), a refreshing token source whose re-authorization error ({@code invalid_grant}: consent
 * revoked, password reset, token expired) carries a fresh consent URL, and disconnecting.
 *
 * <pre>{@code
 * GraphOAuth oauth = GraphOAuth.builder(clientId, Secret.of(clientSecret), "https://myapp.example/oauth/graph").build();
 * String state = GraphOAuth.newState(), verifier = GraphOAuth.newCodeVerifier();   // keep both in the session
 * String url = oauth.consentUrl(state, verifier, alice);                           // redirect the user there
 * // ... the platform redirects back with ?code=...&state=...
 * if (!GraphOAuth.sameState(state, returnedState)) { refuse(); }
 * oauth.exchange(code, verifier, store, "conn-42");                                // stores the refresh token
 * ConnectionConfig cfg = ConnectionConfig.builder("graph").setting("mailbox", alice.email())
 *     .credentials(new TokenCredentials(oauth.tokenSource(store, "conn-42", alice))).build();
 * }</pre>
 *
 * @since 0.2
 */
public final class GraphOAuth {
    /**
     * The delegated permissions asked for by default: a refresh token, read and write the user's calendars,
     * and the user's own profile (to find the mailbox address).
     */
    public static final String DEFAULT_SCOPES =
            "offline_access https://graph.microsoft.com/Calendars.ReadWrite " + "https://graph.microsoft.com/User.Read";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String clientId;
    private final Secret clientSecret;
    private final String redirectUri;
    private final String scopes;
    private final HttpUrl authorizeUrl;
    private final HttpUrl tokenUrl;
    private final HttpTransport transport;
    private final Clock clock;

    private GraphOAuth(Builder b) {
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.redirectUri = b.redirectUri;
        this.scopes = b.scopes;
        HttpUrl authority = url(b.authority, "authority");
        HttpUrl base = authority
                .newBuilder()
                .addPathSegment(b.tenant)
                .addPathSegment("oauth2")
                .addPathSegment("v2.0")
                .build();
        this.authorizeUrl = base.newBuilder().addPathSegment("authorize").build();
        this.tokenUrl = base.newBuilder().addPathSegment("token").build();
        this.transport = (b.transport != null ? b.transport : HttpTransport.defaults(GraphProvider.ID))
                .withOriginPolicy(OriginPolicy.builder(authority)
                        .allowPrivateNetwork(OriginPolicy.namesLoopback(authority))
                        .build());
        this.clock = b.clock;
    }

    /**
     * A builder for the app {@code clientId} with redirect URI {@code redirectUri}.
     *
     * @param clientId     the app's (client) id from its Entra ID registration
     * @param clientSecret the app's client secret, or null for a public client (PKCE alone)
     * @param redirectUri  the redirect URI registered for the app, where the platform sends the code back
     * @return a builder asking for {@link #DEFAULT_SCOPES} in the {@code organizations} tenant
     * @throws InvalidInputException when {@code clientId} is blank or {@code redirectUri} is not an http(s) URL
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
        return random(32);
    }

    /**
     * A fresh PKCE code verifier (32 random bytes, base64url: 43 characters, RFC 7636).
     *
     * @return the verifier, to keep in the user's session until {@link #exchange}
     */
    public static String newCodeVerifier() {
        return random(32);
    }

    /**
     * Whether the state that came back is the one the host issued (compared in constant time).
     *
     * @param issued   the state the host put in the consent URL, or null
     * @param returned the {@code state} query parameter of the redirect, or null
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
     * The consent URL: the scopes (with {@code offline_access}, so a refresh token comes back), the host's
     * {@code state}, the PKCE challenge of {@code codeVerifier} (S256), and the user's address as a hint.
     *
     * @param state        an unguessable value of at least 16 characters ({@link #newState()}), checked on the
     *                     redirect with {@link #sameState}
     * @param codeVerifier the verifier kept for {@link #exchange}, or null to send no challenge
     * @param loginHint    the mailbox to suggest, or null
     * @return the URL to send the user's browser to
     * @throws InvalidInputException when {@code state} is null or shorter than 16 characters, or
     *                               {@code codeVerifier} does not have 43 to 128 characters
     */
    public String consentUrl(String state, String codeVerifier, Mailbox loginHint) {
        if (state == null || state.length() < 16) {
            throw new InvalidInputException(
                    "state",
                    "the state must be an unguessable value of at least 16 "
                            + "characters (use GraphOAuth.newState())");
        }
        HttpUrl.Builder u = authorizeUrl
                .newBuilder()
                .addQueryParameter("client_id", clientId)
                .addQueryParameter("response_type", "code")
                .addQueryParameter("redirect_uri", redirectUri)
                .addQueryParameter("response_mode", "query")
                .addQueryParameter("scope", scopes)
                .addQueryParameter("state", state);
        if (codeVerifier != null) {
            u.addQueryParameter("code_challenge", challenge(codeVerifier))
                    .addQueryParameter("code_challenge_method", "S256");
        }
        if (loginHint != null) {
            u.addQueryParameter("login_hint", loginHint.email());
        }
        return u.build().toString();
    }

    /**
     * Exchanges the code from the redirect for tokens, keeps the refresh token in {@code store} under
     * {@code TokenStore.name(connectionId, "refresh_token")}, and returns the first access token.
     *
     * @param code         the {@code code} query parameter of the redirect
     * @param codeVerifier the verifier whose challenge the consent URL carried, or null if it carried none
     * @param store        where the refresh token is kept (should encrypt at rest)
     * @param connectionId the host's id of this connection; names the stored token
     * @return the first access token, valid until its expiry (at least 60 s from now)
     * @throws NullPointerException  if {@code store} is null
     * @throws InvalidInputException when the code is missing, or the platform refuses it (used already,
     *                               expired, another redirect URI, a wrong verifier) or gives no refresh token
     * @throws org.calsdk.errors.CalendarException on other failures of the token endpoint (outage, throttling)
     */
    public AccessToken exchange(String code, String codeVerifier, TokenStore store, String connectionId) {
        Objects.requireNonNull(store, "store == null");
        if (code == null || code.isBlank()) {
            throw new InvalidInputException("code", "the authorization code is missing");
        }
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "authorization_code")
                .add("code", code)
                .add("redirect_uri", redirectUri)
                .add("client_id", clientId)
                .add("scope", scopes);
        if (codeVerifier != null) {
            form.add("code_verifier", codeVerifier);
        }
        if (clientSecret != null) {
            form.add("client_secret", clientSecret.reveal());
        }
        HttpResponse r = transport.execute(HttpCall.builder(
                        new Request.Builder().url(tokenUrl).post(form.build()).build())
                .operation("oauth-token")
                .authorizer(Authorizer.none())
                .build());
        Map<String, Object> body = body(r);
        if (!r.isSuccessful()) {
            String error = Json.str(body, "error");
            if (r.status() == 400 || r.status() == 401) {
                throw new InvalidInputException(
                        "code",
                        "exchanging the authorization code failed: the identity "
                                + "platform refused it (" + (error == null ? "HTTP " + r.status() : error)
                                + "); it was used "
                                + "already, has expired, was issued for another redirect URI or verifier: start the consent "
                                + "again");
            }
            throw HttpErrors.toException(
                    r, ErrorContext.of(GraphProvider.ID), "exchanging the authorization code", clock);
        }
        String access = Json.str(body, "access_token");
        String refresh = Json.str(body, "refresh_token");
        if (access == null || refresh == null) {
            throw new InvalidInputException(
                    "code",
                    "the identity platform gave no " + (access == null ? "access" : "refresh")
                            + " token for the code; the consent must ask for offline_access");
        }
        store.store(TokenStore.name(connectionId, "refresh_token"), Secret.of(refresh));
        long seconds = Json.number(body, "expires_in", 3600);
        return new AccessToken(Secret.of(access), clock.instant().plusSeconds(Math.max(60, seconds)));
    }

    /**
     * A refreshing token source for the grant stored for {@code connectionId} (a rotated refresh token is
     * stored again); when the platform says the grant is gone ({@code invalid_grant}) it fails with a
     * {@link org.calsdk.errors.ReauthorizationRequiredException} whose relink URL is a fresh consent URL
     * (without a PKCE challenge: the host reads its {@code state} from the URL). No call is made until the
     * first token is asked for.
     *
     * @param store        the store {@link #exchange} kept the refresh token in
     * @param connectionId the connection id passed to {@link #exchange}
     * @param mailbox      the user's mailbox (the relink URL's login hint and the errors' context), or null
     * @return a token source for {@link org.calsdk.auth.TokenCredentials}
     */
    public OAuth2TokenSource tokenSource(TokenStore store, String connectionId, Mailbox mailbox) {
        OAuth2TokenSource.Builder b = OAuth2TokenSource.builder(tokenUrl.toString())
                .clientId(clientId)
                .scope(scopes)
                .tokenStore(store, TokenStore.name(connectionId, "refresh_token"))
                .relinkUrl(consentUrl(newState(), null, mailbox))
                .provider(GraphProvider.ID)
                .clock(clock);
        if (clientSecret != null) {
            b.clientSecret(clientSecret);
        }
        if (mailbox != null) {
            b.mailbox(mailbox);
        }
        return b.build();
    }

    /**
     * Disconnects: deletes the stored refresh token. The identity platform has no endpoint that revokes one
     * refresh token; the user (or an administrator) removes the app's consent in their account to end it
     * at the source. Push subscriptions are the sync engine's to stop ({@code SyncEngine.removeMailbox}).
     *
     * @param store        the store {@link #exchange} kept the refresh token in
     * @param connectionId the connection id passed to {@link #exchange}
     * @return whether a stored token was found
     */
    public boolean disconnect(TokenStore store, String connectionId) {
        return store.delete(TokenStore.name(connectionId, "refresh_token"));
    }

    private static Map<String, Object> body(HttpResponse r) {
        try {
            return r.body().length == 0 ? Map.of() : Json.object(r.body());
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /** The S256 PKCE challenge of a verifier: base64url(SHA-256(verifier)), RFC 7636 section 4.2. */
    static String challenge(String verifier) {
        if (verifier.length() < 43 || verifier.length() > 128) {
            throw new InvalidInputException(
                    "codeVerifier",
                    "a PKCE code verifier has 43 to 128 characters (use " + "GraphOAuth.newCodeVerifier())");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static HttpUrl url(String s, String field) {
        HttpUrl u = s == null ? null : HttpUrl.parse(s);
        if (u == null) {
            throw new InvalidInputException(field, field + " is not an http(s) URL");
        }
        return u;
    }

    /** Client id, redirect URI, endpoints and scopes; never the secret. */
    @Override
    public String toString() {
        return "GraphOAuth[clientId=" + clientId + ", redirectUri=" + redirectUri + ", token=" + tokenUrl + ", scopes="
                + scopes + "]";
    }

    /** Builds a {@link GraphOAuth}. */
    public static final class Builder {
        private final String clientId;
        private final Secret clientSecret;
        private final String redirectUri;
        private String scopes = DEFAULT_SCOPES;
        private String authority = GraphProvider.DEFAULT_AUTHORITY;
        private String tenant = "organizations";
        private HttpTransport transport;
        private Clock clock = Clock.systemUTC();

        private Builder(String clientId, Secret clientSecret, String redirectUri) {
            if (clientId == null || clientId.isBlank()) {
                throw new InvalidInputException("clientId", "the app's client id is missing");
            }
            url(redirectUri, "redirectUri");
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.redirectUri = redirectUri;
        }

        /**
         * The delegated scopes to ask for, space separated (default {@link #DEFAULT_SCOPES}).
         *
         * @param scopes the scopes, including {@code offline_access}
         * @return this builder
         * @throws InvalidInputException when {@code scopes} is null or lacks {@code offline_access}
         */
        public Builder scopes(String scopes) {
            if (scopes == null || !scopes.contains("offline_access")) {
                throw new InvalidInputException(
                        "scopes", "the scopes must include offline_access, or no refresh " + "token comes back");
            }
            this.scopes = scopes;
            return this;
        }

        /**
         * The tenant whose users sign in: its id or domain, {@code organizations} (any work account, the
         * default), or {@code common} (work and personal accounts).
         *
         * @param tenant the tenant; surrounding blanks are removed
         * @return this builder
         * @throws InvalidInputException when {@code tenant} is null, blank or contains {@code /}
         */
        public Builder tenant(String tenant) {
            if (tenant == null || tenant.isBlank() || tenant.contains("/")) {
                throw new InvalidInputException(
                        "tenant", "the tenant is a tenant id, a domain, 'organizations' or " + "'common'");
            }
            this.tenant = tenant.strip();
            return this;
        }

        /**
         * The authority root (default {@code https://login.microsoftonline.com/}; a national cloud, a fake).
         * Token calls may go only to its origin; a loopback authority is allowed (for fakes).
         *
         * @param authority the root URL
         * @return this builder
         * @throws InvalidInputException when {@code authority} is not an http(s) URL
         */
        public Builder authority(String authority) {
            url(authority, "authority");
            this.authority = authority;
            return this;
        }

        /**
         * The transport for the token calls (default: the SDK's defaults), kept to the authority's origin.
         *
         * @param transport the host's transport (its retry policy, limits and accounting apply), not null
         * @return this builder
         */
        public Builder transport(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport == null");
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
         */
        public GraphOAuth build() {
            return new GraphOAuth(this);
        }
    }
}
