package org.calsdk.bench.figures;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.ChildJvm;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.testkit.caldav.FakeCalDavServer;

/**
 * Full sync of one calendar of E events (100,000 in a full run; fewer in a quick one, and the figure's
 * name says how many) from the CalDAV fake, by the CalDAV provider in a child JVM limited to
 * {@code -Xmx256m} ({@link FullSyncChild}); the fake runs in the harness's JVM and sets no bound of its own
 * on sync-collection answers: the provider asks for at most 1,000 members per answer ({@code DAV:limit},
 * RFC 6578 §3.7), since one answer of 100,000 changes would exceed its 16 MB response cap. Figures: peak heap of the
 * child against the 256 MB ceiling (all it used, garbage included, and the most that survived a collection), and events per second (child's read time; no injected latency).
 */
public final class CalDavFullSyncFigure implements Figure {
    @Override
    public String id() {
        return "caldav-full-sync";
    }

    @Override
    public Optional<String> provider() {
        return Optional.of("caldav");
    }

    @Override
    public List<String> units() {
        return List.of("MB", "events/s");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        int n = s.size(200, 10_000, 100_000);
        try (FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("bench", "bench-pw")
                .calendar("bench", "big", "Big")
                .build()
                .start()) {
            Instant base = Instant.parse("2026-01-05T08:00:00Z");
            for (int i = 0; i < n; i++) {
                Instant start = base.plusSeconds(1800L * i);
                dav.putEvent(
                        "bench",
                        "big",
                        "ev" + i + ".ics",
                        CalDavFixtures.event(
                                "ev" + i,
                                start,
                                start.plusSeconds(1800),
                                i % 50 == 0 ? "RRULE:FREQ=WEEKLY;COUNT=10\r\n" : ""));
            }
            ChildJvm.Outcome o = ChildJvm.runMain(
                            List.of("-Xmx256m"),
                            s.childClasspath(),
                            FullSyncChild.class.getName(),
                            List.of(dav.url(), "bench", "bench-pw", "/calendars/bench/big/"),
                            1800)
                    .requireSuccess("full sync child");
            long events = (long) o.number("EVENTS");
            if (events != n) {
                throw new IllegalStateException("full sync read " + events + " events of " + n);
            }
            String label = String.format(
                    Locale.ROOT,
                    "caldav full sync of %,d events (child JVM -Xmx256m, the client asks "
                            + "for 1,000 changes per sync-collection answer)",
                    n);
            return List.of(
                    FigureResult.of(
                            label + ": peak heap used (garbage included) vs the 256 MB ceiling",
                            o.number("PEAK_HEAP_MB"),
                            256.0,
                            "MB"),
                    FigureResult.of(
                            label + ": peak heap after GC (live) vs the 256 MB ceiling",
                            o.number("PEAK_LIVE_MB"),
                            256.0,
                            "MB"),
                    FigureResult.of(label + ": events per second", n / o.number("SECONDS"), "events/s"));
        }
    }
}
