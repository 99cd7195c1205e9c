package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's proof "a full read of a calendar with 100,000 events in {@code -Xmx256m}: the events are
 * streamed, never all held in memory". The fake Google (in this JVM) holds the events in one calendar; the
 * engine's first, full pass runs in a child JVM ({@link FullReadChild}) on an H2 file store with a heap of
 * 256 MB per 100,000 events, and its host counts the events without keeping them. Asserted: the pass ends OK,
 * every event reached the host once, and the store maps every one.
 *
 * <p>By default 20,000 events in {@code -Xmx52m} (the same proportion, a few seconds); the full 100,000 in
 * {@code -Xmx256m} with {@code -Dcalsdk.fullRead.events=100000} (see docs/sync.md).
 */
@Tag("heap")
class FullReadHeapTest {
    static final Mailbox BIG = Mailbox.of("big@example.com");
    static final String TOKEN = "ya29.full-read-test";

    @TempDir
    Path dir;

    @Test
    void theFirstFullPassStreamsEveryEventWithinTheHeapBound() throws Exception {
        int events = Integer.getInteger("calsdk.fullRead.events", 20_000);
        long heapMb = Long.getLong("calsdk.fullRead.heapMb", Math.max(32, (256L * events + 99_999) / 100_000));
        ZonedDateTime start = ZonedDateTime.of(2026, 1, 5, 8, 0, 0, 0, ZoneOffset.UTC);
        try (FakeGoogleServer google = FakeGoogleServer.builder()
                .user(BIG.email(), "Big")
                .accessToken(TOKEN, BIG.email())
                .build()
                .start()) {
            google.seed(SeedData.organization("example.com")
                    .user(
                            BIG.email(),
                            "Big",
                            u -> u.primary(c -> {
                                for (int i = 0; i < events; i++) {
                                    ZonedDateTime at = start.plusMinutes(30L * i);
                                    c.event(Event.builder()
                                            .summary("Meeting " + i)
                                            .description("Agenda of meeting " + i)
                                            .location("Room " + (i % 50))
                                            .start(EventTime.of(at))
                                            .end(EventTime.of(at.plusMinutes(25)))
                                            .build());
                                }
                            }))
                    .build());
            assertThat(google.eventCount(BIG.email())).isEqualTo(events);

            Path storeDir = dir.resolve("store");
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            List<String> cmd = new ArrayList<>(List.of(
                    java,
                    "-Xmx" + heapMb + "m",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-cp",
                    System.getProperty("java.class.path"),
                    FullReadChild.class.getName(),
                    storeDir.toString(),
                    google.baseUrl(),
                    TOKEN,
                    BIG.email(),
                    "2500"));
            Path out = dir.resolve("child.out");
            Path err = dir.resolve("child.err");
            long t0 = System.nanoTime();
            Process child = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            long limit = Long.getLong("calsdk.fullRead.timeoutSeconds", 300);
            boolean ended = child.waitFor(limit, TimeUnit.SECONDS);
            if (!ended) {
                Process jstack = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jstack")
                                        .toString(),
                                Long.toString(child.pid()))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(err.toFile()))
                        .start();
                jstack.waitFor(30, TimeUnit.SECONDS);
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
                System.out.println("the child did not end; its stderr and threads:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            System.out.println("full read of " + events + " events in -Xmx" + heapMb + "m: " + stdout + " (child "
                    + took.toMillis() + " ms)");
            assertThat(ended)
                    .as("the child ended in time:\n" + tail(Files.readString(err, StandardCharsets.UTF_8)))
                    .isTrue();
            assertThat(stderr).doesNotContain("OutOfMemoryError");
            assertThat(child.exitValue())
                    .as("the child's pass ended OK: " + stdout + "\n" + tail(stderr))
                    .isZero();
            assertThat(stdout).contains("pulled=" + events + " ").contains("told=" + events + " ");
            try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(storeDir)) {
                assertThat(store.mappings(CalendarRef.primary(BIG))).hasSize(events);
                assertThat(store.cursor(CalendarRef.primary(BIG)).isStart())
                        .as("the full read was committed")
                        .isFalse();
            }
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
