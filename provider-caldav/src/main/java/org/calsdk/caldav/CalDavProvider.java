package org.calsdk.caldav;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.calsdk.caldav.internal.CalDavConnection;
import org.calsdk.caldav.internal.CalDavSession;
import org.calsdk.caldav.internal.DavAuth;
import org.calsdk.caldav.internal.DavExchange;
import org.calsdk.caldav.internal.DavHttp;
import org.calsdk.caldav.internal.Discovery;
import org.calsdk.caldav.internal.SafeXml;
import org.calsdk.caldav.internal.TransportExchange;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.spi.ProviderBuilder;

/**
 * The CalDAV provider (id {@code "caldav"}): iCloud, Fastmail, Nextcloud, Radicale and any RFC 4791
 * server. Found by {@link java.util.ServiceLoader} or registered explicitly.
 *
 * <p>Settings of the {@link ConnectionConfig}:
 * <ul>
 *   <li>{@code url}: the server URL ({@code https://caldav.icloud.com/}), or just an email domain;
 *   when absent, the domain of an email-address user name. Discovery follows RFC 6764 (SRV
 *   {@code _caldavs._tcp}, {@code /.well-known/caldav}, {@code current-user-principal},
 *   {@code calendar-home-set}) on first use.</li>
 *   <li>{@code username}: when the credentials are not {@link PasswordCredentials} (for the mailbox name).</li>
 *   <li>{@code allowPrivateNetwork}: {@code true} to allow servers on loopback and private addresses
 *   (default {@code false}: a user-supplied URL cannot reach into the host's network, not even through a
 *   redirect or a DNS name that resolves there). It allows nothing else: link-local and cloud-metadata
 *   addresses stay refused, and credentials travel over plain {@code http://} only to loopback or private
 *   addresses. An HTTP proxy configured on the OkHttp client may sit in a private network: the
 *   connection to the proxy is not filtered, the server name behind it still is. A value other than
 *   {@code true} or {@code false} is an error.</li>
 *   <li>{@code timeout}: the overall deadline of each HTTP call across its retries, in seconds or as an
 *   ISO-8601 duration (default the builder's {@link ProviderBuilder#timeout}, else 60 s); a call that runs out
 *   fails with {@link org.calsdk.errors.OperationTimeoutException}.</li>
 *   <li>{@code mailbox}: the account's email address when the user name is not one (default: the user
 *   name if it is an address, else {@code user@server-host}).</li>
 *   <li>{@code timeZone}: the IANA zone floating and all-day events are read in (default UTC).</li>
 *   <li>{@code srv}: {@code false} to skip the DNS SRV lookup when only a domain is given.</li>
 * </ul>
 * Credentials go only to the configured origin (scheme, host and port) and to HTTPS hosts of its
 * registrable domain on port 443 (iCloud's partition hosts), per {@link OriginPolicy}: a redirect or an
 * href of the server that leads elsewhere is refused with {@link org.calsdk.errors.PermissionDeniedException}
 * before anything is sent there. A connection follows at most 5 redirects in all.
 * Credentials: {@link PasswordCredentials} (an app-specific password; Basic, or Digest when the server
 * challenges with it), {@link org.calsdk.auth.TokenCredentials} (Bearer) or
 * {@link org.calsdk.auth.RefreshTokenCredentials} naming the server's token endpoint (Bearer, refreshed).
 *
 * <p>HTTP goes through an {@link HttpTransport} the provider builds on its own OkHttp client, or, when
 * the config carries the host's {@link ConnectionConfig#transport() transport}, through one derived from
 * it with {@link HttpTransport#withClient} (the host's retry policy, accounting and concurrency limits,
 * the host client's timeouts, proxy and TLS settings). Either way the connection's transport applies its
 * {@link OriginPolicy} (also as a DNS filter at connect time), and the provider adds the Digest
 * authenticator and a connection pool of its own per connection.
 *
 * <pre>{@code
 * CalendarProviders providers = CalendarProviders.load();            // finds "caldav"
 * try (CalendarConnection c = providers.connect(ConnectionConfig.builder("caldav")
 *         .setting("url", "https://caldav.icloud.com/")
 *         .credentials(PasswordCredentials.of("alice@icloud.com", Secret.of(appPassword)))
 *         .build())) {
 *     List<CalendarInfo> calendars = c.reader().calendars(c.self().orElseThrow());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class CalDavProvider implements CalendarProvider {
    /** The provider id. */
    public static final String ID = "caldav";

    private final ProviderBuilder.HttpSettings http;
    /**
     * The idle HTTP connections of all this provider's connections, at most {@value #MAX_IDLE} kept for a
     * minute. One pool per CalDAV connection kept an idle socket per connection for 5 minutes: 10,000 open
     * connections held 10,000 sockets (20,000 file descriptors with an in-process server), and the
     * 10,000th discovery failed with a SocketException (too many open files).
     */
    private final ConnectionPool pool = new ConnectionPool(MAX_IDLE, 1, TimeUnit.MINUTES);

    static final int MAX_IDLE = 32;

    /** A provider with default HTTP settings (the {@link java.util.ServiceLoader} entry point). */
    public CalDavProvider() {
        this(builder());
    }

    private CalDavProvider(Builder b) {
        this.http = b.settings();
    }

    /**
     * A builder for a provider with its own HTTP client, DNS, retry policy, deadline or size limit (the
     * settings every provider shares, {@link ProviderBuilder}).
     *
     * @return a new builder holding the defaults (system DNS, 60 s call deadline, 16 MiB responses, default
     *     retries)
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
        return CalDavConnection.CAPABILITIES;
    }

    /** Connects; no network I/O happens until the first call (discovery runs then, once). */
    @Override
    public CalendarConnection connect(ConnectionConfig config) {
        Objects.requireNonNull(config, "config == null");
        Credentials credentials = config.credentials().orElse(null);
        String username = credentials instanceof PasswordCredentials p
                ? p.username()
                : config.setting("username").orElse(null);
        boolean srv = config.flag("srv", true);
        HttpUrl start = Discovery.startUrl(config.setting("url").orElse(null), username, srv);
        Mailbox self = mailbox(config, username, start);
        ErrorContext ctx = ErrorContext.of(ID).withMailbox(self);
        ZoneId zone = zone(config);
        OriginPolicy policy = http.originPolicy(start)
                .allowPrivateNetwork(config.flag("allowPrivateNetwork"))
                .allowSiblingHosts(true)
                .build();
        Duration callTimeout = http.timeout(config).orElse(null);
        DavAuth auth = DavAuth.of(credentials);
        // what CalDAV needs from the HTTP client, on its own transport and on a host-supplied one alike: the
        // Digest answer and the provider's bounded pool; the origin policy's DNS filter is added by the
        // transport
        UnaryOperator<OkHttpClient.Builder> davClient =
                b -> b.connectionPool(pool).authenticator(auth.digestAuthenticator());
        // on a host-supplied transport: the host's retry policy, accounting and concurrency limits, with our
        // client settings added
        HttpTransport transport = http.transport(ID, config, policy, davClient);
        Authorizer authorizer = auth.hasCredentials() ? auth : Authorizer.none();
        // closing leaves the provider's pool alone (other connections use it); idle sockets leave it after a
        // minute or when more than MAX_IDLE are idle
        DavExchange exchange = new TransportExchange(transport, authorizer, self, callTimeout, null);
        int maxXml = (int) Math.min(http.maxResponseBytes(), Integer.MAX_VALUE - 8);
        CalDavSession session = new CalDavSession(
                new DavHttp(exchange, policy, auth.hasCredentials(), ctx),
                start,
                self,
                zone,
                maxXml,
                ctx,
                config.clock());
        return new CalDavConnection(session, exchange, true);
    }

    private static Mailbox mailbox(ConnectionConfig config, String username, HttpUrl start) {
        String m = config.setting("mailbox").orElse(null);
        if (m != null) {
            return Mailbox.of(m);
        }
        if (username != null && username.contains("@")) {
            try {
                return Mailbox.of(username);
            } catch (InvalidInputException ignored) {
                // not an address after all: fall through to user@host
            }
        }
        String user = username == null ? "caldav" : username.replaceAll("[@\\s]", "_");
        String host =
                start.host().contains(".") || start.host().equals("localhost") ? start.host() : start.host() + ".local";
        return Mailbox.of(user + "@" + host);
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
        return "CalDavProvider";
    }

    /**
     * Builds a {@link CalDavProvider}: the HTTP settings every provider shares ({@link ProviderBuilder}:
     * client, DNS, retries, sleeper, listener, deadline per call, response size). Connections add the Digest
     * authenticator and the provider's bounded connection pool to a copy of the client; sharing one client
     * among providers shares its dispatcher and TLS settings. The default client has 15 s connect and 30 s
     * read timeouts, and responses may be up to 16 MiB.
     *
     * <pre>{@code
     * CalendarProvider caldav = CalDavProvider.builder().okHttpClient(sharedClient).build();
     * }</pre>
     */
    public static final class Builder extends ProviderBuilder<Builder> {
        private Builder() {
            super(
                    b -> b.connectTimeout(Duration.ofSeconds(15)).readTimeout(Duration.ofSeconds(30)),
                    SafeXml.DEFAULT_MAX_BYTES);
        }

        ProviderBuilder.HttpSettings settings() {
            return httpSettings();
        }

        /**
         * Builds the provider; the builder may be reused afterwards.
         *
         * @return a provider with this builder's settings, sharing one connection pool among its connections
         */
        public CalDavProvider build() {
            return new CalDavProvider(this);
        }
    }
}
