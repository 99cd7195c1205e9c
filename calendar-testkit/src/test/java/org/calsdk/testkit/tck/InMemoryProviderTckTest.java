package org.calsdk.testkit.tck;

import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;

/** The reference provider passes the whole TCK. */
class InMemoryProviderTckTest extends ProviderTck {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final Mailbox CAROL = Mailbox.of("carol@example.com");

    private final InMemoryCalendarService service = newService();

    /** Alice and Bob are in the service account's scope, Carol is not. */
    static InMemoryCalendarService newService() {
        InMemoryCalendarService s = InMemoryCalendarService.builder()
                .changePageSize(3)
                .directoryPageSize(2)
                .build();
        s.seed(SeedData.organization("example.com")
                .user("alice@example.com", "Alice")
                .user("bob@example.com", "Bob")
                .user("carol@example.com", "Carol")
                .build());
        s.restrictServiceAccountTo(Set.of(ALICE, BOB));
        return s;
    }

    @Override
    protected CalendarConnection connect() {
        return service.connect(ALICE);
    }

    @Override
    protected TckFixture fixture() {
        return service.tckFixture(ALICE);
    }

    @AfterEach
    void closeService() {
        service.close();
    }
}
