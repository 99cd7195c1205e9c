package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Start-up builds only the subcommand being invoked; everything else sees the whole command tree. */
class CalendarCliTest {
    record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = CalendarCli.run(args);
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
        assertThat((Object) cli.getSubcommands().get("freebusy").getCommand()).isInstanceOf(FreeBusyCommand.class);
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
}
