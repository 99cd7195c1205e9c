package org.calsdk.sync.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.sync.StoreOpenException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * How {@code JdbcSyncStateStore} opens a database before it trusts it: where an embedded H2 URL keeps its
 * file, the H2 settings of a checking open, one direct JDBC connection (no pool, so no retry loop), and the
 * one-line typed error for each way an open fails.
 */
public final class StoreFiles {
    /** H2 error codes (org.h2.api.ErrorCode) this class tells apart. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private static final int H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS = 90146;
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;
    private static final int H2_DATABASE_IS_READ_ONLY = 90097;

    private static final Set<String> PROBE_SETTINGS = Set.of("ACCESS_MODE_DATA", "IFEXISTS", "TRACE_LEVEL_FILE");

    private StoreFiles() {}

    /**
     * The {@code .mv.db} file of an embedded H2 URL ({@code jdbc:h2:file:PATH}, {@code jdbc:h2:/PATH},
     * {@code jdbc:h2:./PATH}, {@code jdbc:h2:~/PATH}), or null for any other URL (in-memory, server, PostgreSQL).
     */
    public static Path h2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return null;
        }
        String rest = url.substring("jdbc:h2:".length());
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            rest = rest.substring(0, semi);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (!(rest.startsWith("/")
                || rest.startsWith("./")
                || rest.startsWith("../")
                || rest.startsWith("~")
                || rest.matches("[A-Za-z]:[\\\\/].*"))) {
            return null;
        }
        if (rest.isEmpty()) {
            return null;
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Path.of(rest + ".mv.db").toAbsolutePath().normalize();
    }

    /**
     * {@code url} with H2 settings for a checking open: never write a {@code .trace.db} file (an unwritable
     * folder made H2 print its stack traces to stderr), optionally read-only ({@code ACCESS_MODE_DATA=r}) and
     * optionally never create the database ({@code IFEXISTS=TRUE}). The same settings given in {@code url}
     * are replaced (H2 refuses a setting given twice).
     */
    public static String h2Settings(String url, boolean readOnly, boolean ifExists) {
        String[] parts = url.split(";", -1);
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String name =
                    (eq < 0 ? parts[i] : parts[i].substring(0, eq)).strip().toUpperCase(Locale.ROOT);
            if (!PROBE_SETTINGS.contains(name) && !parts[i].isEmpty()) {
                out.append(';').append(parts[i]);
            }
        }
        out.append(";TRACE_LEVEL_FILE=0");
        if (readOnly) {
            out.append(";ACCESS_MODE_DATA=r");
        }
        if (ifExists) {
            out.append(";IFEXISTS=TRUE");
        }
        return out.toString();
    }

    /**
     * Looks at an existing H2 file below the SQL layer, read-only, before any connection opens it: an empty
     * file, or one in which H2's storage finds no data at all (what a file cut short usually reads as), is
     * refused here. Done first because H2 2.3, when its SQL layer fails to open a damaged file read-only,
     * keeps the file locked in this JVM until it exits, so later opens would read "in use". Skipped for
     * encrypted files ({@code CIPHER}), which only the SQL layer can read.
     */
    public static void checkH2File(Path file, String url, String shown) {
        String where = "sync store " + shown + ": ";
        String restore =
                "; nothing was written to it. Restore a backup (docs/sync.md) or move it away to start a new store";
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.UNREADABLE,
                    where + "cannot read the file (" + firstLine(e.toString()) + ")" + restore,
                    e);
        }
        if (size == 0) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.UNREADABLE, where + "the file is empty" + restore, null);
        }
        if (url.toUpperCase(Locale.ROOT).contains(";CIPHER=")) {
            return;
        }
        MVStore store = null;
        boolean failed = true;
        ProbeFilePath.begin();
        try {
            store = new MVStore.Builder()
                    .fileName(ProbeFilePath.SCHEME + ":" + file)
                    .readOnly()
                    .open();
            failed = false;
            if (store.getMapNames().isEmpty()) {
                throw new StoreOpenException(
                        StoreOpenException.Reason.UNREADABLE,
                        where + "the file exists but holds" + " no data (a truncated or emptied database)" + restore,
                        null);
            }
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new StoreOpenException(StoreOpenException.Reason.IN_USE, where + IN_USE, e);
            }
            throw new StoreOpenException(
                    StoreOpenException.Reason.UNREADABLE,
                    where + "the file exists but cannot be" + " read as a sync store (" + firstLine(e.getMessage())
                            + ")" + restore,
                    e);
        } catch (StoreOpenException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreOpenException(
                    StoreOpenException.Reason.UNREADABLE,
                    where + "the file exists but cannot be" + " read as a sync store (" + firstLine(String.valueOf(e))
                            + ")" + restore,
                    e);
        } finally {
            ProbeFilePath.end(failed);
            if (store != null) {
                store.closeImmediately();
            }
        }
    }

    /**
     * The URL of the checking open of an existing H2 file: read-only, never creating, no trace file, through
     * {@link ProbeFilePath} so that a failed open does not leave the file locked.
     */
    public static String probeUrl(String url, Path h2File) {
        String base = h2File.toString();
        base = base.substring(0, base.length() - ".mv.db".length());
        int semi = url.indexOf(';');
        return h2Settings(
                "jdbc:h2:" + ProbeFilePath.SCHEME + ":" + base + (semi < 0 ? "" : url.substring(semi)), true, true);
    }

    /** The checking connection ({@link #probeUrl}); when it fails, H2's files of it are closed. */
    public static Connection connectProbe(String probeUrl, Properties props, String shown) {
        boolean failed = true;
        ProbeFilePath.begin();
        try {
            Connection c = connect(probeUrl, props, shown, true);
            failed = false;
            return c;
        } finally {
            ProbeFilePath.end(failed);
        }
    }

    private static final String IN_USE = "the file is in use by another process (an H2 file opens in one process"
            + " at a time: stop the other one, or use PostgreSQL)";

    /** One direct connection (one attempt); a failure becomes {@link #openFailure}. */
    public static Connection connect(String url, Properties props, String shown, boolean existed) {
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw openFailure(shown, e, existed);
        }
    }

    /**
     * The typed, one-line error for a failed open: {@link ProviderUnavailableException} (retryable) when a
     * database server cannot be reached; otherwise a {@link StoreOpenException} with its reason.
     */
    public static CalendarException openFailure(String shown, SQLException e, boolean existed) {
        String where = "sync store " + shown + ": ";
        String detail = firstLine(e.getMessage());
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) {
            return new ProviderUnavailableException(
                    where + "cannot reach the database: " + detail, ErrorContext.NONE, e);
        }
        if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return new StoreOpenException(StoreOpenException.Reason.IN_USE, where + IN_USE, e);
        }
        if (e.getErrorCode() == H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS) {
            return new StoreOpenException(StoreOpenException.Reason.NOT_FOUND, where + "no such file", e);
        }
        if (state.startsWith("28") || e.getErrorCode() == H2_WRONG_USER_OR_PASSWORD) {
            return new StoreOpenException(
                    StoreOpenException.Reason.CANNOT_OPEN,
                    where + "the database refused the" + " credentials: " + detail,
                    e);
        }
        if (existed) {
            if (e.getErrorCode() == H2_DATABASE_IS_READ_ONLY) {
                detail = "H2 could open it only by repairing it";
            }
            return new StoreOpenException(
                    StoreOpenException.Reason.UNREADABLE,
                    where + "the file exists but cannot be"
                            + " read as a sync store (" + detail + "); nothing was written to it. Restore a backup"
                            + " (docs/sync.md) or move it away to start a new store",
                    e);
        }
        return new StoreOpenException(
                StoreOpenException.Reason.CANNOT_OPEN, where + "cannot open or create it: " + detail, e);
    }

    /** The first line of a driver's message, at most 300 characters: errors at open are one line. */
    public static String firstLine(String message) {
        if (message == null) {
            return "no details";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }

    public static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection we no longer need; the open's own outcome is what the caller hears
            }
        }
    }
}
