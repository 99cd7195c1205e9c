package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM doing sync is killed with SIGKILL ({@link Process#destroyForcibly()}) at 20 random moments
 * while the test keeps feeding it app changes and external edits; its H2 file store and the test's
 * calendars (served over HTTP from this JVM) survive. After a final run the state converges: every app
 * event exists exactly once as last desired, and the host saw exactly the calendars' external events.
 */
class CrashTest {
    static final int KILLS = 20;
    static final int MAILBOXES = 4;
    static final ZonedDateTime BASE = ZonedDateTime.of(2026, 6, 1, 8, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsTheSyncConvergesWithoutDuplicates() throws Exception {
        Random random = new Random(99);
        List<Mailbox> mailboxes = new ArrayList<>();
        Map<EventKey, Mailbox> live = new LinkedHashMap<>();
        Map<String, String> expectedApp = new TreeMap<>();
        Map<Mailbox, List<String>> externalIds = new HashMap<>();
        int nextKey = 0;
        int nextExternal = 0;
        int killedMidSync = 0;
        try (InMemoryCalendarService service =
                        InMemoryCalendarService.builder().changePageSize(20).build();
                RemoteMemoryBridge bridge = new RemoteMemoryBridge(service)) {
            try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir)) {
                store.saveIntegration(Integration.active("crash", "memory"));
                for (int i = 0; i < MAILBOXES; i++) {
                    Mailbox m = Mailbox.of("worker" + i + "@example.com");
                    service.addUser(m, "Worker " + i);
                    store.addMailbox("crash", m);
                    mailboxes.add(m);
                }
            }
            for (int cycle = 0; cycle < KILLS; cycle++) {
                try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir)) {
                    for (int i = 0; i < 30; i++) {
                        double d = random.nextDouble();
                        if (d < 0.6 || live.isEmpty()) {
                            Mailbox m = mailboxes.get(random.nextInt(MAILBOXES));
                            EventKey key = EventKey.of("job-" + nextKey++);
                            String title = "Job " + key + " c" + cycle;
                            store.enqueue(
                                    OutboxEntry.upsert(CalendarRef.primary(m), key, event(title, random.nextInt(100))));
                            live.put(key, m);
                            expectedApp.put(m.normalized() + "/" + key, title);
                        } else {
                            List<EventKey> keys = new ArrayList<>(live.keySet());
                            EventKey key = keys.get(random.nextInt(keys.size()));
                            Mailbox m = live.get(key);
                            if (d < 0.9) {
                                String title = "Job " + key + " c" + cycle + "." + i;
                                store.enqueue(OutboxEntry.upsert(
                                        CalendarRef.primary(m), key, event(title, random.nextInt(100))));
                                expectedApp.put(m.normalized() + "/" + key, title);
                            } else {
                                store.enqueue(OutboxEntry.delete(CalendarRef.primary(m), key));
                                live.remove(key);
                                expectedApp.remove(m.normalized() + "/" + key);
                            }
                        }
                    }
                    for (int i = 0; i < 8; i++) {
                        Mailbox m = mailboxes.get(random.nextInt(MAILBOXES));
                        CalendarConnection c = service.connect(m);
                        CalendarRef cal = CalendarRef.primary(m);
                        List<String> ids = externalIds.computeIfAbsent(m, x -> new ArrayList<>());
                        if (ids.isEmpty() || random.nextDouble() < 0.6) {
                            ids.add(c.writer()
                                    .create(
                                            cal,
                                            EventKey.of("ext-" + nextExternal),
                                            event("Ext " + nextExternal++, random.nextInt(100)))
                                    .id()
                                    .orElseThrow());
                        } else if (random.nextBoolean()) {
                            String id = ids.get(random.nextInt(ids.size()));
                            Event now = c.reader().get(cal, id).orElseThrow();
                            c.writer()
                                    .update(
                                            cal,
                                            now.toBuilder()
                                                    .summary(now.summary() + "'")
                                                    .build());
                        } else {
                            c.writer().delete(cal, ids.remove(random.nextInt(ids.size())), null);
                        }
                    }
                    mailboxes.forEach(store::requestSync);
                }
                Process child = start(bridge, "work", Instant.EPOCH);
                try {
                    awaitLine(child, "ready");
                    Thread.sleep(random.nextInt(400));
                    if (child.isAlive()) {
                        killedMidSync++;
                    }
                } finally {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                }
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Instant lastChange = Instant.now();
            try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir)) {
                mailboxes.forEach(store::requestSync);
            }
            Process last = start(bridge, "converge", lastChange.minusMillis(1));
            try {
                assertThat(last.waitFor(150, TimeUnit.SECONDS))
                        .as("final run finished")
                        .isTrue();
            } finally {
                last.destroyForcibly(); // a no-op once it exited; never leave a child holding the H2 file
            }
            assertThat(last.exitValue())
                    .as("final run converged (see target/crash-child.log)")
                    .isZero();
            assertThat(killedMidSync).isEqualTo(KILLS);

            // the calendars: every app event once, as last desired
            Map<String, String> actualApp = new TreeMap<>();
            Map<String, Integer> count = new HashMap<>();
            Map<String, String> calendarExternal = new TreeMap<>();
            for (Mailbox m : mailboxes) {
                CalendarRef cal = CalendarRef.primary(m);
                for (Event e : service.events(cal)) {
                    String key = e.key().orElseThrow().value();
                    if (key.startsWith("job-")) {
                        String k = m.normalized() + "/" + key;
                        count.merge(k, 1, Integer::sum);
                        actualApp.put(k, e.summary());
                    } else {
                        calendarExternal.put(HostRecorder.id(cal, e.id().orElseThrow()), e.summary());
                    }
                }
            }
            assertThat(count.values()).as("duplicates").allMatch(n -> n == 1);
            assertThat(actualApp).isEqualTo(expectedApp);

            // the host's view, kept by the killed JVMs in the same H2 file
            Map<String, String> hostExternal = new TreeMap<>();
            List<String> hostLog = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(JdbcSyncStateStore.h2Url(dir), "sa", "");
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT id, summary FROM host_external")) {
                    while (rs.next()) {
                        hostExternal.put(rs.getString(1), rs.getString(2));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT kind, detail FROM host_log")) {
                    while (rs.next()) {
                        hostLog.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
            }
            assertThat(hostExternal).isEqualTo(calendarExternal);
            assertThat(hostLog)
                    .as("no spurious app changes, removals or given-up pushes")
                    .isEmpty();
            try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir)) {
                for (Mailbox m : mailboxes) {
                    assertThat(store.outbox(m)).isEmpty();
                }
            }
            System.out.println("crash: " + KILLS + " kills, " + expectedApp.size() + " app events, "
                    + calendarExternal.size() + " external events");
        }
    }

    static Event event(String title, int slot) {
        ZonedDateTime s = BASE.plusMinutes(30L * slot);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusMinutes(30)))
                .build();
    }

    Process start(RemoteMemoryBridge bridge, String mode, Instant lastChange) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = Path.of("target", "crash-child.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                dir.toString(),
                bridge.url(),
                mode,
                Long.toString(lastChange.toEpochMilli()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /**
     * Waits (at most 60 s, on a reader thread, so a silent child cannot block the test forever) for the
     * child to print {@code expected}.
     */
    static void awaitLine(Process p, String expected) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Boolean> seen =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.equals(expected)) {
                                return true;
                            }
                        }
                        return false;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
        boolean ok;
        try {
            ok = seen.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            throw new AssertionError("child did not say '" + expected + "' (exit "
                    + (p.isAlive() ? "alive" : p.exitValue()) + ", see target/crash-child.log)");
        }
    }
}
