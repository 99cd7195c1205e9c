package org.calsdk.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The TCK catches deliberately broken providers: each wrapper fails exactly the rules about its defect,
 * and no other rule.
 */
class BrokenProvidersTest {

    static TckRuns.Run runTck(Class<?> tckClass) {
        return TckRuns.run(tckClass);
    }

    @Test
    void the_reference_provider_passes_every_rule_through_the_launcher_too() {
        TckRuns.Run run = runTck(InMemoryProviderTckTest.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).isEmpty();
        assertThat(run.skipped())
                .as("only the wire-level rules: the reference provider has no wire")
                .containsExactlyInAnyOrderElementsOf(TckRuns.WIRE_RULES);
        assertThat(run.succeeded()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void a_provider_that_ignores_exdate_fails_the_exdate_rules() {
        TckRuns.Run run = runTck(BrokenProviders.IgnoresExdateTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("FB-006", "RD-004", "WR-010", "WR-101", "WR-102", "RD-101");
    }

    @Test
    void a_provider_that_drops_the_last_page_fails_the_paging_rule() {
        TckRuns.Run run = runTck(BrokenProviders.DropsLastPageTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("RD-003");
    }

    @Test
    void a_provider_that_retries_creates_blindly_fails_the_idempotency_rules() {
        TckRuns.Run run = runTck(BrokenProviders.BlindRetryCreateTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WR-002", "WR-003", "CH-103"); // its key never reached the service
    }

    @Test
    void a_provider_that_ignores_versions_fails_the_optimistic_concurrency_rules() {
        TckRuns.Run run = runTck(BrokenProviders.IgnoresVersionsTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WR-005", "WR-006", "WR-201");
    }

    @Test
    void a_provider_that_loses_deletions_fails_the_deletion_rule() {
        TckRuns.Run run = runTck(BrokenProviders.LosesDeletionsTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("CH-003", "CH-102", "CH-103");
    }

    @Test
    void a_provider_that_never_asks_for_a_resync_fails_the_cursor_rules() {
        TckRuns.Run run = runTck(BrokenProviders.NeverResyncsTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("CH-004", "CH-005");
    }

    @Test
    void a_provider_that_reports_every_refusal_as_unknown_fails_the_reason_rules() {
        TckRuns.Run run = runTck(BrokenProviders.VagueAccessChecksTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("IM-101", "IM-102");
    }

    @Test
    void a_provider_that_ignores_a_cancellation_fails_the_cancel_rule() {
        TckRuns.Run run = runTck(BrokenProviders.IgnoresCancelTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("WR-202");
    }

    @Test
    void a_provider_whose_free_busy_fails_as_a_whole_fails_the_per_mailbox_rule() {
        TckRuns.Run run = runTck(BrokenProviders.AllOrNothingFreeBusyTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("FB-009");
    }

    @Test
    void a_provider_whose_update_keeps_only_the_summary_fails_the_field_round_trip_rules() {
        TckRuns.Run run = runTck(BrokenProviders.UpdateKeepsOnlySummaryTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WR-102", "WR-103");
    }

    @Test
    void a_provider_whose_change_feed_stops_after_one_page_fails_the_feed_paging_rules() {
        TckRuns.Run run = runTck(BrokenProviders.FeedStopsAfterFirstPageTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("CH-101", "CH-102");
    }

    @Test
    void a_provider_that_drops_keys_from_deletions_fails_the_deletion_key_rule() {
        TckRuns.Run run = runTck(BrokenProviders.DeletionsWithoutKeysTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("CH-103");
    }

    @Test
    void a_provider_that_reports_tentative_time_as_busy_fails_the_tentative_rule() {
        TckRuns.Run run = runTck(BrokenProviders.TentativeAsBusyTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("FB-101");
    }

    @Test
    void a_provider_whose_create_loses_the_zone_fails_the_create_round_trip_and_dst_rules() {
        TckRuns.Run run = runTck(BrokenProviders.CreateLosesZoneTck.class);
        assertThat(run.failed())
                .as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WR-101", "FB-004");
    }

    @Test
    void a_provider_whose_set_up_check_calls_a_working_credential_refused_fails_the_credential_rule() {
        TckRuns.Run run = runTck(BrokenProviders.CredentialReportedInvalidTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("RD-102");
    }

    @Test
    void a_provider_that_ignores_notify_none_fails_the_silent_write_rule() {
        TckRuns.Run run = runTck(BrokenProviders.IgnoresNotifyNoneTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("WR-203");
    }

    @Test
    void a_provider_whose_organization_set_up_check_reports_a_false_problem_fails_the_set_up_rule() {
        TckRuns.Run run = runTck(BrokenProviders.SetupItemFailsTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("IM-103");
    }

    @Test
    void a_provider_whose_users_include_rooms_fails_the_directory_kinds_rule() {
        TckRuns.Run run = runTck(BrokenProviders.UsersIncludeRoomsTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("DIR-101");
    }

    @Test
    void a_provider_that_reads_an_unknown_group_as_empty_fails_the_unknown_group_rule() {
        TckRuns.Run run = runTck(BrokenProviders.UnknownGroupIsEmptyTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("DIR-102");
    }
}
