package org.calsdk.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process and measures it from the outside: whole-process wall time (fork to exit), exit
 * code, and its output. Used for what must not share the harness's JVM: a heap ceiling ({@code -Xmx256m}),
 * class loading from a cold start, and whole-process comparisons ({@code java -jar calendar-cli.jar
 * freebusy ...} against the comparators of the official client libraries). A child that overruns its
 * timeout is destroyed (by its own process handle, with its descendants).
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** What a child did. {@code values} holds its stdout lines of the form {@code KEY=VALUE}. */
    public record Outcome(int exitCode, long wallNanos, String stdout, String stderr, Map<String, String> values) {
        /** A {@code KEY=VALUE} the child printed, as a number. */
        public double number(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalStateException(
                        "child printed no " + key + "; exit " + exitCode + ", stderr: " + tail(stderr));
            }
            return Double.parseDouble(v);
        }

        /** Fails unless the child exited 0. */
        public Outcome requireSuccess(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " exited " + exitCode + ": " + tail(stderr));
            }
            return this;
        }
    }

    /** The {@code java} of the running JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The JVM options of the {@code ./calendar} launcher other than its class-data-sharing archive (C1 only,
     * the serial collector): the whole-process comparisons give the official clients' comparators the same,
     * so the CLI's only start-up advantage is its archive.
     */
    public static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * The command that starts the CLI the way a user does: the source tree's {@code ./calendar} launcher
     * (its JVM options and class-data-sharing archive) when {@code s.cliJar()} is that tree's
     * {@code examples/target/calendar-cli.jar}, else plain {@code java -jar cliJar}. Callers should run
     * {@link #prepareCalendarLauncher} once before timing anything, so the archive is made outside the
     * measurement.
     */
    public static List<String> calendarCommand(BenchSettings s) {
        Path launcher = launcher(s);
        if (launcher != null) {
            return new ArrayList<>(List.of("bash", launcher.toString()));
        }
        return new ArrayList<>(List.of(java(), "-jar", s.cliJar().toString()));
    }

    /**
     * Runs {@code calendar --version} through the launcher, which builds the class-data-sharing archive
     * when it is missing or older than the jar; nothing to do without a launcher.
     */
    public static void prepareCalendarLauncher(BenchSettings s) throws IOException, InterruptedException {
        if (launcher(s) != null) {
            List<String> cmd = calendarCommand(s);
            cmd.add("--version");
            run(cmd, 600).requireSuccess("calendar --version (class-data-sharing archive)");
        }
    }

    private static Path launcher(BenchSettings s) {
        if (s.repoRoot() == null || s.cliJar() == null) {
            return null;
        }
        Path launcher = s.repoRoot().resolve("calendar");
        Path jar = s.repoRoot().resolve("examples/target/calendar-cli.jar");
        try {
            if (Files.isRegularFile(launcher) && Files.isRegularFile(jar) && Files.isSameFile(jar, s.cliJar())) {
                return launcher;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** {@code java [jvmArgs] -cp classpath mainClass args}. */
    public static Outcome runMain(
            List<String> jvmArgs, String classpath, String mainClass, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return run(cmd, timeoutSeconds);
    }

    /** {@code java [jvmArgs] -jar jar args}. */
    public static Outcome runJar(List<String> jvmArgs, Path jar, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return run(cmd, timeoutSeconds);
    }

    /** Runs {@code command}, output captured in temporary files (so a chatty child never blocks). */
    public static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("bench-child", ".out");
        Path err = Files.createTempFile("bench-child", ".err");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            long wall = System.nanoTime() - t0;
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("child " + command.get(command.size() > 3 ? 3 : 0)
                        + " did not finish in " + timeoutSeconds + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : stdout.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            return new Outcome(p.exitValue(), wall, stdout, stderr, values);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String tail(String s) {
        return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
    }
}
