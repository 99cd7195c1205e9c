package org.calsdk.sync;

import org.calsdk.model.Mailbox;
import org.calsdk.internal.Checks;

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
 * @since 0.1
 */
public record MailboxLease(Mailbox mailbox, String owner, long generation) {
    public MailboxLease {
        Checks.notNull(mailbox, "mailbox");
        Checks.notBlank(owner, "owner");
    }
}
