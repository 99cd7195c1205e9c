package org.calsdk.testkit;

/**
 * Answers the requests of one route of a {@link FakeServer}, reading and changing the fake's state.
 * Called concurrently from the server's connection threads: guard the state (for example, synchronize
 * on it). An exception becomes a 500 answer naming it.
 *
 * @param <S> the fake's state type
 * @since 0.1
 */
@FunctionalInterface
public interface RouteHandler<S> {
    /**
     * Computes the answer to one request. Runs on the server's threads; guard shared state.
     *
     * @param request the request, with its route's path variables and operation
     * @param state the fake's state
     * @return the answer; a thrown exception is answered with a 500 in the server's error dialect
     * @throws Exception on any failure of the handler (answered with a 500)
     */
    FakeResponse handle(FakeRequest request, S state) throws Exception;
}
