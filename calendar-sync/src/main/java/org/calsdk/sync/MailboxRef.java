package org.calsdk.sync;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * A mailbox as connected through one integration: the same email can be connected through several (the
 * organization's Google integration and the person's own iCloud one), each with its own cursors, mappings,
 * outbox and lease.
 *
 * <pre>{@code
 * engine.syncMailbox(MailboxRef.of("personal-icloud", Mailbox.of("alice@example.com")));
 * }</pre>
 *
 * @param integration the integration's name
 * @param mailbox     the mailbox (matched case-insensitively)
 * @since 0.4
 */
public record MailboxRef(String integration, Mailbox mailbox) {
    /**
     * Checks that the integration's name is not blank and the mailbox is set.
     *
     * @param integration the integration's name
     * @param mailbox the mailbox (matched case-insensitively)
     */
    public MailboxRef {
        Checks.notBlank(integration, "integration");
        Checks.notNull(mailbox, "mailbox");
    }

    /**
     * The mailbox {@code mailbox} as connected through {@code integration}.
     *
     * @param integration the integration's name
     * @param mailbox the mailbox
     * @return the mailbox in that integration
     */
    public static MailboxRef of(String integration, Mailbox mailbox) {
        return new MailboxRef(integration, mailbox);
    }
}
