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
import java.util.Map;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionFile;
import org.calsdk.graph.GraphProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with Graph connection files in the two fixed forms, against the fake Graph. */
class GraphCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeGraphServer graph;
    private PrintStream savedOut;
    private ByteArrayOutputStream out;

    @BeforeEach
    void start() throws Exception {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .userToken("alice-token", "alice@example.com")
                .appToken("seed-app-token")
                .client("app-id", "app-secret")
                .build()
                .start();
        try (CalendarConnection c = new GraphProvider()
                .connect(graph.connectionConfig("alice@example.com").build())) {
            c.writer()
                    .create(
                            CalendarRef.primary(Mailbox.of("alice@example.com")),
                            EventKey.of("cli-1"),
                            Event.builder()
                                    .summary("planning")
                                    .time(
                                            EventTime.utc(Instant.parse("2031-05-05T09:00:00Z")),
                                            EventTime.utc(Instant.parse("2031-05-05T10:30:00Z")))
                                    .build());
        }
        savedOut = System.out;
        out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(savedOut);
        graph.close();
    }

    @Test
    void aDelegatedTokenFileNamesItsMailboxAndAnswersFreeBusy() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "alice-token\n");
        Path conn = dir.resolve("graph.json");
        Files.writeString(
                conn,
                "{\"provider\": \"graph\", \"accessToken\": {\"file\": \"token.txt\"}, \"baseUrl\": \""
                        + graph.baseUrl() + "\"}");

        assertThat(CalendarCli.run(
                        "freebusy",
                        "--connection",
                        conn.toString(),
                        "--from",
                        "2031-05-05T00:00:00Z",
                        "--to",
                        "2031-05-06T00:00:00Z",
                        "--json"))
                .isZero();
        JsonNode fb = JSON.readTree(out.toString(StandardCharsets.UTF_8))
                .get("mailboxes")
                .get(0);
        assertThat(fb.get("mailbox").asText()).isEqualTo("alice@example.com");
        assertThat(fb.get("busy")).hasSize(1);
        assertThat(fb.get("busy").get(0).get("start").asText()).isEqualTo("2031-05-05T09:00:00Z");
        assertThat(fb.get("busy").get(0).get("end").asText()).isEqualTo("2031-05-05T10:30:00Z");
        assertThat(fb.get("busy").get(0).get("status").asText()).isEqualTo("busy");
    }

    @Test
    void clientCredentialsActForTheOrganization() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "app-secret\n");
        Path conn = dir.resolve("app.json");
        Files.writeString(
                conn,
                "{\"provider\": \"graph\", \"tenantId\": \"contoso\", \"clientId\": \"app-id\", "
                        + "\"clientSecret\": {\"file\": \"secret.txt\"}, \"authorityUrl\": \"" + graph.authorityUrl()
                        + "\", \"baseUrl\": \"" + graph.baseUrl() + "\"}");

        assertThat(CalendarCli.run(
                        "freebusy",
                        "--connection",
                        conn.toString(),
                        "--from",
                        "2031-05-05T00:00:00Z",
                        "--to",
                        "2031-05-06T00:00:00Z",
                        "--mailbox",
                        "alice@example.com",
                        "--mailbox",
                        "nobody@example.com",
                        "--json"))
                .isZero();
        JsonNode all = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("mailboxes");
        assertThat(all.get(0).get("busy")).hasSize(1);
        assertThat(all.get(1).get("mailbox").asText()).isEqualTo("nobody@example.com");
        assertThat(all.get(1).get("error").isNull()).isFalse();
        assertThat(graph.accounting().calls("token"))
                .as("one client-credentials token for both")
                .isEqualTo(1);
    }

    @Test
    void theFixedFormsReadWithTheirSecretsFromTheEnvironment() throws Exception {
        Path conn = dir.resolve("env.json");
        Files.writeString(
                conn,
                "{\"provider\": \"graph\", \"accessToken\": {\"env\": \"GRAPH_TOKEN\"}, \"baseUrl\": "
                        + "\"http://127.0.0.1:1/v1.0\"}");
        ConnectionFile f = ConnectionFile.read(conn, Map.of("GRAPH_TOKEN", "t0k3n")::get, System.err::println);
        assertThat(f.settings()).doesNotContainKey("accessToken");
        assertThat(f.toString()).doesNotContain("t0k3n");
        assertThat(f.toConfig().setting("accessToken")).isEmpty();
        assertThat(((org.calsdk.auth.TokenCredentials) f.credentials())
                        .source()
                        .token()
                        .token()
                        .reveal())
                .isEqualTo("t0k3n");
        assertThat(f.toConfig().toString()).doesNotContain("t0k3n");
    }
}
