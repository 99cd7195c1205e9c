package org.calsdk.errors;

import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * Where an error happened: which provider, mailbox, HTTP status and request id. All parts are optional
 * ({@code null} / 0 when unknown). Immutable; build one with the {@code with…} methods.
 *
 * <pre>{@code
 * ErrorContext ctx = ErrorContext.of("caldav").withMailbox(mailbox).withStatusCode(412);
 * }</pre>
 *
 * @param provider   provider id, or null
 * @param mailbox    mailbox acted for, or null
 * @param statusCode HTTP status, or 0
 * @param requestId  provider request id, or null
 * @param attempts   attempts made so far (0 or 1 = one attempt)
 * @since 0.1
 */
public record ErrorContext(
        @Nullable String provider,
        @Nullable Mailbox mailbox,
        int statusCode,
        @Nullable String requestId,
        int attempts) {
    /** No context at all. */
    public static final ErrorContext NONE = new ErrorContext(null, null, 0, null, 0);

    /**
     * The context of a failure at a provider.
     *
     * @param provider the provider's id
     * @return the context, naming only the provider
     */
    public static ErrorContext of(String provider) {
        return new ErrorContext(provider, null, 0, null, 0);
    }

    /**
     * This context naming another provider.
     *
     * @param provider the provider's id
     * @return a new context
     */
    public ErrorContext withProvider(String provider) {
        return new ErrorContext(provider, mailbox, statusCode, requestId, attempts);
    }

    /**
     * This context naming the mailbox the call was for.
     *
     * @param mailbox the mailbox
     * @return a new context
     */
    public ErrorContext withMailbox(Mailbox mailbox) {
        return new ErrorContext(provider, mailbox, statusCode, requestId, attempts);
    }

    /**
     * This context with the HTTP status of the answer.
     *
     * @param statusCode the status, 0 for none
     * @return a new context
     */
    public ErrorContext withStatusCode(int statusCode) {
        return new ErrorContext(provider, mailbox, statusCode, requestId, attempts);
    }

    /**
     * This context with the provider's request id (for its support).
     *
     * @param requestId the id
     * @return a new context
     */
    public ErrorContext withRequestId(String requestId) {
        return new ErrorContext(provider, mailbox, statusCode, requestId, attempts);
    }

    /**
     * This context with how many attempts were made.
     *
     * @param attempts the attempts
     * @return a new context
     */
    public ErrorContext withAttempts(int attempts) {
        return new ErrorContext(provider, mailbox, statusCode, requestId, attempts);
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        if (provider != null) {
            sb.append("provider=").append(provider);
        }
        if (mailbox != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("mailbox=").append(mailbox.email());
        }
        if (statusCode > 0) {
            sb.append(sb.length() > 0 ? ", " : "").append("status=").append(statusCode);
        }
        if (requestId != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("requestId=").append(requestId);
        }
        return sb.toString();
    }
}
