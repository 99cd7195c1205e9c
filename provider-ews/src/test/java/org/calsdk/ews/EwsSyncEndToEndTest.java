package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.ExternalChange;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncListener;
import org.calsdk.sync.SyncReport;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync over EWS end to end: the sync engine with its H2 store reads alice's calendar through the provider
 * from the fake (initial pass: SyncFolderItems from the start), sees nothing to do while the mailbox is not
 * due, and syncs again at once when the pull subscription's listener hands it a CHANGED signal
 * ({@code push().listen(subs, engine::onSignal)}): the incremental pass brings exactly the new event; an
 * on-demand pass then brings a deletion made elsewhere.
 */
class EwsSyncEndToEndTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");

    @TempDir
    Path dir;

    static Event event(String title, int day) {
        Instant at = Instant.now().plus(Duration.ofDays(day)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(at.atZone(ZoneOffset.UTC)))
                .end(EventTime.of(at.plusSeconds(3600).atZone(ZoneOffset.UTC)))
                .build();
    }

    @Test
    void initialThenSignalledIncrementalPass() throws Exception {
        List<ExternalChange> seen = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void onExternalChange(ExternalChange change) {
                seen.add(change);
            }
        };
        try (FakeEwsServer ews = FakeEwsServer.builder()
                        .serviceAccount("svc", "svc-pw")
                        .mailbox("alice@example.com")
                        .build()
                        .start();
                JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir)) {
            ews.putEvent("alice@example.com", event("standing meeting", 1));
            ews.putEvent("alice@example.com", event("review", 2));
            EwsProvider provider =
                    EwsProvider.builder().pullInterval(Duration.ofMillis(20)).build();
            SyncConnections connections = SyncConnections.of(
                    CalendarProviders.of(provider),
                    (i, m) -> ews.connectionConfig("svc")
                            .setting("impersonation", "true")
                            .setting("mailbox", m.email())
                            .build());
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .listener(listener)
                    .nodeId("ews-e2e")
                    .build()) {
                engine.saveIntegration(Integration.active("acme", "ews"));
                engine.addMailbox("acme", ALICE);

                SyncReport initial = engine.runOnce();
                assertThat(initial.results())
                        .singleElement()
                        .extracting(MailboxSyncResult::outcome)
                        .isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(seen).hasSize(2).allSatisfy(c -> assertThat(c).isInstanceOf(ExternalChange.Created.class));
                java.util.Map<String, String> seenIds = new java.util.HashMap<>();
                for (ExternalChange c : seen) {
                    ExternalChange.Created cr = (ExternalChange.Created) c;
                    seenIds.put(cr.event().summary(), cr.eventId());
                }
                long syncCalls = ews.accounting().calls("SyncFolderItems");

                assertThat(engine.runOnce().results())
                        .as("not due, no signal: nothing synced")
                        .isEmpty();
                assertThat(ews.accounting().calls("SyncFolderItems")).isEqualTo(syncCalls);

                CountDownLatch signalled = new CountDownLatch(1);
                try (CalendarConnection alice = provider.connect(ews.connectionConfig("svc")
                        .setting("impersonation", "true")
                        .setting("mailbox", ALICE.email())
                        .build())) {
                    Subscription sub = alice.push()
                            .subscribe(
                                    CalendarRef.primary(ALICE),
                                    new SubscriptionRequest(null, Secret.of("x"), Duration.ofHours(1)));
                    try (AutoCloseable l = alice.push().listen(List.of(sub), (ChangeSignal s) -> {
                        engine.onSignal(s);
                        signalled.countDown();
                    })) {
                        ews.putEvent("alice@example.com", event("added elsewhere", 3));
                        assertThat(signalled.await(10, TimeUnit.SECONDS))
                                .as("the pull listener signalled")
                                .isTrue();
                    }
                }
                seen.clear();
                SyncReport pushed = engine.runOnce();
                assertThat(pushed.results())
                        .as("the signal made the mailbox due")
                        .singleElement()
                        .extracting(MailboxSyncResult::outcome)
                        .isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(seen)
                        .singleElement()
                        .isInstanceOfSatisfying(
                                ExternalChange.Created.class,
                                c -> assertThat(c.event().summary()).isEqualTo("added elsewhere"));
                assertThat(ews.accounting().calls("SyncFolderItems"))
                        .as("one incremental SyncFolderItems")
                        .isEqualTo(syncCalls + 1);

                // an on-demand incremental pass sees a change and a deletion made elsewhere
                String reviewId = seenIds.get("review");
                try (CalendarConnection alice = provider.connect(ews.connectionConfig("svc")
                        .setting("impersonation", "true")
                        .setting("mailbox", ALICE.email())
                        .build())) {
                    alice.writer().delete(CalendarRef.primary(ALICE), reviewId, null);
                }
                seen.clear();
                assertThat(engine.syncMailbox(ALICE).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(seen)
                        .singleElement()
                        .isInstanceOfSatisfying(
                                ExternalChange.Deleted.class,
                                d -> assertThat(d.eventId()).isEqualTo(reviewId));
            }
        }
    }
}
