package org.calsdk.errors;

import java.util.Optional;

/**
 * The grant is gone: the refresh token was revoked or expired, the app-specific password was changed,
 * or the token was refused after one refresh. The user (or the administrator, for a service account)
 * has to connect again; retrying will not help. {@link #relinkUrl()} gives the provider's consent URL
 * when one is known.
 *
 * @since 0.1
 */
public class ReauthorizationRequiredException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /** Where the user connects again, when known. */
    private final String relinkUrl;

    /**
     * The grant is gone.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public ReauthorizationRequiredException(String message, ErrorContext context) {
        this(message, context, null, null);
    }

    /**
     * The grant is gone.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param relinkUrl where the user connects again, or null
     * @param cause the underlying failure
     */
    public ReauthorizationRequiredException(String message, ErrorContext context, String relinkUrl, Throwable cause) {
        super(message, context, false, cause);
        this.relinkUrl = relinkUrl;
    }

    /**
     * Where to send the user to authorize again, when the provider has such a URL.
     *
     * @return the URL, or empty
     */
    public Optional<String> relinkUrl() {
        return Optional.ofNullable(relinkUrl);
    }
}
