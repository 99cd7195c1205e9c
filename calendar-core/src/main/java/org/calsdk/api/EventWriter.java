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
 *   <li><b>Occurrences keep their own version.</b> Every override of a series read or returned carries a
 *   {@link Event#version()}: its own where the provider versions instances (Google etag, Graph and EWS
 *   change key), the series resource's where it does not (CalDAV ETag). {@link #updateOccurrence} and
 *   {@link #cancelOccurrence} are conditional on that occurrence version.</li>
 *   <li><b>Who is told.</b> Each write has a form with {@link WriteOptions}: whether attendees are
 *   notified, and whether a delete cancels the meeting. The forms without options use
 *   {@link WriteOptions#defaults()}. A provider that cannot honour an option throws
 *   {@link org.calsdk.errors.UnsupportedCapabilityException} instead of ignoring it.</li>
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
     * @param calendar the calendar to write to
     * @param key the host's idempotency key; the same key never creates twice
     * @param event the event to create
     * @return the stored event, with its provider id and version
     */
    Event create(CalendarRef calendar, EventKey key, Event event);

    /**
     * Replaces the event {@code event.id()}; when {@code event.version()} is present the write is
     * conditional on it.
     *
     * @param calendar the calendar the event is in
     * @param event the changed event, its id set
     * @return the stored event with its new version
     * @throws org.calsdk.errors.ConflictException when the version is stale
     * @throws org.calsdk.errors.NotFoundException when the event is gone
     */
    Event update(CalendarRef calendar, Event event);

    /**
     * Deletes an event (a whole series, for a master). Deleting an event that is already gone succeeds.
     *
     * @param expectedVersion the version read, or null to delete unconditionally
     * @param calendar the calendar the event is in
     * @param eventId the provider's id of the event
     */
    void delete(CalendarRef calendar, String eventId, String expectedVersion);

    /**
     * Changes one occurrence of a series: {@code override.recurrenceId()} names it.
     *
     * @param expectedVersion the occurrence's version as read ({@code version()} of the series' override
     *                        for it, or the series' version for an occurrence not changed before), or null
     *                        for an unconditional change
     * @param calendar the calendar the series is in
     * @param seriesId the provider's id of the series master
     * @param override the occurrence as it should be
     * @return the series master with its overrides, each carrying its version
     * @throws org.calsdk.errors.ConflictException when {@code expectedVersion} is stale
     */
    Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String expectedVersion);

    /**
     * Cancels one occurrence of a series (an EXDATE, or a cancelled instance where the provider keeps one).
     *
     * @param expectedVersion the occurrence's version as read (see {@link #updateOccurrence}), or null
     * @param calendar the calendar the series is in
     * @param seriesId the provider's id of the series master
     * @param recurrenceId the occurrence's original start
     * @return the series master
     */
    Event cancelOccurrence(CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion);

    /**
     * Answers an invitation as {@code attendee}.
     *
     * @param calendar the calendar the event is in
     * @param eventId the provider's id of the event
     * @param attendee the attendee who answers
     * @param response the answer
     * @return the event with the new answer
     */
    Event respond(CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response);

    /**
     * {@link #create(CalendarRef, EventKey, Event)} with {@code options}: whether the attendees are invited.
     * The defaults of these option forms, for providers without {@link Capability#NOTIFY_CONTROL}, accept
     * {@link WriteOptions.Notify#ALL} only (the provider's normal behaviour) and run the form without
     * options; a delete with {@link WriteOptions.Removal#CANCEL} then removes the event, which ends the
     * meeting as the contract allows.
     *
     * @param calendar the calendar to write to
     * @param key the host's idempotency key
     * @param event the event to create
     * @param options who is told
     * @return the stored event
     * @throws org.calsdk.errors.UnsupportedCapabilityException when the provider cannot honour {@code options}
     * @since 0.2
     */
    default Event create(CalendarRef calendar, EventKey key, Event event, WriteOptions options) {
        requireNotifyAll(options, "create");
        return create(calendar, key, event);
    }

    /**
     * {@link #update(CalendarRef, Event)} with {@code options}: whether the attendees are told of the change.
     *
     * @param calendar the calendar the event is in
     * @param event the changed event, its id set
     * @param options who is told
     * @return the stored event with its new version
     * @since 0.2
     */
    default Event update(CalendarRef calendar, Event event, WriteOptions options) {
        requireNotifyAll(options, "update");
        return update(calendar, event);
    }

    /**
     * {@link #delete(CalendarRef, String, String)} with {@code options}: whether the meeting is cancelled
     * ({@link WriteOptions.Removal#CANCEL}: the event ends as cancelled, removed or kept with status
     * {@code CANCELLED}) or only deleted, and whether attendees are told.
     *
     * @param calendar the calendar the event is in
     * @param eventId the provider's id of the event
     * @param expectedVersion the version read, or null to delete unconditionally
     * @param options who is told, and whether the meeting is cancelled or deleted
     * @since 0.2
     */
    default void delete(CalendarRef calendar, String eventId, String expectedVersion, WriteOptions options) {
        requireNotifyAll(options, "delete");
        delete(calendar, eventId, expectedVersion);
    }

    /**
     * {@link #updateOccurrence(CalendarRef, String, Event, String)} with {@code options}.
     *
     * @param calendar the calendar the series is in
     * @param seriesId the provider's id of the series master
     * @param override the occurrence as it should be
     * @param expectedVersion the occurrence's version as read, or null
     * @param options who is told
     * @return the stored occurrence
     * @since 0.2
     */
    default Event updateOccurrence(
            CalendarRef calendar, String seriesId, Event override, String expectedVersion, WriteOptions options) {
        requireNotifyAll(options, "updateOccurrence");
        return updateOccurrence(calendar, seriesId, override, expectedVersion);
    }

    /**
     * {@link #cancelOccurrence(CalendarRef, String, EventTime, String)} with {@code options}.
     *
     * @param calendar the calendar the series is in
     * @param seriesId the provider's id of the series master
     * @param recurrenceId the occurrence's original start
     * @param expectedVersion the occurrence's version as read, or null
     * @param options who is told
     * @return the series after the cancellation
     * @since 0.2
     */
    default Event cancelOccurrence(
            CalendarRef calendar,
            String seriesId,
            EventTime recurrenceId,
            String expectedVersion,
            WriteOptions options) {
        requireNotifyAll(options, "cancelOccurrence");
        return cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion);
    }

    /**
     * {@link #respond(CalendarRef, String, Mailbox, Attendee.ResponseStatus)} with {@code options}: whether
     * the organizer is sent the answer.
     *
     * @param calendar the calendar the event is in
     * @param eventId the provider's id of the event
     * @param attendee the attendee who answers
     * @param response the answer
     * @param options whether the organizer is told
     * @return the event with the new answer
     * @since 0.2
     */
    default Event respond(
            CalendarRef calendar,
            String eventId,
            Mailbox attendee,
            Attendee.ResponseStatus response,
            WriteOptions options) {
        requireNotifyAll(options, "respond");
        return respond(calendar, eventId, attendee, response);
    }

    private static void requireNotifyAll(WriteOptions options, String operation) {
        org.calsdk.internal.Checks.notNull(options, "options");
        if (options.notifications() != WriteOptions.Notify.ALL) {
            throw new org.calsdk.errors.UnsupportedCapabilityException(
                    "this provider cannot choose who is told of a "
                            + operation + " (" + options.notifications() + "); use WriteOptions.Notify.ALL or check "
                            + "Capability.NOTIFY_CONTROL",
                    org.calsdk.errors.ErrorContext.NONE);
        }
    }

    /**
     * {@link #create} on the default executor; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param key the host's key
     * @param event the event
     * @return the created event, later
     */
    default CompletableFuture<Event> createAsync(CalendarRef calendar, EventKey key, Event event) {
        return createAsync(calendar, key, event, Async.defaultExecutor());
    }

    /**
     * {@link #create} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param key the host's key
     * @param event the event
     * @param executor runs the call
     * @return the created event, later
     */
    default CompletableFuture<Event> createAsync(CalendarRef calendar, EventKey key, Event event, Executor executor) {
        return Async.supply(executor, () -> create(calendar, key, event));
    }

    /**
     * {@link #update} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param event the event, with its id and version
     * @param executor runs the call
     * @return the updated event, later
     */
    default CompletableFuture<Event> updateAsync(CalendarRef calendar, Event event, Executor executor) {
        return Async.supply(executor, () -> update(calendar, event));
    }

    /**
     * {@link #delete} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param eventId the provider's id
     * @param expectedVersion the version read, or null
     * @param executor runs the call
     * @return completion, later
     */
    default CompletableFuture<Void> deleteAsync(
            CalendarRef calendar, String eventId, String expectedVersion, Executor executor) {
        return Async.run(executor, () -> delete(calendar, eventId, expectedVersion));
    }

    /**
     * {@link #respond} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param eventId the provider's id
     * @param attendee who answers
     * @param response the answer
     * @param executor runs the call
     * @return the event, later
     */
    default CompletableFuture<Event> respondAsync(
            CalendarRef calendar,
            String eventId,
            Mailbox attendee,
            Attendee.ResponseStatus response,
            Executor executor) {
        return Async.supply(executor, () -> respond(calendar, eventId, attendee, response));
    }

    /**
     * {@link #updateOccurrence} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param seriesId the series
     * @param override the changed occurrence
     * @param expectedVersion the version read, or null
     * @param executor runs the call
     * @return the override, later
     */
    default CompletableFuture<Event> updateOccurrenceAsync(
            CalendarRef calendar, String seriesId, Event override, String expectedVersion, Executor executor) {
        return Async.supply(executor, () -> updateOccurrence(calendar, seriesId, override, expectedVersion));
    }

    /**
     * {@link #cancelOccurrence} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar where
     * @param seriesId the series
     * @param recurrenceId the occurrence's original start
     * @param expectedVersion the version read, or null
     * @param executor runs the call
     * @return the series, later
     */
    default CompletableFuture<Event> cancelOccurrenceAsync(
            CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion, Executor executor) {
        return Async.supply(executor, () -> cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion));
    }
}
