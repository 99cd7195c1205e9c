package org.calsdk.auth;

import java.time.Duration;
import java.time.Instant;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth 2 bearer token and when it stops working.
 *
 * @param token     the bearer token
 * @param expiresAt when it expires, or null when unknown
 * @since 0.1
 */
public record AccessToken(Secret token, @Nullable Instant expiresAt) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param token the bearer token
     * @param expiresAt when it expires, or null when unknown
     */
    public AccessToken {
        Checks.notNull(token, "token");
    }

    /**
     * Whether the token is expired, or expires within {@code skew}, at {@code now}.
     *
     * @param now the current time
     * @param skew the margin before expiry
     * @return true when {@code now + skew} is at or after the expiry
     */
    public boolean expiresWithin(Instant now, Duration skew) {
        return expiresAt != null && !now.plus(skew).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[token=****, expiresAt=" + expiresAt + "]";
    }
}
