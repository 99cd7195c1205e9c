package org.calsdk.testkit.caldav;

import java.net.URI;
import java.util.Objects;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.CalendarFakeExtension;
import org.calsdk.testkit.HttpCalendarFake;
import org.calsdk.testkit.SeedData;

/**
 * A {@link FakeCalDavServer} as a {@link HttpCalendarFake}, for {@link CalendarFakeExtension}: started
 * before a test, seeded from {@link SeedData}, connected through the {@code caldav} provider
 * (provider-caldav on the test class path).
 *
 * <pre>{@code
 * @RegisterExtension
 * final CalendarFakeExtension<CalDavFake> dav = CalendarFakeExtension
 *         .of(() -> CalDavFake.of(FakeCalDavServer.builder().openDomain(true)))
 *         .seed(SeedData.organization("example.com").users(2).eventsPerUser(3).build())
 *         .connectAs("user1@example.com");
 *
 * @Test
 * void reads(CalendarConnection connection, URI baseUrl, ConnectionConfig config, CalDavFake fake) { ... }
 * }</pre>
 *
 * @since 0.1
 */
public final class CalDavFake implements HttpCalendarFake {
    private final FakeCalDavServer server;

    private CalDavFake(FakeCalDavServer server) {
        this.server = server;
    }

    /**
     * A fake over the server {@code builder} configures (built now, started by {@link #start()}).
     *
     * @param builder the configured server builder
     * @return the fake, not started
     */
    public static CalDavFake of(FakeCalDavServer.Builder builder) {
        return new CalDavFake(Objects.requireNonNull(builder, "builder == null").build());
    }

    /**
     * The server, for faults, accounting and direct reads.
     *
     * @return the server; the same instance for the fake's life
     */
    public FakeCalDavServer server() {
        return server;
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void seed(SeedData data) {
        server.seed(data);
    }

    @Override
    public CalendarConnection connect(Mailbox mailbox) {
        return server.connect(mailbox);
    }

    @Override
    public URI baseUrl() {
        return URI.create(server.url());
    }

    @Override
    public ConnectionConfig connectionConfig(Mailbox mailbox) {
        return server.connectionConfig(mailbox).build();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "CalDavFake[" + server + "]";
    }
}
