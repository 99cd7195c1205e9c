package org.calsdk.testkit;

import java.util.Map;

/**
 * The hook a provider fake implements to put per-mailbox errors ({@link Fault#mailboxError}) into a good
 * answer, in the provider's form: Google's freeBusy gives {@code "calendars":{"bob@...":{"errors":[{"domain":"global","reason":"notFound"}]}}},
 * Graph's getSchedule a {@code scheduleItem} with an {@code error} object.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MailboxErrorInjector {

    /**
     * The answer with the errors written in.
     *
     * @param request the call (its {@link FakeRequest#mailboxes()})
     * @param answer  the route handler's answer
     * @param errors  mailbox (as it appeared in the request) to the provider's error code
     * @return the changed answer
     * @throws Exception a failure becomes a 500 answer naming it
     */
    FakeResponse inject(FakeRequest request, FakeResponse answer, Map<String, String> errors) throws Exception;
}
