package org.calsdk.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.calsdk.sync.StoreOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a database is this SDK's sync store, then brings its tables up to date: plain SQL files
 * {@code db/V<n>__*.sql} applied in order, the applied versions recorded in {@code sync_schema_version}. Each
 * version runs in one transaction together with the insert of its row, so two engines starting at once on
 * PostgreSQL apply it once (the loser's insert fails on the primary key, it rolls back and finds the
 * version applied).
 *
 * <p>The check ({@link #inspect} then {@link #check}) only reads. It refuses, with a
 * {@link StoreOpenException}: a {@code sync_store} table without this SDK's marker row; a schema version
 * newer than {@link #latestVersion()}; a store missing tables its version has; a database with other
 * tables and no marker (unless the host shares its own database on purpose); and an existing H2 file that
 * holds no store at all (what H2 makes of a truncated file). Stores from before the marker (V1, V2) are
 * recognised by {@code sync_schema_version} and get the marker from migration V3.
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** The migrations, in order. Append new files here; never edit an applied one. */
    static final List<String> MIGRATIONS = List.of(
            "V1__sync_state.sql",
            "V2__push_subscriptions.sql",
            "V3__store_marker.sql",
            "V4__subscription_secrets.sql",
            "V5__lease_generation.sql",
            "V6__due_queue.sql",
            "V7__mailbox_per_integration.sql",
            "V8__pending_writes.sql");

    /** The tables each version adds (index 0 = V1); a store of version n must have all of 1..n. */
    private static final List<Set<String>> TABLES = List.of(
            Set.of("sync_integration", "sync_mailbox", "sync_cursor", "sync_event", "sync_outbox"),
            Set.of("sync_subscription"),
            Set.of(MarkerTable.NAME),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());

    /** The marker: table {@code sync_store}, one row with this value (migration V3 inserts it). */
    public static final class MarkerTable {
        public static final String NAME = "sync_store";
        public static final String VALUE = "org.calsdk.sync";

        private MarkerTable() {}
    }

    /** Arbitrary but fixed: the advisory lock that serializes schema migration on PostgreSQL ("calsdk" in hex). */
    private static final long ADVISORY_LOCK_KEY = 0x63616c73646bL;

    private SchemaMigrator() {}

    /** The schema version this code needs. */
    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    /**
     * What the caller expects to find.
     *
     * @param shown          how messages name the store (a file path or a redacted URL; never a secret)
     * @param existingFile   an H2 file that was there before this open: it must already be a store
     * @param sharedDatabase the host's own database: its other tables are expected
     * @param readOnly       a read-only open: nothing will be created or upgraded
     */
    public record Expect(String shown, boolean existingFile, boolean sharedDatabase, boolean readOnly) {}

    /** What a database holds (tables of the current schema, lower case), read without writing. */
    public record Shape(Set<String> tables, boolean marker, int version) {
        boolean hasVersionTable() {
            return tables.contains("sync_schema_version");
        }
    }

    /** Reads the tables of the connection's current schema, the marker and the schema version. Writes nothing. */
    public static Shape inspect(Connection c) throws SQLException {
        Set<String> tables = new TreeSet<>();
        java.sql.DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", null)) {
            while (rs.next()) {
                String type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
                boolean userTable = (type.contains("TABLE") || type.contains("VIEW"))
                        && !type.startsWith("SYSTEM")
                        && !type.contains("TEMPORARY");
                if (userTable) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        boolean marker = false;
        if (tables.contains(MarkerTable.NAME)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sync_store WHERE marker = ?")) {
                ps.setString(1, MarkerTable.VALUE);
                try (ResultSet rs = ps.executeQuery()) {
                    marker = rs.next();
                }
            }
        }
        int version = 0;
        if (tables.contains("sync_schema_version")) {
            version = current(c);
        }
        return new Shape(Collections.unmodifiableSet(tables), marker, version);
    }

    /** Refuses a database that is not (or not yet, for a read-only open) a usable sync store. */
    public static void check(Shape shape, Expect expect) {
        String where = "sync store " + expect.shown() + ": ";
        String restore =
                "; nothing was written to it. Restore a backup (docs/sync.md) or move it away to start a new store";
        if (shape.tables().contains(MarkerTable.NAME) && !shape.marker()) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.NOT_A_SYNC_STORE,
                    where + "its " + MarkerTable.NAME
                            + " table does not carry this SDK's marker; it is not a sync store and was not written to",
                    null);
        }
        if (shape.version() > latestVersion()) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.NEWER_SCHEMA,
                    where + "schema version "
                            + shape.version() + " was written by a newer SDK; this SDK knows versions up to "
                            + latestVersion()
                            + ". Upgrade the SDK, or restore a backup made with this version",
                    null);
        }
        if (shape.marker() || shape.hasVersionTable()) {
            if (shape.version() < 1) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.UNREADABLE,
                        where + "it has no recorded schema version" + restore,
                        null);
            }
            int markerVersion = MIGRATIONS.indexOf("V3__store_marker.sql") + 1;
            if (shape.version() >= markerVersion && !shape.marker()) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.UNREADABLE,
                        where + "schema version " + shape.version() + " but the store marker is missing" + restore,
                        null);
            }
            Set<String> missing = new TreeSet<>();
            for (int v = 1; v <= shape.version(); v++) {
                for (String t : TABLES.get(v - 1)) {
                    if (!shape.tables().contains(t)) {
                        missing.add(t);
                    }
                }
            }
            if (!missing.isEmpty()) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.UNREADABLE,
                        where + "schema version " + shape.version() + " but tables " + missing + " are missing"
                                + restore,
                        null);
            }
            if (expect.readOnly() && shape.version() < latestVersion()) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.NEEDS_UPGRADE,
                        where + "schema version "
                                + shape.version() + " is older than this SDK's " + latestVersion()
                                + "; open it read-write once (e.g. 'calendar sync --once') to upgrade it",
                        null);
            }
            return;
        }
        if (expect.existingFile()) {
            if (shape.tables().isEmpty()) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.UNREADABLE,
                        where + "the file exists but holds no sync store (an empty or truncated database)" + restore,
                        null);
            }
            throw new StoreOpenException(
                    StoreOpenException.Reason.NOT_A_SYNC_STORE,
                    where + "the file holds " + describe(shape.tables())
                            + " and no sync store marker; it is not a sync store" + restore,
                    null);
        }
        if (!shape.tables().isEmpty()) {
            boolean clash = shape.tables().stream().anyMatch(t -> t.startsWith("sync_"));
            if (!expect.sharedDatabase() || clash) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.NOT_A_SYNC_STORE,
                        where + "the database holds "
                                + describe(shape.tables())
                                + " and no sync store marker; refusing to use it (a host that"
                                + " shares its own database passes its DataSource to JdbcSyncStateStore.of)",
                        null);
            }
        }
        if (expect.readOnly()) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.NOT_FOUND,
                    where + "there is no sync store there yet (a read-write open creates one)",
                    null);
        }
    }

    private static String describe(Set<String> tables) {
        List<String> names = new ArrayList<>(tables);
        String shown =
                names.size() <= 5 ? names.toString() : names.subList(0, 5) + " and " + (names.size() - 5) + " more";
        return tables.size() + " other table(s) " + shown;
    }

    /** Checks, then migrates, on the host's {@link DataSource} (its own database: other tables expected). */
    public static void migrate(DataSource dataSource, String shown) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            migrate(c, new Expect(shown, false, true, false));
        }
    }

    /** Checks (see {@link #check}) and then brings the schema up to date, on {@code c}. */
    public static void migrate(Connection c, Expect expect) throws SQLException {
        c.setAutoCommit(true);
        // PostgreSQL: two sessions running CREATE TABLE IF NOT EXISTS at the same moment can both pass the
        // "exists" check and one fails on pg_type's unique index; a session advisory lock serializes
        // engines that start together. Other databases (H2) lock DDL themselves.
        boolean postgres = c.getMetaData()
                .getDatabaseProductName()
                .toLowerCase(Locale.ROOT)
                .contains("postgres");
        if (postgres) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
            }
        }
        try {
            check(inspect(c), expect);
            migrateLocked(c);
        } finally {
            if (postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
                }
            }
        }
    }

    private static void migrateLocked(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS sync_schema_version (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        }
        for (int v = 1; v <= MIGRATIONS.size(); v++) {
            if (applied(c, v)) {
                continue;
            }
            apply(c, v, MIGRATIONS.get(v - 1));
        }
    }

    private static boolean applied(Connection c, int v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sync_schema_version WHERE version = ?")) {
            ps.setInt(1, v);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM sync_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void apply(Connection c, int version, String file) throws SQLException {
        List<String> statements = statements(file);
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO sync_schema_version (version, applied_at) VALUES (?, ?)")) {
                ps.setInt(1, version);
                ps.setLong(2, System.currentTimeMillis());
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            c.commit();
            LOG.info("sync store: applied schema migration {}", file);
        } catch (SQLException e) {
            c.rollback();
            c.setAutoCommit(true);
            if (applied(c, version)) {
                return; // another engine applied it meanwhile
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static List<String> statements(String file) {
        String sql;
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("db/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource db/" + file);
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String stmt = current.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
