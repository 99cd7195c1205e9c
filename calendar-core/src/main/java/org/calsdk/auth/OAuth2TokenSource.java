package org.calsdk.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.internal.RequestIds;
import org.calsdk.http.internal.RetryAfter;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * Access tokens from an OAuth 2 refresh token ({@code grant_type=refresh_token}, RFC 6749 section 6)
 * against a token endpoint such as Google's {@code https://oauth2.googleapis.com/token} or Microsoft's
 * {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}.
 *
 * <p>The cached token is reused until it is within {@code skew} of its expiry by the injected clock. One
 * refresh runs at a time: concurrent callers wait for it and share its result. A rotated refresh token in
 * the response replaces the old one (and is saved to the {@link TokenStore} when one is configured). When
 * the endpoint answers {@code invalid_grant} (revoked or expired grant) the source fails with
 * {@link ReauthorizationRequiredException} carrying the relink URL, now and on every later call, without
 * asking the endpoint again. A 5xx or I/O failure gives {@link ProviderUnavailableException}.
 *
 * <p>The token endpoint is called through an {@link HttpTransport} (operation {@code oauth-token}, no
 * authorizer): {@link Builder#transport} hands in the provider connection's or the host's, so its origin
 * policy, overall deadline, retry policy (a 429 or 503 is retried; the grant is not replayed after other
 * failures) and request accounting apply to refreshes too. Without one, the source uses
 * {@link HttpTransport#defaults(String)}.
 *
 * <pre>{@code
 * OAuth2TokenSource tokens = OAuth2TokenSource.builder("https://oauth2.googleapis.com/token")
 *     .clientId(clientId)
 *     .clientSecret(Secret.of(clientSecret))
 *     .tokenStore(store, TokenStore.name("conn-42", "refresh_token"))
 *     .relinkUrl("https://myapp.example/connect/google")
 *     .build();
 * Authorizer auth = Authorizer.bearer(tokens);
 * }</pre>
 *
 * @since 0.1
 */
public final class OAuth2TokenSource implements AccessTokenSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The operation name of token endpoint calls in request records and errors. */
    public static final String OPERATION = "oauth-token";

    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final HttpUrl endpoint;
    private final String clientId;
    private final Secret clientSecret;
    private final String scope;
    private final TokenStore store;
    private final String storeName;
    private final Clock clock;
    private final Duration skew;
    private final HttpTransport transport;
    private final String relinkUrl;
    private final ErrorContext context;
    private final ReentrantLock lock = new ReentrantLock(true);

    private volatile AccessToken current;
    private volatile Secret refreshToken;
    private volatile boolean revoked;

    private OAuth2TokenSource(Builder b) {
        this.endpoint = b.endpoint;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.scope = b.scope;
        this.store = b.store;
        this.storeName = b.storeName;
        this.clock = b.clock;
        this.skew = b.skew;
        this.transport = b.transport != null
                ? b.transport
                : HttpTransport.builder()
                        .provider(b.provider != null ? b.provider : "oauth2")
                        .clock(b.clock)
                        .build();
        this.relinkUrl = b.relinkUrl;
        this.context = ErrorContext.of(b.provider).withMailbox(b.mailbox);
        this.current = b.accessToken;
        this.refreshToken = b.refreshToken;
    }

    /**
     * A builder for the token endpoint at {@code tokenEndpoint} (an absolute http(s) URL).
     *
     * @param tokenEndpoint the token endpoint URL
     * @return a new builder
     */
    public static Builder builder(String tokenEndpoint) {
        Checks.notBlank(tokenEndpoint, "tokenEndpoint");
        HttpUrl url = HttpUrl.parse(tokenEndpoint);
        if (url == null) {
            throw new InvalidInputException("tokenEndpoint", "tokenEndpoint is not an http(s) URL");
        }
        return new Builder(url);
    }

    @Override
    public AccessToken token() {
        AccessToken t = current;
        if (usable(t)) {
            return t;
        }
        lockInterruptibly();
        try {
            t = current;
            return usable(t) ? t : refreshNow();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AccessToken refresh(AccessToken rejected) {
        lockInterruptibly();
        try {
            AccessToken t = current;
            if (usable(t) && rejected != null && !t.token().equals(rejected.token())) {
                return t; // another caller already refreshed past the rejected token
            }
            return refreshNow();
        } finally {
            lock.unlock();
        }
    }

    /** Endpoint, client id and state; never a token or secret. */
    @Override
    public String toString() {
        return "OAuth2TokenSource[endpoint=" + endpoint.newBuilder().query(null).build() + ", clientId=" + clientId
                + ", revoked=" + revoked + ", expiresAt=" + (current == null ? null : current.expiresAt()) + "]";
    }

    private boolean usable(AccessToken t) {
        return t != null && !t.expiresWithin(clock.instant(), skew);
    }

    private void lockInterruptibly() {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("waiting for an OAuth 2 token refresh was interrupted");
        }
    }

    private AccessToken refreshNow() {
        if (revoked) {
            throw reauthorization("the grant was already found revoked or expired");
        }
        Secret rt = refreshToken;
        if (rt == null && store != null) {
            rt = store.load(storeName).orElse(null);
        }
        if (rt == null) {
            throw reauthorization("no refresh token is stored for this connection");
        }
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", rt.reveal())
                .add("client_id", clientId);
        if (clientSecret != null) {
            form.add("client_secret", clientSecret.reveal());
        }
        if (scope != null) {
            form.add("scope", scope);
        }
        Request request = new Request.Builder()
                .url(endpoint)
                .post(form.build())
                .header("Accept", "application/json")
                .build();
        Instant sentAt = clock.instant();
        HttpResponse response;
        try {
            // not idempotent: a grant that may rotate the refresh token is not replayed after an unclear
            // failure; the transport still retries what the server surely did not process (429, 503)
            response = transport.execute(HttpCall.builder(request)
                    .operation(OPERATION)
                    .authorizer(Authorizer.none())
                    .idempotent(false)
                    .build());
        } catch (ReauthorizationRequiredException e) {
            // a 401 from the token endpoint itself (the transport keeps no body for it): RFC 6749 gives it
            // for invalid_client, whatever the grant
            throw clientRejected("HTTP 401", context.withStatusCode(401), e);
        }
        int status = response.status();
        if (response.body().length > MAX_RESPONSE_BYTES) {
            throw new MalformedDataException(
                    "the token endpoint " + endpoint.host() + " answered with more than " + MAX_RESPONSE_BYTES
                            + " bytes; check the tokenEndpoint URL",
                    context.withStatusCode(status),
                    null);
        }
        ErrorContext ctx = context.withStatusCode(status).withRequestId(RequestIds.find(response.headers()));
        JsonNode json = parse(response.body());
        if (status >= 200 && status < 300) {
            return accept(json, sentAt, ctx);
        }
        throw failure(status, json, response.headers(), ctx);
    }

    private AccessToken accept(JsonNode json, Instant sentAt, ErrorContext ctx) {
        String access = json == null ? null : json.path("access_token").asText(null);
        if (access == null || access.isBlank()) {
            throw new MalformedDataException(
                    "the token endpoint " + endpoint.host()
                            + " answered without an access_token; check the tokenEndpoint URL",
                    ctx,
                    null);
        }
        Instant expiresAt = null;
        JsonNode expiresIn = json.path("expires_in");
        if (expiresIn.isNumber() || (expiresIn.isTextual() && expiresIn.asText().matches("\\d{1,10}"))) {
            expiresAt = sentAt.plusSeconds(expiresIn.asLong());
        }
        String rotated = json.path("refresh_token").asText(null);
        if (rotated != null && !rotated.isBlank()) {
            Secret newRt = Secret.of(rotated);
            refreshToken = newRt;
            if (store != null) {
                store.store(storeName, newRt);
            }
        }
        AccessToken token = new AccessToken(Secret.of(access), expiresAt);
        current = token;
        return token;
    }

    private CalendarException failure(int status, JsonNode json, okhttp3.Headers headers, ErrorContext ctx) {
        String error = json == null ? "" : sanitize(json.path("error").asText(""));
        if ("invalid_grant".equals(error)) {
            revoked = true;
            current = null;
            return reauthorization("the refresh token was revoked or has expired (invalid_grant)", ctx);
        }
        if ("invalid_client".equals(error) || "unauthorized_client".equals(error)) {
            return clientRejected(error, ctx, null);
        }
        if (status == 429) {
            Duration after = RetryAfter.parse(headers.get("Retry-After"), clock);
            return new RateLimitedException(
                    "refreshing the OAuth 2 access token failed: the token endpoint is "
                            + "throttling (HTTP 429); try again later",
                    ctx,
                    after);
        }
        if (status >= 500) {
            return new ProviderUnavailableException(
                    "refreshing the OAuth 2 access token failed: the token " + "endpoint had a server error (HTTP "
                            + status + "); try again later",
                    ctx);
        }
        return new InvalidInputException(
                null,
                "refreshing the OAuth 2 access token failed: the token endpoint "
                        + "rejected the request (HTTP " + status + (error.isEmpty() ? "" : ", error=" + error)
                        + "); check the OAuth client configuration (endpoint, client id, scope)",
                ctx,
                null);
    }

    private static PermissionDeniedException clientRejected(String said, ErrorContext ctx, Throwable cause) {
        return new PermissionDeniedException(
                "refreshing the OAuth 2 access token failed: the token endpoint "
                        + "rejected the application's client credentials (" + said
                        + "); check the client id and secret "
                        + "configured for this provider",
                ctx,
                cause);
    }

    private ReauthorizationRequiredException reauthorization(String why) {
        return reauthorization(why, context);
    }

    private ReauthorizationRequiredException reauthorization(String why, ErrorContext ctx) {
        return new ReauthorizationRequiredException(
                "the OAuth 2 grant cannot be used: " + why
                        + "; ask the user to connect the account again"
                        + (relinkUrl == null ? "" : " at " + relinkUrl),
                ctx,
                relinkUrl,
                null);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String sanitize(String code) {
        String s = code.replaceAll("[^A-Za-z0-9_.\\-]", "");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /** Builds an {@link OAuth2TokenSource}. */
    public static final class Builder {
        private final HttpUrl endpoint;
        private String clientId;
        private Secret clientSecret;
        private String scope;
        private Secret refreshToken;
        private TokenStore store;
        private String storeName;
        private AccessToken accessToken;
        private Clock clock = Clock.systemUTC();
        private Duration skew = Duration.ofSeconds(60);
        private HttpTransport transport;
        private String relinkUrl;
        private String provider;
        private Mailbox mailbox;

        private Builder(HttpUrl endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * The application's OAuth client id (required).
         *
         * @param clientId the client id
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = Checks.notBlank(clientId, "clientId");
            return this;
        }

        /**
         * The application's client secret (omit for public clients).
         *
         * @param clientSecret the client secret, or null
         * @return this builder
         */
        public Builder clientSecret(Secret clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /**
         * The refresh token, when not kept in a {@link TokenStore}.
         *
         * @param refreshToken the refresh token
         * @return this builder
         */
        public Builder refreshToken(Secret refreshToken) {
            this.refreshToken = Checks.notNull(refreshToken, "refreshToken");
            return this;
        }

        /**
         * Loads the refresh token from {@code store} under {@code name} and saves rotated ones there.
         *
         * @param store the token store
         * @param name the record's name, such as {@code TokenStore.name(connectionId, "refresh_token")}
         * @return this builder
         */
        public Builder tokenStore(TokenStore store, String name) {
            this.store = Checks.notNull(store, "store");
            this.storeName = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Scopes to request (space separated); usually unnecessary for a refresh.
         *
         * @param scope the scopes, or null
         * @return this builder
         */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /**
         * An access token the application already holds, used until it nears expiry.
         *
         * @param accessToken the access token
         * @return this builder
         */
        public Builder accessToken(AccessToken accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /**
         * The clock expiry is judged by.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * Refresh this long before expiry (default 60 s).
         *
         * @param skew the margin
         * @return this builder
         */
        public Builder skew(Duration skew) {
            Checks.notNull(skew, "skew");
            Checks.check(!skew.isNegative(), "skew", "skew must not be negative");
            this.skew = skew;
            return this;
        }

        /**
         * The transport the token endpoint is called through (default: {@link HttpTransport#defaults} for
         * the {@link #provider} id). Hand in the connection's or the host's transport so that its origin
         * policy, deadline, retries and request accounting cover token refreshes too.
         *
         * @param transport the transport
         * @return this builder
         * @since 0.2
         */
        public Builder transport(HttpTransport transport) {
            this.transport = Checks.notNull(transport, "transport");
            return this;
        }

        /**
         * Where to send the user to connect again; put in {@link ReauthorizationRequiredException}.
         *
         * @param relinkUrl the URL
         * @return this builder
         */
        public Builder relinkUrl(String relinkUrl) {
            this.relinkUrl = relinkUrl;
            return this;
        }

        /**
         * The provider id put in errors; when unset, the {@link org.calsdk.http.HttpTransport} whose 401
         * triggered the refresh puts its own.
         *
         * @param provider the provider id
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = Checks.notBlank(provider, "provider");
            return this;
        }

        /**
         * The mailbox whose grant this is, put in errors.
         *
         * @param mailbox the mailbox
         * @return this builder
         */
        public Builder mailbox(Mailbox mailbox) {
            this.mailbox = mailbox;
            return this;
        }

        /**
         * The token source.
         *
         * @return the token source
         * @throws org.calsdk.errors.InvalidInputException when no client id, or neither a refresh token nor a token
         *     store, was given
         */
        public OAuth2TokenSource build() {
            Checks.check(clientId != null, "clientId", "clientId is required");
            Checks.check(
                    refreshToken != null || store != null,
                    "refreshToken",
                    "give a refreshToken or a tokenStore holding one");
            return new OAuth2TokenSource(this);
        }
    }
}
