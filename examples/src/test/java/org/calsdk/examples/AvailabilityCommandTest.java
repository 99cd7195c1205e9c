package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calendar availability} end to end through {@link CalendarCli#run}. */
class AvailabilityCommandTest {

    /**
     * The sample request (alice exactly as given), completed with the participants its groups
     * name: bob in London with default hours, carol in Kathmandu (+05:45) working 19:00-21:00 and
     * 21:00-23:00 local, dan never available.
     */
    static final String SAMPLE = """
            {
              "window": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-07T00:00:00Z"},
              "duration": "PT30M",
              "interval": "PT15M",
              "buffer": {"before": "PT10M", "after": "PT5M"},
              "countTentativeAsBusy": true,
              "maxResults": 500,
              "participants": [
                {"id": "alice", "timeZone": "America/New_York",
                 "workingHours": [{"days": ["MON","TUE","WED","THU","FRI"], "start": "09:00", "end": "17:00"}],
                 "busy": [{"start": "2026-03-02T15:00:00Z", "end": "2026-03-02T16:00:00Z", "status": "busy"},
                          {"date": "2026-03-04", "status": "busy", "allDay": true}]},
                {"id": "dan", "timeZone": "UTC", "workingHours": []},
                {"id": "carol", "timeZone": "Asia/Kathmandu",
                 "workingHours": [{"days": ["MON","TUE","WED","THU","FRI"], "start": "19:00", "end": "21:00"},
                                  {"days": ["MON","TUE","WED","THU","FRI"], "start": "21:00", "end": "23:00"}],
                 "busy": [{"start": "2026-03-05T15:00:00Z", "end": "2026-03-05T16:00:00Z", "status": "workingElsewhere"},
                          {"start": "2026-03-06T16:00:00Z", "end": "2026-03-06T17:00:00Z", "status": "oof"}]},
                {"id": "bob", "timeZone": "Europe/London",
                 "busy": [{"start": "2026-03-03T14:00:00Z", "end": "2026-03-03T15:00:00Z", "status": "tentative"},
                          {"start": "2026-03-05T14:00:00Z", "end": "2026-03-05T17:00:00Z", "status": "free"}]}
              ],
              "groups": [{"members": ["alice", "bob"], "required": "all"}, {"members": ["carol", "dan"], "required": 1}]
            }
            """;

    /**
     * Worked by hand: alice 14:00-22:00Z (EST), bob 09:00-17:00Z (GMT), carol 13:15-17:15Z, so 14:00-17:00Z
     * on weekdays, starts 14:00..16:30 every 15 minutes. Monday alice's 15:00-16:00 with 10 min before and
     * 5 after leaves starts <= 14:25 and >= 16:10; Tuesday bob's tentative 14:00-15:00 leaves >= 15:10;
     * Wednesday alice is away all (New York) day; Thursday free/workingElsewhere block nothing; Friday
     * carol's oof from 16:00 leaves starts <= 15:25.
     */
    static final List<String> EXPECTED_STARTS = List.of(
            "2026-03-02T14:00:00Z",
            "2026-03-02T14:15:00Z",
            "2026-03-02T16:15:00Z",
            "2026-03-02T16:30:00Z",
            "2026-03-03T15:15:00Z",
            "2026-03-03T15:30:00Z",
            "2026-03-03T15:45:00Z",
            "2026-03-03T16:00:00Z",
            "2026-03-03T16:15:00Z",
            "2026-03-03T16:30:00Z",
            "2026-03-05T14:00:00Z",
            "2026-03-05T14:15:00Z",
            "2026-03-05T14:30:00Z",
            "2026-03-05T14:45:00Z",
            "2026-03-05T15:00:00Z",
            "2026-03-05T15:15:00Z",
            "2026-03-05T15:30:00Z",
            "2026-03-05T15:45:00Z",
            "2026-03-05T16:00:00Z",
            "2026-03-05T16:15:00Z",
            "2026-03-05T16:30:00Z",
            "2026-03-06T14:00:00Z",
            "2026-03-06T14:15:00Z",
            "2026-03-06T14:30:00Z",
            "2026-03-06T14:45:00Z",
            "2026-03-06T15:00:00Z",
            "2026-03-06T15:15:00Z");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String requestJson, String... extra) throws Exception {
        Path file = dir.resolve("request.json");
        Files.writeString(file, requestJson);
        List<String> args = new ArrayList<>(List.of("availability", "--request", file.toString()));
        args.addAll(List.of(extra));
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = CalendarCli.run(args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void sampleRequestPrintsTheHandCheckedSlots() throws Exception {
        Run r = run(SAMPLE, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.fieldNames()).toIterable().containsExactly("slots");
        List<String> starts = new ArrayList<>();
        for (JsonNode slot : json.get("slots")) {
            starts.add(slot.get("start").asText());
            assertThat(java.time.Duration.between(
                            java.time.Instant.parse(slot.get("start").asText()),
                            java.time.Instant.parse(slot.get("end").asText())))
                    .hasMinutes(30);
            assertThat(slot.get("participants").toString()).isEqualTo("[\"alice\",\"bob\",\"carol\"]");
        }
        assertThat(starts).isEqualTo(EXPECTED_STARTS);
        assertThat(r.out())
                .contains("{\"start\":\"2026-03-02T14:00:00Z\",\"end\":\"2026-03-02T14:30:00Z\","
                        + "\"participants\":[\"alice\",\"bob\",\"carol\"]}");
    }

    @Test
    void maxResultsAndTentativeToggleAndDefaults() throws Exception {
        Run three = run(SAMPLE.replace("\"maxResults\": 500", "\"maxResults\": 3"), "--json");
        assertThat(new ObjectMapper().readTree(three.out()).get("slots")).hasSize(3);
        Run notCounted =
                run(SAMPLE.replace("\"countTentativeAsBusy\": true", "\"countTentativeAsBusy\": false"), "--json");
        assertThat(new ObjectMapper().readTree(notCounted.out()).get("slots")).hasSize(EXPECTED_STARTS.size() + 5);
        // no interval: 30-minute steps; no buffer: Monday 14:00, 14:30, 16:00, 16:30
        String plain = SAMPLE.replace("\"interval\": \"PT15M\",", "")
                .replace("\"buffer\": {\"before\": \"PT10M\", \"after\": \"PT5M\"},", "");
        JsonNode slots = new ObjectMapper().readTree(run(plain, "--json").out()).get("slots");
        List<String> monday = new ArrayList<>();
        slots.forEach(s -> {
            if (s.get("start").asText().startsWith("2026-03-02")) {
                monday.add(s.get("start").asText());
            }
        });
        assertThat(monday)
                .containsExactly(
                        "2026-03-02T14:00:00Z", "2026-03-02T14:30:00Z", "2026-03-02T16:00:00Z", "2026-03-02T16:30:00Z");
    }

    @Test
    void explainListsRejectedCandidatesRedacted() throws Exception {
        Run r = run(SAMPLE.replace("2026-03-07T00:00:00Z", "2026-03-02T15:00:00Z"), "--json", "--explain");
        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("slots")).hasSize(2);
        JsonNode first = json.get("rejected").get(0);
        assertThat(first.get("start").asText()).isEqualTo("2026-03-02T00:00:00Z");
        JsonNode buffered = null;
        for (JsonNode x : json.get("rejected")) {
            if (x.get("start").asText().equals("2026-03-02T14:30:00Z")) {
                buffered = x;
            }
        }
        assertThat(buffered).isNotNull();
        assertThat(buffered.get("available").toString()).isEqualTo("[\"bob\",\"carol\"]");
        assertThat(buffered.get("unmet").toString()).isEqualTo("[\"group [alice, bob]: 1 available, 2 required\"]");
        assertThat(buffered.get("unavailable").toString())
                .contains("\"participant\":\"alice\"")
                .contains("\"kind\":\"BUFFER\"")
                .contains("\"label\":\"busy\"")
                .contains("\"participant\":\"dan\"")
                .contains("OUTSIDE_WORKING_HOURS");
    }

    @Test
    void optionalFieldsOverridesLimitsPeriodsAndRoundRobin() throws Exception {
        String json = """
                {
                  "periods": [{"start": "2026-03-03T09:00:00Z", "end": "2026-03-03T11:00:00Z"},
                              {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T11:00:00Z"}],
                  "duration": "PT1H",
                  "participants": [
                    {"id": "ann", "timeZone": "UTC", "overrides": [{"date": "2026-03-02", "dayOff": true}]},
                    {"id": "ben", "timeZone": "UTC", "maxMeetingsPerDay": 2, "existingMeetings": {"2026-03-03": 2},
                     "overrides": [{"date": "2026-03-02", "hours": [{"start": "10:00", "end": "24:00"}]}]},
                    {"id": "cus", "timeZone": "+05:30", "workingHours": [{"days": ["MON", "TUE"], "start": "00:00", "end": "24:00"}]}
                  ],
                  "roundRobin": {"method": "maxAvailability", "hosts": ["ann", "ben"], "pastBookings": {"ann": 5}}
                }
                """;
        Run r = run(json, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        // Mon: ann off, ben from 10:00 -> 10:00 with ben; Tue: ben at his daily limit -> ann at 09:00 and 10:00
        assertThat(new ObjectMapper().readTree(r.out()).get("slots").toString())
                .isEqualTo(
                        "["
                                + "{\"start\":\"2026-03-02T10:00:00Z\",\"end\":\"2026-03-02T11:00:00Z\",\"participants\":[\"ben\",\"cus\"],\"host\":\"ben\"},"
                                + "{\"start\":\"2026-03-03T09:00:00Z\",\"end\":\"2026-03-03T10:00:00Z\",\"participants\":[\"ann\",\"cus\"],\"host\":\"ann\"},"
                                + "{\"start\":\"2026-03-03T10:00:00Z\",\"end\":\"2026-03-03T11:00:00Z\",\"participants\":[\"ann\",\"cus\"],\"host\":\"ann\"}]");
        assertInvalid(
                json.replace("\"dayOff\": true", "\"dayOff\": true, \"hours\": []"),
                "participants[0].overrides[0]: give exactly one of dayOff, hours or extraHours");
        assertInvalid(json.replace("maxAvailability", "roundest"), "roundRobin.method:");
        assertInvalid(
                json.replace("\"hosts\": [\"ann\", \"ben\"]", "\"hosts\": [\"ann\", \"zed\"]"),
                "roundRobin.hosts[1]: unknown participant 'zed'");
        assertInvalid(
                json.replace("\"maxMeetingsPerDay\": 2", "\"maxMeetingsPerDay\": -1"),
                "participants[1].maxMeetingsPerDay:");
    }

    @Test
    void windowsZoneNamesAreUnderstood() throws Exception {
        Run r = run(SAMPLE.replace("\"Europe/London\"", "\"GMT Standard Time\""), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("slots")).hasSize(EXPECTED_STARTS.size());
    }

    @Test
    void textOutputWithoutJson() throws Exception {
        Run r = run(SAMPLE.replace("\"maxResults\": 500", "\"maxResults\": 2"));
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("2026-03-02T14:00:00Z  2026-03-02T14:30:00Z  alice, bob, carol")
                .contains("2 slot(s)");
    }

    @Test
    void invalidRequestsExitWithTwoAndNameTheField() throws Exception {
        assertInvalid(
                SAMPLE.replace("\"Europe/London\"", "\"Mars/Base\""),
                "participants[3].timeZone: unknown time zone 'Mars/Base'");
        assertInvalid(SAMPLE.replace("\"PT30M\"", "\"PT0M\""), "duration:");
        assertInvalid(SAMPLE.replace("\"PT30M\"", "\"-PT30M\""), "duration:");
        assertInvalid(SAMPLE.replace("\"PT30M\"", "\"30 minutes\""), "duration: not an ISO-8601 duration");
        assertInvalid(
                SAMPLE.replace("\"end\": \"2026-03-07T00:00:00Z\"", "\"end\": \"2026-03-01T00:00:00Z\""),
                "window.end: 2026-03-01T00:00:00Z is before window.start");
        assertInvalid(
                SAMPLE.replace("[\"carol\", \"dan\"]", "[\"carol\", \"erin\"]"),
                "groups[1].members[1]: unknown participant 'erin'");
        assertInvalid(SAMPLE.replace("\"required\": 1", "\"required\": 3"), "groups[1].required:");
        assertInvalid(
                SAMPLE.replace("\"status\": \"oof\"", "\"status\": \"asleep\""),
                "participants[2].busy[1].status: unknown busy status 'asleep'");
        assertInvalid(
                SAMPLE.replace(
                        "\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"], \"start\": \"09:00\"",
                        "\"MON\",\"TUE\",\"WED\",\"THU\",\"FRYDAY\"], \"start\": \"09:00\""),
                "participants[0].workingHours[0].days[4]:");
        assertInvalid(SAMPLE.replace("\"interval\"", "\"intervall\""), "intervall: unknown field");
        assertInvalid(SAMPLE.substring(0, SAMPLE.length() - 10), "request: malformed JSON");
        assertInvalid("[]", "request: must be a JSON object");
        assertInvalid(SAMPLE.replace("\"interval\": \"PT15M\"", "\"interval\": \"PT0S\""), "interval:");
        assertInvalid(SAMPLE.replace("{\"id\": \"dan\"", "{\"id\": \"bob\""), "participants[3].id:");
    }

    @Test
    void missingFileIsInvalidInput() throws Exception {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(CalendarCli.run(
                            "availability",
                            "--request",
                            dir.resolve("nope.json").toString(),
                            "--json"))
                    .isEqualTo(2);
        } finally {
            System.setErr(oldErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file");
    }

    private void assertInvalid(String json, String message) throws Exception {
        Run r = run(json, "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).as(json).contains("error: " + message);
        assertThat(r.out()).isEmpty();
    }
}
