package org.calsdk.sync;

import java.time.Instant;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator sees about one connected mailbox: whether sync is enabled, whether its
 * authorization still works, when it last synced and the last error.
 *
 * <pre>{@code
 * for (MailboxStatus m : engine.mailboxes()) {
 *     System.out.println(m.mailbox() + " enabled=" + m.enabled() + " last=" + m.lastSyncAt());
 * }
 * }</pre>
 *
 * @param mailbox      the mailbox (matched case-insensitively)
 * @param integration  the integration it belongs to
 * @param enabled      whether sync is enabled for it
 * @param connected    false once its authorization was refused; it is then not retried until reconnected
 * @param lastSyncAt   the end of its last successful sync, or null
 * @param lastError    the last error message (never a secret), or null
 * @param lastErrorAt  when it happened, or null
 * @param relinkUrl    where the user re-authorizes, when the provider said, or null
 * @param pendingPushes outbox entries still waiting for this mailbox
 * @param failures     failed passes since the last good one
 * @param nextSyncAt   when it is due next ({@link Instant#EPOCH}: at once)
 * @since 0.1
 */
public record MailboxStatus(
        Mailbox mailbox,
        String integration,
        boolean enabled,
        boolean connected,
        @Nullable Instant lastSyncAt,
        @Nullable String lastError,
        @Nullable Instant lastErrorAt,
        @Nullable String relinkUrl,
        int pendingPushes,
        int failures,
        Instant nextSyncAt) {
    /**
     * Checks that the mailbox and integration are set; a missing next sync time means due at once.
     *
     * @param mailbox the mailbox (matched case-insensitively)
     * @param integration the integration it belongs to
     * @param enabled whether sync is enabled for it
     * @param connected false once its authorization was refused; it is then not retried until reconnected
     * @param lastSyncAt the end of its last successful sync, or null
     * @param lastError the last error message (never a secret), or null
     * @param lastErrorAt when it happened, or null
     * @param relinkUrl where the user re-authorizes, when the provider said, or null
     * @param pendingPushes outbox entries still waiting for this mailbox
     * @param failures failed passes since the last good one
     * @param nextSyncAt when it is due next ({@link Instant#EPOCH}: at once)
     */
    public MailboxStatus {
        Checks.notNull(mailbox, "mailbox");
        Checks.notBlank(integration, "integration");
        nextSyncAt = nextSyncAt == null ? Instant.EPOCH : nextSyncAt;
    }
}
