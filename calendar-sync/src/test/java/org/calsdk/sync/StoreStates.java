package org.calsdk.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/** Puts state of every kind into a store, and reads it all back as one comparable value. */
final class StoreStates {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");

    private StoreStates() {}

    /** An integration, two mailboxes, cursors, mappings (app and external), outbox entries and a subscription. */
    static void fill(SyncStateStore store, String tag) {
        store.saveIntegration(Integration.active("team", "memory"));
        for (Mailbox m : List.of(ALICE, BOB)) {
            store.addMailbox("team", m);
            CalendarRef cal = CalendarRef.primary(m);
            store.saveCursor(cal, SyncCursor.of("cursor-" + tag + "-" + m.normalized()));
            store.saveMapping(new EventMapping(
                    cal,
                    "ev-" + tag,
                    EventKey.of("booking-" + tag),
                    "v1",
                    SyncStateStoreContract.event("Booking " + tag)));
            store.saveMapping(new EventMapping(cal, "ext-" + tag, null, "v7", null));
            store.enqueue(OutboxEntry.upsert(
                    cal, EventKey.of("pending-" + tag), SyncStateStoreContract.event("Pending " + tag)));
            store.recordSuccess(m, T0, T0.plus(Duration.ofMinutes(5)));
        }
        store.saveSubscription(new Subscription(
                "sub-" + tag,
                CalendarRef.primary(ALICE),
                "res",
                T0.plusSeconds(3600),
                org.calsdk.auth.Secret.of("state-" + tag)));
    }

    /** Everything the store holds for the integration "team", in a fixed order. */
    static List<Object> snapshot(SyncStateStore store) {
        List<Object> all = new ArrayList<>();
        all.add(store.integrations());
        all.add(store.mailboxes());
        for (MailboxStatus s : store.mailboxes()) {
            CalendarRef cal = CalendarRef.primary(s.mailbox());
            all.add(store.cursor(cal));
            all.add(store.mappings(cal));
            all.add(store.outbox(s.mailbox()));
            all.add(store.subscriptions(s.mailbox()));
        }
        return all;
    }
}
