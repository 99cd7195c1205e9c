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

    /**
     * Busy time of every requested mailbox.
     *
     * @param request the mailboxes and window
     * @return one answer per mailbox, errors per mailbox included
     */
    FreeBusyResult query(FreeBusyRequest request);

    /**
     * {@link #query} on the SDK's default executor; cancelling the future aborts the I/O.
     *
     * @param request the mailboxes and window
     * @return a future of the result
     */
    default CompletableFuture<FreeBusyResult> queryAsync(FreeBusyRequest request) {
        return queryAsync(request, Async.defaultExecutor());
    }

    /**
     * {@link #query} on {@code executor}; cancelling the future aborts the I/O.
     *
     * @param request the mailboxes and window
     * @param executor runs the query
     * @return a future of the result
     */
    default CompletableFuture<FreeBusyResult> queryAsync(FreeBusyRequest request, Executor executor) {
        return Async.supply(executor, () -> query(request));
    }
}
