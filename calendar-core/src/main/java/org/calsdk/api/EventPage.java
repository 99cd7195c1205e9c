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
 * @param skipped       events of this page that could not be read and were left out (malformed, or over
 *                      a bound), each with its error; empty normally
 * @since 0.1
 */
public record EventPage(List<Event> events, @Nullable String nextPageToken, List<SkippedEvent> skipped) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param events the events of this page
     * @param nextPageToken where the next page starts, or null on the last page
     * @param skipped events of this page that could not be read and were left out (malformed, or over a bound), each
     *     with its error; empty normally
     */
    public EventPage {
        events = Checks.immutableList(events, "events");
        skipped = Checks.immutableList(skipped, "skipped");
    }

    /**
     * A page without skipped events.
     *
     * @param events the events of the page
     * @param nextPageToken the token of the next page, or null for the last
     */
    public EventPage(List<Event> events, String nextPageToken) {
        this(events, nextPageToken, List.of());
    }
}
