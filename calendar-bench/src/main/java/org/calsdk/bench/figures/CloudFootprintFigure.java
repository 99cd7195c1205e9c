package org.calsdk.bench.figures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.calsdk.bench.cloud.CloudFake;
import org.calsdk.bench.cloud.CloudStartupChild;
import org.calsdk.bench.harness.BenchSettings;
import org.calsdk.bench.harness.ChildJvm;
import org.calsdk.bench.harness.Figure;
import org.calsdk.bench.harness.FigureResult;

/**
 * Start-up and footprint of provider-google, provider-graph or provider-ews, as {@link CalDavFootprintFigure}
 * measures provider-caldav: the size of the module's runtime class path ({@link ModuleClasspath}), and in a
 * cold child JVM ({@link CloudStartupChild}) the classes loaded by the end of the first call (connect, then
 * one mailbox's free/busy against the provider's fake) and the time from JVM start to then. The child runs on
 * the harness's class path, which holds more than the module needs; only what is loaded counts.
 */
public final class CloudFootprintFigure implements Figure {
    private final String provider;

    public CloudFootprintFigure(String provider) {
        this.provider = provider;
    }

    @Override
    public String id() {
        return "footprint-" + provider;
    }

    @Override
    public Optional<String> provider() {
        return Optional.of(provider);
    }

    @Override
    public List<String> units() {
        return List.of("MB", "classes", "ms");
    }

    @Override
    public List<FigureResult> measure(BenchSettings s) throws Exception {
        List<FigureResult> out = new ArrayList<>();
        Path dir = Files.createTempDirectory("bench-footprint");
        try (CloudFake fake = CloudFake.start(provider, 1)) {
            Path secret = fake.writeSecret(dir);
            List<String> args =
                    List.of(provider, fake.endpoint(), secret.toString(), "user1@example.com", CloudFake.ORGANIZER);
            ChildJvm.runMain(List.of(), s.childClasspath(), CloudStartupChild.class.getName(), args, 120)
                    .requireSuccess("startup child (warm-up)");
            ChildJvm.Outcome o = ChildJvm.runMain(
                            List.of(), s.childClasspath(), CloudStartupChild.class.getName(), args, 120)
                    .requireSuccess("startup child");
            if (o.number("BUSY") < 1) {
                throw new IllegalStateException("the first call found no busy time; the seed has some");
            }
            String module = "provider-" + provider;
            if (s.mode() == BenchSettings.Mode.FULL) { // a Maven run per module: left out of quick runs
                ModuleClasspath.Size size = ModuleClasspath.of(s.repoRoot(), module);
                out.add(FigureResult.of(
                        module + ": runtime class path (" + size.jars() + " jars)", size.bytes() / 1048576.0, "MB"));
            }
            out.add(FigureResult.of(
                    module + ": classes loaded by the end of the first call (cold JVM)",
                    o.number("CLASSES"),
                    "classes"));
            out.add(FigureResult.of(
                    module + ": time from JVM start to the end of the first call (free/busy)",
                    o.number("FIRST_CALL_MS"),
                    "ms"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        return out;
    }
}
