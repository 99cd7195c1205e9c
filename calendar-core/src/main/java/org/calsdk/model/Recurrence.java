package org.calsdk.model;

import java.time.LocalDateTime;
import java.util.List;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a recurring series, as RFC 5545 states them: RRULE values (without the {@code RRULE:}
 * prefix, e.g. {@code FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10}), extra dates (RDATE) and excluded dates
 * (EXDATE). Occurrences that were moved or changed are not here but in {@link Event#overrides()}.
 * Expanding a series into occurrences is the job of {@code org.calsdk.ical.Recurrences}.
 *
 * @param rules          RRULE values, usually one
 * @param rdates         additional occurrence starts
 * @param exdates        excluded occurrence starts
 * @param wallClockStart the local date-time DTSTART was written with, when that time does not exist in its
 *                       zone (a daylight-saving gap) so the event's start was moved forward by the gap's
 *                       length (RFC 5545 §3.3.5); the rule recurs on this wall-clock time, so later
 *                       instances keep it wherever it exists. Null when DTSTART's own local time is it.
 * @since 0.1
 */
public record Recurrence(
        List<String> rules,
        List<EventTime> rdates,
        List<EventTime> exdates,
        @Nullable LocalDateTime wallClockStart) {
    /**
     * Checks the rules and keeps immutable copies of the lists.
     *
     * @param rules RRULE values, usually one
     * @param rdates additional occurrence starts
     * @param exdates excluded occurrence starts
     * @param wallClockStart the local date-time DTSTART was written with, when that time does not exist in its zone
     *     (a daylight-saving gap) so the event's start was moved forward by the gap's length (RFC 5545 §3.3.5); the
     *     rule recurs on this wall-clock time, so later instances keep it wherever it exists. Null when DTSTART's own
     *     local time is it.
     */
    public Recurrence {
        rules = Checks.immutableList(rules, "rules");
        rdates = Checks.immutableList(rdates, "rdates");
        exdates = Checks.immutableList(exdates, "exdates");
        for (String r : rules) {
            Checks.notBlank(r, "rule");
        }
    }

    /**
     * Rules and dates whose DTSTART exists on the wall clock (the usual case).
     *
     * @param rules the RRULE values
     * @param rdates the extra dates
     * @param exdates the excluded dates
     */
    public Recurrence(List<String> rules, List<EventTime> rdates, List<EventTime> exdates) {
        this(rules, rdates, exdates, null);
    }

    /**
     * One RRULE.
     *
     * <pre>{@code
     * Recurrence weekly = Recurrence.rule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10");
     * }</pre>
     *
     * @param rrule the rule's value, without {@code RRULE:}
     * @return the recurrence
     */
    public static Recurrence rule(String rrule) {
        return new Recurrence(List.of(rrule), List.of(), List.of());
    }

    /**
     * These rules with other excluded dates.
     *
     * @param exdates the occurrences left out
     * @return a new recurrence
     */
    public Recurrence withExdates(List<EventTime> exdates) {
        return new Recurrence(rules, rdates, exdates, wallClockStart);
    }

    /**
     * These rules with other extra dates.
     *
     * @param rdates the occurrences added
     * @return a new recurrence
     */
    public Recurrence withRdates(List<EventTime> rdates) {
        return new Recurrence(rules, rdates, exdates, wallClockStart);
    }

    /**
     * These rules recurring on {@code wallClockStart} (see the record's description), or null to drop it.
     *
     * @param wallClockStart the wall-clock start, or null
     * @return the copy
     */
    public Recurrence withWallClockStart(@Nullable LocalDateTime wallClockStart) {
        return new Recurrence(rules, rdates, exdates, wallClockStart);
    }

    /**
     * Whether there is nothing to recur (no rule, no extra date).
     *
     * @return {@code true} when empty
     */
    public boolean isEmpty() {
        return rules.isEmpty() && rdates.isEmpty();
    }
}
