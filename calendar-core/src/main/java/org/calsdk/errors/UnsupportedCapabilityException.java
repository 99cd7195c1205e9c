package org.calsdk.errors;

/**
 * The provider does not offer this capability (see {@code CalendarConnection.capabilities()}). Ask
 * before calling with {@code supports(Capability)}.
 *
 * @since 0.1
 */
public class UnsupportedCapabilityException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /**
     * The error.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public UnsupportedCapabilityException(String message, ErrorContext context) {
        super(message, context, false, null);
    }

    /**
     * The error with its cause.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param cause the underlying failure
     */
    public UnsupportedCapabilityException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
