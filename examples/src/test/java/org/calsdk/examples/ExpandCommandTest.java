package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpandCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private Result run(String... args) {
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

    private Path file(String... lines) throws Exception {
        Path p = dir.resolve("cal.ics");
        Files.writeString(
                p,
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + String.join("\r\n", lines)
                        + "\r\nEND:VCALENDAR\r\n");
        return p;
    }

    @Test
    void printsTheOccurrencesAsJson() throws Exception {
        Path ics = file(
                "BEGIN:VEVENT",
                "UID:daily",
                "DTSTART;TZID=America/New_York:19970902T090000",
                "DTEND;TZID=America/New_York:19970902T100000",
                "RRULE:FREQ=DAILY;COUNT=5",
                "SUMMARY:Standup",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:daily",
                "RECURRENCE-ID;TZID=America/New_York:19970903T090000",
                "DTSTART;TZID=America/New_York:19970903T110000",
                "DTEND;TZID=America/New_York:19970903T113000",
                "SUMMARY:Standup (late)",
                "STATUS:TENTATIVE",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:daily",
                "RECURRENCE-ID;TZID=America/New_York:19970904T090000",
                "DTSTART;TZID=America/New_York:19970904T090000",
                "DTEND;TZID=America/New_York:19970904T100000",
                "STATUS:CANCELLED",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:holiday",
                "DTSTART;VALUE=DATE:19970903",
                "DTEND;VALUE=DATE:19970904",
                "SUMMARY:Holiday",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:utc",
                "DTSTART:19970903T140000Z",
                "DURATION:PT15M",
                "SUMMARY:Call",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:float",
                "DTSTART:19970905T070000",
                "DTEND:19970905T073000",
                "SUMMARY:Run",
                "END:VEVENT");
        Result r = run(
                "expand",
                "--ics",
                ics.toString(),
                "--from",
                "1997-09-02T00:00:00Z",
                "--to",
                "1997-09-06T00:00:00Z",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertThat(a.isArray()).isTrue();
        // 4 Sep is cancelled; 6 Sep 09:00 EDT (13:00Z) is after the window
        assertThat(a).hasSize(6);
        String[][] expected = {
            // uid, recurrenceId, summary, start, end, allDay, status
            {
                "daily",
                "1997-09-02T09:00:00-04:00",
                "Standup",
                "1997-09-02T09:00:00-04:00",
                "1997-09-02T10:00:00-04:00",
                "false",
                "CONFIRMED"
            },
            {"holiday", null, "Holiday", "1997-09-03", "1997-09-04", "true", "CONFIRMED"},
            {"utc", null, "Call", "1997-09-03T14:00:00Z", "1997-09-03T14:15:00Z", "false", "CONFIRMED"},
            {
                "daily",
                "1997-09-03T09:00:00-04:00",
                "Standup (late)",
                "1997-09-03T11:00:00-04:00",
                "1997-09-03T11:30:00-04:00",
                "false",
                "TENTATIVE"
            },
            {"float", null, "Run", "1997-09-05T07:00:00", "1997-09-05T07:30:00", "false", "CONFIRMED"},
            {
                "daily",
                "1997-09-05T09:00:00-04:00",
                "Standup",
                "1997-09-05T09:00:00-04:00",
                "1997-09-05T10:00:00-04:00",
                "false",
                "CONFIRMED"
            },
        };
        for (int i = 0; i < a.size(); i++) {
            JsonNode o = a.get(i);
            String[] e = expected[i];
            assertThat(o.fieldNames())
                    .toIterable()
                    .containsExactly("uid", "recurrenceId", "summary", "start", "end", "allDay", "status");
            assertThat(o.get("uid").asText()).isEqualTo(e[0]);
            assertThat(
                            o.get("recurrenceId").isNull()
                                    ? null
                                    : o.get("recurrenceId").asText())
                    .isEqualTo(e[1]);
            assertThat(o.get("summary").asText()).isEqualTo(e[2]);
            assertThat(o.get("start").asText()).isEqualTo(e[3]);
            assertThat(o.get("end").asText()).isEqualTo(e[4]);
            assertThat(o.get("allDay").asBoolean()).isEqualTo(Boolean.parseBoolean(e[5]));
            assertThat(o.get("status").asText()).isEqualTo(e[6]);
        }
    }

    @Test
    void malformedFileIsAnErrorOnStderr() throws Exception {
        Path ics = file("BEGIN:VEVENT", "UID:x", "DTSTART:not-a-date", "END:VEVENT");
        Result r = run(
                "expand",
                "--ics",
                ics.toString(),
                "--from",
                "2026-01-01T00:00:00Z",
                "--to",
                "2026-02-01T00:00:00Z",
                "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("error:").contains("DTSTART");
    }

    @Test
    void badWindowAndMissingFileAreErrors() throws Exception {
        Path ics = file("BEGIN:VEVENT", "UID:x", "DTSTART:20260101T100000Z", "END:VEVENT");
        Result bad =
                run("expand", "--ics", ics.toString(), "--from", "yesterday", "--to", "2026-02-01T00:00:00Z", "--json");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--from");
        Result reversed = run(
                "expand", "--ics", ics.toString(), "--from", "2026-02-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z");
        assertThat(reversed.exit()).isEqualTo(2);
        Result missing = run(
                "expand",
                "--ics",
                dir.resolve("nope.ics").toString(),
                "--from",
                "2026-01-01T00:00:00Z",
                "--to",
                "2026-02-01T00:00:00Z",
                "--json");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }

    private Result expand(Path ics, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "expand",
                "--ics",
                ics.toString(),
                "--from",
                "2026-01-01T00:00:00Z",
                "--to",
                "2027-01-01T00:00:00Z",
                "--json"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void oneBadEventIsNamedOnStderrAndTheOthersArePrinted() throws Exception {
        Path ics = file(
                "BEGIN:VEVENT",
                "UID:good",
                "DTSTART:20260210T100000Z",
                "DURATION:PT1H",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:bad",
                "DTSTART:20260231T100000Z",
                "END:VEVENT");
        Result r = expand(ics);
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertThat(a).hasSize(1);
        assertThat(a.get(0).get("uid").asText()).isEqualTo("good");
        assertThat(r.err().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("warning: line 11: VEVENT UID 'bad': DTSTART value '20260231T100000Z'")
                        .contains("no such date"));
        // --strict: all or nothing, one line
        Result strict = expand(ics, "--strict");
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.out()).isEmpty();
        assertThat(strict.err().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("error: line 11: VEVENT UID 'bad'"));
    }

    @Test
    void aFileWhereNothingCanBeReadIsOneErrorLine() throws Exception {
        Path ics = file(
                "BEGIN:VEVENT",
                "UID:a",
                "DTSTART:20260231T100000Z",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:b",
                "SUMMARY:no start",
                "END:VEVENT");
        Result r = expand(ics);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("error: line 6: VEVENT UID 'a'")
                        .endsWith("(and 1 more problem)"));
    }

    @Test
    void brokenVtimezoneIsOneTypedLineWithoutLibraryLogging() throws Exception {
        Path ics = file(
                "BEGIN:VTIMEZONE",
                "TZID:Nowhere",
                "BEGIN:STANDARD",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0100",
                "END:STANDARD",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
                "UID:z",
                "DTSTART;TZID=Nowhere:20260101T100000",
                "END:VEVENT");
        Result r = expand(ics);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("VEVENT UID 'z'", "VTIMEZONE for TZID 'Nowhere'", "no DTSTART")
                        .doesNotContain("Exception", "WARN"));
    }

    @Test
    void lfFoldedFileGivesTheSameOccurrencesAsItsCrlfForm() throws Exception {
        String crlf =
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:long-uid-that-\r\n is-folded\r\n"
                        + "DTSTART;TZID=Europe/Berlin:20260105T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY;BYMONTH=1,3,5,7,9,\r\n 11,12;COUNT=5\r\n"
                        + "END:VEVENT\r\nEND:VCALENDAR\r\n";
        Path a = dir.resolve("crlf.ics");
        Path b = dir.resolve("lf.ics");
        Files.writeString(a, crlf);
        Files.writeString(b, crlf.replace("\r\n", "\n"));
        Result ra = expand(a);
        Result rb = expand(b);
        assertThat(ra.exit()).isZero();
        assertThat(rb.out()).isEqualTo(ra.out());
        JsonNode json = new ObjectMapper().readTree(rb.out());
        assertThat(json).hasSize(5);
        assertThat(json.get(0).get("uid").asText()).isEqualTo("long-uid-that-is-folded");
        assertThat(json.get(4).get("start").asText()).startsWith("2026-09-05");
    }
}
