package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: one email connected through two integrations (the organization's and the person's own, two
 * providers) is two mailboxes, synced independently: cursors, mappings, outbox and leases apart; removing one
 * integration leaves the other; calls that name the email alone are refused while it is ambiguous.
 */
class OneEmailTwoIntegrationsTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final MailboxRef AT_ORG = MailboxRef.of("org", ALICE);
    static final MailboxRef AT_HOME = MailboxRef.of("personal", ALICE);

    @TempDir
    Path dir;

    static Event event(String title, int day) {
        Instant start = Instant.parse("2026-03-09T12:00:00Z").plus(Duration.ofDays(day));
        return Event.builder()
                .summary(title)
                .start(EventTime.utc(start))
                .end(EventTime.utc(start.plusSeconds(3600)))
                .build();
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "h2"})
    void theSameEmailInTwoIntegrationsSyncsAsTwoMailboxes(String kind) throws Exception {
        SyncStateStore store = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        HostRecorder host = new HostRecorder();
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public SyncListener inIntegration(String integration) { // the host learns which integration each pass is of
                return new SyncListener() {
                    @Override
                    public void onExternalChange(ExternalChange change) {
                        host.onExternalChange(change);
                        if (change instanceof ExternalChange.Created c) {
                            seen.add(integration + ":" + c.event().summary());
                        }
                    }

                    @Override
                    public void onPushed(OutboxEntry entry, Event stored) {
                        host.onPushed(entry, stored);
                        seen.add(integration + ":pushed " + entry.key().value());
                    }
                };
            }
        };
        try (store;
                InMemoryCalendarService work = InMemoryCalendarService.builder().build();
                InMemoryCalendarService home = InMemoryCalendarService.builder().build();
                SyncEngine engine = SyncEngine.builder()
                        .store(store)
                        .connections((i, m) -> i.name().equals("org") ? work.connect(m) : home.connect(m))
                        .listener(listener)
                        .clock(new MutableClock(T0))
                        .build()) {
            work.addUser(ALICE, "Alice");
            home.addUser(ALICE, "Alice");
            work.connect(ALICE).writer().create(CAL, EventKey.of("standup"), event("Standup", 0));
            home.connect(ALICE).writer().create(CAL, EventKey.of("dentist"), event("Dentist", 1));
            engine.saveIntegration(Integration.active("org", "memory"));
            engine.saveIntegration(Integration.active("personal", "memory"));
            engine.addMailbox("org", ALICE);
            engine.addMailbox("personal", ALICE);

            List<MailboxSyncResult> first = engine.runOnce().results();
            assertThat(first)
                    .extracting(MailboxSyncResult::outcome)
                    .containsExactly(MailboxSyncResult.Outcome.OK, MailboxSyncResult.Outcome.OK);
            // each result names the integration it belongs to: the two results of one email are told apart
            assertThat(first).extracting(MailboxSyncResult::integration).containsExactlyInAnyOrder("org", "personal");
            assertThat(first)
                    .extracting(MailboxSyncResult::label)
                    .containsExactlyInAnyOrder("alice@example.com (org)", "alice@example.com (personal)");
            assertThat(host.externalLog)
                    .extracting(c -> ((ExternalChange.Created) c).event().summary())
                    .containsExactlyInAnyOrder("Standup", "Dentist");
            assertThat(seen).containsExactlyInAnyOrder("org:Standup", "personal:Dentist");
            SyncStateStore atOrg = store.inIntegration("org");
            SyncStateStore atHome = store.inIntegration("personal");
            SyncCursor orgCursor = atOrg.cursor(CAL);
            assertThat(orgCursor.isStart()).isFalse();
            assertThat(atHome.cursor(CAL).isStart()).isFalse();
            assertThat(atOrg.mappings(CAL)).hasSize(1);
            assertThat(atHome.mappings(CAL)).hasSize(1);
            assertThat(engine.mailboxes())
                    .extracting(MailboxStatus::integration)
                    .containsExactly("org", "personal");

            // the old, email-only forms are refused while the email is in two integrations, naming both
            assertThatThrownBy(() -> engine.syncMailbox(ALICE))
                    .isInstanceOf(AmbiguousMailboxException.class)
                    .hasMessageContaining("[org, personal]");
            assertThatThrownBy(() -> engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("x"), event("X", 2))))
                    .isInstanceOf(AmbiguousMailboxException.class);
            assertThatThrownBy(() -> engine.syncNow(ALICE)).isInstanceOf(AmbiguousMailboxException.class);
            assertThatThrownBy(() -> engine.removeMailbox(ALICE)).isInstanceOf(AmbiguousMailboxException.class);
            assertThatThrownBy(() -> store.outbox(ALICE)).isInstanceOf(AmbiguousMailboxException.class);

            // a push to one integration goes to its provider only, and its mapping stays in that integration
            engine.enqueue("personal", OutboxEntry.upsert(CAL, EventKey.of("booking"), event("Booking", 3)));
            assertThat(engine.mailbox(AT_HOME).pendingPushes()).isEqualTo(1);
            assertThat(engine.mailbox(AT_ORG).pendingPushes()).isZero();
            assertThat(engine.runOnce().results())
                    .extracting(r -> MailboxRef.of(r.integration(), r.mailbox()))
                    .containsExactly(AT_HOME);
            assertThat(host.pushed).extracting(OutboxEntry::key).containsExactly(EventKey.of("booking"));
            assertThat(seen).contains("personal:pushed booking");
            assertThat(atHome.mappingByKey(CAL, EventKey.of("booking"))).isPresent();
            assertThat(atOrg.mappingByKey(CAL, EventKey.of("booking"))).isEmpty();
            assertThat(work.connect(ALICE).reader().listAll(CAL, TimeWindow.of(T0, T0.plus(Duration.ofDays(30)))))
                    .extracting(e -> e.summary())
                    .containsExactly("Standup");
            assertThat(home.connect(ALICE).reader().listAll(CAL, TimeWindow.of(T0, T0.plus(Duration.ofDays(30)))))
                    .extracting(e -> e.summary())
                    .containsExactlyInAnyOrder("Dentist", "Booking");

            // leases are per integration: a pass held on the org's mailbox does not block the personal one
            MailboxLease held = atOrg.acquireLease(ALICE, "other-node#pass", T0, Duration.ofHours(1))
                    .orElseThrow();
            assertThat(held.integration()).isEqualTo("org");
            MailboxSyncResult busy = engine.syncMailbox(AT_ORG);
            assertThat(busy.outcome()).isEqualTo(MailboxSyncResult.Outcome.BUSY);
            assertThat(busy.integration()).isEqualTo("org");
            assertThat(engine.syncMailbox(AT_HOME).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
            atOrg.releaseLease(held);
            assertThat(engine.syncMailbox(AT_ORG).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
            assertThat(atOrg.cursor(CAL))
                    .as("no change at the org: same cursor")
                    .isEqualTo(orgCursor);

            // removing the org's integration leaves the personal mailbox as it was; the email is unambiguous again
            assertThat(engine.deleteIntegration("org", true).removed()).isTrue();
            assertThat(engine.mailboxes())
                    .extracting(MailboxStatus::integration)
                    .containsExactly("personal");
            assertThat(store.mappingByKey(CAL, EventKey.of("booking"))).isPresent();
            assertThat(store.mappings(CAL)).hasSize(2);
            MailboxSyncResult unqualified = engine.syncMailbox(ALICE);
            assertThat(unqualified.outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
            assertThat(unqualified.integration())
                    .as("an email-only pass names the integration it found")
                    .isEqualTo("personal");
        }
    }
}
