package org.calsdk.api;

import java.util.List;

import org.calsdk.internal.Checks;
import org.calsdk.model.Event;
import org.jspecify.annotations.Nullable;

/**
 * One page of events: single events, and series masters carrying their overrides (expand them with
 * {@code org.calsdk.ical.Recurrences}).
 *
 * @param events        the events of this page
 * @param nextPageToken where the next page starts, or null on the last page
 * @since 0.1
 */
public record EventPage(List<Event> events, @Nullable String nextPageToken) {
    public EventPage {
        events = Checks.immutableList(events, "events");
    }
}
