package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.model.Transparency;
import org.calsdk.model.Visibility;
import org.calsdk.sync.internal.EventCodec;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts: codec, backoff, builder checks, transactional enqueue, the background schedule. */
class EngineUnitsTest {
    @TempDir
    Path dir;

    @Test
    void theCodecRoundTripsEveryPartOfAnEvent() {
        ZonedDateTime s = ZonedDateTime.of(2026, 3, 29, 1, 30, 0, 0, ZoneId.of("Europe/Berlin"));
        Event override = Event.builder()
                .recurrenceId(EventTime.of(s.plusWeeks(1)))
                .summary("moved")
                .start(EventTime.of(s.plusWeeks(1).plusHours(2)))
                .end(EventTime.of(s.plusWeeks(1).plusHours(3)))
                .build();
        Event e = Event.builder()
                .id("id1")
                .uid("uid1")
                .key(EventKey.of("k"))
                .summary("Title ✓")
                .description("line1\nline2")
                .location("Room")
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusHours(1)))
                .recurrence(new Recurrence(
                        List.of("FREQ=WEEKLY;COUNT=5"),
                        List.of(EventTime.floating(LocalDateTime.of(2026, 6, 1, 9, 0))),
                        List.of(EventTime.of(s.plusWeeks(2)))))
                .addOverride(override)
                .organizer(new Organizer(Mailbox.of("o@example.com"), "Org"))
                .attendee(new Attendee(
                        Mailbox.of("a@example.com"),
                        "A",
                        Attendee.Role.OPTIONAL,
                        Attendee.ResponseStatus.TENTATIVE,
                        false))
                .attendee(new Attendee(Mailbox.of("room@example.com"), null, Attendee.Role.NON_PARTICIPANT, null, true))
                .status(EventStatus.TENTATIVE)
                .transparency(Transparency.OPAQUE)
                .visibility(Visibility.PRIVATE)
                .showAs(BusyStatus.OUT_OF_OFFICE)
                .version("\"etag-1\"")
                .updated(Instant.parse("2026-01-01T00:00:00Z"))
                .property("app", "x")
                .build();
        assertThat(EventCodec.read(EventCodec.write(e))).isEqualTo(e);
        Event allDay = Event.builder()
                .summary("Holiday")
                .start(EventTime.allDay(LocalDate.of(2026, 12, 24)))
                .end(EventTime.allDay(LocalDate.of(2026, 12, 27)))
                .build();
        assertThat(EventCodec.read(EventCodec.write(allDay))).isEqualTo(allDay);
        assertThatThrownBy(() -> EventCodec.read("{\"summary\": 1}"))
                .isInstanceOf(org.calsdk.errors.MalformedDataException.class);
    }

    @Test
    void appEventChangeListsItsFieldsInDeclarationOrder() {
        Mailbox alice = Mailbox.of("alice@example.com");
        Event e = Event.builder()
                .summary("x")
                .start(EventTime.utc(Instant.parse("2026-03-02T09:00:00Z")))
                .end(EventTime.utc(Instant.parse("2026-03-02T10:00:00Z")))
                .build();
        AppEventChange c = new AppEventChange(
                CalendarRef.primary(alice),
                EventKey.of("k"),
                e,
                new java.util.LinkedHashSet<>(
                        List.of(SyncField.RSVP, SyncField.TIME, SyncField.TITLE, SyncField.DESCRIPTION)));
        // hosts print this set: its order must not change from one JVM run to the next
        assertThat(c.fields()).containsExactly(SyncField.TITLE, SyncField.DESCRIPTION, SyncField.TIME, SyncField.RSVP);
        assertThat(c.fields().toString()).isEqualTo("[TITLE, DESCRIPTION, TIME, RSVP]");
        assertThat(new AppEventChange(CalendarRef.primary(alice), EventKey.of("k"), e, java.util.Set.of()).fields())
                .isEmpty();
        assertThatThrownBy(() -> c.fields().add(SyncField.TIME)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void backoffDoublesUpToTheCapWithBoundedJitter() {
        BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(5), Duration.ofMinutes(1), 0.5, 4);
        assertThat(p.delay(1, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.delay(2, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delay(3, 0.999)).isLessThan(Duration.ofSeconds(30));
        assertThat(p.delay(30, 0)).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), 0, 1))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void builderRejectsBadSettings() {
        assertThatThrownBy(() -> SyncEngine.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("store == null");
        assertThatThrownBy(() -> SyncEngine.builder().pollInterval(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SyncEngine.builder()
                        .push("https://x", Duration.ofDays(1), Duration.ofMinutes(10), Duration.ofMinutes(30)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> JdbcSyncStateStore.open("jdbc:mysql://x", null, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theHostsTransactionDecidesWhetherAPushIsRecorded() throws Exception {
        Mailbox alice = Mailbox.of("alice@example.com");
        CalendarRef cal = CalendarRef.primary(alice);
        Event e = Event.builder()
                .summary("x")
                .start(EventTime.utc(Instant.parse("2026-03-02T09:00:00Z")))
                .end(EventTime.utc(Instant.parse("2026-03-02T10:00:00Z")))
                .build();
        try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir)) {
            store.saveIntegration(Integration.active("team", "memory"));
            store.addMailbox("team", alice);
            try (Connection c = DriverManager.getConnection(JdbcSyncStateStore.h2Url(dir), "sa", "")) {
                c.setAutoCommit(false);
                store.enqueue(c, OutboxEntry.upsert(cal, EventKey.of("rolled-back"), e));
                c.rollback();
                store.enqueue(c, OutboxEntry.upsert(cal, EventKey.of("committed"), e));
                c.commit();
            }
            assertThat(store.outbox(alice)).extracting(o -> o.key().value()).containsExactly("committed");
        }
    }

    @Test
    void theBackgroundScheduleSyncsDueMailboxesAndSyncNowWakesIt() throws Exception {
        Mailbox alice = Mailbox.of("alice@example.com");
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
            service.addUser(alice, "Alice");
            HostRecorder host = new HostRecorder();
            SyncStateStore store = new InMemorySyncStateStore();
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections((i, m) -> service.connect(m))
                    .listener(host)
                    .checkInterval(Duration.ofHours(1))
                    .build()) {
                engine.saveIntegration(Integration.active("team", "memory"));
                engine.addMailbox("team", alice);
                engine.start();
                waitFor(() -> store.mailbox(alice).orElseThrow().lastSyncAt() != null);
                service.connect(alice)
                        .writer()
                        .create(
                                CalendarRef.primary(alice),
                                EventKey.of("x"),
                                Event.builder()
                                        .summary("New")
                                        .start(EventTime.utc(Instant.parse("2026-03-02T09:00:00Z")))
                                        .end(EventTime.utc(Instant.parse("2026-03-02T10:00:00Z")))
                                        .build());
                engine.syncNow(alice); // a webhook handler's call: no waiting for the hourly check
                waitFor(() -> host.externalLog.size() == 1);
            }
        }
    }

    static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition in time").isLessThan(end);
            Thread.sleep(10);
        }
    }
}
