package org.calsdk.google.internal;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.api.client.json.webtoken.JsonWebToken;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.api.AccessCheck;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.model.Mailbox;

/**
 * Domain-wide delegation: a service account's signed JWT assertion with {@code sub} = the impersonated
 * user, exchanged at the token endpoint for an access token for that user. One token per user, cached
 * until {@link #EARLY} before it expires; fetches for different users run concurrently, at most
 * {@link #MAX_CONCURRENT_FETCHES} at once, and one user's fetch is never duplicated. The key file is read
 * and the assertion signed by Google's auth library ({@link ServiceAccountCredentials},
 * {@link JsonWebSignature}); the exchange itself goes through the SDK's {@link HttpTransport}, so it is
 * counted, bounded and cancellable like every other call.
 */
public final class DelegatedTokens implements Tokens {
    static final Duration EARLY = Duration.ofMinutes(5);
    static final int MAX_CONCURRENT_FETCHES = 8;
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final String clientEmail;
    private final String keyId;
    private final PrivateKey key;
    private final HttpUrl tokenUrl;
    private final String scopes;
    private final HttpTransport transport;
    private final Clock clock;
    private final ErrorContext ctx;
    private final Map<Mailbox, Source> sources = new ConcurrentHashMap<>();
    private final Semaphore fetches;
    private final Cache shared;

    /**
     * Tokens that outlive a connection: the sync engine opens an organization's connection once per pass,
     * and without this every pass fetched a new token for every mailbox (10,000 token requests per idle
     * cycle of 10,000 mailboxes, measured by the benchmark). Kept by the provider, keyed by service account,
     * token endpoint, scopes and user; a token is handed out until {@link #EARLY} before it expires. Bounded:
     * past {@link #MAX_ENTRIES} entries the ones about to expire are dropped, and if that is not enough, all.
     * Fetches are limited across the connections sharing the cache. Thread-safe.
     */
    public static final class Cache {
        static final int MAX_ENTRIES = 200_000;
        private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
        private final Semaphore fetches = new Semaphore(MAX_CONCURRENT_FETCHES);

        AccessToken get(String key, java.time.Instant now) {
            AccessToken t = tokens.get(key);
            return t == null || t.expiresWithin(now, EARLY) ? null : t;
        }

        void put(String key, AccessToken token, java.time.Instant now) {
            if (tokens.size() >= MAX_ENTRIES) {
                tokens.values().removeIf(t -> t.expiresWithin(now, EARLY));
                if (tokens.size() >= MAX_ENTRIES) {
                    tokens.clear();
                }
            }
            tokens.put(key, token);
        }

        @Override
        public String toString() {
            return "DelegatedTokens.Cache[" + tokens.size() + " tokens]"; // never a token
        }
    }

    private DelegatedTokens(
            ServiceAccountCredentials sa,
            HttpUrl tokenUrl,
            String scopes,
            HttpTransport transport,
            Clock clock,
            ErrorContext ctx,
            Cache shared) {
        this.clientEmail = sa.getClientEmail();
        this.keyId = sa.getPrivateKeyId();
        this.key = sa.getPrivateKey();
        this.tokenUrl = tokenUrl;
        this.scopes = scopes;
        this.transport = transport;
        this.clock = clock;
        this.ctx = ctx;
        this.shared = shared == null ? new Cache() : shared;
        this.fetches = this.shared.fetches;
    }

    /**
     * Reads a service account key (the JSON file Google Cloud hands out).
     *
     * @param tokenUrl the token endpoint, or null for the key's own {@code token_uri}
     * @param shared   tokens kept across connections (the provider's), or null for this connection's alone
     */
    public static DelegatedTokens of(
            Secret keyJson,
            String tokenUrl,
            String scopes,
            HttpTransport transport,
            Clock clock,
            ErrorContext ctx,
            Cache shared) {
        ServiceAccountCredentials sa;
        try {
            sa = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(keyJson.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(
                    "serviceAccountKey",
                    "the service account key is not a Google service "
                            + "account key file (JSON with type service_account, client_id, client_email, private_key_id and private_key)",
                    ctx,
                    null);
        }
        String url = tokenUrl != null
                ? tokenUrl
                : sa.getTokenServerUri() != null
                        ? sa.getTokenServerUri().toString()
                        : "https://oauth2.googleapis.com/token";
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new InvalidInputException("tokenUrl", "tokenUrl is not an http(s) URL: " + url, ctx, null);
        }
        return new DelegatedTokens(sa, parsed, scopes, transport, clock, ctx, shared);
    }

    /**
     * Tokens of the same service account for other scopes, cached apart: a call that needs a scope the
     * calendar calls do not (the Admin SDK's calendar resources) asks for it alone, so an administrator who did
     * not grant it loses that call only.
     */
    public DelegatedTokens withScopes(String otherScopes) {
        return new DelegatedTokens(this, otherScopes);
    }

    private DelegatedTokens(DelegatedTokens from, String scopes) {
        this.clientEmail = from.clientEmail;
        this.keyId = from.keyId;
        this.key = from.key;
        this.tokenUrl = from.tokenUrl;
        this.scopes = scopes;
        this.transport = from.transport;
        this.clock = from.clock;
        this.ctx = from.ctx;
        this.shared = from.shared;
        this.fetches = from.fetches;
    }

    private String cacheKey(Mailbox user) {
        return clientEmail + '\n' + keyId + '\n' + tokenUrl + '\n' + scopes + '\n' + user.normalized();
    }

    /** The service account's address. */
    public String clientEmail() {
        return clientEmail;
    }

    @Override
    public AccessTokenSource forMailbox(Mailbox mailbox) {
        return sources.computeIfAbsent(mailbox, Source::new);
    }

    @Override
    public boolean perMailbox() {
        return true;
    }

    /** How many users have a token source (for tests of the cache). */
    public int cachedUsers() {
        return sources.size();
    }

    private final class Source implements AccessTokenSource {
        private final Mailbox user;
        private AccessToken current;

        Source(Mailbox user) {
            this.user = user;
        }

        @Override
        public synchronized AccessToken token() {
            if (current == null || current.expiresWithin(clock.instant(), EARLY)) {
                AccessToken kept = shared.get(cacheKey(user), clock.instant());
                current = kept != null ? kept : fetch();
            }
            return current;
        }

        @Override
        public synchronized AccessToken refresh(AccessToken rejected) {
            if (current != null
                    && !current.token().equals(rejected.token())
                    && !current.expiresWithin(clock.instant(), EARLY)) {
                return current;
            }
            current = fetch();
            return current;
        }

        private AccessToken fetch() {
            try {
                fetches.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted while waiting to fetch a token");
            }
            try {
                AccessToken t = exchange(user);
                shared.put(cacheKey(user), t, clock.instant());
                return t;
            } finally {
                fetches.release();
            }
        }
    }

    private AccessToken exchange(Mailbox user) {
        ErrorContext c = ctx.withMailbox(user);
        String assertion = assertion(user);
        Request request = new Request.Builder()
                .url(tokenUrl)
                .post(new FormBody.Builder()
                        .add("grant_type", GRANT)
                        .add("assertion", assertion)
                        .build())
                .build();
        HttpResponse r;
        try {
            r = transport.execute(HttpCall.builder(request)
                    .operation("oauth-token")
                    .mailbox(user)
                    .authorizer(Authorizer.none())
                    .idempotent(true)
                    .build());
        } catch (ReauthorizationRequiredException e) {
            // Google answers 401 for unauthorized_client (no delegation for this user or scope) and for
            // invalid_client; the transport keeps no body for a 401, so both are reported together
            throw new Refused(
                    AccessCheck.Reason.NOT_IN_SCOPE,
                    "the service account " + clientEmail + " may not act as "
                            + user
                            + " (HTTP 401 from the token endpoint): domain-wide delegation does not cover this user or "
                            + "the scopes " + scopes
                            + ", or the key was revoked; an administrator grants delegation in the "
                            + "Admin console under Security > API controls > Domain-wide delegation",
                    c.withStatusCode(401),
                    e);
        }
        Map<String, Object> body = r.body().length > 0 && r.body()[0] == '{' ? Json.object(r.body(), c) : Map.of();
        if (r.isSuccessful()) {
            String token = Json.str(body, "access_token");
            if (token == null) {
                throw new org.calsdk.errors.MalformedDataException(
                        "Google's token endpoint answered without an " + "access_token", c, null);
            }
            Object expires = body.get("expires_in");
            long seconds = expires instanceof Number n ? n.longValue() : 3600;
            return new AccessToken(Secret.of(token), clock.instant().plusSeconds(seconds));
        }
        String error = String.valueOf(Json.str(body, "error"));
        c = c.withStatusCode(r.status());
        switch (error) {
            case "unauthorized_client", "access_denied", "invalid_scope":
                throw new Refused(
                        AccessCheck.Reason.NOT_IN_SCOPE,
                        "the service account " + clientEmail
                                + " may not act as " + user
                                + ": domain-wide delegation does not cover this user or the scopes "
                                + scopes + " (" + error
                                + "); an administrator grants it in the Admin console under Security > "
                                + "API controls > Domain-wide delegation",
                        c,
                        null);
            case "invalid_grant":
                String why = String.valueOf(Json.str(body, "error_description"));
                if (why.startsWith("Invalid JWT")) {
                    // a signature Google cannot verify with the account's keys (or a clock far off)
                    throw new Refused(
                            AccessCheck.Reason.CREDENTIAL_INVALID,
                            "Google does not accept the assertion "
                                    + "signed with the service account key of " + clientEmail + " (invalid_grant: "
                                    + why
                                    + "); the key may be deleted or the clock off",
                            c,
                            null);
                }
                throw new Refused(
                        AccessCheck.Reason.NOT_FOUND,
                        "Google refused to issue a token for " + user
                                + " (invalid_grant): the user may not exist, be suspended, or lie outside the domain the "
                                + "service account is delegated for",
                        c,
                        null);
            case "invalid_client":
                throw new ReauthorizationRequiredException(
                        "Google no longer accepts the service account key of " + clientEmail
                                + " (invalid_client); create a new key and update the connection",
                        c);
            default:
                throw GoogleErrors.toException(r, c, "fetching an access token for " + user, clock);
        }
    }

    private String assertion(Mailbox user) {
        JsonWebSignature.Header header = new JsonWebSignature.Header();
        header.setAlgorithm("RS256");
        header.setType("JWT");
        header.setKeyId(keyId);
        JsonWebToken.Payload payload = new JsonWebToken.Payload();
        long now = clock.instant().getEpochSecond();
        payload.setIssuer(clientEmail);
        payload.setAudience(tokenUrl.toString());
        payload.setIssuedAtTimeSeconds(now);
        payload.setExpirationTimeSeconds(now + 3600);
        payload.setSubject(user.email());
        payload.set("scope", scopes);
        try {
            return JsonWebSignature.signUsingRsaSha256(key, GsonFactory.getDefaultInstance(), header, payload);
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new InvalidInputException(
                    "serviceAccountKey",
                    "the service account key cannot sign (" + e.getClass().getSimpleName() + ")",
                    ctx,
                    null);
        }
    }

    @Override
    public String toString() {
        return "DelegatedTokens[" + clientEmail + ", users=" + sources.size() + "]";
    }

    /** A token refused for a reason an access check reports. */
    static final class Refused extends PermissionDeniedException {
        private static final long serialVersionUID = 1L;
        private final AccessCheck.Reason reason;

        Refused(AccessCheck.Reason reason, String message, ErrorContext ctx, Throwable cause) {
            super(message, ctx, cause);
            this.reason = reason;
        }

        AccessCheck.Reason reason() {
            return reason;
        }
    }
}
