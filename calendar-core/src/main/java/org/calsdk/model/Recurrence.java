package org.calsdk.model;

import java.util.List;

import org.calsdk.internal.Checks;

/**
 * The rules of a recurring series, as RFC 5545 states them: RRULE values (without the {@code RRULE:}
 * prefix, e.g. {@code FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10}), extra dates (RDATE) and excluded dates
 * (EXDATE). Occurrences that were moved or changed are not here but in {@link Event#overrides()}.
 * Expanding a series into occurrences is the job of {@code org.calsdk.ical.Recurrences}.
 *
 * @param rules   RRULE values, usually one
 * @param rdates  additional occurrence starts
 * @param exdates excluded occurrence starts
 * @since 0.1
 */
public record Recurrence(List<String> rules, List<EventTime> rdates, List<EventTime> exdates) {
    public Recurrence {
        rules = Checks.immutableList(rules, "rules");
        rdates = Checks.immutableList(rdates, "rdates");
        exdates = Checks.immutableList(exdates, "exdates");
        for (String r : rules) {
            Checks.notBlank(r, "rule");
        }
    }

    public static Recurrence rule(String rrule) {
        return new Recurrence(List.of(rrule), List.of(), List.of());
    }

    public Recurrence withExdates(List<EventTime> exdates) {
        return new Recurrence(rules, rdates, exdates);
    }

    public Recurrence withRdates(List<EventTime> rdates) {
        return new Recurrence(rules, rdates, exdates);
    }

    public boolean isEmpty() {
        return rules.isEmpty() && rdates.isEmpty();
    }
}
