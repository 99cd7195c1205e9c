package org.calsdk.model;

import org.calsdk.internal.Checks;

/**
 * Names one calendar of one mailbox. {@code id} is the provider's own id for the calendar (a Google
 * calendar id, a Graph calendar id, an EWS folder id, a CalDAV collection href); {@link #PRIMARY} names
 * the mailbox's default calendar for every provider.
 *
 * <pre>{@code
 * CalendarRef cal = CalendarRef.primary(Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @since 0.1
 */
public record CalendarRef(Mailbox mailbox, String id) {
    /** The id that stands for the mailbox's default calendar. */
    public static final String PRIMARY = "primary";

    public CalendarRef {
        Checks.notNull(mailbox, "mailbox");
        Checks.notBlank(id, "calendar id");
    }

    public static CalendarRef of(Mailbox mailbox, String id) {
        return new CalendarRef(mailbox, id);
    }

    public static CalendarRef primary(Mailbox mailbox) {
        return new CalendarRef(mailbox, PRIMARY);
    }

    public boolean isPrimary() {
        return PRIMARY.equals(id);
    }
}
