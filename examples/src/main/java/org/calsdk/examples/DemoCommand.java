package org.calsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectorySync;
import org.calsdk.api.Doctor;
import org.calsdk.api.DoctorReport;
import org.calsdk.api.Finding;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.ScopeReport;
import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.Buffer;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.availability.Slot;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyRules;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Transparency;
import org.calsdk.sync.AppEventChange;
import org.calsdk.sync.ExternalChange;
import org.calsdk.sync.InMemorySyncStateStore;
import org.calsdk.sync.Integration;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.OutboxEntry;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar demo [--json]}: the story of the products built on this SDK, end to end, on the testkit's
 * fakes started in-process (no network, no account). An organization of 50 people on Google Workspace,
 * Microsoft 365, Exchange on-premises and iCloud is connected by its administrator (and one iCloud user),
 * matched by email, checked for reach, asked for free/busy, scheduled, booked and synced.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Shows the SDK end to end on embedded fakes of Google, Microsoft 365, Exchange and iCloud"
                + " (no account, no network).")
final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

    @Option(names = "--json", description = "print a machine-readable summary instead of the story")
    boolean json;

    private final Map<String, Object> summary = new LinkedHashMap<>();
    private DemoOutput out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        out = new DemoOutput(System.out, json);
        out.line("Calendar SDK demo: an organization of 50 people on Google, Microsoft 365, Exchange on-premises"
                + " and iCloud, all on embedded fakes (no account, no network).");
        out.heading("1. The organization: 20 people on Google Workspace, 15 on Microsoft 365, 14 on Exchange"
                + " on-premises, 1 on iCloud");
        try (DemoOrganization org = DemoOrganization.start(out)) {
            summary.put("people", org.everyone().size());
            Map<String, CalendarConnection> connections = new LinkedHashMap<>();
            try {
                out.heading(
                        "2. The administrator connects the organization; one user connects her own iCloud calendar");
                for (String p : List.of("google", "graph", "ews", "caldav")) {
                    CalendarConnection c = org.connect(p);
                    connections.put(p, c);
                    out.line("  " + pad(label(p), 22) + c.scope().name().toLowerCase(Locale.ROOT) + " connection, "
                            + how(p));
                }
                directory(org, connections);
                scope(org, connections);
                FreeBusyResult busy = freeBusy(org, connections);
                availability(org, busy);
                bookAndSync(org);
                allDay(org, busy);
                doctor(org, busy, connections);
            } finally {
                connections.values().forEach(CalendarConnection::close);
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        summary.put("elapsedMillis", millis);
        out.line("");
        out.line("Done in " + String.format(Locale.ROOT, "%.1f", millis / 1000.0) + " s. Try `./calendar --help`,"
                + " and docs/ARCHITECTURE.md for the map.");
        if (json) {
            System.out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(summary));
        }
        return 0;
    }

    // ---------------------------------------------------------------- 3. directory sync

    private void directory(DemoOrganization org, Map<String, CalendarConnection> connections) {
        out.heading("3. Directory sync: the organization's users matched to the app's users by email");
        // the app's own user list: everyone but one new Google hire, plus one person who has left;
        // the app stored one address in capitals
        List<DirectorySync.HostUser> appUsers = new ArrayList<>();
        for (Mailbox m : org.everyone()) {
            if (!m.equals(org.google.get(18))) {
                String email = m.equals(org.m365.get(1)) ? m.email().toUpperCase(Locale.ROOT) : m.email();
                appUsers.add(DirectorySync.HostUser.of("user-" + appUsers.size(), email));
            }
        }
        appUsers.add(DirectorySync.HostUser.of("user-former", "former.employee@" + DemoOrganization.M365_DOMAIN));

        List<DirectoryEntry> directory = new ArrayList<>();
        Map<String, Integer> listed = new LinkedHashMap<>();
        for (String p : List.of("google", "graph")) {
            out.progress("listing the " + label(p) + " directory");
            List<DirectoryEntry> users = connections.get(p).directory().allUsers().stream()
                    .filter(e -> !e.mailbox().email().startsWith("admin@"))
                    .toList();
            directory.addAll(users);
            listed.put(p, users.size());
        }
        // Exchange on-premises and iCloud: the host supplies the list (EWS resolves names, it cannot list a domain)
        for (Mailbox m : org.exchange) {
            directory.add(DirectoryEntry.person("ews-" + m.email(), m, DemoOrganization.name(m), true));
        }
        directory.add(DirectoryEntry.person("icloud-ines", org.icloudUser, "Ines", true));
        listed.put("ews", org.exchange.size());
        listed.put("caldav", 1);

        DirectorySync.Report report = DirectorySync.match(directory, appUsers, null);
        listed.forEach((p, n) -> out.line("  " + pad(label(p), 22) + n + " users listed"));
        List<String> fresh = report.unmatchedDirectory().stream()
                .map(e -> e.mailbox().email())
                .toList();
        List<String> gone =
                report.unmatchedHost().stream().map(u -> u.email().email()).toList();
        out.line("  matched " + report.matched().size() + " of " + appUsers.size() + " app users (case-insensitively: "
                + org.m365.get(1).email().toUpperCase(Locale.ROOT) + " in the app matched too)");
        out.line("  new in the directory, not yet in the app: " + fresh);
        out.line("  in the app but in no directory: " + gone);
        out.line("  (DirectorySync.match; the report's snapshot tells next time who is new)");
        summary.put(
                "directory",
                Map.of("matched", report.matched().size(), "newInDirectory", fresh, "unmatchedInApp", gone));
    }

    // ---------------------------------------------------------------- 4. scope report

    private Map<Mailbox, AccessCheck> scope(DemoOrganization org, Map<String, CalendarConnection> connections) {
        out.heading("4. Scope report: which mailboxes the service accounts can reach, and why not");
        Map<Mailbox, AccessCheck> all = new LinkedHashMap<>();
        List<Map<String, Object>> unreachable = new ArrayList<>();
        for (String p : List.of("google", "graph", "ews")) {
            List<Mailbox> theirs = org.everyone().stream()
                    .filter(m -> org.providerOf(m).equals(p))
                    .toList();
            List<AccessCheck> checks =
                    ScopeReport.check(connections.get(p), theirs).mailboxes();
            long ok = checks.stream().filter(AccessCheck::allowed).count();
            out.line("  " + pad(label(p), 22) + ok + " of " + theirs.size() + " reachable");
            for (AccessCheck c : checks) {
                all.put(c.mailbox(), c);
                if (!c.allowed()) {
                    out.line("    " + c.mailbox() + ": " + c.reason() + " (" + c.detail() + ")");
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("mailbox", c.mailbox().email());
                    row.put("reason", String.valueOf(c.reason()));
                    unreachable.add(row);
                }
            }
        }
        out.line("  " + pad(label("caldav"), 22) + "connected by the user herself (app-specific password)");
        summary.put("unreachable", unreachable);
        return all;
    }

    // ---------------------------------------------------------------- 5. free/busy

    private FreeBusyResult freeBusy(DemoOrganization org, Map<String, CalendarConnection> connections) {
        out.heading("5. Free/busy for all 50 people over the week, in a handful of round trips");
        TimeWindow week = week();
        List<FreeBusy> results = new ArrayList<>();
        Map<String, Object> trips = new LinkedHashMap<>();
        for (String p : List.of("google", "graph", "ews", "caldav")) {
            List<Mailbox> theirs = org.everyone().stream()
                    .filter(m -> org.providerOf(m).equals(p))
                    .toList();
            long before = org.roundTrips(p);
            FreeBusyResult r = connections.get(p).freeBusy().query(FreeBusyRequest.of(theirs, week));
            long used = org.roundTrips(p) - before;
            results.addAll(r.results());
            long failed = r.results().stream().filter(fb -> !fb.ok()).count();
            out.line("  " + pad(label(p), 22) + pad(theirs.size() + " people", 11) + used + " HTTP round trip(s)"
                    + (p.equals("caldav")
                            ? " (the first call of a connection discovers the principal and calendars)"
                            : "")
                    + (failed == 0 ? "" : ", " + failed + " answered with an error for that mailbox only"));
            trips.put(p, Map.of("people", theirs.size(), "roundTrips", used, "mailboxErrors", failed));
        }
        summary.put("freeBusy", trips);
        return new FreeBusyResult(results);
    }

    // ---------------------------------------------------------------- 6. availability

    private void availability(DemoOrganization org, FreeBusyResult busy) {
        out.heading(
                "6. Availability: a mentor in Berlin and a mentee in New York; an interview panel in three systems");
        Mailbox mentor = org.google.get(0);
        Mailbox mentee = org.icloudUser;
        AvailabilityResult pair = Availability.find(AvailabilityRequest.builder()
                .window(week())
                .duration(Duration.ofMinutes(45))
                .interval(Duration.ofMinutes(15))
                .buffer(Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(10)))
                .maxResults(3)
                .participant(participant("mentor", DemoOrganization.BERLIN, busy, mentor))
                .participant(participant("mentee", DemoOrganization.NEW_YORK, busy, mentee))
                .group(ParticipantGroup.all(List.of("mentor", "mentee")))
                .build());
        out.line("  mentoring (45 min, 10 min buffers, each in their own working hours):");
        pair.slots().forEach(s -> out.line("    " + slot(s, DemoOrganization.BERLIN, DemoOrganization.NEW_YORK)));

        AvailabilityResult panel = Availability.find(AvailabilityRequest.builder()
                .window(week())
                .duration(Duration.ofHours(1))
                .interval(Duration.ofMinutes(30))
                .maxResults(3)
                .participant(participant("recruiter", DemoOrganization.LONDON, busy, org.m365.get(0)))
                .participant(participant("manager", DemoOrganization.LONDON, busy, org.exchange.get(0)))
                .participant(participant("engineer-1", DemoOrganization.BERLIN, busy, org.google.get(1)))
                .participant(participant("engineer-2", DemoOrganization.BERLIN, busy, org.google.get(2)))
                .group(ParticipantGroup.all(List.of("recruiter", "manager")))
                .group(ParticipantGroup.atLeast(1, List.of("engineer-1", "engineer-2")))
                .build());
        out.line("  interview panel (recruiter and manager required, at least one of two engineers):");
        panel.slots()
                .forEach(s -> out.line(
                        "    " + slot(s, DemoOrganization.LONDON, DemoOrganization.BERLIN) + "  " + s.participants()));
        summary.put(
                "availability",
                Map.of(
                        "mentoringSlots",
                        pair.slots().size(),
                        "panelSlots",
                        panel.slots().size(),
                        "firstPanelSlot",
                        panel.slots().isEmpty()
                                ? ""
                                : panel.slots().get(0).start().toString()));
    }

    private static Participant participant(String id, ZoneId zone, FreeBusyResult busy, Mailbox m) {
        return Participant.builder(id, zone)
                .busy(busy.get(m).map(FreeBusy::busy).orElse(List.of()))
                .build();
    }

    // ---------------------------------------------------------------- 7, 8. booking and sync

    private void bookAndSync(DemoOrganization org) {
        out.heading("7. The app books the interview; it appears in every attendee's calendar");
        Mailbox recruiter = org.m365.get(0);
        List<Mailbox> attendees = List.of(recruiter, org.exchange.get(0), org.google.get(1), org.icloudUser);
        List<String> heard = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void onAppEventChange(AppEventChange change) {
                heard.add(change.calendar().mailbox() + " changed the app's event " + change.key() + ": "
                        + change.fields() + ", now "
                        + WHEN.format(change.event()
                                .start()
                                .toInstant(DemoOrganization.LONDON)
                                .atZone(DemoOrganization.LONDON))
                        + " London");
            }

            @Override
            public void onExternalChange(ExternalChange change) {
                // the host would store busy blocks here; the demo only needs the app's own event
            }
        };
        Map<String, CalendarConnection> orgConnections = new LinkedHashMap<>();
        SyncConnections connections = (integration, mailbox) -> {
            if (integration.provider().equals("caldav")) {
                return org.connect("caldav");
            }
            CalendarConnection parent = orgConnections.computeIfAbsent(integration.provider(), org::connect);
            return parent.impersonator().actAs(mailbox);
        };
        EventKey key = EventKey.of("interview-2027-0042");
        ZonedDateTime at = DemoOrganization.MONDAY.plusDays(3).atTime(14, 0).atZone(DemoOrganization.LONDON);
        Event interview = Event.builder()
                .summary("Interview: backend engineer")
                .start(EventTime.of(at))
                .end(EventTime.of(at.plusHours(1)))
                .organizer(Organizer.of(recruiter))
                .attendees(attendees.stream()
                        .filter(a -> !a.equals(recruiter))
                        .map(Attendee::required)
                        .toList())
                .build();
        Map<String, Object> booking = new LinkedHashMap<>();
        try (SyncEngine engine = SyncEngine.builder()
                .store(new InMemorySyncStateStore())
                .connections(connections)
                .listener(listener)
                .build()) {
            for (String p : List.of("google", "graph", "ews", "caldav")) {
                engine.saveIntegration(Integration.active(p, p));
            }
            for (Mailbox m : attendees) {
                engine.addMailbox(org.providerOf(m), m);
            }
            out.progress("first sync of the four calendars");
            attendees.forEach(engine::syncMailbox);
            for (Mailbox m : attendees) {
                engine.enqueue(OutboxEntry.upsert(CalendarRef.primary(m), key, interview));
            }
            int pushed = 0;
            for (Mailbox m : attendees) {
                pushed += engine.syncMailbox(m).pushed();
            }
            int found = 0;
            for (Mailbox m : attendees) {
                try (CalendarConnection c =
                        connections.connect(Integration.active(org.providerOf(m), org.providerOf(m)), m)) {
                    Optional<Event> e = c.reader().findByKey(CalendarRef.primary(m), key);
                    out.line("  " + pad(m.email(), 34) + pad(label(org.providerOf(m)), 22)
                            + e.map(x -> "\"" + x.summary() + "\" "
                                            + WHEN.format(x.start()
                                                    .toInstant(DemoOrganization.LONDON)
                                                    .atZone(DemoOrganization.LONDON))
                                            + " London")
                                    .orElse("missing"));
                    found += e.isPresent() ? 1 : 0;
                }
            }
            booking.put("pushed", pushed);
            booking.put("calendarsWithTheEvent", found);

            out.heading("8. The recruiter moves it in Outlook; sync pulls the change back to the app");
            CalendarRef cal = CalendarRef.primary(recruiter);
            try (CalendarConnection c = connections.connect(Integration.active("graph", "graph"), recruiter)) {
                Event current = c.reader().findByKey(cal, key).orElseThrow();
                c.writer()
                        .update(
                                cal,
                                current.toBuilder()
                                        .start(EventTime.of(at.plusHours(1)))
                                        .end(EventTime.of(at.plusHours(2)))
                                        .build());
            }
            MailboxSyncResult r = engine.syncMailbox(recruiter);
            out.line("  sync pass of " + recruiter + ": " + r.outcome() + ", pulled " + r.pulled());
            heard.forEach(h -> out.line("  the app heard: " + h));
            booking.put("changesPulledBack", heard.size());
        } finally {
            orgConnections.values().forEach(CalendarConnection::close);
        }
        summary.put("booking", booking);
    }

    // ---------------------------------------------------------------- 9. all-day events

    private void allDay(DemoOrganization org, FreeBusyResult busy) {
        out.heading("9. All-day events block the day");
        Mailbox manager = org.exchange.get(0);
        TimeWindow tuesday = TimeWindow.of(
                DemoOrganization.MONDAY
                        .plusDays(1)
                        .atStartOfDay(DemoOrganization.LONDON)
                        .toInstant(),
                Duration.ofDays(1));
        List<BusyInterval> blocks = busy.get(manager).map(FreeBusy::busy).orElse(List.of()).stream()
                .filter(b -> b.start().isBefore(tuesday.end()) && b.end().isAfter(tuesday.start()))
                .toList();
        out.line("  " + manager + " (Exchange) on Tuesday: "
                + blocks.stream()
                        .map(b -> b.start() + ".." + b.end() + " " + b.status().jsonName())
                        .toList() + "  (\"Training day\")");

        Mailbox recruiter = org.m365.get(0);
        Event offsite = DemoOrganization.allDay(
                        "Offsite (shown as free)", DemoOrganization.MONDAY.plusDays(3), Transparency.TRANSPARENT)
                .toBuilder()
                .id("offsite")
                .build();
        ExternalChange synced = new ExternalChange.Created(CalendarRef.primary(recruiter), offsite);
        Optional<BusyInterval> blocked = synced.busyBlock(DemoOrganization.LONDON);
        Optional<BusyInterval> asMarked = synced.busyBlock(DemoOrganization.LONDON, BusyRules.asCalendarSays());
        out.line("  " + recruiter + "'s all-day \"Offsite\", which Outlook shows as free: blocks "
                + blocked.map(b -> b.start() + ".." + b.end()).orElse("nothing")
                + " by default (BusyRules.defaults()); " + (asMarked.isEmpty() ? "nothing" : "time")
                + " with BusyRules.asCalendarSays()");
        summary.put(
                "allDay",
                Map.of("trainingDayBlocks", !blocks.isEmpty(), "freeOffsiteBlocksByDefault", blocked.isPresent()));
    }

    // ---------------------------------------------------------------- 10. doctor

    private void doctor(DemoOrganization org, FreeBusyResult busy, Map<String, CalendarConnection> connections) {
        Mailbox who = org.outsideGraph;
        out.heading("10. Doctor: why does " + who + " show as never available?");
        FreeBusy fb = busy.get(who).orElseThrow();
        out.line("  free/busy for " + who + ": "
                + (fb.ok()
                        ? "answered"
                        : "refused (" + fb.error().getClass().getSimpleName()
                                + "), so every slot that needs this person is rejected"));
        out.progress("running the doctor's checks for " + who);
        DoctorReport report = Doctor.builder().mailboxes(List.of(who)).build().run(connections.get("graph"));
        Finding cause = report.problems().stream()
                .filter(f -> f.status() == Finding.Status.FAIL)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the doctor found nothing wrong with " + who));
        out.line("  finding [fail] " + cause.check() + ": " + cause.message());
        out.line("  fix: " + cause.fix());
        summary.put(
                "doctor", Map.of("mailbox", who.email(), "check", cause.check(), "status", "fail", "fix", cause.fix()));
    }

    // ---------------------------------------------------------------- helpers

    private static TimeWindow week() {
        return TimeWindow.of(
                DemoOrganization.MONDAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), Duration.ofDays(5));
    }

    private static String slot(Slot s, ZoneId a, ZoneId b) {
        return WHEN.format(s.start().atZone(a)) + " " + city(a) + " = "
                + WHEN.format(s.start().atZone(b)) + " " + city(b);
    }

    private static String city(ZoneId z) {
        String id = z.getId();
        return id.substring(id.indexOf('/') + 1).replace('_', ' ');
    }

    private static String how(String provider) {
        return switch (provider) {
            case "google" -> "service account with domain-wide delegation";
            case "graph" -> "app registration with admin consent, limited by an application access policy";
            case "ews" -> "service account with the ApplicationImpersonation role";
            default -> "app-specific password (stored encrypted by the host)";
        };
    }

    static String label(String provider) {
        return switch (provider) {
            case "google" -> "Google Workspace";
            case "graph" -> "Microsoft 365";
            case "ews" -> "Exchange on-premises";
            default -> "iCloud (CalDAV)";
        };
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    /** Where the story goes: the terminal, or nowhere but the progress on stderr when {@code --json} is given. */
    static final class DemoOutput {
        private final PrintStream out;
        private final boolean quiet;

        DemoOutput(PrintStream out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        void line(String s) {
            if (!quiet) {
                out.println(s);
            }
        }

        void heading(String s) {
            line("");
            line("== " + s);
        }

        void progress(String s) {
            if (quiet) {
                System.err.println("... " + s);
            } else {
                out.println("  ... " + s);
            }
        }
    }
}
