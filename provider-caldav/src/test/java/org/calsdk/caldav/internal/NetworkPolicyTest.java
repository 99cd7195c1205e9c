package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import okhttp3.Dns;
import okhttp3.HttpUrl;

import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.PermissionDeniedException;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {
    private static final ErrorContext CTX = ErrorContext.of("caldav");

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    @Test
    void privateLoopbackLinkLocalAndSpecialRangesArePrivate() throws Exception {
        for (String a : List.of("127.0.0.1", "127.5.6.7", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::",
                "64:ff9b::a9fe:a9fe")) {
            assertThat(NetworkPolicy.isPrivate(ip(a))).as(a).isTrue();
        }
    }

    @Test
    void publicAddressesAreNotPrivate() throws Exception {
        for (String a : List.of("17.253.144.10", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2a01:4f8::1",
                "::ffff:8.8.8.8", "2002:0808:0808::")) {
            assertThat(NetworkPolicy.isPrivate(ip(a))).as(a).isFalse();
        }
    }

    @Test
    void aPublicLookingNameThatResolvesToLoopbackIsRefused() {
        Dns rebinding = host -> List.of(InetAddress.getLoopbackAddress());
        NetworkPolicy policy = new NetworkPolicy(false, rebinding, CTX);
        assertThatThrownBy(() -> policy.check(HttpUrl.get("https://caldav.example.com/")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("allowPrivateNetwork");
        assertThatThrownBy(() -> policy.dns().lookup("caldav.example.com"))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void literalPrivateAddressesAreRefusedUnlessAllowed() {
        NetworkPolicy strict = new NetworkPolicy(false, Dns.SYSTEM, CTX);
        assertThatThrownBy(() -> strict.check(HttpUrl.get("http://127.0.0.1:5232/")))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> strict.check(HttpUrl.get("http://[::1]:5232/")))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> strict.check(HttpUrl.get("http://169.254.169.254/latest/meta-data/")))
                .isInstanceOf(PermissionDeniedException.class);
        NetworkPolicy lax = new NetworkPolicy(true, Dns.SYSTEM, CTX);
        assertThatCode(() -> lax.check(HttpUrl.get("http://127.0.0.1:5232/"))).doesNotThrowAnyException();
    }

    @Test
    void anyPrivateAddressAmongSeveralIsRefused() {
        Dns mixed = host -> List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.5"));
        NetworkPolicy policy = new NetworkPolicy(false, mixed, CTX);
        assertThatThrownBy(() -> policy.check(HttpUrl.get("https://caldav.example.com/")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("10.0.0.5");
    }

    @Test
    void credentialsFollowOnlyToTheSameHostOrAnHttpsSibling() {
        assertThat(DavHttp.mayCarryCredentials(HttpUrl.get("https://caldav.icloud.com/"),
                HttpUrl.get("https://p42-caldav.icloud.com/123/"))).isTrue();
        assertThat(DavHttp.mayCarryCredentials(HttpUrl.get("https://caldav.icloud.com/"),
                HttpUrl.get("https://evil.example.com/"))).isFalse();
        assertThat(DavHttp.mayCarryCredentials(HttpUrl.get("http://127.0.0.1:1000/"),
                HttpUrl.get("http://127.0.0.1:2000/x"))).isTrue();
        assertThat(DavHttp.mayCarryCredentials(HttpUrl.get("http://127.0.0.1:1000/"),
                HttpUrl.get("http://127.0.0.2:2000/x"))).isFalse();
    }
}
