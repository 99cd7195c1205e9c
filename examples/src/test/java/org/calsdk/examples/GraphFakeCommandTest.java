package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.graph.GraphProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calendar fake --provider graph} in a child JVM (as a user runs it), used by this project's Graph
 * provider: the open fake takes any token for any {@code @example.com} mailbox, a seed file gives users
 * and events.
 */
class GraphFakeCommandTest {
    private static final List<Process> children = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterAll
    static void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int startFake(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CalendarCli.class.getName(),
                "fake"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("first stdout line").isNotNull().startsWith("PORT=");
        return Integer.parseInt(first.substring(5));
    }

    private static CalendarConnection connect(int port, String mailbox) {
        return new GraphProvider()
                .connect(ConnectionConfig.builder("graph")
                        .setting("baseUrl", "http://127.0.0.1:" + port + "/v1.0")
                        .setting("accessToken", "any-token")
                        .setting("mailbox", mailbox)
                        .build());
    }

    @Test
    void theOpenFakeServesAnyExampleMailboxToTheGraphProvider() throws Exception {
        int port = startFake("--provider", "graph");
        try (CalendarConnection c = connect(port, "erin@example.com")) {
            CalendarRef cal = CalendarRef.primary(Mailbox.of("erin@example.com"));
            Instant start = Instant.parse("2031-04-07T09:00:00Z");
            c.writer()
                    .create(
                            cal,
                            EventKey.of("standup"),
                            Event.builder()
                                    .summary("standup")
                                    .time(EventTime.utc(start), EventTime.utc(start.plus(Duration.ofMinutes(15))))
                                    .build());
            assertThat(c.reader().listAll(cal, TimeWindow.of(start.minus(Duration.ofDays(1)), Duration.ofDays(2))))
                    .extracting(Event::summary)
                    .containsExactly("standup");
        }
    }

    @Test
    void aSeedFileGivesUsersAndTheirEvents() throws Exception {
        Files.writeString(
                dir.resolve("dana.ics"),
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
                        + "UID:seeded-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260303T100000Z\r\nDTEND:20260303T110000Z\r\n"
                        + "SUMMARY:Seeded\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        Path seed = dir.resolve("seed.json");
        Files.writeString(
                seed,
                "{\"domain\": \"example.com\", \"users\": [{\"email\": \"dana@example.com\", "
                        + "\"calendars\": [{\"id\": \"primary\", \"ics\": \"dana.ics\"}]}]}");
        int port = startFake("--provider", "graph", "--seed", seed.toString());
        try (CalendarConnection c = connect(port, "dana@example.com")) {
            assertThat(c.reader()
                            .listAll(
                                    CalendarRef.primary(Mailbox.of("dana@example.com")),
                                    TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7))))
                    .extracting(Event::summary, Event::start)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            "Seeded", EventTime.utc(Instant.parse("2026-03-03T10:00:00Z"))));
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> c.reader().calendars(Mailbox.of("nobody@example.com")))
                    .as("not seeded, and a seeded fake is not open")
                    .isInstanceOf(org.calsdk.errors.NotFoundException.class);
        }
    }
}
