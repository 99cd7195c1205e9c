package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.auth.Secret;
import org.calsdk.graph.GraphProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/**
 * Promise: webhooks cannot be forged, checked through the core {@code PushChannels} API. A genuine
 * notification verifies against its stored subscription; a wrong channel token, another subscription's
 * token, an unknown channel, a missing stored record and an oversized body are refused with 4xx and no
 * signal. A replayed genuine notification gives only a CHANGED signal (no data: the host then reads the
 * change feed), so a replay cannot inject anything. The token comparison is constant-time
 * ({@code Subscription.matchesClientState}, {@code MessageDigest.isEqual}). Graph: the fake's validation
 * handshakes reach the connection's own {@code handle} and are echoed; forged client states, unknown
 * subscriptions and oversized bodies are refused the same way.
 */
class WebhookForgeryTest {
    private static final CalendarRef ALICE = CalendarRef.primary(Mailbox.of(Target.ALICE));

    @Test
    void googleChannelsCannotBeForged() {
        try (Target.Google t = new Target.Google();
                CalendarConnection c = t.connect(Target.quickRetries(), d -> {})) {
            assertThat(c.supports(Capability.PUSH_INBOUND)).isTrue();
            Subscription s = c.push()
                    .subscribe(
                            ALICE,
                            new SubscriptionRequest(
                                    "https://hooks.example.com/calendar",
                                    Secret.of("channel-token-1"),
                                    Duration.ofHours(1)));
            Subscription other = c.push()
                    .subscribe(
                            ALICE,
                            new SubscriptionRequest(
                                    "https://hooks.example.com/calendar",
                                    Secret.of("channel-token-2"),
                                    Duration.ofHours(1)));
            t.google.takeNotifications();
            c.writer()
                    .create(
                            ALICE,
                            EventKey.of("hook"),
                            Event.builder()
                                    .summary("hooked")
                                    .start(EventTime.of(
                                            SoakRun.DAY0.atTime(9, 0).atZone(ZoneOffset.UTC)))
                                    .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(ZoneOffset.UTC)))
                                    .build());
            WebhookRequest genuine = t.google.takeNotifications().stream()
                    .filter(n -> s.id().equals(n.headers().get("X-Goog-Channel-ID")))
                    .findFirst()
                    .map(n -> request(n.headers(), new byte[0]))
                    .orElseThrow();
            List<Subscription> stored = List.of(s, other);

            WebhookResponse ok = c.push().handle(genuine, stored);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.signals()).extracting(ChangeSignal::kind).containsExactly(ChangeSignal.Kind.CHANGED);

            List<String> refused = new ArrayList<>();
            refused.add(forged(c, with(genuine, "X-Goog-Channel-Token", "channel-token-1x"), stored, "wrong token"));
            refused.add(forged(
                    c, with(genuine, "X-Goog-Channel-Token", "channel-token-2"), stored, "the other channel's token"));
            refused.add(forged(c, with(genuine, "X-Goog-Channel-Token", ""), stored, "no token"));
            refused.add(forged(c, with(genuine, "X-Goog-Resource-ID", "someone-else"), stored, "another resource"));
            refused.add(forged(c, with(genuine, "X-Goog-Channel-ID", "unknown-channel"), stored, "unknown channel"));
            refused.add(forged(c, genuine, List.of(other), "no stored record for its channel"));
            refused.add(forged(
                    c,
                    new WebhookRequest(
                            "POST",
                            genuine.headers(),
                            Map.of(),
                            "x".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8)),
                    stored,
                    "1 MB body"));

            WebhookResponse replay = c.push().handle(genuine, stored);
            assertThat(replay.signals())
                    .as("a replay carries no data, only 'something changed'")
                    .allSatisfy(sig -> assertThat(sig.kind()).isEqualTo(ChangeSignal.Kind.CHANGED));
            Figures.record(
                    "webhooks",
                    "google: genuine -> 200 CHANGED; " + refused.size() + " forgeries refused ("
                            + String.join("; ", refused) + "); replay -> CHANGED only");
        }
    }

    @Test
    void graphNotificationsCannotBeForged() {
        // the fake delivers its validation handshake and notifications in-process to the host's endpoint,
        // which answers through the connection's own PushChannels.handle (stored subscriptions: none yet)
        AtomicReference<CalendarConnection> conn = new AtomicReference<>();
        List<WebhookResponse> handshakes = new ArrayList<>();
        try (FakeGraphServer graph = FakeGraphServer.builder()
                        .mailbox(Target.ALICE, "Alice")
                        .webhookEndpoint(r -> {
                            WebhookResponse resp = conn.get().push().handle(r, List.of());
                            if (r.query().containsKey("validationToken")) {
                                handshakes.add(resp);
                            }
                            return resp;
                        })
                        .build()
                        .start();
                CalendarConnection c = GraphProvider.builder()
                        .retryPolicy(Target.quickRetries())
                        .build()
                        .connect(graph.connectionConfig(Target.ALICE)
                                .setting("syncWindowFuture", "P3650D")
                                .build())) {
            conn.set(c);
            assertThat(c.supports(Capability.PUSH_INBOUND)).isTrue();
            Subscription s = c.push()
                    .subscribe(
                            ALICE,
                            new SubscriptionRequest(
                                    "https://hooks.example.com/graph",
                                    Secret.of("client-state-1"),
                                    Duration.ofHours(1)));
            Subscription other = c.push()
                    .subscribe(
                            ALICE,
                            new SubscriptionRequest(
                                    "https://hooks.example.com/graph",
                                    Secret.of("client-state-2"),
                                    Duration.ofHours(1)));
            assertThat(handshakes)
                    .as("the fake's validation handshake, one per subscribe")
                    .hasSize(2)
                    .allSatisfy(h -> assertThat(h.status()).isEqualTo(200));
            String probe = "Validation: Testing client application reachability for subscription Request-Id: 1";
            WebhookResponse echo = c.push()
                    .handle(
                            new WebhookRequest("POST", Map.of(), Map.of("validationToken", probe), new byte[0]),
                            List.of());
            assertThat(echo.status()).isEqualTo(200);
            assertThat(echo.contentType()).startsWith("text/plain");
            assertThat(echo.body()).isEqualTo(probe);
            assertThat(echo.signals()).isEmpty();
            graph.takeWebhooks();
            c.writer()
                    .create(
                            ALICE,
                            EventKey.of("hook"),
                            Event.builder()
                                    .summary("hooked")
                                    .start(EventTime.of(
                                            SoakRun.DAY0.atTime(9, 0).atZone(ZoneOffset.UTC)))
                                    .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(ZoneOffset.UTC)))
                                    .build());
            WebhookRequest genuine = graph.takeWebhooks().stream()
                    .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(s.id()))
                    .findFirst()
                    .orElseThrow();
            List<Subscription> stored = List.of(s, other);

            WebhookResponse ok = c.push().handle(genuine, stored);
            assertThat(ok.status()).isEqualTo(202);
            assertThat(ok.signals()).extracting(ChangeSignal::kind).containsOnly(ChangeSignal.Kind.CHANGED);
            assertThat(ok.signals()).extracting(ChangeSignal::subscriptionId).contains(s.id());

            // forgeries built like the genuine POST but with one notification (the genuine POST carries one
            // per subscription, and the other subscription's would stay genuine)
            String one = "{\"value\":[{\"subscriptionId\":\"%s\",\"clientState\":\"%s\",\"changeType\":\"updated\","
                    + "\"resource\":\"Users/" + Target.ALICE + "/Events/1\",\"tenantId\":\"t\"}]}";
            String valid = String.format(one, s.id(), "client-state-1");
            assertThat(c.push().handle(body(genuine, valid), stored).signals())
                    .as("the forgery template itself passes with the right clientState")
                    .hasSize(1);
            List<String> refused = new ArrayList<>();
            refused.add(forged(
                    c, body(genuine, String.format(one, s.id(), "client-state-1x")), stored, "wrong clientState"));
            refused.add(forged(
                    c, body(genuine, String.format(one, s.id(), "client-state-")), stored, "clientState prefix"));
            refused.add(forged(
                    c,
                    body(genuine, String.format(one, s.id(), "client-state-2")),
                    stored,
                    "the other subscription's clientState"));
            refused.add(forged(c, body(genuine, String.format(one, s.id(), "")), stored, "empty clientState"));
            refused.add(forged(
                    c,
                    body(genuine, valid.replace(",\"clientState\":\"client-state-1\"", "")),
                    stored,
                    "no clientState"));
            refused.add(forged(
                    c,
                    body(genuine, String.format(one, "unknown-subscription", "client-state-1")),
                    stored,
                    "unknown subscription"));
            refused.add(forged(c, genuine, List.of(), "no stored record for its subscriptions"));
            refused.add(forged(
                    c,
                    body(
                            genuine,
                            valid.substring(0, valid.length() - 1) + ",\"pad\":\"" + "x".repeat(4 * 1024 * 1024)
                                    + "\"}"),
                    stored,
                    "4 MB body around a valid notification"));
            refused.add(forged(
                    c,
                    new WebhookRequest("POST", Map.of(), Map.of("validationToken", "t".repeat(5000)), new byte[0]),
                    stored,
                    "oversized validation token"));

            WebhookResponse replay = c.push().handle(genuine, stored);
            assertThat(replay.signals())
                    .as("a replay carries no data, only 'something changed'")
                    .allSatisfy(sig -> assertThat(sig.kind()).isEqualTo(ChangeSignal.Kind.CHANGED));
            Figures.record(
                    "webhooks",
                    "graph: 2 validation handshakes from the fake and 1 direct echoed (200 text/plain); "
                            + "genuine -> 202 CHANGED; " + refused.size() + " forgeries refused ("
                            + String.join("; ", refused)
                            + "); replay -> CHANGED only");
        }
    }

    private static WebhookRequest body(WebhookRequest r, String body) {
        return new WebhookRequest(r.method(), r.headers(), r.query(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String forged(CalendarConnection c, WebhookRequest r, List<Subscription> stored, String what) {
        WebhookResponse resp = c.push().handle(r, stored);
        assertThat(resp.status()).as(what).isBetween(400, 499);
        assertThat(resp.signals()).as(what).isEmpty();
        return what + " " + resp.status();
    }

    private static WebhookRequest request(Map<String, String> headers, byte[] body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new WebhookRequest("POST", h, Map.of(), body);
    }

    private static WebhookRequest with(WebhookRequest r, String header, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
        h.keySet().removeIf(k -> k.equalsIgnoreCase(header));
        h.put(header, List.of(value));
        return new WebhookRequest(r.method(), h, r.query(), r.body());
    }
}
