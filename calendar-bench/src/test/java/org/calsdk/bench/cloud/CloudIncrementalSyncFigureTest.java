package org.calsdk.bench.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.calsdk.bench.harness.BenchRunner;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.FigureRegistry;
import org.junit.jupiter.api.Test;

class CloudIncrementalSyncFigureTest {
    @Test
    void probe() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchSettings settings = new BenchSettings(
                BenchSettings.Mode.TINY, Duration.ofMillis(2), null, System.getProperty("java.class.path"), null);
        BenchRunner.Report report = new BenchRunner(
                        FigureRegistry.load(getClass().getClassLoader()),
                        new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(settings, id -> id.endsWith("-incremental-sync-no-changes") && !id.startsWith("caldav"));
        System.out.println(log.toString(StandardCharsets.UTF_8));
        report.results().forEach(System.out::println);
        assertThat(report.failures()).isEmpty();
    }
}
