package org.calsdk.testkit.memory;

import org.calsdk.api.CalendarConnection;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.tck.FakeServerFixture;
import org.calsdk.testkit.tck.InMemoryProviderTckTestAccess;
import org.calsdk.testkit.tck.ProviderTck;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.calsdk.testkit.tck.TckFixture;
import org.junit.jupiter.api.AfterEach;

/**
 * The TCK over real HTTP: the "memory-http" provider against its fake, with faults injected on the
 * wire (statuses, dropped answers, delays, throttling, cut answers) and the requests' If-Match logged.
 * Capabilities it does not have (changes, impersonation, directory, push) are skipped with the reason.
 */
class MemoryHttpProviderTckTest extends ProviderTck {
    final MemoryHttpFake fake = new MemoryHttpFake(InMemoryProviderTckTestAccess.newService());
    final RecordingSleeper sleeper = new RecordingSleeper();

    @Override
    protected CalendarConnection connect() {
        fake.start();
        return fake.connect(InMemoryProviderTckTestAccess.ALICE, sleeper);
    }

    @Override
    protected TckFixture fixture() {
        return fixture(fake, sleeper);
    }

    /** The example's fixture: its wire operations, Bob as the other mailbox, the connection's sleeper. */
    static TckFixture fixture(MemoryHttpFake fake, RecordingSleeper sleeper) {
        return FakeServerFixture.builder(fake.server())
                .operation(SpiOperation.FREE_BUSY, "freebusy")
                .operation(SpiOperation.LIST_CALENDARS, "calendars")
                .operation(SpiOperation.LIST_EVENTS, "events.list")
                .operation(SpiOperation.GET_EVENT, "events.get")
                .operation(SpiOperation.CREATE_EVENT, "events.create")
                .operation(SpiOperation.UPDATE_EVENT, "events.update")
                .operation(SpiOperation.DELETE_EVENT, "events.delete")
                .otherMailbox(InMemoryProviderTckTestAccess.BOB)
                .sleeper(sleeper)
                .build();
    }

    @AfterEach
    void stop() {
        fake.close();
    }
}
