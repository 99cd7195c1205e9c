package org.calsdk.api;

import java.util.List;
import java.util.Optional;
import org.calsdk.internal.Checks;

/**
 * Whether an integration is set up right at the provider, item by item: the checks an administrator
 * works through before any mailbox is reached (Google: the domain-wide delegation of the service
 * account's client id; Graph: the tenant administrator's consent to the application permissions;
 * EWS: the ApplicationImpersonation role). A provider reports the items that apply to it; each is
 * {@link Status#OK}, {@link Status#MISSING} or, when the provider cannot tell without a mailbox,
 * {@link Status#UNKNOWN}.
 *
 * <pre>{@code
 * SetupCheck setup = connection.checkSetup();
 * if (!setup.ok()) {
 *     setup.problems().forEach(i -> System.out.println(i.requirement() + ": " + i.detail()));
 * }
 * }</pre>
 *
 * @param items what was checked, in the order checked
 * @since 0.2
 */
public record SetupCheck(List<Item> items) {

    /** What an integration needs at the provider. */
    public enum Requirement {
        /** The connection's own credential is accepted (password, token, client secret, key). */
        CREDENTIAL_VALID,
        /** Google: the service account's client id is allowed domain-wide delegation with the scopes needed. */
        DELEGATION_CONFIGURED,
        /** Graph: an administrator consented to the application permissions for the tenant. */
        ADMIN_CONSENT_GIVEN,
        /** EWS: the service account holds the ApplicationImpersonation role. */
        IMPERSONATION_ROLE_PRESENT
    }

    /** The state of one requirement. */
    public enum Status {
        /** In place. */
        OK,
        /** Not in place: the detail says what to do. */
        MISSING,
        /** Could not be told (the provider answered ambiguously, or only a mailbox check can tell). */
        UNKNOWN
    }

    /**
     * One checked requirement.
     *
     * @param requirement what was checked
     * @param status      its state
     * @param detail      what the provider said or what to do (empty when there is nothing to add)
     */
    public record Item(Requirement requirement, Status status, String detail) {
        /**
         * Checks the components as the description above says, and copies any list, map or array given.
         *
         * @param requirement what was checked
         * @param status its state
         * @param detail what the provider said or what to do (empty when there is nothing to add)
         */
        public Item {
            Checks.notNull(requirement, "requirement");
            Checks.notNull(status, "status");
            detail = detail == null ? "" : detail;
        }
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param items what was checked, in the order checked
     */
    public SetupCheck {
        items = Checks.immutableList(items, "items");
    }

    /**
     * Whether every item is {@link Status#OK}.
     *
     * @return true when nothing needs fixing
     */
    public boolean ok() {
        return items.stream().allMatch(i -> i.status() == Status.OK);
    }

    /**
     * The items that are not {@link Status#OK}.
     *
     * @return the problems, in check order; empty when {@link #ok()}
     */
    public List<Item> problems() {
        return items.stream().filter(i -> i.status() != Status.OK).toList();
    }

    /**
     * The item for {@code requirement}, when it was checked.
     *
     * @param requirement the requirement
     * @return its item, or empty when it was not checked
     */
    public Optional<Item> item(Requirement requirement) {
        return items.stream().filter(i -> i.requirement() == requirement).findFirst();
    }
}
