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

    /** The email domain both integrations claim. */
    private final String domain;

    /**
     * Creates the error; it is never retryable.
     *
     * @param message what conflicts and how to resolve it; never a secret
     * @param domain  the email domain both integrations claim
     * @param context the provider of the integration that was refused
     */
    public OrganizationConflictException(String message, String domain, ErrorContext context) {
        super(message, context, false, null);
        this.domain = domain;
    }

    /**
     * The email domain both integrations claim.
     *
     * @return the domain (lower case when {@link org.calsdk.api.ExchangeDeployments} raised it)
     */
    public String domain() {
        return domain;
    }
}
