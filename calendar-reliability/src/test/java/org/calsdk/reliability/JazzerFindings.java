package org.calsdk.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Jazzer puts a finding: libFuzzer's {@code -artifact_prefix}, which the module's surefire
 * configuration passes as {@code jazzer.internal.arg.2} (the system property
 * {@code reliability.jazzer.findings} names the same folder, under {@code target/}). libFuzzer does not
 * create the folder, so each fuzz test prepares it before Jazzer starts.
 */
final class JazzerFindings {
    private JazzerFindings() {}

    static Path folder() {
        return Path.of(System.getProperty("reliability.jazzer.findings", "target/jazzer-findings"));
    }

    /** The budget and seed this JVM's fuzzing runs with, for the figures. */
    static String budget() {
        return "JAZZER_FUZZ=" + System.getenv().getOrDefault("JAZZER_FUZZ", "unset") + ", "
                + System.getProperty("jazzer.internal.arg.1", "") + " "
                + System.getProperty("jazzer.internal.arg.3", "");
    }

    static void prepare() throws IOException {
        Files.createDirectories(folder());
    }
}
