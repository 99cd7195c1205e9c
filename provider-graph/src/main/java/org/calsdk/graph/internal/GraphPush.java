package org.calsdk.graph.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.PushChannels;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.CalendarRef;

/**
 * Graph change notifications for events ({@code /subscriptions}). A subscription watches
 * {@code /users/{mailbox}/events} (the default calendar) or {@code /users/{mailbox}/calendars/{id}/events}
 * for {@code created,updated,deleted}, with the host's callback as both notification and lifecycle URL and
 * the request's client state; its lifetime is capped at {@link #MAX_LIFETIME}. Renewal extends it in place
 * ({@code PATCH expirationDateTime}; Graph cannot change its client state); one Graph has removed is
 * created again. Webhook requests are read from the request and the stored subscriptions alone: the
 * validation handshake ({@code ?validationToken=}) is echoed as {@code text/plain}; each notification is
 * checked against its own subscription's client state in constant time; lifecycle events become
 * {@link ChangeSignal.Kind#REAUTHORIZATION_REQUIRED}, {@link ChangeSignal.Kind#SUBSCRIPTION_ENDED} and
 * {@link ChangeSignal.Kind#MISSED}.
 */
public final class GraphPush implements PushChannels {
    /**
     * The longest lifetime asked for: Graph's documented maximum for Outlook events is 4,230 minutes (newer
     * pages say 10,080); 30 minutes less leaves room for clock skew between the host and Graph.
     */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(4230 - 30);
    /** The largest webhook body read (Graph posts batches of notifications, each well under 2 KiB). */
    static final int MAX_BODY = 1024 * 1024;
    /** The longest validation token echoed. */
    static final int MAX_TOKEN = 4096;

    private static final String CHANGES = "created,updated,deleted";

    private final GraphSession s;

    public GraphPush(GraphSession session) {
        this.s = session;
    }

    @Override
    public Subscription subscribe(CalendarRef calendar, SubscriptionRequest request) {
        String callback = request.callbackUrl();
        if (callback == null || HttpUrl.parse(callback) == null) {
            throw new InvalidInputException("callbackUrl", "Graph subscriptions need an absolute http(s) callback URL");
        }
        Instant expires = expiry(request.ttl());
        String resource = "/users/" + calendar.mailbox().email()
                + (calendar.isPrimary() ? "" : "/calendars/" + calendar.id()) + "/events";
        Map<String, Object> body = Json.map(
                "changeType",
                CHANGES,
                "notificationUrl",
                callback,
                "lifecycleNotificationUrl",
                callback,
                "resource",
                resource,
                "expirationDateTime",
                expires.toString(),
                "clientState",
                request.clientState().reveal());
        Map<String, Object> answer = s.client()
                .json(
                        "subscriptions.create",
                        calendar.mailbox(),
                        "POST",
                        s.client().url("subscriptions").build(),
                        body,
                        null);
        String id = Json.str(answer, "id");
        if (id == null || id.isBlank()) {
            throw new MalformedDataException(
                    "Graph's new subscription has no id", s.client().context(calendar.mailbox()), null);
        }
        return new Subscription(id, calendar, null, expiresAt(answer, calendar, expires), request.clientState());
    }

    @Override
    public Subscription renew(Subscription subscription, SubscriptionRequest request) {
        Instant expires = expiry(request.ttl());
        HttpUrl url = s.client().url("subscriptions", subscription.id()).build();
        HttpResponse r = s.client()
                .send(
                        "subscriptions.renew",
                        subscription.calendar().mailbox(),
                        "PATCH",
                        url,
                        Json.map("expirationDateTime", expires.toString()),
                        null);
        if (r.status() == 404) {
            // Graph removed it (expired, or subscriptionRemoved): a new one, with the request's client state
            return subscribe(subscription.calendar(), request);
        }
        if (!r.isSuccessful()) {
            throw s.client().error(r, subscription.calendar().mailbox(), "subscriptions.renew");
        }
        Map<String, Object> answer = s.client().parse(r, subscription.calendar().mailbox(), "subscriptions.renew");
        return subscription.renewed(expiresAt(answer, subscription.calendar(), expires), subscription.clientState());
    }

    @Override
    public void unsubscribe(Subscription subscription) {
        HttpResponse r = s.client()
                .send(
                        "subscriptions.delete",
                        subscription.calendar().mailbox(),
                        "DELETE",
                        s.client().url("subscriptions", subscription.id()).build(),
                        null,
                        null);
        if (!r.isSuccessful() && r.status() != 404) {
            throw s.client().error(r, subscription.calendar().mailbox(), "subscriptions.delete");
        }
    }

    @Override
    public List<String> subscriptionIds(WebhookRequest request) {
        if (request.query().containsKey("validationToken")) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> n : notifications(request)) {
            String id = Json.str(n, "subscriptionId");
            if (id != null && !id.isBlank()) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    @Override
    public WebhookResponse handle(WebhookRequest request, Collection<Subscription> subscriptions) {
        String token = request.query().get("validationToken");
        if (token != null) {
            // Graph's handshake: answer 200 with the token as plain text (within 10 s)
            if (token.isEmpty() || token.length() > MAX_TOKEN) {
                return new WebhookResponse(400, "text/plain", "bad validation token", List.of());
            }
            return new WebhookResponse(200, "text/plain", token, List.of());
        }
        if (request.body().length > MAX_BODY) {
            // not read at all; Graph's batches are far smaller (and Google's oversized bodies get 413 too)
            return new WebhookResponse(413, "text/plain", "notification body too large", List.of());
        }
        List<Map<String, Object>> notifications = notifications(request);
        if (notifications.isEmpty()) {
            return new WebhookResponse(400, "text/plain", "no Graph notifications in the request", List.of());
        }
        List<ChangeSignal> signals = new ArrayList<>();
        boolean anyKnown = false;
        for (Map<String, Object> n : notifications) {
            String id = Json.str(n, "subscriptionId");
            Subscription sub = id == null
                    ? null
                    : subscriptions.stream()
                            .filter(x -> x.id().equals(id))
                            .findFirst()
                            .orElse(null);
            if (sub == null) {
                continue;
            }
            anyKnown = true;
            if (!sub.matchesClientState(Json.str(n, "clientState"))) {
                continue; // forged, or not for this subscription: trusted for nothing
            }
            String lifecycle = Json.str(n, "lifecycleEvent");
            ChangeSignal.Kind kind = lifecycle == null
                    ? ChangeSignal.Kind.CHANGED
                    : switch (lifecycle) {
                        case "reauthorizationRequired" -> ChangeSignal.Kind.REAUTHORIZATION_REQUIRED;
                        case "subscriptionRemoved" -> ChangeSignal.Kind.SUBSCRIPTION_ENDED;
                        case "missed" -> ChangeSignal.Kind.MISSED;
                        default -> ChangeSignal.Kind.CHANGED; // an unknown lifecycle event: read the calendar anyway
                    };
            signals.add(new ChangeSignal(kind, sub.calendar(), sub.id()));
        }
        if (!signals.isEmpty()) {
            return new WebhookResponse(202, "text/plain", "", signals);
        }
        return anyKnown
                ? new WebhookResponse(403, "text/plain", "client state does not match", List.of())
                : new WebhookResponse(404, "text/plain", "unknown subscription", List.of());
    }

    /** The notifications of a webhook body ({@code {"value":[...]}}), or empty for anything else. */
    private static List<Map<String, Object>> notifications(WebhookRequest request) {
        byte[] body = request.body();
        if (body.length == 0 || body.length > MAX_BODY) {
            return List.of();
        }
        try {
            return Json.objects(Json.object(body), "value");
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private Instant expiry(Duration ttl) {
        Duration d = ttl.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : ttl;
        return s.client().clock().instant().plus(d).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The expiry Graph answered (it may shorten the one asked for), else the one asked for. */
    private Instant expiresAt(Map<String, Object> answer, CalendarRef calendar, Instant asked) {
        String v = Json.str(answer, "expirationDateTime");
        if (v == null) {
            return asked;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedDataException(
                    "Graph's subscription has an unreadable expirationDateTime",
                    s.client().context(calendar.mailbox()),
                    e);
        }
    }
}
