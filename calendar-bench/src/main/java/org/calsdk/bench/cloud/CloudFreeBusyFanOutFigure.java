package org.calsdk.bench.cloud;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.TimeWindow;

/**
 * Free/busy of N mailboxes over 30 days through the SDK in this JVM, on an open connection (one unmeasured
 * query first: connection set-up, JIT), against the provider's fake with the settings' latency on every
 * HTTP request: free/busy calls and round trips against the floor of {@link FreeBusyFloor}, wall time
 * against the critical-path floor (its round trips × latency), and the calling thread's CPU time.
 * Registered for google, graph and ews at 100, 1,000 and 10,000 mailboxes (10,000 in a full run only).
 */
public final class CloudFreeBusyFanOutFigure implements Figure {
    private final String provider;
    private final int mailboxes;

    public CloudFreeBusyFanOutFigure(String provider, int mailboxes) {
        this.provider = provider;
        this.mailboxes = mailboxes;
    }

    /** The nine figures: each cloud provider at 100, 1,000 and 10,000 mailboxes. */
    public static List<Figure> all() {
        List<Figure> out = new ArrayList<>();
        for (String p : CloudFake.PROVIDERS) {
            for (int n : new int[] {100, 1_000, 10_000}) {
                out.add(new CloudFreeBusyFanOutFigure(p, n));
            }
        }
        return out;
    }

    @Override
    public String id() {
        return provider + "-freebusy-fanout-" + mailboxes;
    }

    @Override
    public Optional<String> provider() {
        return Optional.of(provider);
    }

    @Override
    public List<String> units() {
        return List.of("calls", "round-trips", "ms", "ms CPU");
    }

    @Override
    public boolean runsIn(BenchSettings.Mode mode) {
        return switch (mode) {
            case TINY -> mailboxes <= 100;
            case QUICK -> mailboxes <= 1_000;
            case FULL -> true;
        };
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) {
        int n = s.mode() == BenchSettings.Mode.TINY ? Math.min(mailboxes, 5) : mailboxes;
        FreeBusyFloor floor = FreeBusyFloor.of(provider, n);
        try (CloudFake fake = CloudFake.start(provider, n);
                CalendarConnection c = CalendarProviders.load().connect(fake.config())) {
            FreeBusyRequest request =
                    FreeBusyRequest.of(CloudFake.mailboxes(n), TimeWindow.of(CloudFake.FROM, CloudFake.TO));
            check(c.freeBusy().query(request), n);
            fake.latency(s.latency());
            long calls0 = fake.freeBusyCalls();
            long trips0 = fake.roundTrips();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            FreeBusyResult r = c.freeBusy().query(request);
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            fake.latency(Duration.ZERO);
            check(r, n);
            long calls = fake.freeBusyCalls() - calls0;
            long trips = fake.roundTrips() - trips0;
            String label = provider + " free/busy, " + n + " mailboxes, 30 days, " + s.latencyMillis() + " ms latency";
            return List.of(
                    FigureResult.of(label + ": calls", calls, (double) floor.calls(), "calls"),
                    FigureResult.of(label + ": HTTP round trips", trips, (double) floor.roundTrips(), "round-trips"),
                    FigureResult.of(
                            label + ": wall time vs critical path (" + floor.criticalPath() + " round trips)",
                            wall / 1e6,
                            (double) floor.criticalPath() * s.latencyMillis(),
                            "ms"),
                    FigureResult.of(
                            label + ": calling thread's CPU (the fake serves on the same 2 cores)",
                            cpu / 1e6,
                            "ms CPU"));
        }
    }

    static void check(FreeBusyResult r, int n) {
        List<FreeBusy> l = r.results();
        if (l.size() != n) {
            throw new IllegalStateException("asked " + n + " mailboxes, got " + l.size());
        }
        int busy = 0;
        for (FreeBusy fb : l) {
            if (!fb.ok()) {
                throw new IllegalStateException("free/busy of " + fb.mailbox() + " failed: " + fb.error());
            }
            if (!fb.busy().isEmpty()) {
                busy++;
            }
        }
        if (busy < n) {
            throw new IllegalStateException(busy + " of " + n + " mailboxes show busy time; the seed gives each some");
        }
    }
}
