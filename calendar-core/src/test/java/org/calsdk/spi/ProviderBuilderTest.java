package org.calsdk.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.http.RequestCounter;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.spi.ProviderBuilder.HttpSettings;
import org.junit.jupiter.api.Test;

class ProviderBuilderTest {
    private static final HttpUrl ORIGIN = HttpUrl.get("https://calendar.example.com/");

    /** A provider's builder as a provider module writes one: its own type back from every shared setter. */
    static final class TestBuilder extends ProviderBuilder<TestBuilder> {
        private int own;

        TestBuilder(UnaryOperator<OkHttpClient.Builder> defaultClientSettings) {
            super(defaultClientSettings, 4096);
        }

        TestBuilder own(int value) {
            this.own = value;
            return self();
        }

        HttpSettings build() {
            return httpSettings();
        }
    }

    private static TestBuilder builder() {
        return new TestBuilder(b -> b);
    }

    private static ConnectionConfig config(String timeout) {
        ConnectionConfig.Builder b = ConnectionConfig.builder("test");
        if (timeout != null) {
            b.setting("timeout", timeout);
        }
        return b.build();
    }

    private static OriginPolicy policy(HttpSettings http) {
        return http.originPolicy(ORIGIN).build();
    }

    @Test
    void sharedSettersReturnTheProvidersOwnBuilder() {
        TestBuilder b =
                builder().timeout(Duration.ofSeconds(5)).maxResponseBytes(2048).own(7);
        assertThat(b.own).isEqualTo(7);
        assertThat(b.build().maxResponseBytes()).isEqualTo(2048);
    }

    @Test
    void nullsAreRefusedWithTheSettingsName() {
        TestBuilder b = builder();
        assertThatThrownBy(() -> b.timeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout == null");
        assertThatThrownBy(() -> b.okHttpClient(null)).hasMessage("okHttpClient == null");
        assertThatThrownBy(() -> b.dns(null)).hasMessage("dns == null");
        assertThatThrownBy(() -> b.retryPolicy(null)).hasMessage("retryPolicy == null");
        assertThatThrownBy(() -> b.sleeper(null)).hasMessage("sleeper == null");
        assertThatThrownBy(() -> b.listener(null)).hasMessage("listener == null");
    }

    @Test
    void valuesOutOfRangeAreInvalidInputNamingTheSetting() {
        TestBuilder b = builder();
        assertThatThrownBy(() -> b.timeout(Duration.ZERO))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("timeout"))
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> b.maxResponseBytes(1023))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("maxResponseBytes must be at least 1024");
        assertThatThrownBy(() -> new TestBuilder(null)).hasMessage("defaultClientSettings == null");
    }

    @Test
    void aBuiltProviderKeepsItsSettingsWhenTheBuilderChangesAfterwards() {
        TestBuilder b = builder().timeout(Duration.ofSeconds(5));
        HttpSettings first = b.build();
        b.timeout(Duration.ofSeconds(9)).maxResponseBytes(8192).retryPolicy(RetryPolicy.none());
        assertThat(first.timeout(config(null))).contains(Duration.ofSeconds(5));
        assertThat(first.maxResponseBytes()).isEqualTo(4096);
        assertThat(first.retryPolicy()).isEqualTo(RetryPolicy.defaults());
        assertThat(b.build().timeout(config(null))).contains(Duration.ofSeconds(9));
    }

    @Test
    void theConnectionsTimeoutBeatsTheBuildersWhichBeatsTheDefault() {
        try (HttpTransport none = builder()
                        .build()
                        .transport("test", config(null), policy(builder().build()));
                HttpTransport builders = builder()
                        .timeout(Duration.ofSeconds(5))
                        .build()
                        .transport("test", config(null), policy(builder().build()));
                HttpTransport connections = builder()
                        .timeout(Duration.ofSeconds(5))
                        .build()
                        .transport("test", config("PT2S"), policy(builder().build()))) {
            assertThat(none.timeout()).isEqualTo(ProviderBuilder.DEFAULT_TIMEOUT);
            assertThat(builders.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(connections.timeout()).isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(builder().build().timeout(config(null))).isEmpty();
    }

    @Test
    void theDefaultSettingsApplyToTheProvidersOwnTransportAndTheHostsClientIsKeptAsItIs() {
        AtomicInteger applied = new AtomicInteger();
        HttpSettings http = new TestBuilder(b -> {
                    applied.incrementAndGet();
                    return b.connectTimeout(Duration.ofSeconds(7));
                })
                .build();
        assertThat(http.okHttpClient()).isEmpty();
        try (HttpTransport host = HttpTransport.builder().provider("host").build()) {
            ConnectionConfig withHost =
                    ConnectionConfig.builder("test").transport(host).build();
            http.transport("test", withHost, policy(http), b -> b).close();
            http.transport("test", withHost, policy(http)).close();
            assertThat(applied).hasValue(0); // a host-supplied transport keeps its own client
        }
        http.transport("test", config(null), policy(http)).close();
        assertThat(applied).hasValue(1); // on the shared cleartext client now; on the TLS one when https is used

        OkHttpClient hosts = new OkHttpClient();
        HttpSettings withClient = new TestBuilder(b -> {
                    throw new AssertionError("not needed");
                })
                .okHttpClient(hosts)
                .build();
        assertThat(withClient.okHttpClient()).containsSame(hosts);
        withClient.transport("test", config(null), policy(withClient)).close();
    }

    @Test
    void aHostTransportKeepsItsOwnPolicyAndDeadlineAndGetsTheConnectionsOrigin() {
        RetryPolicy hostPolicy = RetryPolicy.custom().maxAttempts(2).build();
        try (HttpTransport host = HttpTransport.builder()
                .provider("host")
                .retryPolicy(hostPolicy)
                .timeout(Duration.ofSeconds(3))
                .build()) {
            HttpSettings http = builder().timeout(Duration.ofSeconds(9)).build();
            OriginPolicy policy = policy(http);
            HttpTransport t = http.transport(
                    "test", ConnectionConfig.builder("test").transport(host).build(), policy);
            assertThat(t.retryPolicy()).isSameAs(hostPolicy);
            assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(t.originPolicy()).containsSame(policy);
            t.close();
            assertThat(host.provider()).isEqualTo("host"); // closing the derived one leaves the host's open
        }
    }

    @Test
    void theProvidersOwnTransportCarriesEverySharedSetting() throws Exception {
        RequestCounter counter = new RequestCounter();
        RetryPolicy policy = RetryPolicy.custom().maxAttempts(2).build();
        List<Duration> slept = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sleeper sleeper = slept::add;
        try (MockWebServer server = new MockWebServer()) {
            server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(new MockResponse().setResponseCode(503)); // no Retry-After: the policy's back-off
            server.enqueue(new MockResponse().setBody("ok"));
            HttpSettings http = builder()
                    .retryPolicy(policy)
                    .sleeper(sleeper)
                    .listener(counter)
                    .build();
            OriginPolicy origin =
                    http.originPolicy(server.url("/")).allowPrivateNetwork(true).build();
            try (HttpTransport t = http.transport("test", config(null), origin)) {
                assertThat(t.provider()).isEqualTo("test");
                assertThat(t.retryPolicy()).isSameAs(policy);
                assertThat(t.execute(HttpCall.builder(new Request.Builder()
                                                .url(server.url("/x"))
                                                .build())
                                        .operation("read")
                                        .build())
                                .bodyString())
                        .isEqualTo("ok");
            }
            assertThat(counter.countStatus(503)).isEqualTo(1); // the listener saw both attempts
            assertThat(counter.countStatus(200)).isEqualTo(1);
            assertThat(slept).hasSize(1);
        }
    }
}
