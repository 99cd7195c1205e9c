package org.calsdk.api;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * A person (or room) in an organization's directory.
 *
 * @param id          the directory's own id
 * @param mailbox     their primary address, by which the host matches its own users
 * @param displayName name, or null
 * @param enabled     false for suspended or disabled accounts
 * @since 0.1
 */
public record DirectoryUser(String id, Mailbox mailbox, String displayName, boolean enabled) {
    public DirectoryUser {
        Checks.notBlank(id, "id");
        Checks.notNull(mailbox, "mailbox");
    }
}
