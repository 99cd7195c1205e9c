package org.calsdk.sync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.calsdk.api.MailboxHealth;
import org.calsdk.api.OrganizationIntegration;
import org.calsdk.internal.Checks;

/**
 * What a {@link SyncStateStore} tells {@link org.calsdk.api.Doctor}: each mailbox's sync health (last sync,
 * authorization, push subscriptions) and the organizations its active integrations cover (for the rule
 * that Exchange Online and Exchange on-premises are not both enabled for one domain).
 *
 * <pre>{@code
 * DoctorReport r = Doctor.builder()
 *     .health(SyncDiagnostics.health(store))
 *     .integrations(SyncDiagnostics.organizations(store))
 *     .build().run(config);
 * }</pre>
 *
 * @since 0.2
 */
public final class SyncDiagnostics {
    private SyncDiagnostics() {}

    /**
     * Every mailbox of the store with its sync state and stored push subscriptions.
     *
     * @param store the sync state store
     * @return one entry per mailbox, in the store's order (by address)
     */
    public static List<MailboxHealth> health(SyncStateStore store) {
        Checks.notNull(store, "store");
        List<MailboxHealth> out = new ArrayList<>();
        for (MailboxStatus m : store.mailboxes()) {
            out.add(new MailboxHealth(
                    m.mailbox(),
                    m.enabled(),
                    m.connected(),
                    m.lastSyncAt(),
                    m.lastError(),
                    m.relinkUrl(),
                    store.subscriptions(m.mailbox())));
        }
        return List.copyOf(out);
    }

    /**
     * The store's active integrations, each with the email domains of its mailboxes.
     *
     * @param store the sync state store
     * @return one entry per active integration
     */
    public static List<OrganizationIntegration> organizations(SyncStateStore store) {
        Checks.notNull(store, "store");
        List<OrganizationIntegration> out = new ArrayList<>();
        for (Integration i : store.integrations()) {
            if (!i.isActive()) {
                continue;
            }
            Set<String> domains = new LinkedHashSet<>();
            for (MailboxStatus m : store.mailboxes(i.name())) {
                domains.add(m.mailbox().domain());
            }
            out.add(new OrganizationIntegration(i.name(), i.provider(), domains));
        }
        return List.copyOf(out);
    }
}
