package org.calsdk.ical;

import org.calsdk.internal.Checks;

/**
 * Something in an iCalendar input that {@link ICalendar#read(String)} could not read, and what it did
 * about it: a VEVENT that was left out (its UID when the file gives one, the line, why), a line that was
 * skipped, a component that was never closed.
 *
 * @param line      the physical line (1-based) it concerns: the offending property's line when known,
 *                  else the line of the component's BEGIN; 0 when no line applies
 * @param component the component it concerns ({@code VEVENT}, {@code VTIMEZONE}, {@code VCALENDAR}, ...),
 *                  or null for text outside every component
 * @param uid       the UID of the VEVENT concerned, or null when there is none or it is unknown
 * @param message   what was wrong and what was done, without the line and UID (those are fields)
 * @since 0.1
 */
public record ParseProblem(
        int line,
        @org.jspecify.annotations.Nullable String component,
        @org.jspecify.annotations.Nullable String uid,
        String message) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param line the physical line (1-based) it concerns: the offending property's line when known, else the line of
     *     the component's BEGIN; 0 when no line applies
     * @param component the component it concerns ({@code VEVENT}, {@code VTIMEZONE}, {@code VCALENDAR}, ...), or null
     *     for text outside every component
     * @param uid the UID of the VEVENT concerned, or null when there is none or it is unknown
     * @param message what was wrong and what was done, without the line and UID (those are fields)
     */
    public ParseProblem {
        Checks.notNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative");
        }
    }

    /**
     * One line for people: {@code "line 12: VEVENT UID 'abc': DTSTART value '20260231' is not a valid DATE"}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        if (component != null) {
            sb.append(component);
            if (uid != null) {
                sb.append(" UID '")
                        .append(uid.length() <= 60 ? uid : uid.substring(0, 60) + "...")
                        .append('\'');
            } else if (component.equals("VEVENT")) {
                sb.append(" without UID");
            }
            sb.append(": ");
        }
        return sb.append(message).toString();
    }
}
