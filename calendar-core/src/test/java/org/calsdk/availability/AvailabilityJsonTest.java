package org.calsdk.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The request format of docs/availability.md read by databind: same documents, same path-led messages. */
class AvailabilityJsonTest {
    static final String SAMPLE = """
            {
              "window": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-07T00:00:00Z"},
              "duration": "PT30M", "interval": "PT15M",
              "buffer": {"before": "PT10M", "after": "PT5M"},
              "countTentativeAsBusy": true, "maxResults": 500,
              "participants": [
                {"id": "alice", "timeZone": "America/New_York",
                 "workingHours": [{"days": ["MON","TUE","WED","THU","FRI"], "start": "09:00", "end": "17:00"}],
                 "busy": [{"start": "2026-03-02T15:00:00Z", "end": "2026-03-02T16:00:00Z", "status": "busy"},
                          {"date": "2026-03-04", "status": "busy", "allDay": true}],
                 "overrides": [{"date": "2026-03-06", "dayOff": true},
                               {"date": "2026-03-07", "extraHours": [{"start": "10:00", "end": "12:00"}]},
                               {"date": "2026-03-05", "hours": [{"start": "07:00", "end": "11:00"}]}],
                 "maxMeetingsPerDay": 4, "maxMeetingsPerWeek": 15, "existingMeetings": {"2026-03-02": 4}},
                {"id": "bob", "timeZone": "GMT Standard Time"}
              ],
              "groups": [{"members": ["alice", "bob"], "required": "all"}],
              "roundRobin": {"method": "maxFairness", "hosts": ["bob"], "pastBookings": {"bob": 2}}
            }
            """;

    @Test
    void theDocumentedSampleIsRead() {
        AvailabilityRequest r = AvailabilityJson.readRequest(SAMPLE);
        assertThat(r.periods()).hasSize(1);
        assertThat(r.periods().get(0).start()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(r.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(r.interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.buffer()).isEqualTo(Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(5)));
        assertThat(r.maxResults()).hasValue(500);
        assertThat(r.participants()).extracting(Participant::id).containsExactly("alice", "bob");
        assertThat(r.participants().get(1).zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(r.roundRobin()).isPresent();
    }

    @Test
    void wrongJsonTypesNameTheFieldAndAreNotCoerced() {
        assertInvalid(
                SAMPLE.replace("\"maxResults\": 500", "\"maxResults\": \"500\""), "maxResults: must be an integer");
        assertInvalid(SAMPLE.replace("\"maxResults\": 500", "\"maxResults\": 5.5"), "maxResults: must be an integer");
        assertInvalid(
                SAMPLE.replace("\"maxResults\": 500", "\"maxResults\": 99999999999999999999999"),
                "maxResults: must be an integer");
        assertInvalid(
                SAMPLE.replace("\"countTentativeAsBusy\": true", "\"countTentativeAsBusy\": 1"),
                "countTentativeAsBusy: must be true or false");
        assertInvalid(SAMPLE.replace("\"id\": \"bob\"", "\"id\": 7"), "participants[1].id: must be a string");
        assertInvalid(
                SAMPLE.replace("\"hosts\": [\"bob\"]", "\"hosts\": \"bob\""), "roundRobin.hosts: must be a JSON array");
        assertInvalid(
                SAMPLE.replace("\"buffer\": {\"before\": \"PT10M\", \"after\": \"PT5M\"}", "\"buffer\": \"PT10M\""),
                "buffer: must be a JSON object");
        assertInvalid(
                SAMPLE.replace("[\"alice\", \"bob\"]", "[\"alice\", null]"), "groups[0].members[1]: must be a string");
        assertInvalid(
                SAMPLE.replace("\"days\": [\"MON\",", "\"days\": [3,"),
                "participants[0].workingHours[0].days[0]: must be a string");
    }

    @Test
    void unknownFieldsListWhatIsExpected() {
        assertInvalid(
                SAMPLE.replace("\"interval\"", "\"intervall\""),
                "intervall: unknown field (expected one of window, periods,");
        assertInvalid(
                SAMPLE.replace("\"status\": \"busy\"}", "\"status\": \"busy\", \"colour\": 1}"),
                "participants[0].busy[0].colour: unknown field (expected one of start, end, status, date, allDay, eventId)");
    }

    @Test
    void valuesAreCheckedWithTheirPath() {
        assertInvalid(
                SAMPLE.replace("\"GMT Standard Time\"", "\"Mars/Base\""),
                "participants[1].timeZone: unknown time zone 'Mars/Base'");
        assertInvalid(SAMPLE.replace("\"PT30M\"", "\"30 minutes\""), "duration: not an ISO-8601 duration");
        assertInvalid(
                SAMPLE.replace("\"required\": \"all\"", "\"required\": 3"),
                "groups[0].required: must be between 1 and 2");
        assertInvalid(
                SAMPLE.replace("\"dayOff\": true", "\"dayOff\": false"),
                "participants[0].overrides[0].dayOff: must be true");
        assertInvalid(SAMPLE.replace("\"participants\": [", "\"participants\": null, \"p\": ["), "p: unknown field");
        assertInvalid(
                "{\"window\": {\"start\": \"2026-03-02T00:00:00Z\", \"end\": \"2026-03-03T00:00:00Z\"}, \"duration\": \"PT1H\"}",
                "participants: is required");
    }

    @Test
    void malformedDuplicateTrailingAndHostileDocumentsAreTypedErrors() {
        assertInvalid(SAMPLE.substring(0, SAMPLE.length() - 10), "request: malformed JSON");
        assertInvalid("[]", "request: must be a JSON object");
        assertInvalid("", "request: must be a JSON object");
        assertInvalid(
                SAMPLE.replace("\"duration\": \"PT30M\"", "\"duration\": \"PT30M\", \"duration\": \"PT1H\""),
                "request: malformed JSON");
        assertInvalid(SAMPLE + " {}", "request: malformed JSON");
        String deep = "{\"groups\": [{\"required\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}]}";
        assertInvalid(deep, "request: too large");
        String longId = SAMPLE.replace(
                "\"id\": \"bob\"", "\"id\": \"" + "b".repeat(AvailabilityJson.MAX_STRING_LENGTH + 1) + "\"");
        assertInvalid(longId, "request: too large");
    }

    @Test
    void resultsAreWrittenAsDocumented() throws Exception {
        AvailabilityResult result = Availability.find(AvailabilityJson.readRequest(SAMPLE.replace(
                        ", \"roundRobin\": {\"method\": \"maxFairness\", \"hosts\": [\"bob\"], \"pastBookings\": {\"bob\": 2}}",
                        "")
                .replace("\"maxResults\": 500", "\"maxResults\": 1")));
        StringWriter out = new StringWriter();
        AvailabilityJson.writeResult(result, out);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("slots")).hasSize(1);
        JsonNode slot = json.get("slots").get(0);
        assertThat(Instant.parse(slot.get("start").asText()))
                .isEqualTo(result.slots().get(0).start());
        assertThat(slot.get("participants").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(json.has("rejected")).isFalse();
    }

    private static void assertInvalid(String json, String messageStart) {
        assertThatThrownBy(() -> AvailabilityJson.readRequest(json))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(messageStart);
    }
}
