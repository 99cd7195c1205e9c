package org.calsdk.ical.internal;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.EventTime;

/** RFC 5545 DATE / DATE-TIME / DURATION values to and from {@link EventTime}. */
final class IcsTimes {
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
    private static final Pattern DURATION = Pattern.compile(
            "([+-])?P(?:(\\d{1,6})W)?(?:(\\d{1,6})D)?(?:T(?:(\\d{1,7})H)?(?:(\\d{1,9})M)?(?:(\\d{1,10})S)?)?");

    private IcsTimes() {}

    /**
     * Parses one value.
     *
     * @param value    the text, e.g. {@code 20260302T090000Z}
     * @param isDate   VALUE=DATE was given (or the value has 8 characters)
     * @param zone     the TZID's zone, or null
     * @param what     property name for messages
     */
    static EventTime parse(String value, boolean isDate, ZoneId zone, String what) {
        String v = value.strip();
        try {
            if (isDate || v.length() == 8) {
                return EventTime.allDay(LocalDate.parse(v, DATE));
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                LocalDateTime l = LocalDateTime.parse(v.substring(0, v.length() - 1), LOCAL);
                return EventTime.of(l.atZone(ZoneOffset.UTC));
            }
            LocalDateTime l = LocalDateTime.parse(v, LOCAL);
            if (zone == null) {
                return EventTime.floating(l);
            }
            return EventTime.of(ZonedDateTime.of(l, zone)); // gap: forward by its length; overlap: earlier offset
        } catch (DateTimeParseException e) {
            throw new MalformedDataException(what + " value '" + shorten(v) + "' is not a valid "
                    + (isDate ? "DATE (YYYYMMDD)" : "DATE-TIME (YYYYMMDDTHHMMSS[Z])"));
        }
    }

    /** A parsed DURATION: nominal days plus exact time. */
    record Dur(long days, Duration time) {}

    static Dur parseDuration(String value, String what) {
        Matcher m = DURATION.matcher(value.strip().toUpperCase(Locale.ROOT));
        if (!m.matches() || value.strip().endsWith("T") || value.strip().equalsIgnoreCase("P")) {
            throw new MalformedDataException(what + " value '" + shorten(value) + "' is not a valid DURATION");
        }
        long sign = "-".equals(m.group(1)) ? -1 : 1;
        long days = num(m.group(2)) * 7 + num(m.group(3));
        Duration t = Duration.ofHours(num(m.group(4))).plusMinutes(num(m.group(5))).plusSeconds(num(m.group(6)));
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
