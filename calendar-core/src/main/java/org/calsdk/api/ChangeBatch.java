package org.calsdk.api;

import java.time.Instant;
import java.util.List;
import org.calsdk.internal.Checks;
import org.calsdk.model.TimeWindow;

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
     * @param changes  what changed, in order
     * @param next     the cursor to persist and read from next
     * @param hasMore  whether more changes are waiting (read again with {@code next} at once)
     * @param full     whether this batch came from a full read (cursor {@link SyncCursor#START}): then
     *                 events that exist but are not listed over the whole full read were deleted, as far as
     *                 {@code coverage} reaches
     * @param coverage what the feed covers: {@link Coverage#EVERYTHING} (the whole calendar: Google, EWS,
     *                 CalDAV), or a {@link Coverage.Window} (Graph {@code calendarView/delta}, which covers the
     *                 window it was started with, and lists series as their occurrences there). Every batch of
     *                 one read says the same. Moving the window on is the provider's business: it answers
     *                 {@link ResyncRequired}, and the next full read covers the new window.
     * @param skipped  events that changed but could not be read (malformed, or over a bound) and are not
     *                 in {@code changes}; the cursor moves past them, so they come again only when they
     *                 change again. A skipped event was not deleted.
     */
    record Changes(
            List<EventChange> changes,
            SyncCursor next,
            boolean hasMore,
            boolean full,
            Coverage coverage,
            List<SkippedEvent> skipped)
            implements ChangeBatch {
        /**
         * Checks the components as the description above says, and copies any list, map or array given.
         *
         * @param changes what changed, in order
         * @param next the cursor to persist and read from next
         * @param hasMore whether more changes are waiting (read again with {@code next} at once)
         * @param full whether this batch came from a full read (cursor {@link SyncCursor#START}): then events that
         *     exist but are not listed over the whole full read were deleted, as far as {@code coverage} reaches
         * @param coverage what the feed covers: {@link Coverage#EVERYTHING} (the whole calendar: Google, EWS,
         *     CalDAV), or a {@link Coverage.Window} (Graph {@code calendarView/delta}, which covers the window it was
         *     started with, and lists series as their occurrences there). Every batch of one read says the same.
         *     Moving the window on is the provider's business: it answers {@link ResyncRequired}, and the next full
         *     read covers the new window.
         * @param skipped events that changed but could not be read (malformed, or over a bound) and are not in {@code
         *     changes}; the cursor moves past them, so they come again only when they change again. A skipped event
         *     was not deleted.
         */
        public Changes {
            changes = Checks.immutableList(changes, "changes");
            Checks.notNull(next, "next");
            Checks.notNull(coverage, "coverage");
            skipped = Checks.immutableList(skipped, "skipped");
        }

        /**
         * Changes of a feed that covers the whole calendar ({@link Coverage#EVERYTHING}), nothing skipped.
         *
         * @param changes the changes, in order
         * @param next the cursor to read on from
         * @param hasMore whether more changes wait now
         * @param full whether this is (part of) a full read
         */
        public Changes(List<EventChange> changes, SyncCursor next, boolean hasMore, boolean full) {
            this(changes, next, hasMore, full, Coverage.EVERYTHING, List.of());
        }

        /**
         * Changes of a feed with the given coverage, nothing skipped.
         *
         * @param changes the changes, in order
         * @param next the cursor to read on from
         * @param hasMore whether more changes wait now
         * @param full whether this is (part of) a full read
         * @param coverage what the feed covers
         */
        public Changes(List<EventChange> changes, SyncCursor next, boolean hasMore, boolean full, Coverage coverage) {
            this(changes, next, hasMore, full, coverage, List.of());
        }

        /**
         * Changes of a feed that covers the whole calendar, with events that could not be read.
         *
         * @param changes the changes, in order
         * @param next the cursor to read on from
         * @param hasMore whether more changes wait now
         * @param full whether this is (part of) a full read
         * @param skipped events that could not be read
         */
        public Changes(
                List<EventChange> changes, SyncCursor next, boolean hasMore, boolean full, List<SkippedEvent> skipped) {
            this(changes, next, hasMore, full, Coverage.EVERYTHING, skipped);
        }
    }

    /**
     * What a change feed covers, and so where a full read's silence means "deleted": everywhere, or only
     * inside a window. An event of the caller's that lies wholly outside the window is merely not covered.
     *
     * @since 0.1
     */
    sealed interface Coverage permits Coverage.Everything, Coverage.Window {
        /** The whole calendar, whatever the dates. */
        Coverage EVERYTHING = new Everything();

        /**
         * Only what touches {@code window}.
         *
         * @param window the window the feed covers
         * @return the coverage
         */
        static Coverage window(TimeWindow window) {
            return new Window(window);
        }

        /**
         * Whether an event (occurrence) from {@code start} to {@code end} (exclusive) is covered.
         *
         * @param start the occurrence's start
         * @param end the occurrence's end, exclusive
         * @return true when the feed reports changes of such an event
         */
        boolean covers(Instant start, Instant end);

        /** The whole calendar. Use {@link Coverage#EVERYTHING}. */
        record Everything() implements Coverage {
            @Override
            public boolean covers(Instant start, Instant end) {
                return true;
            }
        }

        /**
         * The events and occurrences that overlap {@code window}; an event of zero length is covered when it
         * starts inside it.
         *
         * @param window the window the feed was started with
         */
        record Window(TimeWindow window) implements Coverage {
            /**
             * Checks the components as the description above says, and copies any list, map or array given.
             *
             * @param window the window the feed was started with
             */
            public Window {
                Checks.notNull(window, "window");
            }

            @Override
            public boolean covers(Instant start, Instant end) {
                return start.equals(end) ? window.contains(start) : window.overlaps(start, end);
            }
        }
    }

    /**
     * The cursor is invalid or expired; read again from {@link SyncCursor#START}.
     *
     * @param reason the provider's words, for logs and diagnostics
     */
    record ResyncRequired(String reason) implements ChangeBatch {
        /**
         * Checks the components as the description above says, and copies any list, map or array given.
         *
         * @param reason the provider's words, for logs and diagnostics
         */
        public ResyncRequired {
            reason = reason == null ? "cursor no longer valid" : reason;
        }
    }
}
