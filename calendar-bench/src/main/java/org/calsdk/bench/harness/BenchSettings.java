package org.calsdk.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a bench run is sized and where it finds what it needs.
 *
 * @param mode      {@link Mode#FULL}, {@link Mode#QUICK} (under 3 minutes on a 2-core machine) or
 *                  {@link Mode#TINY} (seconds: for the harness's own test, the figures mean little)
 * @param latency   the delay the fakes add to every HTTP request (the issue asks for 50 ms)
 * @param cliJar    the {@code calendar-cli.jar} whole-process figures run, or null (those figures are skipped)
 * @param childClasspath the class path child JVMs run the harness's child mains with
 * @param repoRoot  the source tree (for module footprints via Maven), or null
 */
public record BenchSettings(Mode mode, Duration latency, Path cliJar, String childClasspath, Path repoRoot) {
    /** Run sizes. */
    public enum Mode {
        TINY,
        QUICK,
        FULL
    }

    public BenchSettings {
        Objects.requireNonNull(mode, "mode == null");
        Objects.requireNonNull(latency, "latency == null");
        Objects.requireNonNull(childClasspath, "childClasspath == null");
    }

    /** Picks a size by mode. */
    public int size(int tiny, int quick, int full) {
        return switch (mode) {
            case TINY -> tiny;
            case QUICK -> quick;
            case FULL -> full;
        };
    }

    /** The latency in milliseconds. */
    public long latencyMillis() {
        return latency.toMillis();
    }
}
