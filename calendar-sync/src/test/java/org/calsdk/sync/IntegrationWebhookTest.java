package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
import org.calsdk.api.WebhookResponse;
import org.calsdk.errors.NotFoundException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks addressed to a whole integration (issue 11, item 1): one request naming the subscriptions of
 * several mailboxes (as one Graph POST does) is read once, each notification is checked against the secret
 * stored with its own subscription, and exactly the mailboxes it verifiably names become due.
 */
class IntegrationWebhookTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final Mailbox CAROL = Mailbox.of("carol@example.com");

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    InMemoryCalendarService service;
    final SyncStateStore store = new InMemorySyncStateStore();
    final HostRecorder host = new HostRecorder();
    SyncEngine engine;

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder()
                .clock(clock)
                .batchWebhooks(true)
                .build();
        service.addUser(ALICE, "Alice").addUser(BOB, "Bob").addUser(CAROL, "Carol");
        CalendarProviders providers = CalendarProviders.of(service.provider());
        engine = SyncEngine.builder()
                .store(store)
                .connections(SyncConnections.impersonating(
                        providers,
                        i -> ConnectionConfig.builder("memory")
                                .setting("service", service.id())
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
                .build();
        engine.saveIntegration(Integration.active("acme tenant", "memory"));
        engine.addMailbox("acme tenant", ALICE);
        engine.addMailbox("acme tenant", BOB);
        engine.addMailbox("acme tenant", CAROL);
        engine.runOnce(); // subscribes every mailbox
        service.drainWebhooks();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        service.close();
    }

    static Event meeting(String title) {
        ZonedDateTime nine = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(nine))
                .end(EventTime.of(nine.plusHours(1)))
                .build();
    }

    void createAs(Mailbox m, String title) {
        try (CalendarConnection c = service.connect(m)) {
            c.writer().create(CalendarRef.primary(m), EventKey.of("ext-" + title), meeting(title));
        }
    }

    @Test
    void eachSubscriptionKeepsItsOwnSecretAndTheIntegrationsCallbackUrl() {
        assertThat(store.subscriptions(ALICE)).singleElement().satisfies(s -> {
            assertThat(s.clientState().reveal()).hasSize(43);
            assertThat(s.toString()).doesNotContain(s.clientState().reveal());
        });
        String alice = store.subscriptions(ALICE).get(0).clientState().reveal();
        String bob = store.subscriptions(BOB).get(0).clientState().reveal();
        assertThat(alice).as("secrets are per subscription").isNotEqualTo(bob);
    }

    @Test
    void oneRequestNamingTwoMailboxesMakesExactlyThoseDue() {
        clock.advance(Duration.ofMinutes(1));
        createAs(ALICE, "a");
        createAs(BOB, "b");
        List<WebhookRequest> hooks = service.drainWebhooks();
        assertThat(hooks).as("one request for the integration's callback URL").hasSize(1);
        assertThat(engine.runOnce().mailboxes())
                .as("nothing due before the notification")
                .isZero();

        WebhookResponse r = engine.handleWebhook("acme tenant", hooks.get(0));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.signals()).extracting(s -> s.calendar().mailbox()).containsExactlyInAnyOrder(ALICE, BOB);
        SyncReport report = engine.runOnce();
        assertThat(report.results()).extracting(MailboxSyncResult::mailbox).containsExactlyInAnyOrder(ALICE, BOB);
        assertThat(host.externalLog).hasSize(2);
    }

    @Test
    void aForgedSecretOrAnotherIntegrationsNameTriggersNothing() {
        clock.advance(Duration.ofMinutes(1));
        createAs(ALICE, "a");
        WebhookRequest genuine = service.drainWebhooks().get(0);
        String secret = store.subscriptions(ALICE).get(0).clientState().reveal();
        String body = new String(genuine.body(), StandardCharsets.UTF_8);
        WebhookRequest forged = new WebhookRequest(
                "POST",
                genuine.headers(),
                genuine.query(),
                body.replace(secret, "x".repeat(secret.length())).getBytes(StandardCharsets.UTF_8));

        WebhookResponse r = engine.handleWebhook("acme tenant", forged);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.signals()).isEmpty();
        assertThat(engine.runOnce().mailboxes()).isZero();

        engine.saveIntegration(Integration.active("other", "memory"));
        service.addUser(Mailbox.of("dave@example.com"), "Dave");
        engine.addMailbox("other", Mailbox.of("dave@example.com"));
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(Mailbox.of("dave@example.com"));
        WebhookResponse wrongDoor = engine.handleWebhook("other", genuine);
        assertThat(wrongDoor.status())
                .as("a subscription of another integration is unknown here")
                .isEqualTo(404);
        assertThat(wrongDoor.signals()).isEmpty();
        assertThatThrownBy(() -> engine.handleWebhook("nope", genuine)).isInstanceOf(NotFoundException.class);

        assertThat(engine.handleWebhook("acme tenant", genuine).status()).isEqualTo(202);
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(ALICE);
    }

    @Test
    void anEndedSubscriptionIsMadeAgainButAStaleEndLeavesTheNewOneAlone() {
        String first = store.subscriptions(ALICE).get(0).id();
        service.expireSubscription(first);
        assertThat(engine.handleWebhook("acme tenant", service.drainWebhooks().get(0))
                        .signals())
                .hasSize(1);
        engine.runOnce();
        String second = store.subscriptions(ALICE).get(0).id();
        assertThat(second).isNotEqualTo(first);

        // a late "ended" about the first one (it came through the old subscription) changes nothing
        engine.onSignal(new org.calsdk.api.ChangeSignal(
                org.calsdk.api.ChangeSignal.Kind.SUBSCRIPTION_ENDED, CalendarRef.primary(ALICE), first));
        assertThat(store.subscriptions(ALICE))
                .extracting(org.calsdk.api.Subscription::id)
                .containsExactly(second);
        // a signal about a mailbox that is not synced is ignored
        engine.onSignal(new org.calsdk.api.ChangeSignal(
                org.calsdk.api.ChangeSignal.Kind.CHANGED,
                CalendarRef.primary(Mailbox.of("stranger@example.com")),
                null));
    }

    @Test
    void outboundPushDeliversTheSameSignalThroughOnSignal() {
        // EWS streaming or pull subscriptions have no inbound callback: their listener hands signals to onSignal
        clock.advance(Duration.ofMinutes(1));
        assertThat(engine.runOnce().mailboxes()).isZero();
        java.util.function.Consumer<org.calsdk.api.ChangeSignal> listener = engine::onSignal;
        listener.accept(new org.calsdk.api.ChangeSignal(
                org.calsdk.api.ChangeSignal.Kind.CHANGED, CalendarRef.primary(CAROL), null));
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(CAROL);
    }

    @Test
    void aRenewalKeepsTheSubscriptionsSecretSoItsNotificationsStillVerify() {
        org.calsdk.api.Subscription before = store.subscriptions(ALICE).get(0);
        clock.advance(Duration.ofHours(10).plusMinutes(30)); // within the 2 h renewal margin of the 12 h ttl
        engine.runOnce();
        org.calsdk.api.Subscription after = store.subscriptions(ALICE).get(0);
        assertThat(after.expiresAt()).isAfter(before.expiresAt());
        assertThat(after.clientState()).isEqualTo(before.clientState());
        service.drainWebhooks();
        createAs(ALICE, "after-renewal");
        assertThat(engine.handleWebhook("acme tenant", service.drainWebhooks().get(0))
                        .status())
                .isEqualTo(202);
    }
}
