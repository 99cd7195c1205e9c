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

    private final String relinkUrl;

    public ReauthorizationRequiredException(String message, ErrorContext context) {
        this(message, context, null, null);
    }

    public ReauthorizationRequiredException(String message, ErrorContext context, String relinkUrl, Throwable cause) {
        super(message, context, false, cause);
        this.relinkUrl = relinkUrl;
    }

    /** Where to send the user to authorize again, when the provider has such a URL. */
    public Optional<String> relinkUrl() {
        return Optional.ofNullable(relinkUrl);
    }
}
