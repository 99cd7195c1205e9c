package org.calsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks go over real HTTP to a host endpoint: Graph's validation handshake, notifications, failures. */
class WebhookClientTest {
    /** What the host endpoint received. */
    static final class Host {
        final List<FakeRequest> received = new ArrayList<>();
        volatile CalendarConnection connection;
        /** The subscriptions the host stored when it subscribed, by id (as a host's database would). */
        final Map<String, Subscription> stored = new java.util.concurrent.ConcurrentHashMap<>();

        final List<ChangeSignal> signals = new ArrayList<>();
    }

    private final Host host = new Host();
    private final FakeServer<Host> endpoint = FakeServer.builder(host)
            .name("host")
            .route("POST", "/hooks/graph", "graph", (req, h) -> {
                synchronized (h) {
                    h.received.add(req);
                }
                return req.query("validationToken")
                        .map(t -> FakeResponse.text(200, t))
                        .orElse(FakeResponse.of(202));
            })
            .route("POST", "/hooks/memory", "memory", (req, h) -> {
                // as a host's web framework would: hand the raw request to the SDK
                Map<String, List<String>> headers =
                        new LinkedHashMap<>(req.headers().toMultimap());
                WebhookRequest raw = new WebhookRequest(req.method(), headers, Map.of(), req.body());
                List<Subscription> named = h.connection.push().subscriptionIds(raw).stream()
                        .map(h.stored::get)
                        .filter(java.util.Objects::nonNull)
                        .toList();
                WebhookResponse answer = h.connection.push().handle(raw, named);
                synchronized (h) {
                    h.signals.addAll(answer.signals());
                }
                return FakeResponse.body(
                        answer.status(),
                        answer.contentType() == null ? "text/plain" : answer.contentType(),
                        answer.body());
            })
            .route("POST", "/hooks/slow", "slow", (req, h) -> {
                Thread.sleep(1500);
                return FakeResponse.of(202);
            })
            .build()
            .start();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void graph_validation_and_notifications_are_posted_over_http() {
        WebhookClient hooks = WebhookClient.create();
        URI url = endpoint.url("/hooks/graph").uri();
        WebhookClient.Delivery v = hooks.graphValidation(url, "tok-123");
        assertThat(v.echoed("tok-123")).isTrue();
        assertThat(v.echoed("other")).isFalse();
        WebhookClient.Delivery n = hooks.post(
                url,
                Map.of("X-Test", List.of("1")),
                "application/json",
                "{\"value\":[{\"clientState\":\"s\"}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(n.accepted()).isTrue();
        assertThat(n.status()).isEqualTo(202);
        assertThat(host.received).hasSize(2);
        assertThat(host.received.get(1).header("X-Test")).contains("1");
        assertThat(host.received.get(1).bodyString()).contains("clientState");
        assertThat(endpoint.accounting().calls("graph")).isEqualTo(2);
    }

    @Test
    void an_unreachable_or_slow_endpoint_is_a_failed_delivery_not_an_exception() {
        WebhookClient hooks = WebhookClient.create().timeout(Duration.ofMillis(300));
        WebhookClient.Delivery slow = hooks.post(endpoint.url("/hooks/slow").uri(), Map.of(), null, null);
        assertThat(slow.status()).isZero();
        assertThat(slow.failure()).isNotNull();
        int port = endpoint.port();
        endpoint.close();
        WebhookClient.Delivery refused =
                hooks.post(URI.create("http://127.0.0.1:" + port + "/hooks/graph"), Map.of(), null, null);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.failure()).isNotNull();
    }

    @Test
    void the_in_memory_service_pushes_to_the_host_over_http_and_the_host_hands_it_to_the_sdk() {
        Mailbox alice = Mailbox.of("alice@example.com");
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
            service.start();
            service.seed(SeedData.organization("example.com")
                    .user(alice.email(), "Alice")
                    .build());
            service.onWebhook(WebhookClient.create()
                    .forwardTo(endpoint.url("/hooks/memory").uri()));
            try (CalendarConnection c = service.connect(alice)) {
                host.connection = c;
                CalendarRef cal = CalendarRef.primary(alice);
                Subscription sub = c.push()
                        .subscribe(
                                cal,
                                new SubscriptionRequest(
                                        endpoint.url("/hooks/memory").toString(),
                                        Secret.of("s3cret"),
                                        Duration.ofHours(1)));
                host.stored.put(sub.id(), sub);
                c.writer()
                        .create(
                                cal,
                                EventKey.of("k1"),
                                Event.builder()
                                        .summary("pushed")
                                        .start(EventTime.of(Instant.parse("2026-03-02T10:00:00Z")
                                                .atZone(java.time.ZoneOffset.UTC)))
                                        .end(EventTime.of(Instant.parse("2026-03-02T11:00:00Z")
                                                .atZone(java.time.ZoneOffset.UTC)))
                                        .build());
            }
        }
        assertThat(endpoint.accounting().calls("memory")).isEqualTo(1);
        assertThat(host.signals).extracting(ChangeSignal::kind).containsExactly(ChangeSignal.Kind.CHANGED);
    }
}
