package org.calsdk.errors;

/**
 * The provider has no room for the change: the mailbox, calendar or account is over its storage quota
 * (HTTP 507 Insufficient Storage). Not retryable: the same write fails the same way until space is freed
 * or the quota is raised, so a sync engine gives up on it and tells the host instead of retrying. Nothing
 * was stored.
 *
 * <pre>{@code
 * try {
 *     writer.create(calendar, key, event);
 * } catch (InsufficientStorageException e) {
 *     tellUser(e.mailbox(), "your calendar's mailbox is full; free some space and try again");
 * }
 * }</pre>
 *
 * @since 0.2
 */
public class InsufficientStorageException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /**
     * The error.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public InsufficientStorageException(String message, ErrorContext context) {
        super(message, context, false, null);
    }
}
