package org.calsdk.errors;

/**
 * The mailbox, calendar or event does not exist (or is not visible to these credentials).
 *
 * @since 0.1
 */
public class NotFoundException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /**
     * The error.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public NotFoundException(String message, ErrorContext context) {
        super(message, context, false, null);
    }

    /**
     * The error with its cause.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param cause the underlying failure
     */
    public NotFoundException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
