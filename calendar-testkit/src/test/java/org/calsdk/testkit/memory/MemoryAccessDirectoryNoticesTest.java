package org.calsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.testkit.SpiOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reference provider's access reasons, set-up check, directory kinds, write notices and occurrence versions. */
class MemoryAccessDirectoryNoticesTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final Mailbox BOB = Mailbox.of("bob@example.com");
    private static final Mailbox CAROL = Mailbox.of("carol@partner.example");
    private static final Mailbox ROOM = Mailbox.of("room-1@example.com");
    private static final Mailbox PROJECTOR = Mailbox.of("projector@example.com");
    private static final Mailbox TEAM = Mailbox.of("team@example.com");
    private static final Mailbox LEADS = Mailbox.of("leads@example.com");

    private final InMemoryCalendarService service =
            InMemoryCalendarService.builder().directoryPageSize(2).build();

    @AfterEach
    void close() {
        service.close();
    }

    private void organization() {
        service.addUser(ALICE, "Alice")
                .addUser(BOB, "Bob")
                .addUser(ROOM, "Room 1")
                .addUser(PROJECTOR, "Projector");
        service.makeResource(ROOM, DirectoryEntry.Kind.ROOM, 8, "HQ")
                .makeResource(PROJECTOR, DirectoryEntry.Kind.EQUIPMENT, null, null)
                .addAlias(ALICE, Mailbox.of("a.smith@example.com"))
                .group(LEADS, List.of(ALICE))
                .group(TEAM, List.of(BOB, LEADS, ROOM, TEAM));
    }

    @Test
    void accessReasonsFollowScopeExistenceAndSetup() {
        organization();
        service.restrictServiceAccountTo(List.of(ALICE, ROOM));
        try (CalendarConnection org = service.connectOrganization()) {
            Mailbox ghost = Mailbox.of("ghost@example.com");
            List<AccessCheck> checks = org.impersonator().checkAccess(List.of(ALICE, BOB, ghost));
            assertThat(checks)
                    .extracting(AccessCheck::reason)
                    .containsExactly(null, AccessCheck.Reason.NOT_IN_SCOPE, AccessCheck.Reason.NOT_FOUND);
            assertThat(service.calls(SpiOperation.CHECK_ACCESS))
                    .as("one call for the whole list")
                    .isEqualTo(1);
            assertThat(org.checkSetup().ok()).isTrue();

            service.breakSetup(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT, "grant ApplicationImpersonation");
            SetupCheck setup = org.checkSetup();
            assertThat(setup.problems())
                    .extracting(SetupCheck.Item::requirement)
                    .containsExactly(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT);
            assertThat(setup.problems().get(0).detail()).contains("ApplicationImpersonation");
            AccessCheck refused = org.impersonator().checkAccess(ALICE);
            assertThat(refused.reason()).isEqualTo(AccessCheck.Reason.ROLE_MISSING);
            assertThatThrownBy(() -> org.impersonator().actAs(ALICE)).isInstanceOf(PermissionDeniedException.class);

            service.breakSetup(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT, null)
                    .breakSetup(SetupCheck.Requirement.CREDENTIAL_VALID, "the client secret expired");
            assertThat(org.impersonator().checkAccess(ALICE).reason()).isEqualTo(AccessCheck.Reason.CREDENTIAL_INVALID);
            service.breakSetup(SetupCheck.Requirement.CREDENTIAL_VALID, null)
                    .breakSetup(
                            SetupCheck.Requirement.DELEGATION_CONFIGURED,
                            "add the client id to domain-wide delegation");
            assertThat(org.impersonator().checkAccess(ALICE).reason()).isEqualTo(AccessCheck.Reason.NOT_IN_SCOPE);
        }
    }

    @Test
    void directoryListsPeopleRoomsAndFlattenedGroupsInPages() {
        organization();
        try (CalendarConnection org = service.connectOrganization()) {
            assertThat(org.directory().allUsers())
                    .extracting(DirectoryEntry::mailbox)
                    .containsExactly(ALICE, BOB);
            DirectoryEntry alice = org.directory().allUsers().get(0);
            assertThat(alice.aliases()).containsExactly(Mailbox.of("a.smith@example.com"));
            List<DirectoryEntry> rooms = org.directory().allRooms();
            assertThat(rooms).extracting(DirectoryEntry::mailbox).containsExactly(PROJECTOR, ROOM);
            assertThat(rooms.get(1).capacity()).isEqualTo(8);
            assertThat(rooms.get(1).building()).isEqualTo("HQ");
            assertThat(rooms.get(0).kind()).isEqualTo(DirectoryEntry.Kind.EQUIPMENT);

            DirectoryPage first = org.directory().groupMembers(TEAM.email(), null);
            assertThat(first.entries()).hasSize(2);
            assertThat(org.directory().allGroupMembers(TEAM.email()))
                    .extracting(DirectoryEntry::mailbox)
                    .as("nested group flattened, the cycle through itself ignored")
                    .containsExactly(ALICE, BOB, ROOM);
            assertThatThrownBy(() -> org.directory().groupMembers("nobody@example.com", null))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> org.directory().groupMembers(LEADS.email(), first.nextPageToken()))
                    .as("a token of another group")
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> service.makeResource(BOB, DirectoryEntry.Kind.EQUIPMENT, 4, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void writesSendNoticesAsTheOptionsSay() {
        service.addUser(ALICE, "Alice").addUser(BOB, "Bob");
        CalendarRef cal = CalendarRef.primary(ALICE);
        ZonedDateTime at = ZonedDateTime.parse("2031-05-05T10:00:00Z");
        Event meeting = Event.builder()
                .summary("plan")
                .start(EventTime.of(at))
                .end(EventTime.of(at.plusHours(1)))
                .organizer(new Organizer(ALICE, null))
                .attendee(Attendee.required(ALICE))
                .attendee(Attendee.required(BOB))
                .attendee(Attendee.required(CAROL))
                .build();
        try (CalendarConnection c = service.connect(ALICE)) {
            Event made = c.writer().create(cal, EventKey.of("k1"), meeting, WriteOptions.defaults());
            c.writer()
                    .update(
                            cal,
                            made.toBuilder().location("Room 1").build(),
                            WriteOptions.defaults().withNotifications(WriteOptions.Notify.EXTERNAL_ONLY));
            c.writer()
                    .update(
                            cal,
                            c.reader().get(cal, made.id().orElseThrow()).orElseThrow().toBuilder()
                                    .location("Room 2")
                                    .build(),
                            WriteOptions.silent());
            c.writer().delete(cal, made.id().orElseThrow(), null, WriteOptions.cancelMeeting());
            assertThat(service.notices())
                    .extracting(MemoryNotice::kind, MemoryNotice::recipients)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(MemoryNotice.Kind.INVITATION, List.of(BOB, CAROL)),
                            org.assertj.core.groups.Tuple.tuple(MemoryNotice.Kind.UPDATE, List.of(CAROL)),
                            org.assertj.core.groups.Tuple.tuple(MemoryNotice.Kind.CANCELLATION, List.of(BOB, CAROL)));
            assertThat(c.reader().get(cal, made.id().orElseThrow()))
                    .as("a cancelled meeting is kept, cancelled")
                    .hasValueSatisfying(e -> assertThat(e.isCancelled()).isTrue());
        }
        try (CalendarConnection b = service.connect(BOB)) {
            CalendarRef bobs = CalendarRef.primary(BOB);
            Event invite = b.writer()
                    .create(bobs, EventKey.of("k2"), meeting.toBuilder().build(), WriteOptions.silent());
            b.writer()
                    .respond(
                            bobs,
                            invite.id().orElseThrow(),
                            BOB,
                            Attendee.ResponseStatus.ACCEPTED,
                            WriteOptions.defaults());
            assertThat(service.notices())
                    .last()
                    .extracting(MemoryNotice::kind, MemoryNotice::recipients)
                    .containsExactly(MemoryNotice.Kind.REPLY, List.of(ALICE));
        }
    }

    @Test
    void anOccurrenceKeepsItsVersionWhileAnotherOneChanges() {
        service.addUser(ALICE, "Alice");
        CalendarRef cal = CalendarRef.primary(ALICE);
        Instant start = Instant.parse("2031-05-05T09:00:00Z");
        try (CalendarConnection c = service.connect(ALICE)) {
            Event series = c.writer()
                    .create(
                            cal,
                            EventKey.of("s"),
                            Event.builder()
                                    .summary("daily")
                                    .start(EventTime.utc(start))
                                    .end(EventTime.utc(start.plusSeconds(3600)))
                                    .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=5"))
                                    .build());
            String id = series.id().orElseThrow();
            EventTime tue = EventTime.utc(start.plusSeconds(86_400));
            EventTime wed = EventTime.utc(start.plusSeconds(2 * 86_400));
            Event one = c.writer()
                    .updateOccurrence(cal, id, moved(tue, 14), series.version().orElseThrow());
            String tueVersion = one.overrides().get(0).version().orElseThrow();
            assertThatThrownBy(() -> c.writer()
                            .updateOccurrence(
                                    cal, id, moved(wed, 15), series.version().orElseThrow()))
                    .as("an occurrence never changed goes by the series' version, which moved on")
                    .isInstanceOf(ConflictException.class);
            Event two = c.writer()
                    .updateOccurrence(cal, id, moved(wed, 15), one.version().orElseThrow());
            assertThat(two.overrides())
                    .filteredOn(o -> o.recurrenceId().orElseThrow().equals(tue))
                    .singleElement()
                    .satisfies(o -> assertThat(o.version()).hasValue(tueVersion));
            assertThat(two.version()).isNotEqualTo(one.version());
            c.writer().updateOccurrence(cal, id, moved(tue, 16), tueVersion);
            assertThatThrownBy(() -> c.writer().updateOccurrence(cal, id, moved(tue, 17), tueVersion))
                    .isInstanceOf(ConflictException.class);
        }
    }

    private static Event moved(EventTime rid, int hour) {
        Instant s = rid.toInstant(java.time.ZoneOffset.UTC)
                .atZone(java.time.ZoneOffset.UTC)
                .withHour(hour)
                .toInstant();
        return Event.builder()
                .summary("moved")
                .recurrenceId(rid)
                .start(EventTime.utc(s))
                .end(EventTime.utc(s.plusSeconds(3600)))
                .build();
    }
}
