package org.calsdk.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.calsdk.internal.Async;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;

/**
 * Creates, changes and removes events, safely.
 * <ul>
 *   <li><b>Idempotent create.</b> {@link #create} takes the host's {@link EventKey}; each provider maps
 *   it to its own mechanism, so calling create again with the same key (a retry after a lost answer)
 *   returns the event already made instead of making another.</li>
 *   <li><b>Optimistic concurrency.</b> An update or delete that carries a version (etag, change key)
 *   fails with {@link org.calsdk.errors.ConflictException} if the event changed since; without a version
 *   it overwrites.</li>
 * </ul>
 *
 * <pre>{@code
 * Event created = connection.writer().create(calendar, EventKey.of("booking-42"), event);
 * Event moved = connection.writer().update(calendar, created.toBuilder().start(s).end(e).build());
 * }</pre>
 *
 * @since 0.1
 */
public interface EventWriter {

    /**
     * Creates {@code event} in {@code calendar}, or returns the event already created with {@code key}.
     *
     * @return the stored event, with its provider id and version
     */
    Event create(CalendarRef calendar, EventKey key, Event event);

    /**
     * Replaces the event {@code event.id()}; when {@code event.version()} is present the write is
     * conditional on it.
     *
     * @return the stored event with its new version
     * @throws org.calsdk.errors.ConflictException when the version is stale
     * @throws org.calsdk.errors.NotFoundException when the event is gone
     */
    Event update(CalendarRef calendar, Event event);

    /**
     * Deletes an event (a whole series, for a master). Deleting an event that is already gone succeeds.
     *
     * @param expectedVersion the version read, or null to delete unconditionally
     */
    void delete(CalendarRef calendar, String eventId, String expectedVersion);

    /**
     * Changes one occurrence of a series: {@code override.recurrenceId()} names it.
     *
     * @param expectedVersion the series' version, or null
     * @return the series master with its overrides
     */
    Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String expectedVersion);

    /**
     * Cancels one occurrence of a series (an EXDATE, or a cancelled instance where the provider keeps one).
     *
     * @param expectedVersion the series' version, or null
     * @return the series master
     */
    Event cancelOccurrence(CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion);

    /**
     * Answers an invitation as {@code attendee}.
     *
     * @return the event with the new answer
     */
    Event respond(CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response);

    default CompletableFuture<Event> createAsync(CalendarRef calendar, EventKey key, Event event) {
        return createAsync(calendar, key, event, Async.defaultExecutor());
    }

    default CompletableFuture<Event> createAsync(CalendarRef calendar, EventKey key, Event event, Executor executor) {
        return Async.supply(executor, () -> create(calendar, key, event));
    }

    default CompletableFuture<Event> updateAsync(CalendarRef calendar, Event event, Executor executor) {
        return Async.supply(executor, () -> update(calendar, event));
    }

    default CompletableFuture<Void> deleteAsync(CalendarRef calendar, String eventId, String expectedVersion,
                                                Executor executor) {
        return Async.run(executor, () -> delete(calendar, eventId, expectedVersion));
    }

    default CompletableFuture<Event> respondAsync(CalendarRef calendar, String eventId, Mailbox attendee,
                                                  Attendee.ResponseStatus response, Executor executor) {
        return Async.supply(executor, () -> respond(calendar, eventId, attendee, response));
    }

    default CompletableFuture<Event> updateOccurrenceAsync(CalendarRef calendar, String seriesId, Event override,
                                                           String expectedVersion, Executor executor) {
        return Async.supply(executor, () -> updateOccurrence(calendar, seriesId, override, expectedVersion));
    }

    default CompletableFuture<Event> cancelOccurrenceAsync(CalendarRef calendar, String seriesId, EventTime recurrenceId,
                                                           String expectedVersion, Executor executor) {
        return Async.supply(executor, () -> cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion));
    }
}
