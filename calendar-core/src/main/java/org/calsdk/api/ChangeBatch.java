package org.calsdk.api;

import java.util.List;

import org.calsdk.internal.Checks;

/**
 * What an incremental read returns: either changes and the cursor to continue from, or the
 * provider's word that the cursor is no longer valid and a full read is needed (Google 410, CalDAV 403
 * {@code valid-sync-token}, an expired Graph delta token, EWS {@code ErrorInvalidSyncStateData}). The
 * latter is a normal outcome, not an exception.
 *
 * @since 0.1
 */
public sealed interface ChangeBatch {

    /**
     * Changes since the cursor that was read from.
     *
     * @param changes what changed, in order
     * @param next    the cursor to persist and read from next
     * @param hasMore whether more changes are waiting (read again with {@code next} at once)
     * @param full    whether this batch came from a full read (cursor {@link SyncCursor#START}): then
     *                events that exist but are not listed over the whole full read were deleted (a
     *                skipped event was not deleted)
     * @param skipped events that changed but could not be read (malformed, or over a bound) and are not
     *                in {@code changes}; the cursor moves past them, so they come again only when they
     *                change again
     */
    record Changes(List<EventChange> changes, SyncCursor next, boolean hasMore, boolean full,
                   List<SkippedEvent> skipped) implements ChangeBatch {
        public Changes {
            changes = Checks.immutableList(changes, "changes");
            Checks.notNull(next, "next");
            skipped = Checks.immutableList(skipped, "skipped");
        }

        /** Changes without skipped events. */
        public Changes(List<EventChange> changes, SyncCursor next, boolean hasMore, boolean full) {
            this(changes, next, hasMore, full, List.of());
        }
    }

    /**
     * The cursor is invalid or expired; read again from {@link SyncCursor#START}.
     *
     * @param reason the provider's words, for logs and diagnostics
     */
    record ResyncRequired(String reason) implements ChangeBatch {
        public ResyncRequired {
            reason = reason == null ? "cursor no longer valid" : reason;
        }
    }
}
