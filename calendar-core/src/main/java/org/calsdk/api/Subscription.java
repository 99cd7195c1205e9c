package org.calsdk.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.calsdk.auth.Secret;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.jspecify.annotations.Nullable;

/**
 * A live change subscription: a Google watch channel, a Graph subscription, an EWS streaming
 * subscription. Renew it before {@link #expiresAt()} with {@link PushChannels#renew}.
 *
 * <p>The caller keeps this record (the sync engine keeps it in its store) and hands it back to
 * {@link PushChannels#handle} when a webhook names its {@link #id()}: the provider checks each notification
 * against the {@link #clientState()} stored here, not against anything it holds itself, so any engine of a
 * cluster, or a restarted one, can verify notifications.
 *
 * @param id          the provider's id of the subscription / channel (Graph {@code subscriptionId}, Google
 *                    {@code X-Goog-Channel-ID})
 * @param calendar    what it watches
 * @param resourceId  the provider's id of the watched resource (Google {@code X-Goog-Resource-ID}), or null
 * @param expiresAt   when it stops
 * @param clientState the secret each notification must carry (Graph {@code clientState}, Google channel
 *                    {@code token}, X-Goog-Channel-Token); the one the subscription was made or last renewed
 *                    with. Never printed.
 * @since 0.1
 */
public record Subscription(
        String id, CalendarRef calendar, @Nullable String resourceId, Instant expiresAt, Secret clientState) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param id the provider's id of the subscription / channel (Graph {@code subscriptionId}, Google {@code
     *     X-Goog-Channel-ID})
     * @param calendar what it watches
     * @param resourceId the provider's id of the watched resource (Google {@code X-Goog-Resource-ID}), or null
     * @param expiresAt when it stops
     * @param clientState the secret each notification must carry (Graph {@code clientState}, Google channel {@code
     *     token}, X-Goog-Channel-Token); the one the subscription was made or last renewed with. Never printed.
     */
    public Subscription {
        Checks.notBlank(id, "id");
        Checks.notNull(calendar, "calendar");
        Checks.notNull(expiresAt, "expiresAt");
        Checks.notNull(clientState, "clientState");
    }

    /**
     * Whether it should be renewed at {@code now}, renewing {@code margin} ahead of expiry.
     *
     * @param now the current time
     * @param margin how long before expiry to renew
     * @return true when {@code now + margin} is at or after the expiry
     */
    public boolean needsRenewal(Instant now, Duration margin) {
        return !now.plus(margin).isBefore(expiresAt);
    }

    /**
     * Whether {@code presented} (the client state or channel token a notification carries) is this
     * subscription's secret. Compares in constant time ({@link MessageDigest#isEqual}), so a forger learns
     * nothing from how long the check took; null never matches.
     *
     * @param presented the value the notification carried, or null
     * @return true when it matches
     */
    public boolean matchesClientState(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                clientState.reveal().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The same subscription, valid until {@code expiresAt} with {@code clientState} (a renewal that kept its id).
     *
     * @param expiresAt the new expiry
     * @param clientState the new secret
     * @return the renewed copy
     */
    public Subscription renewed(Instant expiresAt, Secret clientState) {
        return new Subscription(id, calendar, resourceId, expiresAt, clientState);
    }

    /** Without the secret: ids, calendar and expiry only. */
    @Override
    public String toString() {
        return "Subscription[id=" + id + ", calendar=" + calendar + ", resourceId=" + resourceId + ", expiresAt="
                + expiresAt + "]";
    }
}
