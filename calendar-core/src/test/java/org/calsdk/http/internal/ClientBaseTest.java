package org.calsdk.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ClientBaseTest {
    private static final HttpUrl PLAIN = HttpUrl.get("http://127.0.0.1:8080/cal");
    private static final HttpUrl SECURE = HttpUrl.get("https://calendar.example.com/cal");

    @Test
    void theSharedBaseSendsPlainHttpWithoutTlsAndBuildsTheTlsClientOnceOnFirstUse() {
        AtomicInteger applied = new AtomicInteger();
        ClientBase base = ClientBase.shared().map(b -> {
            applied.incrementAndGet();
            return b.connectTimeout(Duration.ofSeconds(7));
        });
        assertThat(applied).as("applied at once to the cleartext client").hasValue(1);

        OkHttpClient plain = base.forUrl(PLAIN);
        assertThat(plain.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
        assertThat(plain.connectTimeoutMillis()).isEqualTo(7_000);
        assertThat(applied).as("no TLS client made for http").hasValue(1);

        OkHttpClient tls = base.forUrl(SECURE);
        assertThat(tls.connectionSpecs()).contains(ConnectionSpec.MODERN_TLS);
        assertThat(tls.connectTimeoutMillis()).isEqualTo(7_000);
        assertThat(base.forUrl(SECURE)).isSameAs(tls);
        assertThat(applied).as("applied once more, for the TLS client").hasValue(2);
        assertThat(tls.connectionPool()).as("one pool for both views").isSameAs(plain.connectionPool());
    }

    @Test
    void aHostsClientServesBothSchemes() {
        OkHttpClient host =
                new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(3)).build();
        ClientBase base = ClientBase.of(host);
        assertThat(base.forUrl(PLAIN)).isSameAs(host);
        assertThat(base.forUrl(SECURE)).isSameAs(host);
        ClientBase derived = base.map(b -> b.readTimeout(Duration.ofSeconds(9)));
        assertThat(derived.forUrl(SECURE)).isSameAs(derived.forUrl(PLAIN));
        assertThat(derived.forUrl(SECURE).callTimeoutMillis()).isEqualTo(3_000);
        assertThat(derived.forUrl(SECURE).readTimeoutMillis()).isEqualTo(9_000);
    }

    @Test
    void aCustomizerThatReturnsNothingFailsWhereItIsGiven() {
        assertThatThrownBy(() -> ClientBase.shared().map(b -> null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("customizer result");
        assertThat(ClientBase.shared().settings().connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
    }
}
