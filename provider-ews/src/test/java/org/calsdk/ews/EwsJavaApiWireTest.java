package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.availability.AvailabilityData;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.notification.EventType;
import microsoft.exchange.webservices.data.core.enumeration.property.LegacyFreeBusyStatus;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.property.time.DayOfTheWeek;
import microsoft.exchange.webservices.data.core.enumeration.service.SendInvitationsMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.service.folder.CalendarFolder;
import microsoft.exchange.webservices.data.core.service.item.Appointment;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.misc.availability.AttendeeInfo;
import microsoft.exchange.webservices.data.misc.availability.GetUserAvailabilityResults;
import microsoft.exchange.webservices.data.misc.availability.TimeWindow;
import microsoft.exchange.webservices.data.notification.GetEventsResults;
import microsoft.exchange.webservices.data.notification.ItemEvent;
import microsoft.exchange.webservices.data.notification.PullSubscription;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.property.complex.ItemId;
import microsoft.exchange.webservices.data.property.complex.recurrence.pattern.Recurrence;
import microsoft.exchange.webservices.data.search.CalendarView;
import microsoft.exchange.webservices.data.search.FindItemsResults;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.ItemChange;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wire compatibility: Microsoft's own EWS Java API (test scope only) runs unchanged against the fake EWS
 * server, with impersonation: the proof that the fake speaks Exchange's dialect, so that the provider's
 * tests against it mean something.
 */
class EwsJavaApiWireTest {
    private FakeEwsServer ews;
    private TimeZone savedZone;

    @BeforeEach
    void start() {
        // the library sends the JVM's zone in GetUserAvailability; the fake reads fixed-offset zones
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .mailbox("bob@example.com")
                .impersonationScope("svc", "alice@example.com", "bob@example.com")
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        ews.close();
        TimeZone.setDefault(savedZone);
    }

    private ExchangeService service(String impersonate) throws Exception {
        ExchangeService s = new ExchangeService(ExchangeVersion.Exchange2010_SP2);
        s.setCredentials(new WebCredentials("svc", "svc-pw"));
        s.setUrl(new URI(ews.url()));
        if (impersonate != null) {
            s.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, impersonate));
        }
        return s;
    }

    @Test
    void createFindSyncAndAvailabilityWorkThroughTheLibrary() throws Exception {
        Instant start = Instant.parse("2031-05-05T09:00:00Z");
        try (ExchangeService alice = service("alice@example.com")) {
            CalendarFolder calendar = CalendarFolder.bind(alice, WellKnownFolderName.Calendar);
            assertThat(calendar.getDisplayName()).isEqualTo("Calendar");

            Appointment a = new Appointment(alice);
            a.setSubject("wire check");
            a.setStart(Date.from(start));
            a.setEnd(Date.from(start.plusSeconds(3600)));
            a.setLegacyFreeBusyStatus(LegacyFreeBusyStatus.Tentative);
            a.save(SendInvitationsMode.SendToNone);
            assertThat(a.getId().getUniqueId()).isNotBlank();

            FindItemsResults<Appointment> found = calendar.findAppointments(
                    new CalendarView(Date.from(start.minusSeconds(86400)), Date.from(start.plusSeconds(86400))));
            assertThat(found.getItems()).hasSize(1);
            Appointment read = found.getItems().get(0);
            assertThat(read.getSubject()).isEqualTo("wire check");
            assertThat(read.getStart().toInstant()).isEqualTo(start);

            ChangeCollection<ItemChange> changes = alice.syncFolderItems(
                    new FolderId(WellKnownFolderName.Calendar),
                    PropertySet.FirstClassProperties,
                    null,
                    512,
                    SyncFolderItemsScope.NormalItems,
                    null);
            assertThat(changes.getCount()).isEqualTo(1);
            assertThat(changes.getMoreChangesAvailable()).isFalse();
            assertThat(changes.getSyncState()).isNotBlank();
        }
        assertThat(ews.itemCount("alice@example.com")).isEqualTo(1);
        assertThat(ews.accounting().recent())
                .filteredOn(c -> c.status() == 200)
                .allSatisfy(c -> assertThat(c.mailbox()).isEqualTo("alice@example.com"));

        try (ExchangeService svc = service(null)) {
            List<AttendeeInfo> who = new ArrayList<>();
            who.add(new AttendeeInfo("alice@example.com"));
            who.add(new AttendeeInfo("bob@example.com"));
            GetUserAvailabilityResults r = svc.getUserAvailability(
                    who,
                    new TimeWindow(Date.from(start.minusSeconds(86400)), Date.from(start.plusSeconds(86400))),
                    AvailabilityData.FreeBusy);
            assertThat(r.getAttendeesAvailability().getCount()).isEqualTo(2);
            var aliceBusy = r.getAttendeesAvailability().getResponseAtIndex(0).getCalendarEvents();
            assertThat(aliceBusy).singleElement().satisfies(e -> {
                assertThat(e.getStartTime().toInstant()).isEqualTo(start);
                assertThat(e.getFreeBusyStatus()).isEqualTo(LegacyFreeBusyStatus.Tentative);
            });
            assertThat(r.getAttendeesAvailability().getResponseAtIndex(1).getCalendarEvents())
                    .isEmpty();
        }
    }

    @Test
    void seriesMeetingMessagesAndPullNotificationsWorkThroughTheLibrary() throws Exception {
        Instant monday = Instant.parse("2031-05-05T09:00:00Z");
        try (ExchangeService alice = service("alice@example.com")) {
            CalendarFolder calendar = CalendarFolder.bind(alice, WellKnownFolderName.Calendar);
            List<FolderId> folders = List.of(new FolderId(WellKnownFolderName.Calendar));
            PullSubscription sub = alice.subscribeToPullNotifications(
                    folders, 10, null, EventType.Created, EventType.Modified, EventType.Deleted);

            // a series as the library writes it (WeeklyRecurrence + NumberedRecurrence), expanded by the fake's own
            // mapping
            Appointment series = new Appointment(alice);
            series.setSubject("weekly");
            series.setStart(Date.from(monday));
            series.setEnd(Date.from(monday.plusSeconds(1800)));
            Recurrence.WeeklyPattern weekly =
                    new Recurrence.WeeklyPattern(Date.from(monday), 1, DayOfTheWeek.Monday, DayOfTheWeek.Wednesday);
            weekly.setNumberOfOccurrences(4);
            series.setRecurrence(weekly);
            series.save(SendInvitationsMode.SendToNone);
            FindItemsResults<Appointment> occurrences = calendar.findAppointments(
                    new CalendarView(Date.from(monday.minusSeconds(86400)), Date.from(monday.plusSeconds(30 * 86400))));
            assertThat(occurrences.getItems())
                    .extracting(o -> o.getStart().toInstant())
                    .containsExactly(
                            monday,
                            monday.plusSeconds(2 * 86400),
                            monday.plusSeconds(7 * 86400),
                            monday.plusSeconds(9 * 86400));

            GetEventsResults events = sub.getEvents();
            List<ItemEvent> items = new ArrayList<>();
            events.getItemEvents().forEach(items::add);
            assertThat(items).singleElement().satisfies(e -> {
                assertThat(e.getEventType()).isEqualTo(EventType.Created);
                assertThat(e.getItemId().getUniqueId()).isEqualTo(series.getId().getUniqueId());
            });

            // an invitation the organizer then cancels (CancelCalendarItem)
            Appointment meeting = new Appointment(alice);
            meeting.setSubject("to cancel");
            meeting.setStart(Date.from(monday.plusSeconds(3 * 3600)));
            meeting.setEnd(Date.from(monday.plusSeconds(4 * 3600)));
            meeting.getRequiredAttendees().add("bob@example.com");
            meeting.save(SendInvitationsMode.SendToAllAndSaveCopy);
            meeting.cancelMeeting();
            assertThat(ews.sentMessages())
                    .extracting(FakeEwsServer.SentMessage::kind)
                    .containsExactly("MeetingRequest", "MeetingCancellation");
            assertThat(ews.itemCount("alice@example.com")).isEqualTo(1);
            sub.unsubscribe();
        }
        // an attendee accepts without sending a response (accept(false): MessageDisposition SaveOnly)
        String invitation = ews.putEvent(
                "bob@example.com",
                org.calsdk.model.Event.builder()
                        .summary("invited")
                        .start(org.calsdk.model.EventTime.of(monday.atZone(java.time.ZoneOffset.UTC)))
                        .end(org.calsdk.model.EventTime.of(
                                monday.plusSeconds(3600).atZone(java.time.ZoneOffset.UTC)))
                        .organizer(org.calsdk.model.Organizer.of(org.calsdk.model.Mailbox.of("alice@example.com")))
                        .attendee(org.calsdk.model.Attendee.required(org.calsdk.model.Mailbox.of("bob@example.com")))
                        .build());
        try (ExchangeService bob = service("bob@example.com")) {
            Appointment.bind(bob, new ItemId(invitation)).accept(false);
        }
        assertThat(ews.sentMessages())
                .extracting(FakeEwsServer.SentMessage::kind)
                .containsExactly("MeetingRequest", "MeetingCancellation");
    }
}
