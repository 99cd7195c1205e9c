package org.calsdk.sync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.internal.EventCodec;
import org.calsdk.sync.internal.OutboxPayloads;
import org.calsdk.sync.internal.SchemaMigrator;
import org.calsdk.sync.internal.StoreFiles;

/**
 * A {@link SyncStateStore} in a relational database: an H2 file under the application's data folder by
 * default ({@link #h2(Path)}), or PostgreSQL when several application instances share the work
 * ({@link #open(String, String, Secret)}). The tables ({@code sync_*}) are created and upgraded on open by
 * versioned plain-SQL migrations recorded in {@code sync_schema_version}, after the database was checked to
 * be this SDK's store (marker table {@code sync_store}, schema version): one that exists but is not is refused
 * with a {@link StoreOpenException} and left as it was. {@link #openReadOnly} opens for reading only.
 * Connections are pooled with HikariCP unless the host passes its own {@link DataSource}.
 *
 * <p>When the host keeps its own data in the same database it records pushes in its own transaction with
 * {@link #enqueue(Connection, OutboxEntry)}, so an event change and its outbox entry commit together.
 *
 * <pre>{@code
 * try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(Path.of("/var/lib/myapp"))) {
 *     store.saveIntegration(Integration.active("team", "caldav"));
 * }
 * // in the host's transaction:
 * store.enqueue(jdbcConnection, OutboxEntry.upsert(calendar, EventKey.of("booking-42"), event));
 * }</pre>
 *
 * @since 0.1
 */
public final class JdbcSyncStateStore implements SyncStateStore {
    /** The H2 database file name (without H2's {@code .mv.db} suffix) that {@link #h2(Path)} uses. */
    public static final String H2_FILE_NAME = "calsdk-sync";

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final boolean readOnly;
    /** The lease every write of this view checks (see {@link #fencedBy}); null for the store itself. */
    private final MailboxLease fence;
    /**
     * The integration this view addresses mailboxes in ({@link #inIntegration}, or a fenced view's lease); null:
     * the one integration a mailbox's email is in, looked up by each call.
     */
    private final String scope;

    private JdbcSyncStateStore(DataSource dataSource, HikariDataSource ownedPool, boolean readOnly) {
        this(dataSource, ownedPool, readOnly, null, null);
    }

    private JdbcSyncStateStore(
            DataSource dataSource, HikariDataSource ownedPool, boolean readOnly, MailboxLease fence, String scope) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.readOnly = readOnly;
        this.fence = fence;
        this.scope = scope;
    }

    /**
     * A view addressing mailboxes in {@code integration} (see {@link SyncStateStore#inIntegration}): its calls
     * make no lookup of the integration. Shares this store's connections; closing it closes nothing.
     */
    @Override
    public SyncStateStore inIntegration(String integration) {
        return new JdbcSyncStateStore(dataSource, null, readOnly, fence, Checks.notBlank(integration, "integration"));
    }

    /**
     * The integration {@code mailbox} is addressed in: this view's, else the one its email is in (one indexed
     * read); null when it is in none.
     *
     * @throws AmbiguousMailboxException the email is in several integrations and this is not a view of one
     */
    private String integ(Connection c, Mailbox mailbox) throws SQLException {
        if (scope != null) {
            return scope;
        }
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = prepare(
                        c,
                        "SELECT integration FROM sync_mailbox WHERE email_norm = ?" + " ORDER BY integration",
                        mailbox.normalized());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        if (found.size() > 1) {
            throw new AmbiguousMailboxException(mailbox, found);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private String integ(Connection c, MailboxLease lease) throws SQLException {
        return lease.integration() != null ? lease.integration() : integ(c, lease.mailbox());
    }

    private static NotFoundException notConnected(Mailbox mailbox, String integration) {
        return new NotFoundException(
                "mailbox " + mailbox + " is not connected"
                        + (integration == null ? " to any integration" : " to integration '" + integration + "'"),
                ErrorContext.NONE.withMailbox(mailbox));
    }

    /**
     * The embedded default: an H2 database file {@code calsdk-sync.mv.db} in {@code dataDir}, created when
     * it is not there. An existing file must be a sync store (see {@link #open}).
     *
     * @param dataDir the folder the H2 file lives in
     * @return the open store
     */
    public static JdbcSyncStateStore h2(Path dataDir) {
        Checks.notNull(dataDir, "dataDir");
        return open(h2Url(dataDir), "sa", Secret.of(""));
    }

    /**
     * The JDBC URL {@link #h2(Path)} opens. It turns off H2's compaction on close
     * ({@code MAX_COMPACT_TIME=0}): with it, H2 2.3 files that had been through a kill -9 were found
     * unreadable ("Double mark") after a later clean close; the file grows a little instead. It also turns off
     * H2's cache of prepared statements ({@code QUERY_CACHE_SIZE=0}, see {@link #H2_NO_QUERY_CACHE}).
     *
     * @param dataDir the folder the H2 file lives in
     * @return the JDBC URL
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(H2_FILE_NAME) + ";MAX_COMPACT_TIME=0"
                + H2_NO_QUERY_CACHE;
    }

    /**
     * Appended to H2 URLs: H2 keeps the plan of a statement it prepared in a connection's query cache, planned
     * with the row counts of that moment. The pool's connections live long, so a statement first prepared while
     * a calendar had no mappings kept a plan that walks the mailbox's rows through the foreign-key index; by the
     * end of a first full read of 20,000 events each update of a mapping took about 40 ms instead of well under
     * one (measured: 500 updates of a 20,000-row table, 18.6 s with the cached plan, 0.27 s planned afresh).
     * Re-planning each statement costs microseconds.
     */
    static final String H2_NO_QUERY_CACHE = ";QUERY_CACHE_SIZE=0";

    /**
     * Opens {@code jdbcUrl} (H2 or PostgreSQL) read-write with a connection pool of its own, closed by
     * {@link #close()}, creating the sync tables when there is no store yet and upgrading an older schema.
     * An H2 file URL without {@code MAX_COMPACT_TIME} gets {@code ;MAX_COMPACT_TIME=0}, and an H2 URL without
     * {@code QUERY_CACHE_SIZE} gets {@code ;QUERY_CACHE_SIZE=0} (see {@link #h2Url}).
     *
     * <p>Before anything is written the database is checked to be this SDK's sync store (marker and schema
     * version); an H2 file that exists is checked through a read-only open, so a damaged file is left
     * byte for byte as it was. "No store yet" is a missing H2 file or an empty database; anything else
     * that is not a store is refused. Open failures are not retried.
     *
     * @param jdbcUrl the JDBC URL (H2 or PostgreSQL)
     * @param user the database user, or null
     * @param password the database password, or null
     * @return the open store
     * @throws StoreOpenException the store exists but is unreadable, not a sync store, newer than this
     *                            SDK, locked by another process, or cannot be opened or created
     * @throws ProviderUnavailableException the database server cannot be reached (retryable)
     */
    public static JdbcSyncStateStore open(String jdbcUrl, String user, Secret password) {
        return connect(jdbcUrl, user, password, false);
    }

    /**
     * Opens an existing store read-only (for status displays, reports, backups): H2 with
     * {@code ACCESS_MODE_DATA=r}, PostgreSQL with read-only sessions. Nothing is created, upgraded or written;
     * the methods that change state throw {@link InvalidInputException}. The same checks as {@link #open}
     * apply, and a missing store is {@link StoreOpenException.Reason#NOT_FOUND}.
     *
     * @param jdbcUrl the JDBC URL (H2 or PostgreSQL)
     * @param user the database user, or null
     * @param password the database password, or null
     * @return the store, opened read-only
     * @throws StoreOpenException see {@link #open}; also when there is no store or its schema is older
     * @throws ProviderUnavailableException the database server cannot be reached (retryable)
     */
    public static JdbcSyncStateStore openReadOnly(String jdbcUrl, String user, Secret password) {
        return connect(jdbcUrl, user, password, true);
    }

    private static JdbcSyncStateStore connect(String jdbcUrl, String user, Secret password, boolean readOnly) {
        Checks.notBlank(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException(
                    "jdbcUrl",
                    "the sync store supports H2 (jdbc:h2:...) and PostgreSQL" + " (jdbc:postgresql:...) URLs");
        }
        if (jdbcUrl.startsWith("jdbc:h2:file:")
                && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("MAX_COMPACT_TIME")) {
            jdbcUrl = jdbcUrl + ";MAX_COMPACT_TIME=0";
        }
        if (jdbcUrl.startsWith("jdbc:h2:")
                && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            jdbcUrl = jdbcUrl + H2_NO_QUERY_CACHE;
        }
        // A password in the URL's query would reach the pool's logs: move user and password out of it.
        java.util.Map<String, String> moved = new java.util.HashMap<>();
        jdbcUrl = withoutCredentials(jdbcUrl, moved);
        if (user == null) {
            user = moved.get("user");
        }
        if (password == null && moved.containsKey("password")) {
            password = Secret.of(moved.get("password"));
        }
        java.util.Properties props = new java.util.Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password.reveal());
        }
        Path h2File = StoreFiles.h2File(jdbcUrl);
        String shown = h2File != null ? h2File.toString() : redact(jdbcUrl);
        boolean existed = h2File != null && java.nio.file.Files.exists(h2File);
        if (h2File != null && !existed && readOnly) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.NOT_FOUND,
                    "sync store " + shown + ": no such file (a read-write open, e.g. 'calendar sync', creates it)",
                    null);
        }
        String poolUrl = jdbcUrl;
        Connection held = null; // keeps the database open while the pool starts, so it is opened once
        try {
            if (existed) {
                // Validate read-only, below the SQL layer and then through it: a file that is not a readable
                // store is never written to.
                StoreFiles.checkH2File(h2File, jdbcUrl, shown);
                held = StoreFiles.connectProbe(StoreFiles.probeUrl(jdbcUrl, h2File), props, shown);
                SchemaMigrator.check(
                        SchemaMigrator.inspect(held), new SchemaMigrator.Expect(shown, true, false, readOnly));
                StoreFiles.closeQuietly(held);
                held = null;
                if (readOnly) {
                    poolUrl = StoreFiles.h2Settings(jdbcUrl, true, true);
                    held = StoreFiles.connect(poolUrl, props, shown, true);
                } else {
                    held = StoreFiles.connect(StoreFiles.h2Settings(jdbcUrl, false, true), props, shown, true);
                    SchemaMigrator.migrate(held, new SchemaMigrator.Expect(shown, true, false, false));
                }
            } else if (readOnly) {
                held = StoreFiles.connect(jdbcUrl, props, shown, false);
                held.setReadOnly(true);
                SchemaMigrator.check(
                        SchemaMigrator.inspect(held), new SchemaMigrator.Expect(shown, false, false, true));
            } else {
                String direct = h2File != null ? StoreFiles.h2Settings(jdbcUrl, false, false) : jdbcUrl;
                held = StoreFiles.connect(direct, props, shown, false);
                SchemaMigrator.migrate(held, new SchemaMigrator.Expect(shown, false, false, false));
            }
        } catch (SQLException e) {
            StoreFiles.closeQuietly(held);
            throw StoreFiles.openFailure(shown, e, existed);
        } catch (RuntimeException e) {
            StoreFiles.closeQuietly(held);
            throw e;
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(poolUrl);
        if (user != null) {
            cfg.setUsername(user);
        }
        if (password != null) {
            cfg.setPassword(password.reveal());
        }
        cfg.setMaximumPoolSize(readOnly ? 2 : jdbcUrl.startsWith("jdbc:h2:") ? 4 : 8);
        cfg.setPoolName(readOnly ? "calsdk-sync-readonly" : "calsdk-sync");
        cfg.setReadOnly(readOnly);
        // The database was just opened and checked: one attempt, no retry loop if that changed meanwhile.
        cfg.setInitializationFailTimeout(1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
            throw new ProviderUnavailableException(
                    "sync store " + shown + ": cannot open a connection pool: "
                            + StoreFiles.firstLine(cause.getMessage()),
                    ErrorContext.NONE,
                    e);
        } finally {
            StoreFiles.closeQuietly(held);
        }
        return new JdbcSyncStateStore(pool, pool, readOnly);
    }

    /**
     * Uses the host's {@link DataSource}, typically the host's own database (its other tables are expected
     * there); {@link #close()} leaves it open. The marker and version checks of {@link #open} apply.
     *
     * @param dataSource the data source of the database
     * @return the store over {@code dataSource}
     */
    public static JdbcSyncStateStore of(DataSource dataSource) {
        Checks.notNull(dataSource, "dataSource");
        try {
            SchemaMigrator.migrate(dataSource, "(host DataSource)");
        } catch (SQLException e) {
            throw storeError("cannot prepare the sync tables", e);
        }
        return new JdbcSyncStateStore(dataSource, null, false);
    }

    /**
     * {@code url} without {@code user}/{@code password} query parameters (PostgreSQL) or {@code ;USER=} /
     * {@code ;PASSWORD=} settings (H2), which go into {@code out}.
     */
    static String withoutCredentials(String url, java.util.Map<String, String> out) {
        if (url.startsWith("jdbc:h2:")) {
            StringBuilder kept = new StringBuilder();
            String[] parts = url.split(";", -1);
            kept.append(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                String name =
                        (eq < 0 ? parts[i] : parts[i].substring(0, eq)).strip().toLowerCase(java.util.Locale.ROOT);
                if (eq > 0 && (name.equals("user") || name.equals("password"))) {
                    out.put(name, parts[i].substring(eq + 1));
                } else {
                    kept.append(';').append(parts[i]);
                }
            }
            return kept.toString();
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String param : url.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (name.equals("user") || name.equals("password")) {
                out.put(
                        name,
                        java.net.URLDecoder.decode(
                                eq < 0 ? "" : param.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            } else if (!param.isEmpty()) {
                kept.append(kept.length() == 0 ? "?" : "&").append(param);
            }
        }
        return url.substring(0, q) + kept;
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        String shown = q < 0 ? url : url.substring(0, q) + "?…";
        // belt and braces: open() already moved credentials out, but never show one that slipped through
        return shown.replaceAll("(?i)(;\\s*password\\s*=)[^;]*", "$1****");
    }

    private static ProviderUnavailableException storeError(String what, SQLException e) {
        return new ProviderUnavailableException("sync store: " + what + ": " + e.getMessage(), ErrorContext.NONE, e);
    }

    // ---- tiny JDBC helpers

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T tx(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed); // keep the cause: a failed rollback must not replace it
                }
                throw e;
            }
        } catch (SQLException e) {
            if (readOnly && ("25006".equals(e.getSQLState()) || e.getErrorCode() == 90097)) {
                throw new InvalidInputException(
                        "store",
                        "sync store: cannot " + what
                                + ": the store was opened read-only (JdbcSyncStateStore.openReadOnly)");
            }
            throw storeError(what, e);
        }
    }

    /**
     * A write: in the view of a lease ({@link #fencedBy}), the same transaction first locks the mailbox row
     * and checks the lease's owner and generation, so taking the lease (an update of that row) waits for
     * the write, and a write after the lease was taken is refused.
     */
    private <T> T write(String what, Work<T> work) {
        return tx(what, c -> {
            if (fence != null) {
                try (PreparedStatement ps = prepare(
                                c,
                                "SELECT lease_generation FROM sync_mailbox WHERE integration = ?"
                                        + " AND email_norm = ? AND lease_owner = ? AND lease_generation = ? FOR UPDATE",
                                integ(c, fence),
                                fence.mailbox().normalized(),
                                fence.owner(),
                                fence.generation());
                        ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new LeaseLostException(fence);
                    }
                }
            }
            return work.run(c);
        });
    }

    /**
     * The database's clock in epoch milliseconds, as SQL: lease times come from it, so that nodes whose
     * clocks disagree still agree on when a lease expires (same expression on H2 2.x and PostgreSQL).
     */
    private static final String DB_NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, args);
        return ps;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else if (a instanceof Instant t) {
                ps.setLong(i + 1, t.toEpochMilli());
            } else if (a instanceof java.sql.Array arr) {
                ps.setArray(i + 1, arr);
            } else if (a instanceof NullInstant) {
                ps.setNull(i + 1, Types.BIGINT);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** Marks a null BIGINT parameter (PostgreSQL wants the right type for nulls). */
    private enum NullInstant {
        VALUE
    }

    private static Object instant(Instant t) {
        return t == null ? NullInstant.VALUE : t;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static Instant instantOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static String esc(String s) {
        return s.length() > 2000 ? s.substring(0, 1997) + "..." : s;
    }

    // ---- integrations

    @Override
    public void saveIntegration(Integration integration) {
        Checks.notNull(integration, "integration");
        write("save integration", c -> {
            int n = update(
                    c,
                    "UPDATE sync_integration SET provider = ?, status = ? WHERE name = ?",
                    integration.provider(),
                    integration.status().name(),
                    integration.name());
            if (n == 0) {
                update(
                        c,
                        "INSERT INTO sync_integration (name, provider, status) VALUES (?, ?, ?)",
                        integration.name(),
                        integration.provider(),
                        integration.status().name());
            }
            return null;
        });
    }

    @Override
    public Optional<Integration> integration(String name) {
        Checks.notNull(name, "name");
        return tx("read integration", c -> {
            try (PreparedStatement ps =
                            prepare(c, "SELECT name, provider, status FROM sync_integration WHERE name = ?", name);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(integrationRow(rs)) : Optional.<Integration>empty();
            }
        });
    }

    private static Integration integrationRow(ResultSet rs) throws SQLException {
        return new Integration(
                rs.getString("name"), rs.getString("provider"), Integration.Status.valueOf(rs.getString("status")));
    }

    @Override
    public List<Integration> integrations() {
        return tx("list integrations", c -> {
            List<Integration> out = new ArrayList<>();
            try (PreparedStatement ps =
                            prepare(c, "SELECT name, provider, status FROM sync_integration ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(integrationRow(rs));
                }
            }
            return out;
        });
    }

    @Override
    public void deleteIntegration(String name) {
        Checks.notNull(name, "name");
        write("delete integration", c -> {
            // explicit deletes rather than relying on cascades alone: clear, and cheap
            update(c, "DELETE FROM sync_outbox WHERE integration = ?", name);
            update(c, "DELETE FROM sync_event WHERE integration = ?", name);
            update(c, "DELETE FROM sync_cursor WHERE integration = ?", name);
            update(c, "DELETE FROM sync_subscription WHERE integration = ?", name);
            update(c, "DELETE FROM sync_mailbox WHERE integration = ?", name);
            update(c, "DELETE FROM sync_integration WHERE name = ?", name);
            return null;
        });
    }

    // ---- mailboxes

    @Override
    public void addMailbox(String integration, Mailbox mailbox) {
        Checks.notNull(integration, "integration");
        Checks.notNull(mailbox, "mailbox");
        write("add mailbox", c -> {
            try (PreparedStatement ps = prepare(c, "SELECT 1 FROM sync_integration WHERE name = ?", integration);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException(
                            "no integration '" + integration + "'; save it first", ErrorContext.NONE);
                }
            }
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT 1 FROM sync_mailbox WHERE integration = ? AND email_norm = ?",
                            integration,
                            mailbox.normalized());
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return null;
                }
            }
            update(
                    c,
                    "INSERT INTO sync_mailbox (email_norm, email, integration, enabled, connected, next_sync_at)"
                            + " VALUES (?, ?, ?, TRUE, TRUE, 0)",
                    mailbox.normalized(),
                    mailbox.email(),
                    integration);
            return null;
        });
    }

    @Override
    public void removeMailbox(Mailbox mailbox) {
        String n = Checks.notNull(mailbox, "mailbox").normalized();
        write("remove mailbox", c -> {
            String i = integ(c, mailbox);
            String key = " WHERE integration = ? AND email_norm = ?";
            update(c, "DELETE FROM sync_outbox" + key, i, n);
            update(c, "DELETE FROM sync_event" + key, i, n);
            update(c, "DELETE FROM sync_cursor" + key, i, n);
            update(c, "DELETE FROM sync_subscription" + key, i, n);
            update(c, "DELETE FROM sync_mailbox" + key, i, n);
            return null;
        });
    }

    private static final String STATUS_SELECT = "SELECT m.*, (SELECT COUNT(*) FROM sync_outbox o WHERE o.integration"
            + " = m.integration AND o.email_norm = m.email_norm AND o.failed = FALSE) AS pending FROM sync_mailbox m";

    private static MailboxStatus statusRow(ResultSet rs) throws SQLException {
        return new MailboxStatus(
                Mailbox.of(rs.getString("email")),
                rs.getString("integration"),
                rs.getBoolean("enabled"),
                rs.getBoolean("connected"),
                instantOrNull(rs, "last_sync_at"),
                rs.getString("last_error"),
                instantOrNull(rs, "last_error_at"),
                rs.getString("relink_url"),
                rs.getInt("pending"),
                rs.getInt("failures"),
                Instant.ofEpochMilli(rs.getLong("next_sync_at")));
    }

    private List<MailboxStatus> statuses(String where, Object... args) {
        return tx("list mailboxes", c -> {
            List<MailboxStatus> out = new ArrayList<>();
            try (PreparedStatement ps =
                            prepare(c, STATUS_SELECT + where + " ORDER BY m.email_norm, m.integration", args);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(statusRow(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<MailboxStatus> mailbox(Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        if (scope != null) {
            List<MailboxStatus> l =
                    statuses(" WHERE m.integration = ? AND m.email_norm = ?", scope, mailbox.normalized());
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        }
        List<MailboxStatus> l = statuses(" WHERE m.email_norm = ?", mailbox.normalized());
        if (l.size() > 1) {
            throw new AmbiguousMailboxException(
                    mailbox, l.stream().map(MailboxStatus::integration).sorted().toList());
        }
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<MailboxStatus> mailboxes() {
        return statuses("");
    }

    @Override
    public List<MailboxStatus> mailboxes(String integration) {
        return statuses(" WHERE m.integration = ?", Checks.notNull(integration, "integration"));
    }

    private void updateMailbox(Mailbox mailbox, String what, String set, Object... args) {
        Checks.notNull(mailbox, "mailbox");
        Object[] all = new Object[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length + 1] = mailbox.normalized();
        int n = write(what, c -> {
            all[args.length] = integ(c, mailbox);
            return update(c, "UPDATE sync_mailbox SET " + set + " WHERE integration = ? AND email_norm = ?", all);
        });
        if (n == 0) {
            throw notConnected(mailbox, scope);
        }
    }

    @Override
    public void setEnabled(Mailbox mailbox, boolean enabled) {
        if (enabled) {
            updateMailbox(
                    mailbox,
                    "enable mailbox",
                    "next_sync_at = CASE WHEN enabled = TRUE THEN next_sync_at ELSE 0 END, enabled = TRUE");
        } else {
            updateMailbox(mailbox, "disable mailbox", "enabled = FALSE");
        }
    }

    @Override
    public void markDisconnected(Mailbox mailbox, String reason, String relinkUrl, Instant at) {
        updateMailbox(
                mailbox,
                "mark disconnected",
                "connected = FALSE, last_error = ?, last_error_at = ?, relink_url = ?",
                reason == null ? null : esc(reason),
                instant(at),
                relinkUrl == null ? null : esc(relinkUrl));
    }

    @Override
    public void markConnected(Mailbox mailbox) {
        updateMailbox(mailbox, "mark connected", "connected = TRUE, relink_url = NULL, failures = 0, next_sync_at = 0");
    }

    /**
     * A pass's next poll, unless a sync was requested while it ran (taking the lease clears the request): then
     * the mailbox stays due and the next pass comes right after this one. Never later than the earliest retry of
     * a push left waiting: due-ness lives in {@code next_sync_at} alone, so the due queue needs no look at the
     * outbox (its index serves the claim; two parameters, both the next poll).
     */
    private static final String NEXT_UNLESS_REQUESTED = "next_sync_at = CASE WHEN sync_requested THEN CAST(0 AS BIGINT)"
            + " ELSE LEAST(CAST(? AS BIGINT), COALESCE((SELECT MIN(o.next_attempt_at) FROM sync_outbox o"
            + " WHERE o.integration = sync_mailbox.integration AND o.email_norm = sync_mailbox.email_norm"
            + " AND o.failed = FALSE), CAST(? AS BIGINT))) END";

    /**
     * Due at once, except during an error backoff (failures counted, next try in the future): the request is
     * kept and the retry at the end of the backoff serves it, so a failing mailbox is not retried at every
     * push or webhook.
     */
    private static final String REQUEST =
            "sync_requested = TRUE, next_sync_at = CASE WHEN failures > 0 THEN next_sync_at"
                    + " ELSE CAST(0 AS BIGINT) END";

    @Override
    public void recordSuccess(Mailbox mailbox, Instant at, Instant nextSyncAt) {
        updateMailbox(
                mailbox,
                "record success",
                "last_sync_at = ?, last_error = NULL, last_error_at = NULL, failures = 0, " + NEXT_UNLESS_REQUESTED,
                Checks.notNull(at, "at"),
                Checks.notNull(nextSyncAt, "nextSyncAt"),
                nextSyncAt);
    }

    @Override
    public void recordSuccessWithProblem(Mailbox mailbox, Instant at, Instant nextSyncAt, String problem) {
        updateMailbox(
                mailbox,
                "record success with a problem",
                "last_sync_at = ?, last_error = ?, last_error_at = ?, failures = 0, " + NEXT_UNLESS_REQUESTED,
                Checks.notNull(at, "at"),
                problem == null ? "unknown problem" : esc(problem),
                at,
                Checks.notNull(nextSyncAt, "nextSyncAt"),
                nextSyncAt);
    }

    @Override
    public void recordError(Mailbox mailbox, String error, Instant at, Instant nextSyncAt) {
        updateMailbox(
                mailbox,
                "record error",
                "last_error = ?, last_error_at = ?, failures = failures + 1, next_sync_at = ?",
                error == null ? "unknown error" : esc(error),
                Checks.notNull(at, "at"),
                Checks.notNull(nextSyncAt, "nextSyncAt"));
    }

    @Override
    public void requestSync(Mailbox mailbox) {
        updateMailbox(mailbox, "request sync", REQUEST);
    }

    // ---- scheduling and leases

    /**
     * The due queue's condition on {@code sync_mailbox m}: an ordered range scan of the index
     * {@code (enabled, connected, next_sync_at)} (V6), with the lease and the integration checked on the rows
     * it reads. Due-ness is {@code next_sync_at} alone (see {@link #NEXT_UNLESS_REQUESTED}).
     */
    private static final String DUE = " WHERE m.enabled = TRUE AND m.connected = TRUE AND m.next_sync_at <= ?"
            + " AND (m.lease_owner IS NULL OR m.lease_until <= " + DB_NOW + ")"
            + " AND EXISTS (SELECT 1 FROM sync_integration i WHERE i.name = m.integration AND i.status = 'ACTIVE')";

    @Override
    public List<Mailbox> dueMailboxes(Instant now, int limit) {
        return dueMailboxRefs(now, limit).stream().map(MailboxRef::mailbox).toList();
    }

    @Override
    public List<MailboxRef> dueMailboxRefs(Instant now, int limit) {
        Checks.notNull(now, "now");
        return tx("find due mailboxes", c -> {
            List<MailboxRef> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(
                    c,
                    "SELECT m.email, m.integration FROM sync_mailbox m" + DUE
                            + " ORDER BY m.next_sync_at, m.email_norm, m.integration",
                    now)) {
                ps.setMaxRows(Math.max(1, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(MailboxRef.of(rs.getString(2), Mailbox.of(rs.getString(1))));
                    }
                }
            }
            return out;
        });
    }

    /** The claim query: the due queue's head, locked, skipping rows another engine is claiming right now. */
    static final String CLAIM_SQL =
            "SELECT m.*, (SELECT COUNT(*) FROM sync_outbox o WHERE o.integration = m.integration"
                    + " AND o.email_norm = m.email_norm AND o.failed = FALSE) AS pending FROM sync_mailbox m" + DUE
                    + " ORDER BY m.next_sync_at LIMIT ? FOR UPDATE SKIP LOCKED";

    /**
     * Claims the head of the due queue in one transaction of four round trips, however many mailboxes: the
     * due rows locked with {@code SELECT ... FOR UPDATE SKIP LOCKED} (H2 and PostgreSQL; engines claiming at the
     * same time skip each other's rows instead of waiting or taking them twice) together with their state, one
     * update that takes their leases, and one read of their cursors.
     */
    @Override
    public List<Claim> claimDue(String owner, Instant now, int limit, Duration ttl) {
        Checks.notBlank(owner, "owner");
        Checks.notNull(now, "now");
        Checks.notNull(ttl, "ttl");
        if (limit < 1) {
            return List.of();
        }
        return tx("claim due mailboxes", c -> {
            List<MailboxStatus> statuses = new ArrayList<>();
            List<Long> generations = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, CLAIM_SQL, now, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statuses.add(statusRow(rs));
                    generations.add(rs.getLong("lease_generation") + 1);
                    ids.add(rs.getLong("mailbox_id"));
                }
            }
            if (ids.isEmpty()) {
                return List.<Claim>of();
            }
            java.sql.Array idArray = c.createArrayOf("BIGINT", ids.toArray());
            update(
                    c,
                    "UPDATE sync_mailbox SET lease_owner = ?, lease_until = " + DB_NOW + " + ?,"
                            + " lease_generation = lease_generation + 1, sync_requested = FALSE WHERE mailbox_id = ANY (?)",
                    owner,
                    ttl.toMillis(),
                    idArray);
            java.util.Map<Long, java.util.Map<String, SyncCursor>> cursors = new java.util.HashMap<>();
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT m.mailbox_id, k.calendar_id, k.cursor_value FROM sync_cursor k"
                                    + " JOIN sync_mailbox m ON m.integration = k.integration AND m.email_norm = k.email_norm"
                                    + " WHERE m.mailbox_id = ANY (?)",
                            idArray);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cursors.computeIfAbsent(rs.getLong(1), k -> new java.util.HashMap<>())
                            .put(rs.getString(2), SyncCursor.of(rs.getString(3)));
                }
            }
            List<Claim> out = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                MailboxStatus st = statuses.get(i);
                out.add(new Claim(
                        new MailboxLease(st.mailbox(), owner, generations.get(i), st.integration()),
                        st,
                        cursors.getOrDefault(ids.get(i), java.util.Map.of())));
            }
            return out;
        });
    }

    /**
     * One transaction for many passes: a batched update of the mailbox rows (outcome, each fenced by its pass's
     * owner and generation, which also locks the row until the commit), then a batched update of the cursors of
     * the passes whose fence held (inserts for calendars that had none), then the release of their leases (made
     * with the outcome for passes without cursors), then the commit: a handful of round trips for any number.
     */
    @Override
    public List<PassEnd> finishPasses(List<PassEnd> ends) {
        Checks.notNull(ends, "ends");
        if (ends.isEmpty()) {
            return List.of();
        }
        String fenceSql = " WHERE integration = ? AND email_norm = ? AND lease_owner = ? AND lease_generation = ?";
        String release = "lease_owner = NULL, lease_until = NULL";
        return tx("finish passes", c -> {
            List<PassEnd> written = new ArrayList<>();
            List<PassEnd> releaseLater = new ArrayList<>();
            // grouped by outcome, and by whether cursors follow: a pass's lease is given back after its cursors
            // are written, so that every write of the pass is made while the row still names its lease
            java.util.Map<String, List<PassEnd>> by = new java.util.LinkedHashMap<>();
            for (PassEnd e : ends) {
                by.computeIfAbsent(e.outcome() + (e.cursors().isEmpty() ? "" : "+cursors"), k -> new ArrayList<>())
                        .add(e);
            }
            for (List<PassEnd> group : by.values()) {
                PassEnd.Outcome outcome = group.get(0).outcome();
                boolean later = !group.get(0).cursors().isEmpty();
                String set = switch (outcome) {
                    case SUCCESS ->
                        "last_sync_at = ?, last_error = ?, last_error_at = ?, failures = 0, " + NEXT_UNLESS_REQUESTED;
                    case ERROR -> "last_error = ?, last_error_at = ?, failures = failures + 1, next_sync_at = ?";
                    // a no-op assignment: the release appended below sets lease_until (naming it twice is an error)
                    case RELEASE -> "lease_generation = lease_generation";
                };
                String sql = "UPDATE sync_mailbox SET " + set + (later ? "" : ", " + release) + fenceSql;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (PassEnd e : group) {
                        MailboxLease l = e.lease();
                        Object[] fence = {integ(c, l), l.mailbox().normalized(), l.owner(), l.generation()};
                        Object[] head = switch (outcome) {
                            case SUCCESS ->
                                new Object[] {
                                    e.at(),
                                    e.message() == null ? null : esc(e.message()),
                                    instant(e.message() == null ? null : e.at()),
                                    e.nextSyncAt(),
                                    e.nextSyncAt()
                                };
                            case ERROR ->
                                new Object[] {
                                    e.message() == null ? "unknown error" : esc(e.message()), e.at(), e.nextSyncAt()
                                };
                            case RELEASE -> new Object[0];
                        };
                        Object[] all = new Object[head.length + fence.length];
                        System.arraycopy(head, 0, all, 0, head.length);
                        System.arraycopy(fence, 0, all, head.length, fence.length);
                        bind(ps, all);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] == 1 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                            written.add(group.get(i));
                            if (later) {
                                releaseLater.add(group.get(i));
                            }
                        }
                    }
                }
            }
            List<Object[]> cursorRows = new ArrayList<>();
            for (PassEnd e : written) {
                String i = integ(c, e.lease());
                e.cursors()
                        .forEach((cal, cur) -> cursorRows.add(
                                new Object[] {cur.value(), i, cal.mailbox().normalized(), cal.id()}));
            }
            if (!cursorRows.isEmpty()) {
                List<Object[]> missing = new ArrayList<>();
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE sync_cursor SET cursor_value = ? WHERE integration = ?"
                                + " AND email_norm = ? AND calendar_id = ?")) {
                    for (Object[] row : cursorRows) {
                        bind(ps, row);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] == 0) {
                            missing.add(cursorRows.get(i));
                        }
                    }
                }
                if (!missing.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_cursor (cursor_value, integration,"
                            + " email_norm, calendar_id) VALUES (?, ?, ?, ?)")) {
                        for (Object[] row : missing) {
                            bind(ps, row);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
            }
            if (!releaseLater.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE sync_mailbox SET " + release + fenceSql)) {
                    for (PassEnd e : releaseLater) {
                        bind(
                                ps,
                                integ(c, e.lease()),
                                e.lease().mailbox().normalized(),
                                e.lease().owner(),
                                e.lease().generation());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return written;
        });
    }

    @Override
    public SyncBacklog backlog(Instant now) {
        Checks.notNull(now, "now");
        long at = now.toEpochMilli();
        String live = "(m.lease_owner IS NOT NULL AND m.lease_until > " + DB_NOW + ")";
        String due = "m.enabled = TRUE AND m.connected = TRUE AND i.status = 'ACTIVE' AND NOT " + live
                + " AND (m.next_sync_at <= ? OR m.failures = 0 AND EXISTS (SELECT 1 FROM sync_outbox o WHERE"
                + " o.integration = m.integration AND o.email_norm = m.email_norm AND o.failed = FALSE"
                + " AND o.next_attempt_at <= ?))";
        return tx("read backlog", c -> {
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT"
                                    + " (SELECT COUNT(*) FROM sync_mailbox m JOIN sync_integration i ON i.name = m.integration WHERE "
                                    + due + "),"
                                    + " (SELECT COUNT(*) FROM sync_mailbox m JOIN sync_integration i ON i.name = m.integration WHERE "
                                    + due
                                    + " AND m.sync_requested = TRUE),"
                                    + " (SELECT COUNT(*) FROM sync_mailbox m WHERE " + live + "),"
                                    + " (SELECT MIN(m.next_sync_at) FROM sync_mailbox m JOIN sync_integration i ON i.name = m.integration"
                                    + " WHERE " + due + " AND m.next_sync_at > 0 AND m.next_sync_at <= ?),"
                                    + " (SELECT COUNT(*) FROM sync_outbox WHERE failed = FALSE),"
                                    + " (SELECT COUNT(*) FROM sync_outbox WHERE failed = TRUE)"
                                    + " FROM sync_store",
                            at,
                            at,
                            at,
                            at,
                            at,
                            at,
                            at);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                long oldest = rs.getLong(4);
                Duration age = rs.wasNull() || oldest > at ? Duration.ZERO : Duration.ofMillis(at - oldest);
                return new SyncBacklog(rs.getLong(1), rs.getLong(2), rs.getLong(3), age, rs.getLong(5), rs.getLong(6));
            }
        });
    }

    @Override
    public Optional<MailboxLease> acquireLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        Checks.notBlank(owner, "owner");
        Checks.notNull(mailbox, "mailbox");
        Checks.notNull(ttl, "ttl");
        return tx("take lease", c -> {
            String i = integ(c, mailbox);
            int n = update(
                    c,
                    "UPDATE sync_mailbox SET lease_owner = ?, lease_until = " + DB_NOW + " + ?,"
                            + " lease_generation = lease_generation + 1, sync_requested = FALSE WHERE integration = ?"
                            + " AND email_norm = ? AND (lease_owner IS NULL OR lease_until <= " + DB_NOW + ")",
                    owner,
                    ttl.toMillis(),
                    i,
                    mailbox.normalized());
            if (n != 1) {
                return Optional.<MailboxLease>empty();
            }
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT lease_generation FROM sync_mailbox WHERE integration = ?" + " AND email_norm = ?",
                            i,
                            mailbox.normalized());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new MailboxLease(mailbox, owner, rs.getLong(1), i));
            }
        });
    }

    @Override
    public int seizeLeases(String integration, String owner, Instant now, Duration ttl) {
        Checks.notNull(integration, "integration");
        Checks.notBlank(owner, "owner");
        Checks.notNull(ttl, "ttl");
        return tx(
                "seize leases",
                c -> update(
                        c,
                        "UPDATE sync_mailbox SET lease_owner = ?, lease_until = " + DB_NOW
                                + " + ?, lease_generation = lease_generation + 1 WHERE integration = ?",
                        owner,
                        ttl.toMillis(),
                        integration));
    }

    @Override
    public Optional<MailboxLease> seizeLease(Mailbox mailbox, String owner, Instant now, Duration ttl) {
        Checks.notNull(mailbox, "mailbox");
        Checks.notBlank(owner, "owner");
        Checks.notNull(ttl, "ttl");
        return tx("seize lease", c -> {
            String i = integ(c, mailbox);
            if (update(
                            c,
                            "UPDATE sync_mailbox SET lease_owner = ?, lease_until = " + DB_NOW
                                    + " + ?, lease_generation ="
                                    + " lease_generation + 1 WHERE integration = ? AND email_norm = ?",
                            owner,
                            ttl.toMillis(),
                            i,
                            mailbox.normalized())
                    != 1) {
                return Optional.<MailboxLease>empty();
            }
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT lease_generation FROM sync_mailbox WHERE integration = ?" + " AND email_norm = ?",
                            i,
                            mailbox.normalized());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new MailboxLease(mailbox, owner, rs.getLong(1), i));
            }
        });
    }

    @Override
    public boolean renewLease(MailboxLease lease, Instant now, Duration ttl) {
        Checks.notNull(lease, "lease");
        Checks.notNull(ttl, "ttl");
        return tx(
                "renew lease",
                c -> update(
                                c,
                                "UPDATE sync_mailbox SET lease_until = " + DB_NOW + " + ?"
                                        + " WHERE integration = ? AND email_norm = ? AND lease_owner = ? AND lease_generation = ?",
                                ttl.toMillis(),
                                integ(c, lease),
                                lease.mailbox().normalized(),
                                lease.owner(),
                                lease.generation())
                        == 1);
    }

    @Override
    public boolean holdsLease(MailboxLease lease) {
        Checks.notNull(lease, "lease");
        return tx("check lease", c -> {
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT 1 FROM sync_mailbox WHERE integration = ? AND email_norm = ?"
                                    + " AND lease_owner = ? AND lease_generation = ?",
                            integ(c, lease),
                            lease.mailbox().normalized(),
                            lease.owner(),
                            lease.generation());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void releaseLease(MailboxLease lease) {
        Checks.notNull(lease, "lease");
        tx(
                "release lease",
                c -> update(
                        c,
                        "UPDATE sync_mailbox SET lease_owner = NULL, lease_until = NULL"
                                + " WHERE integration = ? AND email_norm = ? AND lease_owner = ? AND lease_generation = ?",
                        integ(c, lease),
                        lease.mailbox().normalized(),
                        lease.owner(),
                        lease.generation()));
    }

    /**
     * A view whose writes are fenced by {@code lease} (see {@link SyncStateStore#fencedBy}): each runs in one
     * transaction with a locking check of the mailbox row's owner and generation. Shares this store's
     * connections; closing the view closes nothing.
     */
    @Override
    public SyncStateStore fencedBy(MailboxLease lease) {
        Checks.notNull(lease, "lease");
        return new JdbcSyncStateStore(
                dataSource, null, readOnly, lease, lease.integration() != null ? lease.integration() : scope);
    }

    // ---- cursors

    @Override
    public SyncCursor cursor(CalendarRef calendar) {
        Checks.notNull(calendar, "calendar");
        return tx("read cursor", c -> {
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT cursor_value FROM sync_cursor WHERE integration = ? AND email_norm = ?"
                                    + " AND calendar_id = ?",
                            integ(c, calendar.mailbox()),
                            calendar.mailbox().normalized(),
                            calendar.id());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? SyncCursor.of(rs.getString(1)) : SyncCursor.START;
            }
        });
    }

    @Override
    public void saveCursor(CalendarRef calendar, SyncCursor cursor) {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(cursor, "cursor");
        write("save cursor", c -> {
            saveCursorIn(c, integ(c, calendar.mailbox()), calendar, cursor);
            return null;
        });
    }

    /** Creates or replaces a calendar's cursor in {@code c}'s transaction. */
    private void saveCursorIn(Connection c, String i, CalendarRef calendar, SyncCursor cursor) throws SQLException {
        int n = update(
                c,
                "UPDATE sync_cursor SET cursor_value = ? WHERE integration = ? AND email_norm = ?"
                        + " AND calendar_id = ?",
                cursor.value(),
                i,
                calendar.mailbox().normalized(),
                calendar.id());
        if (n == 0) {
            try {
                update(
                        c,
                        "INSERT INTO sync_cursor (integration, email_norm, calendar_id, cursor_value) VALUES (?, ?, ?, ?)",
                        i,
                        calendar.mailbox().normalized(),
                        calendar.id(),
                        cursor.value());
            } catch (SQLException e) {
                if (isForeignKeyViolation(e)) {
                    throw notConnected(calendar.mailbox(), scope);
                }
                throw e;
            }
        }
    }

    // ---- push subscriptions

    private static Subscription subscriptionRow(ResultSet rs, CalendarRef calendar) throws SQLException {
        return new Subscription(
                rs.getString("subscription_id"),
                calendar,
                rs.getString("resource_id"),
                Instant.ofEpochMilli(rs.getLong("expires_at")),
                org.calsdk.auth.Secret.of(rs.getString("client_state")));
    }

    @Override
    public Optional<Subscription> subscriptionById(String integration, String subscriptionId) {
        Checks.notNull(integration, "integration");
        Checks.notNull(subscriptionId, "subscriptionId");
        return tx("read subscription by id", c -> {
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT s.*, m.email FROM sync_subscription s JOIN sync_mailbox m"
                                    + " ON m.integration = s.integration AND m.email_norm = s.email_norm WHERE s.subscription_id = ?"
                                    + " AND s.integration = ?",
                            subscriptionId,
                            integration);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(subscriptionRow(
                                rs, CalendarRef.of(Mailbox.of(rs.getString("email")), rs.getString("calendar_id"))))
                        : Optional.empty();
            }
        });
    }

    @Override
    public Optional<Subscription> subscription(CalendarRef calendar) {
        Checks.notNull(calendar, "calendar");
        return tx("read subscription", c -> {
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT * FROM sync_subscription WHERE integration = ? AND email_norm = ?"
                                    + " AND calendar_id = ?",
                            integ(c, calendar.mailbox()),
                            calendar.mailbox().normalized(),
                            calendar.id());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(subscriptionRow(rs, calendar)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Subscription> subscriptions(Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        return tx("read subscriptions", c -> {
            List<Subscription> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT s.*, m.email FROM sync_subscription s JOIN sync_mailbox m"
                                    + " ON m.integration = s.integration AND m.email_norm = s.email_norm WHERE s.integration = ?"
                                    + " AND s.email_norm = ? ORDER BY s.calendar_id",
                            integ(c, mailbox),
                            mailbox.normalized());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(subscriptionRow(
                            rs, CalendarRef.of(Mailbox.of(rs.getString("email")), rs.getString("calendar_id"))));
                }
            }
            return out;
        });
    }

    @Override
    public void saveSubscription(Subscription subscription) {
        Checks.notNull(subscription, "subscription");
        CalendarRef cal = subscription.calendar();
        write("save subscription", c -> {
            String i = integ(c, cal.mailbox());
            int n = update(
                    c,
                    "UPDATE sync_subscription SET subscription_id = ?, resource_id = ?, expires_at = ?,"
                            + " client_state = ? WHERE integration = ? AND email_norm = ? AND calendar_id = ?",
                    subscription.id(),
                    subscription.resourceId(),
                    subscription.expiresAt(),
                    subscription.clientState().reveal(),
                    i,
                    cal.mailbox().normalized(),
                    cal.id());
            if (n == 0) {
                try {
                    update(
                            c,
                            "INSERT INTO sync_subscription (integration, email_norm, calendar_id, subscription_id,"
                                    + " resource_id, expires_at, client_state) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            i,
                            cal.mailbox().normalized(),
                            cal.id(),
                            subscription.id(),
                            subscription.resourceId(),
                            subscription.expiresAt(),
                            subscription.clientState().reveal());
                } catch (SQLException e) {
                    if (isForeignKeyViolation(e)) {
                        throw notConnected(cal.mailbox(), scope);
                    }
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void endSubscription(CalendarRef calendar, String subscriptionId) {
        Checks.notNull(calendar, "calendar");
        String key =
                "UPDATE sync_subscription SET expires_at = 0 WHERE integration = ? AND email_norm = ? AND calendar_id = ?";
        write(
                "end subscription",
                c -> subscriptionId == null
                        ? update(
                                c,
                                key,
                                integ(c, calendar.mailbox()),
                                calendar.mailbox().normalized(),
                                calendar.id())
                        : update(
                                c,
                                key + " AND subscription_id = ?",
                                integ(c, calendar.mailbox()),
                                calendar.mailbox().normalized(),
                                calendar.id(),
                                subscriptionId));
    }

    /** One conditional update: the expiry only ever comes forward, and only on the row with that id. */
    @Override
    public void requestRenewal(CalendarRef calendar, String subscriptionId, Instant renewBy) {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(renewBy, "renewBy");
        String sql = "UPDATE sync_subscription SET expires_at = ? WHERE integration = ? AND email_norm = ?"
                + " AND calendar_id = ? AND expires_at > ?"
                + (subscriptionId == null ? "" : " AND subscription_id = ?");
        write("request subscription renewal", c -> {
            List<Object> args = new ArrayList<>(List.of(
                    renewBy, integ(c, calendar.mailbox()), calendar.mailbox().normalized(), calendar.id(), renewBy));
            if (subscriptionId != null) {
                args.add(subscriptionId);
            }
            return update(c, sql, args.toArray());
        });
    }

    @Override
    public void deleteSubscription(CalendarRef calendar) {
        Checks.notNull(calendar, "calendar");
        write(
                "delete subscription",
                c -> update(
                        c,
                        "DELETE FROM sync_subscription WHERE integration = ? AND email_norm = ?"
                                + " AND calendar_id = ?",
                        integ(c, calendar.mailbox()),
                        calendar.mailbox().normalized(),
                        calendar.id()));
    }

    // ---- mappings

    private static EventMapping mappingRow(ResultSet rs, CalendarRef calendar) throws SQLException {
        String key = rs.getString("event_key");
        return new EventMapping(
                calendar,
                rs.getString("event_id"),
                key == null ? null : EventKey.of(key),
                rs.getString("version"),
                EventCodec.read(rs.getString("base")));
    }

    /** The mappings of {@code calendar} matching {@code more} (after its key: integration, email, calendar id). */
    private List<EventMapping> mappingQuery(CalendarRef calendar, String more, Object... args) {
        return tx("read mappings", c -> {
            List<EventMapping> out = new ArrayList<>();
            Object[] all = new Object[args.length + 3];
            all[0] = integ(c, calendar.mailbox());
            all[1] = calendar.mailbox().normalized();
            all[2] = calendar.id();
            System.arraycopy(args, 0, all, 3, args.length);
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT * FROM sync_event WHERE integration = ? AND email_norm = ?" + " AND calendar_id = ?"
                                    + more,
                            all);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mappingRow(rs, calendar));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<EventMapping> mappingByKey(CalendarRef calendar, EventKey key) {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(key, "key");
        return mappingQuery(calendar, " AND event_key = ?", key.value()).stream()
                .findFirst();
    }

    @Override
    public Optional<EventMapping> mappingByEventId(CalendarRef calendar, String eventId) {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(eventId, "eventId");
        return mappingQuery(calendar, " AND event_id = ?", eventId).stream().findFirst();
    }

    @Override
    public List<EventMapping> mappings(CalendarRef calendar) {
        Checks.notNull(calendar, "calendar");
        return mappingQuery(calendar, " ORDER BY event_id");
    }

    @Override
    public List<String> mappingIds(CalendarRef calendar) {
        Checks.notNull(calendar, "calendar");
        return tx("read mapping ids", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT event_id FROM sync_event WHERE integration = ? AND email_norm = ?"
                                    + " AND calendar_id = ? ORDER BY event_id",
                            integ(c, calendar.mailbox()),
                            calendar.mailbox().normalized(),
                            calendar.id());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public List<EventMapping> appMappings(String integration) {
        Checks.notNull(integration, "integration");
        return tx("read mappings", c -> {
            List<EventMapping> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT e.*, m.email FROM sync_event e JOIN sync_mailbox m ON"
                                    + " m.integration = e.integration AND m.email_norm = e.email_norm WHERE e.integration = ?"
                                    + " AND e.event_key IS NOT NULL"
                                    + " ORDER BY e.email_norm, e.calendar_id, e.event_id",
                            integration);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mappingRow(
                            rs, CalendarRef.of(Mailbox.of(rs.getString("email")), rs.getString("calendar_id"))));
                }
            }
            return out;
        });
    }

    @Override
    public void saveMapping(EventMapping mapping) {
        Checks.notNull(mapping, "mapping");
        write("save mapping", c -> {
            saveMappingIn(c, integ(c, mapping.calendar().mailbox()), mapping);
            return null;
        });
    }

    /**
     * Creates or replaces one mapping in {@code c}'s transaction, dropping the event's pending write (the
     * mapping now says what both sides agree on).
     */
    private void saveMappingIn(Connection c, String i, EventMapping mapping) throws SQLException {
        CalendarRef cal = mapping.calendar();
        String base = mapping.base() == null ? null : EventCodec.write(mapping.base());
        String key = mapping.key() == null ? null : mapping.key().value();
        if (key != null) {
            update(
                    c,
                    "DELETE FROM sync_event WHERE integration = ? AND email_norm = ? AND calendar_id = ?"
                            + " AND event_key = ? AND event_id <> ?",
                    i,
                    cal.mailbox().normalized(),
                    cal.id(),
                    key,
                    mapping.eventId());
        }
        // updated by its primary key (the event id first, see BY_EVENT_ID); inserted when there was no row
        int n = update(
                c,
                "UPDATE sync_event SET event_key = ?, version = ?, base = ?, pending_version = NULL,"
                        + " pending_write = NULL" + BY_EVENT_ID,
                key,
                mapping.version(),
                base,
                mapping.eventId(),
                cal.id(),
                i,
                cal.mailbox().normalized());
        if (n == 0) {
            try {
                update(
                        c,
                        "INSERT INTO sync_event (integration, email_norm, calendar_id, event_id, event_key, version,"
                                + " base) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        i,
                        cal.mailbox().normalized(),
                        cal.id(),
                        mapping.eventId(),
                        key,
                        mapping.version(),
                        base);
            } catch (SQLException e) {
                if (isForeignKeyViolation(e)) {
                    throw notConnected(cal.mailbox(), scope);
                }
                throw e;
            }
        }
    }

    /**
     * The WHERE of an update or delete of one mapping row by its primary key, the event id first (parameters:
     * event id, calendar id, integration, email). In a transaction H2 2.3 plans the same condition written
     * integration first on the mailbox's foreign-key index and walks every row of the mailbox: an update of a
     * mapping of a 20,000-event calendar took 40 ms instead of a fraction of one, which made a first full read
     * quadratic. Written this way it uses the primary key (PostgreSQL does either way).
     */
    private static final String BY_EVENT_ID =
            " WHERE event_id = ? AND calendar_id = ? AND integration = ? AND email_norm = ?";

    /** Kept in the event's mapping row (schema V8): read by its primary key, no row of its own. */
    @Override
    public Optional<PendingWrite> pendingWrite(CalendarRef calendar, String eventId) {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(eventId, "eventId");
        return tx("read pending write", c -> {
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT pending_version, pending_write FROM sync_event WHERE integration = ?"
                                    + " AND email_norm = ? AND calendar_id = ? AND event_id = ?"
                                    + " AND pending_write IS NOT NULL",
                            integ(c, calendar.mailbox()),
                            calendar.mailbox().normalized(),
                            calendar.id(),
                            eventId);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<PendingWrite>empty();
                }
                return Optional.of(
                        new PendingWrite(calendar, eventId, rs.getString(1), EventCodec.read(rs.getString(2))));
            }
        });
    }

    /**
     * One update of the event's mapping row (schema V8); a write about an event with no mapping is refused with
     * {@link NotFoundException} (the engine records writes over mapped events only).
     */
    @Override
    public void savePendingWrite(PendingWrite pending) {
        Checks.notNull(pending, "pending");
        CalendarRef cal = pending.calendar();
        String written = EventCodec.write(pending.written());
        write("save pending write", c -> {
            int n = update(
                    c,
                    "UPDATE sync_event SET pending_version = ?, pending_write = ?" + BY_EVENT_ID,
                    pending.version(),
                    written,
                    pending.eventId(),
                    cal.id(),
                    integ(c, cal.mailbox()),
                    cal.mailbox().normalized());
            if (n == 0) {
                throw new NotFoundException(
                        "sync store: no mapping of event " + pending.eventId() + " to record a write to",
                        ErrorContext.NONE);
            }
            return null;
        });
    }

    /** The mapping save (settling its pending write) and the outbox removal in one transaction. */
    @Override
    public void completePush(long outboxId, EventMapping mapping) {
        write("complete push", c -> {
            if (mapping != null) {
                saveMappingIn(c, integ(c, mapping.calendar().mailbox()), mapping);
            }
            update(c, "DELETE FROM sync_outbox WHERE id = ?", outboxId);
            return null;
        });
    }

    /**
     * One transaction (fenced once): a batched delete, a batched update by primary key, a batched insert of the
     * mappings the update found no row of, then the cursor. (Not a read of which ids exist first: H2 evaluates
     * {@code event_id = ANY (?)} row by row against the array instead of through the key, which made each page
     * of a big calendar's full read scan the calendar.)
     */
    @Override
    public void writePage(PageWrites page) {
        Checks.notNull(page, "page");
        if (page.isEmpty()) {
            return;
        }
        CalendarRef cal = page.calendar();
        String email = cal.mailbox().normalized();
        write("save a page of mappings", c -> {
            String i = integ(c, cal.mailbox());
            if (!page.deleted().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_event" + BY_EVENT_ID)) {
                    for (String id : page.deleted()) {
                        bind(ps, id, cal.id(), i, email);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!page.saved().isEmpty()) {
                List<EventMapping> updates = new ArrayList<>();
                for (EventMapping m : page.saved()) {
                    if (m.key() != null) {
                        saveMappingIn(c, i, m); // an app event's: its key moves with it (rare in a page)
                    } else {
                        updates.add(m);
                    }
                }
                // every row updated by its primary key; the ones that did not exist (no row updated) are inserted
                List<EventMapping> inserts = new ArrayList<>();
                if (!updates.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE sync_event SET event_key = NULL,"
                            + " version = ?, base = ?, pending_version = NULL, pending_write = NULL" + BY_EVENT_ID)) {
                        for (EventMapping m : updates) {
                            bind(
                                    ps,
                                    m.version(),
                                    m.base() == null ? null : EventCodec.write(m.base()),
                                    m.eventId(),
                                    cal.id(),
                                    i,
                                    email);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        for (int k = 0; k < counts.length; k++) {
                            if (counts[k] == 0) {
                                inserts.add(updates.get(k));
                            }
                        }
                    }
                }
                if (!inserts.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO sync_event (integration, email_norm, calendar_id, event_id, event_key,"
                                    + " version, base) VALUES (?, ?, ?, ?, NULL, ?, ?)")) {
                        for (EventMapping m : inserts) {
                            bind(
                                    ps,
                                    i,
                                    email,
                                    cal.id(),
                                    m.eventId(),
                                    m.version(),
                                    m.base() == null ? null : EventCodec.write(m.base()));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    } catch (SQLException e) {
                        if (isForeignKeyViolation(e)) {
                            throw notConnected(cal.mailbox(), scope);
                        }
                        throw e;
                    }
                }
            }
            if (page.cursor() != null) {
                saveCursorIn(c, i, cal, page.cursor());
            }
            return null;
        });
    }

    private static boolean isForeignKeyViolation(SQLException e) {
        // 23502: a null integration, the mailbox being in none (not-null violation)
        return "23503".equals(e.getSQLState()) || "23506".equals(e.getSQLState()) || "23502".equals(e.getSQLState());
    }

    @Override
    public void deleteMapping(CalendarRef calendar, String eventId) {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(eventId, "eventId");
        write(
                "delete mapping",
                c -> update(
                        c,
                        "DELETE FROM sync_event" + BY_EVENT_ID,
                        eventId,
                        calendar.id(),
                        integ(c, calendar.mailbox()),
                        calendar.mailbox().normalized()));
    }

    // ---- outbox

    @Override
    public long enqueue(OutboxEntry entry) {
        Checks.notNull(entry, "entry");
        return write("enqueue push", c -> insertOutbox(c, entry));
    }

    /**
     * Records a pending push on the host's own JDBC connection, inside the host's transaction: the push is
     * recorded exactly when the host's change commits. Does not commit or close {@code connection}.
     *
     * @param connection the host's connection, in its open transaction
     * @param entry the outbox entry
     * @return the entry's id
     */
    public long enqueue(Connection connection, OutboxEntry entry) {
        Checks.notNull(connection, "connection");
        Checks.notNull(entry, "entry");
        try {
            return insertOutbox(connection, entry);
        } catch (SQLException e) {
            throw storeError("enqueue push", e);
        }
    }

    /**
     * As {@link #enqueue(Connection, OutboxEntry)} for the entry's mailbox in {@code integration}: for an email
     * connected through several integrations.
     *
     * @param connection the host's connection, in its open transaction
     * @param integration the integration's name
     * @param entry the outbox entry
     * @return the entry's id
     * @since 0.4
     */
    public long enqueue(Connection connection, String integration, OutboxEntry entry) {
        return ((JdbcSyncStateStore) inIntegration(integration)).enqueue(connection, entry);
    }

    private long insertOutbox(Connection c, OutboxEntry entry) throws SQLException {
        CalendarRef cal = entry.calendar();
        String i = integ(c, cal.mailbox());
        // an app push makes its mailbox due at once (ahead of routine polls, which are due later than 0), as a
        // requested sync: also when it comes in while a pass of the mailbox runs
        update(
                c,
                "UPDATE sync_mailbox SET " + REQUEST + " WHERE integration = ? AND email_norm = ?",
                i,
                cal.mailbox().normalized());
        update(
                c,
                "DELETE FROM sync_outbox WHERE integration = ? AND email_norm = ? AND calendar_id = ? AND event_key = ?"
                        + " AND failed = FALSE",
                i,
                cal.mailbox().normalized(),
                cal.id(),
                entry.key().value());
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_outbox (integration, email_norm, calendar_id,"
                        + " event_key, operation, payload, attempts, next_attempt_at, last_error, failed)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 0, 0, NULL, FALSE)",
                new String[] {"id"})) {
            bind(
                    ps,
                    i,
                    cal.mailbox().normalized(),
                    cal.id(),
                    entry.key().value(),
                    entry.operation().name(),
                    OutboxPayloads.write(entry));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            if (isForeignKeyViolation(e)) {
                throw notConnected(cal.mailbox(), scope);
            }
            throw e;
        }
    }

    /** The outbox entries of {@code mailbox} matching {@code more} (after its key: integration, email). */
    private List<OutboxEntry> outboxQuery(Mailbox mailbox, String more, int limit, Object... args) {
        return tx("read outbox", c -> {
            List<OutboxEntry> out = new ArrayList<>();
            Object[] all = new Object[args.length + 2];
            all[0] = integ(c, mailbox);
            all[1] = mailbox.normalized();
            System.arraycopy(args, 0, all, 2, args.length);
            try (PreparedStatement ps = prepare(
                    c,
                    "SELECT * FROM sync_outbox WHERE integration = ? AND email_norm = ?" + more + " ORDER BY id",
                    all)) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long next = rs.getLong("next_attempt_at");
                        OutboxEntry.Operation op = OutboxEntry.Operation.valueOf(rs.getString("operation"));
                        String payload = rs.getString("payload");
                        out.add(new OutboxEntry(
                                rs.getLong("id"),
                                CalendarRef.of(mailbox, rs.getString("calendar_id")),
                                EventKey.of(rs.getString("event_key")),
                                op,
                                OutboxPayloads.event(op, payload),
                                rs.getInt("attempts"),
                                next == 0 ? null : Instant.ofEpochMilli(next),
                                rs.getString("last_error"),
                                rs.getBoolean("failed"),
                                OutboxPayloads.response(op, payload)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<OutboxEntry> dueOutbox(Mailbox mailbox, Instant now, int limit) {
        Checks.notNull(mailbox, "mailbox");
        return outboxQuery(mailbox, " AND failed = FALSE AND next_attempt_at <= ?", Math.max(1, limit), now);
    }

    @Override
    public List<OutboxEntry> outbox(Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        return outboxQuery(mailbox, "", 0);
    }

    @Override
    public void completeOutbox(long id) {
        write("complete push", c -> update(c, "DELETE FROM sync_outbox WHERE id = ?", id));
    }

    @Override
    public void retryOutbox(long id, int attempts, Instant nextAttemptAt, String error) {
        write(
                "record push failure",
                c -> update(
                        c,
                        "UPDATE sync_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?" + " WHERE id = ?",
                        attempts,
                        Checks.notNull(nextAttemptAt, "nextAttemptAt"),
                        error == null ? null : esc(error),
                        id));
    }

    @Override
    public void failOutbox(long id, String error) {
        write(
                "give up push",
                c -> update(
                        c,
                        "UPDATE sync_outbox SET failed = TRUE, last_error = ? WHERE id = ?",
                        error == null ? null : esc(error),
                        id));
    }

    @Override
    public int requeueFailedOutbox(Mailbox mailbox) {
        String n = Checks.notNull(mailbox, "mailbox").normalized();
        return write("requeue failed pushes", c -> {
            String i = requireMailboxRow(c, mailbox);
            update(
                    c,
                    "DELETE FROM sync_outbox WHERE integration = ? AND email_norm = ? AND failed = TRUE AND EXISTS"
                            + " (SELECT 1 FROM sync_outbox p WHERE p.integration = sync_outbox.integration"
                            + " AND p.email_norm = sync_outbox.email_norm AND p.calendar_id = sync_outbox.calendar_id"
                            + " AND p.event_key = sync_outbox.event_key AND p.failed = FALSE)",
                    i,
                    n);
            int done = update(
                    c,
                    "UPDATE sync_outbox SET failed = FALSE, attempts = 0, next_attempt_at = 0,"
                            + " last_error = NULL WHERE integration = ? AND email_norm = ? AND failed = TRUE",
                    i,
                    n);
            if (done > 0) {
                update(c, "UPDATE sync_mailbox SET " + REQUEST + " WHERE integration = ? AND email_norm = ?", i, n);
            }
            return done;
        });
    }

    @Override
    public int purgeFailedOutbox(Mailbox mailbox) {
        String n = Checks.notNull(mailbox, "mailbox").normalized();
        return write("purge failed pushes", c -> {
            String i = requireMailboxRow(c, mailbox);
            return update(
                    c, "DELETE FROM sync_outbox WHERE integration = ? AND email_norm = ? AND failed = TRUE", i, n);
        });
    }

    @Override
    public void resetCursors(Mailbox mailbox) {
        String n = Checks.notNull(mailbox, "mailbox").normalized();
        write("reset cursors", c -> {
            String i = requireMailboxRow(c, mailbox);
            return update(c, "DELETE FROM sync_cursor WHERE integration = ? AND email_norm = ?", i, n);
        });
    }

    /** The integration of {@code mailbox}'s row, which must exist. */
    private String requireMailboxRow(Connection c, Mailbox mailbox) throws SQLException {
        String i = integ(c, mailbox);
        try (PreparedStatement ps = prepare(
                        c,
                        "SELECT 1 FROM sync_mailbox WHERE integration = ? AND email_norm = ?",
                        i,
                        mailbox.normalized());
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw notConnected(mailbox, scope);
            }
        }
        return i;
    }

    /**
     * Writes an online backup of an H2 store to {@code zipFile} (H2's {@code BACKUP TO}): a consistent copy
     * taken while engines keep running, a zip holding the {@code .mv.db} file. Restore it while no engine
     * runs by extracting that file into the data folder (docs/sync.md, "Backup and restore"). PostgreSQL
     * stores are backed up with the database's own tools ({@code pg_dump}).
     *
     * @param zipFile the file to write
     * @throws UnsupportedCapabilityException the store is not an H2 database
     * @throws InvalidInputException {@code zipFile} exists already
     */
    public void backupTo(Path zipFile) {
        Checks.notNull(zipFile, "zipFile");
        Path target = zipFile.toAbsolutePath();
        if (java.nio.file.Files.exists(target)) {
            throw new InvalidInputException("zipFile", "will not overwrite " + target);
        }
        tx("back up", c -> {
            if (!c.getMetaData().getDatabaseProductName().equals("H2")) {
                throw new UnsupportedCapabilityException(
                        "backupTo is for H2 stores; back up PostgreSQL with" + " pg_dump", ErrorContext.NONE);
            }
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("BACKUP TO '" + target.toString().replace("'", "''") + "'");
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    @Override
    public String toString() {
        if (fence != null) {
            return "JdbcSyncStateStore[fenced view, generation " + fence.generation() + "]";
        }
        return "JdbcSyncStateStore[" + (ownedPool != null ? redact(ownedPool.getJdbcUrl()) : "host DataSource")
                + (readOnly ? ", read-only" : "") + "]";
    }
}
