package org.calsdk.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.calsdk.internal.Checks;

/**
 * A secret string (password, token, client secret) that never shows itself: {@link #toString()}
 * prints {@code ****}, so a secret that ends up in a log line, an exception message or a debugger's
 * view of a record stays hidden. Call {@link #reveal()} only where the value goes on the wire.
 *
 * <pre>{@code
 * Secret password = Secret.of(System.getenv("CALDAV_PASSWORD"));
 * }</pre>
 *
 * @since 0.1
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @param value the secret
     * @return the secret; its {@code toString()} never shows the value
     */
    public static Secret of(String value) {
        Checks.notNull(value, "secret");
        return new Secret(value);
    }

    /**
     * The secret itself. Use it only to send it where it belongs.
     *
     * @return the plain text; never log it
     */
    public String reveal() {
        return value;
    }

    /**
     * Whether the secret is the empty string.
     *
     * @return {@code true} when empty
     */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Constant-time comparison. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // do not leak anything about the value through hashing
    }

    @Override
    public String toString() {
        return "****";
    }
}
