package org.calsdk.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.calsdk.auth.internal.TokenNames;
import org.calsdk.internal.Checks;

/**
 * A {@link TokenStore} in a map in memory: secrets are lost when the process ends. For tests and for
 * applications that keep tokens elsewhere and only need a cache. Thread-safe.
 *
 * <pre>{@code
 * TokenStore store = new InMemoryTokenStore();
 * }</pre>
 *
 * @since 0.1
 */
public final class InMemoryTokenStore implements TokenStore {
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryTokenStore() {}

    @Override
    public void store(String name, Secret secret) {
        secrets.put(TokenNames.check(name), Checks.notNull(secret, "secret"));
    }

    @Override
    public Optional<Secret> load(String name) {
        return Optional.ofNullable(secrets.get(TokenNames.check(name)));
    }

    @Override
    public boolean delete(String name) {
        return secrets.remove(TokenNames.check(name)) != null;
    }

    /** The number of names stored; no names or values. */
    @Override
    public String toString() {
        return "InMemoryTokenStore[" + secrets.size() + " secrets]";
    }
}
