package org.calsdk.bench.cloud;

import java.util.ArrayList;
import java.util.List;
import org.calsdk.bench.harness.Figure;

/**
 * The figures of the cloud providers (Google, Graph, EWS): free/busy fan-out in this JVM, the
 * whole-process comparison of {@code calendar freebusy} with the official clients' comparators, incremental
 * sync with no changes through the sync engine, and start-up and footprint per provider module. {@link org.calsdk.bench.harness.FigureRegistry} adds them after
 * its CalDAV figures.
 */
public final class CloudFigures {
    private CloudFigures() {}

    /** Every cloud figure, in run order. */
    public static List<Figure> all() {
        List<Figure> out = new ArrayList<>(CloudFreeBusyFanOutFigure.all());
        for (String p : CloudFake.PROVIDERS) {
            out.add(new OfficialClientComparisonFigure(p, false));
            out.add(new OfficialClientComparisonFigure(p, true));
        }
        out.addAll(CloudIncrementalSyncFigure.all());
        for (String p : CloudFake.PROVIDERS) {
            out.add(new org.calsdk.bench.figures.CloudFootprintFigure(p));
        }
        return out;
    }
}
