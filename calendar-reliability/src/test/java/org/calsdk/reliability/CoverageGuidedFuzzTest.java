package org.calsdk.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The default run's coverage-guided fuzzing: one Jazzer run over all seven readers of {@link HostileInputs}
 * (the first byte of an input picks the reader, the rest is what it reads), so the agent starts once for
 * all of them. The module's surefire configuration sets {@code JAZZER_FUZZ=1}, a fixed libFuzzer seed, the
 * budget ({@code -max_total_time}, property {@code reliability.jazzer.seconds}) and where a finding goes
 * ({@code target/jazzer-findings/crash-<sha1>}); the seeds are under {@code CoverageGuidedFuzzTestInputs/fuzz/}.
 * A finding fails the build with the reproducer saved; copy it into that folder (or the reader's own
 * {@code Jazzer*FuzzTestInputs/fuzz/}, without the first byte) once the reader is fixed, so that
 * {@link CorpusReplayTest} keeps it as a regression. Without {@code JAZZER_FUZZ} (e.g.
 * {@code -Dreliability.jazzer.fuzz=0}) Jazzer only replays the seeds. The per-reader targets
 * ({@code Jazzer*FuzzTest}) fuzz longer in the {@code reliability-long} profile.
 */
class CoverageGuidedFuzzTest {
    @BeforeAll
    static void findingsFolder() throws IOException {
        JazzerFindings.prepare();
    }

    @FuzzTest(maxDuration = "30s")
    void fuzz(byte[] input) {
        HostileInputs.feed("all-readers", input);
    }

    @AfterAll
    static void figures() {
        Map<String, Long> per = new TreeMap<>();
        HostileInputs.SELECTED.forEach((k, v) -> per.put(k, v.get()));
        Figures.record(
                "fuzz",
                "jazzer all readers (default run, " + JazzerFindings.budget() + "): " + HostileInputs.EXECUTIONS.get()
                        + " executions " + per + ", " + HostileInputs.REFUSED.get() + " refused with a typed error, "
                        + HostileInputs.CRASHES.get() + " crashes, findings in " + JazzerFindings.folder());
    }
}
