package org.calsdk.testkit.ews;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The fake's pull subscriptions: {@code Subscribe} (a {@code PullSubscriptionRequest} on the calendar
 * folder, optionally resuming from a {@code Watermark}), {@code GetEvents} (the folder's changes after a
 * watermark, at most {@value #MAX_EVENTS} a call with {@code MoreEvents}, or a {@code StatusEvent} when
 * there are none) and {@code Unsubscribe}, with the errors Exchange answers: a subscription not polled
 * within its {@code Timeout} expires ({@code ErrorExpiredSubscription}), an unknown one is
 * {@code ErrorSubscriptionNotFound}, another mailbox's is {@code ErrorSubscriptionAccessDenied}, a
 * watermark the fake did not issue for this mailbox is {@code ErrorInvalidWatermark}. Events come from the
 * same per-folder change log as {@code SyncFolderItems}. Called with the store's monitor held.
 */
final class EwsSubscriptions {
    static final int MAX_EVENTS = 50;

    /** One pull subscription. */
    static final class Sub {
        final String id;
        final String mailbox;
        final Duration timeout;
        Instant touched;

        Sub(String id, String mailbox, Duration timeout, Instant now) {
            this.id = id;
            this.mailbox = mailbox;
            this.timeout = timeout;
            this.touched = now;
        }
    }

    private final EwsStore store;
    private final Clock clock;

    EwsSubscriptions(EwsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    static String watermark(EwsStore.Box b, long seq) {
        String raw = "calsdk-fake-ews-wm:" + b.email + ":" + seq;
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The log position of a watermark of {@code b}, or -1. */
    static long parseWatermark(EwsStore.Box b, String wm) {
        try {
            String[] p = new String(Base64.getDecoder().decode(wm), StandardCharsets.UTF_8).split(":");
            if (p.length != 3 || !p[0].equals("calsdk-fake-ews-wm") || !p[1].equals(b.email)) {
                return -1;
            }
            long seq = Long.parseLong(p[2]);
            return seq < 0 || seq > b.lastSeq() ? -1 : seq;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    String subscribe(EwsStore.Box box, El op) {
        El pull = op.child("PullSubscriptionRequest")
                .orElseThrow(() -> new EwsOperations.ItemError(
                        "ErrorInvalidSubscriptionRequest",
                        "The fake supports pull subscriptions only (PullSubscriptionRequest)."));
        int minutes = Integer.parseInt(pull.text("Timeout")
                .orElseThrow(() -> new IllegalArgumentException("PullSubscriptionRequest needs Timeout")));
        if (minutes < 1 || minutes > 1440) {
            throw new EwsOperations.ItemError(
                    "ErrorInvalidPullSubscriptionTimeout", "The timeout must be 1 to 1440 minutes.");
        }
        if (pull.child("EventTypes").map(e -> e.all("EventType").isEmpty()).orElse(true)) {
            throw new IllegalArgumentException("PullSubscriptionRequest needs EventTypes");
        }
        long from = box.lastSeq();
        String wm = pull.text("Watermark").orElse(null);
        if (wm != null) {
            from = parseWatermark(box, wm);
            if (from < 0) {
                throw new EwsOperations.ItemError("ErrorInvalidWatermark", "The watermark is invalid.");
            }
        }
        Sub s = new Sub(
                "FakeSub" + UUID.randomUUID().toString().replace("-", ""),
                box.email,
                Duration.ofMinutes(minutes),
                clock.instant());
        store.subscriptions.put(s.id, s);
        return "<m:SubscriptionId>" + s.id + "</m:SubscriptionId><m:Watermark>" + watermark(box, from)
                + "</m:Watermark>";
    }

    private Sub live(EwsStore.Box box, String id) {
        Sub s = store.subscriptions.get(id);
        if (s == null) {
            throw new EwsOperations.ItemError("ErrorSubscriptionNotFound", "The specified subscription was not found.");
        }
        if (!s.mailbox.equals(box.email)) {
            throw new EwsOperations.ItemError(
                    "ErrorSubscriptionAccessDenied", "You don't have permission to access this subscription.");
        }
        Instant now = clock.instant();
        if (now.isAfter(s.touched.plus(s.timeout))) {
            store.subscriptions.remove(id);
            throw new EwsOperations.ItemError("ErrorExpiredSubscription", "The subscription has expired.");
        }
        return s;
    }

    String getEvents(EwsStore.Box box, El op) {
        String id = op.text("SubscriptionId")
                .orElseThrow(() -> new IllegalArgumentException("GetEvents needs SubscriptionId"));
        String wm = op.text("Watermark").orElseThrow(() -> new IllegalArgumentException("GetEvents needs Watermark"));
        Sub s = live(box, id);
        long from = parseWatermark(box, wm);
        if (from < 0) {
            throw new EwsOperations.ItemError("ErrorInvalidWatermark", "The watermark is invalid.");
        }
        s.touched = clock.instant();
        List<EwsStore.Change> after = box.log.stream()
                .filter(c -> c.seq() > from)
                .limit(MAX_EVENTS + 1)
                .toList();
        boolean more = after.size() > MAX_EVENTS;
        StringBuilder n = new StringBuilder("<m:Notification><t:SubscriptionId>")
                .append(id)
                .append("</t:SubscriptionId>")
                .append("<t:PreviousWatermark>")
                .append(wm)
                .append("</t:PreviousWatermark><t:MoreEvents>")
                .append(more)
                .append("</t:MoreEvents>");
        if (after.isEmpty()) {
            n.append("<t:StatusEvent><t:Watermark>")
                    .append(watermark(box, from))
                    .append("</t:Watermark></t:StatusEvent>");
        }
        for (EwsStore.Change c : after.subList(0, Math.min(after.size(), MAX_EVENTS))) {
            String kind = switch (c.kind()) {
                case "Create" -> "CreatedEvent";
                case "Delete" -> "DeletedEvent";
                default -> "ModifiedEvent";
            };
            n.append("<t:")
                    .append(kind)
                    .append("><t:Watermark>")
                    .append(watermark(box, c.seq()))
                    .append("</t:Watermark>")
                    .append("<t:TimeStamp>")
                    .append(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append("</t:TimeStamp><t:ItemId Id=\"")
                    .append(c.itemId())
                    .append("\"/><t:ParentFolderId Id=\"")
                    .append(box.folderId)
                    .append("\"/></t:")
                    .append(kind)
                    .append(">");
        }
        return n.append("</m:Notification>").toString();
    }

    void unsubscribe(EwsStore.Box box, El op) {
        String id = op.text("SubscriptionId")
                .orElseThrow(() -> new IllegalArgumentException("Unsubscribe needs SubscriptionId"));
        live(box, id);
        store.subscriptions.remove(id);
    }
}
