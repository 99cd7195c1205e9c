package org.calsdk.bench.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.calsdk.bench.harness.BenchRunner;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.FigureRegistry;
import org.calsdk.bench.harness.FigureResult;
import org.junit.jupiter.api.Test;

/**
 * The cloud providers' fan-out figures in tiny mode (5 mailboxes): every provider's free/busy answers every
 * mailbox with busy time, and its calls and round trips meet the floor of provider-facts.md exactly (the
 * fakes count exactly; no time is asserted). And the floors themselves, at the sizes.
 */
class CloudFiguresTest {
    @Test
    void fanOutCountsMeetTheFloorOnEveryCloudFake() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchSettings settings = new BenchSettings(
                BenchSettings.Mode.TINY, Duration.ofMillis(2), null, System.getProperty("java.class.path"), null);
        BenchRunner.Report report = new BenchRunner(
                        FigureRegistry.load(getClass().getClassLoader()),
                        new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(settings, id -> id.matches("(google|graph|ews)-freebusy-fanout-100"));
        assertThat(report.failures()).as(log.toString(StandardCharsets.UTF_8)).isEmpty();
        List<FigureResult> counts = report.results().stream()
                .filter(r -> FigureResult.isRoundTrip(r.unit()))
                .toList();
        assertThat(counts).hasSize(6);
        assertThat(counts).allSatisfy(r -> assertThat(r.ratio()).as(r.name()).isEqualTo(1.0));
        assertThat(report.results())
                .extracting(FigureResult::name)
                .anyMatch(n -> n.startsWith("google "))
                .anyMatch(n -> n.startsWith("graph "))
                .anyMatch(n -> n.startsWith("ews "));
    }

    @Test
    void floorsFollowProviderFacts() {
        assertThat(FreeBusyFloor.of("google", 10_000)).isEqualTo(new FreeBusyFloor(200, 1, 1));
        assertThat(FreeBusyFloor.of("google", 100_000)).isEqualTo(new FreeBusyFloor(2_000, 2, 1));
        assertThat(FreeBusyFloor.of("graph", 1_000)).isEqualTo(new FreeBusyFloor(50, 3, 1));
        assertThat(FreeBusyFloor.of("graph", 10_000)).isEqualTo(new FreeBusyFloor(500, 25, 7));
        assertThat(FreeBusyFloor.of("ews", 10_000)).isEqualTo(new FreeBusyFloor(100, 100, 4));
        assertThat(FreeBusyFloor.of("ews", 100)).isEqualTo(new FreeBusyFloor(1, 1, 1));
    }
}
