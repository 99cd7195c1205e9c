package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.internal.RetryAfter;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Property(tries = 200, seed = "202604021")
    void backoffStaysWithinTheExponentialCeiling(
            @ForAll @IntRange(min = 1, max = 60) int failedAttempt,
            @ForAll @LongRange(min = 0, max = 5_000) long baseMillis,
            @ForAll long seed) {
        RetryPolicy p = RetryPolicy.custom()
                .baseBackoff(Duration.ofMillis(baseMillis))
                .maxBackoff(Duration.ofMillis(baseMillis * 10))
                .random(new Random(seed))
                .build();

        Duration d = p.backoff(failedAttempt);

        Duration ceiling = p.backoffCeiling(failedAttempt);
        assertThat(d).isBetween(Duration.ZERO, ceiling);
        assertThat(ceiling).isLessThanOrEqualTo(p.maxBackoff());
        long expected = Math.min(
                baseMillis * 10,
                failedAttempt > 40
                        ? Long.MAX_VALUE
                        : (long) Math.min((double) Long.MAX_VALUE, baseMillis * Math.pow(2, failedAttempt - 1)));
        assertThat(ceiling.toMillis()).isEqualTo(expected);
    }

    @Test
    void jitterSpreadsPausesAcrossTheWholeRange() {
        RetryPolicy p = RetryPolicy.custom().random(new Random(7)).build();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 500; i++) {
            long ms = p.backoff(3).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isLessThan(200);
        assertThat(max).isGreaterThan(1800).isLessThanOrEqualTo(2000);
    }

    @Test
    void retryabilityIsData() {
        RetryPolicy d = RetryPolicy.defaults();
        assertThat(d.isRetryableStatus(429, false)).isTrue();
        assertThat(d.isRetryableStatus(503, false)).isTrue();
        assertThat(d.isRetryableStatus(500, false)).isFalse();
        assertThat(d.isRetryableStatus(500, true)).isTrue();
        assertThat(d.isRetryableStatus(404, true)).isFalse();
        assertThat(d.isRetryableException(new ConnectException())).isTrue();
        assertThat(d.isRetryableException(new SocketTimeoutException())).isTrue();
        assertThat(d.isRetryableException(new UnknownHostException("x"))).isFalse();

        RetryPolicy custom = d.toBuilder()
                .retryableStatuses(Set.of(420))
                .idempotentRetryableStatuses(Set.of())
                .retryableException(e -> false)
                .build();
        assertThat(custom.isRetryableStatus(420, false)).isTrue();
        assertThat(custom.isRetryableStatus(429, true)).isFalse();
        assertThat(custom.isRetryableException(new IOException())).isFalse();
        assertThat(d.maxAttempts()).isEqualTo(4);
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> RetryPolicy.custom().maxAttempts(0))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("maxAttempts"));
        assertThatThrownBy(() -> RetryPolicy.custom().baseBackoff(Duration.ofSeconds(-1)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("baseBackoff"));
        assertThatThrownBy(() -> RetryPolicy.custom()
                        .baseBackoff(Duration.ofSeconds(10))
                        .maxBackoff(Duration.ofSeconds(1))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("maxBackoff"));
    }

    @Test
    void retryAfterParsesSecondsAndDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryAfter.parse("120", clock)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Mon, 02 Mar 2026 09:00:45 GMT", clock)).isEqualTo(Duration.ofSeconds(45));
        assertThat(RetryAfter.parse("Mon, 02 Mar 2026 08:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse(null, clock)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999999", clock)).isPositive();
    }
}
