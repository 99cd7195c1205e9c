package org.calsdk.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.calsdk.internal.Async;
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
 * @since 0.1
 */
public interface ServiceAccountImpersonator {

    /** Whether the service account may reach {@code mailbox}; makes the cheapest call that can tell. */
    AccessCheck checkAccess(Mailbox mailbox);

    /**
     * A view of this organization's connection that acts as {@code mailbox} alone (its {@code scope()} is
     * {@link ConnectionScope#USER}, its {@code self()} the mailbox). Cheap: makes no call; see the class
     * comment for what it shares with the parent and how closing works. Throws
     * {@link org.calsdk.errors.PermissionDeniedException} when the mailbox is known to be out of the service
     * account's reach.
     */
    CalendarConnection actAs(Mailbox mailbox);

    default CompletableFuture<AccessCheck> checkAccessAsync(Mailbox mailbox, Executor executor) {
        return Async.supply(executor, () -> checkAccess(mailbox));
    }
}
