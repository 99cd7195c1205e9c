package org.calsdk.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the suite's figures go: one line each, appended to {@code target/reliability-figures/<topic>.txt}
 * (docs/reliability.md quotes them) and printed to the test's output.
 */
final class Figures {
    private Figures() {}

    static synchronized void record(String topic, String line) {
        System.out.println("[figures " + topic + "] " + line);
        String dir = System.getProperty("reliability.figures", "target/reliability-figures");
        try {
            Path d = Path.of(dir);
            Files.createDirectories(d);
            Files.writeString(
                    d.resolve(topic + ".txt"),
                    line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int intProperty(String name, int fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
