package org.calsdk.testkit.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.Subscription;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;

/**
 * The in-memory service's webhook format, shaped like Graph's: a POST whose JSON body carries a list of
 * notifications, each naming its subscription and echoing its client state, so that one request can concern
 * many subscriptions of many mailboxes. Reading and checking them needs nothing but the request and the
 * subscription records the host stored. Not public API.
 *
 * <pre>{@code
 * {"value":[{"subscriptionId":"sub-1","resourceId":"alice@example.com/alice@example.com",
 *            "clientState":"...","change":"changed"}]}
 * }</pre>
 */
public final class MemoryWebhooks {
    /** Most notifications read from one request; the rest are ignored (and not acknowledged as verified). */
    public static final int MAX_NOTIFICATIONS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private MemoryWebhooks() {}

    /** One notification for one subscription. */
    public record Note(String subscriptionId, String resourceId, String clientState, String change) {}

    /** A POST carrying {@code notes}. */
    public static WebhookRequest request(List<Note> notes) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode value = root.putArray("value");
        for (Note n : notes) {
            value.addObject()
                    .put("subscriptionId", n.subscriptionId())
                    .put("resourceId", n.resourceId())
                    .put("clientState", n.clientState())
                    .put("change", n.change());
        }
        return new WebhookRequest(
                "POST",
                Map.of("Content-Type", List.of("application/json")),
                Map.of(),
                root.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The subscription ids the request names, in order, without duplicates; empty when it is no notification. */
    public static List<String> subscriptionIds(WebhookRequest request) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode n : notes(request).orElse(List.of())) {
            String id = n.path("subscriptionId").asText("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** Checks every notification against its stored subscription (constant-time) and says what changed. */
    public static WebhookResponse handle(WebhookRequest request, Collection<Subscription> stored) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return new WebhookResponse(405, "text/plain", "POST only", List.of());
        }
        Optional<List<JsonNode>> notes = notes(request);
        if (notes.isEmpty() || notes.get().isEmpty()) {
            return new WebhookResponse(400, "text/plain", "not a notification of this service", List.of());
        }
        Map<String, Subscription> byId = new HashMap<>();
        for (Subscription s : stored) {
            byId.put(s.id(), s);
        }
        List<ChangeSignal> signals = new ArrayList<>();
        boolean forged = false;
        for (JsonNode n : notes.get()) {
            Subscription s = byId.get(n.path("subscriptionId").asText(""));
            if (s == null) {
                continue; // not ours (any more): no signal, and nothing else in it is trusted
            }
            JsonNode state = n.get("clientState");
            if (state == null || !state.isTextual() || !s.matchesClientState(state.asText())) {
                forged = true;
                continue;
            }
            ChangeSignal.Kind kind = switch (n.path("change").asText("")) {
                case "changed" -> ChangeSignal.Kind.CHANGED;
                case "missed" -> ChangeSignal.Kind.MISSED;
                case "ended" -> ChangeSignal.Kind.SUBSCRIPTION_ENDED;
                default -> null;
            };
            if (kind != null) {
                signals.add(new ChangeSignal(kind, s.calendar(), s.id()));
            }
        }
        if (!signals.isEmpty()) {
            return new WebhookResponse(202, null, "", signals);
        }
        return forged
                ? new WebhookResponse(403, "text/plain", "client state does not match", List.of())
                : new WebhookResponse(404, "text/plain", "unknown subscription", List.of());
    }

    private static Optional<List<JsonNode>> notes(WebhookRequest request) {
        JsonNode root;
        try {
            root = JSON.readTree(request.body());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.path("value").isArray()) {
            return Optional.empty();
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : root.path("value")) {
            if (out.size() == MAX_NOTIFICATIONS) {
                break;
            }
            if (n.isObject()) {
                out.add(n);
            }
        }
        return Optional.of(out);
    }
}
