package org.calsdk.errors;

/**
 * The provider failed or could not be reached (5xx, connection reset, timeout) after the retries the
 * policy allows. Retryable: try again later.
 *
 * @since 0.1
 */
public class ProviderUnavailableException extends CalendarException {
    private static final long serialVersionUID = 1L;

    public ProviderUnavailableException(String message, ErrorContext context) {
        super(message, context, true, null);
    }

    public ProviderUnavailableException(String message, ErrorContext context, Throwable cause) {
        super(message, context, true, cause);
    }
}
