package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up builds only the subcommand being invoked; everything else sees the whole command tree. */
class CalendarCliTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        return capture(() -> CalendarCli.run(args));
    }

    /** What the CLI did before start-up became lazy: every subcommand built, whatever the arguments. */
    private static Result runOnTheFullTree(String... args) {
        return capture(() -> CalendarCli.tree(CalendarCli.SUBCOMMANDS).execute(args));
    }

    private static Result capture(IntSupplier cli) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = cli.getAsInt();
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        CommandLine cli = CalendarCli.commandLine(
                "freebusy", "--connection", "c.json", "--from", "2026-03-02T00:00:00Z", "--to", "2026-03-03T00:00:00Z");
        assertThat(cli.getSubcommands()).containsOnlyKeys("freebusy");
        assertThat(cli.getSubcommands().get("freebusy").<Object>getCommand()).isInstanceOf(FreeBusyCommand.class);
        // a command's own subcommands come with it
        assertThat(CalendarCli.commandLine("events", "list").getSubcommands()).containsOnlyKeys("events");
        assertThat(CalendarCli.commandLine("events")
                        .getSubcommands()
                        .get("events")
                        .getSubcommands())
                .containsOnlyKeys("list", "import", "delete");
    }

    @Test
    void anythingElseGetsEverySubcommandInUsageOrder() {
        String[] all = CalendarCli.SUBCOMMANDS.toArray(String[]::new);
        for (String[] args : new String[][] {
            {}, {"--help"}, {"-h", "freebusy"}, {"--version"}, {"help", "freebusy"}, {"freebus"}, {"--", "freebusy"}
        }) {
            assertThat(CalendarCli.commandLine(args).getSubcommands().keySet())
                    .as(String.join(" ", args))
                    .containsExactly(all);
        }
    }

    @Test
    void eachNameBuildsTheCommandOfThatName() {
        for (String name : CalendarCli.SUBCOMMANDS) {
            assertThat(new CommandLine(CalendarCli.newSubcommand(name)).getCommandName())
                    .isEqualTo(name);
        }
        assertThatThrownBy(() -> CalendarCli.newSubcommand("nosuch")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topLevelHelpListsEverySubcommand() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        for (String name : CalendarCli.SUBCOMMANDS) {
            assertThat(commands).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(run("help", "freebusy").out()).startsWith("Usage: calendar freebusy ");
    }

    @Test
    void theLoneSubcommandStillHasTheConverterTheHandlersAndItsQualifiedName() {
        Result badInstant =
                run("freebusy", "--connection", "c.json", "--from", "monday", "--to", "2026-03-03T00:00:00Z");
        assertThat(badInstant.exit()).isEqualTo(2);
        assertThat(badInstant.err())
                .contains("'monday' is not an ISO-8601 instant")
                .endsWith("(see 'calendar freebusy --help')" + System.lineSeparator());
        Result unknown = run("freebus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("'freebus'").contains("(see 'calendar --help')");
    }

    /** Only a command line starting with a subcommand's name gets a different tree; any other gets the full one. */
    @Test
    void aCommandLineNamingASubcommandBehavesAsOnTheFullTree() {
        String missing = dir.resolve("missing.json").toString();
        String from = "2026-03-02T00:00:00Z";
        String to = "2026-03-03T00:00:00Z";
        String[][] commandLines = {
            {"freebusy"},
            {"freebusy", "--help"},
            {"freebusy", "--version"},
            {"freebusy", "help"},
            {"freebusy", "--nosuch"},
            {"freebusy", "--connection", missing, "--from", "monday", "--to", to},
            {"freebusy", "--connection", missing, "--from", from, "--to", to, "demo"},
            {"freebusy", "--connection", missing, "--from", from, "--to", to, "--conection", "x"},
            {"events"},
            {"events", "lst"},
            {"events", "list", "--help"},
            {"calendars", "freebusy"},
            {"availability"},
            {"expand", "--ics", dir.resolve("missing.ics").toString(), "--from", from, "--to", to},
            {"fake"},
            {"access", "--help"},
            {"sync", "--help"},
            {"demo", "--nosuch"},
            {"bench", "--help"}
        };
        for (String[] args : commandLines) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(runOnTheFullTree(args));
        }
    }
}
