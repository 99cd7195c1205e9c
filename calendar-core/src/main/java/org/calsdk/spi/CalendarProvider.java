package org.calsdk.spi;

import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;

/**
 * A provider module's entry point: connects to one kind of calendar service. Implementations are
 * registered explicitly with {@link CalendarProviders#of} or found by {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/org.calsdk.spi.CalendarProvider} file in the provider's jar).
 *
 * @since 0.1
 */
public interface CalendarProvider {

    /**
     * A short, stable, lower-case id: {@code caldav}, {@code google}, {@code graph}, {@code ews}.
     *
     * @return the id
     */
    String id();

    /**
     * The capabilities a connection of this provider can have (a connection may have fewer).
     *
     * @return an immutable set
     */
    Set<Capability> capabilities();

    /**
     * Connects with {@code config}. Does no network I/O unless the provider must discover endpoints;
     * credentials are first checked by the first call that needs them.
     *
     * @param config the connection settings and credentials
     * @return an open connection; the caller closes it
     * @throws org.calsdk.errors.InvalidInputException when a required setting is missing or malformed
     * @throws org.calsdk.errors.InvalidInputException when the settings or credentials are invalid for this provider
     */
    CalendarConnection connect(ConnectionConfig config);
}
