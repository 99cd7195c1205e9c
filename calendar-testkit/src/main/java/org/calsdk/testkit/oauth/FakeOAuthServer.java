package org.calsdk.testkit.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.RequestAccounting;

/**
 * A fake OAuth 2 authorization server (RFC 6749) that keeps state: the grants it issued, which refresh
 * tokens were revoked, which access tokens are live (by the injected clock). The other fakes validate
 * bearer tokens with {@link #validate}. Grants:
 * <ul>
 *   <li>{@code authorization_code}: codes from {@code GET /authorize} (consent is automatic for
 *   {@code login_hint}) or {@link #authorizationCode}; single use, bound to client and redirect URI,
 *   valid 10 minutes;</li>
 *   <li>{@code refresh_token}: a new access token (and, with {@link Builder#rotateRefreshTokens}, a new
 *   refresh token, the old one revoked); {@code invalid_grant} for an unknown or revoked one;</li>
 *   <li>{@code client_credentials}: an app token (subject: the client id);</li>
 *   <li>{@code urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523, Google service accounts): an RS256
 *   assertion signed by a registered service account's key, {@code aud} this token endpoint, valid
 *   {@code iat}/{@code exp}; {@code sub} must be one of the subjects the account may act as, else
 *   {@code unauthorized_client}.</li>
 * </ul>
 * {@code POST /revoke} ({@code token=...}, RFC 7009) revokes an access or refresh token. Clients
 * authenticate with HTTP Basic or {@code client_id}/{@code client_secret} in the form. Operations for
 * fault rules: {@code token}, {@code revoke}, {@code authorize}.
 *
 * <pre>{@code
 * ServiceAccountKey sa = ServiceAccountKey.generate("sync@proj.iam.gserviceaccount.com");
 * try (FakeOAuthServer oauth = FakeOAuthServer.builder().client("app", "app-secret")
 *         .serviceAccount(sa.clientEmail(), sa.publicKey(), Set.of("alice@example.com")).build().start()) {
 *     String refresh = oauth.issueRefreshToken("app", "alice@example.com", "calendar");
 *     // ... OAuth2TokenSource.builder(oauth.tokenUrl()).clientId("app")...refreshToken(Secret.of(refresh)) ...
 *     fakeGoogle.acceptBearer(token -> oauth.validate(token).map(FakeOAuthServer.Grant::subject));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeOAuthServer implements AutoCloseable {
    /** The JWT bearer grant type (RFC 7523). */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofHours(1);
    private static final Duration SKEW = Duration.ofMinutes(5);

    /**
     * What a token stands for.
     *
     * @param clientId  the client it was issued to (the service account for JWT bearer)
     * @param subject   the user it acts for (the client id for client credentials)
     * @param scope     the scope, possibly empty
     * @param expiresAt when an access token expires (null for refresh tokens)
     */
    public record Grant(
            String clientId,
            @org.jspecify.annotations.Nullable String subject,
            @org.jspecify.annotations.Nullable String scope,
            @org.jspecify.annotations.Nullable Instant expiresAt) {
        /**
         * Checks the client id.
         *
         * @param clientId the client it was issued to (the service account for JWT bearer)
         * @param subject the user it acts for (the client id for client credentials)
         * @param scope the scope, possibly empty
         * @param expiresAt when an access token expires (null for refresh tokens)
         * @throws NullPointerException if {@code clientId} is null
         */
        public Grant {
            Objects.requireNonNull(clientId, "clientId == null");
        }
    }

    private static final class State {
        final Map<String, String> clients = new LinkedHashMap<>(); // id -> secret (null: public client)
        final Map<String, PublicKey> serviceAccounts = new LinkedHashMap<>();
        final Map<String, Set<String>> subjects = new HashMap<>();
        final Map<String, Grant> access = new HashMap<>();
        final Map<String, Grant> refresh = new HashMap<>();
        final Map<String, Code> codes = new HashMap<>();
        final Set<String> revoked = new java.util.HashSet<>();
        final Set<String> usedAssertions = new java.util.HashSet<>();
    }

    private record Code(String clientId, String subject, String redirectUri, String scope, Instant expiresAt) {}

    private final State state;
    private final Clock clock;
    private final Duration lifetime;
    private final boolean rotate;
    private final SecureRandom random = new SecureRandom();
    private final FakeServer<State> server;

    private FakeOAuthServer(Builder b) {
        this.state = b.state;
        this.clock = b.clock;
        this.lifetime = b.lifetime;
        this.rotate = b.rotate;
        FakeServer.Builder<State> sb = FakeServer.builder(state)
                .name("oauth")
                .port(b.port)
                .mailboxResolver(r -> null)
                .route("POST", "/token", "token", (req, s) -> token(req))
                .route("POST", "/revoke", "revoke", (req, s) -> revoke(req))
                .route("GET", "/authorize", "authorize", (req, s) -> authorize(req));
        if (b.https) {
            sb.https();
        }
        this.server = sb.build();
    }

    /**
     * Starts building a fake authorization server.
     *
     * @return a builder with no clients, 1-hour access tokens, no refresh-token rotation, plain HTTP and a free port
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving on 127.0.0.1. Idempotent.
     *
     * @return this server, running
     */
    public FakeOAuthServer start() {
        server.start();
        return this;
    }

    /**
     * The token endpoint, such as {@code http://127.0.0.1:41234/token}.
     *
     * @return the URL
     * @throws IllegalStateException if the server is not running
     */
    public String tokenUrl() {
        return server.url("/token").toString();
    }

    /**
     * The revocation endpoint.
     *
     * @return the URL
     * @throws IllegalStateException if the server is not running
     */
    public String revokeUrl() {
        return server.url("/revoke").toString();
    }

    /**
     * The authorization endpoint.
     *
     * @return the URL
     * @throws IllegalStateException if the server is not running
     */
    public String authorizeUrl() {
        return server.url("/authorize").toString();
    }

    /**
     * The underlying server (TLS material when built with HTTPS).
     *
     * @return the server
     */
    public FakeServer<?> server() {
        return server;
    }

    /**
     * The fault rules of the token, revocation and authorization endpoints.
     *
     * @return the live rule set
     */
    public FaultScript faults() {
        return server.faults();
    }

    /**
     * What the server was asked.
     *
     * @return the live accounting
     */
    public RequestAccounting accounting() {
        return server.accounting();
    }

    /**
     * An authorization code, as if {@code subject} had consented for {@code clientId}.
     *
     * @param clientId the client
     * @param subject the user who consented
     * @param redirectUri the redirect URI the exchange must name
     * @param scope the granted scope, or null
     * @return the single-use code
     */
    public String authorizationCode(String clientId, String subject, String redirectUri, String scope) {
        synchronized (state) {
            requireClient(clientId);
            String code = newToken("c-");
            state.codes.put(
                    code,
                    new Code(
                            clientId,
                            Objects.requireNonNull(subject, "subject == null"),
                            Objects.requireNonNull(redirectUri, "redirectUri == null"),
                            scope == null ? "" : scope,
                            clock.instant().plus(CODE_LIFETIME)));
            return code;
        }
    }

    /**
     * A refresh token, as if {@code subject} had linked their account to {@code clientId} earlier.
     *
     * @param clientId the client
     * @param subject the user
     * @param scope the granted scope, or null
     * @return the refresh token
     */
    public String issueRefreshToken(String clientId, String subject, String scope) {
        synchronized (state) {
            requireClient(clientId);
            String t = newToken("r-");
            state.refresh.put(
                    t,
                    new Grant(
                            clientId,
                            Objects.requireNonNull(subject, "subject == null"),
                            scope == null ? "" : scope,
                            null));
            return t;
        }
    }

    /**
     * Revokes an access or refresh token (the user unlinked the app; an admin revoked the grant).
     *
     * @param token the token text; an unknown one is ignored
     */
    public void revoke(String token) {
        synchronized (state) {
            revokeLocked(token);
        }
    }

    /**
     * Revokes every token issued for {@code subject}.
     *
     * @param subject the user
     */
    public void revokeAll(String subject) {
        synchronized (state) {
            state.access.entrySet().removeIf(e -> e.getValue().subject().equalsIgnoreCase(subject));
            state.refresh.entrySet().removeIf(e -> {
                boolean hit = e.getValue().subject().equalsIgnoreCase(subject);
                if (hit) {
                    state.revoked.add(e.getKey());
                }
                return hit;
            });
        }
    }

    /**
     * The grant of a live access token (issued here, not expired by the clock, not revoked).
     *
     * @param accessToken the token text
     * @return the grant, or empty when the token is unknown, expired or revoked
     */
    public Optional<Grant> validate(String accessToken) {
        if (accessToken == null) {
            return Optional.empty();
        }
        synchronized (state) {
            Grant g = state.access.get(accessToken.strip());
            return g == null || !clock.instant().isBefore(g.expiresAt()) ? Optional.empty() : Optional.of(g);
        }
    }

    /**
     * The grant behind an {@code Authorization: Bearer ...} header value, when live.
     *
     * @param authorization the header value, or null
     * @return the grant, or empty when the header is absent, not Bearer, or the token is not live
     */
    public Optional<Grant> validateHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return validate(authorization.substring(7));
    }

    /**
     * Access tokens issued so far (live or not).
     *
     * @return the count
     */
    public int issuedAccessTokens() {
        synchronized (state) {
            return issued;
        }
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeOAuthServer[" + (server.isRunning() ? tokenUrl() : "not running") + "]";
    }

    // ---------------------------------------------------------------- endpoints

    private int issued;

    private FakeResponse token(FakeRequest req) {
        Map<String, String> form = form(req);
        String grant = form.getOrDefault("grant_type", "");
        synchronized (state) {
            switch (grant) {
                case "authorization_code" -> {
                    String client = authenticate(req, form);
                    if (client == null) {
                        return invalidClient();
                    }
                    Code code = state.codes.remove(form.getOrDefault("code", ""));
                    if (code == null
                            || !code.clientId().equals(client)
                            || !clock.instant().isBefore(code.expiresAt())) {
                        return error(400, "invalid_grant", "Malformed auth code or it was already used.");
                    }
                    if (!code.redirectUri().equals(form.get("redirect_uri"))) {
                        return error(
                                400,
                                "invalid_grant",
                                "redirect_uri does not match the one of the authorization request.");
                    }
                    String refresh = newToken("r-");
                    state.refresh.put(refresh, new Grant(client, code.subject(), code.scope(), null));
                    return tokens(client, code.subject(), code.scope(), refresh);
                }
                case "refresh_token" -> {
                    String client = authenticate(req, form);
                    if (client == null) {
                        return invalidClient();
                    }
                    String rt = form.getOrDefault("refresh_token", "");
                    Grant g = state.refresh.get(rt);
                    if (g == null || !g.clientId().equals(client)) {
                        return error(
                                400,
                                "invalid_grant",
                                state.revoked.contains(rt)
                                        ? "Token has been expired or revoked."
                                        : "Bad refresh token.");
                    }
                    String next = null;
                    if (rotate) {
                        state.refresh.remove(rt);
                        state.revoked.add(rt);
                        next = newToken("r-");
                        state.refresh.put(next, g);
                    }
                    return tokens(client, g.subject(), g.scope(), next);
                }
                case "client_credentials" -> {
                    String client = authenticate(req, form);
                    if (client == null || state.clients.get(client) == null) {
                        return invalidClient();
                    }
                    return tokens(client, client, form.getOrDefault("scope", ""), null);
                }
                case JWT_BEARER -> {
                    return jwtBearer(req, form.getOrDefault("assertion", ""));
                }
                default -> {
                    return error(400, "unsupported_grant_type", "Unsupported grant type: " + grant);
                }
            }
        }
    }

    private FakeResponse jwtBearer(FakeRequest req, String assertion) {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            return error(400, "invalid_grant", "Invalid JWT: not three parts.");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            header = JSON.readTree(d.decode(parts[0]));
            claims = JSON.readTree(d.decode(parts[1]));
            signature = d.decode(parts[2]);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return error(400, "invalid_grant", "Invalid JWT: not base64url JSON.");
        }
        if (header == null
                || claims == null
                || !"RS256".equals(header.path("alg").asText())) {
            return error(400, "invalid_grant", "Invalid JWT: alg must be RS256.");
        }
        String iss = claims.path("iss").asText("");
        PublicKey key = state.serviceAccounts.get(iss);
        if (key == null) {
            return error(400, "invalid_grant", "Invalid JWT: unknown issuer.");
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(signature)) {
                return error(400, "invalid_grant", "Invalid JWT Signature.");
            }
        } catch (GeneralSecurityException e) {
            return error(400, "invalid_grant", "Invalid JWT Signature.");
        }
        HttpUrl aud = HttpUrl.parse(claims.path("aud").asText(""));
        if (aud == null || !aud.encodedPath().equals("/token")) {
            return error(400, "invalid_grant", "Invalid JWT: audience is not this token endpoint.");
        }
        Instant now = clock.instant();
        long iat = claims.path("iat").asLong(-1);
        long exp = claims.path("exp").asLong(-1);
        if (iat < 0
                || exp < 0
                || exp <= iat
                || Duration.ofSeconds(exp - iat).compareTo(MAX_ASSERTION_LIFETIME) > 0
                || Instant.ofEpochSecond(iat).isAfter(now.plus(SKEW))
                || !Instant.ofEpochSecond(exp).isAfter(now.minus(SKEW))) {
            return error(
                    400,
                    "invalid_grant",
                    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        }
        if (!state.usedAssertions.add(digest(assertion))) {
            return error(400, "invalid_grant", "Invalid JWT: assertion was already used.");
        }
        String sub = claims.hasNonNull("sub") ? claims.get("sub").asText() : null;
        if (sub != null) {
            Set<String> allowed = state.subjects.getOrDefault(iss, Set.of());
            if (!allowed.contains("*") && allowed.stream().noneMatch(sub::equalsIgnoreCase)) {
                return error(
                        401,
                        "unauthorized_client",
                        "Client is unauthorized to retrieve access tokens using this "
                                + "method, or client not authorized for any of the scopes requested.");
            }
        }
        return tokens(iss, sub == null ? iss : sub, claims.path("scope").asText(""), null);
    }

    private FakeResponse revoke(FakeRequest req) {
        String token = form(req).get("token");
        if (token == null) {
            token = req.query("token").orElse(null);
        }
        if (token == null || token.isBlank()) {
            return error(400, "invalid_request", "Missing token.");
        }
        synchronized (state) {
            revokeLocked(token);
        }
        return FakeResponse.of(200);
    }

    private FakeResponse authorize(FakeRequest req) {
        String client = req.query("client_id").orElse("");
        String redirect = req.query("redirect_uri").orElse("");
        String subject = req.query("login_hint").orElse(null);
        HttpUrl target = HttpUrl.parse(redirect);
        synchronized (state) {
            if (!state.clients.containsKey(client) || target == null) {
                return FakeResponse.text(400, "unknown client or bad redirect_uri");
            }
            HttpUrl.Builder back = target.newBuilder();
            req.query("state").ifPresent(s -> back.addQueryParameter("state", s));
            if (subject == null) {
                back.addQueryParameter("error", "access_denied");
            } else {
                back.addQueryParameter(
                        "code",
                        authorizationCode(
                                client, subject, redirect, req.query("scope").orElse("")));
            }
            return FakeResponse.text(302, "redirecting")
                    .withHeader("Location", back.build().toString());
        }
    }

    private void revokeLocked(String token) {
        if (state.refresh.remove(token) != null) {
            state.revoked.add(token);
        }
        state.access.remove(token);
    }

    private FakeResponse tokens(String client, String subject, String scope, String refresh) {
        String at = newToken("a-");
        Instant exp = clock.instant().plus(lifetime);
        state.access.put(at, new Grant(client, subject, scope, exp));
        issued++;
        ObjectNode out = JSON.createObjectNode()
                .put("access_token", at)
                .put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds());
        if (!scope.isEmpty()) {
            out.put("scope", scope);
        }
        if (refresh != null) {
            out.put("refresh_token", refresh);
        }
        return FakeResponse.json(200, out.toString()).withHeader("Cache-Control", "no-store");
    }

    /** The authenticated client id, or null (public clients authenticate with client_id alone). */
    private String authenticate(FakeRequest req, Map<String, String> form) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String auth = req.header("Authorization").orElse("");
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String dec =
                        new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = dec.indexOf(':');
                if (colon > 0) {
                    id = URLDecoder.decode(dec.substring(0, colon), StandardCharsets.UTF_8);
                    secret = URLDecoder.decode(dec.substring(colon + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (id == null || !state.clients.containsKey(id)) {
            return null;
        }
        String expected = state.clients.get(id);
        if (expected == null) {
            return id;
        }
        return secret != null
                        && MessageDigest.isEqual(
                                expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))
                ? id
                : null;
    }

    private static Map<String, String> form(FakeRequest req) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : req.bodyString().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // a malformed pair is ignored, as servers do
            }
        }
        return out;
    }

    private static FakeResponse error(int status, String code, String description) {
        ObjectNode out = JSON.createObjectNode().put("error", code).put("error_description", description);
        return FakeResponse.json(status, out.toString()).withHeader("Cache-Control", "no-store");
    }

    private static FakeResponse invalidClient() {
        return error(401, "invalid_client", "Client authentication failed.")
                .withHeader("WWW-Authenticate", "Basic realm=\"fake-oauth\"");
    }

    private void requireClient(String clientId) {
        if (!state.clients.containsKey(clientId)) {
            throw new InvalidInputException("clientId", "no such client: " + clientId);
        }
    }

    private String newToken(String prefix) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String s) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures a {@link FakeOAuthServer}. */
    public static final class Builder {
        private final State state = new State();
        private Clock clock = Clock.systemUTC();
        private Duration lifetime = Duration.ofHours(1);
        private boolean rotate;
        private boolean https;
        private int port;

        private Builder() {}

        /**
         * A confidential client (null secret: a public client that authenticates with its id only).
         *
         * @param clientId the client id
         * @param secret the client secret, or null for a public client
         * @return this builder
         */
        public Builder client(String clientId, String secret) {
            state.clients.put(Objects.requireNonNull(clientId, "clientId == null"), secret);
            return this;
        }

        /**
         * A service account for the JWT bearer grant, and the subjects ({@code sub}) it may act as
         * ({@code "*"}: any; empty: only itself, as without domain-wide delegation).
         *
         * @param clientEmail the service account's address (the assertions' issuer)
         * @param key the key that checks the assertions' signatures
         * @param subjects the users it may act as
         * @return this builder
         */
        public Builder serviceAccount(String clientEmail, PublicKey key, Set<String> subjects) {
            state.serviceAccounts.put(
                    Objects.requireNonNull(clientEmail, "clientEmail == null"),
                    Objects.requireNonNull(key, "key == null"));
            state.subjects.put(clientEmail, Set.copyOf(subjects));
            return this;
        }

        /**
         * The clock for expiries (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * Access token lifetime (default 1 hour).
         *
         * @param lifetime the lifetime
         * @return this builder
         */
        public Builder accessTokenLifetime(Duration lifetime) {
            if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
                throw new InvalidInputException("lifetime", "lifetime must be positive");
            }
            this.lifetime = lifetime;
            return this;
        }

        /**
         * Each refresh returns a new refresh token and revokes the old one (Microsoft does; default off).
         *
         * @param rotate true to rotate
         * @return this builder
         */
        public Builder rotateRefreshTokens(boolean rotate) {
            this.rotate = rotate;
            return this;
        }

        /**
         * Serve HTTPS (self-signed; trust from {@code server().tls()}).
         *
         * @return this builder
         */
        public Builder https() {
            this.https = true;
            return this;
        }

        /**
         * The port (default 0: a free one).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Builds the server; it does not listen until {@link FakeOAuthServer#start()}.
         *
         * @return the server, not started
         */
        public FakeOAuthServer build() {
            return new FakeOAuthServer(this);
        }
    }
}
