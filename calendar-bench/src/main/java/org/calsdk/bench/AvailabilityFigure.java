package org.calsdk.bench;

import java.util.ArrayList;
import java.util.List;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.BestOf;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;

/**
 * The availability engine on {@link AvailabilityBenchmark}'s data set (scale 1: 50 participants, 45,000
 * busy intervals over 90 days; a full run adds scale 10), harness-timed (best of k), against the sorting
 * floor measured in the same run: sorting the same intervals as objects by (start, end), the n log n
 * comparisons any engine taking these objects must at least make, and sorting their starts as primitive
 * longs (a lower floor still).
 */
public final class AvailabilityFigure implements Figure {
    @Override
    public String id() {
        return "availability";
    }

    @Override
    public List<String> units() {
        return List.of("ms");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) {
        List<FigureResult> out = new ArrayList<>();
        List<Integer> scales = s.mode() == BenchSettings.Mode.FULL ? List.of(1, 10) : List.of(1);
        int warm = s.size(0, 5, 10);
        int runs = s.size(1, 10, 20);
        for (int scale : scales) {
            AvailabilityBenchmark b = new AvailabilityBenchmark();
            b.scale = scale;
            b.setUp();
            double engine = BestOf.millis(warm, scale == 1 ? runs : Math.max(1, runs / 5), b::availability);
            double sortObjects = BestOf.millis(warm, scale == 1 ? runs : Math.max(1, runs / 5), b::sortIntervals);
            double sortStarts = BestOf.millis(warm, scale == 1 ? runs : Math.max(1, runs / 5), b::sortStarts);
            String label = String.format(
                    java.util.Locale.ROOT,
                    "availability, %d participants, %,d intervals, 90 days",
                    50 * scale,
                    b.allIntervals.size());
            out.add(FigureResult.of(label + ": engine vs sorting the interval objects", engine, sortObjects, "ms"));
            out.add(FigureResult.of(label + ": engine vs sorting primitive starts", engine, sortStarts, "ms"));
        }
        return out;
    }
}
