package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.calsdk.testkit.radicale.RadicaleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calendar doctor} and {@code calendar access}: the fixed JSON, exit codes, a real Radicale and the fake Graph. */
class DoctorCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RadicaleServer radicale;

    @TempDir
    Path dir;

    private PrintStream savedOut;
    private PrintStream savedErr;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

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
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
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

    private JsonNode json() throws Exception {
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private Path radicaleFile(String password) throws Exception {
        Files.writeString(dir.resolve("pw.txt"), password + "\n");
        Path f = dir.resolve("erin.json");
        Files.writeString(
                f,
                "{\"provider\": \"caldav\", \"url\": \"" + radicale.baseUrl() + "\", \"username\": \"erin\", "
                        + "\"password\": {\"file\": \"pw.txt\"}, \"allowPrivateNetwork\": true, \"mailbox\": \"erin@example.com\"}");
        return f;
    }

    private static List<JsonNode> findings(JsonNode root, String check) {
        List<JsonNode> out = new ArrayList<>();
        root.get("findings").forEach(f -> {
            if (f.get("check").asText().equals(check)) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void againstRadicaleAWrongPasswordFailsOnCredentialsAndTheRightOnePassesWarningOfBlockedDays() throws Exception {
        assertThat(run("doctor", "--connection", radicaleFile("not-erins").toString(), "--json"))
                .as("stderr: %s", err)
                .isEqualTo(1);
        JsonNode bad = json();
        assertThat(bad.size()).as("only the findings key").isEqualTo(1);
        JsonNode cred = findings(bad, "credentials").get(0);
        assertThat(cred.get("status").asText()).isEqualTo("fail");
        assertThat(cred.get("message").asText()).contains("refused the username and password");
        assertThat(cred.get("fix").asText()).contains("password");
        assertThat(cred.get("mailbox").isNull()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("not-erins");

        // an all-day event marked busy in the coming weeks, and a transparent one that blocks nothing
        Path conn = radicaleFile("erin-pw");
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        Path ics = dir.resolve("days.ics");
        Files.writeString(
                ics,
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                        + "BEGIN:VEVENT\r\nUID:trip@example.com\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:"
                        + compact(day)
                        + "\r\nDTEND;VALUE=DATE:" + compact(day.plusDays(1)) + "\r\nSUMMARY:Trip\r\nEND:VEVENT\r\n"
                        + "BEGIN:VEVENT\r\nUID:bday@example.com\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:"
                        + compact(day.plusDays(2)) + "\r\nDTEND;VALUE=DATE:" + compact(day.plusDays(3))
                        + "\r\nSUMMARY:Birthday\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        assertThat(run("events", "import", "--connection", conn.toString(), "--ics", ics.toString()))
                .isZero();

        assertThat(run("doctor", "--connection", conn.toString(), "--json"))
                .as("stderr: %s", err)
                .isZero();
        JsonNode good = json();
        for (JsonNode f : good.get("findings")) {
            assertThat(f.get("status").asText()).isIn("ok", "warn");
            assertThat(f.has("check") && f.has("mailbox") && f.has("message") && f.has("fix"))
                    .isTrue();
        }
        assertThat(findings(good, "credentials").get(0).get("status").asText()).isEqualTo("ok");
        JsonNode allDay = findings(good, "all-day-events").get(0);
        assertThat(allDay.get("status").asText()).isEqualTo("warn");
        assertThat(allDay.get("mailbox").asText()).isEqualTo("erin@example.com");
        assertThat(allDay.get("message").asText())
                .contains("1 all-day event is marked busy")
                .contains(day + " \"Trip\"")
                .doesNotContain("Birthday");
        assertThat(findings(good, "clock-skew").get(0).get("status").asText())
                .as("Radicale sends Date")
                .isEqualTo("ok");

        // the text form says the same in lines, with the fix under each problem
        assertThat(run("doctor", "--connection", conn.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("WARN all-day-events erin@example.com")
                .contains("     fix: ")
                .contains("0 failed");
    }

    @Test
    void withAStoreTheDoctorReportsLastSyncAndTheExchangeRule() throws Exception {
        Path conn = radicaleFile("erin-pw");
        String url = "jdbc:h2:file:" + dir.resolve("state");
        try (JdbcSyncStateStore store = JdbcSyncStateStore.open(url, null, null)) {
            store.saveIntegration(Integration.active("cli-caldav", "caldav"));
            store.addMailbox("cli-caldav", Mailbox.of("erin@example.com"));
        }
        assertThat(run("doctor", "--connection", conn.toString(), "--json", "--store", url))
                .as("stderr: %s", err)
                .isZero();
        JsonNode report = json();
        JsonNode sync = findings(report, "last-sync").get(0);
        assertThat(sync.get("status").asText()).isEqualTo("warn");
        assertThat(sync.get("message").asText()).contains("never synced");
        assertThat(findings(report, "push-subscription").get(0).get("status").asText())
                .isEqualTo("ok");

        // an on-premises and an online Exchange integration over one domain: the store holds what the engine
        // would refuse (written behind its back), and the doctor reports it
        try (JdbcSyncStateStore store = JdbcSyncStateStore.open(url, null, null)) {
            store.saveIntegration(Integration.active("m365", "graph"));
            store.addMailbox("m365", Mailbox.of("frank@example.com"));
            store.saveIntegration(Integration.active("onprem", "ews"));
            store.addMailbox("onprem", Mailbox.of("gina@example.com"));
        }
        assertThat(run("doctor", "--connection", conn.toString(), "--json", "--store", url))
                .isEqualTo(1);
        JsonNode exchange = findings(json(), "exchange-deployment").get(0);
        assertThat(exchange.get("status").asText()).isEqualTo("fail");
        assertThat(exchange.get("message").asText())
                .contains("example.com")
                .contains("m365")
                .contains("onprem");
    }

    private static String compact(LocalDate d) {
        return d.toString().replace("-", "");
    }

    @Test
    void accessAndDoctorOnAGraphAppOutsideItsAccessPolicy() throws Exception {
        try (FakeGraphServer graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .mailbox("bob@example.com")
                .client("app-id", "app-secret")
                .accessPolicy(List.of("alice@example.com"))
                .build()
                .start()) {
            Files.writeString(dir.resolve("secret.txt"), "app-secret\n");
            Path conn = dir.resolve("app.json");
            Files.writeString(
                    conn,
                    "{\"provider\": \"graph\", \"tenantId\": \"contoso\", \"clientId\": \"app-id\", "
                            + "\"clientSecret\": {\"file\": \"secret.txt\"}, \"authorityUrl\": \""
                            + graph.authorityUrl()
                            + "\", \"baseUrl\": \"" + graph.baseUrl() + "\"}");

            assertThat(run(
                            "access",
                            "--connection",
                            conn.toString(),
                            "--mailbox",
                            "alice@example.com",
                            "--mailbox",
                            "bob@example.com",
                            "--mailbox",
                            "nobody@example.com",
                            "--json"))
                    .as("stderr: %s", err)
                    .isZero();
            JsonNode all = json();
            assertThat(all.size()).isEqualTo(1);
            JsonNode m = all.get("mailboxes");
            assertThat(m).hasSize(3);
            assertThat(m.get(0).get("mailbox").asText()).isEqualTo("alice@example.com");
            assertThat(m.get(0).get("reachable").asBoolean()).isTrue();
            assertThat(m.get(0).get("reason").isNull()).isTrue();
            assertThat(m.get(0).get("detail").isTextual()).isTrue();
            assertThat(m.get(1).get("reachable").asBoolean()).isFalse();
            assertThat(m.get(1).get("reason").asText()).isEqualTo("NOT_IN_SCOPE");
            assertThat(m.get(2).get("reason").asText()).isIn("NOT_FOUND", "NOT_IN_SCOPE");
            for (JsonNode n : m) {
                assertThat(n.size()).isEqualTo(4);
            }

            assertThat(run(
                            "doctor",
                            "--connection",
                            conn.toString(),
                            "--mailbox",
                            "alice@example.com",
                            "--mailbox",
                            "bob@example.com",
                            "--json"))
                    .isEqualTo(1);
            JsonNode reach = findings(json(), "mailbox-reachable").get(1);
            assertThat(reach.get("mailbox").asText()).isEqualTo("bob@example.com");
            assertThat(reach.get("status").asText()).isEqualTo("fail");
            assertThat(reach.get("message").asText()).contains("outside what the account was granted");
            assertThat(reach.get("fix").asText()).contains("application access policy");
        }
    }
}
