package org.calsdk.sync;

import java.util.List;
import org.calsdk.internal.Checks;

/**
 * What {@link SyncEngine#deleteIntegration(String, boolean)} did.
 *
 * @param integration    its name
 * @param eventsDeleted  app events deleted from people's calendars
 * @param failures       events that could not be deleted (then the integration is kept, so the call can be repeated)
 * @param removed        whether the integration and its state are gone
 * @since 0.1
 */
public record IntegrationRemoval(String integration, int eventsDeleted, List<String> failures, boolean removed) {
    /**
     * Checks that the integration's name is set and copies the failures.
     *
     * @param integration its name
     * @param eventsDeleted app events deleted from people's calendars
     * @param failures events that could not be deleted (then the integration is kept, so the call can be repeated)
     * @param removed whether the integration and its state are gone
     */
    public IntegrationRemoval {
        Checks.notNull(integration, "integration");
        failures = Checks.immutableList(failures, "failures");
    }
}
