package org.calsdk.testkit.tck;

import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;

/** The reference TCK set-up (Alice, Bob in scope, Carol outside), for other test packages. */
public final class InMemoryProviderTckTestAccess {
    public static final Mailbox ALICE = InMemoryProviderTckTest.ALICE;
    public static final Mailbox BOB = InMemoryProviderTckTest.BOB;

    private InMemoryProviderTckTestAccess() {}

    public static InMemoryCalendarService newService() {
        return InMemoryProviderTckTest.newService();
    }
}
