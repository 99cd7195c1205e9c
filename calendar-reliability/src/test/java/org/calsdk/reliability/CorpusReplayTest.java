package org.calsdk.reliability;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuzz corpus, without Jazzer's agent: every file under {@code Jazzer*FuzzTestInputs/fuzz/} and
 * {@code CoverageGuidedFuzzTestInputs/fuzz/} (the valid seeds, the hostile cases written by hand, and every
 * input Jazzer ever found to crash a reader, kept as a regression) is fed to its reader. Only a result or a
 * typed error may come out. (Jazzer replays its own class's files too, but only in the JVM it starts for
 * that class; this test replays all of them in one.)
 */
class CorpusReplayTest {
    private static final List<String> SEEN = new ArrayList<>();

    static Stream<Arguments> corpus() throws IOException, URISyntaxException {
        Path root = Path.of(
                CorpusReplayTest.class.getResource("/org/calsdk/reliability").toURI());
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().endsWith("FuzzTestInputs"))
                    .sorted()
                    .toList()) {
                String cls = dir.getFileName()
                        .toString()
                        .replace("FuzzTestInputs", "")
                        .replace("Jazzer", "");
                String target = switch (cls) {
                    case "Ical" -> "ical";
                    case "Availability" -> "availability";
                    case "ConnectionFile" -> "connection-file";
                    case "CalDavMultistatus" -> "caldav-multistatus";
                    case "EwsSoap" -> "ews-soap";
                    case "GoogleJson" -> "google-json";
                    case "GraphJson" -> "graph-json";
                    case "CoverageGuided" -> "all-readers";
                    default -> throw new IllegalStateException("no reader for " + dir);
                };
                try (Stream<Path> files = Files.list(dir.resolve("fuzz"))) {
                    for (Path f : files.sorted().toList()) {
                        out.add(Arguments.of(target, f.getFileName().toString(), f));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("corpus")
    void readOrRefusedWithATypedError(String target, String name, Path file) throws IOException {
        byte[] input = Files.readAllBytes(file);
        SEEN.add(target + "/" + name);
        assertTimeoutPreemptively(HostileInputs.PER_INPUT, () -> HostileInputs.feed(target, input));
    }

    @AfterAll
    static void figures() {
        Figures.record(
                "fuzz",
                "corpus replay: " + SEEN.size() + " files (seeds, hostile cases, Jazzer findings), "
                        + HostileInputs.REFUSED.get() + " refused with a typed error, " + HostileInputs.CRASHES.get()
                        + " crashes");
    }
}
