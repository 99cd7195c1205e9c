package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise: nothing lost, nothing doubled under faults, on every provider. Each provider's fake runs the
 * same seeded workload twice, without faults and with ~12% of calls faulted (latency spikes, 429 with and
 * without Retry-After, 500, 503, connection resets, truncated and slow bodies, answers lost after the
 * change was made, grants revoked mid-run, expired cursors on change reads) and one failing sub-request
 * in a multi-mailbox free/busy call. The final calendar equals the fault-free one; the change-feed mirror
 * equals it too. Short in the default run; {@code -Preliability-long} runs 400 operations × 5 seeds.
 */
class FaultSoakTest {

    static java.util.List<String> providers() {
        return Target.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void finalStateEqualsTheFaultFreeRun(String provider) {
        int ops = Figures.intProperty("reliability.soak.ops", 60);
        int seeds = Figures.intProperty("reliability.soak.seeds", 1);
        for (long seed = 17; seed < 17 + seeds; seed++) {
            SoakRun.Figures clean;
            try (Target t = Target.start(provider)) {
                clean = new SoakRun(t, seed, ops, false).run();
            }
            SoakRun.Figures faulted;
            try (Target t = Target.start(provider)) {
                faulted = new SoakRun(t, seed, ops, true).run();
            }
            Figures.record("soak", faulted.line());
            assertThat(clean.duplicates()).as("duplicates without faults").isZero();
            assertThat(clean.lost()).as("lost without faults").isZero();
            assertThat(faulted.faults()).as("faults injected").isPositive();
            assertThat(faulted.duplicates()).as("duplicates").isZero();
            assertThat(faulted.lost()).as("lost changes").isZero();
            assertThat(faulted.feedMismatches())
                    .as("change-feed mirror differs from the calendar")
                    .isZero();
            assertThat(faulted.batchFaultSurvived())
                    .as("one failing sub-request")
                    .isTrue();
            assertThat(faulted.finalState())
                    .as("final state equals the fault-free run")
                    .isEqualTo(clean.finalState());
        }
    }
}
