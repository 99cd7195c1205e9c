package org.calsdk.google.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import okhttp3.Request;

import org.calsdk.api.ChangeSignal;
import org.calsdk.api.PushChannels;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.auth.Secret;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.CalendarRef;

/**
 * Google watch channels ({@code events.watch}): a channel per calendar with the host's client state as
 * its token; "renewing" makes a new channel and then stops the old one (Google cannot extend a channel),
 * so notifications overlap instead of pausing. A notification is accepted only when its channel id, token
 * and resource id all match a channel this connection made (compared in constant time); anything else is
 * answered 403 with no signals. A {@code sync} message (sent when a channel starts) gives no signal.
 *
 * <p>The channels made are kept in this connection's memory; the core's webhook contract (the stored
 * subscription and its secret handed to {@link #handle}) will replace that.
 */
final class GooglePush implements PushChannels {
    private record Channel(Subscription subscription, Secret token) {}

    private final GoogleSession s;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

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
        Map<String, Object> ch = s.call("events.watch", calendar.mailbox(), new Request.Builder()
                .url(s.events(calendar, "watch").build()).post(GoogleSession.json(body)).build(), true,
                "watching " + calendar.id());
        String resourceId = Json.str(ch, "resourceId");
        String expiration = Json.str(ch, "expiration");
        if (resourceId == null || expiration == null) {
            throw new MalformedDataException("Google's channel has no resourceId or expiration", s.ctx(calendar.mailbox()),
                    null);
        }
        Instant expires = Instant.ofEpochMilli(Long.parseLong(expiration));
        Subscription sub = new Subscription(id, calendar, resourceId, expires);
        channels.put(id, new Channel(sub, request.clientState()));
        return sub;
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
        HttpResponse r = s.send("channels.stop", subscription.calendar().mailbox(), new Request.Builder()
                .url(s.api("channels", "stop").build()).post(GoogleSession.json(body)).build(), true);
        channels.remove(subscription.id());
        if (!r.isSuccessful() && r.status() != 404) {
            throw GoogleErrors.toException(r, s.ctx(subscription.calendar().mailbox()), "stopping a channel", s.clock());
        }
    }

    @Override
    public WebhookResponse handle(WebhookRequest request) {
        String id = request.header("X-Goog-Channel-ID").orElse("");
        Channel ch = channels.get(id);
        String token = request.header("X-Goog-Channel-Token").orElse("");
        String resource = request.header("X-Goog-Resource-ID").orElse("");
        // evaluate every comparison whatever the outcome, so the answer's timing does not tell which part failed
        boolean known = ch != null;
        Secret expected = known ? ch.token() : Secret.of("");
        boolean tokenOk = expected.equals(Secret.of(token));
        boolean resourceOk = MessageDigest.isEqual(
                (known ? ch.subscription().resourceId() : "").getBytes(StandardCharsets.UTF_8),
                resource.getBytes(StandardCharsets.UTF_8));
        if (!(known & tokenOk & resourceOk)) {
            return new WebhookResponse(403, "text/plain", "unknown channel", List.of());
        }
        Subscription sub = ch.subscription();
        String state = request.header("X-Goog-Resource-State").orElse("");
        if (state.equals("sync")) {
            return new WebhookResponse(200, "text/plain", "", List.of());
        }
        if (!s.clock().instant().isBefore(sub.expiresAt())) {
            return new WebhookResponse(200, "text/plain", "", List.of(
                    new ChangeSignal(ChangeSignal.Kind.SUBSCRIPTION_ENDED, sub.calendar(), sub.id())));
        }
        return new WebhookResponse(200, "text/plain", "", List.of(
                new ChangeSignal(ChangeSignal.Kind.CHANGED, sub.calendar(), sub.id())));
    }
}
