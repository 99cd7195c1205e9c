package org.calsdk.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.calsdk.auth.Credentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.HttpTransport;
import org.calsdk.internal.Checks;

/**
 * Everything a provider needs to connect: which provider, its settings (a server URL, a tenant id), the
 * credentials, and the injected clock. Async calls take their executor per call. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * ConnectionConfig config = ConnectionConfig.builder("caldav")
 *     .setting("url", "https://caldav.icloud.com/")
 *     .credentials(PasswordCredentials.of("alice@icloud.com", Secret.of(appPassword)))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ConnectionConfig {
    private final String provider;
    private final Map<String, String> settings;
    private final Credentials credentials;
    private final Clock clock;
    private final HttpTransport transport;

    private ConnectionConfig(Builder b) {
        this.provider = b.provider;
        this.settings = Map.copyOf(b.settings);
        this.credentials = b.credentials;
        this.clock = b.clock;
        this.transport = b.transport;
    }

    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    public Builder toBuilder() {
        Builder b = new Builder(provider);
        b.settings.putAll(settings);
        b.credentials = credentials;
        b.clock = clock;
        b.transport = transport;
        return b;
    }

    public String provider() {
        return provider;
    }

    public Map<String, String> settings() {
        return settings;
    }

    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /** The setting {@code name}, or an {@link InvalidInputException} naming it. */
    public String requireSetting(String name) {
        String v = settings.get(name);
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(name, "provider '" + provider + "' needs the setting '" + name + "'");
        }
        return v;
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(settings.getOrDefault(name, "false"));
    }

    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The HTTP transport the host application wants HTTP-speaking providers to use (shared connection
     * pool, accounting listener, retry policy); empty means the provider builds its own with
     * {@link HttpTransport#defaults(String)}.
     */
    public Optional<HttpTransport> transport() {
        return Optional.ofNullable(transport);
    }

    @Override
    public String toString() {
        return "ConnectionConfig[provider=" + provider + ", settings=" + settings.keySet()
                + ", credentials=" + (credentials == null ? "none" : credentials.kind()) + "]";
    }

    /** Builds a {@link ConnectionConfig}. */
    public static final class Builder {
        private final String provider;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Credentials credentials;
        private Clock clock = Clock.systemUTC();
        private HttpTransport transport;

        private Builder(String provider) {
            this.provider = Checks.notBlank(provider, "provider");
        }

        public Builder setting(String name, String value) {
            settings.put(Checks.notBlank(name, "setting name"), Checks.notNull(value, "setting " + name));
            return this;
        }

        public Builder settings(Map<String, String> values) {
            values.forEach(this::setting);
            return this;
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /** The HTTP transport for providers that speak HTTP themselves; null for the provider's default. */
        public Builder transport(HttpTransport transport) {
            this.transport = transport;
            return this;
        }

        public ConnectionConfig build() {
            return new ConnectionConfig(this);
        }
    }
}
