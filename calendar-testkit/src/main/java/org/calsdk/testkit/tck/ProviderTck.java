package org.calsdk.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import org.calsdk.auth.Secret;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Transparency;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.WriteOptions;
import org.calsdk.ical.Recurrences;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.tck.TckFixture.Feature;

/**
 * The provider TCK: the behaviour every calendar provider of this SDK must show, as numbered rules
 * (listed in {@code docs/TCK.md}) grouped by capability. A provider module runs it through a small
 * subclass that returns a connected client; rules for a {@link Capability} the connection does not
 * declare, or needing a {@link TckFixture.Feature} its fixture lacks, are skipped with the reason.
 *
 * <p>The connection must be a {@link ConnectionScope#USER} connection whose primary calendar the TCK
 * may write to. Each rule uses its own week of 2031 and a random tag in summaries and keys, and deletes
 * what it created, so the TCK also runs against a persistent server.
 *
 * <pre>{@code
 * class CalDavProviderTckTest extends ProviderTck {
 *     @RegisterExtension
 *     static final RadicaleExtension radicale = ...;
 *
 *     @Override
 *     protected CalendarConnection connect() {
 *         return CalendarProviders.load().connect(ConnectionConfig.builder("caldav")
 *                 .setting("url", radicale.url()).credentials(...).build());
 *     }
 *
 *     @Override
 *     protected TckFixture fixture() {
 *         return new CalDavTckFixture(radicale);   // optional: what the server side can do
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public abstract class ProviderTck {
    private static final LocalDate BASE = LocalDate.of(2031, 1, 6); // a Monday
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final String HOOK = "https://example.invalid/calsdk-tck/webhook";

    /** The connection under test. */
    protected CalendarConnection connection;
    /** Its fixture. */
    protected TckFixture fixture;
    /** The connected mailbox. */
    protected Mailbox self;
    /** The calendar the rules write to: the connected mailbox's primary calendar. */
    protected CalendarRef calendar;

    private String tag;
    private int keys;
    private final List<String> created = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<CalendarConnection> extraConnections = new ArrayList<>();

    /**
     * The hook: a {@link ConnectionScope#USER} connection of the provider under test. Called before every
     * rule; the TCK closes it afterwards.
     */
    protected abstract CalendarConnection connect();

    /** What the service behind the provider can do for the TCK; default: nothing ({@link TckFixture#none()}). */
    protected TckFixture fixture() {
        return TckFixture.none();
    }

    @BeforeEach
    void openTckConnection() {
        connection = connect();
        assertThat(connection).as("connect() result").isNotNull();
        assertThat(connection.scope()).as("the TCK needs a USER connection").isEqualTo(ConnectionScope.USER);
        self = connection.self().orElseThrow(() -> new AssertionError("a USER connection must name its mailbox"));
        fixture = fixture();
        calendar = CalendarRef.primary(self);
        tag = "tck" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void closeTckConnection() {
        try {
            fixture.clearFaults();
            if (connection.supports(Capability.PUSH_INBOUND)) {
                for (Subscription s : subscriptions) {
                    quietly(() -> connection.push().unsubscribe(s));
                }
            }
            if (connection.supports(Capability.WRITE_EVENTS)) {
                for (String id : created) {
                    quietly(() -> connection.writer().delete(calendar, id, null));
                }
            }
        } finally {
            extraConnections.forEach(c -> quietly(c::close));
            connection.close();
        }
    }

    // =====================================================================================================
    // Free/busy

    @Test
    @DisplayName("FB-001 a timed event is busy exactly from its start to its end, in its own time zone")
    void fb001() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(1, 1, 10, 0, NEW_YORK);
        create(timed("timed", start, Duration.ofHours(1)));
        assertBusy(busy(self, week(1))).contains(interval(start.toInstant(), start.plusHours(1).toInstant(), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-002 busy time is answered for every requested mailbox, in request order")
    void fb002() {
        requires(Capability.FREE_BUSY);
        requiresFixture(Feature.OTHER_MAILBOX);
        Mailbox other = fixture.otherMailbox().orElseThrow();
        FreeBusyResult r = connection.freeBusy().query(FreeBusyRequest.of(List.of(other, self), week(21)));
        assertThat(r.results()).extracting(FreeBusy::mailbox).containsExactly(other, self);
        assertThat(r.allOk()).as("every mailbox answered without error: %s", r).isTrue();
    }

    @Test
    @DisplayName("FB-003 all-day event is busy for the whole local day")
    void fb003() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        LocalDate day = BASE.plusWeeks(2).plusDays(2);
        create(allDay("all-day", day, day.plusDays(1)));
        ZoneId zone = fixture.floatingZone();
        assertBusy(busy(self, week(2))).contains(interval(day.atStartOfDay(zone).toInstant(),
                day.plusDays(1).atStartOfDay(zone).toInstant(), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-004 a weekly series keeps its local time across a daylight-saving change")
    void fb004() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        // Europe/Berlin moves to summer time on Sunday 2031-03-30.
        ZonedDateTime first = ZonedDateTime.of(2031, 3, 20, 10, 0, 0, 0, BERLIN);
        create(timed("dst-weekly", first, Duration.ofHours(1)).toBuilder()
                .recurrence(Recurrence.rule("FREQ=WEEKLY;COUNT=3")).build());
        TimeWindow w = TimeWindow.of(Instant.parse("2031-03-17T00:00:00Z"), Instant.parse("2031-04-07T00:00:00Z"));
        assertBusy(busy(self, w)).contains(
                interval(Instant.parse("2031-03-20T09:00:00Z"), Instant.parse("2031-03-20T10:00:00Z"), BusyStatus.BUSY),
                interval(Instant.parse("2031-03-27T09:00:00Z"), Instant.parse("2031-03-27T10:00:00Z"), BusyStatus.BUSY),
                interval(Instant.parse("2031-04-03T08:00:00Z"), Instant.parse("2031-04-03T09:00:00Z"), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-005 a recurring series is busy at each of its occurrences in the window")
    void fb005() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(3, 0, 10, 0, ZoneOffset.UTC);
        create(daily("daily", start, 5));
        List<BusyInterval> busy = busy(self, week(3));
        for (int d = 0; d < 5; d++) {
            assertBusy(busy).contains(interval(start.plusDays(d).toInstant(), start.plusDays(d).plusHours(1).toInstant(),
                    BusyStatus.BUSY));
        }
        assertThat(overlapping(busy, start.plusDays(5).toInstant(), start.plusDays(6).toInstant()))
                .as("no occurrence after COUNT").isEmpty();
    }

    @Test
    @DisplayName("FB-006 an occurrence excluded by EXDATE is not busy")
    void fb006() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(4, 0, 10, 0, ZoneOffset.UTC);
        Event series = daily("exdate", start, 5);
        series = series.toBuilder().recurrence(series.recurrence().orElseThrow()
                .withExdates(List.of(EventTime.of(start.plusDays(2))))).build();
        create(series);
        List<BusyInterval> busy = busy(self, week(4));
        assertThat(overlapping(busy, start.plusDays(2).toInstant(), start.plusDays(2).plusHours(1).toInstant()))
                .as("the excluded Wednesday").isEmpty();
        assertBusy(busy).contains(interval(start.plusDays(3).toInstant(), start.plusDays(3).plusHours(1).toInstant(),
                BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-007 a moved occurrence is busy at its new time and not at its original time")
    void fb007() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(5, 0, 10, 0, ZoneOffset.UTC);
        ZonedDateTime movedFrom = start.plusDays(1);
        ZonedDateTime movedTo = movedFrom.withHour(15);
        Event series = daily("moved", start, 3).toBuilder()
                .addOverride(timed("moved (moved)", movedTo, Duration.ofHours(1)).toBuilder()
                        .recurrenceId(EventTime.of(movedFrom)).build())
                .build();
        create(series);
        List<BusyInterval> busy = busy(self, week(5));
        assertBusy(busy).contains(interval(movedTo.toInstant(), movedTo.plusHours(1).toInstant(), BusyStatus.BUSY));
        assertThat(overlapping(busy, movedFrom.toInstant(), movedFrom.plusHours(1).toInstant()))
                .as("the original slot of the moved occurrence").isEmpty();
        assertBusy(busy).contains(interval(start.toInstant(), start.plusHours(1).toInstant(), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-008 a transparent (free) event does not block time")
    void fb008() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(6, 0, 10, 0, ZoneOffset.UTC);
        create(timed("free", start, Duration.ofHours(1)).toBuilder().transparency(Transparency.TRANSPARENT).build());
        ZonedDateTime busyStart = at(6, 0, 13, 0, ZoneOffset.UTC);
        create(timed("busy", busyStart, Duration.ofHours(1)));
        List<BusyInterval> busy = busy(self, week(6));
        assertThat(overlapping(busy, start.toInstant(), start.plusHours(1).toInstant())).isEmpty();
        assertBusy(busy).contains(interval(busyStart.toInstant(), busyStart.plusHours(1).toInstant(), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-009 an unknown mailbox fails on its own; the other mailboxes are answered")
    void fb009() {
        requires(Capability.FREE_BUSY);
        Mailbox unknown = Mailbox.of(tag + "-nobody@" + self.domain());
        FreeBusyResult r = connection.freeBusy().query(FreeBusyRequest.of(List.of(self, unknown), week(21)));
        assertThat(r.get(self)).hasValueSatisfying(fb -> assertThat(fb.ok()).as("own mailbox answered").isTrue());
        assertThat(r.get(unknown)).hasValueSatisfying(fb ->
                assertThat(fb.error()).as("the unknown mailbox's own error").isInstanceOf(NotFoundException.class));
    }

    @Test
    @DisplayName("FB-010 busy intervals are clipped to the requested window")
    void fb010() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(7, 0, 22, 0, ZoneOffset.UTC);
        create(timed("late", start, Duration.ofHours(4)));
        Instant windowEnd = at(7, 1, 0, 0, ZoneOffset.UTC).toInstant();
        TimeWindow w = TimeWindow.of(week(7).start(), windowEnd);
        assertBusy(busy(self, w)).contains(interval(start.toInstant(), windowEnd, BusyStatus.BUSY))
                .allSatisfy(b -> assertThat(b.end()).isBeforeOrEqualTo(windowEnd));
    }

    // =====================================================================================================
    // Read

    @Test
    @DisplayName("RD-001 the connected mailbox has a primary calendar")
    void rd001() {
        requires(Capability.READ_EVENTS);
        List<CalendarInfo> cals = connection.reader().calendars(self);
        assertThat(cals).isNotEmpty().allSatisfy(c -> assertThat(c.ref().mailbox()).isEqualTo(self));
        assertThat(cals).filteredOn(CalendarInfo::primary).hasSize(1);
    }

    @Test
    @DisplayName("RD-002 an event reads back by id with its summary, description, location and instants")
    void rd002() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(0, 2, 9, 30, ZoneId.of("Asia/Kolkata"));
        Event made = create(timed("round-trip", start, Duration.ofMinutes(45)).toBuilder()
                .description("Agenda: numbers").location("Room 7").build());
        Event read = connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow(
                () -> new AssertionError("created event not found by id"));
        assertThat(read.summary()).isEqualTo(made.summary());
        assertThat(read.description()).hasValue("Agenda: numbers");
        assertThat(read.location()).hasValue("Room 7");
        assertThat(read.start().toInstant(ZoneOffset.UTC)).isEqualTo(start.toInstant());
        assertThat(read.end().toInstant(ZoneOffset.UTC)).isEqualTo(start.plusMinutes(45).toInstant());
    }

    @Test
    @DisplayName("RD-003 listing pages through every event exactly once")
    void rd003() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        Set<String> made = new HashSet<>();
        for (int d = 0; d < 5; d++) {
            made.add(create(timed("page-" + d, at(8, d, 9, 0, ZoneOffset.UTC), Duration.ofHours(1))).id().orElseThrow());
        }
        EventQuery q = new EventQuery(calendar, week(8), 2, null);
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            EventPage page = connection.reader().list(q);
            assertThat(page.events()).as("page size").hasSizeLessThanOrEqualTo(2);
            page.events().stream().filter(this::ours).forEach(e -> seen.add(e.id().orElseThrow()));
            pages++;
            assertThat(pages).as("pages (runaway paging?)").isLessThan(100);
            if (page.nextPageToken() == null) {
                break;
            }
            q = q.withPageToken(page.nextPageToken());
        }
        assertThat(seen).as("our events over all pages").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(made);
    }

    @Test
    @DisplayName("RD-004 a recurring series reads back as one master with its EXDATEs and overrides")
    void rd004() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(9, 0, 10, 0, ZoneOffset.UTC);
        Event series = daily("series", start, 5);
        series = series.toBuilder()
                .recurrence(series.recurrence().orElseThrow().withExdates(List.of(EventTime.of(start.plusDays(2)))))
                .addOverride(timed("series (moved)", start.plusDays(3).withHour(15), Duration.ofHours(1)).toBuilder()
                        .recurrenceId(EventTime.of(start.plusDays(3))).build())
                .build();
        Event made = create(series);
        Event read = connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow();
        assertThat(read.recurrence()).as("recurrence").isPresent();
        assertThat(read.recurrence().orElseThrow().exdates()).extracting(t -> t.toInstant(ZoneOffset.UTC))
                .containsExactly(start.plusDays(2).toInstant());
        assertThat(read.overrides()).hasSize(1);
        Event o = read.overrides().get(0);
        assertThat(o.recurrenceId().orElseThrow().toInstant(ZoneOffset.UTC)).isEqualTo(start.plusDays(3).toInstant());
        assertThat(o.start().toInstant(ZoneOffset.UTC)).isEqualTo(start.plusDays(3).withHour(15).toInstant());
        List<Event> listed = connection.reader().listAll(calendar, week(9)).stream().filter(this::ours).toList();
        assertThat(listed).as("the series is listed once, as its master").hasSize(1);
        assertThat(listed.get(0).recurrence().orElseThrow().exdates()).hasSize(1);
    }

    @Test
    @DisplayName("RD-005 an all-day event reads back as all-day dates")
    void rd005() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        LocalDate day = BASE.plusWeeks(17);
        Event made = create(allDay("two days", day, day.plusDays(2)));
        Event read = connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow();
        assertThat(read.isAllDay()).isTrue();
        assertThat(read.start()).isEqualTo(EventTime.allDay(day));
        assertThat(read.end()).isEqualTo(EventTime.allDay(day.plusDays(2)));
    }

    @Test
    @DisplayName("RD-006 reading an unknown event id gives empty")
    void rd006() {
        requires(Capability.READ_EVENTS);
        assertThat(connection.reader().get(calendar, tag + "missing")).isEmpty();
    }

    @Test
    @DisplayName("RD-007 listing a window returns what occurs in it, including series that began before it")
    void rd007() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        Event inside = create(timed("inside", at(14, 0, 10, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Event later = create(timed("later", at(16, 0, 10, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Event series = create(daily("series-from-before", at(13, 4, 8, 0, ZoneOffset.UTC), 5));
        Set<String> ids = new HashSet<>();
        connection.reader().listAll(calendar, week(14)).stream().filter(this::ours)
                .forEach(e -> ids.add(e.id().orElseThrow()));
        assertThat(ids).contains(inside.id().orElseThrow(), series.id().orElseThrow())
                .doesNotContain(later.id().orElseThrow());
    }

    @Test
    @DisplayName("RD-008 an event created with a key is found by that key; an unknown key finds nothing")
    void rd008() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        EventKey key = nextKey();
        Event made = connection.writer().create(calendar, key, timed("keyed", at(0, 3, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        created.add(made.id().orElseThrow());
        assertThat(connection.reader().findByKey(calendar, key)).map(e -> e.id().orElseThrow()).hasValue(made.id().orElseThrow());
        assertThat(connection.reader().findByKey(calendar, EventKey.of(tag + "-never-used"))).isEmpty();
    }

    // =====================================================================================================
    // Write

    @Test
    @DisplayName("WR-001 create returns the stored event with an id and a version")
    void wr001() {
        requires(Capability.WRITE_EVENTS);
        Event made = create(timed("create", at(0, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        assertThat(made.id()).isPresent();
        assertThat(made.version()).isPresent();
        assertThat(made.summary()).isEqualTo(tag + " create");
    }

    @Test
    @DisplayName("WR-002 creating again with the same key returns the first event and makes no second one")
    void wr002() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        EventKey key = nextKey();
        Event e = timed("same-key", at(0, 1, 9, 0, ZoneOffset.UTC), Duration.ofHours(1));
        Event first = connection.writer().create(calendar, key, e);
        created.add(first.id().orElseThrow());
        Event second = connection.writer().create(calendar, key, e);
        created.add(second.id().orElseThrow());
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(countOurs(week(0), e.summary())).isEqualTo(1);
    }

    @Test
    @DisplayName("WR-003 a create retried after its response was lost makes no duplicate")
    void wr003() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        requiresFixture(Feature.DROP_RESPONSE);
        EventKey key = nextKey();
        Event e = timed("lost-answer", at(0, 1, 11, 0, ZoneOffset.UTC), Duration.ofHours(1));
        fixture.dropNextResponse(SpiOperation.CREATE_EVENT);
        try {
            Event first = connection.writer().create(calendar, key, e);
            created.add(first.id().orElseThrow());
        } catch (CalendarException expected) {
            // the answer was lost: the caller cannot know whether the event exists, and retries
        }
        Event retried = connection.writer().create(calendar, key, e);
        created.add(retried.id().orElseThrow());
        assertThat(countOurs(week(0), e.summary())).as("events after the retry").isEqualTo(1);
        assertThat(connection.reader().findByKey(calendar, key)).map(x -> x.id().orElseThrow())
                .hasValue(retried.id().orElseThrow());
    }

    @Test
    @DisplayName("WR-004 an update with the current version succeeds and changes the version")
    void wr004() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("update", at(0, 2, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Event updated = connection.writer().update(calendar, made.toBuilder().summary(tag + " updated").build());
        assertThat(updated.version()).isPresent().isNotEqualTo(made.version());
        assertThat(connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow().summary())
                .isEqualTo(tag + " updated");
    }

    @Test
    @DisplayName("WR-005 an update with a stale version fails with ConflictException and changes nothing")
    void wr005() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("stale-update", at(0, 2, 15, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        connection.writer().update(calendar, made.toBuilder().summary(tag + " first writer").build());
        assertThatThrownBy(() -> connection.writer().update(calendar, made.toBuilder().summary(tag + " second writer").build()))
                .isInstanceOf(ConflictException.class);
        assertThat(connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow().summary())
                .isEqualTo(tag + " first writer");
    }

    @Test
    @DisplayName("WR-006 a delete with a stale version fails with ConflictException and the event survives")
    void wr006() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("stale-delete", at(0, 3, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        connection.writer().update(calendar, made.toBuilder().summary(tag + " changed").build());
        assertThatThrownBy(() -> connection.writer().delete(calendar, made.id().orElseThrow(), made.version().orElseThrow()))
                .isInstanceOf(ConflictException.class);
        assertThat(connection.reader().get(calendar, made.id().orElseThrow())).isPresent();
    }

    @Test
    @DisplayName("WR-007 delete removes the event, and deleting it again succeeds")
    void wr007() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("delete", at(0, 3, 15, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        connection.writer().delete(calendar, made.id().orElseThrow(), made.version().orElseThrow());
        assertThat(connection.reader().get(calendar, made.id().orElseThrow())
                .filter(e -> e.status() != EventStatus.CANCELLED)).isEmpty();
        connection.writer().delete(calendar, made.id().orElseThrow(), null);
    }

    @Test
    @DisplayName("WR-008 updating an event that does not exist fails with NotFoundException")
    void wr008() {
        requires(Capability.WRITE_EVENTS);
        Event ghost = timed("ghost", at(0, 4, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)).toBuilder()
                .id(tag + "ghost").build();
        assertThatThrownBy(() -> connection.writer().update(calendar, ghost)).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("WR-009 updateOccurrence moves one occurrence and leaves the others")
    void wr009() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        ZonedDateTime start = at(18, 0, 10, 0, ZoneOffset.UTC);
        Event master = create(daily("occurrence", start, 3));
        ZonedDateTime to = start.plusDays(1).withHour(16);
        Event override = timed("occurrence (moved)", to, Duration.ofHours(1)).toBuilder()
                .recurrenceId(EventTime.of(start.plusDays(1))).build();
        connection.writer().updateOccurrence(calendar, master.id().orElseThrow(), override, null);
        Event read = connection.reader().get(calendar, master.id().orElseThrow()).orElseThrow();
        assertThat(read.overrides()).hasSize(1);
        assertThat(read.overrides().get(0).start().toInstant(ZoneOffset.UTC)).isEqualTo(to.toInstant());
        if (connection.supports(Capability.FREE_BUSY)) {
            List<BusyInterval> busy = busy(self, week(18));
            assertBusy(busy).contains(interval(to.toInstant(), to.plusHours(1).toInstant(), BusyStatus.BUSY),
                    interval(start.toInstant(), start.plusHours(1).toInstant(), BusyStatus.BUSY));
            assertThat(overlapping(busy, start.plusDays(1).toInstant(), start.plusDays(1).plusHours(1).toInstant())).isEmpty();
        }
    }

    @Test
    @DisplayName("WR-010 cancelOccurrence removes one occurrence and leaves the others")
    void wr010() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        ZonedDateTime start = at(19, 0, 10, 0, ZoneOffset.UTC);
        Event master = create(daily("cancel-one", start, 3));
        EventTime tuesday = EventTime.of(start.plusDays(1));
        connection.writer().cancelOccurrence(calendar, master.id().orElseThrow(), tuesday, null);
        Event read = connection.reader().get(calendar, master.id().orElseThrow()).orElseThrow();
        Instant at = tuesday.toInstant(ZoneOffset.UTC);
        boolean excluded = read.recurrence().orElseThrow().exdates().stream().anyMatch(x -> x.toInstant(ZoneOffset.UTC).equals(at))
                || read.overrides().stream().anyMatch(o -> o.isCancelled()
                && o.recurrenceId().orElseThrow().toInstant(ZoneOffset.UTC).equals(at));
        assertThat(excluded).as("the series records the cancelled occurrence (EXDATE or cancelled override)").isTrue();
        if (connection.supports(Capability.FREE_BUSY)) {
            List<BusyInterval> busy = busy(self, week(19));
            assertThat(overlapping(busy, at, at.plus(Duration.ofHours(1)))).isEmpty();
            assertBusy(busy).contains(interval(start.plusDays(2).toInstant(), start.plusDays(2).plusHours(1).toInstant(),
                    BusyStatus.BUSY));
        }
    }

    @Test
    @DisplayName("WR-011 an attendee's answer (RSVP) is stored")
    void wr011() {
        requires(Capability.WRITE_EVENTS, Capability.RSVP);
        Event made = create(timed("rsvp", at(0, 4, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)).toBuilder()
                .attendee(Attendee.required(self)).build());
        Event answered = connection.writer().respond(calendar, made.id().orElseThrow(), self, Attendee.ResponseStatus.ACCEPTED);
        assertThat(answered.attendee(self)).map(Attendee::response).hasValue(Attendee.ResponseStatus.ACCEPTED);
        if (connection.supports(Capability.READ_EVENTS)) {
            assertThat(connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow().attendee(self))
                    .map(Attendee::response).hasValue(Attendee.ResponseStatus.ACCEPTED);
        }
    }

    // =====================================================================================================
    // Incremental changes

    @Test
    @DisplayName("CH-001 a full read from START lists current events and ends with a cursor")
    void ch001() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        Event a = create(timed("full-a", at(20, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Event b = create(timed("full-b", at(20, 1, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        ReadResult r = readAll(SyncCursor.START);
        assertThat(r.allFull).as("every batch of a full read says full").isTrue();
        assertThat(r.upserted).containsKeys(a.id().orElseThrow(), b.id().orElseThrow());
        assertThat(r.cursor.isStart()).as("a full read ends with a cursor").isFalse();
    }

    @Test
    @DisplayName("CH-002 a created or changed event shows up in the next incremental read")
    void ch002() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        SyncCursor cursor = readAll(SyncCursor.START).cursor;
        Event e = create(timed("incremental", at(20, 2, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        ReadResult r = readAll(cursor);
        assertThat(r.anyFull).as("an incremental read is not a full read").isFalse();
        assertThat(r.upserted).containsKey(e.id().orElseThrow());
        Event changed = connection.writer().update(calendar, e.toBuilder().summary(tag + " renamed").build());
        ReadResult r2 = readAll(r.cursor);
        assertThat(r2.upserted).containsKey(e.id().orElseThrow());
        assertThat(r2.upserted.get(e.id().orElseThrow()).summary()).isEqualTo(changed.summary());
    }

    @Test
    @DisplayName("CH-003 a deletion is seen by the next incremental read")
    void ch003() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        Event e = create(timed("to-delete", at(20, 3, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        SyncCursor cursor = readAll(SyncCursor.START).cursor;
        connection.writer().delete(calendar, e.id().orElseThrow(), null);
        ReadResult r = readAll(cursor);
        assertThat(r.deleted).as("deleted ids").contains(e.id().orElseThrow());
        assertThat(r.upserted).doesNotContainKey(e.id().orElseThrow());
    }

    @Test
    @DisplayName("CH-004 an invalidated cursor answers ResyncRequired, and a full read works after it")
    void ch004() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        requiresFixture(Feature.INVALIDATE_CURSORS);
        Event e = create(timed("resync", at(20, 4, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        SyncCursor cursor = readAll(SyncCursor.START).cursor;
        fixture.invalidateCursors(calendar);
        assertThat(connection.changes().changes(calendar, cursor)).isInstanceOf(ChangeBatch.ResyncRequired.class);
        ReadResult again = readAll(SyncCursor.START);
        assertThat(again.upserted).containsKey(e.id().orElseThrow());
    }

    @Test
    @DisplayName("CH-005 a cursor the provider never issued answers ResyncRequired or InvalidInputException")
    void ch005() {
        requires(Capability.INCREMENTAL_CHANGES);
        Throwable t = catchThrowable(() -> {
            ChangeBatch b = connection.changes().changes(calendar, SyncCursor.of(tag + "-not-a-cursor"));
            assertThat(b).isInstanceOf(ChangeBatch.ResyncRequired.class);
        });
        if (t != null && !(t instanceof InvalidInputException)) {
            fail("expected ResyncRequired or InvalidInputException, got " + t, t);
        }
    }

    @Test
    @DisplayName("CH-006 changedCalendars names the calendar whose events changed, and only it")
    void ch006() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.CALENDAR_CHANGE_TAGS, Capability.WRITE_EVENTS);
        Map<String, String> tags = new HashMap<>();
        connection.changes().changedCalendars(self, Map.of()).forEach((ref, t) -> tags.put(ref.id(), t));
        assertThat(connection.changes().changedCalendars(self, tags)).as("nothing changed yet").isEmpty();
        create(timed("tagged", at(20, 4, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Map<CalendarRef, String> changed = connection.changes().changedCalendars(self, tags);
        String primaryId = connection.supports(Capability.READ_EVENTS)
                ? connection.reader().calendars(self).stream().filter(CalendarInfo::primary).findFirst()
                        .orElseThrow().ref().id()
                : null;
        assertThat(changed).hasSize(1);
        CalendarRef ref = changed.keySet().iterator().next();
        if (primaryId != null) {
            assertThat(ref.id()).isEqualTo(primaryId);
        }
        assertThat(changed.get(ref)).isNotEqualTo(tags.get(ref.id()));
    }

    // =====================================================================================================
    // Impersonation

    @Test
    @DisplayName("IM-001 acting as a mailbox gives a USER connection that reads its calendars")
    void im001() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        CalendarConnection asSelf = org.impersonator().actAs(self);
        extraConnections.add(asSelf);
        assertThat(asSelf.scope()).isEqualTo(ConnectionScope.USER);
        assertThat(asSelf.self()).hasValue(self);
        assumeTrue(asSelf.supports(Capability.READ_EVENTS), "the impersonated connection cannot read events");
        assertThat(asSelf.reader().calendars(self)).isNotEmpty();
    }

    @Test
    @DisplayName("IM-002 checkAccess allows a mailbox in scope and refuses one outside, with a reason")
    void im002() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        Mailbox outside = outOfScope();
        assertThat(org.impersonator().checkAccess(self).allowed()).isTrue();
        AccessCheck denied = org.impersonator().checkAccess(outside);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isNotNull();
        assertThat(denied.detail()).isNotBlank();
    }

    @Test
    @DisplayName("IM-003 acting as a mailbox outside the scope fails with PermissionDeniedException")
    void im003() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        Mailbox outside = outOfScope();
        assertThatThrownBy(() -> {
            CalendarConnection c = org.impersonator().actAs(outside);
            extraConnections.add(c);
            c.reader().calendars(outside);
        }).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    @DisplayName("IM-004 organization free/busy reports an out-of-scope mailbox's own PermissionDenied error")
    void im004() {
        CalendarConnection org = organization(Capability.FREE_BUSY);
        Mailbox outside = outOfScope();
        FreeBusyResult r = org.freeBusy().query(FreeBusyRequest.of(List.of(self, outside), week(21)));
        assertThat(r.get(self)).hasValueSatisfying(fb -> assertThat(fb.ok()).isTrue());
        assertThat(r.get(outside)).hasValueSatisfying(fb -> assertThat(fb.error())
                .isInstanceOf(PermissionDeniedException.class));
    }

    // =====================================================================================================
    // Directory

    @Test
    @DisplayName("DIR-001 the directory lists every user exactly once, the connected one included")
    void dir001() {
        DirectoryReader dir = directory();
        List<Mailbox> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            DirectoryPage page = dir.users(token);
            page.entries().forEach(u -> all.add(u.mailbox()));
            token = page.nextPageToken();
            assertThat(++pages).as("pages (runaway paging?)").isLessThan(10_000);
        } while (token != null);
        assertThat(all).doesNotHaveDuplicates().contains(self);
        assertThat(dir.allUsers()).extracting(DirectoryEntry::mailbox).containsExactlyElementsOf(all);
    }

    @Test
    @DisplayName("DIR-002 the directory lists the other users of the organization")
    void dir002() {
        requiresFixture(Feature.OTHER_MAILBOX);
        assertThat(directory().allUsers()).extracting(DirectoryEntry::mailbox).contains(fixture.otherMailbox().orElseThrow());
    }

    // =====================================================================================================
    // Push

    @Test
    @DisplayName("PU-001 subscribe returns a live subscription for the calendar that expires within the asked lifetime")
    void pu001() {
        requires(Capability.PUSH_INBOUND);
        Instant before = fixture.clock().instant();
        Subscription s = subscribe(Secret.of(tag + "-state"), Duration.ofHours(1));
        assertThat(s.id()).isNotBlank();
        assertThat(s.calendar().mailbox()).isEqualTo(self);
        assertThat(s.expiresAt()).isAfter(before)
                .isBeforeOrEqualTo(fixture.clock().instant().plus(Duration.ofHours(1)).plusSeconds(60));
    }

    @Test
    @DisplayName("PU-002 a change is pushed, and handle() turns the notification into a CHANGED signal")
    void pu002() {
        requires(Capability.PUSH_INBOUND, Capability.WRITE_EVENTS);
        requiresFixture(Feature.WEBHOOKS);
        Subscription s = subscribe(Secret.of(tag + "-state"), Duration.ofHours(1));
        fixture.takeWebhooks();
        create(timed("pushed", at(22, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        List<WebhookRequest> hooks = fixture.takeWebhooks();
        assertThat(hooks).as("webhook requests after a change").isNotEmpty();
        List<ChangeSignal> signals = new ArrayList<>();
        for (WebhookRequest h : hooks) {
            WebhookResponse resp = connection.push().handle(h);
            assertThat(resp.status()).as("answer to a genuine notification").isBetween(200, 299);
            signals.addAll(resp.signals());
        }
        assertThat(signals).anySatisfy(sig -> {
            assertThat(sig.kind()).isEqualTo(ChangeSignal.Kind.CHANGED);
            assertThat(sig.calendar().mailbox()).isEqualTo(self);
            assertThat(sig.subscriptionId()).isEqualTo(s.id());
        });
    }

    @Test
    @DisplayName("PU-003 a forged notification (wrong client state) is refused with 4xx and no signals")
    void pu003() {
        requires(Capability.PUSH_INBOUND, Capability.WRITE_EVENTS);
        requiresFixture(Feature.WEBHOOKS);
        String secret = tag + "-secret-state";
        subscribe(Secret.of(secret), Duration.ofHours(1));
        fixture.takeWebhooks();
        create(timed("forged", at(22, 0, 11, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        List<WebhookRequest> hooks = fixture.takeWebhooks();
        assertThat(hooks).isNotEmpty();
        String forged = "X".repeat(secret.length());
        for (WebhookRequest h : hooks) {
            WebhookResponse resp = connection.push().handle(forge(h, secret, forged));
            assertThat(resp.status()).as("answer to a forged notification").isBetween(400, 499);
            assertThat(resp.signals()).isEmpty();
        }
    }

    @Test
    @DisplayName("PU-004 renew extends a live subscription")
    void pu004() {
        requires(Capability.PUSH_INBOUND);
        Subscription s = subscribe(Secret.of(tag + "-state"), Duration.ofMinutes(30));
        Subscription renewed = connection.push().renew(s, request(Secret.of(tag + "-state"), Duration.ofHours(2)));
        subscriptions.add(renewed);
        assertThat(renewed.calendar()).isEqualTo(s.calendar());
        assertThat(renewed.expiresAt()).isAfter(s.expiresAt());
    }

    @Test
    @DisplayName("PU-005 an expired subscription is not silently renewed, and its notifications say it ended")
    void pu005() {
        requires(Capability.PUSH_INBOUND);
        requiresFixture(Feature.EXPIRE_SUBSCRIPTION);
        Subscription s = subscribe(Secret.of(tag + "-state"), Duration.ofHours(1));
        if (fixture.features().contains(Feature.WEBHOOKS)) {
            fixture.takeWebhooks();
        }
        fixture.expireSubscription(s);
        if (fixture.features().contains(Feature.WEBHOOKS)) {
            for (WebhookRequest h : fixture.takeWebhooks()) {
                assertThat(connection.push().handle(h).signals()).extracting(ChangeSignal::kind)
                        .containsOnly(ChangeSignal.Kind.SUBSCRIPTION_ENDED);
            }
        }
        Throwable t = catchThrowable(() -> {
            Subscription renewed = connection.push().renew(s, request(Secret.of(tag + "-state"), Duration.ofHours(1)));
            subscriptions.add(renewed);
            assertThat(renewed.id()).as("an expired subscription is replaced, not extended").isNotEqualTo(s.id());
        });
        if (t != null && !(t instanceof NotFoundException)) {
            fail("renewing an expired subscription must fail with NotFoundException or replace it, got " + t, t);
        }
    }

    @Test
    @DisplayName("PU-006 unsubscribing twice succeeds")
    void pu006() {
        requires(Capability.PUSH_INBOUND);
        Subscription s = subscribe(Secret.of(tag + "-state"), Duration.ofHours(1));
        connection.push().unsubscribe(s);
        connection.push().unsubscribe(s);
        subscriptions.remove(s);
    }

    // =====================================================================================================
    // Error mapping

    @Test
    @DisplayName("ER-001 HTTP 401 becomes ReauthorizationRequiredException")
    void er001() {
        requires(Capability.READ_EVENTS);
        assertThat(injected(SpiOperation.LIST_EVENTS, 401, null, this::listWeek0))
                .isInstanceOf(ReauthorizationRequiredException.class);
    }

    @Test
    @DisplayName("ER-002 HTTP 403 becomes PermissionDeniedException")
    void er002() {
        requires(Capability.READ_EVENTS);
        assertThat(injected(SpiOperation.LIST_EVENTS, 403, null, this::listWeek0))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    @DisplayName("ER-003 HTTP 404 becomes NotFoundException")
    void er003() {
        requires(Capability.READ_EVENTS);
        assertThat(injected(SpiOperation.LIST_EVENTS, 404, null, this::listWeek0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("ER-004 HTTP 409 on a write becomes ConflictException")
    void er004() {
        requires(Capability.WRITE_EVENTS);
        Event made = create(timed("conflict-409", at(0, 4, 15, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        assertThat(injected(SpiOperation.UPDATE_EVENT, 409, null,
                () -> connection.writer().update(calendar, made.toBuilder().summary(tag + " x").build())))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("ER-005 HTTP 412 on a write becomes ConflictException")
    void er005() {
        requires(Capability.WRITE_EVENTS);
        Event made = create(timed("conflict-412", at(0, 4, 17, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        assertThat(injected(SpiOperation.UPDATE_EVENT, 412, null,
                () -> connection.writer().update(calendar, made.toBuilder().summary(tag + " y").build())))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("ER-006 HTTP 429 that persists becomes a retryable RateLimitedException")
    void er006() {
        requires(Capability.READ_EVENTS);
        CalendarException e = injected(SpiOperation.LIST_EVENTS, 429, Duration.ofSeconds(1), this::listWeek0);
        assertThat(e).isInstanceOf(RateLimitedException.class);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    @DisplayName("ER-007 HTTP 500 and 503 that persist become a retryable ProviderUnavailableException")
    void er007() {
        requires(Capability.READ_EVENTS);
        for (int status : new int[] {500, 503}) {
            CalendarException e = injected(SpiOperation.LIST_EVENTS, status, null, this::listWeek0);
            assertThat(e).as("status " + status).isInstanceOf(ProviderUnavailableException.class);
            assertThat(e.retryable()).isTrue();
        }
    }

    @Test
    @DisplayName("ER-008 errors name the provider and the mailbox")
    void er008() {
        requires(Capability.READ_EVENTS);
        CalendarException e = injected(SpiOperation.LIST_EVENTS, 503, null, this::listWeek0);
        assertThat(e.provider()).hasValue(connection.providerId());
        assertThat(e.mailbox()).hasValue(self);
    }

    // =====================================================================================================
    // Cancellation

    @Test
    @DisplayName("CA-001 cancelling an async free/busy call cancels the future and aborts the call in flight")
    void ca001() throws Exception {
        requires(Capability.FREE_BUSY);
        FreeBusyRequest req = FreeBusyRequest.of(List.of(self), week(22));
        cancelInFlight(SpiOperation.FREE_BUSY, exec -> connection.freeBusy().queryAsync(req, exec));
    }

    @Test
    @DisplayName("CA-002 cancelling an async list call cancels the future and aborts the call in flight")
    void ca002() throws Exception {
        requires(Capability.READ_EVENTS);
        EventQuery q = EventQuery.of(calendar, week(22));
        cancelInFlight(SpiOperation.LIST_EVENTS, exec -> connection.reader().listAsync(q, exec));
    }

    // =====================================================================================================
    // API shapes of issue 11 (items 5, 6, 7, 10): window rule, occurrence versions, write options, access
    // reasons, set-up checks, directory kinds. Kept together so that this block merges on its own.

    @Test
    @DisplayName("RD-101 a window read returns exactly the events that Recurrences.occursIn places in the window")
    void rd101() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        ZonedDateTime monday = at(40, 0, 0, 0, ZoneOffset.UTC);
        TimeWindow window = TimeWindow.of(monday.toInstant(), monday.plusDays(2).toInstant());
        Event inside = create(timed("inside", monday.withHour(10), Duration.ofHours(1)));
        Event endsAtStart = create(timed("ends at start", monday.minusHours(1), Duration.ofHours(1)));
        Event startsAtEnd = create(timed("starts at end", monday.plusDays(2), Duration.ofHours(1)));
        Event before = create(daily("begun before", monday.minusDays(5).withHour(8), 10));
        Event sunday = daily("excluded inside", monday.minusDays(1).withHour(10), 3);
        sunday = create(sunday.toBuilder().recurrence(sunday.recurrence().orElseThrow().withExdates(
                List.of(EventTime.of(monday.withHour(10)), EventTime.of(monday.plusDays(1).withHour(10))))).build());
        ZoneId zone = fixture.floatingZone();
        List<Event> stored = new ArrayList<>();
        for (Event e : List.of(inside, endsAtStart, startsAtEnd, before, sunday)) {
            stored.add(connection.reader().get(calendar, e.id().orElseThrow()).orElseThrow());
        }
        List<String> expected = stored.stream().filter(e -> Recurrences.occursIn(e, window, zone))
                .map(e -> e.id().orElseThrow()).toList();
        assertThat(expected).as("the shared rule itself").containsExactlyInAnyOrder(inside.id().orElseThrow(),
                before.id().orElseThrow());
        List<String> listed = connection.reader().listAll(calendar, window).stream().filter(this::ours)
                .map(e -> e.id().orElseThrow()).toList();
        assertThat(listed).as("the provider's window read").containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @DisplayName("RD-102 a working connection's set-up check reports its credential valid")
    void rd102() {
        assumeTrue(connection.supports(Capability.READ_EVENTS) || connection.supports(Capability.FREE_BUSY),
                "the connection can neither read events nor free/busy");
        SetupCheck setup = connection.checkSetup();
        assertThat(setup.item(SetupCheck.Requirement.CREDENTIAL_VALID)).as("CREDENTIAL_VALID item")
                .hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(SetupCheck.Status.OK));
    }

    @Test
    @DisplayName("WR-101 an occurrence keeps its own version: a change with it succeeds, a change with a stale one conflicts")
    void wr101() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        ZonedDateTime start = at(41, 0, 10, 0, ZoneOffset.UTC);
        Event master = create(daily("occurrence versions", start, 3));
        String id = master.id().orElseThrow();
        EventTime tuesday = EventTime.of(start.plusDays(1));
        Event first = connection.writer().updateOccurrence(calendar, id, timed("moved once", start.plusDays(1)
                .withHour(14), Duration.ofHours(1)).toBuilder().recurrenceId(tuesday).build(), null);
        String v1 = overrideAt(first, tuesday).version().orElse(null);
        assertThat(v1).as("the override's version in the write's answer").isNotBlank();
        Event read = connection.reader().get(calendar, id).orElseThrow();
        assertThat(read.overrides()).as("every override read back has a version")
                .allSatisfy(o -> assertThat(o.version()).isPresent());
        assertThat(overrideAt(read, tuesday).version()).as("read back").hasValue(v1);
        Event second = connection.writer().updateOccurrence(calendar, id, timed("moved twice", start.plusDays(1)
                .withHour(15), Duration.ofHours(1)).toBuilder().recurrenceId(tuesday).build(), v1);
        String v2 = overrideAt(second, tuesday).version().orElse(null);
        assertThat(v2).as("a changed occurrence has a new version").isNotBlank().isNotEqualTo(v1);
        assertThatThrownBy(() -> connection.writer().updateOccurrence(calendar, id, timed("stale", start.plusDays(1)
                .withHour(16), Duration.ofHours(1)).toBuilder().recurrenceId(tuesday).build(), v1))
                .isInstanceOf(ConflictException.class);
        assertThat(overrideAt(connection.reader().get(calendar, id).orElseThrow(), tuesday).start()
                .toInstant(ZoneOffset.UTC)).as("the stale change changed nothing")
                .isEqualTo(start.plusDays(1).withHour(15).toInstant());
    }

    @Test
    @DisplayName("WR-102 deleting with Removal.CANCEL ends the meeting: gone, or kept as CANCELLED")
    void wr102() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        ZonedDateTime start = at(42, 1, 9, 0, ZoneOffset.UTC);
        Event made = create(timed("cancel meeting", start, Duration.ofHours(1)).toBuilder()
                .attendee(Attendee.required(self)).build());
        connection.writer().delete(calendar, made.id().orElseThrow(), made.version().orElse(null),
                WriteOptions.cancelMeeting());
        assertThat(connection.reader().get(calendar, made.id().orElseThrow()))
                .as("after a cancellation").satisfiesAnyOf(o -> assertThat(o).isEmpty(),
                        o -> assertThat(o.orElseThrow().isCancelled()).isTrue());
        assertThat(connection.reader().listAll(calendar, week(42)).stream().filter(this::ours)
                .filter(e -> !e.isCancelled())).as("active events after the cancellation").isEmpty();
        connection.writer().delete(calendar, made.id().orElseThrow(), null, WriteOptions.defaults());
        assertThat(connection.reader().get(calendar, made.id().orElseThrow())).as("after a plain delete").isEmpty();
    }

    @Test
    @DisplayName("WR-103 writes with Notify.NONE are honoured with NOTIFY_CONTROL, refused with UnsupportedCapabilityException without it")
    void wr103() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        WriteOptions silent = WriteOptions.silent();
        Event draft = timed("silent", at(43, 2, 11, 0, ZoneOffset.UTC), Duration.ofHours(1)).toBuilder()
                .attendee(Attendee.required(self)).build();
        EventKey key = nextKey();
        if (!connection.supports(Capability.NOTIFY_CONTROL)) {
            assertThatThrownBy(() -> connection.writer().create(calendar, key, draft, silent))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThat(connection.reader().findByKey(calendar, key)).as("nothing was created").isEmpty();
            return;
        }
        Event made = connection.writer().create(calendar, key, draft, silent);
        created.add(made.id().orElseThrow());
        Event changed = connection.writer().update(calendar, made.toBuilder().location("Room 1").build(), silent);
        assertThat(changed.location()).hasValue("Room 1");
        if (connection.supports(Capability.RSVP)) {
            Event answered = connection.writer().respond(calendar, made.id().orElseThrow(), self,
                    Attendee.ResponseStatus.TENTATIVE, silent);
            assertThat(answered.attendee(self)).map(Attendee::response).hasValue(Attendee.ResponseStatus.TENTATIVE);
        }
        connection.writer().delete(calendar, made.id().orElseThrow(), null, silent);
        assertThat(connection.reader().get(calendar, made.id().orElseThrow())).isEmpty();
    }

    @Test
    @DisplayName("IM-101 checkAccess refuses with a reason code: NOT_IN_SCOPE outside the scope, NOT_FOUND for an unknown mailbox")
    void im101() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        Mailbox outside = outOfScope();
        AccessCheck denied = org.impersonator().checkAccess(outside);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(AccessCheck.Reason.NOT_IN_SCOPE);
        Mailbox unknown = Mailbox.of(tag + "-nobody@" + self.domain());
        AccessCheck missing = org.impersonator().checkAccess(unknown);
        assertThat(missing.allowed()).isFalse();
        assertThat(missing.reason()).isEqualTo(AccessCheck.Reason.NOT_FOUND);
        AccessCheck ok = org.impersonator().checkAccess(self);
        assertThat(ok.allowed()).isTrue();
        assertThat(ok.reason()).isNull();
    }

    @Test
    @DisplayName("IM-102 checkAccess over many mailboxes answers each one, in request order")
    void im102() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        Mailbox outside = outOfScope();
        Mailbox unknown = Mailbox.of(tag + "-nobody@" + self.domain());
        List<Mailbox> asked = List.of(outside, self, unknown, self);
        List<AccessCheck> checks = org.impersonator().checkAccess(asked);
        assertThat(checks).extracting(AccessCheck::mailbox).containsExactlyElementsOf(asked);
        assertThat(checks).extracting(AccessCheck::allowed).containsExactly(false, true, false, true);
        assertThat(checks.get(0).reason()).isEqualTo(AccessCheck.Reason.NOT_IN_SCOPE);
        assertThat(checks.get(2).reason()).isEqualTo(AccessCheck.Reason.NOT_FOUND);
    }

    @Test
    @DisplayName("IM-103 a working organization's set-up check reports every item OK, its credential included")
    void im103() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        SetupCheck setup = org.impersonator().checkSetup();
        assertThat(setup.items()).as("set-up items").isNotEmpty();
        assertThat(setup.problems()).as("problems").isEmpty();
        assertThat(setup.item(SetupCheck.Requirement.CREDENTIAL_VALID)).as("CREDENTIAL_VALID item").isPresent();
        assertThat(org.checkSetup()).as("the connection's own check").isEqualTo(setup);
    }

    @Test
    @DisplayName("DIR-101 users() lists people only and rooms() rooms and equipment only; only rooms have capacity or building")
    void dir101() {
        CalendarConnection owner = directoryConnection();
        DirectoryReader dir = owner.directory();
        List<DirectoryEntry> people = dir.allUsers();
        assertThat(people).extracting(DirectoryEntry::kind).containsOnly(DirectoryEntry.Kind.PERSON);
        assertThat(people).allSatisfy(p -> assertThat(p.aliases()).doesNotContain(p.mailbox()).doesNotHaveDuplicates());
        assumeTrue(owner.supports(Capability.DIRECTORY_ROOMS), "the directory's connection does not declare DIRECTORY_ROOMS");
        List<DirectoryEntry> rooms = dir.allRooms();
        assertThat(rooms).extracting(DirectoryEntry::kind).doesNotContain(DirectoryEntry.Kind.PERSON);
        assertThat(rooms).filteredOn(r -> r.kind() != DirectoryEntry.Kind.ROOM)
                .allSatisfy(r -> assertThat(r.capacity()).isNull());
        assertThat(rooms).extracting(DirectoryEntry::mailbox)
                .doesNotContainAnyElementsOf(people.stream().map(DirectoryEntry::mailbox).toList());
    }

    @Test
    @DisplayName("DIR-102 members of an unknown group are refused with NotFoundException")
    void dir102() {
        CalendarConnection owner = directoryConnection();
        assumeTrue(owner.supports(Capability.DIRECTORY_GROUPS), "the directory's connection does not declare DIRECTORY_GROUPS");
        DirectoryReader dir = owner.directory();
        assertThatThrownBy(() -> dir.groupMembers(tag + "-no-group@" + self.domain(), null))
                .isInstanceOf(NotFoundException.class);
    }

    /** The connection whose directory the DIR rules read: the organization's when the fixture has one. */
    private CalendarConnection directoryConnection() {
        if (fixture.features().contains(Feature.ORGANIZATION)) {
            CalendarConnection org = fixture.connectOrganization();
            extraConnections.add(org);
            if (org.supports(Capability.DIRECTORY)) {
                return org;
            }
        }
        requires(Capability.DIRECTORY);
        return connection;
    }

    private static Event overrideAt(Event series, EventTime recurrenceId) {
        Instant at = recurrenceId.toInstant(ZoneOffset.UTC);
        return series.overrides().stream().filter(o -> o.recurrenceId().orElseThrow().toInstant(ZoneOffset.UTC)
                .equals(at)).findFirst().orElseThrow(() -> new AssertionError("no override at " + recurrenceId));
    }

    // =====================================================================================================
    // helpers

    private void cancelInFlight(SpiOperation op,
                                java.util.function.Function<java.util.concurrent.Executor, CompletableFuture<?>> call)
            throws Exception {
        requiresFixture(Feature.DELAY);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            java.util.concurrent.Executor exec = r -> pool.execute(() -> {
                started.countDown();
                r.run();
            });
            fixture.delayNext(op, Duration.ofSeconds(60));
            CompletableFuture<?> slow = call.apply(exec);
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the call started").isTrue();
            Thread.sleep(200); // let it reach the slow part
            assertThat(slow.cancel(true)).isTrue();
            assertThat(slow.isCancelled()).isTrue();
            assertThatThrownBy(slow::join).isInstanceOf(CancellationException.class);
            // If the cancel overtook the request, the delay is still armed: disarm it so that only an
            // unaborted first call (still holding the single worker thread for 60 s) can block the next one.
            fixture.clearFaults();
            CompletableFuture<?> next = call.apply(exec);
            next.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private CalendarException injected(SpiOperation op, int status, Duration retryAfter, Runnable call) {
        requiresFixture(Feature.INJECT_STATUS);
        fixture.failNext(op, status, retryAfter);
        try {
            Throwable t = catchThrowable(call::run);
            assertThat(t).as("the call after an injected " + status).isInstanceOf(CalendarException.class);
            return (CalendarException) t;
        } finally {
            fixture.clearFaults();
        }
    }

    private void listWeek0() {
        connection.reader().list(EventQuery.of(calendar, week(0)));
    }

    private CalendarConnection organization(Capability needed) {
        requiresFixture(Feature.ORGANIZATION);
        CalendarConnection org = fixture.connectOrganization();
        extraConnections.add(org);
        assumeTrue(org.supports(needed), "the organization connection does not declare " + needed);
        return org;
    }

    private Mailbox outOfScope() {
        Optional<Mailbox> m = fixture.outOfScopeMailbox();
        assumeTrue(m.isPresent(), "the fixture has no mailbox outside the service account's scope");
        return m.get();
    }

    private DirectoryReader directory() {
        if (fixture.features().contains(Feature.ORGANIZATION)) {
            CalendarConnection org = fixture.connectOrganization();
            extraConnections.add(org);
            if (org.supports(Capability.DIRECTORY)) {
                return org.directory();
            }
        }
        requires(Capability.DIRECTORY);
        return connection.directory();
    }

    private Subscription subscribe(Secret state, Duration ttl) {
        Subscription s = connection.push().subscribe(calendar, request(state, ttl));
        subscriptions.add(s);
        return s;
    }

    private static SubscriptionRequest request(Secret state, Duration ttl) {
        return new SubscriptionRequest(HOOK, state, ttl);
    }

    private static WebhookRequest forge(WebhookRequest h, String secret, String forged) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        h.headers().forEach((k, v) -> headers.put(k, v.stream().map(x -> x.replace(secret, forged)).toList()));
        Map<String, String> query = new LinkedHashMap<>();
        h.query().forEach((k, v) -> query.put(k, v.replace(secret, forged)));
        String body = new String(h.body(), StandardCharsets.UTF_8).replace(secret, forged);
        return new WebhookRequest(h.method(), headers, query, body.getBytes(StandardCharsets.UTF_8));
    }

    private static final class ReadResult {
        final Map<String, Event> upserted = new LinkedHashMap<>();
        final Set<String> deleted = new HashSet<>();
        SyncCursor cursor;
        boolean allFull = true;
        boolean anyFull;
    }

    private ReadResult readAll(SyncCursor from) {
        ReadResult r = new ReadResult();
        SyncCursor cursor = from;
        for (int i = 0; i < 10_000; i++) {
            ChangeBatch b = connection.changes().changes(calendar, cursor);
            if (!(b instanceof ChangeBatch.Changes c)) {
                throw new AssertionError("unexpected " + b + " reading from " + cursor);
            }
            for (EventChange ch : c.changes()) {
                if (ch instanceof EventChange.Upserted u) {
                    r.upserted.put(u.eventId(), u.event());
                    r.deleted.remove(u.eventId());
                } else {
                    r.deleted.add(ch.eventId());
                    r.upserted.remove(ch.eventId());
                }
            }
            r.allFull &= c.full();
            r.anyFull |= c.full();
            cursor = c.next();
            if (!c.hasMore()) {
                r.cursor = cursor;
                return r;
            }
        }
        throw new AssertionError("the change feed never ended (hasMore stayed true)");
    }

    private long countOurs(TimeWindow window, String summary) {
        return connection.reader().listAll(calendar, window).stream().filter(e -> e.summary().equals(summary)).count();
    }

    private boolean ours(Event e) {
        return e.summary().startsWith(tag);
    }

    private List<BusyInterval> busy(Mailbox who, TimeWindow window) {
        FreeBusy fb = connection.freeBusy().query(FreeBusyRequest.of(List.of(who), window)).get(who)
                .orElseThrow(() -> new AssertionError("no free/busy answer for " + who));
        assertThat(fb.error()).as("free/busy error for " + who).isNull();
        return fb.busy();
    }

    private static List<BusyInterval> overlapping(List<BusyInterval> busy, Instant start, Instant end) {
        return busy.stream().filter(b -> b.overlaps(start, end)).toList();
    }

    private static BusyInterval interval(Instant start, Instant end, BusyStatus status) {
        return BusyInterval.of(start, end, status);
    }

    /** Compares start, end and status only (the event id is optional per provider). */
    private static org.assertj.core.api.ListAssert<BusyInterval> assertBusy(List<BusyInterval> busy) {
        return assertThat(busy).usingElementComparator(java.util.Comparator.comparing(BusyInterval::start)
                .thenComparing(BusyInterval::end).thenComparing(BusyInterval::status));
    }

    private Event create(Event e) {
        Event made = connection.writer().create(calendar, nextKey(), e);
        created.add(made.id().orElseThrow());
        return made;
    }

    private EventKey nextKey() {
        return EventKey.of(tag + "-" + (++keys));
    }

    private Event timed(String what, ZonedDateTime start, Duration length) {
        return Event.builder().summary(tag + " " + what)
                .start(EventTime.of(start)).end(EventTime.of(start.plus(length))).build();
    }

    private Event allDay(String what, LocalDate first, LocalDate endExclusive) {
        return Event.builder().summary(tag + " " + what)
                .start(EventTime.allDay(first)).end(EventTime.allDay(endExclusive)).build();
    }

    private Event daily(String what, ZonedDateTime start, int count) {
        return timed(what, start, Duration.ofHours(1)).toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=" + count)).build();
    }

    /** Monday of week {@code n} (from 2031-01-06) plus {@code day} days, at {@code hour:minute} in {@code zone}. */
    private static ZonedDateTime at(int week, int day, int hour, int minute, ZoneId zone) {
        return ZonedDateTime.of(LocalDateTime.of(BASE.plusWeeks(week).plusDays(day), java.time.LocalTime.of(hour, minute)), zone);
    }

    private static TimeWindow week(int n) {
        Instant s = BASE.plusWeeks(n).atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofDays(1));
        return TimeWindow.of(s, s.plus(Duration.ofDays(9)));
    }

    private void requires(Capability... capabilities) {
        for (Capability c : capabilities) {
            assumeTrue(connection.supports(c), () -> "provider '" + connection.providerId() + "' does not declare " + c);
        }
    }

    private void requiresFixture(Feature feature) {
        assumeTrue(fixture.features().contains(feature),
                () -> "the provider's TckFixture does not offer " + feature + " (see TckFixture.Feature)");
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // best-effort clean-up
        }
    }
}
