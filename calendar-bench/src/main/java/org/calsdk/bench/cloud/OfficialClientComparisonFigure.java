package org.calsdk.bench.cloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.ChildJvm;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.model.Mailbox;

/**
 * The SDK against the official client libraries, whole process against whole process: the wall time
 * (fork to exit) of {@code calendar freebusy} (started as the {@code ./calendar} launcher starts it, see
 * {@link ChildJvm#calendarCommand}) for N mailboxes over 30 days, and of the
 * careful and the naive comparator of {@code calendar-bench-comparators} ({@code java -cp ...
 * ComparatorMain}), each against the same fake with the same latency on every HTTP request, with the HTTP
 * round trips each process made and the CPU it burnt (user + system, from bash's {@code time}). In a full
 * run every process runs once unmeasured first (without latency), so the jars are in the OS cache for all
 * alike. The goal: the SDK at most 0.5 × the careful comparator's
 * time, and at least 25 × faster than the naive one. N is 100 in a quick run and 1,000 in a full one (the
 * naive comparator makes N sequential round trips), plus 10,000 without the naive comparator in a full run.
 */
public final class OfficialClientComparisonFigure implements Figure {
    static final String MAIN = "org.calsdk.bench.comparators.ComparatorMain";
    private final String provider;
    private final boolean large;

    /**
     * @param large false: 100 mailboxes in a quick run, 1,000 in a full one, with the naive comparator;
     *              true: 10,000 mailboxes, full runs only, without the naive comparator (10,000 sequential
     *              round trips would take over 8 minutes)
     */
    public OfficialClientComparisonFigure(String provider, boolean large) {
        this.provider = provider;
        this.large = large;
    }

    @Override
    public String id() {
        return provider + "-vs-official-client" + (large ? "-10000" : "");
    }

    @Override
    public boolean runsIn(BenchSettings.Mode mode) {
        return !large || mode == BenchSettings.Mode.FULL;
    }

    @Override
    public Optional<String> provider() {
        return Optional.of(provider);
    }

    @Override
    public List<String> units() {
        return List.of("ms", "ms CPU", "round-trips", "×");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        if (s.cliJar() == null || !Files.isRegularFile(s.cliJar())) {
            throw new IllegalStateException("no calendar-cli.jar to run (build it: mvn -pl examples -am package)");
        }
        String cp = ComparatorClasspath.resolve(s.repoRoot());
        int n = large ? 10_000 : s.size(5, 100, 1_000);
        boolean naiveToo = !large;
        FreeBusyFloor floor = FreeBusyFloor.of(provider, n);
        Path dir = Files.createTempDirectory("bench-vs-official");
        try (CloudFake fake = CloudFake.start(provider, n)) {
            Path conn = fake.writeConnectionFile(dir);
            Path secret = fake.writeSecret(dir);
            Path list = dir.resolve("mailboxes.txt");
            List<String> cli = new ArrayList<>(List.of(
                    "freebusy",
                    "--connection",
                    conn.toString(),
                    "--from",
                    CloudFake.FROM.toString(),
                    "--to",
                    CloudFake.TO.toString(),
                    "--json"));
            List<String> lines = new ArrayList<>();
            for (Mailbox m : CloudFake.mailboxes(n)) {
                cli.add("--mailbox");
                cli.add(m.email());
                lines.add(m.email());
            }
            Files.write(list, lines);
            List<String> careful = comparatorArgs(fake, "careful", secret, list);
            List<String> naive = comparatorArgs(fake, "naive", secret, list);

            // warm the OS file cache and the fake (no latency yet)
            // the CLI starts as ./calendar starts it (its JVM options and class-data-sharing archive, made
            // here before anything is timed); the comparators as java -cp with the launcher's other JVM options
            ChildJvm.prepareCalendarLauncher(s);
            List<String> sdkCmd = ChildJvm.calendarCommand(s);
            sdkCmd.addAll(cli);
            List<String> carefulCmd = new ArrayList<>(List.of(ChildJvm.java()));
            carefulCmd.addAll(ChildJvm.LAUNCHER_JVM_OPTIONS);
            carefulCmd.addAll(List.of("-cp", cp, MAIN));
            carefulCmd.addAll(careful);
            List<String> naiveCmd = new ArrayList<>(List.of(ChildJvm.java()));
            naiveCmd.addAll(ChildJvm.LAUNCHER_JVM_OPTIONS);
            naiveCmd.addAll(List.of("-cp", cp, MAIN));
            naiveCmd.addAll(naive);
            if (s.mode() == BenchSettings.Mode.FULL) {
                // quick runs skip this: the CLI jar is warm from the CalDAV figures, the comparators' jars from
                // the first provider's run
                ChildJvm.run(sdkCmd, 300).requireSuccess("calendar freebusy (warm-up)");
                ChildJvm.run(carefulCmd, 300).requireSuccess("careful comparator (warm-up)");
            }

            fake.latency(s.latency());
            Run sdk = run(fake, sdkCmd, 300, "calendar freebusy");
            int listed = sdk.outcome.stdout().split("\"mailbox\"", -1).length - 1;
            if (listed != n) {
                throw new IllegalStateException("calendar freebusy listed " + listed + " mailboxes, expected " + n);
            }
            Run c = run(fake, carefulCmd, 600, "careful comparator");
            Run v = naiveToo ? run(fake, naiveCmd, 1800, "naive comparator") : null;
            fake.latency(Duration.ZERO);
            for (Run r : naiveToo ? List.of(c, v) : List.of(c)) {
                if (r.outcome.number("MAILBOXES") != n) {
                    throw new IllegalStateException(
                            "a comparator answered " + r.outcome.number("MAILBOXES") + " of " + n);
                }
            }
            String label = provider + " free/busy, " + n + " mailboxes, 30 days, " + s.latencyMillis() + " ms latency";
            double sdkMs = sdk.outcome.wallNanos() / 1e6;
            double carefulMs = c.outcome.wallNanos() / 1e6;
            List<FigureResult> out = new ArrayList<>();
            out.add(FigureResult.of(
                    label + ": `calendar freebusy` whole process vs critical path",
                    sdkMs,
                    (double) floor.criticalPath() * s.latencyMillis(),
                    "ms"));
            out.add(FigureResult.of(
                    label + ": careful official client (" + careful(provider) + "), whole process", carefulMs, "ms"));
            out.add(FigureResult.of(
                    label + ": SDK time ÷ careful official client's (goal ≤ 0.5)", sdkMs / carefulMs, "×"));
            if (v != null) {
                double naiveMs = v.outcome.wallNanos() / 1e6;
                out.add(FigureResult.of(
                        label + ": naive official client (one call per mailbox, in sequence), whole process",
                        naiveMs,
                        "ms"));
                out.add(FigureResult.of(
                        label + ": naive official client's time ÷ SDK's (goal ≥ 25)", naiveMs / sdkMs, "×"));
            }
            out.add(FigureResult.of(label + ": `calendar freebusy` process CPU (user + system)", sdk.cpuMs, "ms CPU"));
            out.add(FigureResult.of(
                    label + ": careful official client process CPU (user + system)", c.cpuMs, "ms CPU"));
            out.add(FigureResult.of(
                    label + ": `calendar freebusy` process HTTP round trips",
                    sdk.trips,
                    (double) floor.roundTrips(),
                    "round-trips"));
            out.add(FigureResult.of(
                    label + ": careful official client HTTP round trips",
                    c.trips,
                    (double) floor.roundTrips(),
                    "round-trips"));
            if (v != null) {
                out.add(FigureResult.of(
                        label + ": naive official client HTTP round trips",
                        v.trips,
                        (double) floor.roundTrips(),
                        "round-trips"));
            }
            return out;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String careful(String provider) {
        return switch (provider) {
            case "google" -> "freebusy.query of 50 calendars, all in one HTTP batch";
            case "graph" -> "$batch of 20 getSchedule calls of 20 schedules, batches in sequence";
            default -> "GetUserAvailability for 100 mailboxes at a time, in sequence";
        };
    }

    private List<String> comparatorArgs(CloudFake fake, String style, Path secret, Path list) {
        List<String> a = new ArrayList<>(List.of(
                provider,
                style,
                fake.endpoint(),
                secret.toString(),
                CloudFake.FROM.toString(),
                CloudFake.TO.toString(),
                list.toString()));
        if (provider.equals("graph")) {
            a.add(CloudFake.ORGANIZER);
        }
        return a;
    }

    private record Run(ChildJvm.Outcome outcome, long trips, double cpuMs) {}

    /**
     * Runs {@code cmd} under bash's {@code time}, which reports the process's user and system CPU: on a
     * shared machine the CPU a process burns is steadier than its wall time.
     */
    private static Run run(CloudFake fake, List<String> cmd, long timeoutSeconds, String what) throws Exception {
        List<String> timed =
                new ArrayList<>(List.of("bash", "-c", "TIMEFORMAT='BENCH_CPU %3U %3S'; time \"$@\"", "bench-time"));
        timed.addAll(cmd);
        long t0 = fake.roundTrips();
        ChildJvm.Outcome o = ChildJvm.run(timed, timeoutSeconds).requireSuccess(what);
        long trips = fake.roundTrips() - t0;
        double cpu = -1;
        for (String line : o.stderr().split("\n")) {
            if (line.startsWith("BENCH_CPU ")) {
                String[] f = line.trim().split(" ");
                cpu = (Double.parseDouble(f[1]) + Double.parseDouble(f[2])) * 1000;
            }
        }
        if (cpu < 0) {
            throw new IllegalStateException(what + ": bash's time reported no CPU time");
        }
        return new Run(o, trips, cpu);
    }
}
