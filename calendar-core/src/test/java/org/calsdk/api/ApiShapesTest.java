package org.calsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.Test;

/** The value types and default methods of issue 11 items 5, 6, 7 and 10. */
class ApiShapesTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final CalendarRef CAL = CalendarRef.primary(ALICE);

    @Test
    void anAccessCheckHasAReasonExactlyWhenRefused() {
        assertThat(AccessCheck.allowed(ALICE).reason()).isNull();
        AccessCheck no = AccessCheck.denied(ALICE, AccessCheck.Reason.ROLE_MISSING, "grant ApplicationImpersonation");
        assertThat(no.allowed()).isFalse();
        assertThat(no.reason()).isEqualTo(AccessCheck.Reason.ROLE_MISSING);
        assertThatThrownBy(() -> new AccessCheck(ALICE, false, null, "")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new AccessCheck(ALICE, true, AccessCheck.Reason.UNKNOWN, ""))
                .isInstanceOf(InvalidInputException.class);
        assertThat(new AccessCheck(ALICE, true, null, null).detail()).isEmpty();
    }

    @Test
    void theReasonNamesAreTheContractACommandLinePrints() {
        assertThat(AccessCheck.Reason.values())
                .extracting(Enum::name)
                .containsExactly("NOT_IN_SCOPE", "ROLE_MISSING", "NOT_FOUND", "CREDENTIAL_INVALID", "UNKNOWN");
    }

    @Test
    void bulkAccessChecksAnswerInOrderAndAreBounded() {
        List<Mailbox> asked = new ArrayList<>();
        ServiceAccountImpersonator imp = new ServiceAccountImpersonator() {
            @Override
            public AccessCheck checkAccess(Mailbox mailbox) {
                asked.add(mailbox);
                return mailbox.equals(ALICE)
                        ? AccessCheck.allowed(mailbox)
                        : AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_FOUND, "no such mailbox");
            }

            @Override
            public SetupCheck checkSetup() {
                return new SetupCheck(List.of());
            }

            @Override
            public CalendarConnection actAs(Mailbox mailbox) {
                throw new AssertionError("not used");
            }
        };
        Mailbox bob = Mailbox.of("bob@example.com");
        assertThat(imp.checkAccess(List.of(bob, ALICE)))
                .extracting(AccessCheck::allowed)
                .containsExactly(false, true);
        assertThat(asked).containsExactly(bob, ALICE);
        List<Mailbox> tooMany = Collections.nCopies(ServiceAccountImpersonator.MAX_ACCESS_CHECKS + 1, ALICE);
        assertThatThrownBy(() -> imp.checkAccess(tooMany)).isInstanceOf(InvalidInputException.class);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aSetupCheckListsItsProblems() {
        SetupCheck c = new SetupCheck(List.of(
                new SetupCheck.Item(SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.OK, null),
                new SetupCheck.Item(
                        SetupCheck.Requirement.ADMIN_CONSENT_GIVEN,
                        SetupCheck.Status.MISSING,
                        "an administrator must consent")));
        assertThat(c.ok()).isFalse();
        assertThat(c.problems())
                .extracting(SetupCheck.Item::requirement)
                .containsExactly(SetupCheck.Requirement.ADMIN_CONSENT_GIVEN);
        assertThat(c.item(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT)).isEmpty();
        assertThat(new SetupCheck(List.of(c.items().get(0))).ok()).isTrue();
    }

    @Test
    void aUserConnectionsSetupCheckTellsARefusedCredentialApart() {
        CalendarConnection refused = connection(() -> {
            throw new ReauthorizationRequiredException(
                    "the provider no longer accepts the credentials", ErrorContext.of("x"));
        });
        SetupCheck.Item item = refused.checkSetup()
                .item(SetupCheck.Requirement.CREDENTIAL_VALID)
                .orElseThrow();
        assertThat(item.status()).isEqualTo(SetupCheck.Status.MISSING);
        assertThat(item.detail()).contains("no longer accepts");
        assertThat(connection(() -> List.of()).checkSetup().ok()).isTrue();
        assertThat(connection(() -> {
                            throw new org.calsdk.errors.ProviderUnavailableException("down", ErrorContext.of("x"));
                        })
                        .checkSetup()
                        .problems())
                .extracting(SetupCheck.Item::status)
                .containsExactly(SetupCheck.Status.UNKNOWN);
    }

    @Test
    void directoryEntriesKeepTheirRules() {
        DirectoryEntry room = DirectoryEntry.room("r1", Mailbox.of("room1@example.com"), "Room 1", 8, "HQ");
        assertThat(room.kind()).isEqualTo(DirectoryEntry.Kind.ROOM);
        Mailbox alias = Mailbox.of("boardroom@example.com");
        DirectoryEntry aliased = room.withAliases(List.of(alias, alias));
        assertThat(aliased.aliases()).containsExactly(alias);
        assertThat(aliased.hasAddress(alias)).isTrue();
        assertThatThrownBy(() -> room.withAliases(List.of(room.mailbox()))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() ->
                        new DirectoryEntry("p", ALICE, null, true, DirectoryEntry.Kind.PERSON, List.of(), 3, null))
                .as("a person has no capacity")
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DirectoryEntry.room("r", ALICE, null, -1, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void directoryDefaultsRefuseWhatTheProviderCannotListAndStopRunawayPaging() {
        DirectoryReader onlyUsers =
                token -> new DirectoryPage(List.of(DirectoryEntry.person("1", ALICE, null, true)), null);
        assertThat(onlyUsers.allUsers()).hasSize(1);
        assertThatThrownBy(() -> onlyUsers.rooms(null)).isInstanceOf(UnsupportedCapabilityException.class);
        assertThatThrownBy(() -> onlyUsers.groupMembers("team@example.com", null))
                .isInstanceOf(UnsupportedCapabilityException.class);
        DirectoryReader loops = token -> new DirectoryPage(List.of(), "again");
        assertThatThrownBy(loops::allUsers).isInstanceOf(org.calsdk.errors.MalformedDataException.class);
    }

    @Test
    void writeOptionsDefaultsAndTheOptionFormsOfAProviderWithoutNotifyControl() {
        assertThat(WriteOptions.defaults().isDefault()).isTrue();
        assertThat(WriteOptions.silent().notifications()).isEqualTo(WriteOptions.Notify.NONE);
        assertThat(WriteOptions.cancelMeeting().withRemoval(WriteOptions.Removal.DELETE))
                .isEqualTo(WriteOptions.defaults());
        List<String> calls = new ArrayList<>();
        EventWriter plain = new RecordingWriter(calls);
        Event e = Event.builder()
                .summary("s")
                .start(EventTime.utc(Instant.parse("2031-01-01T10:00:00Z")))
                .end(EventTime.utc(Instant.parse("2031-01-01T11:00:00Z")))
                .build();
        plain.create(CAL, EventKey.of("k"), e, WriteOptions.defaults());
        plain.delete(CAL, "id", "v1", WriteOptions.cancelMeeting());
        assertThat(calls).containsExactly("create", "delete id v1");
        assertThatThrownBy(() -> plain.create(CAL, EventKey.of("k"), e, WriteOptions.silent()))
                .isInstanceOf(UnsupportedCapabilityException.class);
        assertThatThrownBy(() -> plain.respond(
                        CAL,
                        "id",
                        ALICE,
                        Attendee.ResponseStatus.ACCEPTED,
                        WriteOptions.defaults().withNotifications(WriteOptions.Notify.EXTERNAL_ONLY)))
                .isInstanceOf(UnsupportedCapabilityException.class);
        assertThat(calls).as("a refused write sends nothing").hasSize(2);
    }

    @Test
    void changedCalendarsDefaultDoesWhatItsJavadocSays() {
        ChangeFeed feed = (calendar, cursor) -> new ChangeBatch.ResyncRequired("x");
        assertThatThrownBy(() -> feed.changedCalendars(ALICE, Map.of()))
                .isInstanceOf(UnsupportedCapabilityException.class);
    }

    private static CalendarConnection connection(
            java.util.function.Supplier<List<org.calsdk.model.CalendarInfo>> calendars) {
        return new CalendarConnection() {
            @Override
            public String providerId() {
                return "x";
            }

            @Override
            public java.util.Set<Capability> capabilities() {
                return java.util.Set.of(Capability.READ_EVENTS);
            }

            @Override
            public ConnectionScope scope() {
                return ConnectionScope.USER;
            }

            @Override
            public java.util.Optional<Mailbox> self() {
                return java.util.Optional.of(ALICE);
            }

            @Override
            public void close() {}

            @Override
            public EventReader reader() {
                return new EventReader() {
                    @Override
                    public List<org.calsdk.model.CalendarInfo> calendars(Mailbox mailbox) {
                        return calendars.get();
                    }

                    @Override
                    public EventPage list(EventQuery query) {
                        throw new AssertionError();
                    }

                    @Override
                    public java.util.Optional<Event> get(CalendarRef c, String id) {
                        throw new AssertionError();
                    }

                    @Override
                    public java.util.Optional<Event> findByKey(CalendarRef c, EventKey k) {
                        throw new AssertionError();
                    }
                };
            }
        };
    }

    private record RecordingWriter(List<String> calls) implements EventWriter {
        @Override
        public Event create(CalendarRef c, EventKey k, Event e) {
            calls.add("create");
            return e;
        }

        @Override
        public Event update(CalendarRef c, Event e) {
            calls.add("update");
            return e;
        }

        @Override
        public void delete(CalendarRef c, String id, String v) {
            calls.add("delete " + id + " " + v);
        }

        @Override
        public Event updateOccurrence(CalendarRef c, String s, Event o, String v) {
            throw new AssertionError();
        }

        @Override
        public Event cancelOccurrence(CalendarRef c, String s, EventTime r, String v) {
            throw new AssertionError();
        }

        @Override
        public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r) {
            calls.add("respond");
            return null;
        }
    }
}
