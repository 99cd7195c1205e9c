package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo (issue 19) tells the whole story on the four embedded fakes, offline, and exits 0: every number it
 * prints comes from the SDK running against the fakes now.
 */
class DemoCommandTest {

    private static String[] run(String... args) {
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = CalendarCli.run(args);
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
        return new String[] {
            String.valueOf(code), buffer.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void theStoryRunsOnTheFourFakesAndEveryStepShowsItsRealResult() {
        String[] r = run("demo");
        String out = r[1];
        assertThat(r[0]).isEqualTo("0");
        assertThat(out)
                // 2: four connections, three of them organization-wide
                .contains("Google Workspace      organization connection")
                .contains("iCloud (CalDAV)       user connection")
                // 3: directory sync, case-insensitive, new and departed people
                .contains("matched 49 of 50 app users")
                .contains("new in the directory, not yet in the app: [sami@north.example.com]")
                .contains("in the app but in no directory: [former.employee@west.example.com]")
                // 4: two mailboxes outside the service accounts' reach, with their reasons
                .contains("Google Workspace      19 of 20 reachable")
                .contains("tara@north.example.com: NOT_IN_SCOPE")
                .contains("rosa.15@west.example.com: NOT_IN_SCOPE")
                .contains("Exchange on-premises  14 of 14 reachable")
                // 5: free/busy in one round trip per cloud provider
                .contains("Google Workspace      20 people  1 HTTP round trip(s)")
                .contains("Microsoft 365         15 people  1 HTTP round trip(s)")
                .contains("Exchange on-premises  14 people  1 HTTP round trip(s)")
                // 6: availability across zones and a panel with an optional member
                .contains("Mon 1 Mar 15:00 Berlin = Mon 1 Mar 09:00 New York")
                .contains("interview panel (recruiter and manager required, at least one of two engineers)")
                // 7: the booking in all four calendars
                .contains(
                        "dana.1@west.example.com           Microsoft 365         \"Interview: backend engineer\" Thu 4 Mar 14:00 London")
                .contains(
                        "ines@icloud.example.com           iCloud (CalDAV)       \"Interview: backend engineer\" Thu 4 Mar 14:00 London")
                .doesNotContain("missing")
                // 8: the organizer's move comes back
                .contains("changed the app's event interview-2027-0042: [TIME], now Thu 4 Mar 15:00 London")
                // 9: all-day events block the day
                .contains("on Tuesday: [2027-03-02T00:00:00Z..2027-03-03T00:00:00Z busy]")
                .contains("blocks 2027-03-04T00:00:00Z..2027-03-05T00:00:00Z by default")
                // 10: the doctor names the cause and the fix
                .contains("finding [fail] mailbox-reachable: The mailbox is outside what the account was granted")
                .contains(
                        "fix: Add the mailbox to the mail-enabled security group named in the application access policy");
    }

    @Test
    void jsonGivesAMachineReadableSummaryAndProgressGoesToStandardError() throws Exception {
        String[] r = run("demo", "--json");
        assertThat(r[0]).isEqualTo("0");
        JsonNode n = new ObjectMapper().readTree(r[1]);
        assertThat(n.path("people").asInt()).isEqualTo(50);
        assertThat(n.path("directory").path("matched").asInt()).isEqualTo(49);
        assertThat(n.path("unreachable")).hasSize(2);
        assertThat(n.path("freeBusy").path("google").path("roundTrips").asLong())
                .isEqualTo(1);
        assertThat(n.path("freeBusy").path("graph").path("mailboxErrors").asLong())
                .isEqualTo(1);
        assertThat(n.path("booking").path("calendarsWithTheEvent").asInt()).isEqualTo(4);
        assertThat(n.path("booking").path("changesPulledBack").asInt()).isEqualTo(1);
        assertThat(n.path("allDay").path("freeOffsiteBlocksByDefault").asBoolean())
                .isTrue();
        assertThat(n.path("doctor").path("check").asText()).isEqualTo("mailbox-reachable");
        assertThat(n.path("doctor").path("status").asText()).isEqualTo("fail");
        assertThat(n.path("elapsedMillis").asLong()).isPositive();
        assertThat(r[2]).contains("... starting the fake Google");
    }
}
