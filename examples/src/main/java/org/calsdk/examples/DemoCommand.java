package org.calsdk.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.availability.Slot;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.errors.CalendarException;
import org.calsdk.http.RequestCounter;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.TimeWindow;
import org.calsdk.api.CalendarConnection;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.SyncCursor;
import org.calsdk.sync.AppEventChange;
import org.calsdk.sync.ExternalChange;
import org.calsdk.sync.InMemorySyncStateStore;
import org.calsdk.sync.Integration;
import org.calsdk.sync.OutboxEntry;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncListener;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.memory.InMemoryCalendarService;

import picocli.CommandLine.Command;

/**
 * Walks through what the SDK does, on embedded fakes: no account, no credentials, no network. Every line
 * it prints comes from real SDK code running now: the recurrence engine, the availability engine, the
 * in-memory reference provider, the CalDAV provider talking HTTP to the testkit's fake CalDAV server on
 * loopback, and the sync engine.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Shows the SDK working end to end on embedded fakes (no account, no network).")
final class DemoCommand implements Callable<Integer> {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDate MONDAY = LocalDate.of(2027, 3, 1);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

    private static final Mailbox MENTOR = Mailbox.of("mentor@example.com");
    private static final Mailbox MENTEE = Mailbox.of("mentee@example.com");
    private static final Mailbox COACH = Mailbox.of("coach@example.com");
    private static final Mailbox OUTSIDER = Mailbox.of("outsider@example.com");

    /** A weekly series with one moved and one cancelled occurrence, in a Windows zone name as Outlook writes it. */
    private static final String SERIES_ICS = """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//calsdk//demo//EN
            BEGIN:VEVENT
            UID:weekly-mentoring@demo
            DTSTAMP:20270101T000000Z
            SUMMARY:Weekly mentoring
            DTSTART;TZID=W. Europe Standard Time:20270301T100000
            DTEND;TZID=W. Europe Standard Time:20270301T110000
            RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8
            EXDATE;TZID=W. Europe Standard Time:20270310T100000
            END:VEVENT
            BEGIN:VEVENT
            UID:weekly-mentoring@demo
            DTSTAMP:20270101T000000Z
            RECURRENCE-ID;TZID=W. Europe Standard Time:20270303T100000
            SUMMARY:Weekly mentoring (moved)
            DTSTART;TZID=W. Europe Standard Time:20270303T150000
            DTEND;TZID=W. Europe Standard Time:20270303T160000
            END:VEVENT
            END:VCALENDAR
            """;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        out.println("Calendar SDK demo: everything below runs on embedded fakes (no account, no network).");
        providers();
        List<Event> series = recurrence();
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
            FreeBusyResult busy = freeBusy(service, series);
            availability(busy);
            idempotentWrite(service);
            sync(service);
        }
        caldav();
        out.println();
        out.println("Done. Try `./calendar --help` for the commands, and docs/ARCHITECTURE.md for the map.");
        return 0;
    }

    private void heading(String title) {
        out.println();
        out.println("== " + title);
    }

    private void providers() {
        heading("Providers found on the classpath (ServiceLoader)");
        CalendarProviders providers = CalendarProviders.load();
        for (String id : providers.ids()) {
            CalendarProvider p = providers.get(id);
            out.println("  " + id + ": " + p.capabilities());
        }
    }

    private List<Event> recurrence() {
        heading("Recurrence: a weekly series with a moved and a cancelled occurrence (TZID as Outlook writes it)");
        List<Event> events = ICalendar.parse(SERIES_ICS);
        TimeWindow window = TimeWindow.of(MONDAY.atStartOfDay(BERLIN).toInstant(), Duration.ofDays(14));
        Recurrences.expandAll(events, window, BERLIN).forEach(o -> out.println("  " + describe(o)));
        out.println("  (Wed 3 Mar moved to 15:00, Wed 10 Mar cancelled by EXDATE: each shown once, never twice)");
        return events;
    }

    private static String describe(Occurrence o) {
        ZonedDateTime s = o.startInstant(BERLIN).atZone(BERLIN);
        ZonedDateTime e = o.endInstant(BERLIN).atZone(BERLIN);
        return WHEN.format(s) + "-" + e.toLocalTime() + " Berlin  " + o.summary();
    }

    private FreeBusyResult freeBusy(InMemoryCalendarService service, List<Event> series) {
        heading("Free/busy for several people in one call (in-memory reference provider, service-account access)");
        service.addUser(MENTOR, "Mentor").addUser(MENTEE, "Mentee").addUser(COACH, "Coach").addUser(OUTSIDER, "Outsider");
        service.restrictServiceAccountTo(List.of(MENTOR, MENTEE, COACH));
        CalendarConnection org = service.connectOrganization();
        CalendarConnection mentor = org.impersonator().actAs(MENTOR);
        for (Event e : series) {
            mentor.writer().create(CalendarRef.primary(MENTOR), EventKey.of("demo-series"), e);
        }
        CalendarConnection mentee = org.impersonator().actAs(MENTEE);
        mentee.writer().create(CalendarRef.primary(MENTEE), EventKey.of("demo-class"), Event.builder()
                .summary("Morning class").start(EventTime.of(MONDAY.atTime(9, 0).atZone(NEW_YORK)))
                .end(EventTime.of(MONDAY.atTime(12, 0).atZone(NEW_YORK))).build());
        mentee.writer().create(CalendarRef.primary(MENTEE), EventKey.of("demo-trip"), Event.builder()
                .summary("Trip").start(EventTime.allDay(MONDAY.plusDays(1))).end(EventTime.allDay(MONDAY.plusDays(2)))
                .build());

        TimeWindow week = TimeWindow.of(MONDAY.atStartOfDay(ZoneOffset.UTC).toInstant(), Duration.ofDays(5));
        service.resetCounters();
        FreeBusyResult result = org.freeBusy().query(FreeBusyRequest.of(List.of(MENTOR, MENTEE, COACH, OUTSIDER), week));
        for (FreeBusy fb : result.results()) {
            if (fb.ok()) {
                out.println("  " + fb.mailbox() + ": " + fb.busy().size() + " busy interval(s)"
                        + (fb.busy().isEmpty() ? "" : ", first " + fb.busy().get(0).start() + " .. " + fb.busy().get(0).end()));
            } else {
                out.println("  " + fb.mailbox() + ": error (" + fb.error().getClass().getSimpleName() + "): "
                        + fb.error().getMessage());
            }
        }
        out.println("  calls made to the provider: " + service.calls(SpiOperation.FREE_BUSY)
                + " (one mailbox failing never fails the others)");
        return result;
    }

    private void availability(FreeBusyResult busy) {
        heading("Availability: 45-minute slots the mentor (Berlin) and mentee (New York) share, 10-minute buffers");
        AvailabilityRequest.Builder req = AvailabilityRequest.builder()
                .window(TimeWindow.of(MONDAY.atStartOfDay(ZoneOffset.UTC).toInstant(), Duration.ofDays(5)))
                .duration(Duration.ofMinutes(45)).interval(Duration.ofMinutes(15))
                .buffer(org.calsdk.availability.Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(10)))
                .maxResults(5);
        req.participant(Participant.builder("mentor", BERLIN).busy(busy.get(MENTOR).orElseThrow().busy()).build());
        req.participant(Participant.builder("mentee", NEW_YORK).busy(busy.get(MENTEE).orElseThrow().busy()).build());
        req.group(ParticipantGroup.all(List.of("mentor", "mentee")));
        AvailabilityResult result = Availability.find(req.build());
        for (Slot s : result.slots()) {
            out.println("  " + WHEN.format(s.start().atZone(BERLIN)) + " Berlin = "
                    + WHEN.format(s.start().atZone(NEW_YORK)) + " New York  " + s.participants());
        }
        out.println("  (both work Mon-Fri 09:00-17:00 in their own zone, so only the overlap of their days is offered)");
    }

    private void idempotentWrite(InMemoryCalendarService service) {
        heading("Idempotent write: the provider commits a booking but the answer is lost; the retry makes no duplicate");
        CalendarConnection mentor = service.connect(MENTOR);
        CalendarRef cal = CalendarRef.primary(MENTOR);
        Event booking = Event.builder().summary("Mentoring: first session")
                .start(EventTime.of(MONDAY.plusDays(3).atTime(15, 0).atZone(BERLIN)))
                .end(EventTime.of(MONDAY.plusDays(3).atTime(15, 45).atZone(BERLIN)))
                .organizer(Organizer.of(MENTOR)).attendee(Attendee.required(MENTEE)).build();
        service.faults().loseResponseAfterCommit(SpiOperation.CREATE_EVENT, 1);
        EventKey key = EventKey.of("booking-1001");
        try {
            mentor.writer().create(cal, key, booking);
            out.println("  first attempt answered (the fault did not fire)");
        } catch (CalendarException e) {
            out.println("  first attempt: " + e.getClass().getSimpleName() + " (retryable=" + e.retryable() + ")");
        }
        Event stored = mentor.writer().create(cal, key, booking);
        long copies = service.events(cal).stream().filter(e -> e.key().filter(key::equals).isPresent()).count();
        out.println("  retry returned event " + stored.id().orElse("?") + "; events with key " + key + " in the calendar: " + copies);
    }

    private void sync(InMemoryCalendarService service) {
        heading("Two-way sync: the app's event goes out, the organizer's move and an external event come back");
        List<String> seen = new ArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void onExternalChange(ExternalChange change) {
                if (change instanceof ExternalChange.Created c) {
                    seen.add("external event created: \"" + c.event().summary() + "\"");
                } else if (change instanceof ExternalChange.Updated u) {
                    seen.add("external event updated: \"" + u.event().summary() + "\"");
                } else if (change instanceof ExternalChange.Deleted d) {
                    seen.add("external event deleted: " + d.eventId());
                }
            }

            @Override
            public void onAppEventChange(AppEventChange change) {
                seen.add("the app's event " + change.key() + " changed in the calendar: " + change.fields()
                        + ", now starts " + WHEN.format(change.event().start().toInstant(BERLIN).atZone(BERLIN)) + " Berlin");
            }
        };
        CalendarRef cal = CalendarRef.primary(COACH);
        try (SyncEngine engine = SyncEngine.builder().store(new InMemorySyncStateStore())
                .connections((integration, mailbox) -> service.connect(mailbox)).listener(listener).build()) {
            engine.saveIntegration(Integration.active("training", "memory"));
            engine.addMailbox("training", COACH);
            engine.syncMailbox(COACH); // first pass: full read, stores the cursor

            EventKey key = EventKey.of("course-42");
            engine.enqueue(OutboxEntry.upsert(cal, key, Event.builder().summary("Course: Java basics")
                    .start(EventTime.of(MONDAY.plusDays(2).atTime(9, 0).atZone(BERLIN)))
                    .end(EventTime.of(MONDAY.plusDays(2).atTime(12, 0).atZone(BERLIN)))
                    .organizer(Organizer.of(COACH)).build()));
            out.println("  pass 1: " + passSummary(engine.syncMailbox(COACH)));
            CalendarConnection coach = service.connect(COACH);
            Event inCalendar = service.events(cal).stream().filter(e -> e.key().filter(key::equals).isPresent())
                    .findFirst().orElseThrow();
            out.println("  in the coach's calendar now: \"" + inCalendar.summary() + "\" (" + inCalendar.id().orElse("?") + ")");

            coach.writer().update(cal, inCalendar.toBuilder()
                    .start(EventTime.of(MONDAY.plusDays(2).atTime(13, 0).atZone(BERLIN)))
                    .end(EventTime.of(MONDAY.plusDays(2).atTime(16, 0).atZone(BERLIN))).build());
            coach.writer().create(cal, EventKey.of("coach-own-dentist"), Event.builder().summary("Dentist")
                    .start(EventTime.of(MONDAY.plusDays(3).atTime(8, 0).atZone(BERLIN)))
                    .end(EventTime.of(MONDAY.plusDays(3).atTime(9, 0).atZone(BERLIN))).build());
            out.println("  pass 2: " + passSummary(engine.syncMailbox(COACH)));
            seen.forEach(s -> out.println("    host heard: " + s));
        }
    }

    private static String passSummary(org.calsdk.sync.MailboxSyncResult r) {
        return r.outcome() + ", pushed " + r.pushed() + ", pulled " + r.pulled();
    }

    private void caldav() {
        heading("CalDAV over HTTP: the CalDAV provider against the testkit's fake CalDAV server on 127.0.0.1");
        try (FakeCalDavServer server = FakeCalDavServer.builder().user("alice", "app-specific-password")
                .calendar("alice", "work", "Work").build().start()) {
            RequestCounter counter = new RequestCounter();
            CalendarProvider caldav = CalDavProvider.builder().listener(counter).build();
            try (CalendarConnection c = caldav.connect(server.connectionConfig("alice").build())) {
                Mailbox alice = c.self().orElseThrow();
                List<CalendarInfo> calendars = c.reader().calendars(alice);
                CalendarInfo work = calendars.stream().filter(ci -> ci.displayName().equals("Work")).findFirst()
                        .orElse(calendars.get(0));
                out.println("  discovered calendars: " + calendars.stream().map(CalendarInfo::displayName).toList());
                ChangeBatch first = c.changes().changes(work.ref(), SyncCursor.START);
                SyncCursor cursor = ((ChangeBatch.Changes) first).next();
                Event created = c.writer().create(work.ref(), EventKey.of("interview-7"), Event.builder()
                        .summary("Interview").start(EventTime.of(MONDAY.atTime(14, 0).atZone(BERLIN)))
                        .end(EventTime.of(MONDAY.atTime(15, 0).atZone(BERLIN))).build());
                Event again = c.writer().create(work.ref(), EventKey.of("interview-7"), Event.builder()
                        .summary("Interview").start(EventTime.of(MONDAY.atTime(14, 0).atZone(BERLIN)))
                        .end(EventTime.of(MONDAY.atTime(15, 0).atZone(BERLIN))).build());
                out.println("  created with If-None-Match: *, then created again with the same key: same event? "
                        + created.id().equals(again.id()) + " (uid " + created.uid().orElse("?") + ")");
                ChangeBatch next = c.changes().changes(work.ref(), cursor);
                if (next instanceof ChangeBatch.Changes ch) {
                    out.println("  sync-collection since the first cursor: " + ch.changes().size() + " change(s)");
                }
                TimeWindow day = TimeWindow.of(MONDAY.atStartOfDay(BERLIN).toInstant(), Duration.ofDays(1));
                FreeBusy fb = c.freeBusy().query(FreeBusyRequest.of(List.of(alice), day)).results().get(0);
                out.println("  alice's busy time on Monday: " + fb.busy().stream()
                        .map(b -> b.start() + ".." + b.end() + " " + b.status().jsonName()).toList());
            }
            out.println("  HTTP requests made: " + counter.total() + " (by operation: " + counter.byOperation() + ")");
        }
    }
}
