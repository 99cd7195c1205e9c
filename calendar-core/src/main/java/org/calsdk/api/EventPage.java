package org.calsdk.api;

import java.util.List;
import java.util.Optional;

import org.calsdk.internal.Checks;
import org.calsdk.model.Event;

/**
 * One page of events: single events, and series masters carrying their overrides (expand them with
 * {@code org.calsdk.ical.Recurrences}).
 *
 * @param events        the events of this page
 * @param nextPageToken where the next page starts, or null on the last page
 * @since 0.1
 */
public record EventPage(List<Event> events, String nextPageToken) {
    public EventPage {
        events = Checks.immutableList(events, "events");
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextPageToken);
    }
}
