package org.calsdk.http.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses a {@code Retry-After} header: delay seconds or an HTTP-date (RFC 9110 section 10.2.3). */
public final class RetryAfter {
    private RetryAfter() {}

    /**
     * The wait the header asks for, never negative; null when the header is absent or unreadable.
     *
     * @param value the header value, may be null
     * @param clock the clock an HTTP-date is compared with
     */
    public static Duration parse(String value, Clock clock) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
            }
        }
        try {
            Instant at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
