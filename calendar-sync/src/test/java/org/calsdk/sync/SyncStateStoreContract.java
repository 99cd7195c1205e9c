package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link SyncStateStore} keeps; each implementation runs it through a small subclass. */
abstract class SyncStateStoreContract {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Mailbox ALICE = Mailbox.of("Alice@Example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");

    SyncStateStore store;

    /** A fresh, empty store. */
    abstract SyncStateStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
        store.saveIntegration(Integration.active("team", "memory"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Event event(String title) {
        ZonedDateTime s = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        return Event.builder()
                .summary(title)
                .description("desc ü")
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusHours(1)))
                .organizer(Organizer.of(ALICE))
                .attendee(Attendee.required(BOB))
                .recurrence(Recurrence.rule("FREQ=WEEKLY;COUNT=3"))
                .property("x", "y")
                .build();
    }

    @Test
    void integrationsAreSavedReplacedAndListed() {
        store.saveIntegration(Integration.active("other", "caldav"));
        store.saveIntegration(Integration.active("team", "memory").withStatus(Integration.Status.INACTIVE));
        assertThat(store.integration("team")).contains(new Integration("team", "memory", Integration.Status.INACTIVE));
        assertThat(store.integrations()).extracting(Integration::name).containsExactly("other", "team");
        assertThat(store.integration("nope")).isEmpty();
    }

    @Test
    void mailboxesMatchCaseInsensitivelyWithinTheirIntegration() {
        store.addMailbox("team", ALICE);
        store.addMailbox("team", Mailbox.of("alice@EXAMPLE.com"));
        assertThat(store.mailboxes()).hasSize(1);
        MailboxStatus s = store.mailbox(Mailbox.of("ALICE@example.com")).orElseThrow();
        assertThat(s.enabled()).isTrue();
        assertThat(s.connected()).isTrue();
        assertThat(s.lastSyncAt()).isNull();
        store.saveIntegration(Integration.active("other", "caldav"));
        store.addMailbox("other", ALICE);
        assertThat(store.mailboxes()).extracting(MailboxStatus::integration).containsExactly("other", "team");
        assertThat(store.inIntegration("team")
                        .mailbox(Mailbox.of("ALICE@example.com"))
                        .orElseThrow()
                        .integration())
                .isEqualTo("team");
        assertThat(store.inIntegration("nope").mailbox(ALICE)).isEmpty();
        assertThatThrownBy(() -> store.addMailbox("missing", BOB)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.setEnabled(BOB, false)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.inIntegration("other").setEnabled(BOB, false))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'other'");
    }

    @Test
    void anEmailInTwoIntegrationsIsRefusedWhereTheCallDoesNotSayWhich() {
        store.saveIntegration(Integration.active("personal", "icloud"));
        store.addMailbox("team", ALICE);
        store.addMailbox("personal", ALICE);
        CalendarRef cal = CalendarRef.of(ALICE, "work");
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> store.mailbox(ALICE),
                () -> store.setEnabled(ALICE, false),
                () -> store.requestSync(ALICE),
                () -> store.recordSuccess(ALICE, T0, T0),
                () -> store.acquireLease(ALICE, "n#1", T0, Duration.ofMinutes(1)),
                () -> store.cursor(cal),
                () -> store.saveCursor(cal, SyncCursor.of("c")),
                () -> store.mappings(cal),
                () -> store.enqueue(OutboxEntry.upsert(cal, EventKey.of("k"), event("x"))),
                () -> store.outbox(ALICE),
                () -> store.subscriptions(ALICE),
                () -> store.removeMailbox(ALICE));
        for (var call : calls) {
            assertThatThrownBy(call)
                    .isInstanceOf(AmbiguousMailboxException.class)
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("[personal, team]")
                    .satisfies(e -> assertThat(((AmbiguousMailboxException) e).integrations())
                            .containsExactly("personal", "team"));
        }
        assertThat(store.mailboxes()).hasSize(2);
        assertThat(store.inIntegration("team").mailbox(ALICE).orElseThrow().enabled())
                .isTrue();
    }

    @Test
    void anEmailInTwoIntegrationsHasTwoSeparateStates() {
        store.saveIntegration(Integration.active("personal", "icloud"));
        store.addMailbox("team", ALICE);
        store.addMailbox("personal", ALICE);
        SyncStateStore team = store.inIntegration("team");
        SyncStateStore personal = store.inIntegration("personal");
        CalendarRef cal = CalendarRef.of(ALICE, "primary");
        team.saveCursor(cal, SyncCursor.of("team-cursor"));
        personal.saveCursor(cal, SyncCursor.of("personal-cursor"));
        team.saveMapping(EventMapping.app(cal, "ev-team", EventKey.of("k"), "v1", null));
        personal.saveMapping(EventMapping.app(cal, "ev-personal", EventKey.of("k"), "v2", null));
        long t = store.enqueue("team", OutboxEntry.upsert(cal, EventKey.of("k"), event("for team")));
        long p = personal.enqueue(OutboxEntry.upsert(cal, EventKey.of("k"), event("for personal")));
        team.saveSubscription(new Subscription("sub-team", cal, null, T0.plusSeconds(600), SECRET));

        assertThat(team.cursor(cal)).isEqualTo(SyncCursor.of("team-cursor"));
        assertThat(personal.cursor(cal)).isEqualTo(SyncCursor.of("personal-cursor"));
        assertThat(team.mappingByKey(cal, EventKey.of("k")).orElseThrow().eventId())
                .isEqualTo("ev-team");
        assertThat(personal.mappingByKey(cal, EventKey.of("k")).orElseThrow().eventId())
                .isEqualTo("ev-personal");
        assertThat(store.appMappings("personal"))
                .extracting(EventMapping::eventId)
                .containsExactly("ev-personal");
        assertThat(team.outbox(ALICE)).extracting(OutboxEntry::id).containsExactly(t);
        assertThat(personal.outbox(ALICE)).extracting(OutboxEntry::id).containsExactly(p);
        assertThat(team.mailbox(ALICE).orElseThrow().pendingPushes()).isEqualTo(1);
        assertThat(team.subscriptions(ALICE)).hasSize(1);
        assertThat(personal.subscriptions(ALICE)).isEmpty();
        assertThat(store.subscriptionById("team", "sub-team")).isPresent();
        assertThat(store.subscriptionById("personal", "sub-team")).isEmpty();

        // leases: one per (integration, mailbox); claims say which integration they hold
        Duration hour = Duration.ofHours(1);
        List<SyncStateStore.Claim> claims = store.claimDue("node-1#a", T0, 10, hour);
        assertThat(claims).extracting(c -> c.lease().integration()).containsExactlyInAnyOrder("team", "personal");
        assertThat(store.dueMailboxRefs(T0, 10)).isEmpty();
        MailboxLease teamLease = claims.stream()
                .filter(c -> c.lease().integration().equals("team"))
                .findFirst()
                .orElseThrow()
                .lease();
        assertThat(claims.stream()
                        .filter(c -> c.status().integration().equals("team"))
                        .findFirst()
                        .orElseThrow()
                        .status()
                        .pendingPushes())
                .isEqualTo(1);
        SyncStateStore fenced = store.fencedBy(teamLease);
        fenced.saveCursor(cal, SyncCursor.of("team-2"));
        fenced.recordSuccess(ALICE, T0, T0.plusSeconds(300));
        assertThat(team.cursor(cal)).isEqualTo(SyncCursor.of("team-2"));
        assertThat(personal.cursor(cal)).isEqualTo(SyncCursor.of("personal-cursor"));
        assertThat(team.mailbox(ALICE).orElseThrow().lastSyncAt()).isEqualTo(T0);
        assertThat(personal.mailbox(ALICE).orElseThrow().lastSyncAt()).isNull();
        assertThat(store.finishPasses(claims.stream()
                        .map(c -> SyncStateStore.PassEnd.release(c.lease()))
                        .toList()))
                .hasSize(2);
        assertThat(store.holdsLease(teamLease)).isFalse();

        // removing one integration's mailbox, then the integration, leaves the other's state as it was
        team.removeMailbox(ALICE);
        assertThat(personal.cursor(cal)).isEqualTo(SyncCursor.of("personal-cursor"));
        store.addMailbox("team", ALICE);
        team.saveCursor(cal, SyncCursor.of("again"));
        store.deleteIntegration("team");
        assertThat(store.mailbox(ALICE).orElseThrow().integration())
                .as("no longer ambiguous")
                .isEqualTo("personal");
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("personal-cursor"));
        assertThat(store.outbox(ALICE)).extracting(OutboxEntry::id).containsExactly(p);
        assertThat(store.mappingByKey(cal, EventKey.of("k")).orElseThrow().eventId())
                .isEqualTo("ev-personal");
    }

    @Test
    void statusRecordsSuccessErrorsAndDisconnection() {
        store.addMailbox("team", ALICE);
        store.recordError(ALICE, "boom", T0, T0.plusSeconds(60));
        store.recordError(ALICE, "boom", T0, T0.plusSeconds(60));
        assertThat(store.mailbox(ALICE).orElseThrow().lastError()).isEqualTo("boom");
        assertThat(store.mailbox(ALICE).orElseThrow().failures()).isEqualTo(2);
        store.recordSuccess(ALICE, T0.plusSeconds(5), T0.plusSeconds(300));
        MailboxStatus s = store.mailbox(ALICE).orElseThrow();
        assertThat(s.lastSyncAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(s.lastError()).isNull();
        assertThat(s.failures()).isZero();
        store.markDisconnected(ALICE, "token revoked", "https://relink", T0);
        s = store.mailbox(ALICE).orElseThrow();
        assertThat(s.connected()).isFalse();
        assertThat(s.relinkUrl()).isEqualTo("https://relink");
        assertThat(store.dueMailboxes(T0.plusSeconds(1000), 10)).isEmpty();
        store.markConnected(ALICE);
        assertThat(store.dueMailboxes(T0, 10)).containsExactly(ALICE);
    }

    @Test
    void aPassThatSkippedEventsIsASuccessShowingTheProblem() {
        store.addMailbox("team", ALICE);
        store.recordError(ALICE, "boom", T0, T0.plusSeconds(60));
        store.recordSuccessWithProblem(ALICE, T0.plusSeconds(5), T0.plusSeconds(300), "event /a.ics skipped: too big");
        MailboxStatus s = store.mailbox(ALICE).orElseThrow();
        assertThat(s.lastSyncAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(s.lastError()).isEqualTo("event /a.ics skipped: too big");
        assertThat(s.lastErrorAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(s.failures()).isZero();
        assertThat(s.nextSyncAt()).isEqualTo(T0.plusSeconds(300));
        store.recordSuccess(ALICE, T0.plusSeconds(400), T0.plusSeconds(700));
        assertThat(store.mailbox(ALICE).orElseThrow().lastError()).isNull();
    }

    @Test
    void dueMailboxesHonourScheduleEnabledIntegrationAndLeases() {
        store.addMailbox("team", ALICE);
        store.addMailbox("team", BOB);
        store.recordSuccess(ALICE, T0, T0.plusSeconds(300));
        store.recordSuccess(BOB, T0, T0.plusSeconds(100));
        assertThat(store.dueMailboxes(T0.plusSeconds(50), 10)).isEmpty();
        assertThat(store.dueMailboxes(T0.plusSeconds(400), 10)).containsExactly(BOB, ALICE);
        assertThat(store.dueMailboxes(T0.plusSeconds(400), 1)).containsExactly(BOB);
        store.setEnabled(BOB, false);
        assertThat(store.dueMailboxes(T0.plusSeconds(400), 10)).containsExactly(ALICE);
        store.setEnabled(BOB, true);
        store.requestSync(ALICE);
        assertThat(store.dueMailboxes(T0, 10)).containsExactlyInAnyOrder(ALICE, BOB);
        Duration hour = Duration.ofHours(1);
        MailboxLease first = store.acquireLease(ALICE, "node-1", T0, hour).orElseThrow();
        assertThat(store.acquireLease(ALICE, "node-2", T0.plusSeconds(10), hour))
                .isEmpty();
        // the same owner does not take a held lease a second time: renewing is renewLease
        assertThat(store.acquireLease(ALICE, "node-1", T0.plusSeconds(10), hour))
                .isEmpty();
        assertThat(store.dueMailboxes(T0, 10)).containsExactly(BOB);
        assertThat(store.holdsLease(first)).isTrue();
        // renewed for no time: it expires at once (database stores count on their own clock)
        assertThat(store.renewLease(first, T0.plusSeconds(20), Duration.ZERO)).isTrue();
        assertThat(store.holdsLease(first)).isTrue(); // expired, but nobody took it
        MailboxLease second =
                store.acquireLease(ALICE, "node-2", T0.plusSeconds(20), hour).orElseThrow();
        assertThat(second.generation()).isGreaterThan(first.generation());
        assertThat(store.holdsLease(first)).isFalse();
        assertThat(store.renewLease(first, T0.plusSeconds(21), hour)).isFalse();
        store.releaseLease(first); // not the holder: no effect
        assertThat(store.acquireLease(ALICE, "node-3", T0.plusSeconds(22), hour))
                .isEmpty();
        store.releaseLease(second);
        assertThat(store.holdsLease(second)).isFalse();
        MailboxLease third =
                store.acquireLease(ALICE, "node-3", T0.plusSeconds(23), hour).orElseThrow();
        assertThat(third.generation()).isGreaterThan(second.generation());
        store.saveIntegration(Integration.active("team", "memory").withStatus(Integration.Status.INACTIVE));
        assertThat(store.dueMailboxes(T0.plusSeconds(9999), 10)).isEmpty();
        assertThat(store.acquireLease(Mailbox.of("gone@example.com"), "node-1", T0, Duration.ofSeconds(30)))
                .isEmpty();
    }

    @Test
    void aFencedViewWritesNothingOnceItsLeaseWasTaken() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        MailboxLease stalled =
                store.acquireLease(ALICE, "node-1#a", T0, Duration.ZERO).orElseThrow(); // expires at once
        SyncStateStore fenced = store.fencedBy(stalled);
        fenced.saveCursor(cal, SyncCursor.of("c1")); // expired but not taken: still this pass's
        MailboxLease taker = store.acquireLease(ALICE, "node-2#b", T0.plusSeconds(1), Duration.ofHours(1))
                .orElseThrow();
        assertThatThrownBy(() -> fenced.saveCursor(cal, SyncCursor.of("c2"))).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> fenced.recordSuccess(ALICE, T0, T0.plusSeconds(300)))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> fenced.saveMapping(new EventMapping(cal, "e1", null, "v1", null)))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> fenced.enqueue(OutboxEntry.delete(cal, EventKey.of("k1"))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> fenced.writePage(new SyncStateStore.PageWrites(
                        cal, List.of(new EventMapping(cal, "e2", null, "v1", null)), List.of(), SyncCursor.of("c9"))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> fenced.completePush(1, new EventMapping(cal, "e3", null, "v1", null)))
                .isInstanceOf(LeaseLostException.class);
        assertThat(fenced.renewLease(stalled, T0.plusSeconds(2), Duration.ofHours(1)))
                .isFalse();
        // nothing of the stalled pass's late writes is there; reads still work through the view
        assertThat(fenced.cursor(cal)).isEqualTo(SyncCursor.of("c1"));
        assertThat(store.mappings(cal)).isEmpty();
        assertThat(store.outbox(ALICE)).isEmpty();
        assertThat(store.mailbox(ALICE).orElseThrow().lastSyncAt()).isNull();
        store.fencedBy(taker).saveCursor(cal, SyncCursor.of("c3"));
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("c3"));
        fenced.close(); // a view: the store stays open
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("c3"));
    }

    @Test
    void aPendingWriteLivesWithItsMappingAndIsSettledWithThePushOutcome() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        EventKey key = EventKey.of("booking-1");
        store.saveMapping(EventMapping.app(cal, "ev-1", key, "v1", event("Before")));
        assertThatThrownBy(() ->
                        store.savePendingWrite(new SyncStateStore.PendingWrite(cal, "no-such-event", "v1", event("X"))))
                .isInstanceOf(org.calsdk.errors.NotFoundException.class);

        store.savePendingWrite(new SyncStateStore.PendingWrite(cal, "ev-1", "v1", event("Written")));
        SyncStateStore.PendingWrite kept = store.pendingWrite(cal, "ev-1").orElseThrow();
        assertThat(kept.version()).isEqualTo("v1");
        assertThat(kept.written()).isEqualTo(event("Written"));
        assertThat(store.mappings(cal))
                .as("no row of its own")
                .extracting(EventMapping::eventId)
                .containsExactly("ev-1");
        assertThat(store.mappingIds(cal)).containsExactly("ev-1");
        assertThat(store.mappingByKey(cal, key).orElseThrow().base()).isEqualTo(event("Before"));

        // the push's outcome: the new mapping and the entry's removal in one step, which settles the record
        long id = store.enqueue(OutboxEntry.upsert(cal, key, event("Written")));
        store.completePush(id, EventMapping.app(cal, "ev-1", key, "v2", event("Written")));
        assertThat(store.pendingWrite(cal, "ev-1")).isEmpty();
        assertThat(store.outbox(ALICE)).isEmpty();
        assertThat(store.mappingByKey(cal, key).orElseThrow().version()).isEqualTo("v2");

        // a later save of the mapping, or its deletion, drops a record too
        store.savePendingWrite(new SyncStateStore.PendingWrite(cal, "ev-1", "v2", event("Again")));
        store.saveMapping(EventMapping.app(cal, "ev-1", key, "v3", event("Calendar's")));
        assertThat(store.pendingWrite(cal, "ev-1")).isEmpty();
        store.savePendingWrite(new SyncStateStore.PendingWrite(cal, "ev-1", "v3", event("Again")));
        store.deleteMapping(cal, "ev-1");
        assertThat(store.pendingWrite(cal, "ev-1")).isEmpty();
        store.saveMapping(EventMapping.app(cal, "ev-1", key, "v4", null));
        assertThat(store.pendingWrite(cal, "ev-1"))
                .as("a mapping made again starts clean")
                .isEmpty();

        // an outcome with no mapping (an answer, a dropped change) only removes the entry
        long other = store.enqueue(OutboxEntry.delete(cal, EventKey.of("k2")));
        store.completePush(other, null);
        assertThat(store.outbox(ALICE)).isEmpty();
    }

    @Test
    void aPageOfMappingsIsWrittenWithItsCursor() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        store.saveMapping(new EventMapping(cal, "old", null, "v1", null));
        store.saveMapping(new EventMapping(cal, "kept", null, "v1", null));
        store.saveMapping(EventMapping.app(cal, "app-1", EventKey.of("k1"), "v1", event("Mine")));
        store.savePendingWrite(new SyncStateStore.PendingWrite(cal, "kept", "v1", event("W")));
        List<EventMapping> saved = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            saved.add(new EventMapping(cal, "new-" + i, null, "v" + i, i == 0 ? event("Shape") : null));
        }
        saved.add(new EventMapping(cal, "kept", null, "v2", null));
        saved.add(EventMapping.app(cal, "app-1", EventKey.of("k1"), "v2", event("Mine, moved")));
        store.writePage(new SyncStateStore.PageWrites(cal, saved, List.of("old", "never-there"), SyncCursor.of("p2")));

        assertThat(store.mappingIds(cal))
                .hasSize(302)
                .contains("kept", "app-1", "new-0", "new-299")
                .doesNotContain("old");
        assertThat(store.mappingByEventId(cal, "new-0").orElseThrow().base()).isEqualTo(event("Shape"));
        assertThat(store.mappingByEventId(cal, "kept").orElseThrow().version()).isEqualTo("v2");
        assertThat(store.pendingWrite(cal, "kept"))
                .as("a saved mapping settles its record")
                .isEmpty();
        assertThat(store.mappingByKey(cal, EventKey.of("k1")).orElseThrow().version())
                .isEqualTo("v2");
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("p2"));

        // without a cursor the stored one stays; an empty page writes nothing
        store.writePage(new SyncStateStore.PageWrites(cal, List.of(), List.of("kept"), null));
        store.writePage(new SyncStateStore.PageWrites(cal, List.of(), List.of(), null));
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("p2"));
        assertThat(store.mappingByEventId(cal, "kept")).isEmpty();
    }

    @Test
    void aRenewalRequestBringsTheExpiryForwardForThatSubscriptionOnly() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        Subscription sub =
                new Subscription("sub-1", cal, null, T0.plus(Duration.ofDays(2)), org.calsdk.auth.Secret.of("s3cret"));
        store.saveSubscription(sub);
        store.requestRenewal(cal, "another-sub", T0.plusSeconds(60));
        assertThat(store.subscription(cal).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(2)));
        store.requestRenewal(cal, "sub-1", T0.plus(Duration.ofHours(6)));
        Subscription marked = store.subscription(cal).orElseThrow();
        assertThat(marked.id()).isEqualTo("sub-1");
        assertThat(marked.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(6)));
        assertThat(marked.matchesClientState("s3cret"))
                .as("the same subscription, secret kept")
                .isTrue();
        store.requestRenewal(cal, null, T0.plus(Duration.ofDays(9)));
        assertThat(store.subscription(cal).orElseThrow().expiresAt())
                .as("never pushed later")
                .isEqualTo(T0.plus(Duration.ofHours(6)));
    }

    @Test
    void cursorsArePerCalendar() {
        store.addMailbox("team", ALICE);
        CalendarRef a = CalendarRef.primary(ALICE);
        CalendarRef b = CalendarRef.of(ALICE, "work");
        assertThat(store.cursor(a)).isEqualTo(SyncCursor.START);
        store.saveCursor(a, SyncCursor.of("c1"));
        store.saveCursor(a, SyncCursor.of("c2"));
        store.saveCursor(b, SyncCursor.of("x".repeat(5000)));
        assertThat(store.cursor(CalendarRef.primary(Mailbox.of("alice@example.com"))))
                .isEqualTo(SyncCursor.of("c2"));
        assertThat(store.cursor(b).value()).hasSize(5000);
    }

    @Test
    void mappingsFindByKeyAndIdAndKeepTheBaseExactly() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        Event base = event("Interview");
        store.saveMapping(EventMapping.app(cal, "ev-1", EventKey.of("k1"), "v1", base));
        store.saveMapping(EventMapping.external(cal, "ext-1", "e1"));
        EventMapping m = store.mappingByKey(cal, EventKey.of("k1")).orElseThrow();
        assertThat(m.eventId()).isEqualTo("ev-1");
        assertThat(m.base()).isEqualTo(base);
        assertThat(store.mappingByEventId(cal, "ext-1").orElseThrow().isAppEvent())
                .isFalse();
        store.saveMapping(m.withVersion("v2", base.toBuilder().summary("Moved").build()));
        assertThat(store.mappingByEventId(cal, "ev-1").orElseThrow().version()).isEqualTo("v2");
        // a key remapped to another event id keeps one mapping per key
        store.saveMapping(EventMapping.app(cal, "ev-9", EventKey.of("k1"), "v9", base));
        assertThat(store.mappings(cal)).extracting(EventMapping::eventId).containsExactlyInAnyOrder("ev-9", "ext-1");
        assertThat(store.mappingIds(cal)).as("the ids alone").containsExactlyInAnyOrder("ev-9", "ext-1");
        assertThat(store.appMappings("team")).extracting(EventMapping::eventId).containsExactly("ev-9");
        store.deleteMapping(cal, "ev-9");
        assertThat(store.mappingByKey(cal, EventKey.of("k1"))).isEmpty();
        assertThatThrownBy(() -> store.saveMapping(EventMapping.external(CalendarRef.primary(BOB), "x", null)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void outboxReplacesPendingEntriesAndRetriesAndFails() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        long a = store.enqueue(OutboxEntry.upsert(cal, EventKey.of("k1"), event("v1")));
        long b = store.enqueue(OutboxEntry.upsert(cal, EventKey.of("k2"), event("other")));
        long c = store.enqueue(OutboxEntry.upsert(cal, EventKey.of("k1"), event("v2")));
        assertThat(c).isNotEqualTo(a);
        List<OutboxEntry> due = store.dueOutbox(ALICE, T0, 10);
        assertThat(due).extracting(OutboxEntry::id).containsExactly(b, c);
        assertThat(due.get(1).event()).isEqualTo(event("v2"));
        store.retryOutbox(b, 1, T0.plusSeconds(30), "503");
        assertThat(store.dueOutbox(ALICE, T0, 10)).extracting(OutboxEntry::id).containsExactly(c);
        assertThat(store.dueOutbox(ALICE, T0.plusSeconds(30), 10))
                .extracting(OutboxEntry::id)
                .containsExactly(b, c);
        store.recordSuccess(ALICE, T0, T0.plusSeconds(3600));
        assertThat(store.dueMailboxes(T0, 10))
                .as("outbox entries make a mailbox due")
                .containsExactly(ALICE);
        store.failOutbox(c, "invalid");
        store.completeOutbox(b);
        assertThat(store.dueOutbox(ALICE, T0.plusSeconds(60), 10)).isEmpty();
        assertThat(store.outbox(ALICE)).singleElement().satisfies(e -> {
            assertThat(e.failed()).isTrue();
            assertThat(e.lastError()).isEqualTo("invalid");
        });
        assertThat(store.mailbox(ALICE).orElseThrow().pendingPushes()).isZero();
        long d = store.enqueue(OutboxEntry.delete(cal, EventKey.of("k3")));
        assertThat(store.dueOutbox(ALICE, T0, 10)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(d);
            assertThat(e.operation()).isEqualTo(OutboxEntry.Operation.DELETE);
            assertThat(e.event()).isNull();
        });
        assertThatThrownBy(() -> store.enqueue(OutboxEntry.delete(CalendarRef.primary(BOB), EventKey.of("k"))))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingAnIntegrationRemovesEverythingOfIt() {
        store.saveIntegration(Integration.active("other", "caldav"));
        store.addMailbox("team", ALICE);
        store.addMailbox("other", BOB);
        CalendarRef a = CalendarRef.primary(ALICE);
        CalendarRef b = CalendarRef.primary(BOB);
        store.saveCursor(a, SyncCursor.of("c"));
        store.saveMapping(EventMapping.app(a, "ev", EventKey.of("k"), "v", null));
        store.saveMapping(EventMapping.app(b, "ev", EventKey.of("k"), "v", null));
        store.enqueue(OutboxEntry.delete(a, EventKey.of("k")));
        store.deleteIntegration("team");
        assertThat(store.integration("team")).isEmpty();
        assertThat(store.mailboxes()).extracting(MailboxStatus::mailbox).containsExactly(BOB);
        assertThat(store.appMappings("team")).isEmpty();
        assertThat(store.appMappings("other")).hasSize(1);
        store.saveIntegration(Integration.active("team", "memory"));
        store.addMailbox("team", ALICE);
        assertThat(store.cursor(a)).isEqualTo(SyncCursor.START);
        assertThat(store.mappings(a)).isEmpty();
        assertThat(store.outbox(ALICE)).isEmpty();
    }

    private static final org.calsdk.auth.Secret SECRET = org.calsdk.auth.Secret.of("s3cret");

    @Test
    void anEndedSubscriptionIsMarkedExpiredNotDeletedAndOnlyWhileItHasThatId() {
        store.addMailbox("team", ALICE);
        CalendarRef cal = CalendarRef.primary(ALICE);
        org.calsdk.auth.Secret secret = org.calsdk.auth.Secret.of("s3cret-client-state");
        store.saveSubscription(new Subscription("sub-1", cal, "res-1", T0.plus(Duration.ofHours(12)), secret));
        store.endSubscription(cal, "sub-0"); // about an older one: the current one stays live
        assertThat(store.subscription(cal).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofHours(12)));
        store.endSubscription(cal, "sub-1");
        Subscription ended = store.subscription(cal).orElseThrow();
        assertThat(ended.id()).isEqualTo("sub-1");
        assertThat(ended.expiresAt()).isEqualTo(Instant.EPOCH);
        assertThat(store.subscriptionById("team", "sub-1")).isPresent(); // its notifications still verify
        store.saveSubscription(new Subscription("sub-2", cal, "res-2", T0.plus(Duration.ofHours(24)), secret));
        store.endSubscription(cal, "sub-1"); // the pass replaced it already: left alone
        assertThat(store.subscription(cal).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        store.endSubscription(cal, null); // any id
        assertThat(store.subscription(cal).orElseThrow().expiresAt()).isEqualTo(Instant.EPOCH);
        store.endSubscription(CalendarRef.of(ALICE, "other"), null); // none there: nothing happens
    }

    @Test
    void seizingAnIntegrationsLeasesFencesEveryPassOnItsMailboxes() {
        store.addMailbox("team", ALICE);
        store.addMailbox("team", BOB);
        MailboxLease running =
                store.acquireLease(ALICE, "node-1#a", T0, Duration.ofHours(1)).orElseThrow();
        assertThat(store.seizeLeases("team", "node-2#removal", T0, Duration.ofHours(1)))
                .isEqualTo(2);
        assertThat(store.holdsLease(running)).isFalse();
        assertThatThrownBy(() -> store.fencedBy(running).saveCursor(CalendarRef.primary(ALICE), SyncCursor.of("late")))
                .isInstanceOf(LeaseLostException.class);
        assertThat(store.acquireLease(BOB, "node-3#c", T0, Duration.ofHours(1)))
                .as("held by the removal")
                .isEmpty();
        assertThat(store.dueMailboxes(T0, 10)).isEmpty();
        assertThat(store.seizeLeases("nobody", "node-2#removal", T0, Duration.ofHours(1)))
                .isZero();
        MailboxLease one = store.seizeLease(ALICE, "node-4#removal", T0, Duration.ofHours(1))
                .orElseThrow();
        assertThat(one.generation()).isGreaterThan(running.generation() + 1);
        assertThat(store.holdsLease(one)).isTrue();
        assertThat(store.seizeLease(Mailbox.of("gone@example.com"), "node-4#removal", T0, Duration.ofHours(1)))
                .isEmpty();
    }

    @Test
    void pushSubscriptionsAreKeptPerCalendarAndGoWithTheirMailbox() {
        store.addMailbox("team", ALICE);
        store.addMailbox("team", BOB);
        CalendarRef cal = CalendarRef.primary(ALICE);
        CalendarRef work = CalendarRef.of(ALICE, "work");
        assertThat(store.subscription(cal)).isEmpty();
        Subscription first = new Subscription("sub-1", cal, "res-1", T0.plus(Duration.ofHours(12)), SECRET);
        Subscription workSub = new Subscription("sub-w", work, null, T0.plusSeconds(60), SECRET);
        store.saveSubscription(first);
        store.saveSubscription(workSub);
        assertThat(store.subscription(cal)).contains(first);

        Subscription replaced =
                new Subscription("sub-2", cal, null, T0.plus(Duration.ofHours(24)), org.calsdk.auth.Secret.of("other"));
        store.saveSubscription(replaced); // a renewal that made a new channel
        assertThat(store.subscription(cal)).contains(replaced);
        assertThat(store.subscriptions(ALICE)).containsExactlyInAnyOrder(replaced, workSub);
        assertThat(store.subscriptions(BOB)).isEmpty();
        // a webhook for the whole integration finds each subscription, with its own secret, by the provider's id
        assertThat(store.subscriptionById("team", "sub-w")).contains(workSub);
        assertThat(store.subscriptionById("team", "sub-2")).hasValueSatisfying(s -> {
            assertThat(s.calendar()).isEqualTo(cal);
            assertThat(s.matchesClientState("other")).isTrue();
            assertThat(s.matchesClientState("s3cret")).isFalse();
        });
        assertThat(store.subscriptionById("team", "sub-1")).as("replaced").isEmpty();
        assertThat(store.subscriptionById("other-team", "sub-w"))
                .as("another integration's")
                .isEmpty();

        store.deleteSubscription(work);
        store.deleteSubscription(work);
        assertThat(store.subscriptions(ALICE)).containsExactly(replaced);
        assertThatThrownBy(() -> store.saveSubscription(
                        new Subscription("x", CalendarRef.primary(Mailbox.of("nobody@example.com")), null, T0, SECRET)))
                .isInstanceOf(NotFoundException.class);

        store.saveSubscription(new Subscription("sub-b", CalendarRef.primary(BOB), null, T0, SECRET));
        store.removeMailbox(ALICE);
        assertThat(store.subscription(cal)).isEmpty();
        assertThat(store.subscriptions(BOB)).hasSize(1);
        store.deleteIntegration("team");
        assertThat(store.subscription(CalendarRef.primary(BOB))).isEmpty();
    }

    @Test
    void backlogReadsDueWorkAndWaitingPushesInOneStatement() {
        store.saveIntegration(Integration.active("team", "memory"));
        store.addMailbox("team", ALICE);
        store.addMailbox("team", BOB);
        store.recordSuccess(ALICE, T0.minusSeconds(3600), T0.minusSeconds(300));
        store.recordSuccess(BOB, T0, T0.plusSeconds(3600));
        long id = store.enqueue(OutboxEntry.respond(
                CalendarRef.primary(BOB), "evt-1", org.calsdk.model.Attendee.ResponseStatus.ACCEPTED, false));
        SyncBacklog b = store.backlog(T0);
        assertThat(b).isEqualTo(new SyncBacklog(2, 1, 0, java.time.Duration.ofMinutes(5), 1, 0));
        assertThat(store.outbox(BOB)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.response())
                    .isEqualTo(new OutboxEntry.Response(
                            "evt-1", org.calsdk.model.Attendee.ResponseStatus.ACCEPTED, false));
        });
    }

    @Test
    void claimingTakesDueMailboxesWithTheirStateAndCursorsAndAWriteBackIsFenced() {
        store.addMailbox("team", ALICE);
        store.addMailbox("team", BOB);
        store.recordSuccess(BOB, T0, T0.plusSeconds(600)); // not due
        CalendarRef aliceCal = CalendarRef.primary(ALICE);
        store.saveCursor(aliceCal, org.calsdk.api.SyncCursor.of("c1"));
        store.enqueue(OutboxEntry.upsert(aliceCal, EventKey.of("k1"), event("push")));
        Duration hour = Duration.ofHours(1);

        List<SyncStateStore.Claim> claims = store.claimDue("node-1#a", T0, 10, hour);
        assertThat(claims).singleElement().satisfies(c -> {
            assertThat(c.lease().mailbox()).isEqualTo(ALICE);
            assertThat(c.status().pendingPushes()).isEqualTo(1);
            assertThat(store.holdsLease(c.lease())).isTrue();
            if (!c.cursors().isEmpty()) { // a store may prefetch none; what it prefetches is the stored cursor
                assertThat(c.cursors()).containsEntry(aliceCal.id(), org.calsdk.api.SyncCursor.of("c1"));
            }
        });
        assertThat(store.claimDue("node-2#b", T0, 10, hour))
                .as("a claimed mailbox is not claimed twice")
                .isEmpty();
        MailboxLease lease = claims.get(0).lease();

        // written back: cursor, outcome, lease released; the mailbox is due again no later than the pushes' retry
        store.retryOutbox(store.dueOutbox(ALICE, T0, 10).get(0).id(), 1, T0.plusSeconds(60), "503");
        List<SyncStateStore.PassEnd> written = store.finishPasses(List.of(new SyncStateStore.PassEnd(
                lease,
                SyncStateStore.PassEnd.Outcome.SUCCESS,
                T0,
                T0.plusSeconds(3600),
                null,
                java.util.Map.of(aliceCal, org.calsdk.api.SyncCursor.of("c2")))));
        assertThat(written).hasSize(1);
        assertThat(store.cursor(aliceCal)).isEqualTo(org.calsdk.api.SyncCursor.of("c2"));
        assertThat(store.holdsLease(lease)).isFalse();
        MailboxStatus st = store.mailbox(ALICE).orElseThrow();
        assertThat(st.lastSyncAt()).isEqualTo(T0);
        if (store instanceof JdbcSyncStateStore) {
            assertThat(st.nextSyncAt())
                    .as("due at the push's retry, not at the next poll")
                    .isEqualTo(T0.plusSeconds(60));
        }

        // a pass whose lease was taken meanwhile writes nothing back
        MailboxLease second = store.claimDue("node-1#c", T0.plusSeconds(4000), 10, hour).stream()
                .filter(c -> c.lease().mailbox().equals(ALICE))
                .findFirst()
                .orElseThrow()
                .lease();
        assertThat(second.generation()).isGreaterThan(lease.generation());
        store.seizeLease(ALICE, "admin", T0, hour);
        assertThat(store.finishPasses(List.of(new SyncStateStore.PassEnd(
                        second,
                        SyncStateStore.PassEnd.Outcome.ERROR,
                        T0.plusSeconds(4000),
                        T0.plusSeconds(9000),
                        "boom",
                        java.util.Map.of(aliceCal, org.calsdk.api.SyncCursor.of("stale"))))))
                .isEmpty();
        assertThat(store.cursor(aliceCal)).isEqualTo(org.calsdk.api.SyncCursor.of("c2"));
        assertThat(store.mailbox(ALICE).orElseThrow().failures()).isZero();
    }
}
