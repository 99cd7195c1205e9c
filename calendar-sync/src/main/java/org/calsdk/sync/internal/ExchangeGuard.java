package org.calsdk.sync.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.calsdk.api.ExchangeDeployments;
import org.calsdk.api.OrganizationIntegration;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.Integration;
import org.calsdk.sync.MailboxStatus;
import org.calsdk.sync.SyncDiagnostics;
import org.calsdk.sync.SyncStateStore;

/**
 * Keeps the rule of {@link ExchangeDeployments} where the engine registers integrations and mailboxes: an
 * active Exchange Online (graph) and an active Exchange on-premises (ews) integration never cover one
 * email domain. Not public API.
 */
public final class ExchangeGuard {
    private ExchangeGuard() {}

    /** Before {@code integration} is saved: refused when it is active and its mailboxes' domains collide. */
    public static void beforeSave(SyncStateStore store, Integration integration) {
        if (!integration.isActive() || !ExchangeDeployments.isExchange(integration.provider())) {
            return;
        }
        Set<String> domains = new LinkedHashSet<>();
        if (store.integration(integration.name()).isPresent()) {
            for (MailboxStatus m : store.mailboxes(integration.name())) {
                domains.add(m.mailbox().domain());
            }
        }
        check(store, integration, domains);
    }

    /** Before {@code mailbox} joins integration {@code name}: refused when its domain collides. */
    public static void beforeAdd(SyncStateStore store, String name, Mailbox mailbox) {
        Integration integration = store.integration(name).orElse(null);
        if (integration == null || !integration.isActive() || !ExchangeDeployments.isExchange(integration.provider())) {
            return; // the store itself reports an unknown integration
        }
        check(store, integration, Set.of(mailbox.domain()));
    }

    private static void check(SyncStateStore store, Integration integration, Set<String> domains) {
        List<OrganizationIntegration> others = new ArrayList<>();
        for (OrganizationIntegration o : SyncDiagnostics.organizations(store)) {
            if (!o.name().equals(integration.name()) && ExchangeDeployments.isExchange(o.provider())) {
                others.add(o);
            }
        }
        ExchangeDeployments.requireCompatible(
                new OrganizationIntegration(integration.name(), integration.provider(), domains), others);
    }
}
