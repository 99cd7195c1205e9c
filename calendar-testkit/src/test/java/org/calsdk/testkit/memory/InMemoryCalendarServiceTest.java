package org.calsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.SpiOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryCalendarServiceTest {
    static final Mailbox U1 = Mailbox.of("user1@example.com");
    static final Mailbox U2 = Mailbox.of("user2@example.com");
    static final TimeWindow MARCH =
            TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-03-01T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final InMemoryCalendarService service = InMemoryCalendarService.builder()
            .clock(clock)
            .changePageSize(3)
            .directoryPageSize(2)
            .maxSubscriptionTtl(Duration.ofDays(1))
            .build();

    @AfterEach
    void close() {
        service.close();
    }

    private static Event meeting(String summary, String start) {
        ZonedDateTime s = ZonedDateTime.parse(start);
        return Event.builder()
                .summary(summary)
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusHours(1)))
                .build();
    }

    @Test
    void capabilities_list_in_declaration_order_on_every_run() {
        // the demo CLI prints them: Set.copyOf's per-run random order made its output differ between runs
        assertThat(new java.util.ArrayList<>(service.provider().capabilities()))
                .isSorted()
                .contains(org.calsdk.api.Capability.IMPERSONATION);
        service.addUser(Mailbox.of("order@example.com"), "Order");
        try (CalendarConnection c = service.connect(Mailbox.of("order@example.com"))) {
            assertThat(new java.util.ArrayList<>(c.capabilities())).isSorted();
        }
    }

    @Test
    void generated_seed_data_is_deterministic_and_explicit_users_merge_into_it() {
        SeedData a = SeedData.organization("Example.com")
                .users(3)
                .eventsPerUser(4)
                .seed(7)
                .user(
                        "user2@example.com",
                        "Second",
                        u -> u.calendar("team", "Team", c -> c.event(meeting("x", "2026-03-02T10:00:00Z"))))
                .build();
        SeedData b = SeedData.organization("example.com")
                .users(3)
                .eventsPerUser(4)
                .seed(7)
                .user(
                        "user2@example.com",
                        "Second",
                        u -> u.calendar("team", "Team", c -> c.event(meeting("x", "2026-03-02T10:00:00Z"))))
                .build();
        assertThat(a).isEqualTo(b);
        assertThat(a.mailboxes()).containsExactly(U1, U2, Mailbox.of("user3@example.com"));
        assertThat(a.user(U2).displayName()).isEqualTo("Second");
        assertThat(a.user(U2).calendars()).hasSize(2);
        assertThat(a.user(U2).calendars().get(0).events()).hasSize(4);
        assertThat(a.user(U1).calendars().get(0).events())
                .allSatisfy(e -> assertThat(e.start()
                                .toInstant(ZoneOffset.UTC)
                                .atZone(ZoneOffset.UTC)
                                .getDayOfWeek()
                                .getValue())
                        .isLessThan(6));

        service.seed(a);
        try (CalendarConnection c = service.connect(U2)) {
            assertThat(c.reader().calendars(U2)).extracting(ci -> ci.ref().id()).contains("team");
            assertThat(c.reader().listAll(CalendarRef.of(U2, "team"), MARCH))
                    .extracting(Event::summary)
                    .containsExactly("x");
        }
    }

    @Test
    void ics_seed_data_keeps_series_overrides_and_exdates_for_free_busy() {
        String ics = """
                BEGIN:VCALENDAR
                VERSION:2.0
                PRODID:-//calsdk//test//EN
                BEGIN:VEVENT
                UID:standup@example.com
                DTSTAMP:20260301T000000Z
                DTSTART;TZID=Europe/Berlin:20260302T090000
                DTEND;TZID=Europe/Berlin:20260302T091500
                RRULE:FREQ=DAILY;COUNT=3
                EXDATE;TZID=Europe/Berlin:20260303T090000
                SUMMARY:Stand-up
                END:VEVENT
                BEGIN:VEVENT
                UID:standup@example.com
                DTSTAMP:20260301T000000Z
                RECURRENCE-ID;TZID=Europe/Berlin:20260304T090000
                DTSTART;TZID=Europe/Berlin:20260304T140000
                DTEND;TZID=Europe/Berlin:20260304T141500
                SUMMARY:Stand-up (moved)
                END:VEVENT
                END:VCALENDAR
                """;
        service.seed(SeedData.organization("example.com")
                .user("user1@example.com", "One", u -> u.primary(c -> c.ics(ics)))
                .build());
        try (CalendarConnection c = service.connect(U1)) {
            List<BusyInterval> busy = c.freeBusy()
                    .query(FreeBusyRequest.of(List.of(U1), MARCH))
                    .get(U1)
                    .orElseThrow()
                    .busy();
            assertThat(busy)
                    .extracting(BusyInterval::start)
                    .containsExactly(Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-04T13:00:00Z"));
        }
        assertThatThrownBy(() -> SeedData.organization("example.com")
                        .user("user1@example.com", "One", u -> u.primary(c -> c.ics("BEGIN:VCALENDAR\nnonsense")))
                        .build())
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void ics_seed_data_comes_from_files_and_class_path_resources() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("seed", ".ics");
        try {
            try (var in = getClass().getResourceAsStream("/seed/team.ics")) {
                java.nio.file.Files.write(file, in.readAllBytes());
            }
            SeedData data = SeedData.organization("example.com")
                    .user(
                            "user1@example.com",
                            "One",
                            u -> u.calendar("team", "Team", c -> c.icsResource(getClass(), "/seed/team.ics"))
                                    .calendar("copy", "Copy", c -> c.ics(file)))
                    .build();
            assertThat(data.user(U1).calendars())
                    .extracting(c -> c.events().size())
                    .containsExactly(0, 2, 2);
            service.seed(data);
            try (CalendarConnection c = service.connect(U1)) {
                List<BusyInterval> busy = c.freeBusy()
                        .query(FreeBusyRequest.of(List.of(U1), MARCH))
                        .get(U1)
                        .orElseThrow()
                        .busy();
                // 4 weekly retros (two calendars hold the same ones: merged) and the two-day offsite
                assertThat(busy)
                        .extracting(BusyInterval::start)
                        .contains(
                                Instant.parse("2026-03-06T20:00:00Z"),
                                Instant.parse("2026-03-13T19:00:00Z"),
                                Instant.parse("2026-03-18T00:00:00Z"));
            }
            assertThatThrownBy(() -> SeedData.organization("example.com")
                            .user(
                                    "user1@example.com",
                                    "One",
                                    u -> u.primary(c -> c.icsResource(getClass(), "/seed/missing.ics"))))
                    .isInstanceOf(InvalidInputException.class);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void the_memory_provider_is_found_by_service_loader_and_connects_by_service_id() {
        service.seed(SeedData.organization("example.com").users(2).build());
        CalendarProviders providers = CalendarProviders.load();
        assertThat(providers.ids()).contains("memory");
        try (CalendarConnection user = providers.connect(ConnectionConfig.builder("memory")
                        .setting("service", service.id())
                        .setting("mailbox", "user1@example.com")
                        .build());
                CalendarConnection org = providers.connect(ConnectionConfig.builder("memory")
                        .setting("service", service.id())
                        .build())) {
            assertThat(user.scope()).isEqualTo(ConnectionScope.USER);
            assertThat(user.self()).hasValue(U1);
            assertThat(org.scope()).isEqualTo(ConnectionScope.ORGANIZATION);
        }
        assertThatThrownBy(() -> providers.connect(ConnectionConfig.builder("memory")
                        .setting("service", "nope")
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() ->
                        providers.connect(ConnectionConfig.builder("memory").build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("service");
        assertThatThrownBy(() -> service.connect(Mailbox.of("stranger@example.com")))
                .isInstanceOf(InvalidInputException.class);
        service.close();
        assertThat(InMemoryCalendarService.find(service.id())).isEmpty();
    }

    @Test
    void a_user_may_read_only_their_own_calendars_and_read_only_calendars_refuse_writes() {
        service.seed(SeedData.organization("example.com").users(2).build());
        CalendarRef holidays = service.addCalendar(U1, "holidays", "Holidays", true);
        try (CalendarConnection c = service.connect(U1)) {
            assertThatThrownBy(() -> c.reader().calendars(U2)).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(
                            () -> c.writer().create(holidays, EventKey.of("k"), meeting("x", "2026-03-02T10:00:00Z")))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> c.reader().get(CalendarRef.of(U1, "nope"), "e1"))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(c::impersonator).isInstanceOf(org.calsdk.errors.UnsupportedCapabilityException.class);
        }
        CalendarConnection closed = service.connect(U1);
        closed.close();
        assertThatThrownBy(closed::reader).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void page_tokens_are_bound_to_their_calendar_and_window() {
        service.seed(SeedData.organization("example.com")
                .users(1)
                .eventsPerUser(5)
                .startingOn(java.time.LocalDate.of(2026, 3, 2))
                .build());
        try (CalendarConnection c = service.connect(U1)) {
            var page = c.reader().list(new EventQuery(CalendarRef.primary(U1), MARCH, 2, null));
            assertThat(page.nextPageToken()).isNotNull();
            TimeWindow other = TimeWindow.of(MARCH.start(), Duration.ofDays(3));
            assertThatThrownBy(() ->
                            c.reader().list(new EventQuery(CalendarRef.primary(U1), other, 2, page.nextPageToken())))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> c.reader().list(new EventQuery(CalendarRef.primary(U1), MARCH, 2, "garbage")))
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void incremental_reads_page_collapse_repeated_changes_and_report_deletions_with_keys() {
        service.addUser(U1, "One");
        CalendarRef cal = CalendarRef.primary(U1);
        try (CalendarConnection c = service.connect(U1)) {
            List<Event> made = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                made.add(c.writer()
                        .create(cal, EventKey.of("k" + i), meeting("e" + i, "2026-03-0" + (i + 2) + "T10:00:00Z")));
            }
            Set<String> seen = new HashSet<>();
            SyncCursor cursor = SyncCursor.START;
            int batches = 0;
            ChangeBatch.Changes b;
            do {
                b = (ChangeBatch.Changes) c.changes().changes(cal, cursor);
                assertThat(b.full()).isTrue();
                assertThat(b.changes()).hasSizeLessThanOrEqualTo(3);
                b.changes().forEach(ch -> assertThat(seen.add(ch.eventId())).isTrue());
                cursor = b.next();
                batches++;
            } while (b.hasMore());
            assertThat(seen).hasSize(7);
            assertThat(batches).isEqualTo(3);

            Event e0 = made.get(0);
            Event e0b = c.writer().update(cal, e0.toBuilder().summary("again").build());
            c.writer().update(cal, e0b.toBuilder().summary("and again").build());
            c.writer().delete(cal, made.get(1).id().orElseThrow(), null);
            ChangeBatch.Changes inc = (ChangeBatch.Changes) c.changes().changes(cal, cursor);
            assertThat(inc.full()).isFalse();
            assertThat(inc.hasMore()).isFalse();
            assertThat(inc.changes()).hasSize(2);
            assertThat(inc.changes().get(0))
                    .isInstanceOfSatisfying(
                            EventChange.Upserted.class,
                            u -> assertThat(u.event().summary()).isEqualTo("and again"));
            assertThat(inc.changes().get(1))
                    .isInstanceOfSatisfying(
                            EventChange.Deleted.class, d -> assertThat(d.key()).isEqualTo(EventKey.of("k1")));
            ChangeBatch.Changes none = (ChangeBatch.Changes) c.changes().changes(cal, inc.next());
            assertThat(none.changes()).isEmpty();
            String v = inc.next().value();
            char mid = v.charAt(v.length() / 2);
            String damaged =
                    v.substring(0, v.length() / 2) + (mid == 'A' ? 'B' : 'A') + v.substring(v.length() / 2 + 1);
            assertThat(c.changes().changes(CalendarRef.primary(U1), SyncCursor.of(damaged)))
                    .isInstanceOf(ChangeBatch.ResyncRequired.class);
        }
    }

    @Test
    void directory_pages_are_sorted_and_bad_tokens_are_refused() {
        service.seed(SeedData.organization("example.com")
                .users(5)
                .user("zed@example.com", "Zed", u -> u.disabled())
                .build());
        try (CalendarConnection org = service.connectOrganization()) {
            DirectoryPage first = org.directory().users(null);
            assertThat(first.entries()).hasSize(2);
            List<DirectoryEntry> all = org.directory().allUsers();
            assertThat(all).hasSize(6);
            assertThat(all).extracting(u -> u.mailbox().email()).isSorted();
            assertThat(all.get(5).enabled()).isFalse();
            assertThat(org.impersonator()
                            .checkAccess(Mailbox.of("zed@example.com"))
                            .allowed())
                    .isFalse();
            assertThatThrownBy(() -> org.directory().users("bogus")).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void subscriptions_push_changes_expire_by_the_clock_and_are_capped() {
        service.addUser(U1, "One");
        List<WebhookRequest> received = new ArrayList<>();
        service.onWebhook(received::add);
        CalendarRef cal = CalendarRef.primary(U1);
        try (CalendarConnection c = service.connect(U1)) {
            Subscription s = c.push()
                    .subscribe(
                            cal,
                            new SubscriptionRequest(
                                    "https://host.example/hook", Secret.of("s3cret"), Duration.ofDays(30)));
            assertThat(s.expiresAt()).isEqualTo(clock.now.plus(Duration.ofDays(1)));
            c.writer().create(cal, EventKey.of("p1"), meeting("pushed", "2026-03-02T10:00:00Z"));
            assertThat(received).hasSize(1);
            assertThat(c.push().handle(received.get(0), List.of(s)).signals())
                    .extracting(ChangeSignal::kind)
                    .containsExactly(ChangeSignal.Kind.CHANGED);
            assertThat(received.get(0).toString()).doesNotContain("s3cret");

            clock.now = clock.now.plus(Duration.ofDays(2));
            c.reader().calendars(U1); // any call notices the expiry
            assertThat(received).hasSize(2);
            assertThat(c.push().handle(received.get(1), List.of(s)).signals())
                    .extracting(ChangeSignal::kind)
                    .containsExactly(ChangeSignal.Kind.SUBSCRIPTION_ENDED);
            assertThatThrownBy(() -> c.push()
                            .renew(
                                    s,
                                    new SubscriptionRequest(
                                            "https://host.example/hook", Secret.of("s3cret"), Duration.ofHours(1))))
                    .isInstanceOf(NotFoundException.class);
            assertThat(c.push()
                            .handle(new WebhookRequest("GET", null, null, null), List.of(s))
                            .status())
                    .isEqualTo(405);
            assertThatThrownBy(() ->
                            c.push().subscribe(cal, new SubscriptionRequest(null, Secret.of("x"), Duration.ofHours(1))))
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void faults_hit_the_named_operation_mailbox_and_count() {
        service.seed(SeedData.organization("example.com").users(2).build());
        service.faults().failNext(SpiOperation.LIST_CALENDARS, U2, 1, 429, Duration.ofSeconds(5));
        service.faults().failFreeBusy(U2, 404);
        try (CalendarConnection c1 = service.connect(U1);
                CalendarConnection c2 = service.connect(U2)) {
            c1.reader().calendars(U1);
            assertThatThrownBy(() -> c2.reader().calendars(U2))
                    .isInstanceOfSatisfying(
                            RateLimitedException.class,
                            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(5)));
            c2.reader().calendars(U2);
            var r = c1.freeBusy().query(FreeBusyRequest.of(List.of(U1, U2), MARCH));
            assertThat(r.get(U1).map(FreeBusy::ok)).hasValue(true);
            assertThat(r.get(U2).map(FreeBusy::error))
                    .hasValueSatisfying(e -> assertThat(e).isInstanceOf(NotFoundException.class));
            service.faults().failAlways(null, ctx -> new ProviderUnavailableException("down", ctx));
            assertThatThrownBy(() -> c1.reader().calendars(U1)).isInstanceOf(ProviderUnavailableException.class);
            assertThatThrownBy(() -> c1.changes().changes(CalendarRef.primary(U1), SyncCursor.START))
                    .isInstanceOf(ProviderUnavailableException.class);
            service.faults().clear();
            c1.reader().calendars(U1);
        }
        assertThat(service.calls(SpiOperation.LIST_CALENDARS)).isEqualTo(5);
        assertThat(service.callsFor(U2)).isEqualTo(2);
        assertThatThrownBy(() -> service.faults().failNext(SpiOperation.LIST_EVENTS, 1, 418))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service.faults().loseResponseAfterCommit(SpiOperation.LIST_EVENTS, 1))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void occurrence_writes_check_that_the_occurrence_exists() {
        service.addUser(U1, "One");
        CalendarRef cal = CalendarRef.primary(U1);
        try (CalendarConnection c = service.connect(U1)) {
            Event series = c.writer()
                    .create(
                            cal,
                            EventKey.of("s"),
                            meeting("daily", "2026-03-02T10:00:00Z").toBuilder()
                                    .recurrence(org.calsdk.model.Recurrence.rule("FREQ=DAILY;COUNT=3"))
                                    .build());
            Event single = c.writer().create(cal, EventKey.of("one"), meeting("single", "2026-03-02T12:00:00Z"));
            assertThatThrownBy(() -> c.writer()
                            .cancelOccurrence(
                                    cal,
                                    series.id().orElseThrow(),
                                    EventTime.of(ZonedDateTime.parse("2026-03-02T11:00:00Z")),
                                    null))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> c.writer()
                            .cancelOccurrence(
                                    cal,
                                    single.id().orElseThrow(),
                                    EventTime.of(ZonedDateTime.parse("2026-03-02T12:00:00Z")),
                                    null))
                    .isInstanceOf(InvalidInputException.class);
            Event cancelled = c.writer()
                    .cancelOccurrence(
                            cal,
                            series.id().orElseThrow(),
                            EventTime.of(ZonedDateTime.parse("2026-03-03T10:00:00Z")),
                            series.version().orElseThrow());
            assertThat(cancelled.recurrence().orElseThrow().exdates()).hasSize(1);
            assertThat(cancelled.version()).isNotEqualTo(series.version());
        }
    }
}
