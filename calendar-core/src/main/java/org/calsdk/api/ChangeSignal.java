package org.calsdk.api;

import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.jspecify.annotations.Nullable;

/**
 * What a push notification means to the sync engine, whatever its provider and whichever way it arrived:
 * this calendar changed (read its changes now), or the subscription needs attention. Inbound push
 * ({@link PushChannels#handle}: Google, Graph) and outbound push ({@link PushChannels#listen}: EWS streaming
 * and pull subscriptions, which have no inbound callback) both end in these; the sync engine takes them
 * with {@code SyncEngine.onSignal}.
 *
 * @param kind           what happened
 * @param calendar       the calendar concerned
 * @param subscriptionId the id of the subscription it came through, or null when it came through none
 * @since 0.1
 */
public record ChangeSignal(
        Kind kind, CalendarRef calendar, @Nullable String subscriptionId) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param kind what happened
     * @param calendar the calendar concerned
     * @param subscriptionId the id of the subscription it came through, or null when it came through none
     */
    public ChangeSignal {
        Checks.notNull(kind, "kind");
        Checks.notNull(calendar, "calendar");
    }

    /** The kinds of signal. */
    public enum Kind {
        /** Something in the calendar changed: read its changes. */
        CHANGED,
        /** Notifications were lost (Graph {@code missed}): read its changes, they are not in the signal. */
        MISSED,
        /** The subscription ended or is about to: create a new one, and poll meanwhile. */
        SUBSCRIPTION_ENDED,
        /** The provider needs the subscription re-authorized (Graph {@code reauthorizationRequired}). */
        REAUTHORIZATION_REQUIRED
    }
}
