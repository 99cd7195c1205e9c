package org.calsdk.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The issue 11 rules (CV, IV, WH) each catch their broken provider, and only their rule fails. */
class ContractBreakersTest {

    private static void failsExactly(Class<?> tck, String... rules) {
        TckRuns.Run run = BrokenProvidersTest.runTck(tck);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder(rules);
    }

    @Test
    void a_feed_that_states_a_coverage_it_does_not_keep_fails_the_coverage_rule() {
        failsExactly(ContractBreakers.WrongCoverageTck.class, "CV-001");
    }

    @Test
    void a_feed_that_lists_occurrences_without_their_series_fails_the_series_rule() {
        failsExactly(ContractBreakers.UnlinkedOccurrencesTck.class, "CV-002");
    }

    @Test
    void a_view_whose_close_closes_the_parent_fails_the_view_rule() {
        failsExactly(ContractBreakers.ViewClosesParentTck.class, "IV-001");
    }

    @Test
    void a_view_that_outlives_its_parent_fails_the_lifetime_rule() {
        failsExactly(ContractBreakers.ViewOutlivesParentTck.class, "IV-002");
    }

    @Test
    void webhooks_checked_against_the_providers_own_memory_fail_the_stored_record_rules() {
        failsExactly(ContractBreakers.TrustsItsOwnMemoryTck.class, "WH-001", "WH-002");
    }
}
