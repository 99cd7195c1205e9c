package org.calsdk.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness in its tiny mode: every registered figure that runs without the CLI jar or a JVM of its own
 * is measured on small sizes, and what comes out keeps the fixed JSON contract of {@code calendar bench
 * --json}. No timing is asserted; counts are (they are exact on the fakes).
 */
class BenchHarnessContractTest {
    private static final Set<String> UNITS =
            Set.of("calls", "round-trips", "ms", "µs CPU", "mailboxes", "MB", "ms CPU", "events/s", "classes");

    @Test
    void tinyRunKeepsTheJsonContract(@TempDir Path dir) throws Exception {
        // in-process figures only: the child-JVM ones need the shaded class path and are run by `calendar bench`
        Set<String> inProcess = Set.of("caldav-freebusy-fanout-100", "caldav-incremental-sync-no-changes");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchSettings settings = new BenchSettings(
                BenchSettings.Mode.TINY, Duration.ofMillis(5), null, System.getProperty("java.class.path"), null);
        BenchRunner.Report report = new BenchRunner(
                        FigureRegistry.load(getClass().getClassLoader()),
                        new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(settings, inProcess::contains);
        assertThat(report.failures()).as(log.toString(StandardCharsets.UTF_8)).isEmpty();

        Path json = dir.resolve("bench.json");
        BenchRunner.writeJson(report.results(), json);
        JsonNode arr = new ObjectMapper().readTree(Files.readString(json));
        assertThat(arr.isArray()).isTrue();
        assertThat(arr.size()).isEqualTo(report.results().size()).isGreaterThanOrEqualTo(8);
        boolean sawRoundTrips = false;
        for (JsonNode e : arr) {
            assertThat(iterable(e.fieldNames())).containsExactlyInAnyOrder("name", "value", "floor", "unit", "ratio");
            assertThat(e.get("name").isTextual()).isTrue();
            assertThat(e.get("value").isNumber()).as(e.toString()).isTrue();
            assertThat(e.get("unit").asText()).isIn(UNITS);
            if (e.get("floor").isNull()) {
                assertThat(e.get("ratio").isNull()).as(e.toString()).isTrue();
            } else {
                double ratio = e.get("value").asDouble() / e.get("floor").asDouble();
                assertThat(e.get("ratio").asDouble())
                        .as(e.toString())
                        .isCloseTo(ratio, org.assertj.core.data.Percentage.withPercentage(0.1));
            }
            if (FigureResult.isRoundTrip(e.get("unit").asText())) {
                sawRoundTrips = true;
                assertThat(FigureResult.PROVIDERS)
                        .anyMatch(p -> e.get("name").asText().contains(p));
            }
        }
        assertThat(sawRoundTrips).isTrue();
    }

    @Test
    void caldavCountsMeetTheirFloorsOnTheFake() throws Exception {
        BenchSettings settings = new BenchSettings(
                BenchSettings.Mode.TINY, Duration.ZERO, null, System.getProperty("java.class.path"), null);
        BenchRunner.Report report = new BenchRunner(
                        FigureRegistry.load(getClass().getClassLoader()),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(settings, Set.of("caldav-freebusy-fanout-100", "caldav-incremental-sync-no-changes")::contains);
        List<FigureResult> counts = report.results().stream()
                .filter(r -> FigureResult.isRoundTrip(r.unit()))
                .toList();
        assertThat(counts).hasSize(3);
        assertThat(counts).allSatisfy(r -> assertThat(r.ratio()).as(r.name()).isEqualTo(1.0));
    }

    @Test
    void roundTripFiguresMustNameTheirProvider() {
        assertThatThrownBy(() -> FigureResult.of("free/busy of 100 mailboxes", 3, 1.0, "calls"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("provider");
        assertThat(FigureResult.of("graph free/busy", 6, 3.0, "round-trips").ratio())
                .isEqualTo(2.0);
        assertThat(FigureResult.of("x", 6, "ms").ratio()).isNull();
    }

    @Test
    void docsSectionReplacesOnlyItsOwnPart(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\nkept text\n");
        List<FigureResult> r = List.of(FigureResult.of("caldav free/busy: calls", 1, 1.0, "calls"));
        BenchDocs.write(doc, BenchDocs.section("./calendar bench --quick", BenchSettings.Mode.QUICK, r, List.of()));
        BenchDocs.write(doc, BenchDocs.section("./calendar bench", BenchSettings.Mode.FULL, r, List.of("x: failed")));
        String text = Files.readString(doc);
        assertThat(text).startsWith("# Benchmarks\n\nkept text\n");
        assertThat(text.split(java.util.regex.Pattern.quote(BenchDocs.BEGIN), -1))
                .hasSize(2);
        assertThat(text)
                .contains("Reproduce: `./calendar bench`")
                .contains("x: failed")
                .contains("| caldav free/busy: calls | 1 | 1 | calls | 1 |");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
