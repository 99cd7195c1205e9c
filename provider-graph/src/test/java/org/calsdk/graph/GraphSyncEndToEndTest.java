package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.AppEventChange;
import org.calsdk.sync.ExternalChange;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.MailboxStatus;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.OutboxEntry;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncField;
import org.calsdk.sync.SyncListener;
import org.calsdk.testkit.WebhookClient;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync over Graph end to end: calendar-sync's engine with its H2 store, an organization connection (client
 * credentials) to the fake Graph, and a real webhook endpoint on 127.0.0.1 that hands requests to
 * {@code SyncEngine.handleWebhook}. An app booking is pushed, the organizer's move comes back through a
 * webhook (no poll was due), an external event is seen and its deletion is pulled through the delta feed,
 * and revoked admin consent marks the mailbox disconnected with the admin-consent URL.
 */
class GraphSyncEndToEndTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);

    @TempDir
    Path dir;

    FakeGraphServer graph;
    HttpServer hooks;
    JdbcSyncStateStore store;
    SyncEngine engine;
    final Recorder host = new Recorder();
    final MovableClock clock = new MovableClock(Instant.now());
    final List<Integer> webhookStatuses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com", "Alice")
                .client("app-id", "app-secret")
                .build()
                .start();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hooks/", exchange -> {
            String integration = exchange.getRequestURI().getPath().substring("/hooks/".length());
            Map<String, String> query = new LinkedHashMap<>();
            HttpUrl url = HttpUrl.get("http://127.0.0.1" + exchange.getRequestURI());
            for (String name : url.queryParameterNames()) {
                query.put(name, url.queryParameter(name));
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(1024 * 1024);
            }
            WebhookResponse r = engine.handleWebhook(
                    integration,
                    new WebhookRequest(exchange.getRequestMethod(), exchange.getRequestHeaders(), query, body));
            webhookStatuses.add(r.status());
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            if (r.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", r.contentType());
            }
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        hooks.start();
        store = JdbcSyncStateStore.h2(dir);
        CalendarProviders providers =
                CalendarProviders.of(GraphProvider.builder().build());
        engine = SyncEngine.builder()
                .store(store)
                .connections(SyncConnections.impersonating(providers, i -> appConfig()))
                .listener(host)
                .clock(clock)
                .nodeId("e2e")
                .pollInterval(Duration.ofMinutes(5))
                .push(
                        "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hooks/{integration}",
                        Duration.ofDays(1),
                        Duration.ofHours(6),
                        Duration.ofHours(1))
                .build();
        engine.saveIntegration(Integration.active("contoso", "graph"));
        engine.addMailbox("contoso", ALICE);
    }

    ConnectionConfig appConfig() {
        return ConnectionConfig.builder("graph")
                .setting("baseUrl", graph.baseUrl())
                .setting("authorityUrl", graph.authorityUrl())
                .setting("consentRedirectUri", "https://app.example/consent")
                .credentials(ClientCredentials.withSecret("contoso.onmicrosoft.com", "app-id", Secret.of("app-secret")))
                .build();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        if (graph != null) {
            graph.close();
        }
    }

    /** The organizer's (or anyone's) own access to alice's calendar, outside the engine. */
    CalendarConnection direct() {
        return GraphProvider.builder()
                .build()
                .connect(appConfig())
                .impersonator()
                .actAs(ALICE);
    }

    static Event meeting(String title, int hour) {
        ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC)
                .plusDays(3)
                .truncatedTo(ChronoUnit.DAYS)
                .plusHours(hour);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(start))
                .end(EventTime.of(start.plusHours(1)))
                .build();
    }

    @Test
    void bookingsMovesExternalEventsWebhooksAndRevokedConsent() {
        String dentist;
        try (CalendarConnection c = direct()) {
            dentist = c.writer()
                    .create(CAL, EventKey.of("someone-else"), meeting("Dentist", 8))
                    .id()
                    .orElseThrow();
        }

        // initial pass: the external event is seen, and a subscription is made (its handshake answered)
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(ALICE);
        assertThat(host.external)
                .anySatisfy(x -> assertThat(x)
                        .isInstanceOfSatisfying(
                                ExternalChange.Created.class,
                                c -> assertThat(c.event().summary()).isEqualTo("Dentist")));
        assertThat(graph.subscriptions()).hasSize(1);
        assertThat(engine.subscriptions()).containsOnlyKeys(CAL);
        assertThat(webhookStatuses)
                .as("the validation handshake reached the engine")
                .containsExactly(200);

        // an app booking is pushed
        EventKey key = EventKey.of("booking-42");
        engine.enqueue(OutboxEntry.upsert(CAL, key, meeting("Mentoring session", 10)));
        engine.syncMailbox(ALICE);
        assertThat(host.pushed).containsExactly(key);
        assertThat(graph.eventCount("alice@example.com")).isEqualTo(2);
        graph.deliverNotifications(); // the push's own notification
        engine.runOnce();
        host.clear();

        // the organizer moves it; the webhook makes the mailbox due though no poll is due yet
        try (CalendarConnection c = direct()) {
            Event stored = c.reader().findByKey(CAL, key).orElseThrow();
            c.writer()
                    .update(
                            CAL,
                            stored.toBuilder()
                                    .start(meeting("x", 14).start())
                                    .end(meeting("x", 15).start())
                                    .build());
        }
        assertThat(engine.runOnce().results())
                .as("nothing due before the notification")
                .isEmpty();
        List<WebhookClient.Delivery> deliveries = graph.deliverNotifications();
        assertThat(deliveries)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(202));
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(ALICE);
        assertThat(host.appChanges).singleElement().satisfies(ch -> {
            assertThat(ch.key()).isEqualTo(key);
            assertThat(ch.fields()).contains(SyncField.TIME);
            assertThat(ch.event().start().toInstant(ZoneId.of("UTC")))
                    .isEqualTo(meeting("x", 14).start().toInstant(ZoneId.of("UTC")));
        });

        // an external deletion comes through the delta feed on the next poll (no webhook delivered)
        try (CalendarConnection c = direct()) {
            c.writer().delete(CAL, dentist, null);
        }
        clock.advance(Duration.ofHours(2));
        engine.runOnce();
        assertThat(host.external)
                .anySatisfy(x -> assertThat(x)
                        .isInstanceOfSatisfying(
                                ExternalChange.Deleted.class,
                                d -> assertThat(d.eventId()).isEqualTo(dentist)));

        // the administrator revokes consent: the mailbox is disconnected with the admin-consent URL
        graph.revokeAdminConsent(true);
        clock.advance(Duration.ofHours(2));
        engine.runOnce();
        MailboxStatus status = engine.mailboxes().stream()
                .filter(m -> m.mailbox().equals(ALICE))
                .findFirst()
                .orElseThrow();
        assertThat(status.connected()).isFalse();
        HttpUrl relink = HttpUrl.get(status.relinkUrl());
        assertThat(relink.encodedPath()).isEqualTo("/contoso.onmicrosoft.com/v2.0/adminconsent");
        assertThat(relink.queryParameter("client_id")).isEqualTo("app-id");
        assertThat(relink.queryParameter("redirect_uri")).isEqualTo("https://app.example/consent");
        assertThat(relink.queryParameter("state")).isNotBlank();
        assertThat(host.disconnected).containsExactly(status.relinkUrl());
    }

    @Test
    void reauthorizationRequiredRenewsTheSameSubscriptionAndOnlyALostOneIsMadeAgain() {
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::mailbox)
                .containsExactly(ALICE);
        assertThat(graph.subscriptions()).hasSize(1);
        String id = graph.subscriptions().keySet().iterator().next();
        assertThat(engine.subscriptions().get(CAL).id()).isEqualTo(id);
        long created = graph.accounting().calls("subscriptions.create");

        // Graph asks for the subscription to be reauthorized: the mailbox is due at once, and its pass renews
        // (PATCH) that same subscription instead of making a second one
        assertThat(graph.sendLifecycleNotification(id, "reauthorizationRequired")
                        .status())
                .isEqualTo(202);
        assertThat(engine.subscriptions().get(CAL).id()).isEqualTo(id);
        assertThat(engine.runOnce().results())
                .extracting(MailboxSyncResult::outcome)
                .containsExactly(MailboxSyncResult.Outcome.OK);
        assertThat(graph.accounting().calls("subscriptions.renew")).isEqualTo(1);
        assertThat(graph.accounting().calls("subscriptions.create")).isEqualTo(created);
        assertThat(graph.subscriptions()).containsOnlyKeys(id);
        org.calsdk.api.Subscription renewed = engine.subscriptions().get(CAL);
        assertThat(renewed.id()).isEqualTo(id);
        assertThat(renewed.needsRenewal(clock.instant(), Duration.ofHours(6)))
                .as("renewed for the full lifetime again")
                .isFalse();

        // again, but Graph no longer has it (the renewal answers 404): only then is a new one made
        graph.faults()
                .add(org.calsdk.testkit.FaultRule.on("subscriptions.renew")
                        .times(1)
                        .inject(org.calsdk.testkit.Fault.status(404)));
        assertThat(graph.sendLifecycleNotification(id, "reauthorizationRequired")
                        .status())
                .isEqualTo(202);
        engine.runOnce();
        assertThat(graph.accounting().calls("subscriptions.renew")).isEqualTo(2);
        assertThat(graph.accounting().calls("subscriptions.create")).isEqualTo(created + 1);
        String remade = engine.subscriptions().get(CAL).id();
        assertThat(remade).isNotEqualTo(id);
        assertThat(graph.subscriptions()).containsKey(remade);
    }

    /** What the engine told the host. */
    static final class Recorder implements SyncListener {
        final List<ExternalChange> external = new CopyOnWriteArrayList<>();
        final List<AppEventChange> appChanges = new CopyOnWriteArrayList<>();
        final List<EventKey> pushed = new CopyOnWriteArrayList<>();
        final List<String> disconnected = new CopyOnWriteArrayList<>();

        @Override
        public void onExternalChange(ExternalChange change) {
            external.add(change);
        }

        @Override
        public void onAppEventChange(AppEventChange change) {
            appChanges.add(change);
        }

        @Override
        public void onPushed(OutboxEntry entry, Event stored) {
            pushed.add(entry.key());
        }

        @Override
        public void onMailboxDisconnected(Mailbox mailbox, String reason, String relinkUrl) {
            disconnected.add(relinkUrl);
        }

        void clear() {
            external.clear();
            appChanges.clear();
            pushed.clear();
        }
    }

    /** A clock the test moves forward (the engine's notion of when mailboxes are due). */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
