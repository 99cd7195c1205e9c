package org.calsdk.sync;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;

/**
 * The JVM the crash test kills: a host application doing sync on an H2 file store against the test's
 * reference service (over {@link RemoteMemoryBridge}). Its host keeps the external events it is told about
 * in a table of the same database, applying them idempotently. Mode {@code work}: print "ready" and sync
 * until killed. Mode {@code converge}: sync until everything is pushed and every mailbox synced after
 * {@code lastChange}, then exit 0.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String bridge = args[1];
        boolean converge = args[2].equals("converge");
        Instant lastChange = Instant.ofEpochMilli(Long.parseLong(args[3]));
        try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir);
                Connection host = DriverManager.getConnection(JdbcSyncStateStore.h2Url(dir), "sa", "")) {
            try (Statement s = host.createStatement()) {
                s.execute(
                        "CREATE TABLE IF NOT EXISTS host_external (id VARCHAR(500) PRIMARY KEY, summary VARCHAR(500))");
                s.execute("CREATE TABLE IF NOT EXISTS host_log (kind VARCHAR(100), detail VARCHAR(500))");
            }
            SyncListener listener = new SyncListener() {
                @Override
                public synchronized void onExternalChange(ExternalChange c) {
                    try {
                        String id = HostRecorder.id(c.calendar(), c.eventId());
                        if (c instanceof ExternalChange.Deleted) {
                            exec(host, "DELETE FROM host_external WHERE id = ?", id);
                        } else {
                            exec(
                                    host,
                                    "MERGE INTO host_external (id, summary) KEY (id) VALUES (?, ?)",
                                    id,
                                    c.current().orElseThrow().summary());
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public synchronized void onAppEventChange(AppEventChange c) {
                    log("appChange", c.key() + " " + c.fields());
                }

                @Override
                public synchronized void onAppEventRemoved(CalendarRef calendar, EventKey key) {
                    log("appRemoved", key.value());
                }

                @Override
                public synchronized void onPushFailed(OutboxEntry entry, org.calsdk.errors.CalendarException error) {
                    log("pushFailed", entry.key() + " " + error.getMessage());
                }

                private void log(String kind, String detail) {
                    try {
                        exec(host, "INSERT INTO host_log (kind, detail) VALUES (?, ?)", kind, detail);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(RemoteMemoryBridge.connections(bridge))
                    .listener(listener)
                    .nodeId("child-" + ProcessHandle.current().pid())
                    .pushBackoff(
                            new BackoffPolicy(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50), 0, 50))
                    .errorBackoff(
                            new BackoffPolicy(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50), 0, 1))
                    .leaseTtl(java.time.Duration.ofSeconds(1))
                    .build()) {
                System.out.println("ready");
                System.out.flush();
                long deadline = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < deadline) {
                    engine.runOnce();
                    if (converge
                            && store.mailboxes().stream()
                                    .allMatch(m -> m.pendingPushes() == 0
                                            && m.lastError() == null
                                            && m.lastSyncAt() != null
                                            && m.lastSyncAt().isAfter(lastChange))) {
                        System.out.println("converged");
                        return;
                    }
                    Thread.sleep(5);
                }
            }
            System.exit(3);
        }
    }

    static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
