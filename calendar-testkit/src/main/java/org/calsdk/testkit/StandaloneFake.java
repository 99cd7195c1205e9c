package org.calsdk.testkit;

import java.net.URI;
import java.util.Optional;
import java.util.ServiceLoader;
import org.calsdk.internal.Checks;

/**
 * A provider's fake that runs on its own, as {@code ./calendar fake --provider ID} does: one
 * implementation per provider, found with {@link ServiceLoader} (register it in
 * {@code META-INF/services/org.calsdk.testkit.StandaloneFake}). Adding a provider's fake to the command is
 * adding such a class.
 *
 * <p>Contract: without seed data every mailbox {@code @example.com} exists with an empty primary
 * calendar and any bearer token or password is accepted; with seed data, the seeded users exist (with
 * their passwords where the seed gives one).
 *
 * @since 0.1
 */
public interface StandaloneFake {

    /**
     * The provider id ({@code caldav}, {@code google}, {@code graph}, {@code ews}).
     *
     * @return the id
     */
    String provider();

    /**
     * Starts the fake on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @param seed the seed data, or null for the open default
     * @return the running fake
     */
    Running start(int port, SeedFile seed);

    /** A running standalone fake. */
    interface Running extends AutoCloseable {
        /**
         * The port it listens on.
         *
         * @return the bound port on 127.0.0.1
         */
        int port();

        /**
         * The URL a client is given.
         *
         * @return the root URL
         */
        URI baseUrl();

        /** Stops it. Idempotent. */
        @Override
        void close();
    }

    /**
     * The standalone fake for {@code provider} on the class path of {@code loader}, if any.
     *
     * @param provider the provider id, not blank
     * @param loader the class loader whose {@link java.util.ServiceLoader} entries are searched
     * @return the first fake registered for {@code provider}, or empty
     */
    static Optional<StandaloneFake> find(String provider, ClassLoader loader) {
        Checks.notBlank(provider, "provider");
        for (StandaloneFake f : ServiceLoader.load(StandaloneFake.class, loader)) {
            if (f.provider().equals(provider)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
