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
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.api.WriteOptions;
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
import org.calsdk.ical.Recurrences;
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
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.tck.TckFixture.Feature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
     *
     * @return a new open connection
     */
    protected abstract CalendarConnection connect();

    /**
     * What the service behind the provider can do for the TCK; default: nothing ({@link TckFixture#none()}).
     *
     * @return the fixture
     */
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
        assertBusy(busy(self, week(1)))
                .contains(interval(start.toInstant(), start.plusHours(1).toInstant(), BusyStatus.BUSY));
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
        assertBusy(busy(self, week(2)))
                .contains(interval(
                        day.atStartOfDay(zone).toInstant(),
                        day.plusDays(1).atStartOfDay(zone).toInstant(),
                        BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-004 a weekly series keeps its local time across a daylight-saving change")
    void fb004() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        // Europe/Berlin moves to summer time on Sunday 2031-03-30.
        ZonedDateTime first = ZonedDateTime.of(2031, 3, 20, 10, 0, 0, 0, BERLIN);
        create(timed("dst-weekly", first, Duration.ofHours(1)).toBuilder()
                .recurrence(Recurrence.rule("FREQ=WEEKLY;COUNT=3"))
                .build());
        TimeWindow w = TimeWindow.of(Instant.parse("2031-03-17T00:00:00Z"), Instant.parse("2031-04-07T00:00:00Z"));
        assertBusy(busy(self, w))
                .contains(
                        interval(
                                Instant.parse("2031-03-20T09:00:00Z"),
                                Instant.parse("2031-03-20T10:00:00Z"),
                                BusyStatus.BUSY),
                        interval(
                                Instant.parse("2031-03-27T09:00:00Z"),
                                Instant.parse("2031-03-27T10:00:00Z"),
                                BusyStatus.BUSY),
                        interval(
                                Instant.parse("2031-04-03T08:00:00Z"),
                                Instant.parse("2031-04-03T09:00:00Z"),
                                BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-005 a recurring series is busy at each of its occurrences in the window")
    void fb005() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(3, 0, 10, 0, ZoneOffset.UTC);
        create(daily("daily", start, 5));
        List<BusyInterval> busy = busy(self, week(3));
        for (int d = 0; d < 5; d++) {
            assertBusy(busy)
                    .contains(interval(
                            start.plusDays(d).toInstant(),
                            start.plusDays(d).plusHours(1).toInstant(),
                            BusyStatus.BUSY));
        }
        assertThat(overlapping(
                        busy, start.plusDays(5).toInstant(), start.plusDays(6).toInstant()))
                .as("no occurrence after COUNT")
                .isEmpty();
    }

    @Test
    @DisplayName("FB-006 an occurrence excluded by EXDATE is not busy")
    void fb006() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(4, 0, 10, 0, ZoneOffset.UTC);
        Event series = daily("exdate", start, 5);
        series = series.toBuilder()
                .recurrence(series.recurrence().orElseThrow().withExdates(List.of(EventTime.of(start.plusDays(2)))))
                .build();
        create(series);
        List<BusyInterval> busy = busy(self, week(4));
        assertThat(overlapping(
                        busy,
                        start.plusDays(2).toInstant(),
                        start.plusDays(2).plusHours(1).toInstant()))
                .as("the excluded Wednesday")
                .isEmpty();
        assertBusy(busy)
                .contains(interval(
                        start.plusDays(3).toInstant(),
                        start.plusDays(3).plusHours(1).toInstant(),
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
                        .recurrenceId(EventTime.of(movedFrom))
                        .build())
                .build();
        create(series);
        List<BusyInterval> busy = busy(self, week(5));
        assertBusy(busy)
                .contains(interval(movedTo.toInstant(), movedTo.plusHours(1).toInstant(), BusyStatus.BUSY));
        assertThat(overlapping(
                        busy, movedFrom.toInstant(), movedFrom.plusHours(1).toInstant()))
                .as("the original slot of the moved occurrence")
                .isEmpty();
        assertBusy(busy).contains(interval(start.toInstant(), start.plusHours(1).toInstant(), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-008 a transparent (free) event does not block time")
    void fb008() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(6, 0, 10, 0, ZoneOffset.UTC);
        create(timed("free", start, Duration.ofHours(1)).toBuilder()
                .transparency(Transparency.TRANSPARENT)
                .build());
        ZonedDateTime busyStart = at(6, 0, 13, 0, ZoneOffset.UTC);
        create(timed("busy", busyStart, Duration.ofHours(1)));
        List<BusyInterval> busy = busy(self, week(6));
        assertThat(overlapping(busy, start.toInstant(), start.plusHours(1).toInstant()))
                .isEmpty();
        assertBusy(busy)
                .contains(interval(busyStart.toInstant(), busyStart.plusHours(1).toInstant(), BusyStatus.BUSY));
    }

    @Test
    @DisplayName("FB-009 an unknown mailbox fails on its own; the other mailboxes are answered")
    void fb009() {
        requires(Capability.FREE_BUSY);
        Mailbox unknown = Mailbox.of(tag + "-nobody@" + self.domain());
        FreeBusyResult r = connection.freeBusy().query(FreeBusyRequest.of(List.of(self, unknown), week(21)));
        assertThat(r.get(self))
                .hasValueSatisfying(
                        fb -> assertThat(fb.ok()).as("own mailbox answered").isTrue());
        assertThat(r.get(unknown))
                .hasValueSatisfying(fb -> assertThat(fb.error())
                        .as("the unknown mailbox's own error")
                        .isInstanceOf(NotFoundException.class));
    }

    @Test
    @DisplayName("FB-010 busy intervals are clipped to the requested window")
    void fb010() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(7, 0, 22, 0, ZoneOffset.UTC);
        create(timed("late", start, Duration.ofHours(4)));
        Instant windowEnd = at(7, 1, 0, 0, ZoneOffset.UTC).toInstant();
        TimeWindow w = TimeWindow.of(week(7).start(), windowEnd);
        assertBusy(busy(self, w))
                .contains(interval(start.toInstant(), windowEnd, BusyStatus.BUSY))
                .allSatisfy(b -> assertThat(b.end()).isBeforeOrEqualTo(windowEnd));
    }

    // =====================================================================================================
    // Read

    @Test
    @DisplayName("RD-001 the connected mailbox has a primary calendar")
    void rd001() {
        requires(Capability.READ_EVENTS);
        List<CalendarInfo> cals = connection.reader().calendars(self);
        assertThat(cals)
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.ref().mailbox()).isEqualTo(self));
        assertThat(cals).filteredOn(CalendarInfo::primary).hasSize(1);
    }

    @Test
    @DisplayName("RD-002 an event reads back by id with its summary, description, location and instants")
    void rd002() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        ZonedDateTime start = at(0, 2, 9, 30, ZoneId.of("Asia/Kolkata"));
        Event made = create(timed("round-trip", start, Duration.ofMinutes(45)).toBuilder()
                .description("Agenda: numbers")
                .location("Room 7")
                .build());
        Event read = connection
                .reader()
                .get(calendar, made.id().orElseThrow())
                .orElseThrow(() -> new AssertionError("created event not found by id"));
        assertThat(read.summary()).isEqualTo(made.summary());
        assertThat(read.description()).hasValue("Agenda: numbers");
        assertThat(read.location()).hasValue("Room 7");
        assertThat(read.start().toInstant(ZoneOffset.UTC)).isEqualTo(start.toInstant());
        assertThat(read.end().toInstant(ZoneOffset.UTC))
                .isEqualTo(start.plusMinutes(45).toInstant());
    }

    @Test
    @DisplayName("RD-003 listing pages through every event exactly once")
    void rd003() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        Set<String> made = new HashSet<>();
        for (int d = 0; d < 5; d++) {
            made.add(create(timed("page-" + d, at(8, d, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)))
                    .id()
                    .orElseThrow());
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
        assertThat(seen)
                .as("our events over all pages")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(made);
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
                        .recurrenceId(EventTime.of(start.plusDays(3)))
                        .build())
                .build();
        Event made = create(series);
        Event read = connection.reader().get(calendar, made.id().orElseThrow()).orElseThrow();
        assertThat(read.recurrence()).as("recurrence").isPresent();
        assertThat(read.recurrence().orElseThrow().exdates())
                .extracting(t -> t.toInstant(ZoneOffset.UTC))
                .containsExactly(start.plusDays(2).toInstant());
        assertThat(read.overrides()).hasSize(1);
        Event o = read.overrides().get(0);
        assertThat(o.recurrenceId().orElseThrow().toInstant(ZoneOffset.UTC))
                .isEqualTo(start.plusDays(3).toInstant());
        assertThat(o.start().toInstant(ZoneOffset.UTC))
                .isEqualTo(start.plusDays(3).withHour(15).toInstant());
        List<Event> listed = connection.reader().listAll(calendar, week(9)).stream()
                .filter(this::ours)
                .toList();
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
        connection.reader().listAll(calendar, week(14)).stream()
                .filter(this::ours)
                .forEach(e -> ids.add(e.id().orElseThrow()));
        assertThat(ids)
                .contains(inside.id().orElseThrow(), series.id().orElseThrow())
                .doesNotContain(later.id().orElseThrow());
    }

    @Test
    @DisplayName("RD-008 an event created with a key is found by that key; an unknown key finds nothing")
    void rd008() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        EventKey key = nextKey();
        Event made = connection
                .writer()
                .create(calendar, key, timed("keyed", at(0, 3, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        created.add(made.id().orElseThrow());
        assertThat(connection.reader().findByKey(calendar, key))
                .map(e -> e.id().orElseThrow())
                .hasValue(made.id().orElseThrow());
        assertThat(connection.reader().findByKey(calendar, EventKey.of(tag + "-never-used")))
                .isEmpty();
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
        assertThat(connection.reader().findByKey(calendar, key))
                .map(x -> x.id().orElseThrow())
                .hasValue(retried.id().orElseThrow());
    }

    @Test
    @DisplayName("WR-004 an update with the current version succeeds and changes the version")
    void wr004() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("update", at(0, 2, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Event updated = connection
                .writer()
                .update(calendar, made.toBuilder().summary(tag + " updated").build());
        assertThat(updated.version()).isPresent().isNotEqualTo(made.version());
        assertThat(connection
                        .reader()
                        .get(calendar, made.id().orElseThrow())
                        .orElseThrow()
                        .summary())
                .isEqualTo(tag + " updated");
    }

    @Test
    @DisplayName("WR-005 an update with a stale version fails with ConflictException and changes nothing")
    void wr005() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("stale-update", at(0, 2, 15, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        connection
                .writer()
                .update(
                        calendar,
                        made.toBuilder().summary(tag + " first writer").build());
        assertThatThrownBy(() -> connection
                        .writer()
                        .update(
                                calendar,
                                made.toBuilder().summary(tag + " second writer").build()))
                .isInstanceOf(ConflictException.class);
        assertThat(connection
                        .reader()
                        .get(calendar, made.id().orElseThrow())
                        .orElseThrow()
                        .summary())
                .isEqualTo(tag + " first writer");
    }

    @Test
    @DisplayName("WR-006 a delete with a stale version fails with ConflictException and the event survives")
    void wr006() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("stale-delete", at(0, 3, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        connection
                .writer()
                .update(calendar, made.toBuilder().summary(tag + " changed").build());
        assertThatThrownBy(() -> connection
                        .writer()
                        .delete(
                                calendar,
                                made.id().orElseThrow(),
                                made.version().orElseThrow()))
                .isInstanceOf(ConflictException.class);
        assertThat(connection.reader().get(calendar, made.id().orElseThrow())).isPresent();
    }

    @Test
    @DisplayName("WR-007 delete removes the event, and deleting it again succeeds")
    void wr007() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("delete", at(0, 3, 15, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        connection
                .writer()
                .delete(calendar, made.id().orElseThrow(), made.version().orElseThrow());
        assertThat(connection
                        .reader()
                        .get(calendar, made.id().orElseThrow())
                        .filter(e -> e.status() != EventStatus.CANCELLED))
                .isEmpty();
        connection.writer().delete(calendar, made.id().orElseThrow(), null);
    }

    @Test
    @DisplayName("WR-008 updating an event that does not exist fails with NotFoundException")
    void wr008() {
        requires(Capability.WRITE_EVENTS);
        Event ghost = timed("ghost", at(0, 4, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)).toBuilder()
                .id(tag + "ghost")
                .build();
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
                .recurrenceId(EventTime.of(start.plusDays(1)))
                .build();
        connection.writer().updateOccurrence(calendar, master.id().orElseThrow(), override, null);
        Event read =
                connection.reader().get(calendar, master.id().orElseThrow()).orElseThrow();
        assertThat(read.overrides()).hasSize(1);
        assertThat(read.overrides().get(0).start().toInstant(ZoneOffset.UTC)).isEqualTo(to.toInstant());
        if (connection.supports(Capability.FREE_BUSY)) {
            List<BusyInterval> busy = busy(self, week(18));
            assertBusy(busy)
                    .contains(
                            interval(to.toInstant(), to.plusHours(1).toInstant(), BusyStatus.BUSY),
                            interval(start.toInstant(), start.plusHours(1).toInstant(), BusyStatus.BUSY));
            assertThat(overlapping(
                            busy,
                            start.plusDays(1).toInstant(),
                            start.plusDays(1).plusHours(1).toInstant()))
                    .isEmpty();
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
        Event read =
                connection.reader().get(calendar, master.id().orElseThrow()).orElseThrow();
        Instant at = tuesday.toInstant(ZoneOffset.UTC);
        boolean excluded = read.recurrence().orElseThrow().exdates().stream()
                        .anyMatch(x -> x.toInstant(ZoneOffset.UTC).equals(at))
                || read.overrides().stream()
                        .anyMatch(o -> o.isCancelled()
                                && o.recurrenceId()
                                        .orElseThrow()
                                        .toInstant(ZoneOffset.UTC)
                                        .equals(at));
        assertThat(excluded)
                .as("the series records the cancelled occurrence (EXDATE or cancelled override)")
                .isTrue();
        if (connection.supports(Capability.FREE_BUSY)) {
            List<BusyInterval> busy = busy(self, week(19));
            assertThat(overlapping(busy, at, at.plus(Duration.ofHours(1)))).isEmpty();
            assertBusy(busy)
                    .contains(interval(
                            start.plusDays(2).toInstant(),
                            start.plusDays(2).plusHours(1).toInstant(),
                            BusyStatus.BUSY));
        }
    }

    @Test
    @DisplayName("WR-011 an attendee's answer (RSVP) is stored")
    void wr011() {
        requires(Capability.WRITE_EVENTS, Capability.RSVP);
        Event made = create(timed("rsvp", at(0, 4, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)).toBuilder()
                .attendee(Attendee.required(self))
                .build());
        Event answered =
                connection.writer().respond(calendar, made.id().orElseThrow(), self, Attendee.ResponseStatus.ACCEPTED);
        assertThat(answered.attendee(self)).map(Attendee::response).hasValue(Attendee.ResponseStatus.ACCEPTED);
        if (connection.supports(Capability.READ_EVENTS)) {
            assertThat(connection
                            .reader()
                            .get(calendar, made.id().orElseThrow())
                            .orElseThrow()
                            .attendee(self))
                    .map(Attendee::response)
                    .hasValue(Attendee.ResponseStatus.ACCEPTED);
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
        Event changed = connection
                .writer()
                .update(calendar, e.toBuilder().summary(tag + " renamed").build());
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
        assertThat(connection.changes().changedCalendars(self, tags))
                .as("nothing changed yet")
                .isEmpty();
        create(timed("tagged", at(20, 4, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Map<CalendarRef, String> changed = connection.changes().changedCalendars(self, tags);
        String primaryId = connection.supports(Capability.READ_EVENTS)
                ? connection.reader().calendars(self).stream()
                        .filter(CalendarInfo::primary)
                        .findFirst()
                        .orElseThrow()
                        .ref()
                        .id()
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
                })
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    @DisplayName("IM-004 organization free/busy reports an out-of-scope mailbox's own PermissionDenied error")
    void im004() {
        CalendarConnection org = organization(Capability.FREE_BUSY);
        Mailbox outside = outOfScope();
        limitation("IM-004")
                .ifPresent(reason -> assumeTrue(
                        false, "provider '" + org.providerId() + "' names a limitation of its service: " + reason));
        FreeBusyResult r = org.freeBusy().query(FreeBusyRequest.of(List.of(self, outside), week(21)));
        assertThat(r.get(self)).hasValueSatisfying(fb -> assertThat(fb.ok()).isTrue());
        assertThat(r.get(outside))
                .hasValueSatisfying(fb -> assertThat(fb.error()).isInstanceOf(PermissionDeniedException.class));
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
        assertThat(directory().allUsers())
                .extracting(DirectoryEntry::mailbox)
                .contains(fixture.otherMailbox().orElseThrow());
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
        assertThat(s.expiresAt())
                .isAfter(before)
                .isBeforeOrEqualTo(
                        fixture.clock().instant().plus(Duration.ofHours(1)).plusSeconds(60));
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
            WebhookResponse resp = handleStored(h);
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
            WebhookResponse resp = handleStored(forge(h, secret, forged));
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
                assertThat(handleStored(h).signals())
                        .extracting(ChangeSignal::kind)
                        .containsOnly(ChangeSignal.Kind.SUBSCRIPTION_ENDED);
            }
        }
        Throwable t = catchThrowable(() -> {
            Subscription renewed = connection.push().renew(s, request(Secret.of(tag + "-state"), Duration.ofHours(1)));
            subscriptions.add(renewed);
            assertThat(renewed.id())
                    .as("an expired subscription is replaced, not extended")
                    .isNotEqualTo(s.id());
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
        assertThat(injected(SpiOperation.LIST_EVENTS, 404, null, this::listWeek0))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("ER-004 HTTP 409 on a write becomes ConflictException")
    void er004() {
        requires(Capability.WRITE_EVENTS);
        Event made = create(timed("conflict-409", at(0, 4, 15, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        assertThat(injected(
                        SpiOperation.UPDATE_EVENT,
                        409,
                        null,
                        () -> connection
                                .writer()
                                .update(
                                        calendar,
                                        made.toBuilder().summary(tag + " x").build())))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("ER-005 HTTP 412 on a write becomes ConflictException")
    void er005() {
        requires(Capability.WRITE_EVENTS);
        Event made = create(timed("conflict-412", at(0, 4, 17, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        assertThat(injected(
                        SpiOperation.UPDATE_EVENT,
                        412,
                        null,
                        () -> connection
                                .writer()
                                .update(
                                        calendar,
                                        made.toBuilder().summary(tag + " y").build())))
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
    // Holes found in review (issue 11): every field round-trips, change feeds page, deletions carry the
    // key, tentative busy time keeps its status, and the wire-level rules (Retry-After, cut answers,
    // If-Match). Ids 1xx in the existing families and WI-0xx, so that other blocks keep numbering from 0xx.
    // This block writes only to weeks 30-39 of 2031.

    /**
     * A rule the provider cannot meet because its service lacks what the rule needs, with the reason; the
     * rule is then skipped with that reason (never passed). Only the rules that say so in {@code docs/TCK.md}
     * consult this (CH-103: a service whose change feed names a deleted event by id only; IM-004: a service
     * whose organization free/busy is not bounded by the impersonation scope). Default: none.
     *
     * @param ruleId the rule id, such as {@code "CH-103"}
     * @return the reason the service cannot meet the rule, or empty to run it
     */
    protected Optional<String> limitation(String ruleId) {
        return Optional.empty();
    }

    @Test
    @DisplayName("WR-101 every field round-trips through create: times and zone, location, description, attendees, "
            + "recurrence with EXDATE and override, transparency, status")
    void wr101() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event full = withFields(Event.builder(), "fields", at(30, 0, 9, 30, NEW_YORK), 1)
                .build();
        Event made = create(full);
        assertFields("the event read back after create", full, readBack(made));
    }

    @Test
    @DisplayName("WR-102 every field round-trips through update, each changed to a new value")
    void wr102() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("plain", at(31, 0, 8, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        Event first = withFields(made.toBuilder(), "fields-1", at(31, 0, 9, 30, NEW_YORK), 1)
                .build();
        connection.writer().update(calendar, first);
        Event read1 = readBack(made);
        assertFields("the event read back after an update that set every field", first, read1);
        Event second = withFields(read1.toBuilder(), "fields-2", at(31, 1, 15, 0, BERLIN), 2)
                .build();
        connection.writer().update(calendar, second);
        assertFields("the event read back after an update that changed every field", second, readBack(made));
    }

    @Test
    @DisplayName("WR-103 an update switches an event from timed to all-day and back")
    void wr103() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        Event made = create(timed("timed-all-day", at(32, 1, 9, 0, NEW_YORK), Duration.ofHours(1)));
        LocalDate day = BASE.plusWeeks(32).plusDays(2);
        connection
                .writer()
                .update(
                        calendar,
                        made.toBuilder()
                                .time(EventTime.allDay(day), EventTime.allDay(day.plusDays(1)))
                                .build());
        Event allDay = readBack(made);
        assertThat(allDay.isAllDay()).as("all-day after the update").isTrue();
        assertThat(allDay.start()).isEqualTo(EventTime.allDay(day));
        assertThat(allDay.end()).isEqualTo(EventTime.allDay(day.plusDays(1)));
        ZonedDateTime back = at(32, 3, 14, 0, BERLIN);
        connection
                .writer()
                .update(
                        calendar,
                        allDay.toBuilder()
                                .time(EventTime.of(back), EventTime.of(back.plusMinutes(30)))
                                .build());
        Event timedAgain = readBack(made);
        assertThat(timedAgain.isAllDay())
                .as("timed again after the second update")
                .isFalse();
        assertTime("start", EventTime.of(back), timedAgain.start());
        assertTime("end", EventTime.of(back.plusMinutes(30)), timedAgain.end());
    }

    @Test
    @DisplayName("CH-101 a full read delivers every event exactly once, however many pages it takes")
    void ch101() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            made.add(create(timed("full-page-" + i, at(33, i, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)))
                    .id()
                    .orElseThrow());
        }
        List<EventChange> changes = new ArrayList<>();
        SyncCursor end = readPages(SyncCursor.START, changes, true);
        assertThat(end.isStart()).as("a full read ends with a cursor").isFalse();
        assertThat(upsertedIds(changes))
                .as("our events over every page of the full read")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(made);
    }

    @Test
    @DisplayName("CH-102 an incremental read delivers every change exactly once, however many pages it takes")
    void ch102() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        List<Event> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            before.add(create(timed("inc-old-" + i, at(34, i, 9, 0, ZoneOffset.UTC), Duration.ofHours(1))));
        }
        SyncCursor cursor = readAll(SyncCursor.START).cursor;
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Event e = create(timed("inc-new-" + i, at(34, i, 13, 0, ZoneOffset.UTC), Duration.ofHours(1)));
            expected.put(e.id().orElseThrow(), e.summary());
        }
        for (int i = 0; i < 3; i++) {
            Event changed = connection
                    .writer()
                    .update(
                            calendar,
                            before.get(i).toBuilder()
                                    .summary(tag + " inc-changed-" + i)
                                    .build());
            expected.put(before.get(i).id().orElseThrow(), changed.summary());
        }
        String gone = before.get(3).id().orElseThrow();
        connection.writer().delete(calendar, gone, null);
        List<EventChange> changes = new ArrayList<>();
        readPages(cursor, changes, false);
        List<String> upserted = upsertedIds(changes);
        assertThat(upserted)
                .as("created and changed events over every page of the incremental read")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        changes.stream()
                .filter(EventChange.Upserted.class::isInstance)
                .map(c -> ((EventChange.Upserted) c).event())
                .filter(this::ours)
                .forEach(e -> assertThat(e.summary())
                        .as("latest summary of " + e.id().orElseThrow())
                        .isEqualTo(expected.get(e.id().orElseThrow())));
        assertThat(changes)
                .as("the deletion, over every page")
                .filteredOn(EventChange.Deleted.class::isInstance)
                .extracting(EventChange::eventId)
                .contains(gone);
    }

    @Test
    @DisplayName("CH-103 a deletion in the change feed carries the key the event was created with")
    void ch103() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        limitation("CH-103")
                .ifPresent(reason ->
                        assumeTrue(false, "provider '" + connection.providerId() + "' cannot meet CH-103: " + reason));
        EventKey key = nextKey();
        Event made = connection
                .writer()
                .create(calendar, key, timed("keyed-delete", at(35, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        created.add(made.id().orElseThrow());
        SyncCursor cursor = readAll(SyncCursor.START).cursor;
        connection.writer().delete(calendar, made.id().orElseThrow(), null);
        List<EventChange> changes = new ArrayList<>();
        readPages(cursor, changes, false);
        assertThat(changes)
                .filteredOn(c -> c instanceof EventChange.Deleted
                        && c.eventId().equals(made.id().orElseThrow()))
                .as("the deletion of " + made.id().orElseThrow())
                .hasSize(1)
                .allSatisfy(c -> assertThat(((EventChange.Deleted) c).key())
                        .as("its key")
                        .isEqualTo(key));
    }

    @Test
    @DisplayName("FB-101 tentative busy time keeps its status: a tentative event is TENTATIVE, a confirmed one BUSY")
    void fb101() {
        requires(Capability.FREE_BUSY, Capability.WRITE_EVENTS);
        ZonedDateTime maybe = at(36, 1, 10, 0, ZoneOffset.UTC);
        create(timed("tentative", maybe, Duration.ofHours(1)).toBuilder()
                .status(EventStatus.TENTATIVE)
                .build());
        ZonedDateTime sure = at(36, 1, 13, 0, ZoneOffset.UTC);
        create(timed("confirmed", sure, Duration.ofHours(1)).toBuilder()
                .status(EventStatus.CONFIRMED)
                .build());
        List<BusyInterval> busy = busy(self, week(36));
        assertBusy(busy)
                .contains(
                        interval(maybe.toInstant(), maybe.plusHours(1).toInstant(), BusyStatus.TENTATIVE),
                        interval(sure.toInstant(), sure.plusHours(1).toInstant(), BusyStatus.BUSY));
        assertThat(overlapping(busy, maybe.toInstant(), maybe.plusHours(1).toInstant()))
                .as("busy time over the tentative event")
                .extracting(BusyInterval::status)
                .containsOnly(BusyStatus.TENTATIVE);
    }

    @Test
    @DisplayName("WI-001 a 429 with Retry-After is retried only after the pause it asked for (as the injected sleeper "
            + "saw it), and the call then succeeds")
    void wi001() {
        requires(Capability.READ_EVENTS);
        requiresFixture(Feature.RETRY_AFTER);
        Duration asked = Duration.ofSeconds(3);
        fixture.takePauses();
        fixture.throttleNext(SpiOperation.LIST_EVENTS, asked);
        try {
            listWeek0();
        } finally {
            fixture.clearFaults();
        }
        assertThat(fixture.takePauses())
                .as("the pauses the provider took after a 429 asking for " + asked)
                .isNotEmpty()
                .anySatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(asked));
    }

    @Test
    @DisplayName(
            "WI-002 a truncated answer gives a typed, retryable CalendarException, never a partial or empty result")
    void wi002() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        requiresFixture(Feature.WIRE_FAULTS);
        cutOnTheWire(
                TckFixture.WireFault.TRUNCATED_BODY,
                create(timed("truncated", at(37, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1))));
    }

    @Test
    @DisplayName("WI-003 a connection reset gives a typed, retryable CalendarException")
    void wi003() {
        requires(Capability.READ_EVENTS, Capability.WRITE_EVENTS);
        requiresFixture(Feature.WIRE_FAULTS);
        cutOnTheWire(
                TckFixture.WireFault.CONNECTION_RESET,
                create(timed("reset", at(37, 1, 9, 0, ZoneOffset.UTC), Duration.ofHours(1))));
    }

    @Test
    @DisplayName("WI-004 a versioned update and a versioned delete send their version (If-Match) on the wire")
    void wi004() {
        requires(Capability.WRITE_EVENTS);
        requiresFixture(Feature.REQUEST_LOG);
        Event made = create(timed("if-match", at(38, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        fixture.takeVersionsSent(SpiOperation.UPDATE_EVENT);
        Event updated = connection
                .writer()
                .update(calendar, made.toBuilder().summary(tag + " if-match 2").build());
        assertThat(fixture.takeVersionsSent(SpiOperation.UPDATE_EVENT))
                .as("the version preconditions the update sent")
                .isNotEmpty()
                .allSatisfy(v -> assertThat(bareVersion(v))
                        .isEqualTo(bareVersion(made.version().orElseThrow())));
        connection
                .writer()
                .delete(calendar, made.id().orElseThrow(), updated.version().orElseThrow());
        assertThat(fixture.takeVersionsSent(SpiOperation.DELETE_EVENT))
                .as("the version preconditions the delete sent")
                .isNotEmpty()
                .allSatisfy(v -> assertThat(bareVersion(v))
                        .isEqualTo(bareVersion(updated.version().orElseThrow())));
    }

    // ---- helpers of this block

    /**
     * Every field set: variant 1 a tentative, transparent daily series in {@code start}'s zone with an
     * EXDATE and a moved occurrence; variant 2 different values for each (confirmed, opaque, other zone,
     * attendees, rule, EXDATE and override).
     */
    private Event.Builder withFields(Event.Builder b, String what, ZonedDateTime start, int variant) {
        boolean one = variant == 1;
        Duration length = one ? Duration.ofMinutes(90) : Duration.ofMinutes(45);
        ZonedDateTime movedFrom = start.plusDays(one ? 2 : 1);
        ZonedDateTime movedTo = movedFrom.plusHours(one ? 5 : 2);
        Event override = Event.builder()
                .summary(tag + " " + what + " (moved)")
                .location(one ? "Room 2" : "Room 8")
                .recurrenceId(EventTime.of(movedFrom))
                .time(EventTime.of(movedTo), EventTime.of(movedTo.plus(length)))
                .build();
        return b.summary(tag + " " + what)
                .time(EventTime.of(start), EventTime.of(start.plus(length)))
                .location(one ? "Room 1, 3rd floor; east" : "Room 9")
                .description(one ? "Agenda:\n1. numbers, plans; more" : "changed agenda")
                .attendees(
                        one
                                ? List.of(
                                        new Attendee(
                                                Mailbox.of(tag + "-guest1@example.org"),
                                                "Guest One",
                                                Attendee.Role.REQUIRED,
                                                Attendee.ResponseStatus.NEEDS_ACTION,
                                                false),
                                        new Attendee(
                                                Mailbox.of(tag + "-guest2@example.org"),
                                                "Guest Two",
                                                Attendee.Role.OPTIONAL,
                                                Attendee.ResponseStatus.NEEDS_ACTION,
                                                false))
                                : List.of(
                                        new Attendee(
                                                Mailbox.of(tag + "-guest2@example.org"),
                                                "Guest Two",
                                                Attendee.Role.REQUIRED,
                                                Attendee.ResponseStatus.NEEDS_ACTION,
                                                false),
                                        new Attendee(
                                                Mailbox.of(tag + "-guest3@example.org"),
                                                "Guest Three",
                                                Attendee.Role.OPTIONAL,
                                                Attendee.ResponseStatus.NEEDS_ACTION,
                                                false)))
                .recurrence(Recurrence.rule(one ? "FREQ=DAILY;COUNT=4" : "FREQ=DAILY;COUNT=5")
                        .withExdates(List.of(EventTime.of(start.plusDays(one ? 1 : 3)))))
                .overrides(List.of(override))
                .transparency(one ? Transparency.TRANSPARENT : Transparency.OPAQUE)
                .status(one ? EventStatus.TENTATIVE : EventStatus.CONFIRMED);
    }

    private Event readBack(Event made) {
        return connection
                .reader()
                .get(calendar, made.id().orElseThrow())
                .orElseThrow(() -> new AssertionError("event " + made.id().orElseThrow() + " not found by id"));
    }

    /** Every field of {@code expected} the TCK sets, compared with {@code actual}; ids and versions are not compared. */
    private void assertFields(String what, Event expected, Event actual) {
        Map<String, Object> want = fields(expected, expected);
        assertThat(fields(actual, expected)).as(what + " (field by field)").containsExactlyEntriesOf(want);
    }

    /** The fields the round-trip rules compare, as text, in a stable order. */
    private Map<String, Object> fields(Event e, Event expected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", e.summary());
        m.put("start (instant and zone)", describe(e.start()));
        m.put("end (instant and zone)", describe(e.end()));
        m.put("location", e.location().orElse("<none>"));
        m.put("description", e.description().orElse("<none>"));
        m.put(
                "attendees (mailbox, name and role)",
                new java.util.TreeSet<>(e.attendees().stream()
                        .map(a -> a.mailbox().normalized() + " '" + a.name() + "' " + a.role())
                        .toList()));
        m.put("transparency", e.transparency());
        m.put("status", e.status());
        m.put("recurring", e.recurrence().isPresent());
        if (expected.recurrence().isPresent() && e.recurrence().isPresent()) {
            m.put(
                    "EXDATEs",
                    new java.util.TreeSet<>(e.recurrence().get().exdates().stream()
                            .map(this::describe)
                            .toList()));
            m.put(
                    "overrides (recurrence id, start, end, summary, location)",
                    new java.util.TreeSet<>(
                            e.overrides().stream().map(this::describeOverride).toList()));
            m.put("the occurrences the series expands to", occurrences(e));
        }
        return m;
    }

    /** An event time as text: its instant, and its zone when it has one other than UTC (all-day: the date). */
    private String describe(EventTime t) {
        if (t instanceof EventTime.AllDay d) {
            return "all-day " + d.date();
        }
        String zone =
                t instanceof EventTime.Zoned z && !z.isUtc() ? " [" + z.zone().normalized() + "]" : "";
        return t.toInstant(ZoneOffset.UTC) + zone;
    }

    private String describeOverride(Event o) {
        return "rid "
                + o.recurrenceId()
                        .map(t -> t.toInstant(ZoneOffset.UTC).toString())
                        .orElse("none")
                + " at " + o.start().toInstant(ZoneOffset.UTC) + "-" + o.end().toInstant(ZoneOffset.UTC)
                + " '" + o.summary() + "' @" + o.location().orElse("");
    }

    private static List<String> occurrences(Event series) {
        TimeWindow w = TimeWindow.of(
                series.start().toInstant(ZoneOffset.UTC).minus(Duration.ofDays(1)),
                series.start().toInstant(ZoneOffset.UTC).plus(Duration.ofDays(30)));
        try (java.util.stream.Stream<org.calsdk.ical.Occurrence> s =
                org.calsdk.ical.Recurrences.expand(series, w, ZoneOffset.UTC)) {
            return s.map(o -> o.startInstant(ZoneOffset.UTC) + "-" + o.endInstant(ZoneOffset.UTC))
                    .toList();
        }
    }

    private void assertTime(String what, EventTime expected, EventTime actual) {
        assertThat(describe(actual)).as(what + " (instant and zone)").isEqualTo(describe(expected));
    }

    /** Reads every page from {@code from} into {@code into}; checks every batch's {@code full} flag; returns the last cursor. */
    private SyncCursor readPages(SyncCursor from, List<EventChange> into, boolean full) {
        SyncCursor cursor = from;
        for (int page = 0; page < 10_000; page++) {
            ChangeBatch b = connection.changes().changes(calendar, cursor);
            if (!(b instanceof ChangeBatch.Changes c)) {
                throw new AssertionError("unexpected " + b + " reading from " + cursor);
            }
            assertThat(c.full()).as("page " + page + " says full").isEqualTo(full);
            into.addAll(c.changes());
            cursor = c.next();
            if (!c.hasMore()) {
                return cursor;
            }
        }
        throw new AssertionError("the change feed never ended (hasMore stayed true)");
    }

    private List<String> upsertedIds(List<EventChange> changes) {
        return changes.stream()
                .filter(EventChange.Upserted.class::isInstance)
                .map(c -> ((EventChange.Upserted) c).event())
                .filter(this::ours)
                .map(e -> e.id().orElseThrow())
                .toList();
    }

    /** Reading {@code made} while its answers are cut by {@code fault} fails typed and retryable; then it reads again. */
    private void cutOnTheWire(TckFixture.WireFault fault, Event made) {
        String id = made.id().orElseThrow();
        fixture.wireFault(SpiOperation.GET_EVENT, fault);
        Throwable t;
        try {
            t = catchThrowable(() -> {
                Optional<Event> got = connection.reader().get(calendar, id);
                fail("reading an event whose answer was cut (" + fault + ") returned " + got + " instead of failing");
            });
        } finally {
            fixture.clearFaults();
        }
        assertThat(t).as("the error after " + fault).isInstanceOf(CalendarException.class);
        assertThat(((CalendarException) t).retryable())
                .as("a cut answer is transient: retryable")
                .isTrue();
        assertThat(connection.reader().get(calendar, id))
                .as("the event reads again once the wire is healthy")
                .isPresent();
    }

    /** An entity tag without weakness prefix and quotes, so that {@code "abc"} and {@code abc} compare equal. */
    private static String bareVersion(String v) {
        String s = v.strip();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

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
        sunday = create(sunday.toBuilder()
                .recurrence(sunday.recurrence()
                        .orElseThrow()
                        .withExdates(List.of(
                                EventTime.of(monday.withHour(10)),
                                EventTime.of(monday.plusDays(1).withHour(10)))))
                .build());
        ZoneId zone = fixture.floatingZone();
        List<Event> stored = new ArrayList<>();
        for (Event e : List.of(inside, endsAtStart, startsAtEnd, before, sunday)) {
            stored.add(connection.reader().get(calendar, e.id().orElseThrow()).orElseThrow());
        }
        List<String> expected = stored.stream()
                .filter(e -> Recurrences.occursIn(e, window, zone))
                .map(e -> e.id().orElseThrow())
                .toList();
        assertThat(expected)
                .as("the shared rule itself")
                .containsExactlyInAnyOrder(
                        inside.id().orElseThrow(), before.id().orElseThrow());
        List<String> listed = connection.reader().listAll(calendar, window).stream()
                .filter(this::ours)
                .map(e -> e.id().orElseThrow())
                .toList();
        assertThat(listed).as("the provider's window read").containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @DisplayName("RD-102 a working connection's set-up check reports its credential valid")
    void rd102() {
        assumeTrue(
                connection.supports(Capability.READ_EVENTS) || connection.supports(Capability.FREE_BUSY),
                "the connection can neither read events nor free/busy");
        SetupCheck setup = connection.checkSetup();
        assertThat(setup.item(SetupCheck.Requirement.CREDENTIAL_VALID))
                .as("CREDENTIAL_VALID item")
                .hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(SetupCheck.Status.OK));
    }

    @Test
    @DisplayName(
            "WR-201 an occurrence keeps its own version: a change with it succeeds, a change with a stale one conflicts")
    void wr201() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        ZonedDateTime start = at(41, 0, 10, 0, ZoneOffset.UTC);
        Event master = create(daily("occurrence versions", start, 3));
        String id = master.id().orElseThrow();
        EventTime tuesday = EventTime.of(start.plusDays(1));
        Event first = connection
                .writer()
                .updateOccurrence(
                        calendar,
                        id,
                        timed("moved once", start.plusDays(1).withHour(14), Duration.ofHours(1)).toBuilder()
                                .recurrenceId(tuesday)
                                .build(),
                        null);
        String v1 = overrideAt(first, tuesday).version().orElse(null);
        assertThat(v1).as("the override's version in the write's answer").isNotBlank();
        Event read = connection.reader().get(calendar, id).orElseThrow();
        assertThat(read.overrides())
                .as("every override read back has a version")
                .allSatisfy(o -> assertThat(o.version()).isPresent());
        assertThat(overrideAt(read, tuesday).version()).as("read back").hasValue(v1);
        Event second = connection
                .writer()
                .updateOccurrence(
                        calendar,
                        id,
                        timed("moved twice", start.plusDays(1).withHour(15), Duration.ofHours(1)).toBuilder()
                                .recurrenceId(tuesday)
                                .build(),
                        v1);
        String v2 = overrideAt(second, tuesday).version().orElse(null);
        assertThat(v2).as("a changed occurrence has a new version").isNotBlank().isNotEqualTo(v1);
        assertThatThrownBy(() -> connection
                        .writer()
                        .updateOccurrence(
                                calendar,
                                id,
                                timed("stale", start.plusDays(1).withHour(16), Duration.ofHours(1)).toBuilder()
                                        .recurrenceId(tuesday)
                                        .build(),
                                v1))
                .isInstanceOf(ConflictException.class);
        assertThat(overrideAt(connection.reader().get(calendar, id).orElseThrow(), tuesday)
                        .start()
                        .toInstant(ZoneOffset.UTC))
                .as("the stale change changed nothing")
                .isEqualTo(start.plusDays(1).withHour(15).toInstant());
    }

    @Test
    @DisplayName("WR-202 deleting with Removal.CANCEL ends the meeting: gone, or kept as CANCELLED")
    void wr202() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        ZonedDateTime start = at(42, 1, 9, 0, ZoneOffset.UTC);
        Event made = create(timed("cancel meeting", start, Duration.ofHours(1)).toBuilder()
                .attendee(Attendee.required(self))
                .build());
        connection
                .writer()
                .delete(calendar, made.id().orElseThrow(), made.version().orElse(null), WriteOptions.cancelMeeting());
        assertThat(connection.reader().get(calendar, made.id().orElseThrow()))
                .as("after a cancellation")
                .satisfiesAnyOf(
                        o -> assertThat(o).isEmpty(),
                        o -> assertThat(o.orElseThrow().isCancelled()).isTrue());
        assertThat(connection.reader().listAll(calendar, week(42)).stream()
                        .filter(this::ours)
                        .filter(e -> !e.isCancelled()))
                .as("active events after the cancellation")
                .isEmpty();
        connection.writer().delete(calendar, made.id().orElseThrow(), null, WriteOptions.defaults());
        assertThat(connection.reader().get(calendar, made.id().orElseThrow()))
                .as("after a plain delete")
                .isEmpty();
    }

    @Test
    @DisplayName(
            "WR-203 writes with Notify.NONE are honoured with NOTIFY_CONTROL, refused with UnsupportedCapabilityException without it")
    void wr203() {
        requires(Capability.WRITE_EVENTS, Capability.READ_EVENTS);
        WriteOptions silent = WriteOptions.silent();
        // With a fixture that counts notices, an attendee outside the organization (whom even EXTERNAL_ONLY
        // would notify) shows whether Notify.NONE was honoured.
        boolean counting = fixture.features().contains(Feature.NOTICES);
        Event.Builder builder = timed("silent", at(43, 2, 11, 0, ZoneOffset.UTC), Duration.ofHours(1)).toBuilder()
                .attendee(Attendee.required(self));
        if (counting) {
            builder.attendee(Attendee.required(Mailbox.of(tag + "-guest@elsewhere.example")));
        }
        Event draft = builder.build();
        EventKey key = nextKey();
        if (!connection.supports(Capability.NOTIFY_CONTROL)) {
            assertThatThrownBy(() -> connection.writer().create(calendar, key, draft, silent))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThat(connection.reader().findByKey(calendar, key))
                    .as("nothing was created")
                    .isEmpty();
            return;
        }
        long noticesBefore = counting ? fixture.noticesSent() : 0;
        Event made = connection.writer().create(calendar, key, draft, silent);
        created.add(made.id().orElseThrow());
        Event changed = connection
                .writer()
                .update(calendar, made.toBuilder().location("Room 1").build(), silent);
        assertThat(changed.location()).hasValue("Room 1");
        if (connection.supports(Capability.RSVP)) {
            Event answered = connection
                    .writer()
                    .respond(calendar, made.id().orElseThrow(), self, Attendee.ResponseStatus.TENTATIVE, silent);
            assertThat(answered.attendee(self)).map(Attendee::response).hasValue(Attendee.ResponseStatus.TENTATIVE);
        }
        connection.writer().delete(calendar, made.id().orElseThrow(), null, silent);
        assertThat(connection.reader().get(calendar, made.id().orElseThrow())).isEmpty();
        if (counting) {
            assertThat(fixture.noticesSent() - noticesBefore)
                    .as("notices sent by writes with Notify.NONE")
                    .isZero();
        }
    }

    @Test
    @DisplayName(
            "IM-101 checkAccess refuses with a reason code: NOT_IN_SCOPE outside the scope, NOT_FOUND for an unknown mailbox")
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
        assertThat(setup.item(SetupCheck.Requirement.CREDENTIAL_VALID))
                .as("CREDENTIAL_VALID item")
                .isPresent();
        assertThat(org.checkSetup()).as("the connection's own check").isEqualTo(setup);
    }

    @Test
    @DisplayName(
            "DIR-101 users() lists people only and rooms() rooms and equipment only; only rooms have capacity or building")
    void dir101() {
        CalendarConnection owner = directoryConnection();
        DirectoryReader dir = owner.directory();
        List<DirectoryEntry> people = dir.allUsers();
        assertThat(people).extracting(DirectoryEntry::kind).containsOnly(DirectoryEntry.Kind.PERSON);
        assertThat(people)
                .allSatisfy(
                        p -> assertThat(p.aliases()).doesNotContain(p.mailbox()).doesNotHaveDuplicates());
        assumeTrue(
                owner.supports(Capability.DIRECTORY_ROOMS),
                "the directory's connection does not declare DIRECTORY_ROOMS");
        List<DirectoryEntry> rooms = dir.allRooms();
        assertThat(rooms).extracting(DirectoryEntry::kind).doesNotContain(DirectoryEntry.Kind.PERSON);
        assertThat(rooms)
                .filteredOn(r -> r.kind() != DirectoryEntry.Kind.ROOM)
                .allSatisfy(r -> assertThat(r.capacity()).isNull());
        assertThat(rooms)
                .extracting(DirectoryEntry::mailbox)
                .doesNotContainAnyElementsOf(
                        people.stream().map(DirectoryEntry::mailbox).toList());
    }

    @Test
    @DisplayName("DIR-102 members of an unknown group are refused with NotFoundException")
    void dir102() {
        CalendarConnection owner = directoryConnection();
        assumeTrue(
                owner.supports(Capability.DIRECTORY_GROUPS),
                "the directory's connection does not declare DIRECTORY_GROUPS");
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
        return series.overrides().stream()
                .filter(o ->
                        o.recurrenceId().orElseThrow().toInstant(ZoneOffset.UTC).equals(at))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no override at " + recurrenceId));
    }

    // =====================================================================================================
    // helpers

    private void cancelInFlight(
            SpiOperation op, java.util.function.Function<java.util.concurrent.Executor, CompletableFuture<?>> call)
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
            assertThat(started.await(10, TimeUnit.SECONDS))
                    .as("the call started")
                    .isTrue();
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

    /** As a host's endpoint does: the subscriptions the request names, looked up among those this TCK made. */
    private WebhookResponse handleStored(WebhookRequest h) {
        List<String> ids = connection.push().subscriptionIds(h);
        return connection
                .push()
                .handle(
                        h,
                        subscriptions.stream().filter(s -> ids.contains(s.id())).toList());
    }

    private static SubscriptionRequest request(Secret state, Duration ttl) {
        return new SubscriptionRequest(HOOK, state, ttl);
    }

    private static WebhookRequest forge(WebhookRequest h, String secret, String forged) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        h.headers()
                .forEach((k, v) -> headers.put(
                        k, v.stream().map(x -> x.replace(secret, forged)).toList()));
        Map<String, String> query = new LinkedHashMap<>();
        h.query().forEach((k, v) -> query.put(k, v.replace(secret, forged)));
        String body = new String(h.body(), StandardCharsets.UTF_8).replace(secret, forged);
        return new WebhookRequest(h.method(), headers, query, body.getBytes(StandardCharsets.UTF_8));
    }

    // =====================================================================================================
    // Issue 11 contracts: what a full read covered (CV), impersonation views (IV), webhooks checked against
    // the stored subscription (WH)

    @Test
    @DisplayName(
            "CV-001 a full read says what it covered, the same in every batch, and lists only events inside that coverage")
    void cv001() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        Event e = create(timed("covered", at(40, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        List<ChangeBatch.Changes> batches = fullReadBatches();
        ChangeBatch.Coverage coverage = batches.get(0).coverage();
        assertThat(batches)
                .as("every batch of one full read states the same coverage")
                .allSatisfy(b -> assertThat(b.coverage()).isEqualTo(coverage));
        if (coverage instanceof ChangeBatch.Coverage.Window w) {
            for (ChangeBatch.Changes b : batches) {
                for (EventChange ch : b.changes()) {
                    if (ch instanceof EventChange.Upserted u) {
                        try (java.util.stream.Stream<org.calsdk.ical.Occurrence> occ =
                                org.calsdk.ical.Recurrences.expand(u.event(), w.window(), fixture.floatingZone())) {
                            assertThat(occ.findAny())
                                    .as("listed event %s lies inside the stated coverage %s", u.eventId(), w.window())
                                    .isPresent();
                        }
                    }
                }
            }
        }
        Instant start = e.start().toInstant(ZoneOffset.UTC);
        if (coverage.covers(start, e.end().toInstant(ZoneOffset.UTC))) {
            assertThat(batches)
                    .flatExtracting(ChangeBatch.Changes::changes)
                    .extracting(EventChange::eventId)
                    .as("a covered event is listed")
                    .contains(e.id().orElseThrow());
        }
    }

    @Test
    @DisplayName(
            "CV-002 a full read lists a recurring series as its master, or as occurrences that name it, never as unlinked events")
    void cv002() {
        requires(Capability.INCREMENTAL_CHANGES, Capability.WRITE_EVENTS);
        Event series = create(daily("linked", at(41, 0, 9, 0, ZoneOffset.UTC), 3));
        String sid = series.id().orElseThrow();
        String uid = series.uid().orElse(null);
        List<ChangeBatch.Changes> batches = fullReadBatches();
        List<EventChange.Upserted> ofSeries = batches.stream()
                .flatMap(b -> b.changes().stream())
                .filter(EventChange.Upserted.class::isInstance)
                .map(EventChange.Upserted.class::cast)
                .filter(u -> u.eventId().equals(sid)
                        || sid.equals(u.seriesId())
                        || uid != null && uid.equals(u.event().uid().orElse(null)))
                .toList();
        assertThat(ofSeries)
                .allSatisfy(u -> assertThat(u.eventId().equals(sid) && u.event().isRecurring()
                                || sid.equals(u.seriesId())
                                        && u.event().recurrenceId().isPresent())
                        .as("%s is the series master or an occurrence naming the series %s", u, sid)
                        .isTrue());
        Instant first = series.start().toInstant(ZoneOffset.UTC);
        if (batches.get(0).coverage().covers(first, first.plus(Duration.ofHours(1)))) {
            assertThat(ofSeries).as("a covered series is listed").isNotEmpty();
        }
    }

    @Test
    @DisplayName(
            "IV-001 actAs makes no call, and closing the view leaves the organization connection and its other views working")
    void iv001() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        boolean counting = fixture.features().contains(Feature.CALL_COUNT);
        long before = counting ? fixture.calls() : 0;
        CalendarConnection first = org.impersonator().actAs(self);
        CalendarConnection second = org.impersonator().actAs(self);
        extraConnections.add(second);
        if (counting) {
            assertThat(fixture.calls() - before).as("calls made by two actAs").isZero();
        }
        first.close();
        assertThat(org.impersonator().checkAccess(self).allowed())
                .as("the parent works after a view closed")
                .isTrue();
        CalendarConnection third = org.impersonator().actAs(self);
        extraConnections.add(third);
        assumeTrue(second.supports(Capability.READ_EVENTS), "the impersonated connection cannot read events");
        assertThat(second.reader().calendars(self))
                .as("another view works after one closed")
                .isNotEmpty();
        assertThat(third.reader().calendars(self))
                .as("a new view works after one closed")
                .isNotEmpty();
    }

    @Test
    @DisplayName(
            "IV-002 a view lives no longer than its organization connection: once that is closed, the view's calls fail")
    void iv002() {
        CalendarConnection org = organization(Capability.IMPERSONATION);
        CalendarConnection view = org.impersonator().actAs(self);
        extraConnections.add(view);
        assumeTrue(view.supports(Capability.READ_EVENTS), "the impersonated connection cannot read events");
        view.reader().calendars(self);
        org.close();
        assertThat(catchThrowable(() -> view.reader().calendars(self)))
                .as("a call through a view of a closed parent")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    @DisplayName(
            "WH-001 handle() checks a notification against the stored subscription handed to it: a record with another secret is refused with 4xx and no signals")
    void wh001() {
        requires(Capability.PUSH_INBOUND, Capability.WRITE_EVENTS);
        requiresFixture(Feature.WEBHOOKS);
        Subscription s = subscribe(Secret.of(tag + "-stored-state"), Duration.ofHours(1));
        List<WebhookRequest> hooks = hooksAfterChange(42);
        Subscription otherSecret = s.renewed(s.expiresAt(), Secret.of(tag + "-other-state"));
        for (WebhookRequest h : hooks) {
            WebhookResponse resp = connection.push().handle(h, List.of(otherSecret));
            assertThat(resp.status())
                    .as("answer when the stored secret differs")
                    .isBetween(400, 499);
            assertThat(resp.signals()).isEmpty();
        }
        assertThat(hooks)
                .anySatisfy(
                        h -> assertThat(connection.push().handle(h, List.of(s)).signals())
                                .as("the genuine record verifies it")
                                .isNotEmpty());
    }

    @Test
    @DisplayName(
            "WH-002 subscriptionIds names the subscription a notification is about, and without its stored record the notification gives no signal")
    void wh002() {
        requires(Capability.PUSH_INBOUND, Capability.WRITE_EVENTS);
        requiresFixture(Feature.WEBHOOKS);
        Subscription s = subscribe(Secret.of(tag + "-stored-state"), Duration.ofHours(1));
        List<WebhookRequest> hooks = hooksAfterChange(43);
        assertThat(hooks)
                .anySatisfy(
                        h -> assertThat(connection.push().subscriptionIds(h)).contains(s.id()));
        for (WebhookRequest h : hooks) {
            WebhookResponse resp = connection.push().handle(h, List.of());
            assertThat(resp.status())
                    .as("answer when no stored subscription is handed over")
                    .isBetween(400, 499);
            assertThat(resp.signals()).isEmpty();
        }
    }

    private List<WebhookRequest> hooksAfterChange(int week) {
        fixture.takeWebhooks();
        create(timed("hooked", at(week, 0, 9, 0, ZoneOffset.UTC), Duration.ofHours(1)));
        List<WebhookRequest> hooks = fixture.takeWebhooks();
        assertThat(hooks).as("webhook requests after a change").isNotEmpty();
        return hooks;
    }

    /** Every batch of a full read from START. */
    private List<ChangeBatch.Changes> fullReadBatches() {
        List<ChangeBatch.Changes> out = new ArrayList<>();
        SyncCursor cursor = SyncCursor.START;
        for (int i = 0; i < 10_000; i++) {
            ChangeBatch b = connection.changes().changes(calendar, cursor);
            if (!(b instanceof ChangeBatch.Changes c)) {
                throw new AssertionError("unexpected " + b + " reading from " + cursor);
            }
            out.add(c);
            if (!c.hasMore()) {
                return out;
            }
            cursor = c.next();
        }
        throw new AssertionError("the change feed never ended (hasMore stayed true)");
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
        return connection.reader().listAll(calendar, window).stream()
                .filter(e -> e.summary().equals(summary))
                .count();
    }

    private boolean ours(Event e) {
        return e.summary().startsWith(tag);
    }

    private List<BusyInterval> busy(Mailbox who, TimeWindow window) {
        FreeBusy fb = connection
                .freeBusy()
                .query(FreeBusyRequest.of(List.of(who), window))
                .get(who)
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
        return assertThat(busy)
                .usingElementComparator(java.util.Comparator.comparing(BusyInterval::start)
                        .thenComparing(BusyInterval::end)
                        .thenComparing(BusyInterval::status));
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
        return Event.builder()
                .summary(tag + " " + what)
                .start(EventTime.of(start))
                .end(EventTime.of(start.plus(length)))
                .build();
    }

    private Event allDay(String what, LocalDate first, LocalDate endExclusive) {
        return Event.builder()
                .summary(tag + " " + what)
                .start(EventTime.allDay(first))
                .end(EventTime.allDay(endExclusive))
                .build();
    }

    private Event daily(String what, ZonedDateTime start, int count) {
        return timed(what, start, Duration.ofHours(1)).toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=" + count))
                .build();
    }

    /** Monday of week {@code n} (from 2031-01-06) plus {@code day} days, at {@code hour:minute} in {@code zone}. */
    private static ZonedDateTime at(int week, int day, int hour, int minute, ZoneId zone) {
        return ZonedDateTime.of(
                LocalDateTime.of(BASE.plusWeeks(week).plusDays(day), java.time.LocalTime.of(hour, minute)), zone);
    }

    private static TimeWindow week(int n) {
        Instant s = BASE.plusWeeks(n).atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofDays(1));
        return TimeWindow.of(s, s.plus(Duration.ofDays(9)));
    }

    private void requires(Capability... capabilities) {
        for (Capability c : capabilities) {
            assumeTrue(
                    connection.supports(c), () -> "provider '" + connection.providerId() + "' does not declare " + c);
        }
    }

    private void requiresFixture(Feature feature) {
        assumeTrue(
                fixture.features().contains(feature),
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
