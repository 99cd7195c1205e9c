package org.calsdk.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider did not answer in time: an operation's overall deadline (across all its retries) passed,
 * or its last attempt ended in a read or connect timeout. A {@link ProviderUnavailableException}, so
 * handlers of that keep working; retryable: try again later, or raise the timeout if the server is known
 * to be slow.
 *
 * @since 0.1
 */
public class OperationTimeoutException extends ProviderUnavailableException {
    private static final long serialVersionUID = 1L;

    /** The deadline that passed. */
    private final Duration timeout;

    /**
     * @param timeout the deadline that passed, or null when an attempt's own socket timeout ended the call
     * @param message what timed out, in words
     * @param context what is known of the call (provider, mailbox)
     * @param cause the underlying timeout, or null
     */
    public OperationTimeoutException(String message, ErrorContext context, Duration timeout, Throwable cause) {
        super(message, context, cause);
        this.timeout = timeout;
    }

    /**
     * The overall deadline that passed, when that is what ended the operation.
     *
     * @return the deadline, or empty when a socket timeout ended the call
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }
}
