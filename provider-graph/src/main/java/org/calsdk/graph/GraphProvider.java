package org.calsdk.graph;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.OAuth2TokenSource;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.graph.internal.CertificateAssertion;
import org.calsdk.graph.internal.EventMapper;
import org.calsdk.graph.internal.GraphClient;
import org.calsdk.graph.internal.GraphConnection;
import org.calsdk.graph.internal.GraphSession;
import org.calsdk.graph.internal.Json;
import org.calsdk.graph.internal.Tokens;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.spi.ProviderBuilder;

/**
 * The Microsoft Graph provider ({@code "graph"}): Microsoft 365 and Outlook.com calendars over Graph v1.0,
 * with the SDK's own HTTP transport and Jackson's streaming parser (no Graph SDK at run time).
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code baseUrl}: the Graph root (default {@code https://graph.microsoft.com/v1.0});</li>
 *   <li>credentials, one of: {@link TokenCredentials} or {@link ClientCredentials} (with a client secret)
 *       in the config; {@code accessToken} (a token the host keeps fresh); or {@code tenantId} + {@code clientId} + {@code clientSecret} (client credentials,
 *       application permissions), with {@code authorityUrl} (default
 *       {@code https://login.microsoftonline.com/}) and {@code scope} (default
 *       {@code https://graph.microsoft.com/.default});</li>
 *   <li>{@code mailbox}: act as this mailbox (a USER connection). Without it, client credentials give an
 *       ORGANIZATION connection (acting as any mailbox through its impersonator), and an access token is
 *       asked who it speaks for ({@code GET /me}: a delegated token gives its user, an app-only token the
 *       organization);</li>
 *   <li>{@code timeZone} (IANA; default UTC): the zone of all-day and floating times written;</li>
 *   <li>{@code syncWindowPast} / {@code syncWindowFuture} (ISO durations, default P30D / P365D): the window
 *       {@code calendarView/delta} covers;</li>
 *   <li>{@code timeout}: the deadline of each call (default 60 s); {@code allowPrivateNetwork}: allow a
 *       base or authority URL on a private network (default: true only for a URL whose host is
 *       {@code 127.0.0.1}, {@code ::1} or {@code localhost}, such as a fake).</li>
 * </ul>
 *
 * <p>Every call asks for {@code Prefer: outlook.timezone="UTC"} and {@code IdType="ImmutableId"}; at most 4
 * requests are in flight per mailbox (Outlook's limit), and 429/503 answers are retried after their
 * {@code Retry-After}.
 *
 * @since 0.1
 */
public final class GraphProvider implements CalendarProvider {
    /** The provider id. */
    public static final String ID = "graph";
    /** Graph's public root. */
    public static final String DEFAULT_BASE_URL = "https://graph.microsoft.com/v1.0";
    /** The Microsoft identity platform. */
    public static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com/";
    /** Batches of one free/busy call in flight at once (Graph allows 4 concurrent requests per mailbox). */
    static final int PARALLEL_BATCHES = 4;

    private final ProviderBuilder.HttpSettings http;

    /** A provider with default settings (as ServiceLoader creates it). */
    public GraphProvider() {
        this(builder());
    }

    private GraphProvider(Builder b) {
        this.http = b.settings();
    }

    /**
     * Starts building a provider with custom HTTP settings.
     *
     * <pre>{@code
     * CalendarProvider graph = GraphProvider.builder().okHttpClient(proxiedClient).timeout(Duration.ofSeconds(30)).build();
     * }</pre>
     *
     * @return a new builder holding the defaults (60 s call deadline, default retries, 32 MiB responses,
     *     system DNS)
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return GraphConnection.ORGANIZATION_CAPABILITIES;
    }

    @Override
    public CalendarConnection connect(ConnectionConfig config) {
        Objects.requireNonNull(config, "config == null");
        HttpUrl base = url(config.setting("baseUrl").orElse(DEFAULT_BASE_URL), "baseUrl");
        // a base URL that names a loopback address is an explicit choice (a fake, a local proxy): allowed unless
        // the setting says otherwise; any other private address needs allowPrivateNetwork=true
        boolean privateNet = config.flag("allowPrivateNetwork", OriginPolicy.namesLoopback(base));
        OriginPolicy policy =
                http.originPolicy(base).allowPrivateNetwork(privateNet).build();
        // the provider's own transport admits 4 calls in flight per mailbox (HttpTransport's default), Outlook's
        // limit; a host-supplied one keeps the host's limits
        boolean ownsTransport = config.transport().isEmpty();
        HttpTransport transport = http.transport(ID, config, policy);
        AccessTokenSource tokens = tokens(config, transport, privateNet);
        // the connection's own small pool runs the $batch round trips of one free/busy call side by side (the
        // caller runs whichever batch no pool thread has started); idle threads end, close() shuts it down
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                PARALLEL_BATCHES, PARALLEL_BATCHES, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "calsdk-graph-batch");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        GraphClient graph = new GraphClient(transport, Authorizer.bearer(tokens), base, config.clock(), relink(config));
        ZoneId zone = zone(config);
        GraphSession session = new GraphSession(
                graph,
                new EventMapper(zone),
                zone,
                config.duration("syncWindowPast").orElse(Duration.ofDays(30)),
                config.duration("syncWindowFuture").orElse(Duration.ofDays(365)),
                http.retryPolicy(),
                http.sleeper(),
                pool);
        Runnable close = () -> {
            pool.shutdown();
            if (ownsTransport) {
                transport.close();
            }
        };
        Mailbox self = config.setting("mailbox").map(Mailbox::of).orElse(null);
        boolean appOnly = config.setting("clientSecret").isPresent()
                || config.credentials().orElse(null) instanceof ClientCredentials;
        if (self == null && !appOnly) {
            try {
                self = whoAmI(graph);
            } catch (RuntimeException e) {
                close.run();
                throw e;
            }
        }
        return new GraphConnection(session, self, close);
    }

    /** The mailbox a delegated token speaks for, or null for an app-only token (Graph refuses /me then). */
    private static Mailbox whoAmI(GraphClient graph) {
        HttpResponse r = graph.send(
                "me",
                null,
                "GET",
                graph.url("me")
                        .addQueryParameter("$select", "mail,userPrincipalName")
                        .build(),
                null,
                null);
        if (r.status() == 400 || r.status() == 403) {
            return null;
        }
        if (!r.isSuccessful()) {
            throw graph.error(r, null, "me");
        }
        Map<String, Object> me = graph.parse(r, null, "me");
        String mail = Json.str(me, "mail") != null ? Json.str(me, "mail") : Json.str(me, "userPrincipalName");
        if (mail == null) {
            throw new InvalidInputException(
                    "mailbox", "Graph's /me names no mail address for this token; set the " + "'mailbox' setting");
        }
        return Mailbox.of(mail);
    }

    private AccessTokenSource tokens(ConnectionConfig config, HttpTransport transport, boolean privateNet) {
        Credentials creds = config.credentials().orElse(null);
        if (creds instanceof TokenCredentials t) {
            return t.source();
        }
        if (creds instanceof ClientCredentials c) {
            if (c.clientSecret() == null) {
                return clientCredentials(
                        config,
                        transport,
                        c.tenant(),
                        c.clientId(),
                        null,
                        new CertificateAssertion(c.certificate(), c.clientId()));
            }
            return clientCredentials(config, transport, c.tenant(), c.clientId(), c.clientSecret(), null);
        }
        if (creds instanceof RefreshTokenCredentials r) {
            // a user's grant (GraphOAuth.exchange stored its refresh token): refreshed at the tenant's endpoint
            HttpUrl authority = url(config.setting("authorityUrl").orElse(DEFAULT_AUTHORITY), "authorityUrl");
            String tenant = config.setting("tenantId").orElse("organizations");
            String endpoint = authority
                    .newBuilder()
                    .addPathSegment(tenant)
                    .addPathSegment("oauth2")
                    .addPathSegment("v2.0")
                    .addPathSegment("token")
                    .build()
                    .toString();
            // the refresh token and client secret go through this connection's transport, kept by an origin policy
            // for the token endpoint: no private, loopback or metadata address unless allowPrivateNetwork (a
            // loopback endpoint URL allows itself, as the authority does for client credentials)
            HttpUrl tokenUrl = url(r.tokenEndpoint() != null ? r.tokenEndpoint() : endpoint, "tokenEndpoint");
            OriginPolicy tokenPolicy = http.originPolicy(tokenUrl)
                    .allowPrivateNetwork(config.flag("allowPrivateNetwork", OriginPolicy.namesLoopback(tokenUrl)))
                    .build();
            OAuth2TokenSource.Builder b = r.tokenSource(endpoint)
                    .provider(ID)
                    .transport(transport.withOriginPolicy(tokenPolicy))
                    .clock(config.clock())
                    .scope(config.setting("scope").orElse(GraphOAuth.DEFAULT_SCOPES));
            String redirect = config.setting("consentRedirectUri").orElse(null);
            if (redirect != null && !redirect.isBlank()) {
                Mailbox hint = r.user() != null
                        ? r.user()
                        : config.setting("mailbox").map(Mailbox::of).orElse(null);
                b.relinkUrl(GraphOAuth.builder(r.clientId(), r.clientSecret(), redirect)
                        .authority(authority.toString())
                        .tenant(tenant)
                        .build()
                        .consentUrl(GraphOAuth.newState(), null, hint));
            }
            return b.build();
        }
        if (creds != null) {
            throw new InvalidInputException(
                    "credentials",
                    "the graph provider takes OAuth 2 token credentials, a "
                            + "refresh token (RefreshTokenCredentials) or client credentials, not '" + creds.kind()
                            + "'");
        }
        if (config.setting("accessToken").isPresent()) {
            return Tokens.fixed(Secret.of(config.requireSetting("accessToken")));
        }
        if (config.setting("clientSecret").isPresent()
                || config.setting("clientId").isPresent()) {
            return clientCredentials(
                    config,
                    transport,
                    config.requireSetting("tenantId"),
                    config.requireSetting("clientId"),
                    Secret.of(config.requireSetting("clientSecret")),
                    null);
        }
        throw new InvalidInputException(
                "credentials",
                "the graph provider needs credentials: TokenCredentials, the "
                        + "setting 'accessToken', or 'tenantId' + 'clientId' + 'clientSecret'");
    }

    private AccessTokenSource clientCredentials(
            ConnectionConfig config,
            HttpTransport transport,
            String tenant,
            String clientId,
            Secret secret,
            CertificateAssertion assertion) {
        HttpUrl authority = url(config.setting("authorityUrl").orElse(DEFAULT_AUTHORITY), "authorityUrl");
        OriginPolicy authorityPolicy = http.originPolicy(authority)
                .allowPrivateNetwork(config.flag("allowPrivateNetwork", OriginPolicy.namesLoopback(authority)))
                .build();
        return new Tokens.ClientCredentials(
                transport.withOriginPolicy(authorityPolicy),
                authority,
                tenant,
                clientId,
                secret,
                assertion,
                config.setting("scope").orElse("https://graph.microsoft.com/.default"),
                config.clock());
    }

    /**
     * The consent URL a {@link org.calsdk.errors.ReauthorizationRequiredException} carries, when the setting
     * {@code consentRedirectUri} is given: for client credentials, the tenant's admin-consent URL (each with a
     * fresh {@code state}, which the host reads from the URL and checks on the callback with
     * {@link AdminConsent#callback}); else null.
     */
    private static java.util.function.Supplier<String> relink(ConnectionConfig config) {
        String redirect = config.setting("consentRedirectUri").orElse(null);
        if (redirect == null || redirect.isBlank()) {
            return null;
        }
        String tenant;
        String clientId;
        if (config.credentials().orElse(null) instanceof ClientCredentials c) {
            tenant = c.tenant();
            clientId = c.clientId();
        } else {
            tenant = config.setting("tenantId").orElse(null);
            clientId = config.setting("clientId").orElse(null);
        }
        if (tenant == null || clientId == null) {
            return null;
        }
        HttpUrl authority = url(config.setting("authorityUrl").orElse(DEFAULT_AUTHORITY), "authorityUrl");
        url(redirect, "consentRedirectUri");
        return () -> AdminConsent.url(authority, tenant, clientId, redirect, newState())
                .toString();
    }

    /** Made on first use: seeding a SecureRandom loads the security providers, which few connections need. */
    private static final class Random {
        static final java.security.SecureRandom INSTANCE = new java.security.SecureRandom();
    }

    /** 24 random bytes, base64url: an unguessable consent {@code state}. */
    static String newState() {
        byte[] b = new byte[24];
        Random.INSTANCE.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static HttpUrl url(String value, String setting) {
        HttpUrl u = HttpUrl.parse(value.strip());
        if (u == null) {
            throw new InvalidInputException(setting, "setting '" + setting + "' is not an http(s) URL");
        }
        return u;
    }

    private static ZoneId zone(ConnectionConfig config) {
        String z = config.setting("timeZone").orElse(null);
        if (z == null || z.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(z);
        } catch (java.time.DateTimeException e) {
            throw new InvalidInputException(
                    "timeZone", "unknown time zone '" + z + "' (use an IANA name such as " + "Europe/Berlin)");
        }
    }

    @Override
    public String toString() {
        return "GraphProvider";
    }

    /**
     * Builds a {@link GraphProvider}: the HTTP settings every provider shares ({@link ProviderBuilder}:
     * client, DNS, retries, sleeper, listener, deadline per call, response size). The retry policy also
     * covers throttled {@code $batch} sub-requests; the default client has 15 s connect and 30 s read
     * timeouts, and responses may be up to 32 MiB.
     */
    public static final class Builder extends ProviderBuilder<Builder> {
        private Builder() {
            super(b -> b.connectTimeout(Duration.ofSeconds(15)).readTimeout(Duration.ofSeconds(30)), 32L * 1024 * 1024);
        }

        ProviderBuilder.HttpSettings settings() {
            return httpSettings();
        }

        /**
         * Builds the provider; the builder may be reused afterwards.
         *
         * @return a provider with this builder's settings
         */
        public GraphProvider build() {
            return new GraphProvider(this);
        }
    }
}
