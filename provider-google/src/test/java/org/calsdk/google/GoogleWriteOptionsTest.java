package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write options reach Google as the call's {@code sendUpdates} (the forms without them keep the setting), and
 * Google's 403 throttling is retried by the transport.
 */
class GoogleWriteOptionsTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final CalendarRef CAL = CalendarRef.primary(ALICE);

    private static final String THROTTLED = "{\"error\":{\"code\":403,\"message\":\"Rate Limit Exceeded\","
            + "\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\"}]}}";

    private final List<HttpUrl> urls = new CopyOnWriteArrayList<>();
    private FakeGoogleServer google;
    private CalendarConnection alice;

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder().user(ALICE.email(), "Alice").build().start();
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    urls.add(chain.request().url());
                    return chain.proceed(chain.request());
                })
                .build();
        alice = GoogleProvider.builder()
                .okHttpClient(client)
                .sleeper(d -> {})
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5))
                        .build())
                .build()
                .connect(google.connectionConfig(ALICE.email()).build());
    }

    @AfterEach
    void stop() {
        alice.close();
        google.close();
    }

    private List<String> sendUpdates() {
        List<String> out = urls.stream()
                .map(u -> u.queryParameter("sendUpdates"))
                .filter(v -> v != null)
                .toList();
        urls.clear();
        return out;
    }

    @Test
    void eachCallSaysWhomGoogleTells() {
        assertThat(alice.supports(Capability.NOTIFY_CONTROL)).isTrue();
        Instant start = Instant.parse("2026-03-03T09:00:00Z");
        Event e = Event.builder()
                .summary("sync")
                .start(EventTime.utc(start))
                .end(EventTime.utc(start.plus(Duration.ofHours(1))))
                .build();
        Event made = alice.writer().create(CAL, EventKey.of("k1"), e, WriteOptions.silent());
        assertThat(sendUpdates()).containsExactly("none");
        Event moved = alice.writer()
                .update(
                        CAL,
                        made.toBuilder().summary("moved").build(),
                        WriteOptions.defaults().withNotifications(WriteOptions.Notify.EXTERNAL_ONLY));
        assertThat(sendUpdates()).containsExactly("externalOnly");
        alice.writer().update(CAL, moved.toBuilder().summary("again").build());
        assertThat(sendUpdates())
                .as("without options: the connection's setting (default none)")
                .containsExactly("none");
        alice.writer().delete(CAL, made.id().orElseThrow(), null, WriteOptions.cancelMeeting());
        assertThat(sendUpdates()).containsExactly("all");
        assertThat(alice.reader().get(CAL, made.id().orElseThrow())).isEmpty();
    }

    @Test
    void googlesThrottling403IsRetriedByTheTransportThenReportedAsRateLimited() {
        google.faults()
                .add(FaultRule.on("calendarList.list")
                        .times(1)
                        .inject(Fault.respond(FakeResponse.json(403, THROTTLED))));
        assertThat(alice.reader().calendars(ALICE)).isNotEmpty();
        assertThat(urls).as("one throttled attempt, one retry").hasSize(2);
        google.faults()
                .add(FaultRule.on("calendarList.list")
                        .always()
                        .inject(Fault.respond(FakeResponse.json(403, THROTTLED))));
        assertThatThrownBy(() -> alice.reader().calendars(ALICE)).isInstanceOf(RateLimitedException.class);
    }
}
