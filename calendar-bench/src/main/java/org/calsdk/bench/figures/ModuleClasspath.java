package org.calsdk.bench.figures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.bench.harness.ChildJvm;

/**
 * A module's runtime class path, as Maven resolves it ({@code dependency:build-classpath}, runtime scope,
 * offline) from the source tree: the module's own jar plus its compile and runtime dependencies. The
 * SDK's own modules are taken from their {@code target/} jars where built (else the local repository's).
 */
final class ModuleClasspath {
    private ModuleClasspath() {}

    /** Total bytes of the module's jar and its runtime dependencies, and how many jars. */
    record Size(long bytes, int jars) {}

    static Size of(Path repoRoot, String module) throws IOException, InterruptedException {
        if (repoRoot == null || !Files.isRegularFile(repoRoot.resolve(module).resolve("pom.xml"))) {
            throw new IllegalStateException("no source tree with module " + module + " to resolve its class path");
        }
        Path out = Files.createTempFile("bench-cp", ".txt");
        try {
            List<String> cmd = List.of(
                    "mvn",
                    "-B",
                    "-q",
                    "-o",
                    "-f",
                    repoRoot.resolve("pom.xml").toString(),
                    "dependency:build-classpath",
                    "-pl",
                    module,
                    "-DincludeScope=runtime",
                    "-Dmdep.outputFile=" + out);
            ChildJvm.run(cmd, 300).requireSuccess("mvn dependency:build-classpath -pl " + module);
            List<Path> jars = new ArrayList<>();
            jars.add(ownJar(repoRoot, module));
            for (String e : Files.readString(out).trim().split(java.io.File.pathSeparator)) {
                if (e.isBlank()) {
                    continue;
                }
                Path p = Path.of(e);
                String name = p.getFileName().toString();
                if (p.toString().contains("/org/calsdk/") && name.endsWith("-SNAPSHOT.jar")) {
                    String artifact = p.getParent().getParent().getFileName().toString();
                    Path built = repoRoot.resolve(artifact).resolve("target").resolve(name);
                    if (Files.isRegularFile(built)) {
                        p = built;
                    }
                }
                jars.add(p);
            }
            long bytes = 0;
            for (Path j : jars) {
                bytes += Files.size(j);
            }
            return new Size(bytes, jars.size());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path ownJar(Path repoRoot, String module) throws IOException {
        Path target = repoRoot.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(module + "-")
                            && n.endsWith(".jar")
                            && !n.contains("sources")
                            && !n.contains("javadoc")
                            && !n.contains("tests")) {
                        return p;
                    }
                }
            }
        }
        throw new IllegalStateException(
                "module " + module + " has no built jar in " + target + " (mvn -pl " + module + " -am package)");
    }
}
