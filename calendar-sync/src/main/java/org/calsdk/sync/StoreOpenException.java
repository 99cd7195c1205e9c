package org.calsdk.sync;

import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;

/**
 * A sync state store could not be opened as one, and was left as it was. Thrown by the
 * {@link JdbcSyncStateStore} factories; {@link #reason()} says why. The message is one line that names the
 * store (never its credentials) and what to do.
 *
 * <p>The rule behind it: a store that exists but cannot be read as this SDK's sync store is never treated
 * as an empty one (that would forget every cursor, mapping and pending push without a word), and nothing
 * is written to it. See {@code docs/sync.md}, "Opening a store".
 *
 * @since 0.1
 */
public final class StoreOpenException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Why the store was refused. */
    public enum Reason {
        /** A read-only open found no store to read (no file, or an empty database). */
        NOT_FOUND,
        /** It exists but is not a readable sync store: a damaged or truncated file, a missing marker. */
        UNREADABLE,
        /** The database holds other tables and no sync store marker: it is someone else's. */
        NOT_A_SYNC_STORE,
        /** Its schema version is newer than this SDK knows: it was written by a later SDK. */
        NEWER_SCHEMA,
        /** A read-only open found an older schema version; one read-write open upgrades it. */
        NEEDS_UPGRADE,
        /** The database is locked by another process (an H2 file opens in one process at a time). */
        IN_USE,
        /** The database could not be opened or created at all: an unwritable path, wrong credentials. */
        CANNOT_OPEN
    }

    /** Why the store could not be opened. */
    private final Reason reason;

    /**
     * The store could not be opened for {@code reason}, described by {@code message}.
     *
     * @param reason why the store could not be opened
     * @param message the message
     * @param cause the cause
     */
    public StoreOpenException(Reason reason, String message, Throwable cause) {
        super("store", message, ErrorContext.NONE, cause);
        this.reason = reason;
    }

    /**
     * Why the store was refused.
     *
     * @return why the store could not be opened
     */
    public Reason reason() {
        return reason;
    }
}
