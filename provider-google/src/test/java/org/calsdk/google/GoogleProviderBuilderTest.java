package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Google's builder is the shared {@code ProviderBuilder}: the deadline per call is a setting here too. */
class GoogleProviderBuilderTest {
    private static ConnectionConfig.Builder config() {
        AccessToken t = new AccessToken(Secret.of("ya29.token"), null);
        return ConnectionConfig.builder("google")
                .setting("mailbox", "alice@example.com")
                .credentials(new TokenCredentials(AccessTokenSource.fixed(t)));
    }

    @Test
    void theBuilderTakesADeadlineAndRefusesBadOnesByName() {
        GoogleProvider.Builder b = GoogleProvider.builder().timeout(Duration.ofSeconds(20));
        assertThatThrownBy(() -> b.timeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout == null");
        assertThatThrownBy(() -> b.timeout(Duration.ZERO))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("timeout"));
        assertThatThrownBy(() -> b.maxResponseBytes(10)).hasMessage("maxResponseBytes must be at least 1024");
    }

    @Test
    void aConnectionReadsItsTimeoutSetting() {
        GoogleProvider google = GoogleProvider.builder().build();
        google.connect(config().setting("timeout", "PT30S").build()).close();
        assertThatThrownBy(
                        () -> google.connect(config().setting("timeout", "soon").build()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("timeout"));
    }
}
