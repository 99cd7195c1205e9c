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
    public SyncReport {
        results = Checks.immutableList(results, "results");
        Checks.notNull(duration, "duration");
    }

    public int mailboxes() {
        return results.size();
    }

    public int pulled() {
        return results.stream().mapToInt(MailboxSyncResult::pulled).sum();
    }

    public int pushed() {
        return results.stream().mapToInt(MailboxSyncResult::pushed).sum();
    }

    public int failed() {
        return (int) results.stream()
                .filter(r -> r.outcome() != MailboxSyncResult.Outcome.OK)
                .count();
    }

    /** One line for logs and the CLI. */
    public String summary() {
        return mailboxes() + " mailboxes synced, " + pulled() + " changes pulled, " + pushed() + " pushed, " + failed()
                + " failed, in " + duration.toMillis() + " ms";
    }
}
