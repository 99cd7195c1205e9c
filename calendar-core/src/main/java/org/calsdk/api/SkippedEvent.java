package org.calsdk.api;

import org.calsdk.errors.CalendarException;
import org.calsdk.internal.Checks;

/**
 * An event a read could not turn into the model and left out, instead of failing the whole read: its
 * data is malformed, or parsing or expanding it would exceed one of the SDK's bounds (a "poisoned"
 * event, such as an invitation whose VTIMEZONE would expand forever). The rest of the page or batch is
 * complete. Hosts should report it (the sync engine records it as the mailbox's last error).
 *
 * @param eventId the event's id (for CalDAV its href), as {@link org.calsdk.model.Event#id()} would be
 * @param error   why it was left out: typically {@link org.calsdk.errors.MalformedDataException} or
 *                {@link org.calsdk.errors.LimitExceededException}
 * @since 0.1
 */
public record SkippedEvent(String eventId, CalendarException error) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param eventId the event's id (for CalDAV its href), as {@link org.calsdk.model.Event#id()} would be
     * @param error why it was left out: typically {@link org.calsdk.errors.MalformedDataException} or {@link
     *     org.calsdk.errors.LimitExceededException}
     */
    public SkippedEvent {
        Checks.notBlank(eventId, "eventId");
        Checks.notNull(error, "error");
    }

    /**
     * One line for logs and status displays: the id and the error's message.
     *
     * @return the line
     */
    public String describe() {
        return "event " + eventId + " skipped: " + error.getMessage();
    }
}
