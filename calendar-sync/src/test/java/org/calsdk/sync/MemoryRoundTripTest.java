package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.WebhookRequest;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two-way round trip of the acceptance, on the testkit's in-memory reference provider. */
class MemoryRoundTripTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final ZonedDateTime NINE = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    InMemoryCalendarService service;
    SyncStateStore store = new InMemorySyncStateStore();
    HostRecorder host = new HostRecorder();
    SyncEngine engine;
    CalendarConnection alice;

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder().clock(clock).build();
        service.addUser(ALICE, "Alice").addUser(BOB, "Bob");
        alice = service.connect(ALICE);
        engine = engine(FieldPolicy.defaults(), false);
        engine.saveIntegration(Integration.active("team", "memory"));
        engine.addMailbox("team", Mailbox.of("ALICE@example.com"));
    }

    SyncEngine engine(FieldPolicy policy, boolean push) {
        SyncEngine.Builder b = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .random(new Random(1))
                .fieldPolicy(policy)
                .nodeId("test");
        if (push) {
            b.push(
                    "https://app.example.com/hooks/{integration}",
                    Duration.ofHours(12),
                    Duration.ofHours(2),
                    Duration.ofMinutes(30));
        }
        return b.build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        service.close();
    }

    static Event booking(String title, int hour) {
        return Event.builder()
                .summary(title)
                .description("Room 4")
                .start(EventTime.of(NINE.withHour(hour)))
                .end(EventTime.of(NINE.withHour(hour + 1)))
                .organizer(Organizer.of(ALICE))
                .attendee(Attendee.required(BOB))
                .build();
    }

    Event onlyEventWithKey(String key) {
        List<Event> found = service.events(CAL).stream()
                .filter(e -> e.key().map(k -> k.value().equals(key)).orElse(false))
                .toList();
        assertThat(found).as("events with key " + key).hasSize(1);
        return found.get(0);
    }

    @Test
    void appEventsGoOutAndOrganizerAndAttendeeChangesComeBack() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        SyncReport r = engine.runOnce();
        assertThat(r.pushed()).isEqualTo(1);
        Event inCalendar = onlyEventWithKey("booking-1");
        assertThat(inCalendar.summary()).isEqualTo("Interview");
        assertThat(host.externalLog).as("our own event is not external").isEmpty();

        // the organizer moves it in the calendar
        alice.writer()
                .update(
                        CAL,
                        inCalendar.toBuilder()
                                .time(EventTime.of(NINE.withHour(14)), EventTime.of(NINE.withHour(15)))
                                .build());
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.appChanges).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo(EventKey.of("booking-1"));
            assertThat(c.fields()).containsExactly(SyncField.TIME);
            assertThat(c.event().start()).isEqualTo(EventTime.of(NINE.withHour(14)));
        });

        // the attendee answers
        alice.writer().respond(CAL, inCalendar.id().orElseThrow(), BOB, Attendee.ResponseStatus.ACCEPTED);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.appChanges).hasSize(2);
        assertThat(host.appChanges.get(1).fields()).containsExactly(SyncField.RSVP);
        assertThat(host.appChanges.get(1).responses()).containsEntry(BOB, Attendee.ResponseStatus.ACCEPTED);

        // the app changes its title: pushed as an update of the same event, no duplicate
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview (final)", 14)));
        engine.runOnce();
        assertThat(onlyEventWithKey("booking-1").summary()).isEqualTo("Interview (final)");
        assertThat(host.appChanges).as("our own update is not reported back").hasSize(2);
        assertThat(host.conflicts).isEmpty();

        // the app deletes it
        engine.enqueue(OutboxEntry.delete(CAL, EventKey.of("booking-1")));
        engine.runOnce();
        assertThat(service.events(CAL)).isEmpty();
        assertThat(host.removed).isEmpty();
        assertThat(store.mappings(CAL)).isEmpty();
    }

    @Test
    void externalEventsAreCreatedUpdatedAndDeletedInTheHost() {
        engine.runOnce();
        Event lunch = alice.writer()
                .create(
                        CAL,
                        EventKey.of("their-own"),
                        Event.builder()
                                .summary("Lunch")
                                .start(EventTime.of(NINE.withHour(12)))
                                .end(EventTime.of(NINE.withHour(13)))
                                .build());
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.externalLog).singleElement().isInstanceOf(ExternalChange.Created.class);
        assertThat(host.externalLog.get(0).busyBlock(ZoneOffset.UTC))
                .hasValueSatisfying(
                        b -> assertThat(b.start()).isEqualTo(NINE.withHour(12).toInstant()));
        Event weekly = alice.writer()
                .create(
                        CAL,
                        EventKey.of("their-series"),
                        Event.builder()
                                .summary("Standup")
                                .start(EventTime.of(NINE))
                                .end(EventTime.of(NINE.plusMinutes(15)))
                                .recurrence(org.calsdk.model.Recurrence.rule("FREQ=WEEKLY;COUNT=4"))
                                .build());
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        ExternalChange series = host.externalLog.get(1);
        assertThat(series.eventId()).isEqualTo(weekly.id().orElseThrow());
        assertThat(series.busyBlocks(
                        org.calsdk.model.TimeWindow.of(NINE.toInstant(), Duration.ofDays(30)), ZoneOffset.UTC))
                .hasSize(4);
        alice.writer().delete(CAL, weekly.id().orElseThrow(), null);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        host.externalLog.subList(1, host.externalLog.size()).clear();

        alice.writer().update(CAL, lunch.toBuilder().summary("Long lunch").build());
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.externalLog.get(1)).isInstanceOf(ExternalChange.Updated.class);

        alice.writer().delete(CAL, lunch.id().orElseThrow(), null);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.externalLog.get(2)).isInstanceOf(ExternalChange.Deleted.class);
        assertThat(host.external).isEmpty();
    }

    @Test
    void aFullResyncStillDeliversDeletionsOfExternalAndAppEvents() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        Event a = alice.writer().create(CAL, EventKey.of("x-a"), booking("A", 10));
        Event b = alice.writer().create(CAL, EventKey.of("x-b"), booking("B", 11));
        engine.runOnce();
        assertThat(host.external).hasSize(2);

        service.invalidateCursors(CAL);
        alice.writer().delete(CAL, a.id().orElseThrow(), null);
        alice.writer().delete(CAL, onlyEventWithKey("booking-1").id().orElseThrow(), null);
        alice.writer().update(CAL, b.toBuilder().summary("B2").version(null).build());
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.external.keySet()).containsExactly(HostRecorder.id(CAL, b.id().orElseThrow()));
        assertThat(host.external.values()).extracting(Event::summary).containsExactly("B2");
        assertThat(host.removed).containsExactly(EventKey.of("booking-1"));
    }

    @Test
    void appOwnedFieldsAreRevertedAndReportedAsConflicts() {
        engine.close();
        engine = engine(
                FieldPolicy.builder()
                        .owner(SyncField.TITLE, FieldPolicy.Side.APP)
                        .build(),
                false);
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.runOnce();
        Event e = onlyEventWithKey("booking-1");
        alice.writer()
                .update(
                        CAL,
                        e.toBuilder()
                                .summary("Renamed by Alice")
                                .description("notes")
                                .build());
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(host.conflicts).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo(SyncField.TITLE);
            assertThat(c.winner()).isEqualTo(FieldPolicy.Side.APP);
        });
        assertThat(host.appChanges)
                .singleElement()
                .satisfies(c -> assertThat(c.fields()).containsExactly(SyncField.DESCRIPTION));
        engine.runOnce(); // the corrective push is due at once
        Event now = onlyEventWithKey("booking-1");
        assertThat(now.summary()).isEqualTo("Interview");
        assertThat(now.description()).contains("notes");
    }

    @Test
    void bothSidesChangingMergesFieldByFieldUnderThePolicy() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.runOnce();
        Event e = onlyEventWithKey("booking-1");
        // the calendar moves it, while the app renames it before it has pulled that change
        alice.writer()
                .update(
                        CAL,
                        e.toBuilder()
                                .time(EventTime.of(NINE.withHour(16)), EventTime.of(NINE.withHour(17)))
                                .build());
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview v2", 9)));
        engine.runOnce();
        Event merged = onlyEventWithKey("booking-1");
        assertThat(merged.summary()).isEqualTo("Interview v2");
        assertThat(merged.start()).isEqualTo(EventTime.of(NINE.withHour(16)));
        assertThat(host.appChanges)
                .singleElement()
                .satisfies(c -> assertThat(c.fields()).containsExactly(SyncField.TIME));
    }

    @Test
    void lostCreateAnswersNeverMakeDuplicates() {
        service.faults().loseResponseAfterCommit(SpiOperation.CREATE_EVENT, 1);
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        SyncReport first = engine.runOnce();
        assertThat(first.pushed()).isZero();
        assertThat(store.outbox(ALICE))
                .singleElement()
                .satisfies(o -> assertThat(o.attempts()).isEqualTo(1));
        clock.advance(Duration.ofMinutes(1));
        engine.runOnce();
        onlyEventWithKey("booking-1");
        assertThat(store.outbox(ALICE)).isEmpty();
        assertThat(store.mappingByKey(CAL, EventKey.of("booking-1"))).isPresent();
    }

    @Test
    void revokedAuthorizationDisconnectsUntilReconnectedThenResumesFromTheCursor() {
        alice.writer().create(CAL, EventKey.of("x"), booking("Before", 10));
        engine.runOnce();
        assertThat(host.externalLog).hasSize(1);
        service.faults().failNext(SpiOperation.CHANGES, ALICE, 1, 401, null);
        clock.advance(Duration.ofMinutes(6));
        SyncReport r = engine.runOnce();
        assertThat(r.results())
                .singleElement()
                .satisfies(x -> assertThat(x.outcome()).isEqualTo(MailboxSyncResult.Outcome.DISCONNECTED));
        assertThat(host.disconnected).hasSize(1);
        MailboxStatus st = store.mailbox(ALICE).orElseThrow();
        assertThat(st.connected()).isFalse();
        assertThat(st.lastError()).isNotNull();
        long calls = service.totalCalls();
        clock.advance(Duration.ofHours(1));
        assertThat(engine.runOnce().mailboxes()).isZero();
        assertThat(service.totalCalls())
                .as("a disconnected mailbox is not retried")
                .isEqualTo(calls);

        alice.writer().create(CAL, EventKey.of("y"), booking("After", 11));
        engine.reconnect(ALICE);
        engine.runOnce();
        assertThat(host.externalLog)
                .as("resumed from the cursor: only the new event")
                .hasSize(2);
        assertThat(host.externalLog.get(1).current().orElseThrow().summary()).isEqualTo("After");
        assertThat(store.mailbox(ALICE).orElseThrow().connected()).isTrue();
    }

    @Test
    void adminDisablesMailboxesAndDeletesIntegrationsWithTheirEvents() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-2"), booking("Interview 2", 11)));
        alice.writer().create(CAL, EventKey.of("theirs"), booking("Theirs", 15));
        engine.runOnce();
        assertThat(service.events(CAL)).hasSize(3);
        assertThat(engine.mailboxes()).singleElement().satisfies(m -> {
            assertThat(m.enabled()).isTrue();
            assertThat(m.lastSyncAt()).isEqualTo(clock.instant());
        });

        engine.setEnabled(ALICE, false);
        engine.enqueue(OutboxEntry.delete(CAL, EventKey.of("booking-2")));
        clock.advance(Duration.ofHours(1));
        assertThat(engine.runOnce().mailboxes()).isZero();
        assertThat(service.events(CAL)).hasSize(3);
        engine.setEnabled(ALICE, true);
        engine.runOnce();
        assertThat(service.events(CAL)).hasSize(2);

        IntegrationRemoval removal = engine.deleteIntegration("team", true);
        assertThat(removal.removed()).isTrue();
        assertThat(removal.eventsDeleted()).isEqualTo(1);
        assertThat(service.events(CAL)).extracting(Event::summary).containsExactly("Theirs");
        assertThat(engine.mailboxes()).isEmpty();
    }

    @Test
    void pushSubscriptionsTriggerSyncsAndAreRenewedAndReplacedWhenTheyEnd() {
        engine.close();
        engine = engine(FieldPolicy.defaults(), true);
        engine.runOnce();
        assertThat(engine.subscriptions()).containsKey(CAL);
        String firstId = engine.subscriptions().get(CAL).id();
        service.drainWebhooks();

        alice.writer().create(CAL, EventKey.of("x"), booking("Pushed", 10));
        List<WebhookRequest> hooks = service.drainWebhooks();
        assertThat(hooks).isNotEmpty();
        clock.advance(Duration.ofMinutes(1)); // long before the next poll
        assertThat(engine.runOnce().mailboxes())
                .as("nothing due before the notification")
                .isZero();
        hooks.forEach(h -> assertThat(engine.handleWebhook("team", h).status()).isBetween(200, 299));
        assertThat(engine.runOnce().pulled()).isEqualTo(1);
        assertThat(host.externalLog).hasSize(1);

        // renewed before expiry: ttl 12 h, margin 2 h, polled every 30 min while pushed
        for (int i = 0; i < 22; i++) {
            clock.advance(Duration.ofMinutes(31));
            engine.runOnce();
        }
        assertThat(engine.subscriptions().get(CAL).expiresAt())
                .isAfter(clock.instant().plus(Duration.ofHours(2)));

        // the provider ends it: the mailbox syncs and subscribes again
        service.drainWebhooks();
        service.expireSubscription(engine.subscriptions().get(CAL).id());
        service.drainWebhooks().forEach(h -> engine.handleWebhook("team", h));
        engine.runOnce();
        assertThat(engine.subscriptions()).containsKey(CAL);
        assertThat(engine.subscriptions().get(CAL).id()).isNotEqualTo(firstId);
    }

    @Test
    void pushSubscriptionsLiveInTheStoreSoRestartsAndOtherNodesRenewInsteadOfSubscribingAgain() {
        engine.close();
        engine = engine(FieldPolicy.defaults(), true);
        engine.runOnce();
        String id = engine.subscriptions().get(CAL).id();
        assertThat(store.subscription(CAL)).map(org.calsdk.api.Subscription::id).contains(id);
        assertThat(service.calls(SpiOperation.SUBSCRIBE)).isEqualTo(1);

        // a restart: a new engine on the same store keeps the subscription
        engine.close();
        engine = engine(FieldPolicy.defaults(), true);
        clock.advance(Duration.ofMinutes(31));
        engine.runOnce();
        assertThat(service.calls(SpiOperation.SUBSCRIBE)).isEqualTo(1);
        assertThat(engine.subscriptions().get(CAL).id()).isEqualTo(id);

        // another node of a cluster, near expiry (ttl 12 h, margin 2 h): it renews, it does not subscribe
        engine.close();
        engine = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .random(new Random(2))
                .nodeId("node-b")
                .push(
                        "https://app.example.com/hooks/calendar",
                        Duration.ofHours(12),
                        Duration.ofHours(2),
                        Duration.ofMinutes(30))
                .build();
        clock.advance(Duration.ofHours(10));
        engine.runOnce();
        assertThat(service.calls(SpiOperation.SUBSCRIBE)).isEqualTo(1);
        assertThat(service.calls(SpiOperation.RENEW)).isEqualTo(1);
        assertThat(engine.subscriptions().get(CAL).expiresAt())
                .isAfter(clock.instant().plus(Duration.ofHours(11)));

        // deleting the integration stops it at the provider and forgets it
        engine.deleteIntegration("team", false);
        assertThat(service.calls(SpiOperation.UNSUBSCRIBE)).isEqualTo(1);
        assertThat(engine.subscriptions()).isEmpty();
        assertThat(store.subscription(CAL)).isEmpty();
    }

    @Test
    void aFailedSubscriptionFallsBackToPollingAndIsRetried() {
        engine.close();
        engine = engine(FieldPolicy.defaults(), true);
        service.faults().failNext(SpiOperation.SUBSCRIBE, 1, 503);
        engine.runOnce();
        assertThat(engine.subscriptions()).isEmpty();
        MailboxStatus polled = store.mailbox(ALICE).orElseThrow();
        assertThat(polled.nextSyncAt())
                .as("regular 5-minute polling while push is down")
                .isBefore(clock.instant().plus(Duration.ofMinutes(6)));
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(engine.subscriptions()).containsKey(CAL);
        assertThat(store.mailbox(ALICE).orElseThrow().nextSyncAt())
                .as("polled less often once push works")
                .isAfter(clock.instant().plus(Duration.ofMinutes(29)));
    }

    @Test
    void metricsHearOfPassesPushesAndFailuresPerProvider() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.close();
        engine = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .nodeId("test")
                .metrics(new SyncMetrics() {
                    @Override
                    public void mailboxSynced(String provider, Mailbox m, Duration d, int pulled, int pushes) {
                        seen.add("synced " + provider + " " + m + " pulled=" + pulled + " pushes=" + pushes);
                    }

                    @Override
                    public void syncFailed(String provider, Mailbox m, String errorType) {
                        seen.add("failed " + provider + " " + errorType);
                    }

                    @Override
                    public void pushAttempted(String provider, OutboxEntry.Operation op, boolean ok) {
                        seen.add("push " + provider + " " + op + " " + ok);
                    }
                })
                .build();
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.runOnce();
        service.faults().failNext(SpiOperation.CHANGES, 1, 503);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        // pulled counts changes read, our own create's echo included
        assertThat(seen)
                .containsExactly(
                        "push memory UPSERT true",
                        "synced memory ALICE@example.com pulled=1 pushes=1",
                        "failed memory ProviderUnavailableException");
    }

    @Test
    void deletingAnIntegrationWithoutItsEventsKeepsThemInTheCalendars() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.runOnce();
        IntegrationRemoval removal = engine.deleteIntegration("team", false);
        assertThat(removal.removed()).isTrue();
        assertThat(removal.eventsDeleted()).isZero();
        assertThat(service.events(CAL)).hasSize(1);
        assertThat(store.integrations()).isEmpty();
        assertThat(store.mappings(CAL)).isEmpty();
    }

    @Test
    void everyWritableCalendarCanBeSynced() {
        CalendarRef work = service.addCalendar(ALICE, "work", "Work", false);
        service.addCalendar(ALICE, "holidays", "Holidays", true);
        engine.close();
        engine = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .nodeId("test")
                .calendars(SyncEngine.allWritableCalendars())
                .build();
        alice.writer().create(work, EventKey.of("w"), booking("Work thing", 10));
        alice.writer().create(CAL, EventKey.of("p"), booking("Private thing", 11));
        engine.runOnce();
        List<String> writable = alice.reader().calendars(ALICE).stream()
                .filter(c -> !c.readOnly())
                .map(c -> c.ref().id())
                .toList();
        assertThat(writable).hasSize(2).contains("work");
        assertThat(host.externalLog).extracting(c -> c.calendar().id()).containsExactlyInAnyOrderElementsOf(writable);
    }
}
