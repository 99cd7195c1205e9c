package org.calsdk.sync;

import java.time.Duration;
import org.calsdk.internal.Checks;

/**
 * How far behind sync is, for the host's dashboards and alerts: how many mailboxes wait for a pass and
 * for how long the oldest has waited, and how many pushes wait in the outbox. Read it with
 * {@link SyncEngine#backlog()}, or as gauges through {@link MicrometerSyncMetrics#bindBacklog}.
 *
 * <pre>{@code
 * SyncBacklog b = engine.backlog();
 * if (b.oldestDueAge().compareTo(Duration.ofMinutes(10)) > 0) {
 *     alert("calendar sync is " + b.oldestDueAge().toMinutes() + " minutes behind");
 * }
 * }</pre>
 *
 * @param dueMailboxes       mailboxes that are due (their poll time has come, or a sync was requested) and
 *                           can run: enabled, connected, of an active integration; mailboxes backing off
 *                           after failures are not due until their backoff ends
 * @param requestedMailboxes of those, the ones due because a sync was requested (webhook, push, app write)
 * @param runningMailboxes   mailboxes whose pass holds a live lease now
 * @param oldestDueAge       how long the longest-waiting routine poll is overdue ({@link Duration#ZERO}
 *                           when none is)
 * @param outboxDepth        pushes waiting (including ones backing off after a failure)
 * @param failedPushes       pushes given up on, waiting for the host to requeue or purge them
 * @since 0.3
 */
public record SyncBacklog(
        long dueMailboxes,
        long requestedMailboxes,
        long runningMailboxes,
        Duration oldestDueAge,
        long outboxDepth,
        long failedPushes) {
    /**
     * Checks that the counts are not negative.
     *
     * @param dueMailboxes mailboxes that are due (their poll time has come, or a sync was requested) and can run:
     *                      enabled, connected, of an active integration; mailboxes backing off after failures are not
     *                      due until their backoff ends
     * @param requestedMailboxes of those, the ones due because a sync was requested (webhook, push, app write)
     * @param runningMailboxes mailboxes whose pass holds a live lease now
     * @param oldestDueAge how long the longest-waiting routine poll is overdue ({@link Duration#ZERO} when none is)
     * @param outboxDepth pushes waiting (including ones backing off after a failure)
     * @param failedPushes pushes given up on, waiting for the host to requeue or purge them
     */
    public SyncBacklog {
        Checks.check(
                dueMailboxes >= 0
                        && requestedMailboxes >= 0
                        && runningMailboxes >= 0
                        && outboxDepth >= 0
                        && failedPushes >= 0,
                "backlog",
                "counts must not be negative");
        Checks.notNull(oldestDueAge, "oldestDueAge");
        Checks.check(!oldestDueAge.isNegative(), "oldestDueAge", "oldestDueAge must not be negative");
    }
}
