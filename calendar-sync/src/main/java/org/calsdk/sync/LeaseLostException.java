package org.calsdk.sync;

/**
 * A write through a {@link SyncStateStore#fencedBy fenced} store view was refused: the pass's lease expired
 * and was taken by another pass (a higher generation), or was given back. The pass that meets it stops at once
 * without writing more; the pass holding the lease now does the work. Not retryable by the same pass. It is
 * not a {@link org.calsdk.errors.CalendarException}: no handler of provider errors may take it for one.
 *
 * @since 0.1
 */
public final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A write of the pass holding {@code lease} was refused: the lease was taken by another pass or given back.
     *
     * @param lease the lease
     */
    public LeaseLostException(MailboxLease lease) {
        super(
                "the lease on " + lease.mailbox() + " (generation " + lease.generation()
                        + ") is no longer this pass's: another pass took it",
                null,
                false,
                false);
    }
}
