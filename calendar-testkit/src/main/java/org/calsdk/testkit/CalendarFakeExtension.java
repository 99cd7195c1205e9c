package org.calsdk.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs a {@link CalendarFake} for a test: it creates and starts the fake, seeds
 * it, connects a client as one mailbox, and closes both afterwards. Registered on an instance field, each
 * test gets a fresh fake; on a static field, the test class shares one. Test methods may also take a
 * {@link CalendarConnection} parameter (the connected client) or a parameter of the fake's own type; for an
 * {@link HttpCalendarFake} (a fake HTTP server, such as {@link org.calsdk.testkit.caldav.CalDavFake}) also
 * a {@link java.net.URI} (its base URL) and a {@link ConnectionConfig} (ready for the {@code connectAs} mailbox).
 *
 * <pre>{@code
 * class BookingServiceTest {
 *     @RegisterExtension
 *     final CalendarFakeExtension<InMemoryCalendarService> calendar = CalendarFakeExtension
 *             .of(() -> InMemoryCalendarService.builder().build())
 *             .seed(SeedData.organization("example.com").users(2).build())
 *             .connectAs("user1@example.com");
 *
 *     @Test
 *     void booksIntoFreeTime(CalendarConnection connection) {
 *         BookingService bookings = new BookingService(connection);
 *         bookings.book("user1@example.com", slot);
 *         assertThat(calendar.fake().events(CalendarRef.primary(Mailbox.of("user1@example.com")))).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * @param <F> the fake's type
 * @since 0.1
 */
public final class CalendarFakeExtension<F extends CalendarFake>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private final Supplier<? extends F> factory;
    private final List<SeedData> seeds = new ArrayList<>();
    private Mailbox connectAs;
    private boolean perClass;
    private F fake;
    private CalendarConnection connection;

    private CalendarFakeExtension(Supplier<? extends F> factory) {
        this.factory = factory;
    }

    /**
     * An extension that makes its fake with {@code factory}.
     *
     * @param <F> the fake's type
     * @param factory makes a new fake for each test class
     * @return the extension, to register with {@code @RegisterExtension}
     */
    public static <F extends CalendarFake> CalendarFakeExtension<F> of(Supplier<? extends F> factory) {
        return new CalendarFakeExtension<>(Checks.notNull(factory, "factory"));
    }

    /**
     * Seeds every fake it starts with {@code data}.
     *
     * @param data the seed data, added after the fake starts
     * @return this extension
     */
    public CalendarFakeExtension<F> seed(SeedData data) {
        seeds.add(Checks.notNull(data, "data"));
        return this;
    }

    /**
     * Connects a client as {@code email} once the fake is started and seeded.
     *
     * @param email the mailbox address to act as
     * @return this extension
     */
    public CalendarFakeExtension<F> connectAs(String email) {
        this.connectAs = Mailbox.of(email);
        return this;
    }

    /**
     * The running fake.
     *
     * @return the fake, started and seeded
     * @throws IllegalStateException outside a test (before the fake is started or after it is stopped)
     */
    public F fake() {
        if (fake == null) {
            throw new IllegalStateException("the fake is not running (outside a test?)");
        }
        return fake;
    }

    /**
     * The client connected as the {@link #connectAs} mailbox.
     *
     * @return the connection, opened once and closed by the extension
     * @throws IllegalStateException when no {@link #connectAs} mailbox was set, or outside a test
     */
    public CalendarConnection connection() {
        if (connection == null) {
            throw new IllegalStateException(
                    connectAs == null
                            ? "no connectAs(...) was configured"
                            : "the fake is not running (outside a test?)");
        }
        return connection;
    }

    /**
     * Another client, connected as {@code mailbox}; the caller closes it.
     *
     * @param mailbox the mailbox to act as
     * @return a new open connection
     * @throws IllegalStateException outside a test
     */
    public CalendarConnection connect(Mailbox mailbox) {
        return fake().connect(mailbox);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        startFake();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopFake();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            startFake();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stopFake();
        }
    }

    private void startFake() {
        F f = Checks.notNull(factory.get(), "the fake the factory made");
        try {
            f.start();
            seeds.forEach(f::seed);
            connection = connectAs == null ? null : f.connect(connectAs);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        fake = f;
    }

    private void stopFake() {
        try {
            if (connection != null) {
                connection.close();
            }
        } finally {
            connection = null;
            if (fake != null) {
                fake.close();
            }
            fake = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == CalendarConnection.class) {
            return connectAs != null;
        }
        if (type == java.net.URI.class) {
            return fake instanceof HttpCalendarFake;
        }
        if (type == ConnectionConfig.class) {
            return fake instanceof HttpCalendarFake && connectAs != null;
        }
        return fake != null && type.isInstance(fake) && type != Object.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == java.net.URI.class) {
            return ((HttpCalendarFake) fake()).baseUrl();
        }
        if (type == ConnectionConfig.class) {
            return ((HttpCalendarFake) fake()).connectionConfig(connectAs);
        }
        return type == CalendarConnection.class ? connection() : fake();
    }
}
