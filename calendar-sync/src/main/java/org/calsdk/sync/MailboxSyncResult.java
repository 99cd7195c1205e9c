package org.calsdk.sync;

import java.time.Duration;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * What one pass over one mailbox did.
 *
 * @param mailbox  the mailbox
 * @param outcome  how it ended
 * @param pulled   changes read from the calendar and handled
 * @param pushed   outbox entries written
 * @param duration how long it took
 * @param error       the error message when it did not end {@link Outcome#OK}, else null
 * @param integration the integration the mailbox was synced through (one email can be connected through
 *                    several, see {@link MailboxRef}); null only when a pass of an email-only call ended before
 *                    its integration was known (another pass held an email that is in no integration any more)
 * @since 0.1
 */
public record MailboxSyncResult(
        Mailbox mailbox,
        Outcome outcome,
        int pulled,
        int pushed,
        Duration duration,
        @Nullable String error,
        @Nullable String integration) {
    /**
     * Checks that the mailbox, outcome and duration are set.
     *
     * @param mailbox the mailbox
     * @param outcome how it ended
     * @param pulled changes read from the calendar and handled
     * @param pushed outbox entries written
     * @param duration how long it took
     * @param error the error message when it did not end {@link Outcome#OK}, else null
     * @param integration the integration the mailbox was synced through (one email can be connected through several,
     *                     see {@link MailboxRef}); null only when a pass of an email-only call ended before its
     *                     integration was known (another pass held an email that is in no integration any more)
     */
    public MailboxSyncResult {
        Checks.notNull(mailbox, "mailbox");
        Checks.notNull(outcome, "outcome");
        Checks.notNull(duration, "duration");
    }

    /**
     * A result that does not name its integration (the form before 0.5).
     *
     * @param mailbox  the mailbox
     * @param outcome  how it ended
     * @param pulled   changes read from the calendar and handled
     * @param pushed   outbox entries written
     * @param duration how long it took
     * @param error    the error message when it did not end {@link Outcome#OK}, else null
     */
    public MailboxSyncResult(
            Mailbox mailbox, Outcome outcome, int pulled, int pushed, Duration duration, @Nullable String error) {
        this(mailbox, outcome, pulled, pushed, duration, error, null);
    }

    /**
     * The mailbox with its integration, as results are reported: {@code alice@example.com (team)}, or the
     * address alone when no integration is named.
     *
     * @return a one-line label for logs and command output
     * @since 0.5
     */
    public String label() {
        return integration == null ? mailbox.toString() : mailbox + " (" + integration + ")";
    }

    /** How a mailbox pass ended. @since 0.1 */
    public enum Outcome {
        /** Everything pulled and every due push attempted. */
        OK,
        /** Failed; retried on a later pass. */
        FAILED,
        /** Authorization gone: marked disconnected. */
        DISCONNECTED,
        /** Another engine holds the mailbox (or took it over mid-pass). */
        BUSY,
        /** Not synced: disabled, disconnected, or its integration is inactive. */
        SKIPPED
    }
}
