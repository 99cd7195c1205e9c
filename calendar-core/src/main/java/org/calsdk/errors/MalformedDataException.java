package org.calsdk.errors;

/**
 * Data the SDK had to read is broken: malformed iCalendar, XML that is not well-formed or is hostile
 * (external entities, entity expansion), a response body that is truncated or larger than allowed.
 * The message says where (line, property) when that is known. Nothing was changed.
 *
 * @since 0.1
 */
public class MalformedDataException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /**
     * The error without context.
     *
     * @param message what went wrong, for people (never a secret)
     */
    public MalformedDataException(String message) {
        super(null, message, ErrorContext.NONE, null);
    }

    /**
     * The error with its cause.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param cause the underlying failure
     */
    public MalformedDataException(String message, ErrorContext context, Throwable cause) {
        super(null, message, context, cause);
    }
}
