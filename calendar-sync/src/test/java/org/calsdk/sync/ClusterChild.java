package org.calsdk.sync;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.calsdk.auth.Secret;

/**
 * One engine of {@link ClusterKillTest}, in a JVM of its own that the test kills with SIGKILL: a host doing
 * background sync on the shared PostgreSQL store against the test's reference service (over
 * {@link RemoteMemoryBridge}). Its host keeps the external events it is told about in a table of the same
 * database, idempotently. Its store connections carry the node's name as PostgreSQL's application name, which
 * the test's audit trigger records with every write. With {@code stall} its listener blocks on the first external
 * change it gets, well past the lease (renewal stops after {@code maxPassTime}), so the lease really expires
 * under a stalled pass and another engine takes the mailbox.
 *
 * <p>Arguments: JDBC URL (without parameters), bridge URL, node name, {@code stall} or {@code plain}, poll interval
 * in milliseconds, lease time to live in milliseconds.
 */
public final class ClusterChild {
    private ClusterChild() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String bridge = args[1];
        String node = args[2];
        boolean stall = args[3].equals("stall");
        Duration poll = Duration.ofMillis(Long.parseLong(args[4]));
        Duration ttl = Duration.ofMillis(Long.parseLong(args[5]));
        AtomicBoolean stalled = new AtomicBoolean(!stall);
        try (JdbcSyncStateStore store =
                        JdbcSyncStateStore.open(url + "?ApplicationName=" + node, "postgres", Secret.of("postgres"));
                Connection host =
                        DriverManager.getConnection(url + "?ApplicationName=host-" + node, "postgres", "postgres")) {
            SyncListener listener = new SyncListener() {
                @Override
                public void onExternalChange(ExternalChange c) {
                    if (stalled.compareAndSet(false, true)) {
                        String mailbox = c.calendar().mailbox().normalized();
                        say("stall " + mailbox);
                        // far past the lease (renewal stops after maxPassTime): until another engine took the mailbox
                        long end = System.currentTimeMillis() + 90_000;
                        try {
                            while (System.currentTimeMillis() < end && !takenOver(host, mailbox, node)) {
                                Thread.sleep(100);
                            }
                        } catch (InterruptedException | SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        say("stall-end");
                    }
                    synchronized (host) {
                        try (PreparedStatement ps =
                                host.prepareStatement("INSERT INTO host_external (id, node) VALUES (?, ?)"
                                        + " ON CONFLICT (id) DO NOTHING")) {
                            ps.setString(1, HostRecorder.id(c.calendar(), c.eventId()));
                            ps.setString(2, node);
                            ps.executeUpdate();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(RemoteMemoryBridge.connections(bridge))
                    .listener(listener)
                    .nodeId(node)
                    .threads(4)
                    .checkInterval(Duration.ofMillis(100))
                    .pollInterval(poll)
                    .leaseTtl(ttl)
                    .maxPassTime(ttl)
                    .pushBackoff(new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0, 50))
                    .errorBackoff(new BackoffPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 0, 1))
                    .build();
            engine.start();
            say("ready");
            Thread.sleep(Long.MAX_VALUE); // until killed
        }
    }

    /** Whether another engine holds the mailbox's lease now, or synced it already. */
    static boolean takenOver(Connection host, String mailbox, String node) throws SQLException {
        synchronized (host) {
            try (PreparedStatement ps = host.prepareStatement(
                    "SELECT lease_owner, last_sync_at FROM sync_mailbox" + " WHERE email_norm = ?")) {
                ps.setString(1, mailbox);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String owner = rs.getString(1);
                    return owner != null && !owner.startsWith(node + "#") || rs.getObject(2) != null;
                }
            }
        }
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
