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
 * <p><b>Views, not connections.</b> {@link #actAs} returns a view of the organization's connection (the
 * parent), and the contract every provider keeps is:
 * <ul>
 *   <li>it is cheap: no call to the provider, no new HTTP client, no new connection pool; it shares the
 *   parent's {@code HttpTransport} (so the host's limits, accounting and cancellation apply to all
 *   mailboxes together) and the parent's per-mailbox token cache (a second view of the same mailbox, or a
 *   view made in the next sync pass from the same parent, reuses the cached token);</li>
 *   <li>closing a view releases only what is the view's own; it never closes the parent, the transport or
 *   other views;</li>
 *   <li>a view lives no longer than its parent: once the parent is closed, the view's calls fail.</li>
 * </ul>
 * So connect the organization once and make a view per mailbox, as the sync engine does
 * ({@code SyncConnections.impersonating}); connecting once per mailbox would repeat the set-up (and, for
 * Google, the token exchange) for every one.
 *
 * <pre>{@code
 * try (CalendarConnection org = providers.connect(serviceAccountConfig)) {
 *     for (Mailbox m : mailboxes) {
 *         try (CalendarConnection asUser = org.impersonator().actAs(m)) {
 *             asUser.changes().changes(CalendarRef.primary(m), cursors.get(m));
 *         }
 *     }
 * }
 * }</pre>
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
     *
     * @param mailbox the mailbox
     * @return the answer; a refusal is not thrown
     */
    AccessCheck checkAccess(Mailbox mailbox);

    /**
     * {@link #checkAccess(Mailbox)} for many mailboxes: one answer per mailbox, in request order. The
     * default asks one mailbox after the other; providers that can ask for many in one round trip (a
     * free/busy call over many mailboxes reports each one's error) override it.
     *
     * @param mailboxes at most {@link #MAX_ACCESS_CHECKS} mailboxes
     * @return one answer per mailbox, in request order
     * @throws org.calsdk.errors.InvalidInputException when there are more
     * @since 0.2
     */
    default List<AccessCheck> checkAccess(List<Mailbox> mailboxes) {
        Checks.notNull(mailboxes, "mailboxes");
        Checks.check(
                mailboxes.size() <= MAX_ACCESS_CHECKS,
                "mailboxes",
                "at most " + MAX_ACCESS_CHECKS + " mailboxes per access check, got " + mailboxes.size()
                        + "; check them in parts");
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
     * @return the items checked
     * @since 0.2
     */
    SetupCheck checkSetup();

    /**
     * A view of this organization's connection that acts as {@code mailbox} alone (its {@code scope()} is
     * {@link ConnectionScope#USER}, its {@code self()} the mailbox). Cheap: makes no call; see the class
     * comment for what it shares with the parent and how closing works. Throws
     * {@link org.calsdk.errors.PermissionDeniedException} when the mailbox is known to be out of the service
     * account's reach.
     *
     * @param mailbox the mailbox to act as
     * @return the view; closing it leaves the organization connection open
     */
    CalendarConnection actAs(Mailbox mailbox);

    /**
     * {@link #checkAccess} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param mailbox the mailbox
     * @param executor runs the call
     * @return the answer, later
     */
    default CompletableFuture<AccessCheck> checkAccessAsync(Mailbox mailbox, Executor executor) {
        return Async.supply(executor, () -> checkAccess(mailbox));
    }

    /**
     * {@link #checkAccess(List)} on {@code executor}.
     *
     * @param mailboxes the mailboxes
     * @param executor runs the checks
     * @return a future of the answers, in request order
     */
    default CompletableFuture<List<AccessCheck>> checkAccessAsync(List<Mailbox> mailboxes, Executor executor) {
        return Async.supply(executor, () -> checkAccess(mailboxes));
    }
}
