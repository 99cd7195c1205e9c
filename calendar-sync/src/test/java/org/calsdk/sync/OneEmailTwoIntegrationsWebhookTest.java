package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.WebhookRequest;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: one email in two integrations, each with its own provider and webhook callback. Each mailbox keeps
 * its own push subscription; a webhook to one integration makes that integration's mailbox due, not the other's.
 */
class OneEmailTwoIntegrationsWebhookTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);

    static Event meeting(String title) {
        ZonedDateTime nine = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(nine))
                .end(EventTime.of(nine.plusHours(1)))
                .build();
    }

    @Test
    void aWebhookToOneIntegrationSyncsThatIntegrationsMailboxOnly() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        SyncStateStore store = new InMemorySyncStateStore();
        HostRecorder host = new HostRecorder();
        try (InMemoryCalendarService work = InMemoryCalendarService.builder()
                        .clock(clock)
                        .batchWebhooks(true)
                        .build();
                InMemoryCalendarService home = InMemoryCalendarService.builder()
                        .clock(clock)
                        .batchWebhooks(true)
                        .build();
                SyncEngine engine = SyncEngine.builder()
                        .store(store)
                        .connections(SyncConnections.impersonating(
                                CalendarProviders.of(work.provider()),
                                i -> ConnectionConfig.builder("memory")
                                        .setting("service", i.name().equals("work") ? work.id() : home.id())
                                        .build()))
                        .listener(host)
                        .clock(clock)
                        .random(new Random(1))
                        .nodeId("test")
                        .push(
                                "https://app.example.com/hooks/{integration}",
                                Duration.ofHours(12),
                                Duration.ofHours(2),
                                Duration.ofMinutes(30))
                        .build()) {
            work.addUser(ALICE, "Alice");
            home.addUser(ALICE, "Alice");
            engine.saveIntegration(Integration.active("work", "memory"));
            engine.saveIntegration(Integration.active("home", "memory"));
            engine.addMailbox("work", ALICE);
            engine.addMailbox("home", ALICE);
            assertThat(engine.runOnce().results()).hasSize(2); // subscribes each mailbox at its own provider
            work.drainWebhooks();
            home.drainWebhooks();
            // the two providers may hand out the same subscription id: each integration finds its own, with its secret
            org.calsdk.api.Subscription workSub =
                    store.inIntegration("work").subscriptions(ALICE).get(0);
            org.calsdk.api.Subscription homeSub =
                    store.inIntegration("home").subscriptions(ALICE).get(0);
            assertThat(store.subscriptionById("home", homeSub.id())
                            .orElseThrow()
                            .clientState()
                            .reveal())
                    .isEqualTo(homeSub.clientState().reveal())
                    .isNotEqualTo(workSub.clientState().reveal());
            assertThat(engine.subscriptions()).isNotEmpty();

            clock.advance(Duration.ofMinutes(1));
            try (CalendarConnection c = home.connect(ALICE)) {
                c.writer().create(CAL, EventKey.of("ext-dinner"), meeting("Dinner"));
            }
            List<WebhookRequest> hooks = home.drainWebhooks();
            assertThat(hooks).hasSize(1);
            assertThat(engine.handleWebhook("home", hooks.get(0)).status()).isEqualTo(202);
            assertThat(store.inIntegration("home").mailbox(ALICE).orElseThrow().nextSyncAt())
                    .isEqualTo(Instant.EPOCH);
            assertThat(store.inIntegration("work").mailbox(ALICE).orElseThrow().nextSyncAt())
                    .isAfter(clock.instant());
            // the home notification read against the work integration is not verified (the work subscription's own
            // secret is another): nothing becomes due
            assertThat(engine.handleWebhook("work", hooks.get(0)).signals()).isEmpty();
            SyncReport report = engine.runOnce();
            assertThat(report.results()).hasSize(1);
            assertThat(host.externalLog).hasSize(1);
        }
    }
}
