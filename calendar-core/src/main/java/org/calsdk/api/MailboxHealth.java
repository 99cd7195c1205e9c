package org.calsdk.api;

import java.time.Instant;
import java.util.List;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * What the host's sync state says about one mailbox, for {@link Doctor}'s last-sync and push checks
 * (the sync module builds these from its store: {@code SyncDiagnostics.health(store)}).
 *
 * @param mailbox       the mailbox
 * @param enabled       whether sync is enabled for it
 * @param connected     false once its authorization was refused
 * @param lastSyncAt    the end of its last successful sync, or null when it never synced
 * @param lastError     the last error message, or null
 * @param relinkUrl     where the user re-authorizes, or null
 * @param subscriptions the push subscriptions kept for its calendars
 * @since 0.2
 */
public record MailboxHealth(
        Mailbox mailbox,
        boolean enabled,
        boolean connected,
        @Nullable Instant lastSyncAt,
        @Nullable String lastError,
        @Nullable String relinkUrl,
        List<Subscription> subscriptions) {
    /**
     * Validates the state; null subscriptions become an empty list.
     *
     * @param mailbox       the mailbox
     * @param enabled       whether sync is enabled for it
     * @param connected     false once its authorization was refused
     * @param lastSyncAt    the end of its last successful sync, or null when it never synced
     * @param lastError     the last error message, or null
     * @param relinkUrl     where the user re-authorizes, or null
     * @param subscriptions the push subscriptions kept for its calendars (null for none)
     * @throws NullPointerException when {@code mailbox} or a subscription is null
     */
    public MailboxHealth {
        Checks.notNull(mailbox, "mailbox");
        subscriptions = Checks.immutableList(subscriptions, "subscriptions");
    }
}
