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
    FakeResponse handle(FakeRequest request, S state) throws Exception;
}
