package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.calsdk.examples.CalendarCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise: bad input from the user's side gets a clear message. Every malformed invocation of the
 * {@code calendar} CLI, picocli's own parameter errors included, exits non-zero with exactly one line on
 * stderr starting {@code error:}, and no stack trace ({@code CALENDAR_DEBUG=1} asks for one).
 */
class CliMalformedInputTest {
    private static Path dir;
    private static final List<String> TRIED = new ArrayList<>();

    @BeforeAll
    static void files() throws Exception {
        // SLF4J prints one info line to stderr when it first starts with -Dslf4j.provider (this module's
        // capture); start it here, not inside the first CLI run whose code logs (ConnectionFile does)
        org.slf4j.LoggerFactory.getLogger(CliMalformedInputTest.class);
        dir = Files.createTempDirectory("cli-malformed");
        Files.writeString(dir.resolve("bad.json"), "{\"window\": {\"start\": \"2026-03-02T00:00:00Z\",");
        Files.writeString(dir.resolve("wrong-type.json"), "{\"window\": 3, \"duration\": \"PT30M\"}");
        Files.writeString(dir.resolve("not.ics"), "this is not\niCalendar\n");
        Files.writeString(dir.resolve("conn-bad.json"), "{\"provider\": \"caldav\", \"password\": [1, 2]}");
        Files.writeString(dir.resolve("conn-unknown.json"), "{\"provider\": \"nope\"}");
        Files.write(dir.resolve("binary.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '{'});
    }

    @AfterAll
    static void clean() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
        Figures.record(
                "cli",
                TRIED.size() + " malformed invocations, each: non-zero exit, one line on stderr, no stack trace");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of((Object) new String[] {"fake", "--provider", "nope"}),
                Arguments.of((Object) new String[] {"fake"}),
                Arguments.of((Object) new String[] {"--no-such-option"}),
                Arguments.of((Object) new String[] {"no-such-command"}),
                Arguments.of((Object) new String[] {"expand", "--ics"}),
                Arguments.of(
                        (Object) new String[] {"expand", "--ics", "@dir/not.ics", "--from", "yesterday", "--to", "x"}),
                Arguments.of((Object) new String[] {
                    "expand",
                    "--ics",
                    "@dir/not.ics",
                    "--from",
                    "2026-01-01T00:00:00Z",
                    "--to",
                    "2026-02-01T00:00:00Z",
                    "--strict"
                }),
                Arguments.of((Object) new String[] {
                    "expand",
                    "--ics",
                    "@dir/missing.ics",
                    "--from",
                    "2026-01-01T00:00:00Z",
                    "--to",
                    "2026-02-01T00:00:00Z"
                }),
                Arguments.of((Object) new String[] {"availability", "--request", "@dir/bad.json"}),
                Arguments.of((Object) new String[] {"availability", "--request", "@dir/wrong-type.json"}),
                Arguments.of((Object) new String[] {"availability", "--request", "@dir/binary.json"}),
                Arguments.of((Object) new String[] {"calendars", "--connection", "@dir/conn-bad.json"}),
                Arguments.of((Object) new String[] {"calendars", "--connection", "@dir/conn-unknown.json"}),
                Arguments.of((Object)
                        new String[] {"freebusy", "--connection", "@dir/missing.json", "--from", "x", "--to", "y"}),
                Arguments.of((Object) new String[] {
                    "events",
                    "list",
                    "--connection",
                    "@dir/bad.json",
                    "--from",
                    "2026-01-01T00:00:00Z",
                    "--to",
                    "2026-02-01T00:00:00Z"
                }));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void oneReadableLineAndANonZeroExit(String[] args) {
        String[] resolved = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            resolved[i] = args[i].startsWith("@dir/")
                    ? dir.resolve(args[i].substring(5)).toString()
                    : args[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = CalendarCli.run(resolved);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        TRIED.add(String.join(" ", args));
        assertThat(code).as("exit code of %s", String.join(" ", args)).isNotZero();
        assertThat(e.lines().toList())
                .as("stderr of %s", String.join(" ", args))
                .hasSize(1);
        assertThat(e).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("no usage page on stdout")
                .doesNotContain("Usage:");
    }
}
