package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.RequestCounter;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.caldav.HostileXml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Radicale cannot show, against the testkit's fake CalDAV server. */
class FakeCalDavServerTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final int PAGE_TOKEN_LIMIT = 4 << 20;
    private final AtomicInteger sleeps = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();

    private FakeCalDavServer server(FakeCalDavServer.Builder b) {
        FakeCalDavServer s = b.build().start();
        open.add(s);
        return s;
    }

    private static FakeCalDavServer.Builder alice() {
        return FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .user("bob", "bob-pw")
                .calendar("alice", "work", "Work", "#1F77B4FF", false)
                .calendar("alice", "holidays", "Holidays", null, true)
                .calendar("bob", "main", "Main");
    }

    private CalendarConnection connect(FakeCalDavServer s, RequestCounter counter) {
        CalDavProvider.Builder p = CalDavProvider.builder()
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(2))
                        .build())
                .sleeper(d -> sleeps.incrementAndGet());
        if (counter != null) {
            p.listener(counter);
        }
        CalendarConnection c = p.build().connect(s.connectionConfig("alice").build());
        open.add(c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static String ics(String uid, String start, String end, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDTEND:" + end + "\r\n" + extra
                + "SUMMARY:" + uid + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private static CalendarRef work() {
        return CalendarRef.of(ALICE, "/calendars/alice/work/");
    }

    @Test
    void capabilitiesListInDeclarationOrderOnEveryRun() {
        assertThat(new ArrayList<>(new CalDavProvider().capabilities()))
                .isSorted()
                .hasSize(6);
    }

    /**
     * Issue 10 §2: the fake's front host redirects the principal to its partition host on another port of
     * 127.0.0.1. Another port is another origin, so the credentials do not follow: discovery stops there,
     * and the partition host never sees a request. (iCloud's real partition hosts are HTTPS siblings on
     * port 443, which the origin policy allows: OriginPolicyTest, DavHttpRedirectTest.)
     */
    @Test
    void aPartitionRedirectToAnotherPortIsRefusedAndTheCredentialsStayHome() {
        FakeCalDavServer s = server(alice().partitioned(true));
        CalendarConnection c = connect(s, null);
        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("outside the configured origin");
        assertThat(s.accounting().totalCalls()).isZero();
        assertThat(s.frontAccounting().totalCalls()).isPositive();
    }

    @Test
    void withoutAllowPrivateNetworkLoopbackServersAreRefusedBeforeAnyRequest() {
        FakeCalDavServer s = server(alice());
        CalendarConnection c = new CalDavProvider()
                .connect(s.connectionConfig("alice")
                        .setting("allowPrivateNetwork", "false")
                        .build());
        open.add(c);
        assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(PermissionDeniedException.class);
        assertThat(s.accounting().totalCalls()).isZero();
        assertThat(s.frontAccounting().totalCalls()).isZero();
    }

    @Test
    void digestOnlyServersAreAnswered() {
        FakeCalDavServer s = server(alice().digest(true));
        CalendarConnection c = connect(s, null);
        assertThat(c.reader().calendars(ALICE)).hasSize(2);
        assertThat(c.reader().calendars(ALICE)).hasSize(2); // pre-emptive Digest with the next nonce count
    }

    @Test
    void throttlingAndServerErrorsAreRetriedThenReported() {
        FakeCalDavServer s = server(alice());
        CalendarConnection c = connect(s, null);
        c.reader().calendars(ALICE); // discovery done
        s.faults().add(FaultRule.on("propfind").times(2).inject(Fault.tooManyRequests(Duration.ofMillis(1))));
        assertThat(c.reader().calendars(ALICE)).hasSize(2);
        s.faults().add(FaultRule.on("propfind").times(1).inject(Fault.unavailable()));
        assertThat(c.reader().calendars(ALICE)).hasSize(2);
        assertThat(sleeps.get()).isEqualTo(3);
        s.faults().add(FaultRule.on("propfind").times(3).inject(Fault.serverError()));
        assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(ProviderUnavailableException.class);
        s.faults().add(FaultRule.on("propfind").times(3).inject(Fault.tooManyRequests()));
        assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void aCreateWhoseAnswerWasLostFindsItsEventInsteadOfDuplicatingIt() {
        FakeCalDavServer s = server(alice());
        CalendarConnection c = connect(s, null);
        s.faults().add(FaultRule.on("put").times(1).inject(Fault.dropResponseAfterCommit()));
        Event e = c.writer()
                .create(
                        work(),
                        EventKey.of("booking-7"),
                        Event.builder()
                                .summary("Interview")
                                .start(EventTime.utc(Instant.parse("2026-03-02T10:00:00Z")))
                                .end(EventTime.utc(Instant.parse("2026-03-02T11:00:00Z")))
                                .build());
        assertThat(e.summary()).isEqualTo("Interview");
        assertThat(e.key()).contains(EventKey.of("booking-7"));
        assertThat(s.eventCount("alice", "work")).isEqualTo(1);
        assertThat(s.accounting().calls("put")).isEqualTo(2);
    }

    @Test
    void aUidAlreadyStoredUnderAnotherNameIsFoundNotDuplicated() {
        FakeCalDavServer s = server(alice());
        s.putEvent("alice", "work", "made-elsewhere.ics", ics("booking-9", "20260302T100000Z", "20260302T110000Z", ""));
        CalendarConnection c = connect(s, null);
        Event e = c.writer()
                .create(
                        work(),
                        EventKey.of("booking-9"),
                        Event.builder()
                                .summary("again")
                                .start(EventTime.utc(Instant.parse("2026-03-02T10:00:00Z")))
                                .end(EventTime.utc(Instant.parse("2026-03-02T11:00:00Z")))
                                .build());
        assertThat(e.id()).contains("/calendars/alice/work/made-elsewhere.ics");
        assertThat(s.eventCount("alice", "work")).isEqualTo(1);
        assertThat(c.reader().findByKey(work(), EventKey.of("booking-9")).flatMap(Event::id))
                .isEqualTo(e.id());
    }

    @Test
    void aSeriesTheServersTimeRangeMissesStillBlocksTime() {
        FakeCalDavServer s = server(alice());
        // the fake's time-range filter looks at the master only, like servers that miss later occurrences
        s.putEvent(
                "alice",
                "work",
                "weekly.ics",
                ics("weekly", "20250106T090000Z", "20250106T100000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n"));
        s.putEvent("alice", "work", "old.ics", ics("old", "20250106T120000Z", "20250106T130000Z", ""));
        CalendarConnection c = connect(s, null);
        TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        assertThat(c.reader().listAll(work(), week)).extracting(Event::summary).containsExactly("weekly");
        FreeBusy fb = c.freeBusy()
                .query(FreeBusyRequest.of(List.of(ALICE), week))
                .results()
                .get(0);
        assertThat(fb.busy()).extracting(BusyInterval::start).containsExactly(Instant.parse("2026-03-02T09:00:00Z"));
    }

    /** A master and one override moved elsewhere (both VEVENTs in one resource, as CalDAV stores them). */
    private static String seriesWithMovedOccurrence(
            String uid,
            String start,
            String end,
            String defining,
            String recurrenceId,
            String movedStart,
            String movedEnd) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                + "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDTEND:"
                + end + "\r\n" + defining + "SUMMARY:" + uid + "\r\nEND:VEVENT\r\n"
                + "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:" + recurrenceId
                + "\r\nDTSTART:" + movedStart + "\r\nDTEND:" + movedEnd + "\r\nSUMMARY:" + uid + " (moved)\r\n"
                + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    @Test
    void rdateOnlySeriesAndOccurrencesMovedIntoTheWindowAreFoundDespiteTheNaiveTimeRange() {
        FakeCalDavServer s = server(alice().timeRangeIgnoresRecurrences(true));
        // every master below starts months before the window; the quirky time-range filter sees only that
        s.putEvent(
                "alice",
                "work",
                "rdates.ics",
                ics("rdates", "20260105T090000Z", "20260105T100000Z", "RDATE:20260112T090000Z,20260303T090000Z\r\n"));
        s.putEvent(
                "alice",
                "work",
                "rdates-elsewhere.ics",
                ics(
                        "rdates-elsewhere",
                        "20260105T090000Z",
                        "20260105T100000Z",
                        "RDATE:20260112T090000Z,20260401T090000Z\r\n"));
        s.putEvent(
                "alice",
                "work",
                "moved-rdate.ics",
                seriesWithMovedOccurrence(
                        "moved-rdate",
                        "20260105T140000Z",
                        "20260105T150000Z",
                        "RDATE:20260119T140000Z\r\n",
                        "20260119T140000Z",
                        "20260304T140000Z",
                        "20260304T150000Z"));
        s.putEvent(
                "alice",
                "work",
                "moved-rrule.ics",
                seriesWithMovedOccurrence(
                        "moved-rrule",
                        "20260106T160000Z",
                        "20260106T170000Z",
                        "RRULE:FREQ=WEEKLY;COUNT=3\r\n",
                        "20260120T160000Z",
                        "20260305T160000Z",
                        "20260305T170000Z"));
        RequestCounter counter = new RequestCounter();
        CalendarConnection c = connect(s, counter);
        TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        assertThat(c.reader().listAll(work(), week))
                .extracting(Event::summary)
                .containsExactlyInAnyOrder("rdates", "moved-rdate", "moved-rrule");
        FreeBusy fb = c.freeBusy()
                .query(FreeBusyRequest.of(List.of(ALICE), week))
                .results()
                .get(0);
        assertThat(fb.busy())
                .extracting(BusyInterval::start)
                .containsExactly(
                        Instant.parse("2026-03-03T09:00:00Z"),
                        Instant.parse("2026-03-04T14:00:00Z"),
                        Instant.parse("2026-03-05T16:00:00Z"));
        // the window before: the moved occurrences left it, the rest of the series still block it
        TimeWindow january = TimeWindow.of(Instant.parse("2026-01-12T00:00:00Z"), Duration.ofDays(14));
        FreeBusy jan = c.freeBusy()
                .query(FreeBusyRequest.of(List.of(ALICE), january))
                .results()
                .get(0);
        assertThat(jan.busy())
                .extracting(BusyInterval::start)
                .containsExactly(Instant.parse("2026-01-12T09:00:00Z"), Instant.parse("2026-01-13T16:00:00Z"));
    }

    /** Lists every page; returns the pages' event ids in order. */
    private static List<List<String>> pages(CalendarConnection c, EventQuery first) {
        List<List<String>> pages = new ArrayList<>();
        EventQuery q = first;
        while (true) {
            EventPage page = c.reader().list(q);
            pages.add(page.events().stream().map(e -> e.id().orElseThrow()).toList());
            assertThat(pages).as("runaway paging").hasSizeLessThan(100);
            if (page.nextPageToken() == null) {
                return pages;
            }
            q = q.withPageToken(page.nextPageToken());
        }
    }

    @Test
    void laterPagesAreOneMultigetOfTheirOwnEventsNotANewReadOfTheWindow() {
        FakeCalDavServer s = server(alice());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = String.format("e%02d", i);
            s.putEvent(
                    "alice",
                    "work",
                    name + ".ics",
                    ics(name, "20260303T1" + (i % 10) + "0000Z", "20260303T1" + (i % 10) + "3000Z", ""));
            expected.add("/calendars/alice/work/" + name + ".ics");
        }
        s.putEvent(
                "alice",
                "work",
                "weekly.ics",
                ics("weekly", "20250106T090000Z", "20250106T100000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n"));
        s.putEvent(
                "alice",
                "work",
                "rdates.ics",
                ics("rdates", "20260105T090000Z", "20260105T100000Z", "RDATE:20260304T090000Z\r\n"));
        s.putEvent("alice", "work", "later.ics", ics("later", "20260401T090000Z", "20260401T100000Z", ""));
        expected.add("/calendars/alice/work/weekly.ics");
        expected.add("/calendars/alice/work/rdates.ics");
        RequestCounter counter = new RequestCounter();
        CalendarConnection c = connect(s, counter);
        c.reader().calendars(ALICE); // discovery out of the count
        TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        long before = counter.total();
        List<List<String>> pages = pages(c, new EventQuery(work(), week, 5, null));
        // 22 events in pages of 5: the first page reads the window (3 REPORTs), the 4 others one multiget each
        assertThat(pages).hasSize(5).allSatisfy(p -> assertThat(p).hasSizeBetween(1, 5));
        assertThat(counter.total() - before).isEqualTo(3 + 4);
        assertThat(pages.stream().flatMap(List::stream).toList())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        // the default page size: one page, 3 round trips
        before = counter.total();
        assertThat(pages(c, EventQuery.of(work(), week)))
                .hasSize(1)
                .first()
                .asList()
                .hasSize(22);
        assertThat(counter.total() - before).isEqualTo(3);
    }

    @Test
    void eventsChangedOrDeletedBetweenPagesAreNotHandedOutStale() {
        FakeCalDavServer s = server(alice());
        for (int i = 0; i < 6; i++) {
            s.putEvent(
                    "alice",
                    "work",
                    "e" + i + ".ics",
                    ics("e" + i, "20260303T1" + i + "0000Z", "20260303T1" + i + "3000Z", ""));
        }
        CalendarConnection c = connect(s, null);
        TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        EventPage first = c.reader().list(new EventQuery(work(), week, 2, null));
        assertThat(first.events()).extracting(Event::summary).containsExactly("e0", "e1");
        s.removeEvent("alice", "work", "e2.ics");
        s.putEvent("alice", "work", "e3.ics", ics("e3", "20260501T100000Z", "20260501T110000Z", "")); // left the window
        s.putEvent("alice", "work", "e4.ics", ics("e4", "20260303T140000Z", "20260303T143000Z", "LOCATION:moved\r\n"));
        List<Event> rest = new ArrayList<>();
        EventQuery q = new EventQuery(work(), week, 2, first.nextPageToken());
        while (q.pageToken() != null) {
            EventPage p = c.reader().list(q);
            rest.addAll(p.events());
            q = q.withPageToken(p.nextPageToken());
        }
        assertThat(rest).extracting(Event::summary).containsExactly("e4", "e5");
        assertThat(rest.get(0).location()).hasValue("moved");
    }

    @Test
    void malformedAlteredOrForeignPageTokensAreInvalidInputNamingPageToken() {
        FakeCalDavServer s = server(alice());
        for (int i = 0; i < 4; i++) {
            s.putEvent(
                    "alice",
                    "work",
                    "e" + i + ".ics",
                    ics("e" + i, "20260303T1" + i + "0000Z", "20260303T1" + i + "3000Z", ""));
        }
        CalendarConnection c = connect(s, null);
        TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
        String token = c.reader().list(new EventQuery(work(), week, 1, null)).nextPageToken();
        assertThat(token).startsWith("p1.").doesNotContain("e1.ics");
        int mid = token.length() / 2;
        String flipped = token.substring(0, mid) + (token.charAt(mid) == 'A' ? 'B' : 'A') + token.substring(mid + 1);
        String otherWindow = c.reader()
                .list(new EventQuery(work(), TimeWindow.of(week.start(), Duration.ofDays(8)), 1, null))
                .nextPageToken();
        String otherCalendar =
                "p1." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40]);
        for (String bad : List.of(
                "garbage",
                "o:1",
                "p1.",
                "p1.%%%",
                flipped,
                token.substring(0, token.length() - 6),
                otherWindow,
                otherCalendar,
                "p1." + "A".repeat(PAGE_TOKEN_LIMIT))) {
            assertThatThrownBy(() -> c.reader().list(new EventQuery(work(), week, 1, bad)))
                    .as(bad.length() > 80 ? bad.substring(0, 80) : bad)
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.field()).hasValue("pageToken"));
        }
        assertThat(c.reader().list(new EventQuery(work(), week, 1, token)).events())
                .extracting(Event::summary)
                .containsExactly("e1");
    }

    @Test
    void otherMailboxesAreAskedThroughTheSchedulingOutbox() {
        FakeCalDavServer s = server(alice());
        s.putEvent("bob", "main", "b1.ics", ics("b1", "20260302T100000Z", "20260302T110000Z", ""));
        CalendarConnection c = connect(s, null);
        TimeWindow day = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(1));
        Mailbox bob = Mailbox.of("bob@example.com");
        Mailbox nobody = Mailbox.of("nobody@example.com");
        List<FreeBusy> r = c.freeBusy()
                .query(FreeBusyRequest.of(List.of(bob, ALICE, nobody), day))
                .results();
        assertThat(r).extracting(FreeBusy::mailbox).containsExactly(bob, ALICE, nobody);
        assertThat(r.get(0).busy())
                .extracting(BusyInterval::start)
                .containsExactly(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(r.get(1).ok()).isTrue();
        assertThat(r.get(2).ok()).isFalse();
        assertThat(s.accounting().calls("outbox")).isEqualTo(1);
    }

    @Test
    void withoutAnOutboxOtherMailboxesFailOnTheirOwn() {
        FakeCalDavServer s = server(alice().outbox(false));
        CalendarConnection c = connect(s, null);
        TimeWindow day = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(1));
        List<FreeBusy> r = c.freeBusy()
                .query(FreeBusyRequest.of(List.of(ALICE, Mailbox.of("bob@example.com")), day))
                .results();
        assertThat(r.get(0).ok()).isTrue();
        assertThat(r.get(1).error()).isInstanceOf(org.calsdk.errors.NotFoundException.class);
    }

    @Test
    void truncatedSyncAnswersAreContinuedFromTheReturnedToken() {
        FakeCalDavServer s = server(alice());
        CalendarConnection c = connect(s, null);
        ChangeBatch.Changes start = (ChangeBatch.Changes) c.changes().changes(work(), SyncCursor.START);
        assertThat(start.changes()).isEmpty();
        for (int i = 0; i < 5; i++) {
            s.putEvent("alice", "work", "e" + i + ".ics", ics("e" + i, "20260302T100000Z", "20260302T110000Z", ""));
        }
        s.maxSyncResults(2);
        SyncCursor cursor = start.next();
        List<String> seen = new ArrayList<>();
        int rounds = 0;
        while (true) {
            ChangeBatch.Changes b = (ChangeBatch.Changes) c.changes().changes(work(), cursor);
            b.changes().forEach(ch -> seen.add(ch.eventId()));
            cursor = b.next();
            rounds++;
            if (!b.hasMore()) {
                break;
            }
            assertThat(b.changes()).hasSize(2);
        }
        assertThat(rounds).isEqualTo(3);
        assertThat(seen)
                .containsExactly(
                        "/calendars/alice/work/e0.ics",
                        "/calendars/alice/work/e1.ics",
                        "/calendars/alice/work/e2.ics",
                        "/calendars/alice/work/e3.ics",
                        "/calendars/alice/work/e4.ics");
    }

    @Test
    void anInvalidatedSyncTokenAsksForAFullResync() {
        FakeCalDavServer s = server(alice());
        CalendarConnection c = connect(s, null);
        ChangeBatch.Changes start = (ChangeBatch.Changes) c.changes().changes(work(), SyncCursor.START);
        s.invalidateSyncTokens();
        assertThat(c.changes().changes(work(), start.next())).isInstanceOf(ChangeBatch.ResyncRequired.class);
    }

    @Test
    void withoutSyncCollectionChangesComeFromCtagAndEtags() {
        FakeCalDavServer s = server(alice().syncCollection(false));
        s.putEvent("alice", "work", "a.ics", ics("a", "20260302T100000Z", "20260302T110000Z", ""));
        s.putEvent("alice", "work", "b.ics", ics("b", "20260302T120000Z", "20260302T130000Z", ""));
        RequestCounter counter = new RequestCounter();
        CalendarConnection c = connect(s, counter);
        ChangeBatch.Changes full = (ChangeBatch.Changes) c.changes().changes(work(), SyncCursor.START);
        assertThat(full.full()).isTrue();
        assertThat(full.changes()).hasSize(2);
        long before = s.accounting().totalCalls();
        ChangeBatch.Changes none = (ChangeBatch.Changes) c.changes().changes(work(), full.next());
        assertThat(none.changes()).isEmpty();
        assertThat(s.accounting().totalCalls() - before).isEqualTo(1); // one Depth-0 PROPFIND: ctag unchanged
        s.putEvent("alice", "work", "a.ics", ics("a", "20260302T100000Z", "20260302T113000Z", ""));
        s.removeEvent("alice", "work", "b.ics");
        s.putEvent("alice", "work", "c.ics", ics("c", "20260303T100000Z", "20260303T110000Z", ""));
        ChangeBatch.Changes delta = (ChangeBatch.Changes) c.changes().changes(work(), none.next());
        assertThat(delta.changes())
                .extracting(ch -> ch.getClass().getSimpleName() + " " + ch.eventId())
                .containsExactlyInAnyOrder(
                        "Upserted /calendars/alice/work/a.ics",
                        "Upserted /calendars/alice/work/c.ics",
                        "Deleted /calendars/alice/work/b.ics");
        assertThat(counter.total()).isPositive();
    }

    @Test
    void changedCalendarsIsOnePropfindOnTheHomeSet() {
        FakeCalDavServer s = server(alice());
        CalendarConnection c = connect(s, null);
        Map<CalendarRef, String> tags = c.changes().changedCalendars(ALICE, Map.of());
        assertThat(tags).hasSize(2);
        Map<String, String> known = new java.util.HashMap<>();
        tags.forEach((k, v) -> known.put(k.id(), v));
        long before = s.accounting().totalCalls();
        assertThat(c.changes().changedCalendars(ALICE, known)).isEmpty();
        assertThat(s.accounting().totalCalls() - before).isEqualTo(1);
        s.putEvent("alice", "work", "x.ics", ics("x", "20260302T100000Z", "20260302T110000Z", ""));
        assertThat(c.changes().changedCalendars(ALICE, known)).containsOnlyKeys(work());
    }

    @Test
    void hostileXmlIsRefusedAsMalformedData() {
        for (HostileXml mode : List.of(HostileXml.XXE, HostileXml.BILLION_LAUGHS, HostileXml.HUGE)) {
            FakeCalDavServer s = server(alice());
            s.hostileXml(mode);
            CalendarConnection c = connect(s, null);
            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .as(mode.name())
                    .isInstanceOf(MalformedDataException.class)
                    .hasMessageNotContaining("root:");
        }
    }

    /** The round trips each operation costs (the floor the provider facts name for CalDAV). */
    @Test
    void roundTripsPerOperation() {
        FakeCalDavServer s = server(alice());
        s.putEvent("alice", "work", "a.ics", ics("a", "20260302T100000Z", "20260302T110000Z", ""));
        RequestCounter counter = new RequestCounter();
        CalendarConnection c = connect(s, counter);
        c.reader().calendars(ALICE); // discovery: 2 round trips on the data host (principal, home)
        TimeWindow day = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(1));
        java.util.function.LongSupplier calls = counter::total;
        long t = calls.getAsLong();
        c.reader().calendars(ALICE);
        assertThat(calls.getAsLong() - t).as("list calendars").isEqualTo(1);
        t = calls.getAsLong();
        c.changes().changedCalendars(ALICE, Map.of());
        assertThat(calls.getAsLong() - t).as("changedCalendars").isEqualTo(1);
        t = calls.getAsLong();
        c.freeBusy().query(FreeBusyRequest.of(List.of(ALICE), day));
        assertThat(calls.getAsLong() - t).as("own free/busy, 2 calendars").isEqualTo(1 + 3 * 2);
        t = calls.getAsLong();
        c.reader().listAll(work(), day);
        assertThat(calls.getAsLong() - t).as("list a window of one calendar").isEqualTo(3);
        t = calls.getAsLong();
        Event e = c.writer()
                .create(
                        work(),
                        EventKey.of("rt"),
                        Event.builder()
                                .summary("x")
                                .start(EventTime.utc(Instant.parse("2026-03-02T12:00:00Z")))
                                .end(EventTime.utc(Instant.parse("2026-03-02T13:00:00Z")))
                                .build());
        assertThat(calls.getAsLong() - t).as("create").isEqualTo(1);
        ChangeBatch.Changes full = (ChangeBatch.Changes) c.changes().changes(work(), SyncCursor.START);
        t = calls.getAsLong();
        c.changes().changes(work(), full.next());
        assertThat(calls.getAsLong() - t)
                .as("incremental read, nothing changed")
                .isEqualTo(1);
        t = calls.getAsLong();
        c.writer().delete(work(), e.id().orElseThrow(), e.version().orElseThrow());
        assertThat(calls.getAsLong() - t).as("delete").isEqualTo(1);
    }

    @Test
    void bearerTokensAreRefreshedOnceAfterA401() {
        FakeCalDavServer s = server(alice());
        s.acceptBearerToken("alice", "token-1");
        AtomicInteger refreshes = new AtomicInteger();
        org.calsdk.auth.AccessTokenSource tokens = new org.calsdk.auth.AccessTokenSource() {
            private volatile org.calsdk.auth.AccessToken current =
                    new org.calsdk.auth.AccessToken(org.calsdk.auth.Secret.of("token-1"), null);

            @Override
            public org.calsdk.auth.AccessToken token() {
                return current;
            }

            @Override
            public org.calsdk.auth.AccessToken refresh(org.calsdk.auth.AccessToken rejected) {
                current = new org.calsdk.auth.AccessToken(
                        org.calsdk.auth.Secret.of("token-" + (2 + refreshes.getAndIncrement())), null);
                return current;
            }
        };
        CalendarConnection c = CalDavProvider.builder()
                .build()
                .connect(s.connectionConfig("alice")
                        .credentials(new org.calsdk.auth.TokenCredentials(tokens))
                        .setting("username", "alice")
                        .build());
        open.add(c);
        assertThat(c.reader().calendars(ALICE)).hasSize(2);
        s.revokeBearerToken("token-1");
        s.acceptBearerToken("alice", "token-2");
        assertThat(c.reader().calendars(ALICE)).hasSize(2);
        assertThat(refreshes.get()).isEqualTo(1);
        s.revokeBearerToken("token-2");
        assertThatThrownBy(() -> c.reader().calendars(ALICE))
                .isInstanceOf(org.calsdk.errors.ReauthorizationRequiredException.class);
        assertThat(refreshes.get()).isEqualTo(2);
    }

    @Test
    void aFullReadHandedOutInPiecesIsFullInEveryBatch() {
        FakeCalDavServer s = server(alice());
        for (int i = 0; i < 5; i++) {
            s.putEvent("alice", "work", "e" + i + ".ics", ics("e" + i, "20260302T100000Z", "20260302T110000Z", ""));
        }
        s.maxSyncResults(2);
        CalendarConnection c = connect(s, null);
        SyncCursor cursor = SyncCursor.START;
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            ChangeBatch.Changes b = (ChangeBatch.Changes) c.changes().changes(work(), cursor);
            assertThat(b.full()).isTrue();
            sizes.add(b.changes().size());
            cursor = b.next();
            if (!b.hasMore()) {
                break;
            }
        }
        assertThat(sizes).containsExactly(2, 2, 1);
        s.putEvent("alice", "work", "e9.ics", ics("e9", "20260302T100000Z", "20260302T110000Z", ""));
        ChangeBatch.Changes after = (ChangeBatch.Changes) c.changes().changes(work(), cursor);
        assertThat(after.full()).isFalse();
        assertThat(after.changes()).extracting(EventChange::eventId).containsExactly("/calendars/alice/work/e9.ics");
    }
}
