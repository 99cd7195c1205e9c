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
    /**
     * Checks that the calendar is set and the event id is not blank.
     *
     * @param calendar the calendar it lives in
     * @param eventId the provider's id
     * @param key the host's key for app events, null for external events
     * @param version the provider's version (etag, change key) last seen, or null
     * @param base for app events: the last agreed state; for external events: their times and recurrence only, or null
     */
    public EventMapping {
        Checks.notNull(calendar, "calendar");
        Checks.notBlank(eventId, "eventId");
    }

    /**
     * A mapping for an event the app created.
     *
     * @param calendar the calendar
     * @param eventId the provider's id of the event
     * @param key the host's key of the event
     * @param version the provider's version of the event (etag, change key), or null
     * @param base the last agreed state
     * @return the mapping of an app event
     */
    public static EventMapping app(CalendarRef calendar, String eventId, EventKey key, String version, Event base) {
        return new EventMapping(calendar, eventId, Checks.notNull(key, "key"), version, base);
    }

    /**
     * A record of an external event.
     *
     * @param calendar the calendar
     * @param eventId the provider's id of the event
     * @param version the provider's version of the event (etag, change key), or null
     * @return the mapping of an external event, with no key and no base
     */
    public static EventMapping external(CalendarRef calendar, String eventId, String version) {
        return new EventMapping(calendar, eventId, null, version, null);
    }

    /**
     * Whether this maps one of the app's own events (it has a key).
     *
     * @return whether it has a key
     */
    public boolean isAppEvent() {
        return key != null;
    }

    /**
     * This mapping with another version and base state (what both sides agreed on after a write or a merge).
     *
     * @param version the provider's version of the event (etag, change key), or null
     * @param base the last agreed state
     * @return the mapping with {@code version} and {@code base}
     */
    public EventMapping withVersion(String version, Event base) {
        return new EventMapping(calendar, eventId, key, version, base);
    }
}
