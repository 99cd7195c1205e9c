package org.calsdk.api;

import java.time.Duration;
import java.time.Instant;

import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.jspecify.annotations.Nullable;

/**
 * A live change subscription: a Google watch channel, a Graph subscription, an EWS streaming
 * subscription. Renew it before {@link #expiresAt()} with {@link PushChannels#renew}.
 *
 * @param id         the provider's id of the subscription / channel
 * @param calendar   what it watches
 * @param resourceId the provider's id of the watched resource (Google {@code resourceId}), or null
 * @param expiresAt  when it stops
 * @since 0.1
 */
public record Subscription(String id, CalendarRef calendar, @Nullable String resourceId, Instant expiresAt) {
    public Subscription {
        Checks.notBlank(id, "id");
        Checks.notNull(calendar, "calendar");
        Checks.notNull(expiresAt, "expiresAt");
    }

    /** Whether it should be renewed at {@code now}, renewing {@code margin} ahead of expiry. */
    public boolean needsRenewal(Instant now, Duration margin) {
        return !now.plus(margin).isBefore(expiresAt);
    }
}
