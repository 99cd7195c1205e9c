package org.calsdk.api;

import org.calsdk.internal.Checks;

/**
 * Where an incremental read left off: an opaque string owned by the provider (a Google sync token, a
 * Graph delta link, an EWS sync state, a CalDAV sync-token), persisted by the caller and handed back
 * unchanged. {@link #START} asks for a full read.
 *
 * @param value the provider's cursor; empty for {@link #START}
 * @since 0.1
 */
public record SyncCursor(String value) {
    /** No cursor yet: the next read is a full read that ends with a cursor. */
    public static final SyncCursor START = new SyncCursor("");

    /**
     * Checks the value.
     *
     * @param value the provider's opaque cursor, {@code ""} for none
     */
    public SyncCursor {
        Checks.notNull(value, "cursor");
    }

    /**
     * The cursor a provider returned, or {@link #START}.
     *
     * @param value a stored cursor; null or empty for {@link #START}
     * @return the cursor
     */
    public static SyncCursor of(String value) {
        return value == null || value.isEmpty() ? START : new SyncCursor(value);
    }

    /**
     * Whether this is {@link #START} (no cursor yet).
     *
     * @return {@code true} before the first full read
     */
    public boolean isStart() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        // Cursors can be long URLs with tokens in them; show just enough to tell them apart.
        return isStart()
                ? "SyncCursor[START]"
                : "SyncCursor[" + (value.length() > 16 ? value.substring(0, 16) + "…" : value) + "]";
    }
}
