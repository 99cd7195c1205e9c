package org.calsdk.sync;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.calsdk.internal.Checks;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/**
 * The calendar changed fields of one of the app's own events that the calendar owns (the organizer moved
 * it, an attendee answered): the host applies {@code fields} from {@code event}.
 *
 * @param calendar the calendar it was seen in
 * @param key      the app's key
 * @param event    the event as the calendar has it now
 * @param fields   the fields that changed and flow back
 * @since 0.1
 */
public record AppEventChange(CalendarRef calendar, EventKey key, Event event, Set<SyncField> fields) {
    /**
     * Checks that the calendar, key, event and fields are set; the fields are kept in enum order.
     *
     * @param calendar the calendar it was seen in
     * @param key the app's key
     * @param event the event as the calendar has it now
     * @param fields the fields that changed and flow back
     */
    public AppEventChange {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(key, "key");
        Checks.notNull(event, "event");
        Checks.notNull(fields, "fields");
        // enum order, not Set.copyOf's per-JVM-run random order: hosts print and log this set
        fields = fields.isEmpty()
                ? Set.of()
                : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(Set.copyOf(fields)));
    }

    /**
     * Each attendee's answer as the calendar has it.
     *
     * @return each attendee's answer in the calendar's version, by mailbox
     */
    public Map<Mailbox, Attendee.ResponseStatus> responses() {
        return event.attendees().stream()
                .collect(Collectors.toUnmodifiableMap(Attendee::mailbox, Attendee::response, (a, b) -> b));
    }
}
