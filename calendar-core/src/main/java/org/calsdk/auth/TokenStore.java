package org.calsdk.auth;

import java.util.Optional;
import org.calsdk.internal.Checks;

/**
 * Where the host application keeps long-lived secrets by name: OAuth 2 refresh tokens, app-specific
 * passwords, one or more per connection ({@link #name(String, String)} builds the conventional name).
 * Implementations must be thread-safe and must never print a secret. Ready-made:
 * {@link InMemoryTokenStore} (tests, short-lived processes) and {@link EncryptedTokenStore} (AES-GCM,
 * key from the host application, file- or map-backed).
 *
 * <pre>{@code
 * TokenStore store = EncryptedTokenStore.builder().key(keyBytes).file(Path.of("tokens.db")).build();
 * store.store(TokenStore.name("conn-42", "refresh_token"), Secret.of(refreshToken));
 * Optional<Secret> rt = store.load(TokenStore.name("conn-42", "refresh_token"));
 * }</pre>
 *
 * @since 0.1
 */
public interface TokenStore {
    /**
     * Saves {@code secret} under {@code name}, replacing what was there.
     *
     * @param name the record's name
     * @param secret the secret
     */
    void store(String name, Secret secret);

    /**
     * The secret saved under {@code name}, if any.
     *
     * @param name the record's name
     * @return the secret, or empty
     */
    Optional<Secret> load(String name);

    /**
     * Removes the secret saved under {@code name}.
     *
     * @param name the record's name
     * @return whether there was one
     */
    boolean delete(String name);

    /**
     * The conventional name of a connection's secret: {@code connectionId + "/" + kind}.
     *
     * @param connectionId the host's id of the connection
     * @param kind what the secret is, such as {@code refresh_token}
     * @return the name
     */
    static String name(String connectionId, String kind) {
        return Checks.notBlank(connectionId, "connectionId") + "/" + Checks.notBlank(kind, "kind");
    }
}
