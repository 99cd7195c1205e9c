package org.calsdk.testkit.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a TCK subclass through the JUnit Platform Launcher and reports its outcome by rule id. */
public final class TckRuns {
    /** The rules that need a wire (an HTTP exchange to throttle, cut or log): skipped for in-process providers. */
    public static final Set<String> WIRE_RULES = Set.of("WI-001", "WI-002", "WI-003", "WI-004");

    private TckRuns() {}

    /** The outcome of one TCK run, by rule id. */
    public record Run(Set<String> failed, Set<String> skipped, int succeeded, List<String> failureMessages) {}

    public static Run run(Class<?> tckClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(tckClass))
                .build();
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
                        messages.add("CONTAINER: "
                                + result.getThrowable().map(Throwable::toString).orElse("?"));
                    }
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> ok[0]++;
                    case ABORTED -> skipped.add(ruleId(id));
                    case FAILED -> {
                        failed.add(ruleId(id));
                        messages.add(ruleId(id) + ": "
                                + result.getThrowable().map(Throwable::toString).orElse("?"));
                    }
                }
            }
        });
        return new Run(failed, skipped, ok[0], messages);
    }

    private static String ruleId(TestIdentifier id) {
        return id.getDisplayName().split(" ", 2)[0];
    }
}
