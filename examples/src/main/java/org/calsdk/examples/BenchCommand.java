package org.calsdk.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.calsdk.bench.harness.BenchMain;
import org.calsdk.bench.harness.BenchRunner;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.errors.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar bench [--quick] [--json FILE] [--write-docs] [--only ID]...}: runs the benchmark
 * harness of calendar-bench (round trips against the fakes with latency injected, CPU, memory, start-up)
 * and prints the table as markdown. {@code --json} writes one entry per figure
 * ({@code name, value, floor, unit, ratio}); {@code --write-docs} replaces the "latest run" section of
 * {@code docs/benchmarks.md} in the source tree above the working directory. Exit status 1 when a figure
 * could not be measured (the others are still reported).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs the benchmarks against the testkit fakes and prints the table (markdown).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "smaller sizes: finishes in under 3 minutes on a 2-core machine")
    boolean quick;

    @Option(names = "--tiny", hidden = true, description = "seconds-long run for the harness's own tests")
    boolean tiny;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as a JSON array")
    Path json;

    @Option(names = "--write-docs", description = "update the latest-run section of docs/benchmarks.md")
    boolean writeDocs;

    @Option(
            names = "--only",
            paramLabel = "ID",
            description = "run only the figures whose id starts with ID (repeatable)")
    List<String> only = new ArrayList<>();

    @Option(
            names = "--latency-ms",
            paramLabel = "MS",
            defaultValue = "50",
            description = "latency the fakes add per HTTP request (default 50)")
    long latencyMs;

    @Override
    public Integer call() throws Exception {
        if (quick && tiny) {
            throw new InvalidInputException("mode", "--quick and --tiny exclude each other");
        }
        if (latencyMs < 0 || latencyMs > 10_000) {
            throw new InvalidInputException("latency-ms", "--latency-ms must be 0..10000, was " + latencyMs);
        }
        if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
            throw new InvalidInputException("json", "no such folder for --json: " + json.getParent());
        }
        BenchSettings.Mode mode =
                tiny ? BenchSettings.Mode.TINY : quick ? BenchSettings.Mode.QUICK : BenchSettings.Mode.FULL;
        Path root = BenchMain.findRepoRoot(Path.of(""));
        Path jar = ownJar();
        if (jar == null && root != null) {
            jar = root.resolve("examples/target/calendar-cli.jar");
        }
        Set<String> prefixes = Set.copyOf(only);
        StringBuilder command = new StringBuilder("./calendar bench");
        if (mode != BenchSettings.Mode.FULL) {
            command.append(" --").append(mode.name().toLowerCase(java.util.Locale.ROOT));
        }
        only.forEach(o -> command.append(" --only ").append(o));
        if (latencyMs != 50) {
            command.append(" --latency-ms ").append(latencyMs);
        }
        BenchRunner.Report report = BenchMain.run(
                new BenchMain.Options(
                        mode,
                        json,
                        writeDocs,
                        id -> prefixes.isEmpty() || prefixes.stream().anyMatch(id::startsWith),
                        jar,
                        root,
                        Duration.ofMillis(latencyMs),
                        command.toString()),
                System.out,
                System.err);
        return report.failures().isEmpty() ? 0 : 1;
    }

    /** The jar this command runs from (the CLI's shaded jar), or null when run from classes. */
    private static Path ownJar() {
        try {
            Path p = Path.of(BenchCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }
}
