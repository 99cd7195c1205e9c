package org.calsdk.api;

import java.util.List;
import org.calsdk.internal.AccessProbe;
import org.calsdk.internal.Checks;

/**
 * Which of the mailboxes a host cares about a connection can reach, and why not for the others: the
 * report an administrator reads after connecting an organization (Cronofy's dashboard shows the same).
 * For an organization connection with {@link Capability#IMPERSONATION} it is
 * {@link ServiceAccountImpersonator#checkAccess(List)} in parts of {@link ServiceAccountImpersonator#MAX_ACCESS_CHECKS};
 * for a one-user connection, its own mailbox is judged by its credential and any other mailbox by trying
 * to read it.
 *
 * <pre>{@code
 * ScopeReport r = ScopeReport.check(org, mailboxesTheHostSyncs);
 * r.unreachable().forEach(c -> alert(c.mailbox(), c.reason(), c.detail()));
 * }</pre>
 *
 * @param mailboxes one answer per mailbox asked about, in the order asked
 * @since 0.2
 */
public record ScopeReport(List<AccessCheck> mailboxes) {
    /** The most mailboxes one report covers. */
    public static final int MAX_MAILBOXES = 100_000;

    /**
     * Copies the answers; null is an empty report.
     *
     * @param mailboxes one answer per mailbox asked about, in the order asked
     * @throws NullPointerException when an answer is null
     */
    public ScopeReport {
        mailboxes = Checks.immutableList(mailboxes, "mailboxes");
    }

    /**
     * Checks every one of {@code mailboxes} (duplicates are asked once and answered in each place).
     * A refusal is an answer; only a failure to ask at all (provider unreachable) throws.
     *
     * @param connection an open connection, one-user or organization
     * @param mailboxes  the mailboxes the host cares about (may be empty)
     * @return one answer per mailbox, in the order of {@code mailboxes}
     * @throws NullPointerException when {@code connection} or {@code mailboxes} is null
     * @throws org.calsdk.errors.InvalidInputException for more than {@link #MAX_MAILBOXES} mailboxes, or an
     *         organization connection without impersonation
     */
    public static ScopeReport check(CalendarConnection connection, List<org.calsdk.model.Mailbox> mailboxes) {
        Checks.notNull(connection, "connection");
        Checks.notNull(mailboxes, "mailboxes");
        Checks.check(
                mailboxes.size() <= MAX_MAILBOXES,
                "mailboxes",
                "at most " + MAX_MAILBOXES + " mailboxes per scope report, got " + mailboxes.size());
        return new ScopeReport(AccessProbe.checkAll(connection, mailboxes));
    }

    /**
     * The mailboxes that can be reached.
     *
     * @return the allowed answers, in the order asked
     */
    public List<AccessCheck> reachable() {
        return mailboxes.stream().filter(AccessCheck::allowed).toList();
    }

    /**
     * The mailboxes that cannot be reached, each with its reason.
     *
     * @return the refused answers, in the order asked; empty when every mailbox is reachable
     */
    public List<AccessCheck> unreachable() {
        return mailboxes.stream().filter(c -> !c.allowed()).toList();
    }
}
