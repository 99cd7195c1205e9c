package org.calsdk.google.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Request;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.PushChannels;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.CalendarRef;

/**
 * Google watch channels ({@code events.watch}): a channel per calendar with the host's client state as
 * its token; "renewing" makes a new channel and then stops the old one (Google cannot extend a channel),
 * so notifications overlap instead of pausing. A notification names its channel ({@code X-Goog-Channel-ID});
 * it is accepted only when the stored subscription of that id is handed in and both its token and its
 * resource id match ({@code X-Goog-Channel-Token}, {@code X-Goog-Resource-ID}, compared in constant time);
 * else 403 (404 when the channel is unknown) and no signals. A {@code sync} message (sent when a channel
 * starts) gives no signal. Stateless: any connection of the provider can handle any notification.
 */
final class GooglePush implements PushChannels {
    /** The largest notification body accepted; Google sends none. */
    static final int MAX_NOTIFICATION_BODY = 64 * 1024;

    private final GoogleSession s;

    GooglePush(GoogleSession s) {
        this.s = s;
    }

    @Override
    public Subscription subscribe(CalendarRef calendar, SubscriptionRequest request) {
        String id = UUID.randomUUID().toString();
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("type", "web_hook");
            g.writeStringField("address", request.callbackUrl());
            g.writeStringField("token", request.clientState().reveal());
            g.writeObjectFieldStart("params");
            g.writeStringField("ttl", Long.toString(Math.max(1, request.ttl().toSeconds())));
            g.writeEndObject();
            g.writeEndObject();
        });
        Map<String, Object> ch = s.call(
                "events.watch",
                calendar.mailbox(),
                new Request.Builder()
                        .url(s.events(calendar, "watch").build())
                        .post(GoogleSession.json(body))
                        .build(),
                true,
                "watching " + calendar.id());
        String resourceId = Json.str(ch, "resourceId");
        String expiration = Json.str(ch, "expiration");
        if (resourceId == null || expiration == null) {
            throw new MalformedDataException(
                    "Google's channel has no resourceId or expiration", s.ctx(calendar.mailbox()), null);
        }
        return new Subscription(
                id, calendar, resourceId, Instant.ofEpochMilli(Long.parseLong(expiration)), request.clientState());
    }

    @Override
    public Subscription renew(Subscription subscription, SubscriptionRequest request) {
        Subscription next = subscribe(subscription.calendar(), request);
        unsubscribe(subscription); // after the new one runs: no gap in notifications
        return next;
    }

    @Override
    public void unsubscribe(Subscription subscription) {
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", subscription.id());
            g.writeStringField("resourceId", subscription.resourceId());
            g.writeEndObject();
        });
        HttpResponse r = s.send(
                "channels.stop",
                subscription.calendar().mailbox(),
                new Request.Builder()
                        .url(s.api("channels", "stop").build())
                        .post(GoogleSession.json(body))
                        .build(),
                true);
        if (!r.isSuccessful() && r.status() != 404) {
            throw GoogleErrors.toException(
                    r, s.ctx(subscription.calendar().mailbox()), "stopping a channel", s.clock());
        }
    }

    @Override
    public List<String> subscriptionIds(WebhookRequest request) {
        return request.header("X-Goog-Channel-ID")
                .filter(id -> !id.isBlank())
                .map(List::of)
                .orElse(List.of());
    }

    @Override
    public WebhookResponse handle(WebhookRequest request, Collection<Subscription> subscriptions) {
        if (request.body().length > MAX_NOTIFICATION_BODY) {
            // Google's notifications carry their news in headers, with an empty body: anything big is not one
            return new WebhookResponse(413, "text/plain", "notification body too large", List.of());
        }
        String id = request.header("X-Goog-Channel-ID").orElse("");
        Subscription sub = subscriptions.stream()
                .filter(x -> x.id().equals(id))
                .findFirst()
                .orElse(null);
        if (sub == null) {
            return new WebhookResponse(404, "text/plain", "unknown channel", List.of());
        }
        String token = request.header("X-Goog-Channel-Token").orElse("");
        String resource = request.header("X-Goog-Resource-ID").orElse("");
        // both comparisons run whatever the outcome, so the answer's timing does not tell which part failed
        boolean tokenOk = sub.matchesClientState(token);
        boolean resourceOk = MessageDigest.isEqual(
                String.valueOf(sub.resourceId()).getBytes(StandardCharsets.UTF_8),
                resource.getBytes(StandardCharsets.UTF_8));
        if (!(tokenOk & resourceOk)) {
            return new WebhookResponse(403, "text/plain", "not a notification of this channel", List.of());
        }
        String state = request.header("X-Goog-Resource-State").orElse("");
        if (state.equals("sync")) {
            return new WebhookResponse(200, "text/plain", "", List.of());
        }
        if (!s.clock().instant().isBefore(sub.expiresAt())) {
            return new WebhookResponse(
                    200,
                    "text/plain",
                    "",
                    List.of(new ChangeSignal(ChangeSignal.Kind.SUBSCRIPTION_ENDED, sub.calendar(), sub.id())));
        }
        return new WebhookResponse(
                200, "text/plain", "", List.of(new ChangeSignal(ChangeSignal.Kind.CHANGED, sub.calendar(), sub.id())));
    }
}
