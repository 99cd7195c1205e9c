package org.calsdk.api;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * Whether a service account may act as a mailbox, and if not, why, in words an administrator can act on.
 *
 * @param mailbox the mailbox
 * @param allowed whether access works
 * @param reason  why not (or a note when allowed), never null
 * @since 0.1
 */
public record AccessCheck(Mailbox mailbox, boolean allowed, String reason) {
    public AccessCheck {
        Checks.notNull(mailbox, "mailbox");
        reason = reason == null ? "" : reason;
    }
}
