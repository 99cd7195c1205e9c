package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.calsdk.api.ConnectionFile;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with EWS connection files (the fixed form) against the fake EWS server. */
class EwsCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeEwsServer ews;
    private PrintStream savedOut;
    private PrintStream savedErr;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void start() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .mailbox("bob@example.com")
                .impersonationScope("svc", "alice@example.com", "bob@example.com")
                .build()
                .start();
        ews.putEvent(
                "alice@example.com",
                Event.builder()
                        .summary("1:1")
                        .time(
                                EventTime.utc(Instant.parse("2026-03-03T10:00:00Z")),
                                EventTime.utc(Instant.parse("2026-03-03T11:00:00Z")))
                        .build());
        ews.putEvent(
                "bob@example.com",
                Event.builder()
                        .summary("maybe")
                        .status(EventStatus.TENTATIVE)
                        .time(
                                EventTime.utc(Instant.parse("2026-03-04T10:00:00Z")),
                                EventTime.utc(Instant.parse("2026-03-04T10:30:00Z")))
                        .build());
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
        ews.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return CalendarCli.run(args);
    }

    @Test
    void freebusyWithTheFixedConnectionFileForm() throws Exception {
        Path file = dir.resolve("ews.json");
        Files.writeString(
                file,
                "{\"provider\": \"ews\", \"url\": \"" + ews.url() + "\", \"username\": \"svc\", "
                        + "\"password\": {\"env\": \"EWS_TEST_PASSWORD\"}, \"impersonation\": true, \"allowPrivateNetwork\": true}");
        ConnectionFile cf = ConnectionFile.read(
                file, name -> name.equals("EWS_TEST_PASSWORD") ? "svc-pw" : null, System.err::println);
        assertThat(cf.toConfig().provider()).isEqualTo("ews");
        assertThat(cf.toString()).doesNotContain("svc-pw");

        // the CLI reads the environment itself: write the secret to a file instead for this run
        Files.writeString(dir.resolve("pw.txt"), "svc-pw\n");
        Files.writeString(
                file,
                "{\"provider\": \"ews\", \"url\": \"" + ews.url() + "\", \"username\": \"svc\", "
                        + "\"password\": {\"file\": \"pw.txt\"}, \"impersonation\": true, \"allowPrivateNetwork\": true}");
        assertThat(run(
                        "freebusy",
                        "--connection",
                        file.toString(),
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--mailbox",
                        "alice@example.com",
                        "--mailbox",
                        "bob@example.com",
                        "--mailbox",
                        "ghost@example.com",
                        "--json"))
                .isZero();
        JsonNode m = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("mailboxes");
        assertThat(m).hasSize(3);
        assertThat(m.get(0).get("busy").get(0).get("start").asText()).isEqualTo("2026-03-03T10:00:00Z");
        assertThat(m.get(0).get("busy").get(0).get("status").asText()).isEqualTo("busy");
        assertThat(m.get(1).get("busy").get(0).get("status").asText()).isEqualTo("tentative");
        assertThat(m.get(2).get("error").asText()).contains("ErrorMailRecipientNotFound");
        assertThat(ews.accounting().calls("GetUserAvailability")).isEqualTo(1);
    }

    @Test
    void anAccessTokenInsteadOfAPasswordIsSentAsBearer() throws Exception {
        FakeEwsServer open =
                FakeEwsServer.builder().mailbox("alice@example.com").build().start();
        try {
            Files.writeString(dir.resolve("token.txt"), "opaque-token\n");
            Path file = dir.resolve("ews-token.json");
            Files.writeString(
                    file,
                    "{\"provider\": \"ews\", \"url\": \"" + open.url() + "\", \"accessToken\": {\"file\": "
                            + "\"token.txt\"}, \"mailbox\": \"alice@example.com\", \"impersonation\": true, \"allowPrivateNetwork\": true}");
            assertThat(run("calendars", "--connection", file.toString(), "--json"))
                    .isZero();
            assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8))
                            .get(0)
                            .get("name")
                            .asText())
                    .isEqualTo("Calendar");
            assertThat(open.accounting().recent())
                    .allSatisfy(c -> assertThat(c.header("Authorization")).hasValue("Bearer opaque-token"));
        } finally {
            open.close();
        }
    }

    @Test
    void aPasswordAndATokenTogetherAreRefused() throws Exception {
        Path file = dir.resolve("both.json");
        Files.writeString(
                file,
                "{\"provider\": \"ews\", \"url\": \"" + ews.url() + "\", \"username\": \"svc\", "
                        + "\"password\": {\"value\": \"x\"}, \"accessToken\": {\"value\": \"y\"}}");
        assertThat(run("calendars", "--connection", file.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("accessToken").doesNotContain("\"y\"");
    }
}
