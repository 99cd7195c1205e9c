package org.calsdk.testkit.tck;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Subscription;
import org.calsdk.api.WebhookRequest;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SpiOperation;

/**
 * What the {@link ProviderTck} may ask of the service behind a provider beyond the SPI itself: other
 * mailboxes, an organization connection, and fault injection. Every part is optional: a provider's
 * fixture declares the {@link Feature}s it has, and the rules that need a missing one are skipped with
 * the reason (never passed). The default methods throw {@link UnsupportedOperationException}.
 *
 * <pre>{@code
 * class MyFakeFixture implements TckFixture {
 *     public Set<Feature> features() { return EnumSet.of(Feature.INVALIDATE_CURSORS); }
 *     public void invalidateCursors(CalendarRef calendar) { fakeServer.state().expireSyncTokens(); }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface TckFixture {

    /** The optional abilities of a fixture. */
    enum Feature {
        /** {@link #otherMailbox()}: a second user of the same organization. */
        OTHER_MAILBOX,
        /** {@link #connectOrganization()} and {@link #outOfScopeMailbox()}. */
        ORGANIZATION,
        /** {@link #dropNextResponse}: a write is committed and its answer lost. */
        DROP_RESPONSE,
        /** {@link #invalidateCursors}: the provider forgets cursors issued so far. */
        INVALIDATE_CURSORS,
        /** {@link #failNext}: the next call is answered with an HTTP status. */
        INJECT_STATUS,
        /** {@link #delayNext}: the next call is slow. */
        DELAY,
        /** {@link #takeWebhooks()}: the webhook requests the provider sent. */
        WEBHOOKS,
        /** {@link #expireSubscription}: a subscription lapses now. */
        EXPIRE_SUBSCRIPTION,
        /**
         * {@link #throttleNext} and {@link #takePauses()}: one call is answered 429 with {@code Retry-After},
         * and the pauses the provider's injected {@link org.calsdk.http.Sleeper} took are recorded
         * (see {@link RecordingSleeper}).
         */
        RETRY_AFTER,
        /** {@link #wireFault}: answers cut on the wire (truncated body, connection reset). */
        WIRE_FAULTS,
        /** {@link #takeVersionsSent}: the service logs the version precondition (If-Match) each write carried. */
        REQUEST_LOG,
        /** {@link #calls()}: how many calls the service behind the provider has answered. */
        CALL_COUNT,
        /** {@link #noticesSent()}: how many notices (invitations, updates, cancellations, replies) went to attendees. */
        NOTICES
    }

    /** A failure on the wire, below HTTP statuses. */
    enum WireFault {
        /** The answer's headers and half its body arrive, then the connection closes. */
        TRUNCATED_BODY,
        /** The connection closes after the request is read, before any answer. */
        CONNECTION_RESET
    }

    /**
     * The features this fixture has.
     *
     * @return the features; rules that need a missing one are skipped
     */
    Set<Feature> features();

    /**
     * A fixture with no features: only the rules that need nothing but the connection run.
     *
     * @return the empty fixture
     */
    static TckFixture none() {
        return Set::of;
    }

    /**
     * The clock the service behind the provider runs on (subscription expiry). Default: the system clock.
     *
     * @return the clock
     */
    default java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    /**
     * The zone the provider reads floating and all-day times in (for free/busy). Default UTC.
     *
     * @return the zone
     */
    default ZoneId floatingZone() {
        return ZoneOffset.UTC;
    }

    /**
     * Another user of the connected user's organization, whose busy time the connected user may read.
     *
     * @return the other user, or empty (the default) when the fixture has none
     */
    default Optional<Mailbox> otherMailbox() {
        return Optional.empty();
    }

    /**
     * A connection as the organization's service account (scope ORGANIZATION).
     *
     * @return a new open connection
     * @throws UnsupportedOperationException by default
     */
    default CalendarConnection connectOrganization() {
        throw new UnsupportedOperationException("no organization connection");
    }

    /**
     * A mailbox that exists but lies outside the service account's scope, if the fixture has one.
     *
     * @return the mailbox, or empty (the default)
     */
    default Optional<Mailbox> outOfScopeMailbox() {
        return Optional.empty();
    }

    /**
     * The next call of the write {@code operation} is committed, and its answer lost (connection dropped).
     *
     * @param operation the write operation
     * @throws UnsupportedOperationException by default
     */
    default void dropNextResponse(SpiOperation operation) {
        throw new UnsupportedOperationException("cannot drop responses");
    }

    /**
     * Cursors issued so far for {@code calendar} stop being valid (Google 410, CalDAV 403 valid-sync-token).
     *
     * @param calendar the calendar
     * @throws UnsupportedOperationException by default
     */
    default void invalidateCursors(CalendarRef calendar) {
        throw new UnsupportedOperationException("cannot invalidate cursors");
    }

    /**
     * The next call of {@code operation} (and its retries, as many as a client's retry policy makes)
     * is answered with HTTP {@code status}; 429 carries {@code retryAfter} when not null.
     *
     * @param operation the SPI operation
     * @param status the HTTP status
     * @param retryAfter the back-off a 429 carries, or null
     * @throws UnsupportedOperationException by default
     */
    default void failNext(SpiOperation operation, int status, Duration retryAfter) {
        throw new UnsupportedOperationException("cannot inject HTTP statuses");
    }

    /** Removes injected failures that were not consumed. */
    default void clearFaults() {}

    /**
     * The next call of {@code operation} takes {@code delay} before it is answered.
     *
     * @param operation the SPI operation
     * @param delay the wait
     * @throws UnsupportedOperationException by default
     */
    default void delayNext(SpiOperation operation, Duration delay) {
        throw new UnsupportedOperationException("cannot delay calls");
    }

    /**
     * The webhook requests the provider sent since the last call, in order.
     *
     * @return the requests, removed from the fixture's record
     * @throws UnsupportedOperationException by default
     */
    default List<WebhookRequest> takeWebhooks() {
        throw new UnsupportedOperationException("cannot observe webhooks");
    }

    /**
     * The next call of {@code operation} is answered once with HTTP 429 and {@code Retry-After} (whole
     * seconds); its retry is answered normally.
     *
     * @param operation the SPI operation
     * @param retryAfter the back-off asked for
     * @throws UnsupportedOperationException by default
     */
    default void throttleNext(SpiOperation operation, Duration retryAfter) {
        throw new UnsupportedOperationException("cannot throttle calls");
    }

    /**
     * The pauses the provider asked its injected sleeper for since the last call, in order.
     *
     * @return the pauses, removed from the fixture's record
     * @throws UnsupportedOperationException by default
     */
    default List<Duration> takePauses() {
        throw new UnsupportedOperationException("cannot observe the provider's pauses");
    }

    /**
     * The next call of {@code operation} and its retries (as for {@link #failNext}) fail on the wire with {@code
     * fault}.
     *
     * @param operation the SPI operation
     * @param fault the network fault
     * @throws UnsupportedOperationException by default
     */
    default void wireFault(SpiOperation operation, WireFault fault) {
        throw new UnsupportedOperationException("cannot inject wire faults");
    }

    /**
     * The version precondition (the {@code If-Match} value, or the protocol's equivalent) of every wire
     * request of {@code operation} the service received since the previous call of this method (for any
     * operation), oldest first; {@code ""} for a request without one. The first call returns what came
     * since the fixture was made.
     *
     * @param operation the write operation
     * @return the values, oldest first; {@code ""} for a request without a precondition
     * @throws UnsupportedOperationException by default
     */
    default List<String> takeVersionsSent(SpiOperation operation) {
        throw new UnsupportedOperationException("cannot show the requests received");
    }

    /**
     * How many calls (requests, for an HTTP provider) the service behind the provider has answered so far,
     * whoever made them: rules compare two readings to see that an operation made no call.
     *
     * @return the count
     * @throws UnsupportedOperationException by default
     */
    default long calls() {
        throw new UnsupportedOperationException("cannot count calls");
    }

    /**
     * How many notices (invitations, updates, cancellations, replies) the service behind the provider has
     * sent to attendees so far: rules compare two readings to see that a silent write notified no one.
     *
     * @return the count
     * @throws UnsupportedOperationException by default
     */
    default long noticesSent() {
        throw new UnsupportedOperationException("cannot observe notices");
    }

    /**
     * {@code subscription} lapses now; the provider sends its lifecycle notification if it has one.
     *
     * @param subscription the subscription
     * @throws UnsupportedOperationException by default
     */
    default void expireSubscription(Subscription subscription) {
        throw new UnsupportedOperationException("cannot expire subscriptions");
    }
}
