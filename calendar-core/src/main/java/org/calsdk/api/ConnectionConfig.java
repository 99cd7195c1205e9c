package org.calsdk.api;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
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
 * <p>Settings are strings; the typed accessors ({@link #flag}, {@link #duration}) read them strictly: a
 * value of the wrong type (a flag that is {@code "yes"}, a timeout that is {@code "soon"}) is an
 * {@link InvalidInputException} naming the setting, never silently the default.
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

    /**
     * A builder for a connection to {@code provider}.
     *
     * <pre>{@code
     * ConnectionConfig config = ConnectionConfig.builder("caldav")
     *         .setting("url", "https://caldav.icloud.com/")
     *         .credentials(PasswordCredentials.of("alice@icloud.com", Secret.of(appPassword)))
     *         .build();
     * }</pre>
     *
     * @param provider the provider's id
     * @return a builder with no settings, no credentials and the system UTC clock
     */
    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /**
     * A builder holding this configuration, to change a part of it.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(provider);
        b.settings.putAll(settings);
        b.credentials = credentials;
        b.clock = clock;
        b.transport = transport;
        return b;
    }

    /**
     * The provider's id.
     *
     * @return for example {@code graph}
     */
    public String provider() {
        return provider;
    }

    /**
     * The provider settings (never secrets: those go in {@link #credentials()}).
     *
     * @return the settings, immutable
     */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * One setting.
     *
     * @param name the setting's name
     * @return its value, or empty when not set
     */
    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /**
     * The setting {@code name}, or an {@link InvalidInputException} naming it.
     *
     * @param name the setting's name
     * @return its value
     * @throws InvalidInputException when the setting is absent
     */
    public String requireSetting(String name) {
        String v = settings.get(name);
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(name, "provider '" + provider + "' needs the setting '" + name + "'");
        }
        return v;
    }

    /**
     * The boolean setting {@code name}: {@code true} or {@code false} (any case, surrounding blanks
     * ignored); false when absent.
     *
     * @param name the setting's name
     * @return its value, false when absent
     * @throws InvalidInputException when the setting holds anything else
     */
    public boolean flag(String name) {
        return flag(name, false);
    }

    /**
     * The boolean setting {@code name}, or {@code defaultValue} when absent.
     *
     * @param name the setting's name
     * @param defaultValue the value when absent
     * @return its value, or {@code defaultValue}
     * @throws InvalidInputException when the setting holds anything but {@code true} or {@code false}
     */
    public boolean flag(String name, boolean defaultValue) {
        String v = settings.get(name);
        if (v == null) {
            return defaultValue;
        }
        String t = v.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return true;
        }
        if (t.equals("false")) {
            return false;
        }
        throw new InvalidInputException(
                name,
                "setting '" + name + "' of provider '" + provider + "' must be true or false, was '" + shown(v) + "'");
    }

    /**
     * The duration setting {@code name}: a number of seconds ({@code 30}, {@code 2.5}) or an ISO-8601
     * duration ({@code PT30S}, {@code PT2M}); empty when absent. It must be positive.
     *
     * @param name the setting's name
     * @return the duration, or empty
     * @throws InvalidInputException when the setting holds anything else
     */
    public Optional<Duration> duration(String name) {
        String v = settings.get(name);
        if (v == null) {
            return Optional.empty();
        }
        String t = v.strip();
        Duration d = null;
        try {
            if (t.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
                d = Duration.ofNanos(new BigDecimal(t).movePointRight(9).longValueExact());
            } else if (t.regionMatches(true, 0, "PT", 0, 2) || t.regionMatches(true, 0, "P", 0, 1)) {
                d = Duration.parse(t);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidInputException(
                    name,
                    "setting '" + name + "' of provider '" + provider
                            + "' must be a positive number of seconds or an ISO-8601 duration such as PT30S, was '"
                            + shown(v) + "'");
        }
        return Optional.of(d);
    }

    /** A setting's value for an error message: at most 40 characters, control characters replaced. */
    private static String shown(String v) {
        String s = v.length() > 40 ? v.substring(0, 40) + "…" : v;
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * The credentials to connect with.
     *
     * @return the credentials, or empty for a provider that needs none
     */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /**
     * The clock the connection reads time from (token expiry, windows, back-off).
     *
     * @return the clock; the system UTC clock unless the host set one
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The HTTP transport the host application wants HTTP-speaking providers to use (shared connection
     * pool, accounting listener, retry policy); empty means the provider builds its own with
     * {@link HttpTransport#defaults(String)}.
     *
     * @return the transport, or empty
     */
    public Optional<HttpTransport> transport() {
        return Optional.ofNullable(transport);
    }

    @Override
    public String toString() {
        return "ConnectionConfig[provider=" + provider + ", settings=" + settings.keySet() + ", credentials="
                + (credentials == null ? "none" : credentials.kind()) + "]";
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

        /**
         * Sets a provider setting.
         *
         * @param name the setting's name, not blank
         * @param value its value
         * @return this builder
         */
        public Builder setting(String name, String value) {
            settings.put(Checks.notBlank(name, "setting name"), Checks.notNull(value, "setting " + name));
            return this;
        }

        /**
         * Sets several provider settings.
         *
         * @param values names to values
         * @return this builder
         */
        public Builder settings(Map<String, String> values) {
            values.forEach(this::setting);
            return this;
        }

        /**
         * Sets the credentials.
         *
         * @param credentials the credentials, or null for none
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * Sets the clock (tests pass a fixed or moving one).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * The HTTP transport for providers that speak HTTP themselves; null for the provider's default.
         *
         * @param transport the transport, or null
         * @return this builder
         */
        public Builder transport(HttpTransport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         */
        public ConnectionConfig build() {
            return new ConnectionConfig(this);
        }
    }
}
