package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.Subscription;
import org.calsdk.api.WebhookRequest;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.google.GoogleProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.google.GoogleNotification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The push supervisor with Google's watch channels (against the fake Google): a channel per calendar, which
 * Google cannot extend, so a renewal makes a new channel and stops the old one; notifications of the new one
 * verify, the stopped one gets none, and removing the mailbox stops its channel.
 */
class GoogleChannelRenewalTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    final SyncStateStore store = new InMemorySyncStateStore();
    final HostRecorder host = new HostRecorder();
    FakeGoogleServer google;
    SyncEngine engine;

    @BeforeEach
    void setUp() {
        google = FakeGoogleServer.builder()
                .clock(clock)
                .user(ALICE.email(), "Alice")
                .refreshToken("1//alice-grant", ALICE.email())
                .build()
                .start();
        engine = SyncEngine.builder()
                .store(store)
                .connections(SyncConnections.of(CalendarProviders.of(new GoogleProvider()), (i, m) -> config(m)))
                .listener(host)
                .clock(clock)
                .random(new Random(1))
                .nodeId("test")
                .push(
                        "https://app.example.com/hooks/{integration}",
                        Duration.ofHours(12),
                        Duration.ofHours(2),
                        Duration.ofMinutes(30))
                .build();
        engine.saveIntegration(Integration.active("acme", "google"));
        engine.addMailbox("acme", ALICE);
        engine.runOnce();
        google.takeNotifications();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        google.close();
    }

    ConnectionConfig config(Mailbox m) {
        return ConnectionConfig.builder("google")
                .clock(clock)
                .setting("baseUrl", google.baseUrl())
                .setting("tokenUrl", google.tokenUrl())
                .credentials(new RefreshTokenCredentials(
                        "client-1", Secret.of("client-secret"), Secret.of("1//alice-grant"), null, m))
                .build();
    }

    void createAsAlice(String title) {
        ZonedDateTime nine = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        try (CalendarConnection c = new GoogleProvider().connect(config(ALICE))) {
            c.writer()
                    .create(
                            CalendarRef.primary(ALICE),
                            EventKey.of("ext-" + title),
                            Event.builder()
                                    .summary(title)
                                    .start(EventTime.of(nine))
                                    .end(EventTime.of(nine.plusHours(1)))
                                    .build());
        }
    }

    static WebhookRequest request(GoogleNotification n) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        n.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        return new WebhookRequest("POST", headers, Map.of(), new byte[0]);
    }

    List<WebhookRequest> changeAndCollect(String title) {
        createAsAlice(title);
        return google.takeNotifications().stream()
                .map(GoogleChannelRenewalTest::request)
                .toList();
    }

    @Test
    void aRenewedChannelReplacesTheOldOneWhoseNotificationsStop() {
        Subscription first = store.subscriptions(ALICE).get(0);
        assertThat(google.calls("events.watch")).isEqualTo(1);
        List<WebhookRequest> hooks = changeAndCollect("before");
        assertThat(hooks)
                .singleElement()
                .satisfies(h -> assertThat(h.header("X-Goog-Channel-ID")).hasValue(first.id()));
        assertThat(engine.handleWebhook("acme", hooks.get(0)).signals()).hasSize(1);
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(ALICE);

        clock.advance(Duration.ofHours(10).plusMinutes(30)); // within the 2 h margin of the 12 h channel
        engine.runOnce();
        Subscription second = store.subscriptions(ALICE).get(0);
        assertThat(second.id()).as("Google cannot extend a channel: a new one").isNotEqualTo(first.id());
        assertThat(second.expiresAt()).isAfter(first.expiresAt());
        assertThat(google.calls("events.watch")).isEqualTo(2);
        assertThat(google.calls("channels.stop"))
                .as("the old channel is stopped after the new one runs")
                .isEqualTo(1);
        google.takeNotifications(); // the new channel's sync message

        List<WebhookRequest> after = changeAndCollect("after");
        assertThat(after)
                .as("only the new channel notifies")
                .singleElement()
                .satisfies(h -> assertThat(h.header("X-Goog-Channel-ID")).hasValue(second.id()));
        assertThat(engine.handleWebhook("acme", after.get(0)).signals()).hasSize(1);
        assertThat(engine.handleWebhook("acme", hooks.get(0)).status())
                .as("the old channel is no longer stored")
                .isEqualTo(404);
    }

    @Test
    void aNotificationWithAnotherTokenOrResourceIsRefused() {
        WebhookRequest genuine = changeAndCollect("x").get(0);
        Map<String, List<String>> forged = new LinkedHashMap<>(genuine.headers());
        forged.put("X-Goog-Channel-Token", List.of("not-the-secret"));
        assertThat(engine.handleWebhook("acme", new WebhookRequest("POST", forged, Map.of(), new byte[0]))
                        .status())
                .isEqualTo(403);
        assertThat(engine.runOnce().mailboxes())
                .as("a refused notification makes nothing due")
                .isZero();
        Map<String, List<String>> otherResource = new LinkedHashMap<>(genuine.headers());
        otherResource.put("X-Goog-Resource-ID", List.of("another-resource"));
        assertThat(engine.handleWebhook("acme", new WebhookRequest("POST", otherResource, Map.of(), new byte[0]))
                        .status())
                .isEqualTo(403);
        assertThat(engine.handleWebhook("acme", genuine).status()).isEqualTo(200);
    }

    @Test
    void removingTheMailboxStopsItsChannel() {
        engine.removeMailbox(ALICE);
        assertThat(google.calls("channels.stop")).isEqualTo(1);
        assertThat(store.subscriptions(ALICE)).isEmpty();
        assertThat(changeAndCollect("after-removal"))
                .as("a stopped channel sends nothing")
                .isEmpty();
    }
}
