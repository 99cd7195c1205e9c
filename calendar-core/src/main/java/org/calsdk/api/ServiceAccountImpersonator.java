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
 * <pre>{@code
 * CalendarConnection asAlice = org.impersonator().actAs(Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @since 0.1
 */
public interface ServiceAccountImpersonator {

    /** Whether the service account may reach {@code mailbox}; makes the cheapest call that can tell. */
    AccessCheck checkAccess(Mailbox mailbox);

    /** A connection that acts as {@code mailbox} alone (its {@code scope()} is {@link ConnectionScope#USER}). */
    CalendarConnection actAs(Mailbox mailbox);

    default CompletableFuture<AccessCheck> checkAccessAsync(Mailbox mailbox, Executor executor) {
        return Async.supply(executor, () -> checkAccess(mailbox));
    }
}
