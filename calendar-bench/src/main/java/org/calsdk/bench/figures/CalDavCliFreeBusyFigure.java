package org.calsdk.bench.figures;

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
import org.calsdk.testkit.caldav.FakeCalDavServer;

/**
 * Whole-process wall time of the SDK's {@code calendar freebusy} (a fresh {@code java -jar
 * calendar-cli.jar} process: JVM start, discovery, one outbox POST, printing) for N mailboxes over 30
 * days against the CalDAV fake with the settings' latency, and the round trips that process made. This is
 * the SDK's side of the comparison with the official clients' comparators (Google, Graph, EWS), which run
 * the same way through {@link ChildJvm}; CalDAV has no official client library, so it has no comparator
 * and no floor for the wall time here. The round-trip floor is discovery (well-known, principal, home
 * set: 3, provider-facts.md) plus the one outbox POST.
 */
public final class CalDavCliFreeBusyFigure implements Figure {
    private final int mailboxes;

    public CalDavCliFreeBusyFigure(int mailboxes) {
        this.mailboxes = mailboxes;
    }

    @Override
    public String id() {
        return "caldav-cli-freebusy-" + mailboxes;
    }

    @Override
    public Optional<String> provider() {
        return Optional.of("caldav");
    }

    @Override
    public List<String> units() {
        return List.of("ms", "round-trips");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        if (s.cliJar() == null || !Files.isRegularFile(s.cliJar())) {
            throw new IllegalStateException("no calendar-cli.jar to run (build it: mvn -pl examples -am package)");
        }
        int n = s.mode() == BenchSettings.Mode.TINY ? Math.min(mailboxes, 5) : mailboxes;
        Path dir = Files.createTempDirectory("bench-cli");
        try (FakeCalDavServer dav = CalDavFixtures.openFake()) {
            CalDavFixtures.seed(dav, n, 3);
            Path pw = dir.resolve("password");
            Files.writeString(pw, "bench-pw");
            Path conn = dir.resolve("connection.json");
            Files.writeString(
                    conn,
                    "{\"provider\": \"caldav\", \"url\": \"" + dav.url() + "\", \"username\": \"bench\","
                            + " \"password\": {\"file\": \"password\"}, \"allowPrivateNetwork\": true,"
                            + " \"mailbox\": \"bench@example.com\"}\n");
            List<String> args = new ArrayList<>(List.of(
                    "freebusy",
                    "--connection",
                    conn.toString(),
                    "--from",
                    CalDavFixtures.FROM.toString(),
                    "--to",
                    CalDavFixtures.TO.toString(),
                    "--json"));
            for (int i = 0; i < n; i++) {
                args.add("--mailbox");
                args.add(CalDavFixtures.user(i) + "@example.com");
            }
            // one unmeasured run warms the OS file cache for the jar; the CLI starts as ./calendar starts it
            ChildJvm.prepareCalendarLauncher(s);
            List<String> cmd = ChildJvm.calendarCommand(s);
            cmd.addAll(args);
            ChildJvm.run(cmd, 120).requireSuccess("calendar freebusy (warm-up)");
            dav.latency(s.latency());
            long trips0 = dav.accounting().roundTrips();
            ChildJvm.Outcome o = ChildJvm.run(cmd, 120).requireSuccess("calendar freebusy");
            long trips = dav.accounting().roundTrips() - trips0;
            dav.latency(Duration.ZERO);
            int listed = o.stdout().split("\"mailbox\"", -1).length - 1;
            if (listed != n) {
                throw new IllegalStateException("calendar freebusy listed " + listed + " mailboxes, expected " + n);
            }
            String label = "caldav `calendar freebusy` process, " + n + " mailboxes, 30 days, " + s.latencyMillis()
                    + " ms latency";
            return List.of(
                    FigureResult.of(
                            label + ": whole-process wall time (no comparator for CalDAV)", o.wallNanos() / 1e6, "ms"),
                    FigureResult.of(label + ": round trips incl. discovery", trips, 4.0, "round-trips"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
