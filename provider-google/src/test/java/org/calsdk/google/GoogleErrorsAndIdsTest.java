package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.EventQuery;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.google.internal.GoogleErrors;
import org.calsdk.google.internal.Ids;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Google's errors become the right types; a 403 rate limit is throttling and is backed off; keys ⇄ ids. */
class GoogleErrorsAndIdsTest {
    private static final String RATE = "{\"error\":{\"code\":403,\"message\":\"Rate Limit Exceeded\",\"errors\":"
            + "[{\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}]}}";
    private static final String FORBIDDEN = "{\"error\":{\"code\":403,\"message\":\"Forbidden\",\"errors\":"
            + "[{\"domain\":\"global\",\"reason\":\"forbidden\",\"message\":\"Forbidden\"}]}}";

    private FakeGoogleServer google;
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CalendarConnection alice;

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder()
                .user("alice@example.com", "Alice")
                .build()
                .start();
        alice = GoogleProvider.builder()
                .sleeper(sleeper)
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(100))
                        .build())
                .build()
                .connect(google.connectionConfig("alice@example.com").build());
    }

    @AfterEach
    void stop() {
        alice.close();
        google.close();
    }

    private static HttpResponse response(int status, String body) {
        return new HttpResponse(status, Headers.of("Content-Type", "application/json"), body.getBytes(), 1);
    }

    private static CalendarException map(int status, String body) {
        return GoogleErrors.toException(
                response(status, body), ErrorContext.of("google"), "testing", Clock.systemUTC());
    }

    @Test
    void a403IsThrottlingOnlyWhenGoogleSaysRateLimit() {
        assertThat(map(403, RATE)).isInstanceOf(RateLimitedException.class).matches(CalendarException::retryable);
        assertThat(map(403, FORBIDDEN)).isInstanceOf(PermissionDeniedException.class);
        assertThat(map(410, "{\"error\":{\"code\":410,\"errors\":[{\"reason\":\"deleted\"}]}}"))
                .isInstanceOf(NotFoundException.class);
        assertThat(map(403, RATE).getMessage()).doesNotContain("Rate Limit Exceeded\",");
    }

    @Test
    void aThrottledCallIsRetriedAfterABackoffAndThenSucceeds() {
        google.faults().add(FaultRule.on("events.list").times(1).inject(Fault.respond(FakeResponse.json(403, RATE))));
        TimeWindow w = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        alice.reader().list(EventQuery.of(CalendarRef.primary(Mailbox.of("alice@example.com")), w));
        assertThat(google.accounting().calls("events.list")).isEqualTo(2);
        assertThat(sleeper.take()).hasSize(1);
    }

    @Test
    void aCallThrottledPastItsRetriesIsRateLimited() {
        google.faults().add(FaultRule.on("events.list").always().inject(Fault.respond(FakeResponse.json(403, RATE))));
        TimeWindow w = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        assertThatThrownBy(() ->
                        alice.reader().list(EventQuery.of(CalendarRef.primary(Mailbox.of("alice@example.com")), w)))
                .isInstanceOf(RateLimitedException.class)
                .satisfies(
                        e -> assertThat(((CalendarException) e).mailbox()).hasValue(Mailbox.of("alice@example.com")));
        assertThat(google.accounting().calls("events.list")).isEqualTo(3);
    }

    @Test
    void keysBecomeBase32HexIdsAndBack() {
        for (String k : new String[] {"a", "booking-42", "~!@#$%^&*()_+{}|:<>?", "x".repeat(EventKey.MAX_LENGTH)}) {
            String id = Ids.forKey(EventKey.of(k));
            assertThat(id).matches("[a-v0-9]{5,1024}");
            assertThat(Ids.keyOf(id)).hasValue(EventKey.of(k));
        }
        assertThat(Ids.keyOf("abcdef")).isEmpty();
        assertThat(Ids.keyOf(Ids.forKey(EventKey.of("k1")) + "_20260302T090000Z"))
                .isEmpty();
    }
}
