package org.calsdk.sync;

import java.util.function.BiFunction;

import org.calsdk.sync.internal.Checks;
import org.calsdk.model.Mailbox;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;

/**
 * How the engine obtains a {@link CalendarConnection} acting for one mailbox of an integration: the only
 * door between the engine and the providers, so that a new provider needs no engine change. The engine
 * closes each connection it gets when it is done with that mailbox's pass.
 *
 * <pre>{@code
 * SyncConnections connections = SyncConnections.of(CalendarProviders.load(),
 *     (integration, mailbox) -> ConnectionConfig.builder(integration.provider())
 *         .setting("url", caldavUrl).credentials(credentialsFor(mailbox)).build());
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SyncConnections {

    /** A connection that reads and writes {@code mailbox}'s calendars for {@code integration}. */
    CalendarConnection connect(Integration integration, Mailbox mailbox);

    /** Connections from {@code providers}, configured per integration and mailbox by {@code configs}. */
    static SyncConnections of(CalendarProviders providers, BiFunction<Integration, Mailbox, ConnectionConfig> configs) {
        Checks.notNull(providers, "providers");
        Checks.notNull(configs, "configs");
        return (integration, mailbox) -> providers.connect(configs.apply(integration, mailbox));
    }
}
