package org.calsdk.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.http.RequestListener;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.internal.Checks;

/**
 * The HTTP settings every provider's builder shares: the OkHttp client, name resolution, retries, how
 * pauses are waited out, request accounting, the deadline per call and the largest response accepted.
 * {@code GoogleProvider.builder()}, {@code GraphProvider.builder()}, {@code EwsProvider.builder()} and
 * {@code CalDavProvider.builder()} all extend it, so the same setter means the same thing, with the same
 * checks, on each; a provider adds setters of its own next to these.
 *
 * <pre>{@code
 * CalendarProvider graph = GraphProvider.builder()
 *     .okHttpClient(proxiedClient)          // proxy, TLS; each connection derives its client from it
 *     .listener(counter)                    // every HTTP attempt, retries included
 *     .timeout(Duration.ofSeconds(30))      // each call's deadline across its retries
 *     .build();
 * }</pre>
 *
 * <p>Every setter refuses null with a {@link NullPointerException} naming the setting
 * ({@code "timeout == null"}) and a value out of range with an {@link InvalidInputException} naming it.
 * A builder may be changed and built again; a provider keeps the settings it was built with.
 *
 * <p>For provider modules: a provider's builder extends {@code ProviderBuilder<ItsBuilder>}, passes its
 * defaults to the constructor, and hands {@link #httpSettings()} to the provider it builds, which makes each
 * connection's transport with {@link HttpSettings#transport}.
 *
 * @param <B> the provider's own builder type, returned by every setter
 * @since 0.2
 */
public abstract class ProviderBuilder<B extends ProviderBuilder<B>> {
    /** A call's deadline across its retries when neither the builder nor the connection sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final UnaryOperator<OkHttpClient.Builder> defaultClientSettings;
    private OkHttpClient client;
    private Dns dns = Dns.SYSTEM;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Sleeper sleeper = Sleeper.system();
    private RequestListener listener;
    private Duration timeout;
    private long maxResponseBytes;

    /**
     * A builder holding the shared defaults: system DNS, {@link RetryPolicy#defaults()},
     * {@link Sleeper#system()}, no listener, the connection's or a 60 s deadline.
     *
     * @param defaultClientSettings the provider's settings (timeouts) for the SDK's shared OkHttp client, used
     *     when the host sets no client of its own (that client sets TLS up on its first {@code https} request,
     *     so a process talking plain HTTP never loads the trust store)
     * @param defaultMaxResponseBytes the provider's largest response by default, at least 1024
     * @throws NullPointerException if {@code defaultClientSettings} is null
     * @throws InvalidInputException if {@code defaultMaxResponseBytes} is below 1024
     */
    protected ProviderBuilder(UnaryOperator<OkHttpClient.Builder> defaultClientSettings, long defaultMaxResponseBytes) {
        this.defaultClientSettings = Checks.notNull(defaultClientSettings, "defaultClientSettings");
        this.maxResponseBytes = checkMaxResponseBytes(defaultMaxResponseBytes);
    }

    /**
     * This builder as its own type, for a subclass's setters.
     *
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /**
     * The OkHttp client that connections' clients are derived from (proxy, TLS, connect and read timeouts,
     * dispatcher); the provider adds what its protocol needs (an authenticator, a connection pool) to a copy
     * per connection. Default: a client of the provider's own, made when a connection first needs it.
     *
     * @param client the base client, not null; it is not modified
     * @return this builder
     * @throws NullPointerException if {@code client} is null
     */
    public final B okHttpClient(OkHttpClient client) {
        this.client = Checks.notNull(client, "okHttpClient");
        return self();
    }

    /**
     * Name resolution, as the origin policy sees it (tests pin hosts with it); default {@link Dns#SYSTEM}.
     * Its answers still pass the policy's address checks: no private addresses unless the connection
     * allows them, never link-local or cloud-metadata ones.
     *
     * @param dns the resolver, not null
     * @return this builder
     * @throws NullPointerException if {@code dns} is null
     */
    public final B dns(Dns dns) {
        this.dns = Checks.notNull(dns, "dns");
        return self();
    }

    /**
     * When to retry and how long to back off (429, 503 and transient failures, plus what the provider's
     * own answers say: Google's 403 rate limits, throttled Graph {@code $batch} parts, EWS
     * {@code ErrorServerBusy}); default {@link RetryPolicy#defaults()}. Used on the provider's own
     * transports: a host-supplied transport keeps its own policy.
     *
     * @param policy the retry policy, not null
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public final B retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Checks.notNull(policy, "retryPolicy");
        return self();
    }

    /**
     * How pauses between retries (and a server's requested back-off) are waited out; tests pass one that
     * records them instead of sleeping. Default {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper, not null
     * @return this builder
     * @throws NullPointerException if {@code sleeper} is null
     */
    public final B sleeper(Sleeper sleeper) {
        this.sleeper = Checks.notNull(sleeper, "sleeper");
        return self();
    }

    /**
     * Receives a record of every HTTP attempt on the provider's own transports, retries included
     * (round-trip accounting, metrics); by default none. Setting another replaces it.
     *
     * @param listener the listener, not null; called on the calling thread, so it must be quick and
     *     thread-safe
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public final B listener(RequestListener listener) {
        this.listener = Checks.notNull(listener, "listener");
        return self();
    }

    /**
     * The deadline of each HTTP call across its retries and the pauses between them (default 60 s); a
     * connection's {@code timeout} setting overrides it. A call that runs out fails with
     * {@link org.calsdk.errors.OperationTimeoutException}.
     *
     * @param timeout the deadline per call, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws InvalidInputException if {@code timeout} is zero or negative
     */
    public final B timeout(Duration timeout) {
        Checks.notNull(timeout, "timeout");
        Checks.check(!timeout.isNegative() && !timeout.isZero(), "timeout", "timeout must be positive, was " + timeout);
        this.timeout = timeout;
        return self();
    }

    /**
     * The largest response body accepted (the provider's default: 32 MiB for Google and Graph, 16 MiB for
     * EWS and CalDAV); a larger one fails with {@link org.calsdk.errors.MalformedDataException} instead of
     * being read into memory.
     *
     * @param bytes the limit in bytes, at least 1024
     * @return this builder
     * @throws InvalidInputException if {@code bytes} is below 1024
     */
    public final B maxResponseBytes(long bytes) {
        this.maxResponseBytes = checkMaxResponseBytes(bytes);
        return self();
    }

    private static long checkMaxResponseBytes(long bytes) {
        Checks.check(bytes >= 1024, "maxResponseBytes", "maxResponseBytes must be at least 1024");
        return bytes;
    }

    /**
     * A snapshot of the settings for the provider being built; later changes to this builder do not
     * reach it.
     *
     * @return the settings as they are now
     */
    protected final HttpSettings httpSettings() {
        return new HttpSettings(this);
    }

    /**
     * The shared HTTP settings of one built provider, as its {@link ProviderBuilder} held them: immutable
     * and thread-safe. A provider keeps it and makes each connection's transport with {@link #transport}.
     *
     * @since 0.2
     */
    public static final class HttpSettings {
        private final OkHttpClient configuredClient;
        private final UnaryOperator<OkHttpClient.Builder> defaultClientSettings;
        private final Dns dns;
        private final RetryPolicy retryPolicy;
        private final Sleeper sleeper;
        private final RequestListener listener;
        private final Duration timeout;
        private final long maxResponseBytes;

        private HttpSettings(ProviderBuilder<?> b) {
            this.configuredClient = b.client;
            this.defaultClientSettings = b.defaultClientSettings;
            this.dns = b.dns;
            this.retryPolicy = b.retryPolicy;
            this.sleeper = b.sleeper;
            this.listener = b.listener;
            this.timeout = b.timeout;
            this.maxResponseBytes = b.maxResponseBytes;
        }

        /**
         * The OkHttp client the host set on the builder, if any (without one, the provider's transports use
         * the SDK's shared client with the provider's default settings).
         *
         * @return the host's client, or empty
         */
        public Optional<OkHttpClient> okHttpClient() {
            return Optional.ofNullable(configuredClient);
        }

        /**
         * Name resolution for origin policies.
         *
         * @return the resolver
         */
        public Dns dns() {
            return dns;
        }

        /**
         * The retry policy.
         *
         * @return the policy
         */
        public RetryPolicy retryPolicy() {
            return retryPolicy;
        }

        /**
         * How pauses are waited out.
         *
         * @return the sleeper
         */
        public Sleeper sleeper() {
            return sleeper;
        }

        /**
         * The accounting listener, if one was set.
         *
         * @return the listener, or empty
         */
        public Optional<RequestListener> listener() {
            return Optional.ofNullable(listener);
        }

        /**
         * The largest response body accepted.
         *
         * @return the limit in bytes, at least 1024
         */
        public long maxResponseBytes() {
            return maxResponseBytes;
        }

        /**
         * The deadline per call for a connection: its {@code timeout} setting, else the builder's.
         *
         * @param config the connection's configuration, not null
         * @return the deadline, or empty when neither sets one (the transport's own applies)
         * @throws InvalidInputException if the {@code timeout} setting is not a positive duration
         */
        public Optional<Duration> timeout(ConnectionConfig config) {
            Checks.notNull(config, "config");
            return config.duration("timeout").or(() -> Optional.ofNullable(timeout));
        }

        /**
         * An origin policy builder for {@code origin} that resolves names with {@link #dns()}; the provider
         * adds what else it allows (private networks, sibling hosts).
         *
         * @param origin the configured URL, not null
         * @return the builder
         */
        public OriginPolicy.Builder originPolicy(HttpUrl origin) {
            return OriginPolicy.builder(Checks.notNull(origin, "origin")).dns(dns);
        }

        /**
         * The transport of one connection, as {@link #transport(String, ConnectionConfig, OriginPolicy,
         * UnaryOperator)} without client settings of the provider's own.
         *
         * @param providerId the provider id put in errors and request records
         * @param config the connection's configuration
         * @param policy where the connection's requests and credentials may go
         * @return the transport; the connection closes it
         */
        public HttpTransport transport(String providerId, ConnectionConfig config, OriginPolicy policy) {
            return transport(providerId, config, policy, null);
        }

        /**
         * The transport of one connection. With a host-supplied transport in {@code config}, one derived
         * from it (the host's retry policy, accounting, limits and deadline) with {@code clientSettings} and
         * {@code policy}. Otherwise a transport of the provider's own: these settings, the connection's
         * clock, and the deadline {@link #timeout(ConnectionConfig)} or {@link #DEFAULT_TIMEOUT}.
         *
         * @param providerId the provider id put in errors and request records, not blank
         * @param config the connection's configuration, not null
         * @param policy where the connection's requests and credentials may go, not null
         * @param clientSettings what the provider's protocol needs on the OkHttp client (an authenticator,
         *     a connection pool), or null for nothing
         * @return the transport; closing it leaves a host-supplied one open
         */
        public HttpTransport transport(
                String providerId,
                ConnectionConfig config,
                OriginPolicy policy,
                UnaryOperator<OkHttpClient.Builder> clientSettings) {
            Checks.notBlank(providerId, "providerId");
            Checks.notNull(config, "config");
            Checks.notNull(policy, "policy");
            Optional<HttpTransport> host = config.transport();
            if (host.isPresent()) {
                HttpTransport t = host.get();
                return (clientSettings == null ? t : t.withClient(clientSettings)).withOriginPolicy(policy);
            }
            HttpTransport.Builder t = configuredClient == null
                    ? HttpTransport.builder().customizeClient(defaultClientSettings)
                    : HttpTransport.builder().okHttpClient(configuredClient);
            if (clientSettings != null) {
                t.customizeClient(clientSettings);
            }
            t.provider(providerId)
                    .clock(config.clock())
                    .retryPolicy(retryPolicy)
                    .sleeper(sleeper)
                    .maxResponseBytes(maxResponseBytes)
                    .originPolicy(policy)
                    .timeout(timeout(config).orElse(DEFAULT_TIMEOUT));
            if (listener != null) {
                t.listener(listener);
            }
            return t.build();
        }

        @Override
        public String toString() {
            return "HttpSettings[" + retryPolicy + ", timeout=" + (timeout == null ? "default" : timeout)
                    + ", maxResponseBytes=" + maxResponseBytes + (listener == null ? "" : ", listener") + "]";
        }
    }
}
