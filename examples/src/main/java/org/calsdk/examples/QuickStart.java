package org.calsdk.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.availability.Slot;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.TimeWindow;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncListener;

/**
 * The README's Java example, compiled and run by {@code QuickStartTest} against the fake Google so that it
 * stays true: connect an organization, read free/busy, find a slot, book it, and keep it in sync.
 */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Books a 45-minute mentoring session in the first slot the mentor and mentee share in {@code week},
     * then starts the sync engine that keeps the booking and the calendars in step.
     *
     * @param google the organization's connection settings (a service account with domain-wide delegation)
     * @param mentor the organizer: the session is booked in this mailbox's primary calendar, which the
     *     engine then keeps in sync; working in Europe/Berlin
     * @param mentee the required attendee, working in America/New_York
     * @param week the window searched for a free 45-minute slot, on a 15-minute grid, within both people's
     *     working hours; the first slot found is booked
     * @param stateDir the directory of the sync engine's H2 state database ({@code calsdk-sync.mv.db},
     *     created when it is not there)
     * @param host the application's {@link SyncListener}: the engine tells it about changes in the synced
     *     calendars, such as the mentor moving the session
     * @return the sync engine, started; the caller closes it
     */
    public static SyncEngine bookAndSync(
            ConnectionConfig google,
            Mailbox mentor,
            Mailbox mentee,
            TimeWindow week,
            Path stateDir,
            SyncListener host) {
        // --- README example begins
        CalendarProviders providers = CalendarProviders.load(); // the provider modules on the class path
        try (CalendarConnection org = providers.connect(google)) { // the whole organization, one connection
            FreeBusyResult busy = org.freeBusy().query(FreeBusyRequest.of(List.of(mentor, mentee), week));
            Slot slot = Availability.find(AvailabilityRequest.builder()
                            .window(week)
                            .duration(Duration.ofMinutes(45))
                            .interval(Duration.ofMinutes(15))
                            .participant(Participant.builder("mentor", ZoneId.of("Europe/Berlin"))
                                    .busy(busy.get(mentor).orElseThrow().busy())
                                    .build())
                            .participant(Participant.builder("mentee", ZoneId.of("America/New_York"))
                                    .busy(busy.get(mentee).orElseThrow().busy())
                                    .build())
                            .group(ParticipantGroup.all(List.of("mentor", "mentee")))
                            .build())
                    .slots()
                    .get(0);
            Event session = Event.builder()
                    .summary("Mentoring")
                    .organizer(Organizer.of(mentor))
                    .attendee(Attendee.required(mentee))
                    .start(EventTime.utc(slot.start()))
                    .end(EventTime.utc(slot.end()))
                    .build();
            try (CalendarConnection asMentor = org.impersonator().actAs(mentor)) { // a retry finds it: no duplicate
                asMentor.writer().create(CalendarRef.primary(mentor), EventKey.of("booking-42"), session);
            }
        }
        SyncEngine engine = SyncEngine.builder()
                .store(JdbcSyncStateStore.h2(stateDir))
                .listener(host)
                .connections(SyncConnections.impersonating(providers, integration -> google))
                .build();
        engine.saveIntegration(Integration.active("acme", "google"));
        engine.addMailbox("acme", mentor); // pulled every few minutes and on push
        engine.start();
        // --- README example ends
        return engine;
    }
}
