package org.calsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.calsdk.testkit.tck.TckRuns;
import org.junit.jupiter.api.Test;

/**
 * The TCK's wire-level rules catch providers whose defect shows only on the wire (a header not sent, a
 * pause not taken, an I/O error not typed), through the example HTTP provider and its fake server.
 */
class BrokenWireProvidersTest {

    @Test
    void the_example_provider_passes_every_wire_rule() {
        TckRuns.Run run = TckRuns.run(MemoryHttpProviderTckTest.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).isEmpty();
        assertThat(run.skipped()).doesNotContainAnyElementsOf(TckRuns.WIRE_RULES);
    }

    @Test
    void a_provider_that_drops_if_match_on_update_fails_at_the_wire_and_at_the_spi() {
        TckRuns.Run run = TckRuns.run(BrokenWireProviders.DropsIfMatchOnUpdateTck.class);
        // WI-004 sees the missing header in the server's request log; WR-005 and WR-201 see stale writes succeed.
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WI-004", "WR-005", "WR-201");
    }

    @Test
    void a_provider_that_ignores_retry_after_fails_the_pause_rule() {
        TckRuns.Run run = TckRuns.run(BrokenWireProviders.IgnoresRetryAfterTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("WI-001");
    }

    @Test
    void a_provider_that_reads_around_the_transport_fails_the_cut_answer_rules() {
        TckRuns.Run run = TckRuns.run(BrokenWireProviders.ReadsAroundTheTransportTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WI-002", "WI-003");
    }
}
