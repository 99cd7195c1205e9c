package org.calsdk.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps ({@code 2026-03-03T14:00:00Z}, {@code 2026-03-03T15:00:00.250+01:00}) read and written
 * without {@link java.time.format.DateTimeFormatter}. A free/busy answer for a thousand mailboxes holds
 * thousands of them, and the general-purpose formatter costs tens of microseconds per value in a JVM that
 * has just started (the {@code calendar} command-line run is over before the JIT compiler has helped): the
 * common shape is parsed and printed here digit by digit, and anything else goes to {@code java.time}, so
 * results and errors are {@code java.time}'s own (property-tested against it).
 */
public final class Rfc3339 {
    private Rfc3339() {}

    /**
     * The instant {@code s} names: {@code YYYY-MM-DD}, {@code T} (or {@code t}), {@code hh:mm:ss}, an optional
     * fraction of up to nine digits, and {@code Z}, {@code z} or {@code ±hh:mm}; as
     * {@code OffsetDateTime.parse(s).toInstant()}.
     *
     * @param s the timestamp
     * @return the instant
     * @throws DateTimeParseException if {@code s} is not such a timestamp
     */
    public static Instant parseInstant(CharSequence s) {
        Instant fast = tryParse(s, Offset.REQUIRED);
        return fast != null ? fast : OffsetDateTime.parse(s).toInstant();
    }

    /** What a timestamp's offset means to {@link #tryParse}. */
    public enum Offset {
        /** {@code Z} or {@code ±hh:mm} must follow (RFC 3339). */
        REQUIRED,
        /** An offset is honoured; without one the time is UTC (EWS answers to a request made in UTC). */
        UTC_IF_ABSENT,
        /** The wall-clock time is UTC whatever offset follows (Graph's {@code dateTimeTimeZone} in UTC). */
        IGNORED
    }

    /**
     * The common shape only: {@code YYYY-MM-DDThh:mm:ss}, an optional fraction of up to nine digits and the
     * offset as {@code mode} says; null for anything else, valid or not, so the caller can hand it to
     * {@code java.time} (which also reports what is invalid).
     *
     * @param s    the timestamp
     * @param mode what the offset means
     * @return the instant, or null
     */
    public static Instant tryParse(CharSequence s, Offset mode) {
        int n = s.length();
        if (n < 19
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > lengthOfMonth(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 10 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return mode == Offset.REQUIRED ? null : instant(year, month, day, hour, minute, second, nanos, 0);
        }
        int offsetSeconds;
        char c = s.charAt(i);
        if ((c == 'Z' || c == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((c == '+' || c == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om != 0)) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
        } else {
            return null;
        }
        return instant(year, month, day, hour, minute, second, nanos, mode == Offset.IGNORED ? 0 : offsetSeconds);
    }

    private static Instant instant(
            int year, int month, int day, int hour, int minute, int second, int nanos, int offsetSeconds) {
        long epochSecond = epochDay(year, month, day) * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** {@code i} as {@link Instant#toString()} writes it, appended to {@code out}. */
    private static StringBuilder appendInstant(Instant i, StringBuilder out) {
        long epochSecond = i.getEpochSecond();
        long epochDay = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        // years 0000-9999 only (Instant.toString() writes others with a sign or more digits)
        if (epochDay < -719_528 || epochDay > 2_932_896) {
            return out.append(i);
        }
        // civil from days (Howard Hinnant's algorithm), exact for the proleptic Gregorian calendar
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        int nanos = i.getNano();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                pad(out, nanos / 1000, 6);
            } else {
                pad(out, nanos, 9);
            }
        }
        return out.append('Z');
    }

    /**
     * {@code i} as {@link Instant#toString()} writes it.
     *
     * @param i the instant
     * @return the text
     */
    public static String format(Instant i) {
        return appendInstant(i, new StringBuilder(24)).toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String v = Integer.toString(value);
        for (int k = v.length(); k < width; k++) {
            out.append('0');
        }
        return out.append(v);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The non-negative number of {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(CharSequence s, int from, int len) {
        int v = 0;
        for (int k = from; k < from + len; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
