package org.calsdk.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.calsdk.internal.Async;

/**
 * Reads busy time for many mailboxes over a window in as few round trips as the provider allows.
 * One mailbox's failure (not found, out of scope) is reported in its own {@link org.calsdk.model.FreeBusy}
 * and never fails the call; only a failure of the whole call (throttled past the retry budget, the
 * grant revoked) throws.
 *
 * <pre>{@code
 * FreeBusyResult r = connection.freeBusy().query(FreeBusyRequest.of(List.of(alice, bob), window));
 * }</pre>
 *
 * @since 0.1
 */
public interface FreeBusyQuery {

    /** Busy time of every requested mailbox. */
    FreeBusyResult query(FreeBusyRequest request);

    /** {@link #query} on the SDK's default executor; cancelling the future aborts the I/O. */
    default CompletableFuture<FreeBusyResult> queryAsync(FreeBusyRequest request) {
        return queryAsync(request, Async.defaultExecutor());
    }

    /** {@link #query} on {@code executor}; cancelling the future aborts the I/O. */
    default CompletableFuture<FreeBusyResult> queryAsync(FreeBusyRequest request, Executor executor) {
        return Async.supply(executor, () -> query(request));
    }
}
