package org.calsdk.testkit.memory;

import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.testkit.memory.internal.MemoryConnection;

/**
 * The {@code "memory"} provider: connects to a live {@link InMemoryCalendarService} named by the setting
 * {@code service} (its {@link InMemoryCalendarService#id()}), as the mailbox of the setting {@code mailbox},
 * or as the organization's service account when {@code mailbox} is absent. Found by
 * {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * CalendarConnection c = CalendarProviders.load().connect(ConnectionConfig.builder("memory")
 *     .setting("service", service.id())
 *     .setting("mailbox", "alice@example.com")
 *     .build());
 * }</pre>
 *
 * @since 0.1
 */
public final class InMemoryCalendarProvider implements CalendarProvider {
    /** The provider id. */
    public static final String ID = "memory";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return MemoryConnection.allCapabilities();
    }

    @Override
    public CalendarConnection connect(ConnectionConfig config) {
        if (!ID.equals(config.provider())) {
            throw new InvalidInputException(
                    "provider", "this is the '" + ID + "' provider, not '" + config.provider() + "'");
        }
        String id = config.requireSetting("service");
        InMemoryCalendarService service = InMemoryCalendarService.find(id)
                .orElseThrow(() -> new InvalidInputException(
                        "service", "no running in-memory calendar service '" + id + "' (was it closed?)"));
        return config.setting("mailbox")
                .map(m -> service.connect(Mailbox.of(m)))
                .orElseGet(service::connectOrganization);
    }
}
