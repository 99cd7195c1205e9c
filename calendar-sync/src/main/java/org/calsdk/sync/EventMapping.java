package org.calsdk.sync;

import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.jspecify.annotations.Nullable;

/**
 * What the store knows about one event in one synced calendar: the provider's id and version, and for the
 * app's own events the host's {@link EventKey} and the last state both sides agreed on (the base that
 * field-by-field merges compare against). External events have no key; they are remembered so that a full
 * resync can tell which of them were deleted, with their times only as base (so that a windowed feed's
 * full read can tell "deleted" from "outside the window").
 *
 * @param calendar the calendar it lives in
 * @param eventId  the provider's id
 * @param key      the host's key for app events, null for external events
 * @param version  the provider's version (etag, change key) last seen, or null
 * @param base     for app events: the last agreed state; for external events: their times and recurrence
 *                 only, or null
 * @since 0.1
 */
public record EventMapping(
        CalendarRef calendar,
        String eventId,
        @Nullable EventKey key,
        @Nullable String version,
        @Nullable Event base) {
    public EventMapping {
        Checks.notNull(calendar, "calendar");
        Checks.notBlank(eventId, "eventId");
    }

    /** A mapping for an event the app created. */
    public static EventMapping app(CalendarRef calendar, String eventId, EventKey key, String version, Event base) {
        return new EventMapping(calendar, eventId, Checks.notNull(key, "key"), version, base);
    }

    /** A record of an external event. */
    public static EventMapping external(CalendarRef calendar, String eventId, String version) {
        return new EventMapping(calendar, eventId, null, version, null);
    }

    public boolean isAppEvent() {
        return key != null;
    }

    public EventMapping withVersion(String version, Event base) {
        return new EventMapping(calendar, eventId, key, version, base);
    }
}
