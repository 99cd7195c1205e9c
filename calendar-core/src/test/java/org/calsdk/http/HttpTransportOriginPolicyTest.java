package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.PermissionDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §2 in the core transport: a transport with an {@link OriginPolicy} refuses, before sending, a
 * call that would carry credentials to another origin (two servers on two ports of 127.0.0.1 are two
 * origins), and a call to an address the policy refuses, with or without credentials.
 */
class HttpTransportOriginPolicyTest {
    private final MockWebServer configured = new MockWebServer();
    private final MockWebServer other = new MockWebServer();
    private final FakeTime time = new FakeTime();
    private final Authorizer basic = Authorizer.basic(PasswordCredentials.of("alice", Secret.of("alice-pw")));

    @BeforeEach
    void start() throws IOException {
        configured.start(InetAddress.getByName("127.0.0.1"), 0);
        other.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        configured.shutdown();
        other.shutdown();
    }

    private HttpTransport transport(OriginPolicy policy) {
        return HttpTransport.builder()
                .clock(time)
                .sleeper(time)
                .retryPolicy(RetryPolicy.none())
                .originPolicy(policy)
                .build();
    }

    private static HttpCall get(HttpUrl url, Authorizer auth) {
        return HttpCall.builder(new Request.Builder().url(url).build())
                .authorizer(auth)
                .build();
    }

    @Test
    void credentialsGoToTheConfiguredOriginAndNeverToAnotherPortOfTheSameHost() throws Exception {
        configured.enqueue(new MockResponse().setBody("ok"));
        other.enqueue(new MockResponse().setBody("ok"));
        HttpTransport t = transport(OriginPolicy.builder(configured.url("/"))
                .allowPrivateNetwork(true)
                .allowSiblingHosts(true)
                .build());

        assertThat(t.execute(get(configured.url("/dav/"), basic)).status()).isEqualTo(200);
        assertThat(configured.takeRequest().getHeader("Authorization")).startsWith("Basic ");
        assertThatThrownBy(() -> t.execute(get(other.url("/dav/"), basic)))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("configured origin");
        assertThat(other.getRequestCount()).isZero();
        // without credentials the other origin may be asked (its address is allowed)
        assertThat(t.execute(get(other.url("/public/"), Authorizer.none())).status())
                .isEqualTo(200);
        assertThat(other.takeRequest().getHeader("Authorization")).isNull();
    }

    @Test
    void aDerivedTransportAppliesThePolicyAlsoAtConnectTime() {
        // the name looks public when the call is checked and points at loopback when OkHttp connects
        int[] lookups = {0};
        Dns rebinding = host -> List.of(InetAddress.getByAddress(
                host, lookups[0]++ == 0 ? new byte[] {93, (byte) 184, (byte) 216, 34} : new byte[] {127, 0, 0, 1}));
        HttpUrl url = HttpUrl.get("http://caldav.rebind.test:" + configured.getPort() + "/");
        HttpTransport host = HttpTransport.builder()
                .clock(time)
                .sleeper(time)
                .retryPolicy(RetryPolicy.none())
                .build();
        HttpTransport derived =
                host.withOriginPolicy(OriginPolicy.builder(url).dns(rebinding).build());

        assertThat(derived.originPolicy()).isPresent();
        assertThat(host.originPolicy()).isEmpty();
        assertThatThrownBy(() -> derived.execute(get(url, Authorizer.none())))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("127.0.0.1");
        assertThat(lookups[0]).isEqualTo(2);
        assertThat(configured.getRequestCount()).isZero();
    }

    @Test
    void cleartextCredentialsToAPublicAddressAreRefusedEvenWithThePrivateNetworkAllowed() {
        Dns publicName = host -> List.of(InetAddress.getByAddress(host, new byte[] {(byte) 203, 0, 113, 7}));
        HttpUrl url = HttpUrl.get("http://caldav.public.test/");
        HttpTransport t = transport(OriginPolicy.builder(url)
                .allowPrivateNetwork(true)
                .dns(publicName)
                .build());

        assertThatThrownBy(() -> t.execute(get(url, basic)))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("plain HTTP");
    }

    @Test
    void theMetadataServiceIsRefusedWithOrWithoutCredentialsWhateverTheSettings() {
        HttpTransport t = transport(OriginPolicy.builder(configured.url("/"))
                .allowPrivateNetwork(true)
                .build());
        for (String u : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:a9fe:a9fe]/",
                "http://2852039166/",
                "http://0xa9fea9fe/",
                "http://metadata.google.internal/")) {
            assertThatThrownBy(() -> t.execute(get(HttpUrl.get(u), Authorizer.none())))
                    .as(u)
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }
}
