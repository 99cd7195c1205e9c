package org.calsdk.model;

import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * Who organizes an event; only the organizer's changes to time and content count.
 *
 * @param mailbox the organizer's address
 * @param name    display name, or null
 * @since 0.1
 */
public record Organizer(Mailbox mailbox, @Nullable String name) {
    /**
     * Checks the values.
     *
     * @param mailbox the organizer's address
     * @param name display name, or null
     */
    public Organizer {
        Checks.notNull(mailbox, "organizer mailbox");
    }

    /**
     * An organizer known by address only.
     *
     * @param mailbox the organizer's mailbox
     * @return the organizer
     */
    public static Organizer of(Mailbox mailbox) {
        return new Organizer(mailbox, null);
    }
}
