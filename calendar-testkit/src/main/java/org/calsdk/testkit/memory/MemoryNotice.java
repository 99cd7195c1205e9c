package org.calsdk.testkit.memory;

import java.util.List;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * A message the in-memory service "sent" because of a write: what a real provider would e-mail to
 * attendees (or, for an answer, to the organizer). Tests read them with
 * {@link InMemoryCalendarService#notices()} to check that {@link org.calsdk.api.WriteOptions} were honoured.
 *
 * @param kind       what the message is
 * @param eventId    the event it is about
 * @param recipients who received it (never empty)
 * @since 0.2
 */
public record MemoryNotice(Kind kind, String eventId, List<Mailbox> recipients) {

    /** What a notice is. */
    public enum Kind {
        /** A new meeting. */
        INVITATION,
        /** A changed meeting (or one changed occurrence). */
        UPDATE,
        /** A cancelled or deleted meeting (or one cancelled occurrence). */
        CANCELLATION,
        /** An attendee's answer, to the organizer. */
        REPLY
    }

    /**
     * Checks the notice and copies its recipients.
     *
     * @param kind what the message is
     * @param eventId the event it is about
     * @param recipients who received it (never empty)
     * @throws org.calsdk.errors.InvalidInputException if {@code eventId} is blank or {@code recipients} is empty
     * @throws NullPointerException if {@code kind}, {@code eventId} or {@code recipients} is null
     */
    public MemoryNotice {
        Checks.notNull(kind, "kind");
        Checks.notBlank(eventId, "eventId");
        recipients = List.copyOf(Checks.notNull(recipients, "recipients"));
        Checks.check(!recipients.isEmpty(), "recipients", "a notice has at least one recipient");
    }
}
