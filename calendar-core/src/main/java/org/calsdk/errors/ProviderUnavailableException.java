package org.calsdk.errors;

/**
 * The provider failed or could not be reached (5xx, connection reset, timeout) after the retries the
 * policy allows. Retryable: try again later.
 *
 * @since 0.1
 */
public class ProviderUnavailableException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /**
     * The error.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public ProviderUnavailableException(String message, ErrorContext context) {
        super(message, context, true, null);
    }

    /**
     * The error with its cause.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param cause the underlying failure
     */
    public ProviderUnavailableException(String message, ErrorContext context, Throwable cause) {
        super(message, context, true, cause);
    }
}
