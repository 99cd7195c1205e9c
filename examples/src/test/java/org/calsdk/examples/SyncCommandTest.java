package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = CalendarCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void oncePullsTheCalendarAndStatusListsTheMailboxAsJson() throws Exception {
        Mailbox alice = Mailbox.of("alice@example.com");
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
            service.addUser(alice, "Alice");
            ZonedDateTime t = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
            for (int i = 0; i < 3; i++) {
                service.connect(alice)
                        .writer()
                        .create(
                                CalendarRef.primary(alice),
                                EventKey.of("e" + i),
                                Event.builder()
                                        .summary("E" + i)
                                        .start(EventTime.of(t.plusHours(i)))
                                        .end(EventTime.of(t.plusHours(i + 1)))
                                        .build());
            }
            Path conn = dir.resolve("memory.json");
            Files.writeString(
                    conn,
                    "{\"provider\": \"memory\", \"service\": \"" + service.id()
                            + "\", \"mailbox\": \"alice@example.com\"}");
            String store = "jdbc:h2:file:" + dir.resolve("state");

            Run first = cli("sync", "--connection", conn.toString(), "--store", store, "--once");
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("1 mailboxes synced").contains("3 external change(s)");

            Run again = cli("sync", "--connection", conn.toString(), "--store", store, "--once");
            assertThat(again.out()).as("resumes from the stored cursor").contains("0 external change(s)");

            Run status = cli("sync", "status", "--store", store, "--json");
            assertThat(status.exit()).isZero();
            JsonNode json = new ObjectMapper().readTree(status.out());
            assertThat(json).hasSize(1);
            assertThat(json.get(0).get("mailbox").asText()).isEqualTo("alice@example.com");
            assertThat(json.get(0).get("enabled").asBoolean()).isTrue();
            assertThat(json.get(0).get("lastSync").isNull()).isFalse();
            assertThat(json.get(0).get("lastError").isNull()).isTrue();
        }
    }

    @Test
    void missingConnectionIsInvalidInput() {
        Run r = cli("sync", "--store", "jdbc:h2:file:" + dir.resolve("s"), "--once");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--connection");
        Run bad = cli("sync", "status", "--store", "jdbc:mysql://x/y", "--json");
        assertThat(bad.exit()).isEqualTo(2);
    }

    /**
     * Issue 10 §3: after {@code head -c 10000 store.mv.db}, {@code sync status} printed [] and the next
     * {@code sync --once} treated every event as new. Both now refuse the file in one line (exit 2) and leave it
     * byte for byte as it was.
     */
    @Test
    void aTruncatedStoreIsRefusedByStatusAndSyncAndLeftAsItWas() throws Exception {
        Mailbox alice = Mailbox.of("alice@example.com");
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
            service.addUser(alice, "Alice");
            ZonedDateTime t = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
            service.connect(alice)
                    .writer()
                    .create(
                            CalendarRef.primary(alice),
                            EventKey.of("e0"),
                            Event.builder()
                                    .summary("E0")
                                    .start(EventTime.of(t))
                                    .end(EventTime.of(t.plusHours(1)))
                                    .build());
            Path conn = dir.resolve("memory.json");
            Files.writeString(
                    conn,
                    "{\"provider\": \"memory\", \"service\": \"" + service.id()
                            + "\", \"mailbox\": \"alice@example.com\"}");
            String store = "jdbc:h2:file:" + dir.resolve("state");
            assertThat(cli("sync", "--connection", conn.toString(), "--store", store, "--once")
                            .exit())
                    .isZero();
            Path file = dir.resolve("state.mv.db");
            byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(file), 10_000);
            Files.write(file, truncated);

            for (Run r : new Run[] {
                cli("sync", "status", "--store", store, "--json"),
                cli("sync", "--connection", conn.toString(), "--store", store, "--once")
            }) {
                assertThat(r.exit()).as(r.err()).isEqualTo(2);
                assertThat(r.out()).isEmpty();
                assertThat(r.err().strip().lines())
                        .as(r.err())
                        .singleElement()
                        .satisfies(l ->
                                assertThat(l).startsWith("error: sync store ").contains("nothing was written"));
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
        }
    }

    /** Attack: an unwritable --store path retried for 10 s, then printed hundreds of lines of stack traces. */
    @Test
    void anUnwritableStorePathFailsInOneLineWithExit2() throws Exception {
        Path notADir = Files.writeString(dir.resolve("a-file"), "x");
        Path conn = dir.resolve("memory.json");
        try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
            service.addUser(Mailbox.of("alice@example.com"), "Alice");
            Files.writeString(
                    conn,
                    "{\"provider\": \"memory\", \"service\": \"" + service.id()
                            + "\", \"mailbox\": \"alice@example.com\"}");
            Run r = cli(
                    "sync",
                    "--connection",
                    conn.toString(),
                    "--store",
                    "jdbc:h2:file:" + notADir.resolve("state"),
                    "--once");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip().lines())
                    .as(r.err())
                    .singleElement()
                    .satisfies(l -> assertThat(l).contains("cannot open or create it"));
            Run status = cli("sync", "status", "--store", "jdbc:h2:file:" + notADir.resolve("state"));
            assertThat(status.exit()).isEqualTo(2);
            assertThat(status.err().strip().lines())
                    .as(status.err())
                    .singleElement()
                    .satisfies(l -> assertThat(l).contains("no such file"));
        }
    }
}
