package org.calsdk.errors;

import java.util.Optional;

/**
 * The event changed since it was read: its etag / change key no longer matches (HTTP 409/412, EWS
 * {@code ErrorIrresolvableConflict}). Read the event again, merge, and write with the new version.
 * {@link #currentVersion()} carries the provider's current version when it told us.
 *
 * @since 0.1
 */
public class ConflictException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /** The version the provider holds now, when it said. */
    private final String currentVersion;

    /**
     * A conflict whose current version is unknown.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public ConflictException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * A conflict.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param currentVersion the version the provider holds now, or null
     */
    public ConflictException(String message, ErrorContext context, String currentVersion) {
        super(message, context, false, null);
        this.currentVersion = currentVersion;
    }

    /**
     * The version the provider holds now, when known.
     *
     * @return the current version, or empty
     */
    public Optional<String> currentVersion() {
        return Optional.ofNullable(currentVersion);
    }
}
