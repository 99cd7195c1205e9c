package org.calsdk.testkit.google.internal;

import java.net.URI;
import org.calsdk.testkit.SeedFile;
import org.calsdk.testkit.StandaloneFake;
import org.calsdk.testkit.google.FakeGoogleServer;

/**
 * {@code ./calendar fake --provider google}: a {@link FakeGoogleServer} in open mode (every
 * {@code @example.com} mailbox, any bearer token), or holding the seed's users and events. Not public
 * API; found by {@link java.util.ServiceLoader}.
 */
public final class GoogleStandaloneFake implements StandaloneFake {

    @Override
    public String provider() {
        return "google";
    }

    @Override
    public Running start(int port, SeedFile seed) {
        FakeGoogleServer server = FakeGoogleServer.standalone(port, seed == null ? null : seed.data());
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new Running() {
            @Override
            public int port() {
                return server.port();
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
