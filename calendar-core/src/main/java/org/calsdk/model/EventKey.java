package org.calsdk.model;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * The host application's own id for an event it manages (a booking id, an interview id). Every write
 * carries it; each provider maps it to its own idempotency mechanism (Google's client-chosen event id,
 * Graph's {@code transactionId} and an extended property, an EWS extended property, the CalDAV
 * {@code UID}), so a retried create finds the event instead of making a second one.
 *
 * <p>At most 200 characters of printable ASCII, so that every provider can store it.
 *
 * @since 0.1
 */
public record EventKey(String value) {
    public static final int MAX_LENGTH = 200;

    public EventKey {
        Checks.notBlank(value, "eventKey");
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException("eventKey", "eventKey is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidInputException("eventKey", "eventKey must be printable ASCII without spaces");
            }
        }
    }

    public static EventKey of(String value) {
        return new EventKey(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
