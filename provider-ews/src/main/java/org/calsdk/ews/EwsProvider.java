package org.calsdk.ews;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.ews.internal.EwsClient;
import org.calsdk.ews.internal.EwsConnection;
import org.calsdk.ews.internal.EwsDirectory;
import org.calsdk.ews.internal.EwsSession;
import org.calsdk.ews.internal.NtlmAuthenticator;
import org.calsdk.ews.internal.Xml;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.spi.ProviderBuilder;

/**
 * The Exchange Web Services provider (id {@code "ews"}) for Exchange Server on-premises. Exchange Online
 * is served by the Graph provider: Microsoft switches EWS off there (from October 2026, for good in April
 * 2027). Found by {@link java.util.ServiceLoader} or registered explicitly.
 *
 * <p>Settings of the {@link ConnectionConfig}:
 * <ul>
 *   <li>{@code url} (required): the EWS endpoint, such as {@code https://mail.example.com/EWS/Exchange.asmx}.</li>
 *   <li>{@code impersonation}: {@code true} to act as mailboxes through ApplicationImpersonation (the
 *   {@code ExchangeImpersonation} SOAP header plus {@code X-AnchorMailbox} on every call). Without a
 *   {@code mailbox} the connection is the service account's ORGANIZATION connection: free/busy for any
 *   mailbox, and {@code impersonator().actAs(mailbox)} for per-mailbox views that share its transport.
 *   With {@code mailbox} it is a USER connection acting as that mailbox. Default {@code false}: a USER
 *   connection acting as the account's own mailbox.</li>
 *   <li>{@code mailbox}: the mailbox to act as (default: the user name when it is an address, else
 *   {@code username@<url host>}).</li>
 *   <li>{@code allowPrivateNetwork}: {@code true} to allow an endpoint on loopback or private addresses
 *   (an on-premises server usually is one). Default {@code false}; link-local and cloud-metadata addresses
 *   stay refused either way, and credentials go only to the configured origin ({@link OriginPolicy}).</li>
 *   <li>{@code auth}: {@code basic} (default) or {@code ntlm} for password credentials.</li>
 *   <li>{@code directory}: addresses (separated by commas or spaces) that {@code directory()} resolves with
 *   {@code ResolveNames}; EWS cannot list an organization's users itself. Without it there is no directory.</li>
 *   <li>{@code timeout}: each call's overall deadline across its retries (seconds or ISO-8601; default 60 s).</li>
 *   <li>{@code pullInterval}: how often a pull subscription's listener polls ({@code GetEvents}; default 30 s).</li>
 * </ul>
 * Credentials: {@link PasswordCredentials} of the service account (HTTP Basic, sent with the first request
 * so no call pays a challenge round trip; use HTTPS) or {@link TokenCredentials} (an OAuth bearer token,
 * hybrid set-ups). With the setting {@code auth=ntlm} the password is used for NTLM instead (user name
 * <code>DOMAIN&#92;user</code> or {@code user@domain}), answered by Apache HttpClient 5's NTLM engine: two extra round
 * trips when a connection is first authenticated, none after on that connection.
 *
 * <p>Throttling: {@code ErrorServerBusy} is waited out for its {@code BackOffMilliseconds} (else with the
 * retry policy's exponential backoff), within the policy's attempts and longest pause; beyond that the
 * call fails with {@link org.calsdk.errors.RateLimitedException}.
 *
 * <pre>{@code
 * try (CalendarConnection org = CalendarProviders.load().connect(ConnectionConfig.builder("ews")
 *         .setting("url", "https://mail.example.com/EWS/Exchange.asmx").setting("impersonation", "true")
 *         .credentials(PasswordCredentials.of("svc-calendar", Secret.of(password))).build())) {
 *     FreeBusyResult busy = org.freeBusy().query(FreeBusyRequest.of(mailboxes, window));
 *     try (CalendarConnection alice = org.impersonator().actAs(Mailbox.of("alice@example.com"))) {
 *         alice.writer().create(CalendarRef.primary(alice.self().orElseThrow()), EventKey.of("booking-42"), event);
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class EwsProvider implements CalendarProvider {
    /** The provider id. */
    public static final String ID = "ews";

    /** Most addresses the {@code directory} setting may name. */
    static final int MAX_DIRECTORY = 100_000;
    /** Credentials are configured (NTLM, in the HTTP client) but not added per request; a 401 cannot be refreshed. */
    private static final Authorizer NTLM_AUTHORIZER = new Authorizer() {
        @Override
        public okhttp3.Request authorize(okhttp3.Request request) {
            return request;
        }

        @Override
        public boolean refreshAfterUnauthorized(okhttp3.Request rejected) {
            return false;
        }

        @Override
        public String toString() {
            return "NTLM";
        }
    };

    private final ProviderBuilder.HttpSettings http;
    private final int freeBusyParallelism;
    private final Duration pullInterval;

    /** A provider with default settings (the {@link java.util.ServiceLoader} entry point). */
    public EwsProvider() {
        this(builder());
    }

    private EwsProvider(Builder b) {
        this.http = b.settings();
        this.freeBusyParallelism = b.freeBusyParallelism;
        this.pullInterval = b.pullInterval;
    }

    /**
     * A builder for a provider with its own HTTP client, DNS resolver, retry policy or limits.
     *
     * <pre>{@code
     * CalendarProvider ews = EwsProvider.builder().freeBusyParallelism(8).pullInterval(Duration.ofSeconds(10)).build();
     * }</pre>
     *
     * @return a new builder holding the defaults (60 s call deadline, 16 MiB responses, 10 parallel free/busy
     *     calls, 30 s pull interval)
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
        java.util.EnumSet<Capability> all = java.util.EnumSet.copyOf(EwsConnection.USER);
        all.addAll(EwsConnection.ORGANIZATION);
        all.add(Capability.DIRECTORY); // with the 'directory' setting
        return java.util.Collections.unmodifiableSet(all);
    }

    /** Connects; no network I/O happens until the first call. */
    @Override
    public CalendarConnection connect(ConnectionConfig config) {
        Objects.requireNonNull(config, "config == null");
        String rawUrl = config.setting("url")
                .orElseThrow(() -> new InvalidInputException(
                        "url",
                        "the EWS provider needs the 'url' setting (https://mail.example.com/EWS/Exchange.asmx)"));
        HttpUrl url = HttpUrl.parse(rawUrl.trim());
        if (url == null) {
            throw new InvalidInputException("url", "the 'url' setting is not an http(s) URL");
        }
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            throw new InvalidInputException(
                    "url",
                    "the 'url' setting must not carry user info; put credentials in the " + "connection's credentials");
        }
        Credentials credentials = config.credentials().orElse(null);
        if (credentials != null
                && !(credentials instanceof PasswordCredentials)
                && !(credentials instanceof TokenCredentials)) {
            throw new InvalidInputException(
                    "credentials", "EWS takes a user name and password (Basic) or an OAuth token");
        }
        boolean impersonation = config.flag("impersonation");
        String username = credentials instanceof PasswordCredentials p
                ? p.username()
                : config.setting("username").orElse(null);
        Mailbox mailbox = mailbox(config, username, url, impersonation);
        OriginPolicy policy = http.originPolicy(url)
                .allowPrivateNetwork(config.flag("allowPrivateNetwork"))
                .build();
        Duration callTimeout = http.timeout(config).orElse(null);
        ConnectionPool pool = new ConnectionPool(5, 5, TimeUnit.MINUTES);
        String auth = config.setting("auth")
                .map(a -> a.trim().toLowerCase(Locale.ROOT))
                .orElse("basic");
        if (!auth.equals("basic") && !auth.equals("ntlm")) {
            throw new InvalidInputException(
                    "auth", "the 'auth' setting is 'basic' (default) or 'ntlm', was '" + auth + "'");
        }
        boolean ntlm = auth.equals("ntlm");
        if (ntlm && !(credentials instanceof PasswordCredentials)) {
            throw new InvalidInputException(
                    "credentials",
                    "NTLM needs the service account's user name (DOMAIN\\user or " + "user@domain) and password");
        }
        NtlmAuthenticator ntlmAuth = ntlm ? new NtlmAuthenticator(url, (PasswordCredentials) credentials) : null;
        UnaryOperator<OkHttpClient.Builder> ewsClient =
                ntlm ? b -> b.connectionPool(pool).authenticator(ntlmAuth) : b -> b.connectionPool(pool);
        HttpTransport transport = http.transport(ID, config, policy, ewsClient);
        // NTLM is answered inside OkHttp (NtlmAuthenticator): the transport adds nothing, and a final 401 is a refusal
        Authorizer authorizer = ntlm ? NTLM_AUTHORIZER : Authorizer.forCredentials(credentials);
        int maxXml = (int) Math.min(http.maxResponseBytes(), Integer.MAX_VALUE - 8);
        EwsClient client = new EwsClient(transport, url, authorizer, callTimeout, maxXml, ID, username);
        Runnable close = () -> {
            transport.close();
            pool.evictAll();
        };
        boolean organization = impersonation && mailbox == null;
        Duration pull = config.duration("pullInterval").orElse(pullInterval);
        if (pull.isNegative() || pull.isZero()) {
            throw new InvalidInputException("pullInterval", "pullInterval must be positive");
        }
        EwsSession session = new EwsSession(
                client, mailbox, impersonation && mailbox != null, freeBusyParallelism, config.clock(), pull);
        List<Mailbox> directory =
                config.setting("directory").map(EwsDirectory::parse).orElse(List.of());
        if (directory.size() > MAX_DIRECTORY) {
            throw new InvalidInputException(
                    "directory",
                    "the 'directory' setting names " + directory.size() + " addresses; at most " + MAX_DIRECTORY);
        }
        return new EwsConnection(session, organization, close, directory);
    }

    private static Mailbox mailbox(ConnectionConfig config, String username, HttpUrl url, boolean impersonation) {
        String m = config.setting("mailbox").orElse(null);
        if (m != null && !m.isBlank()) {
            return Mailbox.of(m.trim());
        }
        if (impersonation) {
            return null;
        }
        if (username != null && username.contains("@")) {
            return Mailbox.of(username);
        }
        if (username == null) {
            throw new InvalidInputException(
                    "mailbox", "name the mailbox to act as ('mailbox' setting) when connecting " + "with a token");
        }
        String user = username.contains("\\") ? username.substring(username.indexOf('\\') + 1) : username;
        return Mailbox.of(user.toLowerCase(Locale.ROOT) + "@" + url.host());
    }

    @Override
    public String toString() {
        return "EwsProvider";
    }

    /**
     * Builds an {@link EwsProvider}: the HTTP settings every provider shares ({@link ProviderBuilder}:
     * client, DNS, retries, sleeper, listener, deadline per call, response size) and EWS's own. The retry
     * policy also bounds how many times and how long {@code ErrorServerBusy} is waited out; connections add
     * their connection pool and, with {@code auth=ntlm}, the NTLM authenticator to a copy of the client. The
     * default client has 15 s connect and 60 s read timeouts, and responses may be up to 16 MiB.
     */
    public static final class Builder extends ProviderBuilder<Builder> {
        private int freeBusyParallelism = 10;
        private Duration pullInterval = Duration.ofSeconds(30);

        private Builder() {
            super(
                    b -> b.connectTimeout(Duration.ofSeconds(15)).readTimeout(Duration.ofSeconds(60)),
                    Xml.DEFAULT_MAX_BYTES);
        }

        ProviderBuilder.HttpSettings settings() {
            return httpSettings();
        }

        /**
         * How many GetUserAvailability calls of one free/busy query run at once (default 10: well inside
         * Exchange's default throttling policy, which admits 27 concurrent EWS connections per account,
         * {@code EWSMaxConcurrency}, leaving room for the account's other clients).
         *
         * @param calls the number of concurrent calls, 1 to 64
         * @return this builder
         * @throws InvalidInputException if {@code calls} is outside 1-64
         */
        public Builder freeBusyParallelism(int calls) {
            if (calls < 1 || calls > 64) {
                throw new InvalidInputException("freeBusyParallelism", "freeBusyParallelism must be 1-64");
            }
            this.freeBusyParallelism = calls;
            return this;
        }

        /**
         * How often {@code push().listen(...)} asks Exchange for the events of each pull subscription
         * ({@code GetEvents}; default 30 s; the connection setting {@code pullInterval} overrides it).
         *
         * @param interval the time between two polls of one subscription, positive
         * @return this builder
         * @throws NullPointerException if {@code interval} is null
         * @throws InvalidInputException if {@code interval} is zero or negative
         */
        public Builder pullInterval(Duration interval) {
            Checks.notNull(interval, "pullInterval");
            if (interval.isNegative() || interval.isZero()) {
                throw new InvalidInputException("pullInterval", "pullInterval must be positive, was " + interval);
            }
            this.pullInterval = interval;
            return this;
        }

        /**
         * Builds the provider; the builder may be reused afterwards.
         *
         * @return a provider with this builder's settings
         */
        public EwsProvider build() {
            return new EwsProvider(this);
        }
    }
}
