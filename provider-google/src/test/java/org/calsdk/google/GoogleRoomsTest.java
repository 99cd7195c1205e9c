package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.directory.Directory;
import com.google.api.services.directory.model.CalendarResource;
import com.google.api.services.directory.model.CalendarResources;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calendar resources: rooms (capacity, building) and equipment from the Admin SDK, and rooms' free/busy. */
class GoogleRoomsTest {
    private static final String BOARDROOM = "c_boardroom@resource.calendar.google.com";
    private static final String HUDDLE = "c_huddle@resource.calendar.google.com";
    private static final String PROJECTOR = "c_projector@resource.calendar.google.com";
    private static final String LEGACY = "c_legacy@resource.calendar.google.com";
    private ServiceAccounts sa;
    private FakeGoogleServer google;

    @BeforeEach
    void start() {
        sa = ServiceAccounts.generate(null);
        google = FakeGoogleServer.builder()
                .user("admin@example.com", "Admin")
                .user("alice@example.com", "Alice")
                .room(BOARDROOM, "Boardroom", 12, "hq")
                .room(HUDDLE, "Huddle", null, null)
                .resource(PROJECTOR, "Projector", "OTHER", null, null)
                .resource(LEGACY, "Old room", "CATEGORY_UNKNOWN", 4, "annex")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(), Set.of("admin@example.com"))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private CalendarConnection org(String resourceScopes) {
        ConnectionConfig.Builder b = ConnectionConfig.builder("google")
                .setting("baseUrl", google.baseUrl())
                .setting("tokenUrl", google.tokenUrl())
                .setting("serviceAccountKey", sa.json)
                .setting("subject", "admin@example.com");
        if (resourceScopes != null) {
            b.setting("resourceScopes", resourceScopes);
        }
        return new GoogleProvider().connect(b.build());
    }

    @Test
    void roomsAndEquipmentComeFromTheCalendarResourcesAndPeopleFromTheUsers() {
        try (CalendarConnection org = org(null)) {
            assertThat(org.supports(Capability.DIRECTORY_ROOMS)).isTrue();
            List<DirectoryEntry> rooms = org.directory().allRooms();
            assertThat(rooms)
                    .extracting(r -> r.mailbox().email())
                    .containsExactly(BOARDROOM, HUDDLE, LEGACY, PROJECTOR);
            DirectoryEntry board = rooms.get(0);
            assertThat(board.kind()).isEqualTo(DirectoryEntry.Kind.ROOM);
            assertThat(board.displayName()).isEqualTo("Boardroom");
            assertThat(board.capacity()).isEqualTo(12);
            assertThat(board.building()).isEqualTo("hq");
            assertThat(rooms.get(1).capacity()).isNull();
            assertThat(rooms.get(2).kind())
                    .as("legacy data with a capacity is a room")
                    .isEqualTo(DirectoryEntry.Kind.ROOM);
            assertThat(rooms.get(2).building()).isEqualTo("annex");
            assertThat(rooms.get(3).kind()).isEqualTo(DirectoryEntry.Kind.EQUIPMENT);
            assertThat(rooms.get(3).capacity()).isNull();
            assertThat(org.directory().allUsers())
                    .extracting(u -> u.mailbox().email())
                    .containsExactly("admin@example.com", "alice@example.com");
            assertThat(google.accounting().calls("token"))
                    .as("the resource scope is asked for apart")
                    .isEqualTo(2);
        }
    }

    @Test
    void fiveHundredAndOneRoomsAreTwoPages() {
        FakeGoogleServer.Builder b = FakeGoogleServer.builder()
                .user("admin@example.com", "Admin")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(), Set.of("admin@example.com"));
        for (int i = 0; i < 501; i++) {
            b.room(String.format("c_room%03d@resource.calendar.google.com", i), "Room " + i, i % 20, null);
        }
        google.close();
        google = b.build().start();
        try (CalendarConnection org = org(null)) {
            assertThat(org.directory().allRooms())
                    .hasSize(501)
                    .extracting(DirectoryEntry::mailbox)
                    .doesNotHaveDuplicates();
            assertThat(google.calls("directory.resources.calendars.list")).isEqualTo(2);
        }
    }

    @Test
    void aRoomsFreeBusyIsReadLikeAPersonsInTheSameBatch() {
        ZonedDateTime at = ZonedDateTime.of(2026, 3, 10, 9, 0, 0, 0, ZoneOffset.UTC);
        google.seed(SeedData.organization("resource.calendar.google.com")
                .user(
                        BOARDROOM,
                        "Boardroom",
                        u -> u.primary(c -> c.event(Event.builder()
                                .summary("board meeting")
                                .start(EventTime.of(at))
                                .end(EventTime.of(at.plusHours(2)))
                                .build())))
                .build());
        try (CalendarConnection org = org(null)) {
            google.resetCounts();
            List<FreeBusy> r = org.freeBusy()
                    .query(FreeBusyRequest.of(
                            List.of(Mailbox.of(BOARDROOM), Mailbox.of(HUDDLE), Mailbox.of("alice@example.com")),
                            TimeWindow.of(at.toInstant().minusSeconds(3600), Duration.ofDays(1))))
                    .results();
            assertThat(r).allSatisfy(fb -> assertThat(fb.ok()).isTrue());
            assertThat(r.get(0).busy())
                    .containsExactly(
                            BusyInterval.of(at.toInstant(), at.plusHours(2).toInstant(), BusyStatus.BUSY));
            assertThat(r.get(1).busy()).isEmpty();
            assertThat(google.accounting().calls("batch")).isEqualTo(1);
        }
    }

    @Test
    void aRoomIsBookedByInvitingItAndAnswersForItself() {
        ZonedDateTime at = ZonedDateTime.of(2026, 3, 11, 14, 0, 0, 0, ZoneOffset.UTC);
        Mailbox admin = Mailbox.of("admin@example.com");
        Mailbox board = Mailbox.of(BOARDROOM);
        Attendee room =
                new Attendee(board, "Boardroom", Attendee.Role.REQUIRED, Attendee.ResponseStatus.NEEDS_ACTION, true);
        TimeWindow day = TimeWindow.of(at.toInstant().minusSeconds(7200), Duration.ofHours(8));
        try (CalendarConnection org = org(null)) {
            CalendarConnection asAdmin = org.impersonator().actAs(admin);
            Event first = asAdmin.writer()
                    .create(
                            CalendarRef.primary(admin),
                            EventKey.of("booking-1"),
                            Event.builder()
                                    .summary("planning")
                                    .start(EventTime.of(at))
                                    .end(EventTime.of(at.plusHours(1)))
                                    .attendee(room)
                                    .build());
            assertThat(first.attendees()).singleElement().satisfies(a -> {
                assertThat(a.resource()).isTrue();
                assertThat(a.response()).isEqualTo(Attendee.ResponseStatus.ACCEPTED);
            });
            assertThat(org.freeBusy()
                            .query(FreeBusyRequest.of(List.of(board), day))
                            .get(board)
                            .orElseThrow()
                            .busy())
                    .containsExactly(
                            BusyInterval.of(at.toInstant(), at.plusHours(1).toInstant(), BusyStatus.BUSY));

            Event clash = asAdmin.writer()
                    .create(
                            CalendarRef.primary(admin),
                            EventKey.of("booking-2"),
                            Event.builder()
                                    .summary("clash")
                                    .start(EventTime.of(at.plusMinutes(30)))
                                    .end(EventTime.of(at.plusMinutes(90)))
                                    .attendee(room)
                                    .build());
            assertThat(clash.attendees().get(0).response())
                    .as("the room is taken")
                    .isEqualTo(Attendee.ResponseStatus.DECLINED);

            asAdmin.writer().delete(CalendarRef.primary(admin), first.id().orElseThrow(), null);
            assertThat(org.freeBusy()
                            .query(FreeBusyRequest.of(List.of(board), day))
                            .get(board)
                            .orElseThrow()
                            .busy())
                    .as("cancelling the meeting frees the room")
                    .isEmpty();
        }
    }

    @Test
    void withoutTheResourceScopeOnlyTheRoomsAreRefused() {
        try (CalendarConnection org = org("https://www.googleapis.com/auth/calendar")) {
            assertThatThrownBy(() -> org.directory().rooms(null)).isInstanceOf(PermissionDeniedException.class);
            assertThat(org.directory().allUsers()).isNotEmpty();
        }
    }

    @Test
    void theOfficialClientListsTheSameResources() throws IOException {
        String token = google.issueAccessToken("admin@example.com");
        Directory dir = new Directory.Builder(
                        new NetHttpTransport(),
                        GsonFactory.getDefaultInstance(),
                        req -> req.getHeaders().setAuthorization("Bearer " + token))
                .setRootUrl(google.baseUrl())
                .setApplicationName("calsdk-wire-test")
                .build();
        CalendarResources page =
                dir.resources().calendars().list("my_customer").setMaxResults(2).execute();
        assertThat(page.getItems())
                .extracting(CalendarResource::getResourceEmail)
                .containsExactly(BOARDROOM, HUDDLE);
        assertThat(page.getItems().get(0).getCapacity()).isEqualTo(12);
        assertThat(page.getItems().get(0).getBuildingId()).isEqualTo("hq");
        assertThat(page.getItems().get(0).getResourceCategory()).isEqualTo("CONFERENCE_ROOM");
        CalendarResources next = dir.resources()
                .calendars()
                .list("my_customer")
                .setMaxResults(2)
                .setPageToken(page.getNextPageToken())
                .execute();
        assertThat(next.getItems())
                .extracting(CalendarResource::getResourceEmail)
                .containsExactly(LEGACY, PROJECTOR);
        assertThat(next.getNextPageToken()).isNull();
    }
}
