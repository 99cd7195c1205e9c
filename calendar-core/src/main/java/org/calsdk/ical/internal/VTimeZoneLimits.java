package org.calsdk.ical.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VTimeZone;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;

/**
 * Bounds a VTIMEZONE before anything builds zone rules from it. ical4j's {@code ZoneRulesBuilder}
 * expands every observance's RRULE from its DTSTART to ten years from now and holds every onset, so a
 * 393-byte definition with {@code DTSTART:16010101T000000} and {@code RRULE:FREQ=SECONDLY} would build
 * billions of transitions. Checked here, cheaply and lazily (our own {@link RuleIterator}, which stops
 * at the bound):
 * <ul>
 *   <li>at most {@value #MAX_OBSERVANCES} STANDARD/DAYLIGHT observances;</li>
 *   <li>at most {@value #MAX_TRANSITIONS} onsets in all (DTSTART, RRULE instances and RDATEs) up to
 *       {@value #HORIZON_YEARS} years after today (or after the DTSTART, when that is later);</li>
 *   <li>an observance RRULE names one time of day (at most one BYHOUR, BYMINUTE and BYSECOND value):
 *       offsets change once on a given day, and ical4j would otherwise build every time of a whole
 *       year as candidates before applying BYSETPOS.</li>
 * </ul>
 * Real definitions stay far below: two observances since 1601 give about 900 onsets; full-history
 * definitions a few hundred observances.
 */
final class VTimeZoneLimits {
    static final int MAX_OBSERVANCES = 1_000;
    static final int MAX_TRANSITIONS = 10_000;
    /** ical4j looks ten years ahead of today; one more keeps this count an upper bound of its work. */
    static final int HORIZON_YEARS = 11;

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);

    private VTimeZoneLimits() {}

    /**
     * Counts the observances of every VTIMEZONE in the raw text, before ical4j builds objects for them
     * (building 10,000 observances alone takes seconds).
     *
     * @throws LimitExceededException when a VTIMEZONE has more than {@value #MAX_OBSERVANCES}
     */
    static void prescan(String ics) {
        int n = ics.length();
        int i = 0;
        boolean inZone = false;
        int observances = 0;
        while (i < n) {
            int eol = ics.indexOf('\n', i);
            int end = eol < 0 ? n : eol;
            if (ics.regionMatches(true, i, "BEGIN:VTIMEZONE", 0, 15)) {
                inZone = true;
                observances = 0;
            } else if (ics.regionMatches(true, i, "END:VTIMEZONE", 0, 13)) {
                inZone = false;
            } else if (inZone
                    && (ics.regionMatches(true, i, "BEGIN:STANDARD", 0, 14)
                            || ics.regionMatches(true, i, "BEGIN:DAYLIGHT", 0, 14))
                    && ++observances > MAX_OBSERVANCES) {
                throw new LimitExceededException(
                        "ical.maxVTimeZoneObservances",
                        MAX_OBSERVANCES,
                        "a VTIMEZONE has more than " + MAX_OBSERVANCES + " observances");
            }
            i = end + 1;
        }
    }

    /**
     * @throws LimitExceededException when the definition exceeds a bound (the message names it)
     * @throws MalformedDataException  when an observance's RRULE is invalid or not a time zone rule
     */
    static void check(VTimeZone vtz, String tzid, Clock clock) {
        String name = "VTIMEZONE '" + IcsTimes.shorten(tzid) + "'";
        List<Component> observances = vtz.getComponents().stream()
                .filter(c ->
                        c.getName().equalsIgnoreCase("STANDARD") || c.getName().equalsIgnoreCase("DAYLIGHT"))
                .map(c -> (Component) c)
                .toList();
        if (observances.size() > MAX_OBSERVANCES) {
            throw new LimitExceededException(
                    "ical.maxVTimeZoneObservances",
                    MAX_OBSERVANCES,
                    name + " has " + observances.size() + " observances");
        }
        LocalDateTime today = LocalDateTime.now(clock.withZone(ZoneOffset.UTC));
        int left = MAX_TRANSITIONS;
        for (Component o : observances) {
            LocalDateTime dtstart = dtstart(o);
            if (dtstart == null) {
                continue; // ical4j reports the missing or broken DTSTART
            }
            left--;
            LocalDateTime horizon = (dtstart.isAfter(today) ? dtstart : today).plusYears(HORIZON_YEARS);
            for (Property p : o.<Property>getProperties()) {
                String pn = p.getName().toUpperCase(Locale.ROOT);
                if (pn.equals("RDATE")) {
                    left -= p.getValue().split(",").length;
                } else if (pn.equals("RRULE")) {
                    RRule rule = RRule.parse(p.getValue());
                    RuleIterator it = new RuleIterator(rule, dtstart, untilCheck(rule.until()), horizon, false);
                    while (left >= 0 && it.hasNext()) {
                        it.next();
                        left--;
                    }
                    if (left >= 0 && rule.timesOfDay() > 1) {
                        throw new MalformedDataException(name + ": the observance rule '"
                                + IcsTimes.shorten(rule.text())
                                + "' names " + rule.timesOfDay() + " times of day; a time zone changes its offset "
                                + "at one time of day (one BYHOUR, BYMINUTE and BYSECOND value at most)");
                    }
                }
                if (left < 0) {
                    throw new LimitExceededException(
                            "ical.maxVTimeZoneTransitions",
                            MAX_TRANSITIONS,
                            name + " defines more than " + MAX_TRANSITIONS + " transitions up to " + horizon.getYear());
                }
            }
        }
    }

    private static LocalDateTime dtstart(Component o) {
        String v = IcsReader.prop(o, "DTSTART")
                .map(Property::getValue)
                .map(String::strip)
                .orElse(null);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 8) {
                return LocalDate.parse(v, DATE).atStartOfDay();
            }
            return LocalDateTime.parse(v.endsWith("Z") || v.endsWith("z") ? v.substring(0, v.length() - 1) : v, LOCAL);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** UNTIL compared on the wall clock, a day late: the count may only err on the high side. */
    private static Predicate<LocalDateTime> untilCheck(Temporal until) {
        if (until == null) {
            return null;
        }
        if (until instanceof LocalDate d) {
            return t -> t.toLocalDate().isAfter(d.plusDays(1));
        }
        LocalDateTime u =
                until instanceof Instant i ? LocalDateTime.ofInstant(i, ZoneOffset.UTC) : (LocalDateTime) until;
        LocalDateTime late = u.plusDays(1);
        return t -> t.isAfter(late);
    }
}
