package org.calsdk.google.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.spi.ConnectionFileForm;

/**
 * Google's connection-file form: a relative {@code serviceAccountKeyFile} is the key file next to the
 * connection file ({@code "serviceAccountKeyFile": "key.json"}), not one in the process's working folder.
 * Registered through {@code META-INF/services/org.calsdk.spi.ConnectionFileForm}.
 */
public final class GoogleConnectionFileForm implements ConnectionFileForm {
    /** For {@link java.util.ServiceLoader}. */
    public GoogleConnectionFileForm() {}

    @Override
    public String providerId() {
        return "google";
    }

    @Override
    public ConnectionConfig toConfig(ConnectionFile file) {
        Map<String, String> settings = new LinkedHashMap<>(file.settings());
        settings.computeIfPresent(
                "serviceAccountKeyFile", (name, path) -> file.resolve(path).toString());
        return ConnectionConfig.builder(file.provider())
                .settings(settings)
                .credentials(file.credentials(settings))
                .build();
    }
}
