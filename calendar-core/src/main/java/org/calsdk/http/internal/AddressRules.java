package org.calsdk.http.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * Sorts network addresses and host names into what a user-supplied URL may reach.
 *
 * <ul>
 *   <li>{@link Kind#PUBLIC}: anything else; always reachable.</li>
 *   <li>{@link Kind#PRIVATE}: loopback ({@code 127/8}, {@code ::1}), RFC 1918 ({@code 10/8},
 *   {@code 172.16/12}, {@code 192.168/16}), carrier-grade NAT ({@code 100.64/10}), IPv6 unique-local
 *   ({@code fc00::/7}) and the deprecated site-local {@code fec0::/10}; reachable only when the
 *   application allows its private network.</li>
 *   <li>{@link Kind#FORBIDDEN}: never reachable, whatever the settings: link-local ({@code 169.254/16},
 *   {@code fe80::/10}, which hold the cloud metadata services), the metadata addresses that live in
 *   otherwise private ranges ({@code fd00:ec2::254}, {@code fd20:ce::254}, {@code 100.100.100.200},
 *   {@code 192.0.0.192}), the unspecified address ({@code 0/8}, {@code ::}, which Linux connects to the
 *   local host), IETF protocol assignments ({@code 192.0.0/24}), benchmarking ({@code 198.18/15}),
 *   multicast, reserved and broadcast addresses.</li>
 * </ul>
 * IPv4 addresses embedded in IPv6 (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, 6to4
 * {@code 2002:AABB:CCDD::/48}, NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}) are judged by the
 * IPv4 address they carry.
 */
public final class AddressRules {
    /** What an address is. */
    public enum Kind {
        /** A public address. */
        PUBLIC,
        /** Loopback or a private range: allowed only with the private network allowed. */
        PRIVATE,
        /** Never reachable (link-local, cloud metadata, unspecified, multicast, reserved). */
        FORBIDDEN
    }

    /** Names of cloud metadata services (lower case, without a trailing dot). */
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata.google.internal",
            "metadata.goog",
            "metadata",
            "instance-data",
            "instance-data.ec2.internal",
            "metadata.azure.internal");

    private AddressRules() {}

    /** The kind of {@code a}. */
    public static Kind classify(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return classify4(b, 0);
        }
        if (!(a instanceof Inet6Address)) {
            return Kind.FORBIDDEN;
        }
        if (isAll(b, 0, 16, 0)) {
            return Kind.FORBIDDEN; // ::
        }
        if (isAll(b, 0, 15, 0) && b[15] == 1) {
            return Kind.PRIVATE; // ::1
        }
        if (isAll(b, 0, 10, 0) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return classify4(b, 12); // ::ffff:a.b.c.d
        }
        if (isAll(b, 0, 12, 0)) {
            return classify4(b, 12); // ::a.b.c.d (deprecated IPv4-compatible)
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0x20 && second == 0x02) {
            return classify4(b, 2); // 6to4
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (isAll(b, 4, 12, 0)) {
                return classify4(b, 12); // NAT64 64:ff9b::/96
            }
            if (b[4] == 0 && b[5] == 1) {
                return classify4(b, 12); // local-use NAT64 64:ff9b:1::/48
            }
        }
        if (first == 0xff) {
            return Kind.FORBIDDEN; // multicast
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Kind.FORBIDDEN; // fe80::/10 link-local
        }
        if (isMetadata6(b)) {
            return Kind.FORBIDDEN;
        }
        if ((first & 0xfe) == 0xfc) {
            return Kind.PRIVATE; // fc00::/7 unique local
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return Kind.PRIVATE; // fec0::/10 site-local (deprecated)
        }
        return Kind.PUBLIC;
    }

    /** Whether {@code host} names a cloud metadata service (by name; its addresses are caught by {@link #classify}). */
    public static boolean isMetadataName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return METADATA_NAMES.contains(h);
    }

    /**
     * Whether {@code host} (as a URL carries it, IPv6 without brackets) is a numeric IPv4 spelling other
     * than four plain decimal numbers: {@code 2852039166}, {@code 0xa9fea9fe}, {@code 0251.0376.0251.0376},
     * {@code 169.254.43518}. Resolvers and proxies disagree on what such names mean (some read them as the
     * address {@code inet_aton} would, others look them up in DNS), so they are refused rather than guessed.
     * A host whose last label is a number counts, as URL parsers treat such a host as an IPv4 address.
     */
    public static boolean isAmbiguousNumericHost(String host) {
        if (host.indexOf(':') >= 0) {
            return false;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] labels = h.split("\\.", -1);
        if (labels.length == 0 || !isNumber(labels[labels.length - 1])) {
            return false;
        }
        return !isDottedQuad(labels);
    }

    /** Whether {@code host} is an IP literal: four decimal numbers, or IPv6 (as URLs carry it, without brackets). */
    public static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || isDottedQuad(host.split("\\.", -1));
    }

    private static boolean isDottedQuad(String[] labels) {
        if (labels.length != 4) {
            return false;
        }
        for (String l : labels) {
            if (l.isEmpty()
                    || l.length() > 3
                    || !l.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (l.length() > 1 && l.charAt(0) == '0')
                    || Integer.parseInt(l) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        if (l.isEmpty()) {
            return false;
        }
        if (l.startsWith("0x")) {
            return l.substring(2).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        }
        return l.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isMetadata6(byte[] b) {
        // fd00:ec2::254 (AWS) and fd20:ce::254 (Google Cloud)
        boolean aws = (b[0] & 0xff) == 0xfd && b[1] == 0 && b[2] == 0x0e && (b[3] & 0xff) == 0xc2;
        boolean gcp = (b[0] & 0xff) == 0xfd && b[1] == 0x20 && b[2] == 0 && (b[3] & 0xff) == 0xce;
        return (aws || gcp) && isAll(b, 4, 14, 0) && b[14] == 0x02 && b[15] == 0x54;
    }

    private static Kind classify4(byte[] b, int o) {
        int a0 = b[o] & 0xff;
        int a1 = b[o + 1] & 0xff;
        int a2 = b[o + 2] & 0xff;
        int a3 = b[o + 3] & 0xff;
        if (a0 == 0 // unspecified, "this network"
                || (a0 == 169 && a1 == 254) // link-local: cloud metadata lives here
                || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) // Alibaba Cloud metadata
                || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments (192.0.0.192: Oracle)
                || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
                || a0 >= 224) { // multicast, reserved, broadcast
            return Kind.FORBIDDEN;
        }
        if (a0 == 127
                || a0 == 10
                || (a0 == 172 && a1 >= 16 && a1 <= 31)
                || (a0 == 192 && a1 == 168)
                || (a0 == 100 && a1 >= 64 && a1 <= 127)) { // carrier-grade NAT
            return Kind.PRIVATE;
        }
        return Kind.PUBLIC;
    }

    private static boolean isAll(byte[] b, int from, int to, int value) {
        for (int i = from; i < to; i++) {
            if ((b[i] & 0xff) != value) {
                return false;
            }
        }
        return true;
    }
}
