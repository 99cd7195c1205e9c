package org.calsdk.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.http.internal.AddressRules;
import org.calsdk.internal.Checks;

/**
 * Where a connection may send requests, and where it may send its credentials. One policy per
 * connection, built from the origin the user configured; {@link HttpTransport} applies it to every call
 * (see {@link HttpTransport#withOriginPolicy}), and providers ask it before they follow a server's
 * redirect or href. Immutable and thread-safe.
 *
 * <p><b>Credentials</b> ({@link #mayCarryCredentials}) go only to the configured origin: the same scheme,
 * host and port. With {@link Builder#allowSiblingHosts(boolean)} one exception is made, for services that
 * spread accounts over partition hosts (iCloud's {@code caldav.icloud.com} hands out
 * {@code p42-caldav.icloud.com}): a host in the same registrable domain as the configured host, when the
 * configured origin and the target both use HTTPS and the target its default port 443. The registrable
 * domain comes from the Public Suffix List bundled with OkHttp ({@link HttpUrl#topPrivateDomain()}), so
 * {@code a.github.io} and {@code b.github.io} are not siblings, and IP addresses have none. Over plain
 * HTTP, credentials go only to a host whose every address is loopback or private, and only with
 * {@link Builder#allowPrivateNetwork(boolean)}: never in cleartext to a public host.
 *
 * <p><b>Addresses</b> ({@link #checkReachable}, and {@link #dns} at connect time, so DNS rebinding finds no
 * gap): a host must resolve only to public addresses; with {@code allowPrivateNetwork} also to loopback
 * and private ones (RFC 1918, unique-local, carrier-grade NAT), and to nothing else. Link-local addresses
 * (the cloud metadata services at {@code 169.254.169.254}), the metadata addresses inside private ranges
 * ({@code fd00:ec2::254}, {@code 100.100.100.200}, …), their names ({@code metadata.google.internal}, …),
 * the unspecified address, multicast and reserved ranges are refused whatever the settings, in every
 * spelling: IPv4 inside IPv6 (mapped, 6to4, NAT64) is judged by the IPv4 address, and numeric hosts other
 * than four decimals ({@code 2852039166}, {@code 0xa9fea9fe}) are refused outright.
 *
 * <pre>{@code
 * OriginPolicy policy = OriginPolicy.builder(HttpUrl.get("https://caldav.icloud.com/"))
 *     .allowSiblingHosts(true)
 *     .build();
 * HttpTransport forThisAccount = transport.withOriginPolicy(policy);
 * }</pre>
 *
 * @since 0.1
 */
public final class OriginPolicy {
    private final HttpUrl origin;
    private final boolean allowPrivateNetwork;
    private final boolean allowSiblingHosts;
    private final Dns resolver;

    private OriginPolicy(Builder b) {
        this.origin = b.origin;
        this.allowPrivateNetwork = b.allowPrivateNetwork;
        this.allowSiblingHosts = b.allowSiblingHosts;
        this.resolver = b.resolver;
    }

    /**
     * Whether {@code url} names the local machine literally ({@code 127.0.0.1}, {@code ::1}, {@code localhost}):
     * providers use it to default {@code allowPrivateNetwork} for a base URL that points at a local fake.
     *
     * @param url the URL
     * @return true for a loopback literal or {@code localhost}
     */
    public static boolean namesLoopback(HttpUrl url) {
        String h = url.host();
        return h.equals("127.0.0.1") || h.equals("::1") || h.equalsIgnoreCase("localhost");
    }

    /**
     * A builder for the policy of a connection configured with {@code configured} (only its scheme, host
     * and port matter).
     *
     * @param configured the URL the connection is configured with
     * @return a builder refusing private networks and sibling hosts, on the system resolver
     * @throws org.calsdk.errors.InvalidInputException if {@code configured} is null
     */
    public static Builder builder(HttpUrl configured) {
        return new Builder(Checks.notNull(configured, "origin"));
    }

    /**
     * The configured origin, as {@code scheme://host:port/}.
     *
     * @return the origin URL
     */
    public HttpUrl origin() {
        return origin;
    }

    /**
     * Whether loopback and private addresses may be reached.
     *
     * @return true when allowed
     */
    public boolean allowsPrivateNetwork() {
        return allowPrivateNetwork;
    }

    /**
     * Whether HTTPS hosts of the configured host's registrable domain may receive the credentials.
     *
     * @return true when allowed
     */
    public boolean allowsSiblingHosts() {
        return allowSiblingHosts;
    }

    /**
     * Whether credentials may be sent to {@code url} by its origin: the configured origin itself, or (with
     * sibling hosts allowed) an HTTPS host on port 443 in the configured host's registrable domain while
     * the configured origin is HTTPS too. Does not look at addresses; see {@link #checkCredentials}.
     *
     * @param url the URL a request would go to
     * @return true when the credentials may go there
     */
    public boolean mayCarryCredentials(HttpUrl url) {
        Checks.notNull(url, "url");
        if (sameOrigin(url, origin)) {
            return true;
        }
        if (!allowSiblingHosts || !origin.isHttps() || !url.isHttps() || url.port() != 443) {
            return false;
        }
        String site = origin.topPrivateDomain();
        return site != null && site.equals(url.topPrivateDomain());
    }

    /**
     * Whether two URLs have the same scheme, host and port.
     *
     * @param a one URL
     * @param b the other
     * @return true when scheme, host and port are equal
     */
    public static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    /**
     * Checks that a request to {@code url} may be sent at all: http(s), not a metadata name or an
     * ambiguous numeric host, and resolving only to addresses this policy allows.
     *
     * @param url the request's URL
     * @param ctx the error context of the connection
     * @throws PermissionDeniedException   when the URL is refused
     * @throws ProviderUnavailableException when the host name does not resolve
     */
    public void checkReachable(HttpUrl url, ErrorContext ctx) {
        Checks.notNull(url, "url");
        if (!url.scheme().equals("https") && !url.scheme().equals("http")) {
            throw new PermissionDeniedException("refusing URL scheme " + url.scheme(), ctx);
        }
        lookup(url.host(), ctx);
    }

    /**
     * Checks that a request to {@code url} may carry the credentials: {@link #checkReachable}, then
     * {@link #mayCarryCredentials}, then for plain HTTP that private networks are allowed and every address
     * of the host is loopback or private.
     *
     * @param url the request's URL
     * @param ctx the error context of the connection
     * @throws PermissionDeniedException when the credentials may not go there
     */
    public void checkCredentials(HttpUrl url, ErrorContext ctx) {
        if (!mayCarryCredentials(url)) {
            throw new PermissionDeniedException(
                    "refusing to send the credentials to " + originOf(url)
                            + ": they go only to the configured origin " + originOf(origin)
                            + (allowSiblingHosts ? " (or an HTTPS host of its registrable domain on port 443)" : "")
                            + "; if that server is meant to be used, configure its URL instead",
                    ctx);
        }
        List<InetAddress> addresses = lookup(url.host(), ctx);
        if (!url.isHttps()) {
            boolean allPrivate = !addresses.isEmpty();
            for (InetAddress a : addresses) {
                allPrivate &= AddressRules.classify(a) == AddressRules.Kind.PRIVATE;
            }
            if (!allowPrivateNetwork || !allPrivate) {
                throw new PermissionDeniedException(
                        "refusing to send the credentials over plain HTTP to "
                                + url.host()
                                + "; use an https:// URL (plain HTTP is allowed only for servers on loopback "
                                + "or private addresses, together with allowPrivateNetwork=true)",
                        ctx);
            }
        }
    }

    /**
     * An OkHttp {@link Dns} on this policy's resolver that refuses the addresses the policy refuses.
     *
     * @return the filtering resolver
     */
    public Dns dns() {
        return host -> lookup(host, ErrorContext.NONE);
    }

    /**
     * Like {@link #dns()}, but the names in {@code proxyHosts} resolve unfiltered: through an HTTP proxy
     * OkHttp resolves the proxy's name, not the server's, and a proxy the application configured may well
     * sit in its own network. The server's name is still checked before each request.
     *
     * @param proxyHosts the proxies' host names, lower case
     * @return the filtering resolver
     */
    public Dns dns(Set<String> proxyHosts) {
        Set<String> exempt = Set.copyOf(proxyHosts);
        if (exempt.isEmpty()) {
            return dns();
        }
        return host -> exempt.contains(host.toLowerCase(Locale.ROOT))
                ? resolver.lookup(host)
                : lookup(host, ErrorContext.NONE);
    }

    /**
     * The names of the HTTP proxies {@code client} would connect through for {@code url} (in either scheme,
     * as redirects may switch to HTTPS), lower-cased; empty for direct connections and SOCKS proxies.
     *
     * @param client the OkHttp client
     * @param url the request URL
     * @return the proxies' host names; empty when the client connects directly
     */
    public static Set<String> proxyHosts(OkHttpClient client, HttpUrl url) {
        List<Proxy> proxies = new ArrayList<>();
        if (client.proxy() != null) {
            proxies.add(client.proxy());
        } else {
            for (String scheme : List.of("https", "http")) {
                try {
                    List<Proxy> selected = client.proxySelector()
                            .select(url.newBuilder().scheme(scheme).build().uri());
                    if (selected != null) {
                        proxies.addAll(selected);
                    }
                } catch (RuntimeException e) {
                    // a selector that cannot answer for this URL: OkHttp will then connect directly
                }
            }
        }
        Set<String> names = new HashSet<>();
        for (Proxy p : proxies) {
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                names.add(a.getHostString().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private List<InetAddress> lookup(String host, ErrorContext ctx) {
        if (AddressRules.isMetadataName(host)) {
            throw new PermissionDeniedException("refusing to connect to " + host + ": a cloud metadata service", ctx);
        }
        if (AddressRules.isAmbiguousNumericHost(host)) {
            throw new PermissionDeniedException(
                    "refusing the numeric host '" + host + "': write an IPv4 address " + "as four decimal numbers",
                    ctx);
        }
        List<InetAddress> addresses;
        try {
            addresses = AddressRules.isLiteral(host) ? List.of(InetAddress.getByName(host)) : resolver.lookup(host);
        } catch (UnknownHostException e) {
            throw new ProviderUnavailableException("cannot resolve host " + host, ctx, e);
        }
        if (addresses.isEmpty()) {
            throw new ProviderUnavailableException("cannot resolve host " + host + ": no addresses", ctx);
        }
        for (InetAddress a : addresses) {
            AddressRules.Kind kind = AddressRules.classify(a);
            if (kind == AddressRules.Kind.FORBIDDEN) {
                throw new PermissionDeniedException(
                        "refusing to connect to " + host + " (" + a.getHostAddress()
                                + "): a link-local, cloud-metadata, unspecified, multicast or reserved address, which no "
                                + "setting allows",
                        ctx);
            }
            if (kind == AddressRules.Kind.PRIVATE && !allowPrivateNetwork) {
                throw new PermissionDeniedException(
                        "refusing to connect to " + host + " (" + a.getHostAddress()
                                + "): a private or loopback address; set allowPrivateNetwork=true only if this server is "
                                + "meant to be reached inside your network",
                        ctx);
            }
        }
        return List.copyOf(addresses);
    }

    /**
     * {@code scheme://host:port} of {@code url}, for messages: no user info, path or query.
     *
     * @param url the URL
     * @return the origin text
     */
    public static String originOf(HttpUrl url) {
        String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
        return url.scheme() + "://" + host + ":" + url.port();
    }

    @Override
    public String toString() {
        return "OriginPolicy[" + originOf(origin) + ", allowPrivateNetwork=" + allowPrivateNetwork
                + ", allowSiblingHosts=" + allowSiblingHosts + "]";
    }

    /** Builds an {@link OriginPolicy}. */
    public static final class Builder {
        private final HttpUrl origin;
        private boolean allowPrivateNetwork;
        private boolean allowSiblingHosts;
        private Dns resolver = Dns.SYSTEM;

        private Builder(HttpUrl configured) {
            this.origin = configured
                    .newBuilder()
                    .username("")
                    .password("")
                    .encodedPath("/")
                    .query(null)
                    .fragment(null)
                    .build();
        }

        /**
         * Whether loopback and private addresses may be reached (default false); nothing else is unlocked.
         *
         * @param allow true to allow them
         * @return this builder
         */
        public Builder allowPrivateNetwork(boolean allow) {
            this.allowPrivateNetwork = allow;
            return this;
        }

        /**
         * Whether HTTPS hosts on port 443 in the configured host's registrable domain (Public Suffix List)
         * may receive the credentials too (default false).
         *
         * @param allow true to allow them
         * @return this builder
         */
        public Builder allowSiblingHosts(boolean allow) {
            this.allowSiblingHosts = allow;
            return this;
        }

        /**
         * The resolver whose answers are checked (default the system's).
         *
         * @param resolver the resolver, not null
         * @return this builder
         */
        public Builder dns(Dns resolver) {
            this.resolver = Checks.notNull(resolver, "dns");
            return this;
        }

        /**
         * The policy.
         *
         * @return the immutable policy
         */
        public OriginPolicy build() {
            return new OriginPolicy(this);
        }
    }
}
