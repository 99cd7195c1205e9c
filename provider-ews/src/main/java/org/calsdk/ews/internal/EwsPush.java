package org.calsdk.ews.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.PushChannels;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound push over EWS pull subscriptions: nothing calls in, so it works inside a customer's network.
 * {@link #subscribe} makes a pull subscription on the calendar folder ({@code Subscribe}, its
 * {@code Timeout} the request's ttl, 1 minute to 24 hours) and keeps the starting watermark as the
 * subscription's {@link Subscription#resourceId()}; {@link #listen} polls each subscription with
 * {@code GetEvents} every pull interval on one daemon thread (and at once again while Exchange says
 * {@code MoreEvents}) and turns a poll that saw created, modified, deleted, moved or copied items into one
 * {@link ChangeSignal.Kind#CHANGED} for that calendar: the same "this calendar changed" signal a webhook
 * gives, for {@code SyncEngine.onSignal}. Polling keeps the subscription alive (Exchange ends one not polled
 * within its timeout). A subscription Exchange no longer knows (expired, unknown, invalid watermark) gives
 * {@link ChangeSignal.Kind#SUBSCRIPTION_ENDED} and is no longer polled; rejected credentials give
 * {@link ChangeSignal.Kind#REAUTHORIZATION_REQUIRED} and stop the listener. Other failures are logged
 * and the next poll tries again. The listener stops when its handle is closed, or when the connection it
 * came from is closed (close the handle first).
 *
 * <p>Exchange cannot extend a pull subscription: {@link #renew} ends it and subscribes again from its
 * watermark (no event between is lost), under a new id; listen with the renewed subscription.
 */
public final class EwsPush implements PushChannels {
    private static final Logger LOG = LoggerFactory.getLogger(EwsPush.class);
    /** Codes meaning the subscription is gone for good. */
    static final Set<String> ENDED = Set.of(
            "ErrorSubscriptionNotFound",
            "ErrorExpiredSubscription",
            "ErrorInvalidSubscription",
            "ErrorSubscriptionAccessDenied",
            "ErrorInvalidWatermark",
            "ErrorSubscriptionUnsubscribed");

    private static final Set<String> CHANGE_EVENTS =
            Set.of("CreatedEvent", "ModifiedEvent", "DeletedEvent", "MovedEvent", "CopiedEvent");
    /** GetEvents rounds one subscription gets per pass while Exchange says MoreEvents. */
    static final int MAX_ROUNDS = 20;

    private final EwsSession session;

    public EwsPush(EwsSession session) {
        this.session = session;
    }

    @Override
    public Subscription subscribe(CalendarRef calendar, SubscriptionRequest request) {
        return subscribe(calendar, request, null);
    }

    private Subscription subscribe(CalendarRef calendar, SubscriptionRequest request, String watermark) {
        String folder = session.folder(calendar);
        long minutes = Math.max(1, Math.min(1440, request.ttl().toMinutes()));
        StringBuilder b = new StringBuilder("<m:Subscribe><m:PullSubscriptionRequest><t:FolderIds>")
                .append(folder)
                .append("</t:FolderIds><t:EventTypes>");
        for (String t : List.of("CreatedEvent", "DeletedEvent", "ModifiedEvent", "MovedEvent", "CopiedEvent")) {
            b.append("<t:EventType>").append(t).append("</t:EventType>");
        }
        b.append("</t:EventTypes>");
        if (watermark != null) {
            b.append("<t:Watermark>").append(Xml.esc(watermark)).append("</t:Watermark>");
        }
        b.append("<t:Timeout>").append(minutes).append("</t:Timeout></m:PullSubscriptionRequest></m:Subscribe>");
        Instant now = session.clock().instant();
        Xml.Node m = session.client()
                .check(
                        EwsWriter.first(session.call("Subscribe", b.toString(), false), "Subscribe"),
                        "Subscribe",
                        session.self());
        String id = m.text("SubscriptionId")
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new MalformedDataException(
                        "EWS Subscribe answered without a SubscriptionId", session.context(), null));
        String wm = m.text("Watermark").filter(s -> !s.isBlank()).orElse(null);
        return new Subscription(id, calendar, wm, now.plus(Duration.ofMinutes(minutes)), request.clientState());
    }

    @Override
    public Subscription renew(Subscription subscription, SubscriptionRequest request) {
        try {
            unsubscribe(subscription);
        } catch (CalendarException e) {
            LOG.debug(
                    "ending the old EWS subscription failed ({}); it expires by itself",
                    e.getClass().getSimpleName());
        }
        if (subscription.resourceId() != null) {
            try {
                return subscribe(subscription.calendar(), request, subscription.resourceId());
            } catch (CalendarException e) {
                if (e.getMessage() == null || !e.getMessage().contains("ErrorInvalidWatermark")) {
                    throw e;
                }
            }
        }
        return subscribe(subscription.calendar(), request, null);
    }

    @Override
    public void unsubscribe(Subscription subscription) {
        session.folder(subscription.calendar());
        Xml.Node m = EwsWriter.first(
                session.call(
                        "Unsubscribe",
                        "<m:Unsubscribe><m:SubscriptionId>" + Xml.esc(subscription.id())
                                + "</m:SubscriptionId></m:Unsubscribe>",
                        false),
                "Unsubscribe");
        if (EwsClient.isError(m) && ENDED.contains(EwsClient.code(m))) {
            return; // gone already: the wanted state
        }
        session.client().check(m, "Unsubscribe", session.self());
    }

    @Override
    public AutoCloseable listen(List<Subscription> subscriptions, Consumer<ChangeSignal> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        List<Subscription> subs = List.copyOf(subscriptions);
        for (Subscription s : subs) {
            session.folder(s.calendar());
            if (s.resourceId() == null) {
                throw new org.calsdk.errors.InvalidInputException(
                        "subscriptions",
                        "subscription " + s.id()
                                + " carries no watermark; listen with subscriptions made by this provider's subscribe or renew");
            }
        }
        Listener l = new Listener(subs, listener);
        l.thread.start();
        return l;
    }

    /** One poller thread for a set of subscriptions. */
    private final class Listener implements AutoCloseable {
        private final Map<String, Subscription> subs = new LinkedHashMap<>();
        private final Map<String, String> watermarks = new LinkedHashMap<>();
        private final Consumer<ChangeSignal> listener;
        private final Thread thread;
        private volatile boolean closed;

        Listener(List<Subscription> list, Consumer<ChangeSignal> listener) {
            for (Subscription s : list) {
                subs.put(s.id(), s);
                watermarks.put(s.id(), s.resourceId());
            }
            this.listener = listener;
            this.thread = new Thread(this::run, "calsdk-ews-pull");
            thread.setDaemon(true);
        }

        private void run() {
            try {
                while (!closed && !subs.isEmpty()) {
                    for (String id : new ArrayList<>(subs.keySet())) {
                        if (closed) {
                            return;
                        }
                        if (!poll(subs.get(id))) {
                            return;
                        }
                    }
                    Thread.sleep(session.pullInterval().toMillis());
                }
            } catch (InterruptedException | CancellationException e) {
                // closed
            } catch (IllegalStateException e) {
                LOG.debug("EWS pull listener stops: the connection was closed");
            }
        }

        /** Polls one subscription; false when the listener must stop. */
        private boolean poll(Subscription sub) {
            boolean changed = false;
            try {
                for (int round = 0; round < MAX_ROUNDS; round++) {
                    Xml.Node m = EwsWriter.first(
                            session.call(
                                    "GetEvents",
                                    "<m:GetEvents><m:SubscriptionId>" + Xml.esc(sub.id())
                                            + "</m:SubscriptionId><m:Watermark>" + Xml.esc(watermarks.get(sub.id()))
                                            + "</m:Watermark></m:GetEvents>",
                                    true),
                            "GetEvents");
                    if (EwsClient.isError(m) && ENDED.contains(EwsClient.code(m))) {
                        subs.remove(sub.id());
                        signal(new ChangeSignal(ChangeSignal.Kind.SUBSCRIPTION_ENDED, sub.calendar(), sub.id()));
                        return true;
                    }
                    session.client().check(m, "GetEvents", session.self());
                    Xml.Node n = m.child("Notification")
                            .orElseThrow(() -> new MalformedDataException(
                                    "EWS GetEvents answered without a Notification", session.context(), null));
                    for (Xml.Node ev : n.children()) {
                        ev.text("Watermark").filter(w -> !w.isBlank()).ifPresent(w -> watermarks.put(sub.id(), w));
                        changed |= CHANGE_EVENTS.contains(ev.name());
                    }
                    if (!n.text("MoreEvents").map(Boolean::parseBoolean).orElse(false)) {
                        break;
                    }
                }
            } catch (ReauthorizationRequiredException e) {
                for (Subscription s : subs.values()) {
                    signal(new ChangeSignal(ChangeSignal.Kind.REAUTHORIZATION_REQUIRED, s.calendar(), s.id()));
                }
                return false;
            } catch (CalendarException e) {
                LOG.warn(
                        "polling an EWS pull subscription failed, trying again in {}: {}",
                        session.pullInterval(),
                        e.getMessage());
            }
            if (changed) {
                signal(new ChangeSignal(ChangeSignal.Kind.CHANGED, sub.calendar(), sub.id()));
            }
            return true;
        }

        private void signal(ChangeSignal s) {
            try {
                listener.accept(s);
            } catch (RuntimeException e) {
                LOG.warn("the push listener failed on a signal: {}", e.toString());
            }
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
