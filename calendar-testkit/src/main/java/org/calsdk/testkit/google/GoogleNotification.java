package org.calsdk.testkit.google;

import java.util.Map;

/**
 * A push notification the fake Google sent (as Google does: a {@code POST} with an empty body to the
 * channel's address, everything in {@code X-Goog-*} headers).
 *
 * @param address the channel's address
 * @param headers the {@code X-Goog-*} headers
 * @since 0.1
 */
public record GoogleNotification(String address, Map<String, String> headers) {
    /**
     * Checks the address and copies the headers.
     *
     * @param address the channel's address
     * @param headers the {@code X-Goog-*} headers
     * @throws NullPointerException if {@code address} or {@code headers} is null
     */
    public GoogleNotification {
        java.util.Objects.requireNonNull(address, "address == null");
        headers = Map.copyOf(headers);
    }

    /** Header names only: the channel token is a secret. */
    @Override
    public String toString() {
        return "GoogleNotification[" + headers.getOrDefault("X-Goog-Resource-State", "?") + ", headers="
                + new java.util.TreeSet<>(headers.keySet()) + "]";
    }
}
