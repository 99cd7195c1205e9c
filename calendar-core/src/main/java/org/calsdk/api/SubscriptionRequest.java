package org.calsdk.api;

import java.time.Duration;
import org.calsdk.auth.Secret;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What to subscribe with.
 *
 * @param callbackUrl where the provider posts notifications (webhooks); null for outbound push
 * @param clientState a secret the provider echoes on every notification, checked to reject forgeries
 *                    (at most 128 characters, Graph's limit)
 * @param ttl         requested lifetime; providers cap it (Google 7 days, Graph ~3 days for events)
 * @since 0.1
 */
public record SubscriptionRequest(@Nullable String callbackUrl, Secret clientState, Duration ttl) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param callbackUrl where the provider posts notifications (webhooks); null for outbound push
     * @param clientState a secret the provider echoes on every notification, checked to reject forgeries (at most 128
     *     characters, Graph's limit)
     * @param ttl requested lifetime; providers cap it (Google 7 days, Graph ~3 days for events)
     */
    public SubscriptionRequest {
        Checks.notNull(clientState, "clientState");
        Checks.check(clientState.reveal().length() <= 128, "clientState", "clientState must be at most 128 characters");
        Checks.notNull(ttl, "ttl");
        Checks.check(!ttl.isNegative() && !ttl.isZero(), "ttl", "ttl must be positive");
    }
}
