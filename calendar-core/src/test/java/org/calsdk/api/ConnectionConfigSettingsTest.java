package org.calsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10 §4: {@code "allowPrivateNetwork": "yes"} was silently false; a wrongly-typed setting is an error. */
class ConnectionConfigSettingsTest {
    private static ConnectionConfig with(String name, String value) {
        return ConnectionConfig.builder("caldav").setting(name, value).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "", "tru", "true!", "null"})
    void aFlagThatIsNeitherTrueNorFalseIsAnError(String value) {
        assertThatThrownBy(() -> with("allowPrivateNetwork", value).flag("allowPrivateNetwork"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("allowPrivateNetwork"))
                .hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> with("srv", value).flag("srv", true)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void flagsAcceptTrueAndFalseInAnyCaseAndDefaultWhenAbsent() {
        assertThat(with("f", "TRUE").flag("f")).isTrue();
        assertThat(with("f", " false ").flag("f", true)).isFalse();
        assertThat(with("f", "True").flag("f", false)).isTrue();
        assertThat(with("other", "x").flag("f")).isFalse();
        assertThat(with("other", "x").flag("f", true)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"30, PT30S", "2.5, PT2.5S", "PT2M, PT2M", "pt0.3s, PT0.3S", "P1D, PT24H"})
    void durationsAreSecondsOrIso8601(String value, String expected) {
        assertThat(with("timeout", value).duration("timeout")).contains(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "0", "-5", "PT0S", "PT-1S", "30s", "1e3", "", "P"})
    void aDurationThatIsNotAPositiveDurationIsAnError(String value) {
        assertThatThrownBy(() -> with("timeout", value).duration("timeout"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("timeout"));
    }

    @Test
    void anAbsentDurationIsEmpty() {
        assertThat(with("other", "x").duration("timeout")).isEmpty();
    }
}
