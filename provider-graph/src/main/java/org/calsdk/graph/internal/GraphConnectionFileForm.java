package org.calsdk.graph.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.spi.ConnectionFileForm;

/**
 * Graph's connection-file form: the tenant is named {@code tenantId} (as in the Azure portal), so the client
 * credentials read it from there when the file has no {@code tenant}. Registered through
 * {@code META-INF/services/org.calsdk.spi.ConnectionFileForm}.
 */
public final class GraphConnectionFileForm implements ConnectionFileForm {
    /** For {@link java.util.ServiceLoader}. */
    public GraphConnectionFileForm() {}

    @Override
    public String providerId() {
        return "graph";
    }

    @Override
    public ConnectionConfig toConfig(ConnectionFile file) {
        Map<String, String> forCredentials = new LinkedHashMap<>(file.settings());
        String tenantId = file.settings().get("tenantId");
        if (tenantId != null) {
            forCredentials.putIfAbsent("tenant", tenantId);
        }
        return ConnectionConfig.builder(file.provider())
                .settings(file.settings())
                .credentials(file.credentials(forCredentials))
                .build();
    }
}
