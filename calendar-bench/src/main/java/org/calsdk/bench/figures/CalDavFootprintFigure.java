package org.calsdk.bench.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.ChildJvm;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;
import org.calsdk.testkit.caldav.FakeCalDavServer;

/**
 * Start-up and footprint of provider-caldav: the size of its runtime class path (its jar, calendar-core
 * and their dependencies, {@link ModuleClasspath}), and, in a cold child JVM ({@link StartupChild}), the
 * classes loaded by the end of the first call (connect with discovery, then list calendars) and the time
 * from JVM start to then. The child runs on the harness's class path, which holds more than the module
 * needs; only what is loaded counts in the class figure. Another provider adds its own figure class like
 * this one.
 */
public final class CalDavFootprintFigure implements Figure {
    @Override
    public String id() {
        return "footprint-caldav";
    }

    @Override
    public Optional<String> provider() {
        return Optional.of("caldav");
    }

    @Override
    public List<String> units() {
        return List.of("MB", "classes", "ms");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        List<FigureResult> out = new ArrayList<>();
        try (FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("bench", "bench-pw")
                .calendar("bench", "work", "Work")
                .build()
                .start()) {
            List<String> args = List.of("caldav", dav.url(), "bench", "bench-pw", "bench@example.com");
            ChildJvm.runMain(List.of(), s.childClasspath(), StartupChild.class.getName(), args, 120)
                    .requireSuccess("startup child (warm-up)");
            ChildJvm.Outcome o = ChildJvm.runMain(
                            List.of(), s.childClasspath(), StartupChild.class.getName(), args, 120)
                    .requireSuccess("startup child");
            if (o.number("CALENDARS") < 1) {
                throw new IllegalStateException("the first call listed no calendar");
            }
            if (s.mode() != BenchSettings.Mode.TINY) {
                ModuleClasspath.Size size = ModuleClasspath.of(s.repoRoot(), "provider-caldav");
                out.add(FigureResult.of(
                        "provider-caldav: runtime class path (" + size.jars() + " jars)",
                        size.bytes() / 1048576.0,
                        "MB"));
            }
            out.add(FigureResult.of(
                    "provider-caldav: classes loaded by the end of the first call (cold JVM)",
                    o.number("CLASSES"),
                    "classes"));
            out.add(FigureResult.of(
                    "provider-caldav: time from JVM start to the end of the first call",
                    o.number("FIRST_CALL_MS"),
                    "ms"));
        }
        return out;
    }
}
