package org.calsdk.sync;

import java.util.List;
import org.calsdk.api.DirectorySync;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * What one {@link DirectoryProvisioner} run did.
 *
 * @param directory      the directory sync it acted on (matched, unmatched, new, disabled)
 * @param added          matched people the host's policy accepted, now connected to the integration
 * @param declined       matched people not yet syncing that the policy declined
 * @param refused        matched people the engine refused to add (another integration holds them, or
 *                       Exchange Online and on-premises would both cover their domain), with the reason
 * @param disabled       mailboxes whose sync was turned off because the directory disabled the person
 * @since 0.2
 */
public record ProvisioningReport(
        DirectorySync.Report directory,
        List<Mailbox> added,
        List<Mailbox> declined,
        List<Refusal> refused,
        List<Mailbox> disabled) {
    /**
     * Checks that the directory report is set and copies the lists.
     *
     * @param directory the directory sync it acted on (matched, unmatched, new, disabled)
     * @param added matched people the host's policy accepted, now connected to the integration
     * @param declined matched people not yet syncing that the policy declined
     * @param refused matched people the engine refused to add (another integration holds them, or Exchange Online and
     *                 on-premises would both cover their domain), with the reason
     * @param disabled mailboxes whose sync was turned off because the directory disabled the person
     */
    public ProvisioningReport {
        Checks.notNull(directory, "directory");
        added = Checks.immutableList(added, "added");
        declined = Checks.immutableList(declined, "declined");
        refused = Checks.immutableList(refused, "refused");
        disabled = Checks.immutableList(disabled, "disabled");
    }

    /**
     * A mailbox the engine would not add.
     *
     * @param mailbox the mailbox
     * @param reason  the engine's message
     */
    public record Refusal(Mailbox mailbox, String reason) {
        /**
         * Checks that the entry and the reason are set.
         *
         * @param mailbox the mailbox
         * @param reason the engine's message
         */
        public Refusal {
            Checks.notNull(mailbox, "mailbox");
            Checks.notNull(reason, "reason");
        }
    }
}
