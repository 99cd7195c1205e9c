package org.calsdk.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.OrganizationConflictException;
import org.calsdk.internal.Checks;

/**
 * The rule that Exchange Online (provider {@code graph}) and Exchange on-premises (provider {@code ews})
 * are never both enabled for one organization, an organization being an email domain. A domain's
 * mailboxes live in one of the two (in a hybrid set-up each mailbox lives in one, and Exchange redirects);
 * an integration of each kind over the same domain would sync every mailbox twice and fight over its
 * events. The sync engine checks this where integrations get mailboxes; hosts that register
 * organizations themselves call {@link #requireCompatible} and report {@link #conflicts} (as
 * {@code calendar doctor} does).
 *
 * <pre>{@code
 * ExchangeDeployments.requireCompatible(candidate, existingIntegrations); // throws OrganizationConflictException
 * }</pre>
 *
 * @since 0.2
 */
public final class ExchangeDeployments {
    /** The provider id of Exchange Online through Microsoft Graph. */
    public static final String ONLINE = "graph";
    /** The provider id of Exchange on-premises through EWS. */
    public static final String ON_PREMISES = "ews";

    private ExchangeDeployments() {}

    /**
     * One domain claimed by both kinds of Exchange.
     *
     * @param domain     the email domain
     * @param online     the name of the Exchange Online (Graph) integration
     * @param onPremises the name of the Exchange on-premises (EWS) integration
     */
    public record Conflict(String domain, String online, String onPremises) {
        /**
         * Validates the conflict.
         *
         * @param domain     the email domain
         * @param online     the name of the Exchange Online (Graph) integration
         * @param onPremises the name of the Exchange on-premises (EWS) integration
         * @throws NullPointerException when a component is null
         * @throws org.calsdk.errors.InvalidInputException when a component is blank
         */
        public Conflict {
            Checks.notBlank(domain, "domain");
            Checks.notBlank(online, "online");
            Checks.notBlank(onPremises, "onPremises");
        }

        /**
         * In words, for a log line or a doctor finding.
         *
         * @return a sentence naming the domain and both integrations
         */
        public String describe() {
            return "the domain " + domain + " is enabled both for Exchange Online (integration '" + online
                    + "') and for Exchange on-premises (integration '" + onPremises + "')";
        }
    }

    /**
     * Whether {@code provider} is one of the two kinds of Exchange.
     *
     * @param provider a provider id, or null
     * @return true for {@link #ONLINE} and {@link #ON_PREMISES}; false otherwise, null included
     */
    public static boolean isExchange(String provider) {
        return ONLINE.equals(provider) || ON_PREMISES.equals(provider);
    }

    /**
     * Every domain that both an Exchange Online and an Exchange on-premises integration cover. Integrations
     * of other providers are ignored.
     *
     * @param integrations the integrations to compare, in any order
     * @return one conflict per domain and pair of integrations, sorted by domain then names; empty when they
     *         are compatible
     * @throws NullPointerException when {@code integrations} is null
     */
    public static List<Conflict> conflicts(Collection<OrganizationIntegration> integrations) {
        Checks.notNull(integrations, "integrations");
        List<Conflict> out = new ArrayList<>();
        for (OrganizationIntegration online : integrations) {
            if (!ONLINE.equals(online.provider())) {
                continue;
            }
            for (OrganizationIntegration onPrem : integrations) {
                if (!ON_PREMISES.equals(onPrem.provider())) {
                    continue;
                }
                for (String d : online.domains()) {
                    if (onPrem.domains().contains(d)) {
                        out.add(new Conflict(d, online.name(), onPrem.name()));
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Conflict::domain)
                .thenComparing(Conflict::online)
                .thenComparing(Conflict::onPremises));
        return List.copyOf(out);
    }

    /**
     * Refuses {@code candidate} when it and one of {@code existing} (other than itself, by name) would enable
     * both kinds of Exchange for one domain. A candidate of a non-Exchange provider always passes.
     *
     * @param candidate the integration about to be enabled or changed
     * @param existing  the integrations already enabled (an older version of the candidate, same name, is
     *                  ignored)
     * @throws NullPointerException when {@code candidate} or {@code existing} is null
     * @throws OrganizationConflictException naming the domain and both integrations
     */
    public static void requireCompatible(
            OrganizationIntegration candidate, Collection<OrganizationIntegration> existing) {
        Checks.notNull(candidate, "candidate");
        Checks.notNull(existing, "existing");
        if (!isExchange(candidate.provider())) {
            return;
        }
        List<OrganizationIntegration> all = new ArrayList<>();
        all.add(candidate);
        for (OrganizationIntegration i : existing) {
            if (!i.name().equals(candidate.name())) {
                all.add(i);
            }
        }
        for (Conflict c : conflicts(all)) {
            if (c.online().equals(candidate.name()) || c.onPremises().equals(candidate.name())) {
                throw new OrganizationConflictException(
                        "cannot enable integration '" + candidate.name() + "': "
                                + c.describe()
                                + "; one organization uses one of the two. Disable the other integration "
                                + "or remove its mailboxes of " + c.domain() + " first",
                        c.domain(),
                        ErrorContext.of(candidate.provider()));
            }
        }
    }
}
