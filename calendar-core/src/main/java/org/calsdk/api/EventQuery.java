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
public record EventQuery(
        CalendarRef calendar,
        TimeWindow window,
        int pageSize,
        @Nullable String pageToken) {
    /** The page size of {@link #of}. */
    public static final int DEFAULT_PAGE_SIZE = 250;

    /**
     * Checks the query.
     *
     * @param calendar the calendar
     * @param window the window; single events overlapping it and every series with an occurrence in it
     * @param pageSize at most this many events per page (the provider may return fewer)
     * @param pageToken where to continue, from {@link EventPage#nextPageToken()}; null for the first page
     * @throws InvalidInputException if {@code pageSize} is below 1
     */
    public EventQuery {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(window, "window");
        if (pageSize < 1) {
            throw new InvalidInputException("pageSize", "pageSize must be at least 1, was " + pageSize);
        }
    }

    /**
     * The first page of the events of {@code calendar} in {@code window}.
     *
     * <pre>{@code
     * EventPage page = connection.reader().list(EventQuery.of(CalendarRef.primary(alice), march));
     * }</pre>
     *
     * @param calendar the calendar
     * @param window the window
     * @return the query, with {@link #DEFAULT_PAGE_SIZE}
     */
    public static EventQuery of(CalendarRef calendar, TimeWindow window) {
        return new EventQuery(calendar, window, DEFAULT_PAGE_SIZE, null);
    }

    /**
     * The same query, continuing where a page ended.
     *
     * @param token {@link EventPage#nextPageToken()}
     * @return the next page's query
     */
    public EventQuery withPageToken(String token) {
        return new EventQuery(calendar, window, pageSize, token);
    }

    /**
     * The same query with another page size.
     *
     * @param size at least 1
     * @return the query
     */
    public EventQuery withPageSize(int size) {
        return new EventQuery(calendar, window, size, pageToken);
    }
}
