package org.calsdk.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.BestOf;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;

/**
 * Recurrence expansion on {@link ExpandBenchmark}'s data set (10,000 series over 2026, 686,695
 * occurrences), harness-timed (best of k): series by series, and merged into one sorted stream, against
 * the sorting floor measured in the same run: sorting as many primitive keys as there are occurrences
 * (n log n comparisons; a merged stream must at least order them).
 */
public final class ExpandFigure implements Figure {
    @Override
    public String id() {
        return "recurrence";
    }

    @Override
    public List<String> units() {
        return List.of("ms");
    }

    @Override
    public boolean runsIn(BenchSettings.Mode mode) {
        return mode != BenchSettings.Mode.TINY; // 10,000 series take seconds to build
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) {
        ExpandBenchmark b = new ExpandBenchmark();
        b.setUp();
        long occurrences = b.expandEachSeries();
        long[] keys = new Random(7).longs(occurrences).toArray();
        int warm = s.size(0, 1, 2);
        int runs = s.size(1, 2, 5);
        double sort = BestOf.millis(warm, runs, () -> {
            long[] c = keys.clone();
            Arrays.sort(c);
            return c;
        });
        double each = BestOf.millis(warm, runs, b::expandEachSeries);
        double merged = BestOf.millis(warm, runs, b::expandAllMerged);
        String label = String.format(
                java.util.Locale.ROOT,
                "recurrence, %,d series, %,d occurrences in a year",
                ExpandBenchmark.SERIES,
                occurrences);
        List<FigureResult> out = new ArrayList<>();
        out.add(FigureResult.of(label + ": expand each series vs sorting n keys", each, sort, "ms"));
        out.add(FigureResult.of(label + ": expand all, merged by start, vs sorting n keys", merged, sort, "ms"));
        return out;
    }
}
