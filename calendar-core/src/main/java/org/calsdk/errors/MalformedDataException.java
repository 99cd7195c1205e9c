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

    public MalformedDataException(String message) {
        super(null, message, ErrorContext.NONE, null);
    }

    public MalformedDataException(String message, ErrorContext context, Throwable cause) {
        super(null, message, context, cause);
    }
}
