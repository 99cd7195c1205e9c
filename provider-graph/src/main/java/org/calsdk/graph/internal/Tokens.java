package org.calsdk.graph.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpErrors;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;

/** The token sources the Graph provider builds from its settings. */
public final class Tokens {
    private Tokens() {}

    /** A fixed access token (the host refreshes it): a refused token asks for a new one. */
    public static AccessTokenSource fixed(Secret token) {
        return new AccessTokenSource() {
            @Override
            public AccessToken token() {
                return new AccessToken(token, null);
            }

            @Override
            public AccessToken refresh(AccessToken rejected) {
                throw new ReauthorizationRequiredException(
                        "Graph refused the configured access token and it cannot "
                                + "be refreshed here; configure a new token",
                        ErrorContext.of(GraphClient.PROVIDER));
            }

            @Override
            public String toString() {
                return "FixedToken[****]";
            }
        };
    }

    /**
     * OAuth 2 client credentials (application permissions) against the Microsoft identity platform's
     * {@code {authority}/{tenant}/oauth2/v2.0/token}, over the SDK's transport (the authority's origin
     * policy: the secret goes only there). Tokens are cached until five minutes before they expire.
     */
    public static final class ClientCredentials implements AccessTokenSource {
        private static final Duration SKEW = Duration.ofMinutes(5);
        private final HttpTransport transport;
        private final HttpUrl endpoint;
        private final String clientId;
        private final Secret secret;
        private final CertificateAssertion assertion;
        private final String scope;
        private final Clock clock;
        private AccessToken cached;

        public ClientCredentials(
                HttpTransport transport,
                HttpUrl authority,
                String tenant,
                String clientId,
                Secret secret,
                String scope,
                Clock clock) {
            this(transport, authority, tenant, clientId, secret, null, scope, clock);
        }

        /**
         * Client credentials with a client secret, or (when {@code secret} is null) a certificate's signed
         * client assertion, made fresh for every token request.
         */
        public ClientCredentials(
                HttpTransport transport,
                HttpUrl authority,
                String tenant,
                String clientId,
                Secret secret,
                CertificateAssertion assertion,
                String scope,
                Clock clock) {
            this.transport = transport;
            this.endpoint = authority
                    .newBuilder()
                    .addPathSegment(tenant)
                    .addPathSegment("oauth2")
                    .addPathSegment("v2.0")
                    .addPathSegment("token")
                    .build();
            this.clientId = clientId;
            this.secret = secret;
            this.assertion = assertion;
            this.scope = scope;
            this.clock = clock;
        }

        @Override
        public synchronized AccessToken token() {
            if (cached == null || cached.expiresWithin(clock.instant(), SKEW)) {
                cached = fetch();
            }
            return cached;
        }

        @Override
        public synchronized AccessToken refresh(AccessToken rejected) {
            if (cached == null || cached.token().equals(rejected.token())) {
                cached = fetch();
            }
            return cached;
        }

        private AccessToken fetch() {
            FormBody.Builder form = new FormBody.Builder()
                    .add("grant_type", "client_credentials")
                    .add("client_id", clientId)
                    .add("scope", scope);
            if (secret != null) {
                form.add("client_secret", secret.reveal());
            } else {
                form.add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                        .add("client_assertion", assertion.sign(endpoint.toString(), clock.instant()));
            }
            Request request =
                    new Request.Builder().url(endpoint).post(form.build()).build();
            ErrorContext ctx = ErrorContext.of(GraphClient.PROVIDER);
            HttpResponse r;
            try {
                r = transport.execute(HttpCall.builder(request)
                        .operation("token")
                        .idempotent(true)
                        .build());
            } catch (ReauthorizationRequiredException e) {
                // the transport answers a 401 itself: at the token endpoint it means the client credentials
                throw new ReauthorizationRequiredException(refused(401, "invalid_client"), e.context(), null, e);
            }
            Map<String, Object> body;
            try {
                body = r.body().length == 0 ? Map.of() : Json.object(r.body());
            } catch (IllegalArgumentException e) {
                body = Map.of();
            }
            if (!r.isSuccessful()) {
                String error = Json.str(body, "error");
                if (r.status() == 400 || r.status() == 401) {
                    throw new ReauthorizationRequiredException(
                            refused(r.status(), error), ctx.withStatusCode(r.status()));
                }
                throw HttpErrors.toException(r, ctx, "token request for app " + clientId, clock);
            }
            String token = Json.str(body, "access_token");
            if (token == null || token.isBlank()) {
                throw new MalformedDataException(
                        "the identity platform answered without an access_token", ctx.withStatusCode(r.status()), null);
            }
            long expiresIn = Json.number(body, "expires_in", 3600);
            Instant expires = clock.instant().plusSeconds(Math.max(60, expiresIn));
            return new AccessToken(Secret.of(token), expires);
        }

        private String refused(int status, String error) {
            return "the identity platform refused the client credentials of app " + clientId + " (HTTP " + status
                    + (error == null ? "" : ", " + error) + "): check the tenant, the client id and the client secret "
                    + "or certificate (it may have expired, or not be uploaded to the app registration), and that an "
                    + "administrator consented to the app's permissions";
        }

        @Override
        public String toString() {
            return "ClientCredentials[client=" + clientId + ", endpoint=" + endpoint + "]";
        }
    }
}
