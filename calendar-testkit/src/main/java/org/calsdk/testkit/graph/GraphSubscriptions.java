package org.calsdk.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.WebhookClient;

/**
 * The fake Graph's change notifications ({@code /subscriptions}): create with the validation handshake
 * POSTed to the notification (and lifecycle) URL, renew by {@code PATCH expirationDateTime}, delete, and
 * notifications queued as events change and delivered on demand ({@link FakeGraphServer#deliverNotifications}),
 * plus lifecycle notifications. Graph's limits: an event subscription lives at most
 * {@link #MAX_LIFETIME} (the documented 4,230 minutes), {@code clientState} at most 128 characters, the
 * endpoint must echo the validation token within 10 seconds. A subscription's {@code clientState} cannot be
 * changed. State lives in the {@link GraphStore} (under its monitor); HTTP deliveries run outside it.
 */
final class GraphSubscriptions {
    /** The longest lifetime of a subscription to Outlook events (the value the provider facts record). */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(4230);
    /** Notifications per POST at most (Graph batches several changes into one delivery). */
    static final int MAX_PER_POST = 50;
    /** Notifications kept waiting at most (the oldest are dropped first, as Graph drops undeliverable ones). */
    static final int MAX_PENDING = 10_000;

    static final String TENANT = "00000000-0000-0000-0000-0000000fa4e0";
    private static final Pattern RESOURCE =
            Pattern.compile("/?(?:users|Users)/([^/]+)/(?:events|calendars/([^/]+)/events)");

    /** One subscription, as Graph keeps it. */
    static final class Sub {
        final String id;
        final String mailbox;
        final String calendarId;
        final String resource;
        final String changeType;
        final String notificationUrl;
        final String lifecycleUrl;
        final String clientState;
        Instant expires;

        Sub(
                String id,
                String mailbox,
                String calendarId,
                String resource,
                String changeType,
                String notificationUrl,
                String lifecycleUrl,
                String clientState,
                Instant expires) {
            this.id = id;
            this.mailbox = mailbox;
            this.calendarId = calendarId;
            this.resource = resource;
            this.changeType = changeType;
            this.notificationUrl = notificationUrl;
            this.lifecycleUrl = lifecycleUrl;
            this.clientState = clientState;
            this.expires = expires;
        }
    }

    /** A notification waiting to be delivered: to which URL, and its JSON. */
    record Pending(String url, ObjectNode notification) {}

    private final GraphStore store;
    private final WebhookClient hooks = WebhookClient.create().timeout(Duration.ofSeconds(10));
    /** Where deliveries go in-process instead of over HTTP, or null. */
    private final java.util.function.Function<org.calsdk.api.WebhookRequest, org.calsdk.api.WebhookResponse> endpoint;
    /** The notification requests delivered in-process, for {@link #take()}. */
    private final List<org.calsdk.api.WebhookRequest> recorded = new ArrayList<>();

    GraphSubscriptions(
            GraphStore store,
            java.util.function.Function<org.calsdk.api.WebhookRequest, org.calsdk.api.WebhookResponse> endpoint) {
        this.store = store;
        this.endpoint = endpoint;
    }

    /** Delivers the waiting notifications and returns the requests delivered in-process since the last call. */
    List<org.calsdk.api.WebhookRequest> take() {
        deliver();
        synchronized (recorded) {
            List<org.calsdk.api.WebhookRequest> out = List.copyOf(recorded);
            recorded.clear();
            return out;
        }
    }

    private WebhookClient.Delivery validate(String url, String token) {
        if (endpoint == null) {
            return hooks.graphValidation(URI.create(url), token);
        }
        return inProcess(new org.calsdk.api.WebhookRequest(
                "POST", Map.of("Content-Type", List.of("text/plain")), Map.of("validationToken", token), new byte[0]));
    }

    private WebhookClient.Delivery inProcess(org.calsdk.api.WebhookRequest request) {
        long start = System.nanoTime();
        org.calsdk.api.WebhookResponse r = endpoint.apply(request);
        Map<String, String> headers = r.contentType() == null ? Map.of() : Map.of("Content-Type", r.contentType());
        return new WebhookClient.Delivery(
                r.status(),
                headers,
                r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start),
                null);
    }

    // ------------------------------------------------------------------------------------------ routes

    FakeResponse create(FakeRequest req, String subject) throws Exception {
        JsonNode body;
        try {
            body = FakeGraphServer.JSON.readTree(req.body());
        } catch (Exception e) {
            return FakeGraphServer.error(400, "BadRequest", "The request body is not valid JSON.");
        }
        String resource = body.path("resource").asText("");
        String changeType = body.path("changeType").asText("");
        String url = body.path("notificationUrl").asText("");
        String lifecycle = body.path("lifecycleNotificationUrl").asText(null);
        String clientState = body.path("clientState").asText(null);
        Matcher m = RESOURCE.matcher(resource);
        if (!m.matches()) {
            return FakeGraphServer.error(400, "InvalidRequest", "Resource '" + resource + "' is not supported.");
        }
        if (changeType.isEmpty()
                || !List.of("created", "updated", "deleted").containsAll(List.of(changeType.split(",")))) {
            return FakeGraphServer.error(400, "InvalidRequest", "The changeType '" + changeType + "' is not valid.");
        }
        if (clientState != null && clientState.length() > 128) {
            return FakeGraphServer.error(400, "InvalidRequest", "clientState must be at most 128 characters.");
        }
        String problem = checkUrl(url);
        if (problem == null && lifecycle != null) {
            problem = checkUrl(lifecycle);
        }
        if (problem != null) {
            return FakeGraphServer.error(400, "InvalidRequest", problem);
        }
        Instant expires;
        try {
            expires = Instant.parse(body.path("expirationDateTime").asText(""));
        } catch (DateTimeParseException e) {
            return FakeGraphServer.error(400, "InvalidRequest", "expirationDateTime is missing or not a date-time.");
        }
        String expiryProblem = checkExpiry(expires);
        if (expiryProblem != null) {
            return FakeGraphServer.error(400, "InvalidRequest", expiryProblem);
        }
        String mailbox = m.group(1).toLowerCase(Locale.ROOT);
        String calendarId;
        synchronized (store) {
            GraphStore.MailboxData mb = store.mailbox(mailbox);
            if (mb == null) {
                return FakeGraphServer.error(
                        404, "ErrorInvalidUser", "The requested user '" + mailbox + "' is invalid.");
            }
            calendarId = m.group(2) == null ? mb.primary().id : m.group(2);
            if (!mb.calendars.containsKey(calendarId)) {
                return FakeGraphServer.error(
                        404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
        }
        FakeResponse denied = accessCheck(subject, mailbox);
        if (denied != null) {
            return denied;
        }
        // the handshake, outside the store's monitor: the endpoint may take its time (up to 10 s)
        for (String target : lifecycle == null || lifecycle.equals(url) ? List.of(url) : List.of(url, lifecycle)) {
            String token = "Validation: Testing client application reachability for subscription Request-Id: "
                    + UUID.randomUUID();
            WebhookClient.Delivery d = validate(target, token);
            if (!d.echoed(token)) {
                return FakeGraphServer.error(
                        400,
                        "ValidationError",
                        "Subscription validation request failed. "
                                + "Notification endpoint must respond with 200 OK to validation request ("
                                + (d.failure() != null ? d.failure() : "HTTP " + d.status()) + ").");
            }
        }
        Sub sub = new Sub(
                UUID.randomUUID().toString(),
                mailbox,
                calendarId,
                resource,
                changeType,
                url,
                lifecycle,
                clientState,
                expires);
        synchronized (store) {
            store.subscriptions.put(sub.id, sub);
        }
        return FakeGraphServer.json(201, render(sub));
    }

    FakeResponse get(FakeRequest req) {
        synchronized (store) {
            Sub s = live(req.pathParam("sid"));
            return s == null ? notFound(req.pathParam("sid")) : FakeGraphServer.json(200, render(s));
        }
    }

    FakeResponse renew(FakeRequest req) throws Exception {
        JsonNode body;
        try {
            body = FakeGraphServer.JSON.readTree(req.body());
        } catch (Exception e) {
            return FakeGraphServer.error(400, "BadRequest", "The request body is not valid JSON.");
        }
        if (body.has("clientState") || body.has("resource") || body.has("changeType")) {
            return FakeGraphServer.error(
                    400,
                    "InvalidRequest",
                    "Only expirationDateTime and notificationUrl can be " + "updated on a subscription.");
        }
        Instant expires;
        try {
            expires = Instant.parse(body.path("expirationDateTime").asText(""));
        } catch (DateTimeParseException e) {
            return FakeGraphServer.error(400, "InvalidRequest", "expirationDateTime is missing or not a date-time.");
        }
        String problem = checkExpiry(expires);
        if (problem != null) {
            return FakeGraphServer.error(400, "InvalidRequest", problem);
        }
        synchronized (store) {
            Sub s = live(req.pathParam("sid"));
            if (s == null) {
                return notFound(req.pathParam("sid"));
            }
            s.expires = expires;
            return FakeGraphServer.json(200, render(s));
        }
    }

    FakeResponse delete(FakeRequest req) {
        synchronized (store) {
            Sub s = store.subscriptions.remove(req.pathParam("sid"));
            return s == null ? notFound(req.pathParam("sid")) : FakeResponse.of(204);
        }
    }

    // ------------------------------------------------------------------------------------------ notifications

    /** Queues a notification for every live subscription on the calendar of {@code s} (under the store's monitor). */
    static void changed(GraphStore st, GraphStore.Stored s, String changeType) {
        Instant now = Instant.now();
        for (Sub sub : st.subscriptions.values()) {
            if (!sub.calendarId.equals(s.calendarId)
                    || !sub.expires.isAfter(now)
                    || !List.of(sub.changeType.split(",")).contains(changeType)) {
                continue;
            }
            ObjectNode n = FakeGraphServer.JSON.createObjectNode();
            n.put("subscriptionId", sub.id);
            n.put("subscriptionExpirationDateTime", sub.expires.toString());
            n.put("changeType", changeType);
            GraphStore.MailboxData mb = st.mailbox(sub.mailbox);
            String resource = "Users/" + (mb == null ? sub.mailbox : mb.userId) + "/Events/" + s.id;
            n.put("resource", resource);
            ObjectNode data = n.putObject("resourceData");
            data.put("@odata.type", "#Microsoft.Graph.Event");
            data.put("@odata.id", resource);
            if (s.changeKey != null && !s.deleted) {
                data.put("@odata.etag", "W/\"" + s.changeKey + "\"");
            }
            data.put("id", s.id);
            if (sub.clientState != null) {
                n.put("clientState", sub.clientState);
            }
            n.put("tenantId", TENANT);
            if (st.pendingNotifications.size() >= MAX_PENDING) {
                st.pendingNotifications.remove(0);
            }
            st.pendingNotifications.add(new Pending(sub.notificationUrl, n));
        }
    }

    /** Posts every waiting notification, several to a POST per URL; what each endpoint answered. */
    List<WebhookClient.Delivery> deliver() {
        Map<String, List<ObjectNode>> byUrl = new LinkedHashMap<>();
        synchronized (store) {
            for (Pending p : store.pendingNotifications) {
                byUrl.computeIfAbsent(p.url(), k -> new ArrayList<>()).add(p.notification());
            }
            store.pendingNotifications.clear();
        }
        List<WebhookClient.Delivery> out = new ArrayList<>();
        byUrl.forEach((url, list) -> {
            for (int i = 0; i < list.size(); i += MAX_PER_POST) {
                out.add(post(url, list.subList(i, Math.min(list.size(), i + MAX_PER_POST))));
            }
        });
        return out;
    }

    /**
     * Sends a lifecycle notification ({@code reauthorizationRequired}, {@code subscriptionRemoved},
     * {@code missed}) for subscription {@code id} to its lifecycle URL; {@code subscriptionRemoved} also ends it.
     */
    WebhookClient.Delivery lifecycle(String id, String event) {
        ObjectNode n = FakeGraphServer.JSON.createObjectNode();
        String url;
        synchronized (store) {
            Sub s = store.subscriptions.get(id);
            if (s == null) {
                throw new org.calsdk.errors.NotFoundException(
                        "the fake Graph has no subscription " + id, org.calsdk.errors.ErrorContext.of("graph"));
            }
            if (s.lifecycleUrl == null) {
                throw new org.calsdk.errors.InvalidInputException(
                        "id",
                        "subscription " + id
                                + " has no lifecycleNotificationUrl: Graph sends it no lifecycle notifications");
            }
            url = s.lifecycleUrl;
            n.put("subscriptionId", s.id);
            n.put("subscriptionExpirationDateTime", s.expires.toString());
            n.put("tenantId", TENANT);
            if (s.clientState != null) {
                n.put("clientState", s.clientState);
            }
            n.put("lifecycleEvent", event);
            if (event.equals("subscriptionRemoved")) {
                store.subscriptions.remove(id);
            }
        }
        return post(url, List.of(n));
    }

    private WebhookClient.Delivery post(String url, List<ObjectNode> notifications) {
        ObjectNode root = FakeGraphServer.JSON.createObjectNode();
        ArrayNode value = root.putArray("value");
        notifications.forEach(value::add);
        byte[] body = root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (endpoint != null) {
            org.calsdk.api.WebhookRequest request = new org.calsdk.api.WebhookRequest(
                    "POST", Map.of("Content-Type", List.of("application/json; charset=utf-8")), Map.of(), body);
            synchronized (recorded) {
                recorded.add(request);
            }
            return inProcess(request);
        }
        return hooks.timeout(Duration.ofSeconds(3))
                .post(URI.create(url), Map.of(), "application/json; charset=utf-8", body);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private FakeResponse accessCheck(String subject, String mailbox) {
        if (subject.equals(GraphStore.APP)) {
            if (store.accessPolicy != null && !store.accessPolicy.contains(mailbox)) {
                return FakeGraphServer.error(
                        403,
                        "ErrorAccessDenied",
                        "Access to OData is disabled: [RAOP] : Blocked "
                                + "by tenant configured AppOnly AccessPolicy settings.");
            }
            return null;
        }
        return subject.equalsIgnoreCase(mailbox)
                ? null
                : FakeGraphServer.error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }

    private Sub live(String id) {
        Sub s = store.subscriptions.get(id);
        if (s != null && !s.expires.isAfter(Instant.now())) {
            store.subscriptions.remove(id); // Graph deletes expired subscriptions
            return null;
        }
        return s;
    }

    private static FakeResponse notFound(String id) {
        return FakeGraphServer.error(404, "ResourceNotFound", "The object was not found (subscription " + id + ").");
    }

    private static String checkExpiry(Instant expires) {
        Instant now = Instant.now();
        if (!expires.isAfter(now)) {
            return "Subscription expiration must be in the future.";
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME))) {
            return "Subscription expiration can only be " + MAX_LIFETIME.toMinutes() + " minutes in the future.";
        }
        return null;
    }

    private static String checkUrl(String url) {
        HttpUrl u = HttpUrl.parse(url);
        if (u == null) {
            return "The notification URL '" + url + "' is not an absolute http(s) URL.";
        }
        boolean loopback = u.host().equals("127.0.0.1")
                || u.host().equals("localhost")
                || u.host().equals("[::1]")
                || u.host().equals("::1");
        if (!u.isHttps() && !loopback) {
            return "The notification URL must use https.";
        }
        return null;
    }

    private static ObjectNode render(Sub s) {
        ObjectNode n = FakeGraphServer.JSON.createObjectNode();
        n.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity");
        n.put("id", s.id);
        n.put("resource", s.resource);
        n.put("applicationId", "00000000-0000-0000-0000-00000000a11c");
        n.put("changeType", s.changeType);
        if (s.clientState == null) {
            n.putNull("clientState");
        } else {
            n.put("clientState", s.clientState);
        }
        n.put("notificationUrl", s.notificationUrl);
        if (s.lifecycleUrl == null) {
            n.putNull("lifecycleNotificationUrl");
        } else {
            n.put("lifecycleNotificationUrl", s.lifecycleUrl);
        }
        n.put("expirationDateTime", s.expires.toString());
        n.put("creatorId", "00000000-0000-0000-0000-00000000c4ea");
        n.put("latestSupportedTlsVersion", "v1_2");
        n.put("includeResourceData", false);
        return n;
    }
}
