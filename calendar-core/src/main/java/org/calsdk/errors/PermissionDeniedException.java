package org.calsdk.errors;

/**
 * The credentials are valid but may not do this: a scope is missing, or the mailbox lies outside what the
 * service account (Google domain-wide delegation, a Graph application access policy, EWS impersonation)
 * may reach. Ask the administrator to grant access; retrying will not help.
 *
 * @since 0.1
 */
public class PermissionDeniedException extends CalendarException {
    private static final long serialVersionUID = 1L;

    /**
     * The error.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public PermissionDeniedException(String message, ErrorContext context) {
        super(message, context, false, null);
    }

    /**
     * The error with its cause.
     *
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     * @param cause the underlying failure
     */
    public PermissionDeniedException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
