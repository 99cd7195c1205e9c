package org.calsdk.bench.harness;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The entry point of a bench run, shared by {@code calendar bench} and plain {@code java -cp}: builds the
 * settings, runs the registry, prints the markdown table, writes the JSON and the docs section when asked.
 */
public final class BenchMain {
    private BenchMain() {}

    /** What to run and where to write. */
    public record Options(
            BenchSettings.Mode mode,
            Path json,
            boolean writeDocs,
            Predicate<String> only,
            Path cliJar,
            Path repoRoot,
            Duration latency,
            String command) {}

    /** Runs; returns the report (failures included). */
    public static BenchRunner.Report run(Options o, PrintStream out, PrintStream log) throws Exception {
        BenchSettings settings = new BenchSettings(
                o.mode(), o.latency(), o.cliJar(), System.getProperty("java.class.path"), o.repoRoot());
        FigureRegistry registry = FigureRegistry.load(BenchMain.class.getClassLoader());
        BenchRunner.Report report = new BenchRunner(registry, log).run(settings, o.only());
        out.print(BenchRunner.markdown(report.results()));
        out.flush();
        if (o.json() != null) {
            BenchRunner.writeJson(report.results(), o.json());
        }
        if (o.writeDocs()) {
            Path doc =
                    o.repoRoot() == null ? null : o.repoRoot().resolve("docs").resolve("benchmarks.md");
            if (doc == null || !Files.isRegularFile(doc)) {
                throw new IllegalStateException("no docs/benchmarks.md found above the working directory");
            }
            BenchDocs.write(doc, BenchDocs.section(o.command(), o.mode(), report.results(), report.failures()));
            log.println("bench: wrote " + doc);
        }
        return report;
    }

    /** The source tree above {@code from} (the folder whose pom.xml is the calendar parent), or null. */
    public static Path findRepoRoot(Path from) {
        for (Path p = from.toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom)
                        && Files.isDirectory(p.resolve("calendar-bench"))
                        && Files.readString(pom).contains("<artifactId>calendar-parent</artifactId>")) {
                    return p;
                }
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return null;
    }

    /** {@code java -cp ... org.calsdk.bench.harness.BenchMain [--quick|--tiny] [--json FILE]}. */
    public static void main(String[] args) throws Exception {
        BenchSettings.Mode mode = BenchSettings.Mode.FULL;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = BenchSettings.Mode.QUICK;
                case "--tiny" -> mode = BenchSettings.Mode.TINY;
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path root = findRepoRoot(Path.of(""));
        Path jar = root == null ? null : root.resolve("examples/target/calendar-cli.jar");
        BenchRunner.Report r = run(
                new Options(
                        mode,
                        json,
                        false,
                        id -> true,
                        jar,
                        root,
                        Duration.ofMillis(50),
                        "java -cp ... " + BenchMain.class.getName() + " " + String.join(" ", List.of(args))),
                System.out,
                System.err);
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }
}
