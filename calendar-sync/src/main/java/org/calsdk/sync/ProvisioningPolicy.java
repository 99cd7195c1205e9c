package org.calsdk.sync;

import org.calsdk.api.DirectorySync;

/**
 * The host's say in {@link DirectoryProvisioner}: whether a person matched in the directory, not yet
 * syncing, starts syncing now (a licence seat, an opt-in, a department).
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ProvisioningPolicy {
    /**
     * Whether {@code match}'s mailbox is connected to the integration.
     *
     * @param match a directory entry matched to a host user
     * @return whether a mailbox is added for it
     */
    boolean provision(DirectorySync.Match match);

    /**
     * Every matched person syncs.
     *
     * @return a policy that provisions every match
     */
    static ProvisioningPolicy all() {
        return m -> true;
    }

    /**
     * Nobody is added: the job only reports (and turns off sync of people the directory disabled).
     *
     * @return a policy that provisions nothing (reports only)
     */
    static ProvisioningPolicy none() {
        return m -> false;
    }
}
