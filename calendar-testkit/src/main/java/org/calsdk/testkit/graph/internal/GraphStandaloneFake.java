package org.calsdk.testkit.graph.internal;

import java.net.URI;
import org.calsdk.testkit.SeedFile;
import org.calsdk.testkit.StandaloneFake;
import org.calsdk.testkit.graph.FakeGraphServer;

/**
 * {@code ./calendar fake --provider graph}: a {@link FakeGraphServer} in open mode (every
 * {@code USER@example.com}, any bearer token as an app-only token), or holding the seed's users and the
 * events of their primary calendars. Not public API; found by {@link java.util.ServiceLoader}.
 */
public final class GraphStandaloneFake implements StandaloneFake {

    @Override
    public String provider() {
        return "graph";
    }

    @Override
    public Running start(int port, SeedFile seed) {
        // subscriptions' notifications go out by themselves within a second, as Graph sends them
        FakeGraphServer.Builder b =
                FakeGraphServer.builder().port(port).deliverNotificationsEvery(java.time.Duration.ofSeconds(1));
        if (seed == null) {
            b.openDomain("example.com");
        }
        FakeGraphServer server = b.build();
        try {
            server.start();
            if (seed != null) {
                server.seed(seed.data());
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new Running() {
            @Override
            public int port() {
                return server.server().port();
            }

            @Override
            public URI baseUrl() {
                return URI.create(server.baseUrl());
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
