package org.calsdk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.calsdk.internal.Async;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Lists calendars and reads events. Recurring series come back as one master with its overrides (the
 * SDK's single series model), never as a provider's expanded instances.
 *
 * <pre>{@code
 * for (CalendarInfo cal : connection.reader().calendars(alice)) {
 *     List<Event> events = connection.reader().listAll(cal.ref(), window);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface EventReader {

    /**
     * The calendars of {@code mailbox} that these credentials can see.
     *
     * @param mailbox the mailbox
     * @return the calendars; empty when none are visible
     */
    List<CalendarInfo> calendars(Mailbox mailbox);

    /**
     * One page of the events of a calendar that may occur in the query's window.
     *
     * @param query the calendar, window and page
     * @return the page
     */
    EventPage list(EventQuery query);

    /**
     * The event with the provider id {@code eventId}, or empty when there is none.
     *
     * @param calendar the calendar
     * @param eventId the provider's id
     * @return the event, or empty
     */
    Optional<Event> get(CalendarRef calendar, String eventId);

    /**
     * The event the host created with {@code key}, or empty: how a write recovers from a lost answer.
     *
     * @param calendar the calendar
     * @param key the host's idempotency key
     * @return the event, or empty
     */
    Optional<Event> findByKey(CalendarRef calendar, EventKey key);

    /**
     * Every page of {@link #list}, concatenated.
     *
     * @param calendar the calendar
     * @param window the window
     * @return every event that may occur in the window
     */
    default List<Event> listAll(CalendarRef calendar, TimeWindow window) {
        List<Event> all = new ArrayList<>();
        EventQuery q = EventQuery.of(calendar, window);
        while (true) {
            EventPage page = list(q);
            all.addAll(page.events());
            if (page.nextPageToken() == null) {
                return all;
            }
            q = q.withPageToken(page.nextPageToken());
        }
    }

    /**
     * {@link #calendars} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param mailbox whose calendars
     * @param executor runs the call
     * @return the calendars, later
     */
    default CompletableFuture<List<CalendarInfo>> calendarsAsync(Mailbox mailbox, Executor executor) {
        return Async.supply(executor, () -> calendars(mailbox));
    }

    /**
     * {@link #list} on the default executor; cancelling the future aborts the call's HTTP request.
     *
     * @param query the calendar, window and page
     * @return the page, later
     */
    default CompletableFuture<EventPage> listAsync(EventQuery query) {
        return listAsync(query, Async.defaultExecutor());
    }

    /**
     * {@link #list} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param query the calendar, window and page
     * @param executor runs the call
     * @return the page, later
     */
    default CompletableFuture<EventPage> listAsync(EventQuery query, Executor executor) {
        return Async.supply(executor, () -> list(query));
    }

    /**
     * {@link #listAll} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar the calendar
     * @param window the window
     * @param executor runs the call
     * @return every event, later
     */
    default CompletableFuture<List<Event>> listAllAsync(CalendarRef calendar, TimeWindow window, Executor executor) {
        return Async.supply(executor, () -> listAll(calendar, window));
    }

    /**
     * {@link #get} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar the calendar
     * @param eventId the provider's id
     * @param executor runs the call
     * @return the event or empty, later
     */
    default CompletableFuture<Optional<Event>> getAsync(CalendarRef calendar, String eventId, Executor executor) {
        return Async.supply(executor, () -> get(calendar, eventId));
    }

    /**
     * {@link #findByKey} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar the calendar
     * @param key the host's key
     * @param executor runs the call
     * @return the event or empty, later
     */
    default CompletableFuture<Optional<Event>> findByKeyAsync(CalendarRef calendar, EventKey key, Executor executor) {
        return Async.supply(executor, () -> findByKey(calendar, key));
    }
}
