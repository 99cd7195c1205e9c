package org.calsdk.testkit.ews.internal;

import java.net.URI;
import java.util.Map;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SeedFile;
import org.calsdk.testkit.StandaloneFake;
import org.calsdk.testkit.ews.FakeEwsServer;

/**
 * {@code ./calendar fake --provider ews}: a {@link FakeEwsServer} in open mode (every
 * {@code @example.com} mailbox exists, any password or bearer token gets in, and may impersonate any
 * mailbox), or holding the seed's mailboxes and events, with the seed's passwords as service accounts
 * named by address. Not public API; found by {@link java.util.ServiceLoader}.
 */
public final class EwsStandaloneFake implements StandaloneFake {

    @Override
    public String provider() {
        return "ews";
    }

    @Override
    public Running start(int port, SeedFile seed) {
        FakeEwsServer.Builder b = FakeEwsServer.builder().port(port);
        if (seed == null) {
            b.anyExampleMailbox(true);
        } else {
            for (Map.Entry<Mailbox, String> p : seed.passwords().entrySet()) {
                b.serviceAccount(p.getKey().email(), p.getValue());
            }
        }
        FakeEwsServer server = b.build();
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
