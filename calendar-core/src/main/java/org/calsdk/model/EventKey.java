package org.calsdk.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * The host application's own id for an event it manages (a booking id, an interview id). Every write
 * carries it; each provider maps it to its own idempotency mechanism (Google's client-chosen event id,
 * Graph's {@code transactionId} and an extended property, an EWS extended property, the CalDAV
 * {@code UID}), so a retried create finds the event instead of making a second one.
 *
 * <p>At most 200 characters of printable ASCII, so that every provider can store it.
 *
 * @param value the key text: at most {@value #MAX_LENGTH} characters of printable ASCII, no spaces
 * @since 0.1
 */
public record EventKey(String value) {
    /** The longest key, in characters. */
    public static final int MAX_LENGTH = 200;

    /**
     * Checks the key.
     *
     * @param value at most {@value #MAX_LENGTH} characters of printable ASCII, no spaces
     */
    public EventKey {
        Checks.notBlank(value, "eventKey");
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException("eventKey", "eventKey is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidInputException("eventKey", "eventKey must be printable ASCII without spaces");
            }
        }
    }

    /**
     * The key.
     *
     * @param value at most {@value #MAX_LENGTH} characters of printable ASCII, no spaces
     * @return the key
     * @throws InvalidInputException if {@code value} is blank, too long or not printable ASCII
     */
    public static EventKey of(String value) {
        return new EventKey(value);
    }

    /**
     * The key for an event known by its iCalendar {@code UID}, as an import or a sync from another calendar
     * uses it: the UID itself when it can be a key (printable ASCII, at most {@value #MAX_LENGTH}
     * characters), otherwise {@code uid-sha256-} and the hex SHA-256 of its UTF-8 bytes. The same UID always
     * gives the same key, so writing it again finds the event written before.
     *
     * <pre>{@code
     * EventKey.fromUid("2026-standup@example.com");   // 2026-standup@example.com
     * EventKey.fromUid("réunion d'équipe");            // uid-sha256-5c1e…
     * }</pre>
     *
     * @param uid the event's UID, not blank
     * @return the key derived from it
     */
    public static EventKey fromUid(String uid) {
        Checks.notBlank(uid, "uid");
        if (uid.length() <= MAX_LENGTH && uid.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            return new EventKey(uid);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
            return new EventKey("uid-sha256-" + HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
