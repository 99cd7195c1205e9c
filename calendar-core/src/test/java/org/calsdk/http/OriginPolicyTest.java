package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.internal.AddressRules;
import org.calsdk.http.internal.AddressRules.Kind;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §2: where credentials and requests may go. Names resolve through a fake DNS, so no test here
 * touches the network.
 */
class OriginPolicyTest {
    private static final ErrorContext CTX = ErrorContext.of("test");

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    /** A resolver answering from {@code names}; unknown names do not resolve. */
    private static Dns dns(Map<String, String> names) {
        return host -> {
            String a = names.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return List.of(
                    InetAddress.getByAddress(host, InetAddress.getByName(a).getAddress()));
        };
    }

    private static OriginPolicy policy(String origin, boolean allowPrivate, Map<String, String> names) {
        return OriginPolicy.builder(HttpUrl.get(origin))
                .allowPrivateNetwork(allowPrivate)
                .allowSiblingHosts(true)
                .dns(dns(names))
                .build();
    }

    @Test
    void addressesAreSortedIntoPublicPrivateAndForbidden() throws Exception {
        for (String a : List.of(
                "127.0.0.1",
                "127.5.6.7",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "100.64.0.1",
                "::1",
                "fc00::1",
                "fd12:3456::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "2002:7f00:1::",
                "64:ff9b::a00:1",
                "fd00:ec2::253")) {
            assertThat(AddressRules.classify(ip(a))).as(a).isEqualTo(Kind.PRIVATE);
        }
        for (String a : List.of(
                "169.254.169.254",
                "169.254.170.2",
                "100.100.100.200",
                "192.0.0.192",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "198.18.0.1",
                "::",
                "fe80::1",
                "ff02::1",
                "fd00:ec2::254",
                "fd20:ce::254",
                "::ffff:169.254.169.254",
                "::a9fe:a9fe",
                "2002:a9fe:a9fe::",
                "64:ff9b::a9fe:a9fe",
                "64:ff9b:1::a9fe:a9fe")) {
            assertThat(AddressRules.classify(ip(a))).as(a).isEqualTo(Kind.FORBIDDEN);
        }
        for (String a : List.of(
                "17.253.144.10",
                "8.8.8.8",
                "172.32.0.1",
                "100.128.0.1",
                "2a01:4f8::1",
                "::ffff:8.8.8.8",
                "2002:0808:0808::")) {
            assertThat(AddressRules.classify(ip(a))).as(a).isEqualTo(Kind.PUBLIC);
        }
    }

    @Test
    void allowPrivateNetworkReachesLoopbackAndPrivateAddressesButNeverTheMetadataServiceInAnySpelling() {
        OriginPolicy lax = policy(
                "http://127.0.0.1:5232/",
                true,
                Map.of("intranet.test", "10.0.0.7", "rebind.test", "169.254.169.254", "v6meta.test", "fd00:ec2::254"));
        for (String ok : List.of(
                "http://127.0.0.1:5232/", "http://[::1]:5232/", "http://intranet.test/", "http://192.168.1.10/")) {
            assertThatCode(() -> lax.checkReachable(HttpUrl.get(ok), CTX))
                    .as(ok)
                    .doesNotThrowAnyException();
        }
        for (String meta : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:169.254.169.254]/",
                "http://[::ffff:a9fe:a9fe]/",
                "http://2852039166/",
                "http://0xa9fea9fe/",
                "http://0xA9.0xFE.0xA9.0xFE/",
                "http://0251.0376.0251.0376/",
                "http://169.254.43518/",
                "http://[fd00:ec2::254]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://[2002:a9fe:a9fe::]/",
                "http://metadata.google.internal/",
                "http://METADATA.google.internal./computeMetadata/v1/",
                "http://metadata.goog/",
                "http://100.100.100.200/",
                "http://rebind.test/",
                "http://v6meta.test/",
                "http://[fe80::1]/",
                "http://0.0.0.0:5232/")) {
            assertThatThrownBy(() -> lax.checkReachable(HttpUrl.get(meta), CTX))
                    .as(meta)
                    .isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> lax.checkCredentials(HttpUrl.get(meta), CTX))
                    .as(meta)
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void withoutAllowPrivateNetworkOnlyPublicAddressesAreReached() {
        OriginPolicy strict = policy(
                "https://caldav.example.test/",
                false,
                Map.of("caldav.example.test", "17.1.1.1", "rebind.test", "127.0.0.1", "mixed.test", "10.0.0.5"));
        assertThatCode(() -> strict.checkReachable(HttpUrl.get("https://caldav.example.test/"), CTX))
                .doesNotThrowAnyException();
        for (String u : List.of(
                "http://127.0.0.1:5232/", "http://[::1]:5232/", "https://rebind.test/", "https://mixed.test/")) {
            assertThatThrownBy(() -> strict.checkReachable(HttpUrl.get(u), CTX))
                    .as(u)
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("allowPrivateNetwork");
        }
        assertThatThrownBy(() -> strict.dns().lookup("rebind.test")).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void credentialsGoOnlyToTheConfiguredOriginOrAnHttpsSiblingOnTheDefaultPort() {
        OriginPolicy icloud = policy("https://caldav.icloud.com/", false, Map.of());
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("https://caldav.icloud.com/1234/principal/")))
                .isTrue();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("https://p42-caldav.icloud.com/1234/")))
                .isTrue();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("https://p42-caldav.icloud.com:8443/1234/")))
                .isFalse();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("http://p42-caldav.icloud.com/1234/")))
                .isFalse();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("http://caldav.icloud.com/")))
                .isFalse();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("https://caldav.icloud.com:444/")))
                .isFalse();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("https://evil.example.com/")))
                .isFalse();
        assertThat(icloud.mayCarryCredentials(HttpUrl.get("https://icloud.com.evil.example/")))
                .isFalse();

        // another port on the same host is another origin
        OriginPolicy local = policy("http://127.0.0.1:1000/", true, Map.of());
        assertThat(local.mayCarryCredentials(HttpUrl.get("http://127.0.0.1:1000/x")))
                .isTrue();
        assertThat(local.mayCarryCredentials(HttpUrl.get("http://127.0.0.1:2000/x")))
                .isFalse();
        assertThat(local.mayCarryCredentials(HttpUrl.get("http://127.0.0.2:1000/x")))
                .isFalse();

        // without the sibling exception, only the origin itself
        OriginPolicy exact =
                OriginPolicy.builder(HttpUrl.get("https://caldav.icloud.com/")).build();
        assertThat(exact.mayCarryCredentials(HttpUrl.get("https://p42-caldav.icloud.com/")))
                .isFalse();
    }

    @Test
    void siblingsAreDecidedByThePublicSuffixListNotByTheLastTwoLabels() {
        // github.io and co.uk are public suffixes: two users' hosts under them are not one site
        OriginPolicy pages = policy("https://alice.github.io/", false, Map.of());
        assertThat(pages.mayCarryCredentials(HttpUrl.get("https://mallory.github.io/")))
                .isFalse();
        OriginPolicy uk = policy("https://caldav.example.co.uk/", false, Map.of());
        assertThat(uk.mayCarryCredentials(HttpUrl.get("https://evil.co.uk/"))).isFalse();
        assertThat(uk.mayCarryCredentials(HttpUrl.get("https://p1.example.co.uk/")))
                .isTrue();
        // IP addresses have no registrable domain
        OriginPolicy ip = policy("https://17.1.1.1/", false, Map.of());
        assertThat(ip.mayCarryCredentials(HttpUrl.get("https://17.1.1.2/"))).isFalse();
    }

    @Test
    void cleartextCredentialsGoOnlyToPrivateAddressesWhateverAllowPrivateNetworkSays() {
        Map<String, String> names = Map.of("caldav.public.test", "203.0.113.7", "caldav.lan.test", "10.0.0.5");
        OriginPolicy lax = policy("http://caldav.public.test/", true, names);
        assertThatThrownBy(() -> lax.checkCredentials(HttpUrl.get("http://caldav.public.test/"), CTX))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("plain HTTP");
        OriginPolicy lan = policy("http://caldav.lan.test/", true, names);
        assertThatCode(() -> lan.checkCredentials(HttpUrl.get("http://caldav.lan.test/dav/"), CTX))
                .doesNotThrowAnyException();
        OriginPolicy strictLan = policy("http://caldav.lan.test/", false, names);
        assertThatThrownBy(() -> strictLan.checkCredentials(HttpUrl.get("http://caldav.lan.test/"), CTX))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void refusalsNameTheOriginsButNoPathOrUserInfo() {
        OriginPolicy p = policy("https://caldav.example.test/", false, Map.of("caldav.example.test", "17.1.1.1"));
        assertThatThrownBy(() ->
                        p.checkCredentials(HttpUrl.get("https://u:hunter2@evil.test:8443/x/secret-path?token=t"), CTX))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("https://evil.test:8443")
                .hasMessageContaining("https://caldav.example.test:443")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("secret-path")
                .hasMessageNotContaining("token");
    }

    @Test
    void proxyHostsAreTheClientsHttpProxiesOnlyAndResolveUnfiltered() throws Exception {
        HttpUrl url = HttpUrl.get("https://caldav.example.com/");
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder()
                .proxy(new java.net.Proxy(
                        java.net.Proxy.Type.HTTP,
                        java.net.InetSocketAddress.createUnresolved("Proxy.Corp.Example", 3128)))
                .build();
        okhttp3.OkHttpClient socks = new okhttp3.OkHttpClient.Builder()
                .proxy(new java.net.Proxy(
                        java.net.Proxy.Type.SOCKS,
                        java.net.InetSocketAddress.createUnresolved("socks.corp.example", 1080)))
                .build();
        assertThat(OriginPolicy.proxyHosts(http, url)).containsExactly("proxy.corp.example");
        assertThat(OriginPolicy.proxyHosts(socks, url)).isEmpty();

        Dns loopback = host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        OriginPolicy policy = OriginPolicy.builder(url).dns(loopback).build();
        Dns dns = policy.dns(java.util.Set.of("proxy.corp.example"));
        assertThat(dns.lookup("PROXY.corp.example")).hasSize(1);
        assertThatThrownBy(() -> dns.lookup("caldav.example.com")).isInstanceOf(PermissionDeniedException.class);
    }
}
