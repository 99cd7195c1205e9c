package org.calsdk.testkit;

import org.calsdk.api.CalendarConnection;
import org.calsdk.model.Mailbox;

/**
 * A fake calendar service that tests run against: the in-memory reference service, or a fake HTTP
 * server speaking one provider's wire format. {@link CalendarFakeExtension} starts one before a test,
 * seeds it, hands the test a connected client and stops it afterwards.
 *
 * <pre>{@code
 * try (InMemoryCalendarService fake = InMemoryCalendarService.builder().build()) {
 *     fake.start();
 *     fake.seed(SeedData.organization("example.com").users(2).build());
 *     CalendarConnection alice = fake.connect(Mailbox.of("user1@example.com"));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface CalendarFake extends AutoCloseable {

    /** Starts the fake (binds its port, for a server). Idempotent. */
    void start();

    /**
     * Adds users, calendars and events.
     *
     * @param data the users, calendars and events to add; ones the fake has already are extended
     */
    void seed(SeedData data);

    /**
     * A client connected as {@code mailbox} (a {@link org.calsdk.api.ConnectionScope#USER} connection).
     *
     * @param mailbox the mailbox to act as; it must exist in the fake
     * @return an open connection; the caller closes it
     */
    CalendarConnection connect(Mailbox mailbox);

    /** Stops the fake and releases its port and state. Idempotent. */
    @Override
    void close();
}
