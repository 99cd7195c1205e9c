package org.calsdk.sync;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * A mailbox's lease as one pass holds it: the owner (node id and a token of the pass) and the lease's
 * {@code generation}, a fencing token that the store raises each time the lease is taken. A store view made
 * with {@link SyncStateStore#fencedBy(MailboxLease)} accepts a write only while the mailbox's lease still has
 * this owner and generation, so a pass that stalled until its lease expired and another engine took it can
 * write nothing more.
 *
 * @param mailbox    the leased mailbox
 * @param owner      who holds it
 * @param generation the fencing token: higher for every later taking of the lease
 * @param integration the integration whose mailbox is leased (an email can be in several); the built-in stores
 *                    always set it; null means the one integration the email is in
 * @since 0.1
 */
public record MailboxLease(
        Mailbox mailbox,
        String owner,
        long generation,
        @Nullable String integration) {
    /**
     * Checks that the mailbox and the owner are set.
     *
     * @param mailbox the leased mailbox
     * @param owner who holds it
     * @param generation the fencing token: higher for every later taking of the lease
     * @param integration the integration whose mailbox is leased (an email can be in several); the built-in stores
     *                     always set it; null means the one integration the email is in
     */
    public MailboxLease {
        Checks.notNull(mailbox, "mailbox");
        Checks.notBlank(owner, "owner");
    }

    /**
     * A lease of the mailbox in the one integration its email is in.
     *
     * @param mailbox the mailbox
     * @param owner the lease owner (node id and pass token)
     * @param generation the fencing token
     */
    public MailboxLease(Mailbox mailbox, String owner, long generation) {
        this(mailbox, owner, generation, null);
    }
}
