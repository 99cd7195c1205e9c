package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 §1 acceptance: the memory attacks, each run through the CLI in a child JVM with
 * {@code -Xmx256m}, end in a typed error (exit 2, one line on stderr naming the bound) or a bounded,
 * streamed result, never in an {@code OutOfMemoryError}. Each ran out of memory (or took a minute) with
 * a 6 GB heap before its fix.
 */
class HeapBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, Path out, List<String> err) {
        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }
    }

    private Run cli(String... args) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + dir.resolve("oom.hprof"),
                "-cp",
                System.getProperty("java.class.path"),
                CalendarCli.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 120 s: " + String.join(" ", args));
        }
        List<String> errLines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("SLF4J"))
                .toList();
        assertThat(Files.exists(dir.resolve("oom.hprof")))
                .as("no OutOfMemoryError")
                .isFalse();
        assertThat(String.join("\n", errLines)).doesNotContain("OutOfMemoryError");
        return new Run(p.exitValue(), out, errLines);
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static void typedError(Run r, String bound) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("error: ").contains(bound));
    }

    static final String EVIL_TZ = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            + "BEGIN:VTIMEZONE\r\nTZID:Evil Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
            + "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            + "BEGIN:VEVENT\r\nUID:evil-tz@example.com\r\n"
            + "DTSTART;TZID=Evil Standard Time:20260301T090000\r\nDTEND;TZID=Evil Standard Time:20260301T100000\r\n"
            + "SUMMARY:xxxxxxxxxx\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    static String event(String uid, String rrule) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTART:20260101T000000Z\r\nDTEND:20260101T000001Z\r\nRRULE:" + rrule + "\r\nSUMMARY:" + uid
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    static String range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(Integer.toString(i));
        }
        return String.join(",", out);
    }

    @Test
    void the393ByteVTimeZoneAndTenThousandObservancesAreTypedErrors() throws Exception {
        assertThat(EVIL_TZ).hasSize(393);
        Path evil = write("evil.ics", EVIL_TZ);
        typedError(
                cli(
                        "expand",
                        "--ics",
                        evil.toString(),
                        "--from",
                        "2026-03-01T00:00:00Z",
                        "--to",
                        "2026-04-01T00:00:00Z"),
                "ical.maxVTimeZoneTransitions");

        StringBuilder many =
                new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Many\r\n");
        for (int i = 0; i < 10_000; i++) {
            many.append("BEGIN:STANDARD\r\nDTSTART:")
                    .append(1601 + i % 8000)
                    .append("0101T000000\r\n" + "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n");
        }
        many.append(
                "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:many\r\nDTSTART;TZID=Many:20260301T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        typedError(
                cli(
                        "expand",
                        "--ics",
                        write("many.ics", many.toString()).toString(),
                        "--from",
                        "2026-03-01T00:00:00Z",
                        "--to",
                        "2026-04-01T00:00:00Z"),
                "ical.maxVTimeZoneObservances");
    }

    @Test
    void expandingSubDailyRulesIsBoundedAndStreamed() throws Exception {
        Path secondly = write("secondly.ics", event("secondly", "FREQ=SECONDLY"));
        Run tenYears = cli(
                "expand",
                "--ics",
                secondly.toString(),
                "--from",
                "2026-01-01T00:00:00Z",
                "--to",
                "2036-01-01T00:00:00Z",
                "--json");
        typedError(tenYears, "ical.maxSubDailyInstances");
        assertThat(Files.size(tenYears.out()))
                .as("occurrences were streamed out before the bound")
                .isGreaterThan(1_000_000);

        // a YEARLY rule with every BY* list: an hour costs what the hour holds
        Path yearly = write(
                "yearly.ics",
                event(
                        "yearly",
                        "FREQ=YEARLY;BYMONTH=" + range(1, 12) + ";BYMONTHDAY=" + range(1, 31)
                                + ";BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=" + range(0, 23) + ";BYMINUTE=" + range(0, 59)
                                + ";BYSECOND=" + range(0, 59)));
        Run hour = cli(
                "expand",
                "--ics",
                yearly.toString(),
                "--from",
                "2026-12-31T10:00:00Z",
                "--to",
                "2026-12-31T11:00:00Z",
                "--json");
        assertThat(hour.exit()).isZero();
        assertThat(JSON.readTree(hour.stdout().strip())).hasSize(3600); // (ten years of it: BoundsTest, in-process)
    }

    @Test
    void explainingTenThousandParticipantsIsCapped() throws Exception {
        ObjectNode req = request("2026-01-03T00:00:00Z", "2027-01-03T00:00:00Z", "PT1M", 1, 10_000, false);
        Run r = cli(
                "availability",
                "--request",
                write("explain.json", JSON.writeValueAsString(req)).toString(),
                "--json",
                "--explain");
        assertThat(r.exit()).isZero();
        JsonNode out = JSON.readTree(r.stdout());
        assertThat(out.get("slots")).hasSize(1);
        assertThat(out.get("explanationsTruncated").asBoolean()).isTrue();
        assertThat(out.get("rejected").size()).isBetween(1, 20);
    }

    @Test
    void tenThousandAllDayParticipantsAreBoundedAndStreamed() throws Exception {
        // the attack's size (maxResults 10,000: 900 MB of JSON) is refused up front, naming the bound
        ObjectNode huge = request("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "PT30M", 10_000, 10_000, true);
        typedError(
                cli(
                        "availability",
                        "--request",
                        write("huge.json", JSON.writeValueAsString(huge)).toString(),
                        "--json"),
                "MAX_ANSWER");
        // within the bound the answer streams out without being held: 500 slots × 10,000 people, 45 MB
        ObjectNode big = request("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "PT30M", 500, 10_000, true);
        Run r = cli(
                "availability",
                "--request",
                write("big.json", JSON.writeValueAsString(big)).toString(),
                "--json");
        assertThat(r.exit()).isZero();
        assertThat(Files.size(r.out())).isGreaterThan(40_000_000);
        String head = new String(Files.newInputStream(r.out()).readNBytes(100), StandardCharsets.UTF_8);
        assertThat(head).startsWith("{\"slots\":[{\"start\":\"2026-01-01T00:00:00Z\"");
    }

    @Test
    void aPoisonedServerEventIsReportedByEventsListAndFreeBusyUnderASmallHeap() throws Exception {
        try (FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("erin", "erin-pw")
                .calendar("erin", "work", "Work")
                .build()
                .start()) {
            dav.putEvent("erin", "work", "evil.ics", EVIL_TZ);
            dav.putEvent("erin", "work", "secondly.ics", event("secondly", "FREQ=SECONDLY"));
            dav.putEvent("erin", "work", "good.ics", event("good", "FREQ=DAILY;COUNT=3"));
            write("pw.txt", "erin-pw\n");
            Path conn = write(
                    "erin.json",
                    "{\"provider\": \"caldav\", \"url\": \"" + dav.url() + "\", \"username\": \"erin\", "
                            + "\"password\": {\"file\": \"pw.txt\"}, \"allowPrivateNetwork\": true, \"mailbox\": \"erin@example.com\"}");

            Run list = cli(
                    "events",
                    "list",
                    "--connection",
                    conn.toString(),
                    "--calendar",
                    "work",
                    "--from",
                    "2026-03-01T08:30:00Z",
                    "--to",
                    "2026-03-01T09:30:00Z",
                    "--json");
            assertThat(list.exit()).isZero();
            JsonNode rows = JSON.readTree(list.stdout());
            assertThat(rows).hasSize(3600); // an hour of the per-second series; the evil one is reported
            assertThat(list.err())
                    .singleElement()
                    .satisfies(l -> assertThat(l)
                            .startsWith("warning: ")
                            .contains("evil.ics")
                            .contains("ical.maxVTimeZoneTransitions"));

            dav.removeEvent("erin", "work", "evil.ics");
            Run fb = cli(
                    "freebusy",
                    "--connection",
                    conn.toString(),
                    "--from",
                    "2026-01-01T00:00:00Z",
                    "--to",
                    "2027-01-01T00:00:00Z",
                    "--json");
            assertThat(fb.exit()).isZero();
            JsonNode erin = JSON.readTree(fb.stdout()).get("mailboxes").get(0);
            assertThat(erin.get("error").asText()).contains("ical.maxSubDailyInstances");
        }
    }

    private static ObjectNode request(
            String from, String to, String interval, int maxResults, int people, boolean allDay) {
        ObjectNode req = JSON.createObjectNode();
        req.putObject("window").put("start", from).put("end", to);
        req.put("duration", "PT30M").put("interval", interval).put("maxResults", maxResults);
        ArrayNode ps = req.putArray("participants");
        for (int i = 0; i < people; i++) {
            ObjectNode p = ps.addObject().put("id", String.format("p%05d", i)).put("timeZone", "UTC");
            if (allDay) {
                ObjectNode wh = p.putArray("workingHours")
                        .addObject()
                        .put("start", "00:00")
                        .put("end", "00:00");
                ArrayNode days = wh.putArray("days");
                for (String d : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
                    days.add(d);
                }
            }
        }
        return req;
    }
}
