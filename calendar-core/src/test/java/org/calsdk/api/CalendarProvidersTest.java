package org.calsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.http.HttpTransport;
import org.calsdk.spi.CalendarProvider;
import org.junit.jupiter.api.Test;

class CalendarProvidersTest {

    /** A provider whose connect refuses, enough to test the registry (no connection is made). */
    private record Named(String id) implements CalendarProvider {
        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public CalendarConnection connect(ConnectionConfig config) {
            throw new UnsupportedCapabilityException("test provider " + id + " does not connect", null);
        }
    }

    @Test
    void duplicateIdsFailLoudly() {
        assertThatThrownBy(() -> CalendarProviders.of(new Named("caldav"), new Named("google"), new Named("caldav")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two calendar providers have the id 'caldav'")
                .hasMessageContaining("remove one");
    }

    @Test
    void providersAreFoundByIdAndUnknownIdsListTheKnownOnes() {
        CalendarProviders p = CalendarProviders.of(new Named("caldav"), new Named("google"));

        assertThat(p.ids()).containsExactly("caldav", "google");
        assertThat(p.get("google").id()).isEqualTo("google");
        assertThatThrownBy(() -> p.get("ews")).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).contains("provider");
            assertThat(e.getMessage()).contains("caldav", "google");
        });
        assertThat(p.with(new Named("caldav")).ids()).containsExactly("caldav", "google");
    }

    @Test
    void serviceLoaderWithoutProvidersGivesAnEmptyRegistry() {
        assertThat(CalendarProviders.load().ids()).doesNotContain("caldav-test-only");
    }

    @Test
    void connectionConfigCarriesTheTransport() {
        HttpTransport t = HttpTransport.defaults("caldav");
        ConnectionConfig c = ConnectionConfig.builder("caldav")
                .setting("url", "https://x.example/")
                .transport(t)
                .build();

        assertThat(c.transport()).containsSame(t);
        assertThat(c.toBuilder().build().transport()).containsSame(t);
        assertThat(ConnectionConfig.builder("caldav").build().transport()).isEmpty();
        assertThatThrownBy(() -> ConnectionConfig.builder("caldav").build().requireSetting("url"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("url"));
    }
}
