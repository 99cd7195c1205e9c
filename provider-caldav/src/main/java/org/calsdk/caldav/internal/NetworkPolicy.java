package org.calsdk.caldav.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import okhttp3.Dns;
import okhttp3.HttpUrl;

import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;

/**
 * Keeps a user-supplied CalDAV URL (and every redirect it leads to) from becoming a way into the host's
 * own network: unless {@code allowPrivateNetwork} is set, host names must resolve only to public
 * addresses (no loopback, private RFC 1918 / unique-local, link-local, carrier-grade NAT, multicast or
 * unspecified addresses, including IPv4 addresses mapped into IPv6). The check runs on the resolved
 * addresses, so a public name pointing at 127.0.0.1 is refused too, and {@link #dns()} applies the same
 * filter at connect time (no gap for DNS rebinding between check and connect).
 */
public final class NetworkPolicy {
    private final boolean allowPrivateNetwork;
    private final Dns resolver;
    private final ErrorContext ctx;

    public NetworkPolicy(boolean allowPrivateNetwork, Dns resolver, ErrorContext ctx) {
        this.allowPrivateNetwork = allowPrivateNetwork;
        this.resolver = resolver == null ? Dns.SYSTEM : resolver;
        this.ctx = ctx;
    }

    public boolean allowsPrivateNetwork() {
        return allowPrivateNetwork;
    }

    /** Checks that {@code url} is http(s) and that its host resolves only to addresses we may reach. */
    public void check(HttpUrl url) {
        if (!url.scheme().equals("https") && !url.scheme().equals("http")) {
            throw new PermissionDeniedException("refusing URL scheme " + url.scheme(), ctx);
        }
        lookup(url.host());
    }

    /** An OkHttp {@link Dns} that resolves and then refuses forbidden addresses. */
    public Dns dns() {
        return this::lookup;
    }

    private List<InetAddress> lookup(String host) {
        List<InetAddress> addresses;
        try {
            boolean literal = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
            addresses = literal ? List.of(InetAddress.getByName(host)) : resolver.lookup(host);
        } catch (UnknownHostException e) {
            throw new ProviderUnavailableException("cannot resolve CalDAV host " + host, ctx, e);
        }
        if (allowPrivateNetwork) {
            return addresses;
        }
        List<InetAddress> ok = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                throw new PermissionDeniedException("refusing to connect to " + host + " (" + a.getHostAddress()
                        + "): a private, loopback or link-local address; set allowPrivateNetwork=true only if "
                        + "this server is meant to be reached inside your network", ctx);
            }
            ok.add(a);
        }
        return ok;
    }

    /** Whether {@code a} lies in a range a user-supplied URL must not reach. */
    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPrivate4(b, 0);
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compat = true; // ::a.b.c.d (deprecated IPv4-compatible)
            for (int i = 0; i < 12; i++) {
                compat &= b[i] == 0;
            }
            if (mapped || compat) {
                return isPrivate4(b, 12);
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPrivate4(b, 2); // 6to4 2002:a.b.c.d::/48 embeds an IPv4 address
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return isPrivate4(b, 12); // NAT64 64:ff9b::/96
            }
        }
        return false;
    }

    private static boolean isPrivate4(byte[] b, int o) {
        int a0 = b[o] & 0xff;
        int a1 = b[o + 1] & 0xff;
        return a0 == 0 || a0 == 10 || a0 == 127
                || (a0 == 100 && a1 >= 64 && a1 <= 127)      // 100.64.0.0/10 carrier-grade NAT
                || (a0 == 169 && a1 == 254)                   // link-local, cloud metadata
                || (a0 == 172 && a1 >= 16 && a1 <= 31)
                || (a0 == 192 && a1 == 168)
                || (a0 == 192 && a1 == 0 && (b[o + 2] & 0xff) == 0) // 192.0.0.0/24 IETF protocol assignments
                || (a0 == 198 && (a1 == 18 || a1 == 19))      // benchmarking
                || a0 >= 224;                                 // multicast, reserved, broadcast
    }
}
