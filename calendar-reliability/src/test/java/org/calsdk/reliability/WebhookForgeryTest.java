package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
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
import org.junit.jupiter.api.Test;

/**
 * Promise: webhooks cannot be forged, checked through the core {@code PushChannels} API. A genuine
 * notification verifies against its stored subscription; a wrong channel token, another subscription's
 * token, an unknown channel, a missing stored record and an oversized body are refused with 4xx and no
 * signal. A replayed genuine notification gives only a CHANGED signal (no data: the host then reads the
 * change feed), so a replay cannot inject anything. The token comparison is constant-time
 * ({@code Subscription.matchesClientState}, {@code MessageDigest.isEqual}). Graph runs the same forgeries
 * as soon as its connection declares PUSH_INBOUND (the graph helper adds subscriptions in parallel).
 */
class WebhookForgeryTest {
    private static final CalendarRef ALICE = CalendarRef.primary(Mailbox.of(Target.ALICE));

    @Test
    void googleChannelsCannotBeForged() {
        try (Target.Google t = new Target.Google();
             CalendarConnection c = t.connect(Target.quickRetries(), d -> { })) {
            assertThat(c.supports(Capability.PUSH_INBOUND)).isTrue();
            Subscription s = c.push().subscribe(ALICE, new SubscriptionRequest("https://hooks.example.com/calendar",
                    Secret.of("channel-token-1"), Duration.ofHours(1)));
            Subscription other = c.push().subscribe(ALICE, new SubscriptionRequest("https://hooks.example.com/calendar",
                    Secret.of("channel-token-2"), Duration.ofHours(1)));
            t.google.takeNotifications();
            c.writer().create(ALICE, EventKey.of("hook"), Event.builder().summary("hooked")
                    .start(EventTime.of(SoakRun.DAY0.atTime(9, 0).atZone(ZoneOffset.UTC)))
                    .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(ZoneOffset.UTC))).build());
            WebhookRequest genuine = t.google.takeNotifications().stream()
                    .filter(n -> s.id().equals(n.headers().get("X-Goog-Channel-ID"))).findFirst()
                    .map(n -> request(n.headers(), new byte[0])).orElseThrow();
            List<Subscription> stored = List.of(s, other);

            WebhookResponse ok = c.push().handle(genuine, stored);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.signals()).extracting(ChangeSignal::kind).containsExactly(ChangeSignal.Kind.CHANGED);

            List<String> refused = new ArrayList<>();
            refused.add(forged(c, with(genuine, "X-Goog-Channel-Token", "channel-token-1x"), stored, "wrong token"));
            refused.add(forged(c, with(genuine, "X-Goog-Channel-Token", "channel-token-2"), stored, "the other channel's token"));
            refused.add(forged(c, with(genuine, "X-Goog-Channel-Token", ""), stored, "no token"));
            refused.add(forged(c, with(genuine, "X-Goog-Resource-ID", "someone-else"), stored, "another resource"));
            refused.add(forged(c, with(genuine, "X-Goog-Channel-ID", "unknown-channel"), stored, "unknown channel"));
            refused.add(forged(c, genuine, List.of(other), "no stored record for its channel"));
            refused.add(forged(c, new WebhookRequest("POST", genuine.headers(), Map.of(),
                    "x".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8)), stored, "1 MB body"));

            WebhookResponse replay = c.push().handle(genuine, stored);
            assertThat(replay.signals()).as("a replay carries no data, only 'something changed'")
                    .allSatisfy(sig -> assertThat(sig.kind()).isEqualTo(ChangeSignal.Kind.CHANGED));
            Figures.record("webhooks", "google: genuine -> 200 CHANGED; " + refused.size() + " forgeries refused ("
                    + String.join("; ", refused) + "); replay -> CHANGED only");
        }
    }

    @Test
    void graphNotificationsCannotBeForged() {
        try (Target.Graph t = new Target.Graph();
             CalendarConnection c = t.connect(Target.quickRetries(), d -> { })) {
            if (!c.supports(Capability.PUSH_INBOUND)) {
                Figures.record("webhooks", "graph: the connection does not declare PUSH_INBOUND on this branch; "
                        + "forgeries run once it does");
                return;
            }
            Subscription s = c.push().subscribe(ALICE, new SubscriptionRequest("https://hooks.example.com/graph",
                    Secret.of("client-state-1"), Duration.ofHours(1)));
            String body = "{\"value\":[{\"subscriptionId\":\"" + s.id() + "\",\"clientState\":\"%s\","
                    + "\"changeType\":\"updated\",\"resource\":\"Users/alice/Events/1\",\"tenantId\":\"t\"}]}";
            List<String> refused = new ArrayList<>();
            refused.add(forged(c, request(Map.of("Content-Type", "application/json"),
                    String.format(body, "client-state-1x").getBytes(StandardCharsets.UTF_8)), List.of(s), "wrong clientState"));
            refused.add(forged(c, request(Map.of("Content-Type", "application/json"),
                    String.format(body, "client-state-1").getBytes(StandardCharsets.UTF_8)), List.of(), "unknown subscription"));
            refused.add(forged(c, request(Map.of("Content-Type", "application/json"),
                    ("{\"value\":[" + "{}".repeat(1) + "]," + "\"pad\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}")
                            .getBytes(StandardCharsets.UTF_8)), List.of(s), "4 MB body"));
            Figures.record("webhooks", "graph: " + refused.size() + " forgeries refused (" + String.join("; ", refused) + ")");
        }
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
