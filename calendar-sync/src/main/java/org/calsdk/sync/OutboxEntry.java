package org.calsdk.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import org.calsdk.internal.Checks;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.jspecify.annotations.Nullable;

/**
 * One pending push: make the event {@code key} in {@code calendar} look like {@code event}, delete it, or
 * answer an invitation in it ({@link #respond}).
 * The host records these (in its own transaction when it shares the database, see
 * {@link JdbcSyncStateStore#enqueue(java.sql.Connection, OutboxEntry)}); the engine's worker pushes them
 * with the provider's idempotent writes. A newer entry for the same calendar and key replaces an older one
 * that has not been pushed yet.
 *
 * <pre>{@code
 * store.enqueue(OutboxEntry.upsert(CalendarRef.primary(alice), EventKey.of("booking-42"), event));
 * store.enqueue(OutboxEntry.delete(CalendarRef.primary(alice), EventKey.of("booking-41")));
 * // alice accepts an invitation she received (its id as the engine reported it in an ExternalChange)
 * store.enqueue(OutboxEntry.respond(CalendarRef.primary(alice), eventId, Attendee.ResponseStatus.ACCEPTED, true));
 * }</pre>
 *
 * @param id            the store's id (0 before it is stored)
 * @param calendar      where the event lives
 * @param key           the host's key
 * @param operation     what to do
 * @param event         the desired state for {@link Operation#UPSERT}, null for deletes
 * @param attempts      failed attempts so far
 * @param nextAttemptAt not before this instant (null: at once)
 * @param lastError     the last failure, or null
 * @param failed        true once given up on (not retried; reported to the listener)
 * @param response      the answer for {@link Operation#RESPOND}, null otherwise
 * @since 0.1
 */
public record OutboxEntry(
        long id,
        CalendarRef calendar,
        EventKey key,
        Operation operation,
        @Nullable Event event,
        int attempts,
        @Nullable Instant nextAttemptAt,
        @Nullable String lastError,
        boolean failed,
        @Nullable Response response) {
    /**
     * Checks that an upsert carries an event, an answer carries a response and no event, and attempts are not negative.
     *
     * @param id the store's id (0 before it is stored)
     * @param calendar where the event lives
     * @param key the host's key
     * @param operation what to do
     * @param event the desired state for {@link Operation#UPSERT}, null for deletes
     * @param attempts failed attempts so far
     * @param nextAttemptAt not before this instant (null: at once)
     * @param lastError the last failure, or null
     * @param failed true once given up on (not retried; reported to the listener)
     * @param response the answer for {@link Operation#RESPOND}, null otherwise
     */
    public OutboxEntry {
        Checks.notNull(calendar, "calendar");
        Checks.notNull(key, "key");
        Checks.notNull(operation, "operation");
        if (operation == Operation.UPSERT) {
            Checks.notNull(event, "event");
        }
        if (operation == Operation.RESPOND) {
            Checks.notNull(response, "response");
            Checks.check(event == null, "event", "an answer to an invitation carries no event");
        } else {
            Checks.check(response == null, "response", "only a RESPOND entry carries a response");
        }
        Checks.check(attempts >= 0, "attempts", "attempts must not be negative");
    }

    /**
     * An entry without a response (any operation but {@link Operation#RESPOND}). @since 0.1
     *
     * @param id the entry's id
     * @param calendar the calendar
     * @param key the host's key of the event
     * @param operation what the push does
     * @param event the event
     * @param attempts attempts made so far
     * @param nextAttemptAt when to try the push again
     * @param lastError the last error, or null
     * @param failed whether it was given up
     */
    public OutboxEntry(
            long id,
            CalendarRef calendar,
            EventKey key,
            Operation operation,
            @Nullable Event event,
            int attempts,
            @Nullable Instant nextAttemptAt,
            @Nullable String lastError,
            boolean failed) {
        this(id, calendar, key, operation, event, attempts, nextAttemptAt, lastError, failed, null);
    }

    /**
     * Create or update the event {@code key} so that it looks like {@code event}.
     *
     * @param calendar the calendar
     * @param key the host's key of the event
     * @param event the desired state of the event
     * @return a pending upsert
     */
    public static OutboxEntry upsert(CalendarRef calendar, EventKey key, Event event) {
        return new OutboxEntry(0, calendar, key, Operation.UPSERT, event, 0, null, null, false);
    }

    /**
     * Delete the event {@code key} (succeeds when it is already gone).
     *
     * @param calendar the calendar
     * @param key the host's key of the event
     * @return a pending delete
     */
    public static OutboxEntry delete(CalendarRef calendar, EventKey key) {
        return new OutboxEntry(0, calendar, key, Operation.DELETE, null, 0, null, null, false);
    }

    /**
     * Answer the invitation {@code eventId} in {@code calendar} as the calendar's owner. The answer is
     * pushed like any other entry (retried with backoff, given up on after the push backoff's attempts);
     * a newer answer to the same event replaces one not yet pushed. The entry's {@link #key()} is derived
     * from the event id ({@link #responseKey(String)}), so it never collides with the host's own keys.
     *
     * @param eventId         the provider's id of the event, as reported in an
     *                        {@link ExternalChange} of this calendar
     * @param status          the answer: ACCEPTED, DECLINED or TENTATIVE
     * @param notifyOrganizer whether the organizer is sent the answer (providers without
     *                        {@link org.calsdk.api.Capability#NOTIFY_CONTROL} always send it; an entry that
     *                        asks them not to fails with an unsupported-capability error)
     * @param calendar the calendar
     * @return a pending answer
     * @since 0.3
     */
    public static OutboxEntry respond(
            CalendarRef calendar, String eventId, Attendee.ResponseStatus status, boolean notifyOrganizer) {
        Response r = new Response(eventId, status, notifyOrganizer);
        return new OutboxEntry(0, calendar, responseKey(eventId), Operation.RESPOND, null, 0, null, null, false, r);
    }

    /**
     * The key of the answer to {@code eventId}: {@code rsvp:} and the URL-safe SHA-256 of the id, so
     * that provider ids of any length fit {@link EventKey#MAX_LENGTH}.
     *
     * @param eventId the provider's id of the event
     * @return the key answers to that event are kept under
     * @since 0.3
     */
    public static EventKey responseKey(String eventId) {
        Checks.notBlank(eventId, "eventId");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return EventKey.of("rsvp:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * This entry with the id the store gave it.
     *
     * @param id the entry's id
     * @return the entry with {@code id}
     */
    public OutboxEntry withId(long id) {
        return new OutboxEntry(
                id, calendar, key, operation, event, attempts, nextAttemptAt, lastError, failed, response);
    }

    /**
     * This entry as stored after a failed attempt. @since 0.3
     *
     * @param attempts attempts made so far
     * @param nextAttemptAt when to try the push again
     * @param lastError the last error, or null
     * @param failed whether it was given up
     * @return this entry after one more attempt
     */
    public OutboxEntry withAttempt(
            int attempts, @Nullable Instant nextAttemptAt, @Nullable String lastError, boolean failed) {
        return new OutboxEntry(
                id, calendar, key, operation, event, attempts, nextAttemptAt, lastError, failed, response);
    }

    /** What a push does. @since 0.1 */
    public enum Operation {
        /** Create or update the event. */
        UPSERT,
        /** Delete (or cancel) the event. */
        DELETE,
        /** Answer an invitation. @since 0.3 */
        RESPOND
    }

    /**
     * The answer of a {@link Operation#RESPOND} entry.
     *
     * @param eventId         the provider's id of the event answered
     * @param status          ACCEPTED, DECLINED or TENTATIVE
     * @param notifyOrganizer whether the organizer is sent the answer
     * @since 0.3
     */
    public record Response(String eventId, Attendee.ResponseStatus status, boolean notifyOrganizer) {
        /**
         * Checks that the event id is not blank and the answer is ACCEPTED, DECLINED or TENTATIVE.
         *
         * @param eventId the provider's id of the event answered
         * @param status ACCEPTED, DECLINED or TENTATIVE
         * @param notifyOrganizer whether the organizer is sent the answer
         */
        public Response {
            Checks.notBlank(eventId, "eventId");
            Checks.notNull(status, "status");
            Checks.check(
                    status == Attendee.ResponseStatus.ACCEPTED
                            || status == Attendee.ResponseStatus.DECLINED
                            || status == Attendee.ResponseStatus.TENTATIVE,
                    "status",
                    "an answer is ACCEPTED, DECLINED or TENTATIVE");
        }
    }
}
