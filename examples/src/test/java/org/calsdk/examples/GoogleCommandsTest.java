package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with Google connection files (a ready access token; a service account) against the fake Google. */
class GoogleCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeGoogleServer google;
    private PrintStream savedOut;
    private PrintStream savedErr;
    private ByteArrayOutputStream out;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private static KeyPair pair;

    @BeforeEach
    void start() throws Exception {
        if (pair == null) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            pair = g.generateKeyPair();
        }
        google = FakeGoogleServer.builder()
                .user("alice@example.com", "Alice")
                .user("bob@example.com", "Bob")
                .user("admin@example.com", "Admin")
                .serviceAccount(
                        "cli@test.iam.gserviceaccount.com",
                        pair.getPublic(),
                        Set.of("alice@example.com", "bob@example.com", "admin@example.com"))
                .build()
                .start();
        ZonedDateTime at = ZonedDateTime.of(2026, 3, 3, 10, 0, 0, 0, ZoneOffset.UTC);
        google.seed(SeedData.organization("example.com")
                .user(
                        "bob@example.com",
                        "Bob",
                        u -> u.primary(c -> c.event(Event.builder()
                                .summary("Bob busy")
                                .start(EventTime.of(at))
                                .end(EventTime.of(at.plusHours(1)))
                                .build())))
                .build());
        savedOut = System.out;
        savedErr = System.err;
        out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        google.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return CalendarCli.run(args);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path tokenFile() throws Exception {
        Files.writeString(dir.resolve("token.txt"), google.issueAccessToken("alice@example.com") + "\n");
        Path f = dir.resolve("google.json");
        Files.writeString(
                f,
                "{\"provider\": \"google\", \"accessToken\": {\"file\": \"token.txt\"}, " + "\"baseUrl\": \""
                        + google.baseUrl() + "\", \"mailbox\": \"alice@example.com\"}");
        return f;
    }

    @Test
    void anAccessTokenFileListsCalendarsAndFreeBusyOfManyMailboxes() throws Exception {
        Path f = tokenFile();
        assertThat(run("calendars", "--connection", f.toString(), "--json")).isZero();
        JsonNode cals = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(cals).hasSize(1);
        assertThat(cals.get(0).get("primary").asBoolean()).isTrue();

        assertThat(run(
                        "freebusy",
                        "--connection",
                        f.toString(),
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--mailbox",
                        "bob@example.com",
                        "--mailbox",
                        "nobody@example.com",
                        "--mailbox",
                        "alice@example.com",
                        "--json"))
                .isZero();
        JsonNode fb = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("mailboxes");
        assertThat(fb).hasSize(3);
        assertThat(fb.get(0).get("mailbox").asText()).isEqualTo("bob@example.com");
        assertThat(fb.get(0).get("busy").get(0).get("start").asText()).isEqualTo("2026-03-03T10:00:00Z");
        assertThat(fb.get(1).get("error").asText()).isNotBlank();
        assertThat(fb.get(2).get("busy")).isEmpty();
    }

    /** A service-account connection file (domain-wide delegation), with {@code extra} JSON members. */
    private Path serviceAccountFile(String extra) throws Exception {
        ObjectNode key = JSON.createObjectNode();
        key.put("type", "service_account");
        key.put("client_email", "cli@test.iam.gserviceaccount.com");
        key.put("private_key_id", "k1");
        key.put("client_id", "42");
        key.put(
                "private_key",
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        key.put("token_uri", google.tokenUrl());
        Files.writeString(dir.resolve("key.json"), key.toString());
        Path f = dir.resolve("org.json");
        Files.writeString(
                f,
                "{\"provider\": \"google\", \"serviceAccountKeyFile\": \"key.json\", "
                        + "\"subject\": \"admin@example.com\", \"tokenUrl\": \"" + google.tokenUrl() + "\", "
                        + "\"baseUrl\": \"" + google.baseUrl() + "\"" + extra + "}");
        return f;
    }

    @Test
    void aServiceAccountFileAnswersFreeBusyForTheOrganization() throws Exception {
        Path f = serviceAccountFile("");
        assertThat(run(
                        "freebusy",
                        "--connection",
                        f.toString(),
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--mailbox",
                        "bob@example.com",
                        "--mailbox",
                        "alice@example.com",
                        "--json"))
                .as("exit status; stderr: %s", errors())
                .isZero();
        JsonNode fb = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("mailboxes");
        assertThat(fb.get(0).get("busy")).hasSize(1);
        assertThat(fb.get(1).get("busy")).isEmpty();
    }

    @Test
    void aServiceAccountFileListsAndWritesTheEventsOfItsMailbox() throws Exception {
        Path f = serviceAccountFile(", \"mailbox\": \"bob@example.com\"");
        assertThat(run("calendars", "--connection", f.toString(), "--json"))
                .as(errors())
                .isZero();
        assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8))
                        .get(0)
                        .get("primary")
                        .asBoolean())
                .isTrue();

        assertThat(run(
                        "events",
                        "list",
                        "--connection",
                        f.toString(),
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z",
                        "--json"))
                .as(errors())
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Bob busy");

        Path ics = dir.resolve("one.ics");
        Files.writeString(
                ics,
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
                        + "UID:cli-import-1\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260304T090000Z\r\n"
                        + "DTEND:20260304T100000Z\r\nSUMMARY:Imported as Bob\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        assertThat(run("events", "import", "--connection", f.toString(), "--ics", ics.toString()))
                .as(errors())
                .isZero();
        assertThat(google.eventCount("bob@example.com")).isEqualTo(2);
        assertThat(google.eventCount("admin@example.com"))
                .as("written as the mailbox, not the subject")
                .isZero();
    }

    @Test
    void aServiceAccountFileWithoutAMailboxSaysWhichAccountToActAs() throws Exception {
        Path f = serviceAccountFile("");
        assertThat(run(
                        "events",
                        "list",
                        "--connection",
                        f.toString(),
                        "--from",
                        "2026-03-02T00:00:00Z",
                        "--to",
                        "2026-03-09T00:00:00Z"))
                .isEqualTo(2);
        assertThat(errors()).contains("mailbox");
    }

    @Test
    void aServiceAccountFileSyncsItsMailbox() throws Exception {
        Path f = serviceAccountFile(", \"mailbox\": \"bob@example.com\"");
        String store = "jdbc:h2:file:" + dir.resolve("state");
        assertThat(run("sync", "--connection", f.toString(), "--store", store, "--once"))
                .as(errors())
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("1 mailboxes synced")
                .contains("1 external change(s)");
        assertThat(run("sync", "--connection", f.toString(), "--store", store, "--once"))
                .as(errors())
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("resumes from the stored cursor")
                .contains("0 external change(s)");
    }

    @Test
    void theAccessTokenMayComeFromAnEnvironmentVariable() throws Exception {
        Path f = dir.resolve("env.json");
        Files.writeString(
                f,
                "{\"provider\": \"google\", \"accessToken\": {\"env\": \"GOOGLE_TOKEN\"}, "
                        + "\"baseUrl\": \"http://127.0.0.1:1/\", \"mailbox\": \"alice@example.com\"}");
        ConnectionFile cf = ConnectionFile.read(f, Map.of("GOOGLE_TOKEN", "ya29.secret")::get, System.err::println);
        ConnectionConfig config = cf.toConfig();
        assertThat(config.credentials()).get().isInstanceOf(TokenCredentials.class);
        assertThat(((TokenCredentials) config.credentials().orElseThrow())
                        .source()
                        .token()
                        .token()
                        .reveal())
                .isEqualTo("ya29.secret");
        assertThat(config.settings()).doesNotContainKey("accessToken");
        assertThat(cf.toString()).doesNotContain("ya29.secret");
    }
}
