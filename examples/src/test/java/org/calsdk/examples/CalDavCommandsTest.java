package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.calsdk.testkit.radicale.RadicaleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calendars, freebusy and events commands end to end against a real Radicale. */
class CalDavCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RadicaleServer radicale;

    @TempDir
    Path dir;

    private PrintStream savedOut;
    private PrintStream savedErr;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;
    private Path connection;

    @BeforeAll
    static void startRadicale() {
        radicale = RadicaleServer.builder().user("erin", "erin-pw").startOrSkip();
        radicale.createCalendar("erin", "work", "Work");
    }

    @AfterAll
    static void stopRadicale() {
        if (radicale != null) {
            radicale.close();
        }
    }

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "erin-pw\n");
        connection = dir.resolve("erin.json");
        Files.writeString(
                connection,
                "{\"provider\": \"caldav\", \"url\": \"" + radicale.baseUrl() + "\", "
                        + "\"username\": \"erin\", \"password\": {\"file\": \"pw.txt\"}, \"allowPrivateNetwork\": true, "
                        + "\"mailbox\": \"erin@example.com\"}");
        savedOut = System.out;
        savedErr = System.err;
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return CalendarCli.run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void importListFreeBusyAndDeleteThroughTheCli() throws Exception {
        assertThat(run("calendars", "--connection", connection.toString(), "--json"))
                .isZero();
        JsonNode cals = JSON.readTree(stdout());
        assertThat(cals).hasSize(1);
        assertThat(cals.get(0).get("id").asText()).isEqualTo("/erin/work/");
        assertThat(cals.get(0).get("name").asText()).isEqualTo("Work");
        assertThat(cals.get(0).get("primary").asBoolean()).isTrue();
        assertThat(cals.get(0).get("readOnly").asBoolean()).isFalse();

        Path ics = dir.resolve("import.ics");
        Files.writeString(
                ics,
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                        + "BEGIN:VEVENT\r\nUID:standup@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
                        + "DTSTART;TZID=Europe/Berlin:20250106T090000\r\nDTEND;TZID=Europe/Berlin:20250106T091500\r\n"
                        + "RRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n"
                        + "BEGIN:VEVENT\r\nUID:lunch@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
                        + "DTSTART:20260304T120000Z\r\nDTEND:20260304T130000Z\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\n"
                        + "BEGIN:VEVENT\r\nUID:holiday@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
                        + "DTSTART;VALUE=DATE:20260306\r\nDTEND;VALUE=DATE:20260307\r\nSUMMARY:Holiday\r\n"
                        + "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        String cal = "--calendar=/erin/work/";
        assertThat(run("events", "import", "--connection", connection.toString(), cal, "--ics", ics.toString()))
                .isZero();
        assertThat(stdout()).contains("3 created, 0 updated");
        // the calendar can also be named by its last path segment or its display name
        assertThat(run(
                        "events",
                        "import",
                        "--connection",
                        connection.toString(),
                        "--calendar=work",
                        "--ics",
                        ics.toString()))
                .isZero();
        assertThat(stdout()).contains("0 created, 3 updated");

        assertThat(run(
                        "events",
                        "list",
                        "--connection",
                        connection.toString(),
                        "--calendar=Work",
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--json"))
                .isZero();
        JsonNode occ = JSON.readTree(stdout());
        assertThat(occ).hasSize(3);
        assertThat(occ.get(0).get("uid").asText()).isEqualTo("standup@example.com");
        assertThat(occ.get(0).get("start").asText()).isEqualTo("2026-03-02T09:00:00+01:00");
        assertThat(occ.get(0).get("recurrenceId").asText()).isEqualTo("2026-03-02T09:00:00+01:00");
        assertThat(occ.get(1).get("summary").asText()).isEqualTo("Lunch");
        assertThat(occ.get(1).get("start").asText()).isEqualTo("2026-03-04T12:00:00Z");
        assertThat(occ.get(1).get("recurrenceId").isNull()).isTrue();
        assertThat(occ.get(2).get("start").asText()).isEqualTo("2026-03-06");
        assertThat(occ.get(2).get("allDay").asBoolean()).isTrue();
        assertThat(occ.get(2).get("status").asText()).isEqualTo("CONFIRMED");

        assertThat(run(
                        "freebusy",
                        "--connection",
                        connection.toString(),
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--json"))
                .isZero();
        JsonNode fb = JSON.readTree(stdout()).get("mailboxes").get(0);
        assertThat(fb.get("mailbox").asText()).isEqualTo("erin@example.com");
        assertThat(fb.get("error").isNull()).isTrue();
        assertThat(fb.get("busy")).hasSize(2);
        assertThat(fb.get("busy").get(0).get("start").asText()).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(fb.get("busy").get(0).get("end").asText()).isEqualTo("2026-03-02T08:15:00Z");
        assertThat(fb.get("busy").get(0).get("status").asText()).isEqualTo("busy");

        assertThat(run("events", "delete", "--connection", connection.toString(), cal, "--uid", "lunch@example.com"))
                .isZero();
        assertThat(run(
                        "events",
                        "list",
                        "--connection",
                        connection.toString(),
                        cal,
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--json"))
                .isZero();
        assertThat(JSON.readTree(stdout())).hasSize(2);
    }

    @Test
    void badInputExitsWithTwoAndAMessage() throws Exception {
        assertThat(run("calendars", "--connection", dir.resolve("missing.json").toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such connection file");
        assertThat(run(
                        "freebusy",
                        "--connection",
                        connection.toString(),
                        "--from",
                        "yesterday",
                        "--to",
                        "2026-03-09T00:00:00Z"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--from");
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, Files.readString(connection).replace("pw.txt", "nope.txt"));
        assertThat(run("calendars", "--connection", wrong.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("erin-pw");
    }
}
