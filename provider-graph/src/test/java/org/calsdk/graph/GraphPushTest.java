package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.WebhookClient;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph subscriptions against the fake Graph, with a real webhook endpoint on 127.0.0.1 that answers as a host
 * does (the provider's {@code subscriptionIds} + {@code handle} over the subscriptions it stored): the
 * validation handshake, change notifications checked by client state, lifecycle notifications, renewal in
 * place and after removal, the lifetime cap, and delete.
 */
class GraphPushTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);

    FakeGraphServer graph;
    HttpServer endpoint;
    CalendarConnection connection;
    final Map<String, Subscription> stored = new ConcurrentHashMap<>();
    final List<WebhookResponse> answers = new CopyOnWriteArrayList<>();
    final AtomicBoolean refuseHandshake = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .mailbox("carol@example.com")
                .accessPolicy(List.of("alice@example.com"))
                .build()
                .start();
        connection = GraphProvider.builder()
                .build()
                .connect(graph.connectionConfig("alice@example.com").build());
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/hook", exchange -> {
            Map<String, String> query = new LinkedHashMap<>();
            HttpUrl url = HttpUrl.get("http://127.0.0.1" + exchange.getRequestURI());
            url.queryParameterNames().forEach(n -> query.put(n, url.queryParameter(n)));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(1024 * 1024);
            }
            WebhookRequest request =
                    new WebhookRequest(exchange.getRequestMethod(), exchange.getRequestHeaders(), query, body);
            WebhookResponse r = refuseHandshake.get()
                    ? new WebhookResponse(404, "text/plain", "", List.of())
                    : connection
                            .push()
                            .handle(
                                    request,
                                    connection.push().subscriptionIds(request).stream()
                                            .map(stored::get)
                                            .filter(java.util.Objects::nonNull)
                                            .toList());
            answers.add(r);
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            if (r.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", r.contentType());
            }
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        connection.close();
        endpoint.stop(0);
        graph.close();
    }

    String hook() {
        return "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook";
    }

    Subscription subscribe(String secret, Duration ttl) {
        Subscription s = connection.push().subscribe(CAL, new SubscriptionRequest(hook(), Secret.of(secret), ttl));
        stored.put(s.id(), s);
        return s;
    }

    void createEvent(String title) {
        ZonedDateTime t = ZonedDateTime.now(ZoneOffset.UTC)
                .plusDays(2)
                .withHour(9)
                .withMinute(0)
                .withSecond(0)
                .withNano(0);
        connection
                .writer()
                .create(
                        CAL,
                        EventKey.of("k-" + title),
                        Event.builder()
                                .summary(title)
                                .start(EventTime.of(t))
                                .end(EventTime.of(t.plusHours(1)))
                                .build());
    }

    @Test
    void subscribingAnswersTheHandshakeAndChangesArriveAsVerifiedSignals() {
        Subscription s = subscribe("alice-secret", Duration.ofHours(2));
        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.contentType()).isEqualTo("text/plain");
            assertThat(a.body()).startsWith("Validation: ");
        });
        assertThat(s.expiresAt())
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(110)),
                        Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(s.toString()).doesNotContain("alice-secret");
        answers.clear();

        createEvent("one");
        createEvent("two");
        List<WebhookClient.Delivery> d = graph.deliverNotifications();
        assertThat(d).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(202));
        assertThat(answers)
                .singleElement()
                .satisfies(a -> assertThat(a.signals()).hasSize(2).allSatisfy(sig -> {
                    assertThat(sig.kind()).isEqualTo(ChangeSignal.Kind.CHANGED);
                    assertThat(sig.calendar()).isEqualTo(CAL);
                    assertThat(sig.subscriptionId()).isEqualTo(s.id());
                }));
    }

    @Test
    void aRecordWithAnotherSecretOrNoRecordGivesNoSignal() {
        Subscription s = subscribe("the-real-secret", Duration.ofHours(1));
        stored.put(s.id(), s.renewed(s.expiresAt(), Secret.of("another-secret")));
        createEvent("forged");
        assertThat(graph.deliverNotifications())
                .singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(403));
        stored.clear();
        createEvent("unknown");
        assertThat(graph.deliverNotifications())
                .singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(404));
        assertThat(answers.subList(1, answers.size()))
                .allSatisfy(a -> assertThat(a.signals()).isEmpty());
        // a body that is no notification at all
        WebhookResponse junk = connection
                .push()
                .handle(
                        new WebhookRequest(
                                "POST", Map.of(), Map.of(), "{\"value\": 3}".getBytes(StandardCharsets.UTF_8)),
                        List.of(s));
        assertThat(junk.status()).isEqualTo(400);
        assertThat(connection
                        .push()
                        .subscriptionIds(new WebhookRequest(
                                "POST", Map.of(), Map.of(), "not json".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
    }

    @Test
    void lifecycleNotificationsBecomeTheirSignals() {
        Subscription s = subscribe("lc-secret", Duration.ofHours(1));
        answers.clear();
        for (String event : List.of("reauthorizationRequired", "missed", "subscriptionRemoved")) {
            assertThat(graph.sendLifecycleNotification(s.id(), event).status()).isEqualTo(202);
        }
        assertThat(answers)
                .extracting(a -> a.signals().get(0).kind())
                .containsExactly(
                        ChangeSignal.Kind.REAUTHORIZATION_REQUIRED,
                        ChangeSignal.Kind.MISSED,
                        ChangeSignal.Kind.SUBSCRIPTION_ENDED);
        assertThat(graph.subscriptions()).as("subscriptionRemoved ended it").isEmpty();

        // renewing a removed subscription makes a new one (with the request's client state)
        Subscription again = connection
                .push()
                .renew(s, new SubscriptionRequest(hook(), Secret.of("new-secret"), Duration.ofHours(1)));
        assertThat(again.id()).isNotEqualTo(s.id());
        assertThat(again.clientState().reveal()).isEqualTo("new-secret");
        assertThat(graph.subscriptions()).containsOnlyKeys(again.id());
    }

    @Test
    void renewalExtendsInPlaceKeepingTheSecretAndTheLifetimeIsCapped() {
        Subscription s = subscribe("keep-me", Duration.ofMinutes(30));
        Subscription r =
                connection.push().renew(s, new SubscriptionRequest(hook(), Secret.of("ignored"), Duration.ofDays(30)));
        assertThat(r.id()).isEqualTo(s.id());
        assertThat(r.clientState().reveal())
                .as("Graph cannot change a subscription's clientState")
                .isEqualTo("keep-me");
        // 30 days asked: capped under Graph's 4,230 minutes for events (the fake refuses anything longer)
        assertThat(r.expiresAt())
                .isAfter(s.expiresAt())
                .isBeforeOrEqualTo(Instant.now().plus(Duration.ofMinutes(4230)));
        assertThat(graph.subscriptions().get(s.id())).isEqualTo(r.expiresAt());

        connection.push().unsubscribe(r);
        connection.push().unsubscribe(r); // already gone: succeeds
        assertThat(graph.subscriptions()).isEmpty();
    }

    @Test
    void aFailedHandshakeOrAMailboxOutsideThePolicyIsRefused() {
        refuseHandshake.set(true);
        assertThatThrownBy(() -> subscribe("x", Duration.ofHours(1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ValidationError");
        refuseHandshake.set(false);
        try (CalendarConnection app = GraphProvider.builder()
                .build()
                .connect(org.calsdk.api.ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("accessToken", "app")
                        .build())) {
            assertThatThrownBy(() -> app.push()
                            .subscribe(
                                    CalendarRef.primary(Mailbox.of("carol@example.com")),
                                    new SubscriptionRequest(hook(), Secret.of("x"), Duration.ofHours(1))))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("access policy");
        }
        assertThatThrownBy(() -> connection
                        .push()
                        .subscribe(CAL, new SubscriptionRequest(null, Secret.of("x"), Duration.ofHours(1))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(graph.subscriptions()).isEmpty();
        // the handshake echo is bounded
        WebhookResponse tooLong = connection
                .push()
                .handle(
                        new WebhookRequest("POST", Map.of(), Map.of("validationToken", "v".repeat(5000)), new byte[0]),
                        List.of());
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(WebhookClient.create()
                        .graphValidation(URI.create(hook()), "tok-1")
                        .echoed("tok-1"))
                .isTrue();
    }
}
