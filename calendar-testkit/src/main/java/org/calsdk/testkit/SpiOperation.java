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
    FREE_BUSY,
    LIST_CALENDARS,
    LIST_EVENTS,
    GET_EVENT,
    FIND_BY_KEY,
    CREATE_EVENT,
    UPDATE_EVENT,
    DELETE_EVENT,
    UPDATE_OCCURRENCE,
    CANCEL_OCCURRENCE,
    RESPOND,
    CHANGES,
    CHANGED_CALENDARS,
    CHECK_ACCESS,
    DIRECTORY,
    SUBSCRIBE,
    RENEW,
    UNSUBSCRIBE;

    /** Whether the operation changes state (and may therefore lose its response after committing). */
    public boolean isWrite() {
        return switch (this) {
            case CREATE_EVENT, UPDATE_EVENT, DELETE_EVENT, UPDATE_OCCURRENCE, CANCEL_OCCURRENCE, RESPOND,
                 SUBSCRIBE, RENEW, UNSUBSCRIBE -> true;
            default -> false;
        };
    }
}
