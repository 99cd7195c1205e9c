package org.calsdk.bench.cloud;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.calsdk.api.CalendarProviders;
import org.calsdk.auth.Secret;
import org.calsdk.bench.figures.SyncScaleFigure;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncReport;

/**
 * Incremental sync with no changes through a cloud provider (Google, Graph, EWS): the sync engine
 * ({@code calendar-sync}) on an in-memory H2 store, connected to the provider's fake as the organization's service
 * account ({@link CloudFake#startOrganization}, {@code SyncConnections.impersonating}), {@value
 * SyncScaleFigure#THREADS} workers, M mailboxes with 3 events each (TINY 5, QUICK {@value #QUICK}, FULL {@value
 * #FULL}). Every mailbox is synced once (a full read of its primary calendar) and once more with nothing changed,
 * both without latency and not measured (connections, tokens, JIT); then the measured cycle, with nothing changed
 * and the settings' latency on every HTTP request. The figures of that cycle:
 *
 * <ul>
 *   <li>API calls (inside batches each; token requests included) against the floor: one incremental read per
 *       calendar, M ({@link #floorCalls});</li>
 *   <li>HTTP round trips against the floor of {@link #floorRoundTrips};</li>
 *   <li>for every operation other than the incremental read, its calls (no floor: an idle cycle needs none);</li>
 *   <li>the client's CPU per mailbox: CPU time of the engine's threads and the calling thread (the provider
 *       client and the H2 store run on them), the fake's server threads excluded, against the sync-scale goal of
 *       500 µs;</li>
 *   <li>the cycle's wall time, and the projections to 100,000 mailboxes per 5 minutes of
 *       {@link SyncScaleFigure#projections}.</li>
 * </ul>
 *
 * The database side at scale (round trips and CPU on PostgreSQL) is {@code sync-scale-postgres}'s; this figure
 * is the provider side: what one idle cycle costs at each provider.
 */
public final class CloudIncrementalSyncFigure implements Figure {
    /** Mailboxes in a quick run. */
    static final int QUICK = 100;
    /** Mailboxes in a full run (the 10,000). */
    static final int FULL = 10_000;
    /** Google's calls in one HTTP batch. */
    static final int GOOGLE_BATCH = 1_000;
    /** Graph's requests in one {@code $batch}. */
    static final int GRAPH_BATCH = 20;

    private final String provider;

    public CloudIncrementalSyncFigure(String provider) {
        this.provider = provider;
    }

    /** One figure per cloud provider. */
    public static List<Figure> all() {
        List<Figure> out = new ArrayList<>();
        for (String p : CloudFake.PROVIDERS) {
            out.add(new CloudIncrementalSyncFigure(p));
        }
        return out;
    }

    @Override
    public String id() {
        return provider + "-incremental-sync-no-changes";
    }

    @Override
    public Optional<String> provider() {
        return Optional.of(provider);
    }

    @Override
    public List<String> units() {
        return List.of("calls", "round-trips", "µs CPU", "ms", "mailboxes");
    }

    /** The incremental read of one calendar, as the fake names it in its accounting. */
    static String readOperation(String provider) {
        return switch (provider) {
            case "google" -> "events.list";
            case "graph" -> "delta";
            case "ews" -> "SyncFolderItems";
            default -> throw new IllegalArgumentException("no cloud provider " + provider);
        };
    }

    /** The fewest API calls of a cycle over {@code n} mailboxes of one calendar each with nothing changed. */
    static long floorCalls(String provider, int n) {
        readOperation(provider); // rejects an unknown provider
        return n;
    }

    /**
     * The fewest HTTP round trips of such a cycle: Google ⌈n/1000⌉ (every call's part of an HTTP batch may carry
     * its own user's token), Graph ⌈n/20⌉ {@code $batch} requests (one app-only token reaches every mailbox), EWS
     * n ({@code SyncFolderItems} takes one folder and the impersonation header one mailbox; EWS has no batching).
     */
    static long floorRoundTrips(String provider, int n) {
        return switch (provider) {
            case "google" -> FreeBusyFloor.ceil(n, GOOGLE_BATCH);
            case "graph" -> FreeBusyFloor.ceil(n, GRAPH_BATCH);
            case "ews" -> n;
            default -> throw new IllegalArgumentException("no cloud provider " + provider);
        };
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        int n = s.size(5, QUICK, FULL);
        String url = "jdbc:h2:mem:calsdk-bench-" + UUID.randomUUID(); // dropped when the store's pool closes
        try (CloudFake fake = CloudFake.startOrganization(provider, n);
                JdbcSyncStateStore store = JdbcSyncStateStore.open(url, "sa", Secret.of(""))) {
            SyncScaleFigure.StepClock clock = new SyncScaleFigure.StepClock(Instant.parse("2026-05-01T00:00:00Z"));
            SyncConnections org =
                    SyncConnections.impersonating(CalendarProviders.load(), i -> fake.organizationConfig());
            try (SyncEngine engine = SyncScaleFigure.startedEngine(store, org, clock)) {
                store.saveIntegration(Integration.active("org", provider));
                for (Mailbox m : CloudFake.mailboxes(n)) {
                    store.addMailbox("org", m);
                }
                cycle("first (full) sync", n, engine, clock);
                cycle("warm-up", n, engine, clock);
                fake.latency(s.latency());
                Map<String, Long> calls0 = fake.callsPerOperation();
                long trips0 = fake.roundTrips();
                Map<Long, Long> cpu0 = clientThreadCpu();
                long t0 = System.nanoTime();
                cycle("measured", n, engine, clock);
                long wall = System.nanoTime() - t0;
                long cpu = cpuSince(cpu0);
                long trips = fake.roundTrips() - trips0;
                fake.latency(Duration.ZERO);
                Map<String, Long> calls = since(calls0, fake.callsPerOperation());
                return results(s, n, calls, trips, wall, cpu);
            }
        }
    }

    private List<FigureResult> results(
            BenchSettings s, int n, Map<String, Long> calls, long trips, long wall, long cpu) {
        String label = provider + " incremental sync, no changes, " + String.format(Locale.ROOT, "%,d", n)
                + " mailboxes, " + s.latencyMillis() + " ms latency";
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        long reads = calls.getOrDefault(readOperation(provider), 0L);
        if (reads < n) {
            throw new IllegalStateException(label + ": " + reads + " incremental reads for " + n + " mailboxes");
        }
        List<FigureResult> out = new ArrayList<>();
        out.add(FigureResult.of(label + ": API calls", total, (double) floorCalls(provider, n), "calls"));
        out.add(FigureResult.of(
                label + ": HTTP round trips", trips, (double) floorRoundTrips(provider, n), "round-trips"));
        for (Map.Entry<String, Long> e : calls.entrySet()) {
            if (!e.getKey().equals(readOperation(provider))) {
                // no floor to divide by: an idle cycle needs none of them (tokens outlive a 5-minute cycle)
                out.add(FigureResult.of(
                        label + ": " + e.getKey() + " calls besides the incremental reads (the floor has none)",
                        e.getValue(),
                        "calls"));
            }
        }
        double cpuPerMailboxUs = cpu / 1e3 / n;
        out.add(FigureResult.of(
                label + ": client CPU per mailbox (engine, provider client, H2; the fake excluded) vs the 500 µs goal",
                cpuPerMailboxUs,
                500.0,
                "µs CPU"));
        out.add(FigureResult.of(
                label + ": wall time of the cycle (" + SyncScaleFigure.THREADS + " threads)", wall / 1e6, "ms"));
        out.addAll(SyncScaleFigure.projections(label + ": ", n, wall, cpuPerMailboxUs));
        return out;
    }

    private static void cycle(String what, int n, SyncEngine engine, SyncScaleFigure.StepClock clock) {
        clock.advance(Duration.ofHours(1)); // every mailbox due again
        SyncReport report = engine.runOnce();
        long ok = report.results().stream()
                .filter(r -> r.outcome() == MailboxSyncResult.Outcome.OK)
                .count();
        if (ok != n) {
            String first = report.results().stream()
                    .filter(r -> r.outcome() != MailboxSyncResult.Outcome.OK)
                    .findFirst()
                    .map(Object::toString)
                    .orElse("none missing");
            throw new IllegalStateException(what + " cycle: " + ok + " of " + n + " mailboxes synced OK; " + first);
        }
    }

    private static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((op, c) -> {
            long d = c - before.getOrDefault(op, 0L);
            if (d > 0) {
                out.put(op, d);
            }
        });
        return out;
    }

    /**
     * CPU time so far of the client's threads: the engine's ({@code calsdk-} named: workers, scheduler, lease
     * renewer) and this one, by thread id. The fake's threads (MockWebServer's) and OkHttp's shared task runner
     * are left out.
     */
    private static Map<Long, Long> clientThreadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        long self = Thread.currentThread().getId();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && (t.getThreadId() == self || t.getThreadName().startsWith("calsdk-"))) {
                long c = mx.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    out.put(t.getThreadId(), c);
                }
            }
        }
        return out;
    }

    /** The client threads' CPU since {@code before} (a thread started since counts from 0). */
    private static long cpuSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : clientThreadCpu().entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }
}
