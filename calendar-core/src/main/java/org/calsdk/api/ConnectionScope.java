package org.calsdk.api;

/**
 * Whom a connection speaks for: one user's own mailbox (a user's OAuth grant, an app-specific password),
 * or many mailboxes of an organization through a service account.
 *
 * @since 0.1
 */
public enum ConnectionScope {
    /** One user's own mailbox: {@link CalendarConnection#self()} names it. */
    USER,
    /** Many mailboxes of an organization, through a service account or an app's own credentials. */
    ORGANIZATION
}
