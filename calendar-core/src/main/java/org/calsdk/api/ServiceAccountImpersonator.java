package org.calsdk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.calsdk.internal.Async;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * Organization-wide access: one service account acting as any mailbox the administrator allowed
 * (Google domain-wide delegation, Graph application permissions scoped by an access policy, EWS
 * ApplicationImpersonation). The provider caches per-mailbox credentials (Google: one token per
 * impersonated user) behind this interface.
 *
 * <p>Before acting, a host can ask whether the set-up is right ({@link #checkSetup()}: delegation,
 * consent, role) and which mailboxes the account may reach ({@link #checkAccess(List)}); a refusal
 * carries an {@link AccessCheck.Reason} the host can act on.
 *
 * <pre>{@code
 * SetupCheck setup = org.impersonator().checkSetup();
 * List<AccessCheck> access = org.impersonator().checkAccess(List.of(alice, bob));
 * CalendarConnection asAlice = org.impersonator().actAs(Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @since 0.1
 */
public interface ServiceAccountImpersonator {

    /** The most mailboxes {@link #checkAccess(List)} takes in one call. */
    int MAX_ACCESS_CHECKS = 1000;

    /**
     * Whether the service account may reach {@code mailbox}; makes the cheapest call that can tell. A
     * refusal is an answer ({@link AccessCheck#allowed()} false with its reason), not an exception; only
     * a failure to ask at all (the provider unreachable, throttled past the retries) throws.
     */
    AccessCheck checkAccess(Mailbox mailbox);

    /**
     * {@link #checkAccess(Mailbox)} for many mailboxes: one answer per mailbox, in request order. The
     * default asks one mailbox after the other; providers that can ask for many in one round trip (a
     * free/busy call over many mailboxes reports each one's error) override it.
     *
     * @param mailboxes at most {@link #MAX_ACCESS_CHECKS} mailboxes
     * @throws org.calsdk.errors.InvalidInputException when there are more
     * @since 0.2
     */
    default List<AccessCheck> checkAccess(List<Mailbox> mailboxes) {
        Checks.notNull(mailboxes, "mailboxes");
        Checks.check(mailboxes.size() <= MAX_ACCESS_CHECKS, "mailboxes", "at most " + MAX_ACCESS_CHECKS
                + " mailboxes per access check, got " + mailboxes.size() + "; check them in parts");
        List<AccessCheck> out = new ArrayList<>(mailboxes.size());
        for (Mailbox m : mailboxes) {
            out.add(checkAccess(Checks.notNull(m, "mailbox")));
        }
        return List.copyOf(out);
    }

    /**
     * Whether the organization's set-up lets the service account act at all: its credential, and the
     * provider's own requirements (Google delegation, Graph admin consent, EWS impersonation role), each
     * reported as an item with what to do when it is missing. Answers, does not throw, for a set-up
     * problem.
     *
     * @since 0.2
     */
    SetupCheck checkSetup();

    /** A connection that acts as {@code mailbox} alone (its {@code scope()} is {@link ConnectionScope#USER}). */
    CalendarConnection actAs(Mailbox mailbox);

    default CompletableFuture<AccessCheck> checkAccessAsync(Mailbox mailbox, Executor executor) {
        return Async.supply(executor, () -> checkAccess(mailbox));
    }

    /** {@link #checkAccess(List)} on {@code executor}. */
    default CompletableFuture<List<AccessCheck>> checkAccessAsync(List<Mailbox> mailboxes, Executor executor) {
        return Async.supply(executor, () -> checkAccess(mailboxes));
    }
}
