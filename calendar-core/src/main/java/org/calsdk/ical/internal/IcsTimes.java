package org.calsdk.ical.internal;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.EventTime;

/** RFC 5545 DATE / DATE-TIME / DURATION values to and from {@link EventTime}. */
final class IcsTimes {
    // STRICT: 20260231 is an error, not 2026-02-28 (the default SMART style moves it to the month's end)
    static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DURATION = Pattern.compile(
            "([+-])?P(?:(\\d{1,6})W)?(?:(\\d{1,6})D)?(?:T(?:(\\d{1,6})W)?(?:(\\d{1,7})H)?(?:(\\d{1,9})M)?(?:(\\d{1,10})S)?)?");

    private static final Pattern SHAPE = Pattern.compile("\\d{8}([Tt]\\d{6}[Zz]?)?");

    private IcsTimes() {}

    /**
     * Parses one value. The value's own form decides between DATE and DATE-TIME when it contradicts
     * {@code VALUE=DATE} (producers write both ways); a DATE-TIME with {@code VALUE=DATE} keeps its date.
     *
     * @param value    the text, e.g. {@code 20260302T090000Z}
     * @param isDate   VALUE=DATE was given
     * @param zone     the TZID's zone, or null
     * @param what     property name for messages
     */
    static EventTime parse(String value, boolean isDate, ZoneId zone, String what) {
        String v = value.strip();
        if (v.length() == 9 && (v.endsWith("Z") || v.endsWith("z")) && v.indexOf('T') < 0) {
            v = v.substring(0, 8); // Google writes RDATE:20131210Z: a DATE, the Z means nothing there
        }
        boolean dateForm = v.length() == 8 && v.indexOf('T') < 0 && v.indexOf('t') < 0;
        try {
            if (dateForm) {
                return EventTime.allDay(LocalDate.parse(v, DATE));
            }
            if (isDate && v.length() > 8 && (v.charAt(8) == 'T' || v.charAt(8) == 't')) {
                LocalDateTime.parse(
                        v.endsWith("Z") || v.endsWith("z") ? v.substring(0, v.length() - 1) : v,
                        LOCAL); // still validated
                return EventTime.allDay(LocalDate.parse(v.substring(0, 8), DATE));
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                LocalDateTime l = LocalDateTime.parse(upperT(v.substring(0, v.length() - 1)), LOCAL);
                return EventTime.of(l.atZone(ZoneOffset.UTC));
            }
            LocalDateTime l = LocalDateTime.parse(upperT(v), LOCAL);
            if (zone == null) {
                return EventTime.floating(l);
            }
            return EventTime.of(ZonedDateTime.of(l, zone)); // gap: forward by its length; overlap: earlier offset
        } catch (DateTimeParseException e) {
            boolean asDate = isDate || dateForm;
            throw new MalformedDataException(what + " value '" + shorten(v) + "' is not a valid "
                    + (asDate ? "DATE (YYYYMMDD)" : "DATE-TIME (YYYYMMDDTHHMMSS[Z])")
                    + (looksLikeImpossibleDate(v) ? ": there is no such date or time" : ""));
        }
    }

    private static String upperT(String v) {
        return v.length() > 8 && v.charAt(8) == 't' ? v.substring(0, 8) + 'T' + v.substring(9) : v;
    }

    /** The right shape, but a day the month does not have (20260231), month 13 or hour 25. */
    private static boolean looksLikeImpossibleDate(String v) {
        return SHAPE.matcher(v).matches();
    }

    /** Whether a TZID matters for this value: a DATE-TIME that is not UTC (an empty value gets its own error). */
    static boolean needsZone(String value) {
        String v = value.strip();
        return v.length() > 8 && !v.endsWith("Z") && !v.endsWith("z");
    }

    /** Whether [s1, e1) and [s2, e2) have the same exact length. */
    static boolean sameLength(EventTime s1, EventTime e1, EventTime s2, EventTime e2) {
        return Duration.between(s1.toInstant(ZoneOffset.UTC), e1.toInstant(ZoneOffset.UTC))
                .equals(Duration.between(s2.toInstant(ZoneOffset.UTC), e2.toInstant(ZoneOffset.UTC)));
    }

    /** A parsed DURATION: nominal days plus exact time. */
    record Dur(long days, Duration time) {}

    static Dur parseDuration(String value, String what) {
        Matcher m = DURATION.matcher(value.strip().toUpperCase(Locale.ROOT));
        if (!m.matches() || value.strip().endsWith("T") || value.strip().equalsIgnoreCase("P")) {
            throw new MalformedDataException(what + " value '" + shorten(value) + "' is not a valid DURATION");
        }
        long sign = "-".equals(m.group(1)) ? -1 : 1;
        // weeks after the T (PT1W, written by some producers) mean the same weeks: nominal, like P1W
        long days = num(m.group(2)) * 7 + num(m.group(3)) + num(m.group(4)) * 7;
        Duration t =
                Duration.ofHours(num(m.group(5))).plusMinutes(num(m.group(6))).plusSeconds(num(m.group(7)));
        return new Dur(sign * days, sign < 0 ? t.negated() : t);
    }

    private static long num(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }

    /** start + duration: days on the wall clock (nominal), then exact time (RFC 5545 §3.3.6). */
    static EventTime plus(EventTime start, Dur d) {
        if (start instanceof EventTime.AllDay a) {
            long extra = d.time().isZero() ? 0 : (d.time().toSeconds() + 86399) / 86400;
            return EventTime.allDay(a.date().plusDays(d.days() + extra));
        }
        if (start instanceof EventTime.Floating f) {
            return EventTime.floating(f.dateTime().plusDays(d.days()).plus(d.time()));
        }
        ZonedDateTime z = ((EventTime.Zoned) start).dateTime();
        return EventTime.of(z.plusDays(d.days()).plus(d.time()));
    }

    static String format(LocalDate d) {
        return DATE.format(d);
    }

    static String format(LocalDateTime t) {
        return LOCAL.format(t);
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
