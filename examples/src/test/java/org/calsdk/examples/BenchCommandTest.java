package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calendar bench} delegates to the harness: table on stdout, the JSON file, typed errors. */
class BenchCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = CalendarCli.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void tinyFanOutWritesTableAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Run r = run(
                "bench", "--tiny", "--only", "caldav-freebusy-fanout", "--latency-ms", "5", "--json", json.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("| figure | value | floor | unit |")
                .contains(
                        "caldav free/busy, 5 mailboxes, 30 days, 5 ms latency: round trips | 1 | 1 | round-trips | 1 |");
        JsonNode arr = new ObjectMapper().readTree(Files.readString(json));
        assertThat(arr.size()).isEqualTo(4);
        assertThat(arr.get(0).get("unit").asText()).isEqualTo("calls");
        assertThat(arr.get(0).get("ratio").asDouble()).isEqualTo(1.0);
    }

    @Test
    void badOptionsAreTypedErrors() {
        Run r = run("bench", "--quick", "--tiny");
        assertThat(r.exit()).isEqualTo(Errors.INVALID_INPUT);
        assertThat(r.err()).contains("--quick and --tiny");
        assertThat(run("bench", "--latency-ms", "-1").exit()).isEqualTo(Errors.INVALID_INPUT);
    }
}
