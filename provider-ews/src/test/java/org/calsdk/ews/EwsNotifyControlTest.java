package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.ews.FakeEwsServer.SentMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WriteOptions over EWS against the fake, which records the meeting messages Exchange would send:
 * SendToNone / SaveOnly when the host says not to notify, CancelCalendarItem for an organizer's
 * cancellation, AcceptItem/DeclineItem/TentativelyAcceptItem for answers.
 */
class EwsNotifyControlTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final Mailbox BOB = Mailbox.of("bob@example.com");
    private static final Instant AT = Instant.parse("2031-05-06T09:00:00Z");
    private FakeEwsServer ews;

    @BeforeEach
    void start() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .mailbox("bob@example.com")
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        ews.close();
    }

    private CalendarConnection as(Mailbox m) {
        return EwsProvider.builder()
                .build()
                .connect(ews.connectionConfig("svc")
                        .setting("impersonation", "true")
                        .setting("mailbox", m.email())
                        .build());
    }

    private static Event meeting(String title) {
        return Event.builder()
                .summary(title)
                .start(EventTime.of(AT.atZone(java.time.ZoneOffset.UTC)))
                .end(EventTime.of(AT.plus(Duration.ofHours(1)).atZone(java.time.ZoneOffset.UTC)))
                .attendee(Attendee.required(BOB))
                .build();
    }

    private List<String> kinds() {
        return ews.sentMessages().stream().map(SentMessage::kind).toList();
    }

    @Test
    void theDefaultsInviteUpdateAndCancelTheAttendees() {
        try (CalendarConnection alice = as(ALICE)) {
            assertThat(alice.supports(Capability.NOTIFY_CONTROL)).isTrue();
            CalendarRef cal = CalendarRef.primary(ALICE);
            Event made = alice.writer().create(cal, EventKey.of("k1"), meeting("planning"));
            Event moved = alice.writer()
                    .update(cal, made.toBuilder().location("Room 7").build());
            alice.writer()
                    .delete(cal, moved.id().orElseThrow(), moved.version().orElseThrow(), WriteOptions.cancelMeeting());
            assertThat(alice.reader().get(cal, made.id().orElseThrow())).isEmpty();
        }
        assertThat(kinds()).containsExactly("MeetingRequest", "MeetingRequest", "MeetingCancellation");
        assertThat(ews.sentMessages()).allSatisfy(m -> assertThat(m.to()).containsExactly("bob@example.com"));
        assertThat(ews.accounting().calls("CreateItem")).isEqualTo(2); // the create and the CancelCalendarItem
        assertThat(ews.accounting().calls("DeleteItem")).isZero();
    }

    @Test
    void notifyNoneSendsNothingForCreateUpdateCancelAndDelete() {
        try (CalendarConnection alice = as(ALICE)) {
            CalendarRef cal = CalendarRef.primary(ALICE);
            WriteOptions silent = WriteOptions.silent();
            Event made = alice.writer().create(cal, EventKey.of("k2"), meeting("quiet"), silent);
            Event moved = alice.writer()
                    .update(cal, made.toBuilder().location("Room 8").build(), silent);
            assertThat(moved.location()).hasValue("Room 8");
            alice.writer().delete(cal, moved.id().orElseThrow(), null, silent.withRemoval(WriteOptions.Removal.CANCEL));
            assertThat(alice.reader().get(cal, made.id().orElseThrow())).isEmpty();
            Event other = alice.writer().create(cal, EventKey.of("k3"), meeting("quiet 2"), silent);
            alice.writer().delete(cal, other.id().orElseThrow(), null, silent);
            assertThat(alice.reader().get(cal, other.id().orElseThrow())).isEmpty();
        }
        assertThat(ews.sentMessages()).isEmpty();
    }

    @Test
    void anAttendeeAnswersWithAResponseItemSentOrOnlySaved() {
        String id = ews.putEvent(
                "bob@example.com",
                meeting("invited").toBuilder().organizer(Organizer.of(ALICE)).build());
        try (CalendarConnection bob = as(BOB)) {
            CalendarRef cal = CalendarRef.primary(BOB);
            Event answered =
                    bob.writer().respond(cal, id, BOB, Attendee.ResponseStatus.TENTATIVE, WriteOptions.silent());
            assertThat(answered.attendee(BOB)).map(Attendee::response).hasValue(Attendee.ResponseStatus.TENTATIVE);
            assertThat(ews.sentMessages()).isEmpty();
            answered = bob.writer().respond(cal, id, BOB, Attendee.ResponseStatus.ACCEPTED);
            assertThat(answered.attendee(BOB)).map(Attendee::response).hasValue(Attendee.ResponseStatus.ACCEPTED);
            // the attendee cannot cancel the organizer's meeting: CANCEL on its copy is a plain delete
            bob.writer().delete(cal, id, null, WriteOptions.cancelMeeting());
            assertThat(bob.reader().get(cal, id)).isEmpty();
        }
        assertThat(ews.sentMessages())
                .extracting(SentMessage::kind, SentMessage::from, SentMessage::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "MeetingResponse", "bob@example.com", List.of("alice@example.com")));
    }

    @Test
    void externalOnlyIsRefusedBeforeAnythingIsWritten() {
        try (CalendarConnection alice = as(ALICE)) {
            CalendarRef cal = CalendarRef.primary(ALICE);
            assertThatThrownBy(() -> alice.writer()
                            .create(
                                    cal,
                                    EventKey.of("k4"),
                                    meeting("x"),
                                    WriteOptions.defaults().withNotifications(WriteOptions.Notify.EXTERNAL_ONLY)))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("EXTERNAL_ONLY");
        }
        assertThat(ews.itemCount("alice@example.com")).isZero();
    }
}
