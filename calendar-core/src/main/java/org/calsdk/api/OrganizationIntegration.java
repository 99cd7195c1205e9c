package org.calsdk.api;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.calsdk.internal.Checks;

/**
 * One way an organization is connected, as far as {@link ExchangeDeployments} needs to know: the host's
 * name for the integration, the provider id it uses, and the email domains of the mailboxes it covers.
 *
 * @param name     the host's name for the integration
 * @param provider the provider id ({@code graph}, {@code ews}, {@code google}, ...)
 * @param domains  the email domains it covers, lower case (an empty set covers none yet)
 * @since 0.2
 */
public record OrganizationIntegration(String name, String provider, Set<String> domains) {
    /**
     * Validates the integration and normalizes its domains (stripped, lower case).
     *
     * @param name     the host's name for the integration
     * @param provider the provider id
     * @param domains  the email domains it covers, in any case (may be empty)
     * @throws NullPointerException when {@code name}, {@code provider}, {@code domains} or a domain is null
     * @throws org.calsdk.errors.InvalidInputException when {@code name}, {@code provider} or a domain is blank
     */
    public OrganizationIntegration {
        Checks.notBlank(name, "name");
        Checks.notBlank(provider, "provider");
        Checks.notNull(domains, "domains");
        TreeSet<String> lower = new TreeSet<>();
        for (String d : domains) {
            lower.add(Checks.notBlank(d, "domain").strip().toLowerCase(Locale.ROOT));
        }
        domains = Set.copyOf(lower);
    }
}
