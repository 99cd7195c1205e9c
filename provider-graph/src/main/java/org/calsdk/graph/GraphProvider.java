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
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
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
import org.calsdk.http.RequestListener;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;

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

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final OkHttpClient client;
    private final Dns dns;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final RequestListener listener;
    private final Duration timeout;

    /** A provider with default settings (as ServiceLoader creates it). */
    public GraphProvider() {
        this(builder());
    }

    private GraphProvider(Builder b) {
        this.client = b.client;
        this.dns = b.dns;
        this.retryPolicy = b.retryPolicy;
        this.sleeper = b.sleeper;
        this.listener = b.listener;
        this.timeout = b.timeout;
    }

    /**
     * Starts building a provider with custom HTTP settings.
     *
     * <pre>{@code
     * CalendarProvider graph = GraphProvider.builder().okHttpClient(proxiedClient).timeout(Duration.ofSeconds(30)).build();
     * }</pre>
     *
     * @return a new builder holding the defaults (60 s call deadline, default retries, system DNS)
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
        OriginPolicy policy = OriginPolicy.builder(base)
                .allowPrivateNetwork(privateNet)
                .dns(dns)
                .build();
        Duration callTimeout = config.duration("timeout").orElse(timeout);
        HttpTransport transport;
        boolean ownsTransport;
        if (config.transport().isPresent()) {
            transport = config.transport().get().withOriginPolicy(policy);
            ownsTransport = false;
        } else {
            HttpTransport.Builder t = HttpTransport.builder()
                    .okHttpClient(client)
                    .provider(ID)
                    .clock(config.clock())
                    .retryPolicy(retryPolicy)
                    .sleeper(sleeper)
                    .originPolicy(policy)
                    .maxConcurrentPerMailbox(4)
                    .timeout(callTimeout == null ? DEFAULT_TIMEOUT : callTimeout);
            if (listener != null) {
                t.listener(listener);
            }
            transport = t.build();
            ownsTransport = true;
        }
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
                retryPolicy,
                sleeper,
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
            OriginPolicy tokenPolicy = OriginPolicy.builder(tokenUrl)
                    .allowPrivateNetwork(config.flag("allowPrivateNetwork", OriginPolicy.namesLoopback(tokenUrl)))
                    .dns(dns)
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
        OriginPolicy authorityPolicy = OriginPolicy.builder(authority)
                .allowPrivateNetwork(config.flag("allowPrivateNetwork", OriginPolicy.namesLoopback(authority)))
                .dns(dns)
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

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** 24 random bytes, base64url: an unguessable consent {@code state}. */
    static String newState() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
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

    /** Builds a {@link GraphProvider} with custom HTTP settings. */
    public static final class Builder {
        private OkHttpClient client = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(Duration.ofSeconds(30))
                .build();
        private Dns dns = Dns.SYSTEM;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Sleeper sleeper = Sleeper.system();
        private RequestListener listener;
        private Duration timeout;

        private Builder() {}

        /**
         * The deadline of each call across its retries (default 60 s); a connection's {@code timeout} setting
         * overrides it. A call that runs out fails with {@link org.calsdk.errors.OperationTimeoutException}.
         *
         * @param timeout the deadline per call, positive
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws InvalidInputException if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout == null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidInputException("timeout", "timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Retries of 429/503 and transient failures, also of throttled {@code $batch} sub-requests; default
         * {@link RetryPolicy#defaults()}.
         *
         * @param policy the retry policy, not null
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy == null");
            return this;
        }

        /**
         * How pauses (Retry-After, back-off) are waited out; tests record them instead. Default
         * {@link Sleeper#system()}.
         *
         * @param sleeper the sleeper, not null
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
            return this;
        }

        /**
         * Sees every HTTP attempt, retries included (accounting, metrics); by default none.
         *
         * @param listener the listener, not null; called on the calling thread, so it must be quick and
         *     thread-safe
         * @return this builder
         */
        public Builder listener(RequestListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener == null");
            return this;
        }

        /**
         * The OkHttp client to derive connections' clients from (proxies, TLS); default a client with 15 s
         * connect and 30 s read timeouts.
         *
         * @param client the base client, not null; it is not modified
         * @return this builder
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client == null");
            return this;
        }

        /**
         * Name resolution (tests pin hosts with it); default {@link Dns#SYSTEM}. Answers still pass the
         * origin policy's address checks.
         *
         * @param dns the resolver, not null
         * @return this builder
         */
        public Builder dns(Dns dns) {
            this.dns = Objects.requireNonNull(dns, "dns == null");
            return this;
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
