package org.calsdk.bench.figures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.caldav.FakeCalDavServer;

/**
 * CalDAV free/busy of N other mailboxes over 30 days, on an open connection (discovery done before),
 * with the settings' latency on every request: calls and round trips against the floor of
 * provider-facts.md (RFC 6638: 1 outbox POST for all of them), and wall time against the critical-path
 * floor (that one round trip × latency), and the CPU time of the calling thread (the SDK's share: the fake
 * expands every mailbox's events on its own threads, on the same machine). Each mailbox holds 3 events (one a weekly series the fake
 * expands).
 */
public final class CalDavFreeBusyFanOutFigure implements Figure {
    private final int mailboxes;

    public CalDavFreeBusyFanOutFigure(int mailboxes) {
        this.mailboxes = mailboxes;
    }

    @Override
    public String id() {
        return "caldav-freebusy-fanout-" + mailboxes;
    }

    @Override
    public Optional<String> provider() {
        return Optional.of("caldav");
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
        try (FakeCalDavServer dav = CalDavFixtures.openFake()) {
            CalDavFixtures.seed(dav, n, 3);
            try (CalendarConnection c = CalDavProvider.builder()
                    .build()
                    .connect(dav.connectionConfig("bench").build())) {
                TimeWindow window = TimeWindow.of(CalDavFixtures.FROM, CalDavFixtures.TO);
                List<Mailbox> who = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    who.add(Mailbox.of(CalDavFixtures.user(i) + "@example.com"));
                }
                FreeBusyRequest request = FreeBusyRequest.of(who, window);
                check(c.freeBusy().query(request), n); // warm-up: discovery, JIT
                dav.latency(s.latency());
                RequestAccounting a = dav.accounting();
                long calls0 = a.totalCalls();
                long trips0 = a.roundTrips();
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                FreeBusyResult r = c.freeBusy().query(request);
                long wall = System.nanoTime() - t0;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                dav.latency(Duration.ZERO);
                check(r, n);
                long calls = a.totalCalls() - calls0;
                long trips = a.roundTrips() - trips0;
                String label = "caldav free/busy, " + n + " mailboxes, 30 days, " + s.latencyMillis() + " ms latency";
                double floorTrips = 1; // one outbox POST (RFC 6638), provider-facts.md
                return List.of(
                        FigureResult.of(label + ": calls", calls, floorTrips, "calls"),
                        FigureResult.of(label + ": round trips", trips, floorTrips, "round-trips"),
                        FigureResult.of(
                                label + ": wall time vs critical path",
                                wall / 1e6,
                                floorTrips * s.latencyMillis(),
                                "ms"),
                        FigureResult.of(
                                label + ": client CPU (the rest of the wall time is the fake's work and waiting)",
                                cpu / 1e6,
                                "ms CPU"));
            }
        }
    }

    private static void check(FreeBusyResult r, int n) {
        List<FreeBusy> l = r.results();
        if (l.size() != n) {
            throw new IllegalStateException("asked " + n + " mailboxes, got " + l.size());
        }
        for (FreeBusy fb : l) {
            if (!fb.ok()) {
                throw new IllegalStateException("free/busy of " + fb.mailbox() + " failed: " + fb.error());
            }
            if (fb.busy().isEmpty()) {
                throw new IllegalStateException(
                        "free/busy of " + fb.mailbox() + " shows no busy time; the seed has some");
            }
        }
    }
}
