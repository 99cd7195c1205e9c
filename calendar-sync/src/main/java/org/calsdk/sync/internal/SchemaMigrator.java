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
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's sync tables up to date: plain SQL files {@code db/V<n>__*.sql} applied in order, the
 * applied versions recorded in {@code sync_schema_version}. Each version runs in one transaction together
 * with the insert of its row, so two engines starting at once on PostgreSQL apply it once (the loser's
 * insert fails on the primary key, it rolls back and finds the version applied).
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** The migrations, in order. Append new files here; never edit an applied one. */
    static final List<String> MIGRATIONS = List.of("V1__sync_state.sql", "V2__push_subscriptions.sql",
            "V3__subscription_secrets.sql");

    /** Arbitrary but fixed: the advisory lock that serializes schema migration on PostgreSQL ("calsdk" in hex). */
    private static final long ADVISORY_LOCK_KEY = 0x63616c73646bL;

    private SchemaMigrator() {}

    /** The schema version this code needs. */
    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    public static void migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            // PostgreSQL: two sessions running CREATE TABLE IF NOT EXISTS at the same moment can both pass the
            // "exists" check and one fails on pg_type's unique index; a session advisory lock serializes
            // engines that start together. Other databases (H2) lock DDL themselves.
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                    .contains("postgres");
            if (postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
                }
            }
            try {
                migrateLocked(c);
            } finally {
                if (postgres) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
                    }
                }
            }
        }
    }

    private static void migrateLocked(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS sync_schema_version (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        }
        for (int v = 1; v <= MIGRATIONS.size(); v++) {
            if (applied(c, v)) {
                continue;
            }
            apply(c, v, MIGRATIONS.get(v - 1));
        }
        int current = current(c);
        if (current > MIGRATIONS.size()) {
            throw new SQLException("the sync tables have schema version " + current
                    + " but this SDK knows only up to " + MIGRATIONS.size() + "; upgrade the SDK");
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
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM sync_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void apply(Connection c, int version, String file) throws SQLException {
        List<String> statements = statements(file);
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_schema_version (version, applied_at) VALUES (?, ?)")) {
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
