package org.calsdk.errors;

/**
 * An organization would be connected in two ways that cannot work together: Exchange Online (Microsoft
 * Graph) and Exchange on-premises (EWS) enabled for the same email domain. One organization's mailboxes
 * live in one of the two; syncing them through both would read and write every mailbox twice. Disable one
 * of the two integrations (or move the domain's mailboxes) first; retrying will not help.
 *
 * @since 0.2
 */
public class OrganizationConflictException extends CalendarException {
    private static final long serialVersionUID = 1L;

    private final String domain;

    public OrganizationConflictException(String message, String domain, ErrorContext context) {
        super(message, context, false, null);
        this.domain = domain;
    }

    /** The email domain both integrations claim. */
    public String domain() {
        return domain;
    }
}
