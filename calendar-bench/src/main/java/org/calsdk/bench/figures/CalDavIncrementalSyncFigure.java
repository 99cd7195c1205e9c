package org.calsdk.bench.figures;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.calsdk.api.CalendarConnection;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;

/**
 * Incremental sync with no changes over M mailboxes (1,000 in a quick run, 10,000 in a full one) of the
 * CalDAV fake: one cycle asks every mailbox which calendars changed since the tags seen last time
 * ({@code changedCalendars}, one Depth-1 PROPFIND on the home set) and finds none. Connections are opened
 * and the tags learnt before the cycle (one shared HTTP client). Figures: calls against the floor (1
 * PROPFIND per account, provider-facts.md); the client's CPU per mailbox (the harness thread's CPU time
 * via {@link ThreadMXBean}, the fake's own threads excluded); the cycle's wall time, mailboxes in
 * sequence on one thread with no injected latency (the fake shares the machine); and the projection of
 * the CPU figure to mailboxes per 5 minutes on all cores of this node (the sync-scale goal is 100,000).
 */
public final class CalDavIncrementalSyncFigure implements Figure {
    @Override
    public String id() {
        return "caldav-incremental-sync-no-changes";
    }

    @Override
    public Optional<String> provider() {
        return Optional.of("caldav");
    }

    @Override
    public List<String> units() {
        return List.of("calls", "µs CPU", "ms", "mailboxes");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) {
        int n = s.size(20, 1_000, 10_000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OkHttpClient http = new OkHttpClient();
        List<CalendarConnection> connections = new ArrayList<>(n);
        try (FakeCalDavServer dav = CalDavFixtures.openFake()) {
            CalDavProvider provider =
                    CalDavProvider.builder().okHttpClient(http).build();
            List<Mailbox> mailboxes = new ArrayList<>(n);
            List<Map<String, String>> tags = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String u = CalDavFixtures.user(i);
                CalendarConnection c = provider.connect(dav.connectionConfig(u).build());
                connections.add(c);
                Mailbox m = Mailbox.of(u + "@example.com");
                mailboxes.add(m);
                Map<String, String> known = new HashMap<>();
                for (Map.Entry<CalendarRef, String> e :
                        c.changes().changedCalendars(m, Map.of()).entrySet()) {
                    known.put(e.getKey().id(), e.getValue());
                }
                if (known.isEmpty()) {
                    throw new IllegalStateException(u + " has no calendar to watch");
                }
                tags.add(Map.copyOf(known));
            }
            cycle(connections, mailboxes, tags, Math.min(n, 200)); // warm-up
            long calls0 = dav.accounting().totalCalls();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            cycle(connections, mailboxes, tags, n);
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long calls = dav.accounting().totalCalls() - calls0;
            double cpuPerMailboxMicros = cpu / 1e3 / n;
            int cores = Runtime.getRuntime().availableProcessors();
            double perFiveMinutes = 300e6 * cores / cpuPerMailboxMicros;
            String label = "caldav incremental sync, no changes, " + String.format(java.util.Locale.ROOT, "%,d", n)
                    + " mailboxes";
            return List.of(
                    FigureResult.of(label + ": calls", calls, (double) n, "calls"),
                    FigureResult.of(label + ": client CPU per mailbox", cpuPerMailboxMicros, "µs CPU"),
                    FigureResult.of(
                            label + ": wall time of one cycle (sequential, no latency, " + cores + " cores)",
                            wall / 1e6,
                            "ms"),
                    FigureResult.of(
                            "incremental sync projection: mailboxes per 5 minutes on " + cores
                                    + " cores by client CPU (goal 100,000)",
                            perFiveMinutes,
                            "mailboxes"));
        } finally {
            for (CalendarConnection c : connections) {
                c.close();
            }
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static void cycle(
            List<CalendarConnection> cs, List<Mailbox> ms, List<Map<String, String>> tags, int count) {
        for (int i = 0; i < count; i++) {
            Map<CalendarRef, String> changed = cs.get(i).changes().changedCalendars(ms.get(i), tags.get(i));
            if (!changed.isEmpty()) {
                throw new IllegalStateException(ms.get(i) + ": nothing changed, yet " + changed.keySet() + " reported");
            }
        }
    }
}
