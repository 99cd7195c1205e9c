package org.calsdk.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer, coverage-guided, on the graph-json reader (see {@link HostileInputs}). The default run replays the
 * inputs under {@code src/test/resources/org/calsdk/reliability/JazzerGraphJsonFuzzTestInputs/}; with
 * {@code -Preliability-long} (JAZZER_FUZZ=1) it fuzzes for the duration below. Only a typed error may come out.
 */
class JazzerGraphJsonFuzzTest {
    @BeforeAll
    static void findingsFolder() throws java.io.IOException {
        JazzerFindings.prepare();
    }

    @FuzzTest(maxDuration = "30s")
    void fuzz(byte[] input) {
        HostileInputs.feed("graph-json", input);
    }

    @AfterAll
    static void figures() {
        Figures.record(
                "fuzz",
                "jazzer graph-json: " + HostileInputs.EXECUTIONS.get() + " executions, " + HostileInputs.CRASHES.get()
                        + " crashes");
    }
}
