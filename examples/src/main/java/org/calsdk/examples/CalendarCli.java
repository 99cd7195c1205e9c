package org.calsdk.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code calendar} command-line tool: demonstrates the SDK end to end, on embedded fakes by default.
 * Each subcommand lives in its own class; register new ones in {@code subcommands} below.
 */
@Command(
        name = "calendar",
        mixinStandardHelpOptions = true,
        versionProvider = CalendarCli.Version.class,
        description = "Demonstrates the Calendar SDK: recurrence, availability, providers, sync.",
        subcommands = {
            DemoCommand.class,
            CalendarsCommand.class,
            FreeBusyCommand.class,
            EventsCommand.class,
            SyncCommand.class,
            AvailabilityCommand.class,
            ExpandCommand.class,
            FakeCommand.class,
            BenchCommand.class,
            AccessCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CalendarCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Preinit.start(args);
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new CalendarCli());
        cli.registerConverter(java.time.Instant.class, new InstantConverter());
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli.execute(args);
    }

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
