package org.calsdk.bench.cloud;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.calsdk.bench.harness.ChildJvm;

/**
 * Where the official-client comparators live: the class path of module {@code calendar-bench-comparators}
 * (its classes plus its runtime dependencies: the official libraries). The harness never links against
 * them; it runs them in child JVMs. Taken from the system property {@value #PROPERTY} when set, else
 * built from the source tree with Maven ({@code compile dependency:build-classpath}, offline, that module
 * alone), and kept in its {@code target/bench-runtime.classpath} until the module's pom or sources change.
 */
public final class ComparatorClasspath {
    /** A ready class path, {@code File.pathSeparator}-separated, instead of building it. */
    public static final String PROPERTY = "calsdk.bench.comparators.classpath";

    static final String MODULE = "calendar-bench-comparators";
    private static String cached;

    private ComparatorClasspath() {}

    /** The comparators' class path. */
    public static synchronized String resolve(Path repoRoot) throws IOException, InterruptedException {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (cached != null) {
            return cached;
        }
        if (repoRoot == null || !Files.isRegularFile(repoRoot.resolve(MODULE).resolve("pom.xml"))) {
            throw new IllegalStateException("no source tree with " + MODULE + " to build the comparators from; "
                    + "run from the source tree or set -D" + PROPERTY);
        }
        Path module = repoRoot.resolve(MODULE);
        Path classes = module.resolve("target").resolve("classes");
        Path out = module.resolve("target").resolve("bench-runtime.classpath");
        if (!upToDate(module, out)) {
            Files.createDirectories(out.getParent());
            List<String> cmd = List.of(
                    "mvn",
                    "-B",
                    "-q",
                    "-o",
                    "-f",
                    repoRoot.resolve("pom.xml").toString(),
                    "-pl",
                    MODULE,
                    "compile",
                    "dependency:build-classpath",
                    "-DincludeScope=runtime",
                    "-Dmdep.outputFile=" + out);
            ChildJvm.run(cmd, 600).requireSuccess("mvn -pl " + MODULE + " compile dependency:build-classpath");
        }
        cached = classes + File.pathSeparator + Files.readString(out).trim();
        return cached;
    }

    /** Whether the class path file is newer than the module's pom and sources (then Maven need not run). */
    private static boolean upToDate(Path module, Path out) throws IOException {
        if (!Files.isRegularFile(out)
                || !Files.isDirectory(module.resolve("target").resolve("classes"))) {
            return false;
        }
        long built = Files.getLastModifiedTime(out).toMillis();
        if (Files.getLastModifiedTime(module.resolve("pom.xml")).toMillis() > built
                || Files.getLastModifiedTime(module.getParent().resolve("pom.xml"))
                                .toMillis()
                        > built) {
            return false;
        }
        try (var files = Files.walk(module.resolve("src").resolve("main"))) {
            return files.noneMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > built;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
