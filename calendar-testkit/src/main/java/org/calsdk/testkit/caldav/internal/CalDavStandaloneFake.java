package org.calsdk.testkit.caldav.internal;

import java.net.URI;
import org.calsdk.testkit.SeedFile;
import org.calsdk.testkit.StandaloneFake;
import org.calsdk.testkit.caldav.FakeCalDavServer;

/**
 * {@code ./calendar fake --provider caldav}: a {@link FakeCalDavServer} in open mode (every
 * {@code USER@example.com}, any password), or holding the seed's users and events. Not public API;
 * found by {@link java.util.ServiceLoader}.
 */
public final class CalDavStandaloneFake implements StandaloneFake {

    @Override
    public String provider() {
        return "caldav";
    }

    @Override
    public Running start(int port, SeedFile seed) {
        FakeCalDavServer.Builder b = FakeCalDavServer.builder().port(port);
        if (seed == null) {
            b.openDomain(true);
        } else {
            b.domain(seed.data().domain());
            seed.passwords()
                    .forEach((mailbox, pw) ->
                            b.user(mailbox.email().substring(0, mailbox.email().indexOf('@')), pw));
        }
        FakeCalDavServer server = b.build();
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
                return server.port();
            }

            @Override
            public URI baseUrl() {
                return URI.create(server.url());
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
