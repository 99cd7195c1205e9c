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
 * @param mailbox the mailbox the calendar belongs to
 * @param id      the provider's id of the calendar, or {@link #PRIMARY}
 * @since 0.1
 */
public record CalendarRef(Mailbox mailbox, String id) {
    /** The id that stands for the mailbox's default calendar. */
    public static final String PRIMARY = "primary";

    /**
     * Checks the reference.
     *
     * @param mailbox the mailbox the calendar belongs to
     * @param id      the provider's id of the calendar, or {@link #PRIMARY}
     * @throws NullPointerException if {@code mailbox} or {@code id} is null
     * @throws org.calsdk.errors.InvalidInputException if {@code id} is blank
     */
    public CalendarRef {
        Checks.notNull(mailbox, "mailbox");
        Checks.notBlank(id, "calendar id");
    }

    /**
     * A calendar of a mailbox.
     *
     * @param mailbox the owner
     * @param id the provider's calendar id
     * @return the reference
     */
    public static CalendarRef of(Mailbox mailbox, String id) {
        return new CalendarRef(mailbox, id);
    }

    /**
     * A mailbox's main calendar.
     *
     * @param mailbox the owner
     * @return the reference, with id {@link #PRIMARY}
     */
    public static CalendarRef primary(Mailbox mailbox) {
        return new CalendarRef(mailbox, PRIMARY);
    }

    /**
     * Whether this names the main calendar.
     *
     * @return {@code true} for {@link #PRIMARY}
     */
    public boolean isPrimary() {
        return PRIMARY.equals(id);
    }
}
