package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

/** EWS's builder refuses a missing value with a message naming the setting, like every provider's. */
class EwsProviderBuilderTest {
    @Test
    void nullsNameTheSetting() {
        EwsProvider.Builder b = EwsProvider.builder();
        assertThatThrownBy(() -> b.timeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout == null");
        assertThatThrownBy(() -> b.pullInterval(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("pullInterval == null");
        assertThatThrownBy(() -> b.okHttpClient(null)).hasMessage("okHttpClient == null");
        assertThatThrownBy(() -> b.retryPolicy(null)).hasMessage("retryPolicy == null");
    }

    @Test
    void ownAndSharedSettersChainInEitherOrder() {
        EwsProvider p = EwsProvider.builder()
                .timeout(Duration.ofSeconds(10))
                .freeBusyParallelism(4)
                .maxResponseBytes(1 << 20)
                .pullInterval(Duration.ofSeconds(5))
                .build();
        assertThat(p.id()).isEqualTo("ews");
        assertThatThrownBy(() -> EwsProvider.builder().pullInterval(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pullInterval must be positive");
        assertThatThrownBy(() -> EwsProvider.builder().freeBusyParallelism(0))
                .isInstanceOf(InvalidInputException.class);
    }
}
