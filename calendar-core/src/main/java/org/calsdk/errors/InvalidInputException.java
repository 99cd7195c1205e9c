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

    private final String field;

    public InvalidInputException(String field, String message) {
        this(field, message, ErrorContext.NONE, null);
    }

    public InvalidInputException(String field, String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
        this.field = field;
    }

    /** The name of the offending field or parameter, when there is one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
