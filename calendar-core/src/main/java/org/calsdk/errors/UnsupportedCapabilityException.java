package org.calsdk.errors;

/**
 * The provider does not offer this capability (see {@code CalendarConnection.capabilities()}). Ask
 * before calling with {@code supports(Capability)}.
 *
 * @since 0.1
 */
public class UnsupportedCapabilityException extends CalendarException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCapabilityException(String message, ErrorContext context) {
        super(message, context, false, null);
    }

    public UnsupportedCapabilityException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
