package org.calsdk.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Upsert;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calendar events list|import|delete}: read and write the events of one calendar. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Lists, imports or deletes events of one calendar of the account in a connection file.",
        subcommands = {EventsCommand.ListEvents.class, EventsCommand.ImportEvents.class, EventsCommand.DeleteEvent.class
        })
final class EventsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return Errors.INVALID_INPUT;
    }

    /** Options every events subcommand takes. */
    static final class Target {
        @Mixin
        ConnectionOption connection;

        @Option(
                names = "--calendar",
                paramLabel = "ID",
                defaultValue = CalendarRef.PRIMARY,
                description = "calendar id from 'calendar calendars', or its display name or last path "
                        + "segment (default: primary)")
        String calendar;

        CalendarRef ref(CalendarConnection c) {
            Mailbox me = c.self()
                    .orElseThrow(() -> new InvalidInputException("connection", "events needs a per-user connection"));
            return resolve(c, me, calendar);
        }

        /**
         * An id as the provider lists it is used as is; otherwise the one calendar whose display name or
         * last path segment equals {@code given} (so {@code --calendar work} finds {@code /alice/work/}).
         */
        static CalendarRef resolve(CalendarConnection c, Mailbox me, String given) {
            if (CalendarRef.PRIMARY.equals(given)
                    || given.startsWith("/")
                    || given.contains("://")
                    || !c.supports(org.calsdk.api.Capability.READ_EVENTS)) {
                return CalendarRef.of(me, given);
            }
            java.util.List<org.calsdk.model.CalendarInfo> matches = c.reader().calendars(me).stream()
                    .filter(ci -> ci.ref().id().equals(given)
                            || ci.displayName().equals(given)
                            || lastSegment(ci.ref().id()).equals(given))
                    .toList();
            if (matches.size() == 1) {
                return matches.get(0).ref();
            }
            if (matches.isEmpty()) {
                return CalendarRef.of(me, given);
            }
            throw new InvalidInputException(
                    "calendar",
                    "--calendar '" + given + "' matches " + matches.size() + " calendars "
                            + matches.stream().map(ci -> ci.ref().id()).toList() + "; pass the exact id");
        }

        private static String lastSegment(String id) {
            String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
            return trimmed.substring(trimmed.lastIndexOf('/') + 1);
        }
    }

    /** {@code events list --from --to [--json]}: the occurrences in a window, as {@code calendar expand} prints them. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Prints the occurrences in [from, to), expanded locally, sorted by start.")
    static final class ListEvents implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--from", required = true, paramLabel = "INSTANT")
        Instant from;

        @Option(names = "--to", required = true, paramLabel = "INSTANT")
        Instant to;

        @Option(names = "--json", description = "print JSON (the format of 'calendar expand')")
        boolean json;

        @Option(
                names = "--zone",
                paramLabel = "ZONE",
                defaultValue = "UTC",
                description = "zone for floating and all-day times (default UTC)")
        String zone;

        @Override
        public Integer call() throws Exception {
            TimeWindow window = TimeWindow.of(from, to);
            java.time.ZoneId z = org.calsdk.tz.TimeZones.resolve(zone); // as 'calendar expand' reads --zone
            try (CalendarConnection c = target.connection.openAccount()) {
                List<Event> events = new ArrayList<>();
                List<org.calsdk.api.SkippedEvent> skipped = new ArrayList<>();
                org.calsdk.api.EventQuery q = org.calsdk.api.EventQuery.of(target.ref(c), window);
                while (true) {
                    org.calsdk.api.EventPage page = c.reader().list(q);
                    events.addAll(page.events());
                    skipped.addAll(page.skipped());
                    if (page.nextPageToken() == null) {
                        break;
                    }
                    q = q.withPageToken(page.nextPageToken());
                }
                // an event that cannot be read (malformed, or over a bound) is left out and reported on
                // stderr, one line each; the others are listed
                for (org.calsdk.api.SkippedEvent x : skipped) {
                    System.err.println("warning: " + x.describe());
                }
                // the same rows, order and JSON as 'calendar expand', streamed
                ExpandCommand.print(Recurrences.expandAll(events, window, z), json);
                return 0;
            }
        }
    }

    /** {@code events import --ics FILE}: upserts every event of the file by UID. */
    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Creates or updates (by UID) every event of an iCalendar file.")
    static final class ImportEvents implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--ics", required = true, paramLabel = "FILE", description = "the .ics file")
        Path ics;

        @Override
        public Integer call() throws Exception {
            List<Event> events;
            try (InputStream in = Files.newInputStream(ics)) {
                events = ICalendar.parse(in);
            } catch (NoSuchFileException e) {
                throw new InvalidInputException("ics", "no such file: " + ics);
            }
            int created = 0;
            int updated = 0;
            try (CalendarConnection c = target.connection.openAccount()) {
                CalendarRef cal = target.ref(c);
                for (Event e : events) {
                    if (e.uid().isEmpty()) {
                        throw new InvalidInputException(
                                "ics", "an event in " + ics + " has no UID; import upserts by UID");
                    }
                    if (Upsert.byUid(c, cal, e).created()) {
                        created++;
                    } else {
                        updated++;
                    }
                }
            }
            System.out.println(
                    "imported " + events.size() + " event(s): " + created + " created, " + updated + " updated");
            return 0;
        }
    }

    /** {@code events delete --id ID | --uid UID}: deletes one event (a whole series). */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes one event (a whole series).")
    static final class DeleteEvent implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--id", paramLabel = "EVENT_ID", description = "the provider's event id")
        String id;

        @Option(names = "--uid", paramLabel = "UID", description = "the event's UID (as imported)")
        String uid;

        @Option(names = "--if-version", paramLabel = "VERSION", description = "delete only if still at this version")
        String version;

        @Override
        public Integer call() throws IOException {
            if ((id == null) == (uid == null)) {
                throw new InvalidInputException("id", "give exactly one of --id and --uid");
            }
            try (CalendarConnection c = target.connection.openAccount()) {
                CalendarRef cal = target.ref(c);
                String eventId = id;
                if (eventId == null) {
                    Optional<Event> e = c.reader().findByKey(cal, EventKey.fromUid(uid));
                    if (e.isEmpty()) {
                        System.out.println("no event with UID " + uid + " (nothing to delete)");
                        return 0;
                    }
                    eventId = e.get().id().orElseThrow();
                }
                c.writer().delete(cal, eventId, version);
                System.out.println("deleted " + eventId);
                return 0;
            }
        }
    }
}
