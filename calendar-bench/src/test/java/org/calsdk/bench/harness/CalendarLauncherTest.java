package org.calsdk.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-process figures start the CLI as {@code ./calendar} does, and give the comparators its JVM options. */
class CalendarLauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theLauncherRunsWithTheOptionsTheComparatorsAreGivenAndAnArchive() throws Exception {
        String script = Files.readString(ROOT.resolve("calendar"));
        for (String option : ChildJvm.LAUNCHER_JVM_OPTIONS) {
            assertThat(script).as("the launcher runs with " + option).contains(option);
        }
        assertThat(script)
                .contains("-XX:ArchiveClassesAtExit=")
                .contains("-XX:SharedArchiveFile=")
                .contains("org.calsdk.examples.CdsTraining");
    }

    @Test
    void theSourceTreesJarIsStartedThroughTheLauncherAnyOtherJarDirectly(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        Path jar = tree.resolve("examples/target/calendar-cli.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not a real jar");
        Files.writeString(tree.resolve("calendar"), "#!/usr/bin/env bash\n");
        BenchSettings inTree = new BenchSettings(BenchSettings.Mode.TINY, Duration.ofMillis(50), jar, "", tree);
        assertThat(ChildJvm.calendarCommand(inTree))
                .containsExactly("bash", tree.resolve("calendar").toString());

        Path elsewhere = dir.resolve("calendar-cli.jar");
        Files.writeString(elsewhere, "not a real jar");
        BenchSettings other = new BenchSettings(BenchSettings.Mode.TINY, Duration.ofMillis(50), elsewhere, "", tree);
        assertThat(ChildJvm.calendarCommand(other)).containsExactly(ChildJvm.java(), "-jar", elsewhere.toString());
    }
}
