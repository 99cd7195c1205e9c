package org.calsdk.errors;

import java.util.Optional;

/**
 * The request itself is wrong: a missing or malformed field, an empty window, an end before its
 * start, an unknown time zone. The message names the field; fix the input, do not retry.
 *
 * @since 0.1
 */
public class InvalidInputException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /** The field at fault. */
    private final String field;

    /**
     * Bad input.
     *
     * @param field the field at fault (a setting, a parameter, a JSON path)
     * @param message what went wrong, for people (never a secret)
     */
    public InvalidInputException(String field, String message) {
        this(field, message, ErrorContext.NONE, null);
    }

    /**
     * Bad input found at a provider.
     *
     * @param field the field at fault
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param cause the underlying failure
     */
    public InvalidInputException(String field, String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
        this.field = field;
    }

    /**
     * The name of the offending field or parameter, when there is one.
     *
     * @return the field name, or empty
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
