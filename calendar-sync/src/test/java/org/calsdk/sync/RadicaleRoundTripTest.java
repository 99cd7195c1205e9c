package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.testkit.radicale.RadicaleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two-way round trip on CalDAV against a real Radicale (skipped loudly when Radicale is missing, a
 * failure under {@code CI=true}): the engine reaches it only through the CalDAV provider's SPI facets.
 */
class RadicaleRoundTripTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final ZonedDateTime NINE = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneId.of("Europe/Berlin"));
    static RadicaleServer radicale;

    HostRecorder host = new HostRecorder();
    SyncStateStore store = new InMemorySyncStateStore();
    SyncEngine engine;
    CalendarConnection alice;

    @BeforeAll
    static void start() {
        RadicaleServer.assumeInstalled();
        radicale = RadicaleServer.builder().user("alice", "alice-pw").start();
        radicale.createCalendar("alice", "calendar", "Calendar");
    }

    @AfterAll
    static void stop() {
        if (radicale != null) {
            radicale.close();
        }
    }

    static ConnectionConfig config(Integration integration, Mailbox mailbox) {
        return ConnectionConfig.builder(integration.provider())
                .setting("url", radicale.baseUrl())
                .setting("allowPrivateNetwork", "true")
                .setting("mailbox", mailbox.email())
                .credentials(PasswordCredentials.of("alice", Secret.of("alice-pw")))
                .build();
    }

    @BeforeEach
    void setUp() {
        CalendarProviders providers = CalendarProviders.of(new CalDavProvider());
        engine = SyncEngine.builder()
                .store(store)
                .connections(SyncConnections.of(providers, RadicaleRoundTripTest::config))
                .listener(host)
                .random(new Random(3))
                .nodeId("radicale-test")
                .build();
        engine.saveIntegration(Integration.active("dav", "caldav"));
        engine.addMailbox("dav", ALICE);
        alice = providers.connect(config(Integration.active("dav", "caldav"), ALICE));
        for (Event e : alice.reader()
                .listAll(
                        CAL,
                        org.calsdk.model.TimeWindow.of(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365)))) {
            alice.writer().delete(CAL, e.id().orElseThrow(), null);
        }
        engine.runOnce(); // initial full read of the (now empty) calendar
        host.externalLog.clear();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        alice.close();
    }

    Event byKey(String key) {
        return alice.reader().findByKey(CAL, EventKey.of(key)).orElseThrow();
    }

    @Test
    void appEventOutOrganizerMoveAndRsvpBackExternalEventsIn() {
        Event booking = Event.builder()
                .summary("Interview")
                .description("Room 4")
                .start(EventTime.of(NINE))
                .end(EventTime.of(NINE.plusHours(1)))
                .organizer(Organizer.of(ALICE))
                .attendee(Attendee.required(BOB))
                .build();
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking));
        SyncReport first = engine.runOnce();
        assertThat(first.pushed()).isEqualTo(1);
        Event inCalendar = byKey("booking-1");
        assertThat(inCalendar.summary()).isEqualTo("Interview");
        assertThat(host.externalLog).as("our own event is not external").isEmpty();

        // the organizer moves it in the calendar
        Event moved = alice.writer()
                .update(
                        CAL,
                        inCalendar.toBuilder()
                                .time(EventTime.of(NINE.plusHours(5)), EventTime.of(NINE.plusHours(6)))
                                .build());
        engine.syncMailbox(ALICE);
        assertThat(host.appChanges).singleElement().satisfies(c -> {
            assertThat(c.fields()).contains(SyncField.TIME);
            assertThat(c.event().start().toInstant(NINE.getZone()))
                    .isEqualTo(NINE.plusHours(5).toInstant());
        });

        // an attendee's answer lands in the organizer's copy
        alice.writer()
                .update(
                        CAL,
                        moved.toBuilder()
                                .attendees(
                                        List.of(Attendee.required(BOB).withResponse(Attendee.ResponseStatus.ACCEPTED)))
                                .build());
        engine.syncMailbox(ALICE);
        assertThat(host.appChanges).hasSize(2);
        assertThat(host.appChanges.get(1).fields()).contains(SyncField.RSVP);
        assertThat(host.appChanges.get(1).responses()).containsEntry(BOB, Attendee.ResponseStatus.ACCEPTED);

        // external events created and deleted
        Event lunch = alice.writer()
                .create(
                        CAL,
                        EventKey.of("alices-lunch"),
                        Event.builder()
                                .summary("Lunch")
                                .start(EventTime.of(NINE.plusHours(3)))
                                .end(EventTime.of(NINE.plusHours(4)))
                                .build());
        engine.syncMailbox(ALICE);
        assertThat(host.externalLog).singleElement().isInstanceOf(ExternalChange.Created.class);
        alice.writer().delete(CAL, lunch.id().orElseThrow(), null);
        engine.syncMailbox(ALICE);
        assertThat(host.externalLog).hasSize(2);
        assertThat(host.externalLog.get(1)).isInstanceOf(ExternalChange.Deleted.class);
        assertThat(host.external).isEmpty();

        // the app deletes its event: gone, and the echo is not reported as an external deletion
        engine.enqueue(OutboxEntry.delete(CAL, EventKey.of("booking-1")));
        engine.syncMailbox(ALICE);
        engine.syncMailbox(ALICE);
        assertThat(alice.reader().findByKey(CAL, EventKey.of("booking-1"))).isEmpty();
        assertThat(host.externalLog).hasSize(2);
        assertThat(host.removed).isEmpty();
        assertThat(host.conflicts).isEmpty();
    }
}
