package org.calsdk.api;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.TimeWindow;
import org.jspecify.annotations.Nullable;

/**
 * One page of events of one calendar that may occur in a window.
 *
 * @param calendar  the calendar
 * @param window    the window; single events overlapping it and every series with an occurrence in it
 * @param pageSize  at most this many events per page (the provider may return fewer)
 * @param pageToken where to continue, from {@link EventPage#nextPageToken()}; null for the first page
 * @since 0.1
 */
public record EventQuery(CalendarRef calendar, TimeWindow window, int pageSize, @Nullable String pageToken) {
    public static final int DEFAULT_PAGE_SIZE = 250;

    public EventQuery {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(window, "window");
        if (pageSize < 1) {
            throw new InvalidInputException("pageSize", "pageSize must be at least 1, was " + pageSize);
        }
    }

    public static EventQuery of(CalendarRef calendar, TimeWindow window) {
        return new EventQuery(calendar, window, DEFAULT_PAGE_SIZE, null);
    }

    public EventQuery withPageToken(String token) {
        return new EventQuery(calendar, window, pageSize, token);
    }

    public EventQuery withPageSize(int size) {
        return new EventQuery(calendar, window, size, pageToken);
    }
}
