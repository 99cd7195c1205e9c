package org.calsdk.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The TCK catches deliberately broken providers: each wrapper fails exactly the rules about its defect,
 * and no other rule.
 */
class BrokenProvidersTest {

    /** The outcome of one TCK run. */
    record Run(Set<String> failed, Set<String> skipped, int succeeded, List<String> failureMessages) {}

    static Run runTck(Class<?> tckClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(tckClass)).build();
        Set<String> failed = new TreeSet<>();
        Set<String> skipped = new TreeSet<>();
        List<String> messages = new ArrayList<>();
        int[] ok = {0};
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) {
                    skipped.add(ruleId(id));
                }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        failed.add("CONTAINER " + id.getDisplayName());
                    }
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> ok[0]++;
                    case ABORTED -> skipped.add(ruleId(id));
                    case FAILED -> {
                        failed.add(ruleId(id));
                        messages.add(ruleId(id) + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
                    }
                }
            }
        });
        return new Run(failed, skipped, ok[0], messages);
    }

    private static String ruleId(TestIdentifier id) {
        return id.getDisplayName().split(" ", 2)[0];
    }

    @Test
    void the_reference_provider_passes_every_rule_through_the_launcher_too() {
        Run run = runTck(InMemoryProviderTckTest.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).isEmpty();
        assertThat(run.skipped()).isEmpty();
        assertThat(run.succeeded()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void a_provider_that_ignores_exdate_fails_the_exdate_rules() {
        Run run = runTck(BrokenProviders.IgnoresExdateTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("FB-006", "RD-004", "WR-010", "RD-101");
    }

    @Test
    void a_provider_that_drops_the_last_page_fails_the_paging_rule() {
        Run run = runTck(BrokenProviders.DropsLastPageTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("RD-003");
    }

    @Test
    void a_provider_that_retries_creates_blindly_fails_the_idempotency_rules() {
        Run run = runTck(BrokenProviders.BlindRetryCreateTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages())
                .containsExactlyInAnyOrder("WR-002", "WR-003");
    }

    @Test
    void a_provider_that_ignores_versions_fails_the_optimistic_concurrency_rules() {
        Run run = runTck(BrokenProviders.IgnoresVersionsTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("WR-005", "WR-006", "WR-101");
    }

    @Test
    void a_provider_that_loses_deletions_fails_the_deletion_rule() {
        Run run = runTck(BrokenProviders.LosesDeletionsTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("CH-003");
    }

    @Test
    void a_provider_that_never_asks_for_a_resync_fails_the_cursor_rules() {
        Run run = runTck(BrokenProviders.NeverResyncsTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("CH-004", "CH-005");
    }

    @Test
    void a_provider_that_reports_every_refusal_as_unknown_fails_the_reason_rules() {
        Run run = runTck(BrokenProviders.VagueAccessChecksTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("IM-101", "IM-102");
    }

    @Test
    void a_provider_that_ignores_a_cancellation_fails_the_cancel_rule() {
        Run run = runTck(BrokenProviders.IgnoresCancelTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("WR-102");
    }

    @Test
    void a_provider_whose_free_busy_fails_as_a_whole_fails_the_per_mailbox_rule() {
        Run run = runTck(BrokenProviders.AllOrNothingFreeBusyTck.class);
        assertThat(run.failed()).as("failures: %s", run.failureMessages()).containsExactlyInAnyOrder("FB-009");
    }
}
