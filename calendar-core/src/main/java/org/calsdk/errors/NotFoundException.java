package org.calsdk.errors;

/**
 * The mailbox, calendar or event does not exist (or is not visible to these credentials).
 *
 * @since 0.1
 */
public class NotFoundException extends CalendarException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message, ErrorContext context) {
        super(message, context, false, null);
    }

    public NotFoundException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
