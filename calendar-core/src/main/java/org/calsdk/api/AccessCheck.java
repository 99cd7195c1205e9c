package org.calsdk.api;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * Whether a service account may act as a mailbox, and if not, why: a {@link Reason} a program can act on
 * (and a command line prints as is) plus a detail text an administrator can act on.
 *
 * <pre>{@code
 * for (AccessCheck c : org.impersonator().checkAccess(List.of(alice, bob))) {
 *     if (!c.allowed()) {
 *         log.warn("{}: {} ({})", c.mailbox(), c.reason(), c.detail());
 *     }
 * }
 * }</pre>
 *
 * @param mailbox the mailbox
 * @param allowed whether access works
 * @param reason  why not: null exactly when {@code allowed}
 * @param detail  what the provider said or what to do, in words (empty when there is nothing to add);
 *                never a secret
 * @since 0.1
 */
public record AccessCheck(
        Mailbox mailbox, boolean allowed, @Nullable Reason reason, String detail) {

    /**
     * Why a service account may not act as a mailbox. The names are a contract: command lines and hosts
     * print and match them.
     *
     * @since 0.2
     */
    public enum Reason {
        /**
         * The mailbox is outside what the account was granted: not in Google's domain-wide delegation (the
         * user is in another domain or organizational unit), outside Graph's application access policy or
         * its management scope / mail-enabled security group.
         */
        NOT_IN_SCOPE,
        /** The account lacks the role that impersonation needs (EWS ApplicationImpersonation). */
        ROLE_MISSING,
        /** No such mailbox (or it is suspended, so it cannot be acted as). */
        NOT_FOUND,
        /** The service account's own credential is refused (expired secret, revoked key). */
        CREDENTIAL_INVALID,
        /** The provider refused without saying why in a way the SDK recognizes; see the detail. */
        UNKNOWN
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param mailbox the mailbox
     * @param allowed whether access works
     * @param reason why not: null exactly when {@code allowed}
     * @param detail what the provider said or what to do, in words (empty when there is nothing to add); never a
     *     secret
     */
    public AccessCheck {
        Checks.notNull(mailbox, "mailbox");
        Checks.check(
                allowed == (reason == null),
                "reason",
                allowed ? "an allowed check has no reason" : "a refused check needs a reason");
        detail = detail == null ? "" : detail;
    }

    /**
     * Access works.
     *
     * @param mailbox the mailbox checked
     * @return an allowed answer without reason or detail
     */
    public static AccessCheck allowed(Mailbox mailbox) {
        return new AccessCheck(mailbox, true, null, "");
    }

    /**
     * Access is refused for {@code reason}; {@code detail} says what to do.
     *
     * @param mailbox the mailbox checked
     * @param reason why access is refused
     * @param detail what is wrong and what to do, for people
     * @return a refused answer
     */
    public static AccessCheck denied(Mailbox mailbox, Reason reason, String detail) {
        Checks.notNull(reason, "reason");
        return new AccessCheck(mailbox, false, reason, detail);
    }
}
