package org.calsdk.sync;

import java.time.Duration;
import java.util.List;
import org.calsdk.internal.Checks;

/**
 * What one pass over the due mailboxes did.
 *
 * @param results  one per mailbox this engine synced in the pass
 * @param duration how long the pass took (by the engine's clock)
 * @since 0.1
 */
public record SyncReport(List<MailboxSyncResult> results, Duration duration) {
    /**
     * Copies the results.
     *
     * @param results one per mailbox this engine synced in the pass
     * @param duration how long the pass took (by the engine's clock)
     */
    public SyncReport {
        results = Checks.immutableList(results, "results");
        Checks.notNull(duration, "duration");
    }

    /**
     * How many mailboxes were synced.
     *
     * @return the number of mailbox passes reported
     */
    public int mailboxes() {
        return results.size();
    }

    /**
     * How many changes were read from the calendars.
     *
     * @return the sum of the passes' pulled changes
     */
    public int pulled() {
        return results.stream().mapToInt(MailboxSyncResult::pulled).sum();
    }

    /**
     * How many pushes were written.
     *
     * @return the sum of the passes' pushes
     */
    public int pushed() {
        return results.stream().mapToInt(MailboxSyncResult::pushed).sum();
    }

    /**
     * How many mailbox passes did not end {@link MailboxSyncResult.Outcome#OK}.
     *
     * @return the number of passes that did not end OK
     */
    public int failed() {
        return (int) results.stream()
                .filter(r -> r.outcome() != MailboxSyncResult.Outcome.OK)
                .count();
    }

    /**
     * One line for logs and the CLI.
     *
     * @return one line: mailboxes, pulled, pushed, failed, duration
     */
    public String summary() {
        return mailboxes() + " mailboxes synced, " + pulled() + " changes pulled, " + pushed() + " pushed, " + failed()
                + " failed, in " + duration.toMillis() + " ms";
    }
}
