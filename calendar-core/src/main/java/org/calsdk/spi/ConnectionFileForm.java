package org.calsdk.spi;

import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;

/**
 * How a provider module builds its {@link ConnectionConfig} from a parsed {@link ConnectionFile}, when the
 * default ({@link ConnectionFile#defaultConfig()}: the settings as they are, the credentials the secrets
 * describe) is not what it needs. Registered like the provider itself, in a
 * {@code META-INF/services/org.calsdk.spi.ConnectionFileForm} file of the provider's jar, so the core never
 * depends on a provider module.
 *
 * <pre>{@code
 * public final class MyConnectionFileForm implements ConnectionFileForm {
 *     public String providerId() { return "my"; }
 *
 *     public ConnectionConfig toConfig(ConnectionFile file) {
 *         Map<String, String> settings = new LinkedHashMap<>(file.settings());
 *         settings.computeIfPresent("keyFile", (k, v) -> file.resolve(v).toString());
 *         return ConnectionConfig.builder("my").settings(settings).credentials(file.credentials(settings)).build();
 *     }
 * }
 * }</pre>
 *
 * @since 0.2
 */
public interface ConnectionFileForm {

    /**
     * The provider this form is for.
     *
     * @return the same id as the provider's {@link CalendarProvider#id()}
     */
    String providerId();

    /**
     * Builds the configuration.
     *
     * @param file the parsed file, secrets resolved
     * @return the configuration to connect with
     * @throws org.calsdk.errors.InvalidInputException if the file's settings and secrets do not make one
     */
    ConnectionConfig toConfig(ConnectionFile file);
}
