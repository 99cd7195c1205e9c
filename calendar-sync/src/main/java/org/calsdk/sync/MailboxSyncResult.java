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
 * @param error    the error message when it did not end {@link Outcome#OK}, else null
 * @since 0.1
 */
public record MailboxSyncResult(
        Mailbox mailbox,
        Outcome outcome,
        int pulled,
        int pushed,
        Duration duration,
        @Nullable String error) {
    public MailboxSyncResult {
        Checks.notNull(mailbox, "mailbox");
        Checks.notNull(outcome, "outcome");
        Checks.notNull(duration, "duration");
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
