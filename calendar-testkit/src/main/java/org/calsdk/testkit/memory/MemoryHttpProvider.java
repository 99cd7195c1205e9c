package org.calsdk.testkit.memory;

import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.testkit.memory.internal.MemoryHttpConnection;

/**
 * The {@code "memory-http"} provider: the client of a {@link MemoryHttpFake}, with settings {@code url}
 * (the fake's base URL) and {@code mailbox}. Found by {@link java.util.ServiceLoader}.
 *
 * @since 0.1
 */
public final class MemoryHttpProvider implements CalendarProvider {
    /** The provider id. */
    public static final String ID = MemoryHttpConnection.PROVIDER;

    // built on the first connect: ServiceLoader makes every provider on the class path when an application
    // loads the registry, and an OkHttp client sets up TLS (the trust store) as it is built
    private OkHttpClient http;

    private synchronized OkHttpClient http() {
        if (http == null) {
            http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        }
        return http;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return MemoryHttpConnection.CAPABILITIES;
    }

    @Override
    public CalendarConnection connect(ConnectionConfig config) {
        if (!ID.equals(config.provider())) {
            throw new InvalidInputException(
                    "provider", "this is the '" + ID + "' provider, not '" + config.provider() + "'");
        }
        HttpUrl url = HttpUrl.parse(config.requireSetting("url"));
        if (url == null) {
            throw new InvalidInputException("url", "not an http(s) URL");
        }
        return new MemoryHttpConnection(http(), url, Mailbox.of(config.requireSetting("mailbox")));
    }
}
