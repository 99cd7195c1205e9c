package org.calsdk.bench.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.FigureResult;
import org.junit.jupiter.api.Test;

/**
 * The cloud incremental-sync figures in tiny mode (5 mailboxes, the sync engine on H2 against each fake as the
 * organization's service account): every mailbox's idle pass is one incremental read of its calendar, the
 * calls the figure reports are those reads plus the operations it names, EWS meets its floor exactly, and the
 * floors follow provider-facts.md. No time is asserted.
 */
class CloudIncrementalSyncFigureTest {
    private static final BenchSettings TINY = new BenchSettings(
            BenchSettings.Mode.TINY, Duration.ofMillis(2), null, System.getProperty("java.class.path"), null);

    @Test
    void anIdleCycleIsOneIncrementalReadPerMailboxPlusTheCallsItNames() throws Exception {
        for (String provider : CloudFake.PROVIDERS) {
            List<FigureResult> r = new CloudIncrementalSyncFigure(provider).measure(TINY);
            FigureResult calls = only(r, ": API calls");
            FigureResult trips = only(r, ": HTTP round trips");
            double besides = r.stream()
                    .filter(f -> f.name().contains("calls besides the incremental reads"))
                    .mapToDouble(FigureResult::value)
                    .sum();
            assertThat(calls.value() - besides)
                    .as(provider + ": incremental reads")
                    .isEqualTo(5.0);
            assertThat(calls.floor()).as(provider).isEqualTo(5.0);
            assertThat(trips.value()).as(provider + ": round trips ≥ the floor").isGreaterThanOrEqualTo(trips.floor());
            assertThat(r).allSatisfy(f -> assertThat(f.name()).startsWith(provider + " incremental sync"));
            assertThat(only(r, "client CPU per mailbox").value()).isPositive();
            if (provider.equals("ews")) {
                assertThat(calls.ratio()).isEqualTo(1.0);
                assertThat(trips.ratio()).isEqualTo(1.0);
            }
        }
    }

    @Test
    void floorsFollowProviderFacts() {
        assertThat(CloudIncrementalSyncFigure.floorCalls("google", 10_000)).isEqualTo(10_000);
        assertThat(CloudIncrementalSyncFigure.floorRoundTrips("google", 10_000)).isEqualTo(10);
        assertThat(CloudIncrementalSyncFigure.floorRoundTrips("google", 100_001))
                .isEqualTo(101);
        assertThat(CloudIncrementalSyncFigure.floorRoundTrips("graph", 10_000)).isEqualTo(500);
        assertThat(CloudIncrementalSyncFigure.floorRoundTrips("graph", 5)).isEqualTo(1);
        assertThat(CloudIncrementalSyncFigure.floorRoundTrips("ews", 10_000)).isEqualTo(10_000);
    }

    private static FigureResult only(List<FigureResult> r, String part) {
        List<FigureResult> m = r.stream().filter(f -> f.name().contains(part)).toList();
        assertThat(m).as(part).hasSize(1);
        return m.get(0);
    }
}
