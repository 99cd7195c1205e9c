package org.calsdk.testkit;

/**
 * The operations of the calendar SPI, as fakes, fault rules and the TCK name them. A fault rule that
 * names {@code CREATE_EVENT} hits every {@link org.calsdk.api.EventWriter#create} call, whatever the
 * provider's wire operation is called.
 *
 * <pre>{@code
 * service.faults().failNext(SpiOperation.LIST_EVENTS, 2, 503);
 * }</pre>
 *
 * @since 0.1
 */
public enum SpiOperation {
    /**
     * {@link org.calsdk.api.FreeBusyQuery#query}: busy times of mailboxes.
     */
    FREE_BUSY,
    /**
     * {@link org.calsdk.api.EventReader#calendars}: a mailbox's calendars.
     */
    LIST_CALENDARS,
    /**
     * Listing the events of a calendar in a time window.
     */
    LIST_EVENTS,
    /**
     * Reading one event by id.
     */
    GET_EVENT,
    /**
     * Finding an event by the host's idempotency key.
     */
    FIND_BY_KEY,
    /**
     * {@link org.calsdk.api.EventWriter#create}: a write.
     */
    CREATE_EVENT,
    /**
     * Updating an event (a write).
     */
    UPDATE_EVENT,
    /**
     * Deleting an event (a write).
     */
    DELETE_EVENT,
    /**
     * Changing one occurrence of a series (a write).
     */
    UPDATE_OCCURRENCE,
    /**
     * Cancelling one occurrence of a series (a write).
     */
    CANCEL_OCCURRENCE,
    /**
     * Answering an invitation (accept, decline, tentative; a write).
     */
    RESPOND,
    /**
     * Reading the changes of a calendar since a sync token.
     */
    CHANGES,
    /**
     * Reading which calendars of a mailbox changed.
     */
    CHANGED_CALENDARS,
    /**
     * Checking what a connection may do on a mailbox.
     */
    CHECK_ACCESS,
    /**
     * Directory reads: users, groups, rooms.
     */
    DIRECTORY,
    /**
     * Creating a push subscription (a write).
     */
    SUBSCRIBE,
    /**
     * Renewing a push subscription (a write).
     */
    RENEW,
    /**
     * Removing a push subscription (a write).
     */
    UNSUBSCRIBE;

    /**
     * Whether the operation changes state (and may therefore lose its response after committing).
     *
     * @return true for creates, updates, deletes, occurrence changes, responses and subscription changes
     */
    public boolean isWrite() {
        return switch (this) {
            case CREATE_EVENT,
                    UPDATE_EVENT,
                    DELETE_EVENT,
                    UPDATE_OCCURRENCE,
                    CANCEL_OCCURRENCE,
                    RESPOND,
                    SUBSCRIBE,
                    RENEW,
                    UNSUBSCRIBE -> true;
            default -> false;
        };
    }
}
