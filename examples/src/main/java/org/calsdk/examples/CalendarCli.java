package org.calsdk.examples;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code calendar} command-line tool ({@code ./calendar} in the repository): demonstrates the SDK end to
 * end, on embedded fakes by default, and works against real accounts through a connection file.
 *
 * <p>The commands ({@code calendar NAME --help} lists every option of one):
 *
 * <dl>
 *   <dt>{@code demo [--json]}
 *   <dd>The story of an organization spread over Google, Microsoft 365, Exchange and iCloud, run on the
 *       testkit fakes in this process: no account, no network.
 *   <dt>{@code calendars --connection FILE [--json]}
 *   <dd>Lists the calendars of the account in a connection file.
 *   <dt>{@code freebusy --connection FILE --from INSTANT --to INSTANT [--mailbox EMAIL]... [--json]}
 *   <dd>Merged busy intervals per mailbox over {@code [from, to)}, in UTC; a mailbox's own error is part of
 *       the answer, not a failure of the command.
 *   <dt>{@code events list|import|delete --connection FILE [--calendar ID] ...}
 *   <dd>Lists the occurrences of one calendar over a window, imports an iCalendar file (created or updated
 *       by UID), or deletes one event by {@code --uid} or {@code --id}.
 *   <dt>{@code sync [--once] --connection FILE [--store JDBC_URL]}, {@code sync status}
 *   <dd>Two-way sync of the connection's mailbox with a state store (H2 in {@code ~/.calsdk} by default),
 *       and the store's mailboxes with their last sync and last error.
 *   <dt>{@code availability --request FILE [--explain] [--json]}
 *   <dd>The slots when everyone required can meet, for a JSON request (see {@code docs/availability.md}).
 *   <dt>{@code expand --ics FILE --from INSTANT --to INSTANT [--zone TZID] [--strict] [--json]}
 *   <dd>The occurrences of an iCalendar file's events that overlap {@code [from, to)}.
 *   <dt>{@code access} and {@code doctor --connection FILE [--mailbox EMAIL]...}
 *   <dd>Which mailboxes a connection can reach and why not the others; a fuller check of a connection as an
 *       administrator would run it, with how to fix what is wrong.
 *   <dt>{@code fake --provider caldav|google|graph|ews}, {@code bench [--quick]}
 *   <dd>A provider's fake server on 127.0.0.1 until killed; the benchmarks against the fakes.
 * </dl>
 *
 * <p>Instants are ISO-8601 in UTC, such as {@code 2026-03-02T00:00:00Z}. A connection file is JSON naming
 * the provider and its settings, each secret given as {@code {"env": "NAME"}}, {@code {"file": "path"}} or
 * {@code {"value": "..."}} (see {@link org.calsdk.api.ConnectionFile}). Exit codes: 0 on success, 2 for
 * invalid input or a command-line mistake, 1 for any other failure; an error is one line on stderr, and
 * {@code CALENDAR_DEBUG=1} adds a stack trace to any error that is not the SDK's own.
 *
 * <p>Each subcommand lives in its own class. Picocli builds a command's model by reflection, which costs
 * start-up time for every command class, so the subcommands are not listed in the {@code @Command}
 * annotation: only the one the first argument names is built, and every one for any other command line, so
 * that usage help, {@code calendar help NAME}, errors for a mistyped name and exit codes are those of the
 * full command tree. To add a subcommand, add its name to {@code SUBCOMMANDS} and its constructor to
 * {@code newSubcommand}.
 */
@Command(
        name = "calendar",
        mixinStandardHelpOptions = true,
        versionProvider = CalendarCli.Version.class,
        description = "Demonstrates the Calendar SDK: recurrence, availability, providers, sync.")
public final class CalendarCli implements Callable<Integer> {
    /** The subcommands in the order usage help lists them; each is its class's {@code @Command} name. */
    static final List<String> SUBCOMMANDS = List.of(
            "demo",
            "calendars",
            "freebusy",
            "events",
            "sync",
            "availability",
            "expand",
            "fake",
            "bench",
            "access",
            "doctor",
            "help");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the top-level command; the CLI's entry points are {@link #main} and {@link #run}. */
    public CalendarCli() {}

    /**
     * Runs the CLI and exits the JVM with its exit code.
     *
     * @param args the command line, for example {@code freebusy --connection google.json --from
     *     2026-03-02T00:00:00Z --to 2026-03-03T00:00:00Z}
     */
    public static void main(String[] args) {
        Preinit.start(args);
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code instead of exiting (tests call this instead of {@link #main}).
     * Output goes to {@code System.out}, error messages to {@code System.err}.
     *
     * @param args the command line, without the program name
     * @return 0 on success, 2 for invalid input or a command-line mistake, 1 for any other failure
     */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command tree that {@code args} needs: the top-level command with only the subcommand named by
     * {@code args[0]} when there is one (the common case, such as {@code calendar freebusy ...}), otherwise
     * with every subcommand. Only the first argument is looked at: the top level's own options
     * ({@code --help}, {@code --version}) take no value, so picocli dispatches to a subcommand without
     * top-level options only when the subcommand's name comes first, and any other command line gets the
     * whole tree, exactly as before. {@code help} needs its siblings to describe them, so it gets them all.
     */
    static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? null : args[0];
        boolean one = first != null && !first.equals("help") && SUBCOMMANDS.contains(first);
        return tree(one ? List.of(first) : SUBCOMMANDS);
    }

    /** The top-level command with the subcommands {@code names}, converters and error handlers in place. */
    static CommandLine tree(List<String> names) {
        CommandLine cli = new CommandLine(new CalendarCli());
        for (String name : names) {
            cli.addSubcommand(name, newSubcommand(name));
        }
        // after the subcommands are added: a converter is registered with the subcommands present now
        cli.registerConverter(java.time.Instant.class, new InstantConverter());
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    /**
     * A new instance of the subcommand {@code name} (one of {@link #SUBCOMMANDS}). A switch rather than a map
     * of constructor references: it loads only the class it creates and spins no lambda classes at start-up.
     */
    static Object newSubcommand(String name) {
        switch (name) {
            case "demo":
                return new DemoCommand();
            case "calendars":
                return new CalendarsCommand();
            case "freebusy":
                return new FreeBusyCommand();
            case "events":
                return new EventsCommand();
            case "sync":
                return new SyncCommand();
            case "availability":
                return new AvailabilityCommand();
            case "expand":
                return new ExpandCommand();
            case "fake":
                return new FakeCommand();
            case "bench":
                return new BenchCommand();
            case "access":
                return new AccessCommand();
            case "doctor":
                return new DoctorCommand();
            case "help":
                return new CommandLine.HelpCommand();
            default:
                throw new IllegalArgumentException("no subcommand " + name);
        }
    }

    /**
     * Without a subcommand, prints the usage help (the list of subcommands) and succeeds.
     *
     * @return 0
     */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Prints the SDK version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CalendarCli.class.getPackage().getImplementationVersion();
            return new String[] {"calendar " + (v == null ? "development build" : v)};
        }
    }
}
