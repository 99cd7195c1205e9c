package org.calsdk.google.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;

/**
 * Event ids. A host's {@link EventKey} becomes the Google event id {@code calsdk} + the key's bytes in
 * base32hex (lower case, no padding): Google lets a client choose the id of a new event from exactly
 * these characters ({@code a-v}, {@code 0-9}, 5 to 1024 of them), so a create retried after a lost answer
 * names the same event and gets 409 instead of making a second one; and the key can be read back from
 * the id of a deleted event, whose body Google no longer sends.
 */
public final class Ids {
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuv";
    private static final String PREFIX = "calsdk";
    private static final DateTimeFormatter BASIC_UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private Ids() {}

    /** The Google event id for {@code key}. */
    public static String forKey(EventKey key) {
        byte[] b = key.value().getBytes(StandardCharsets.US_ASCII);
        StringBuilder sb = new StringBuilder(PREFIX);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** The key an id made by {@link #forKey} stands for; empty for any other id. */
    public static Optional<EventKey> keyOf(String id) {
        if (id == null || !id.startsWith(PREFIX) || id.length() == PREFIX.length() || id.indexOf('_') >= 0) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (int i = PREFIX.length(); i < id.length(); i++) {
            int v = ALPHABET.indexOf(id.charAt(i));
            if (v < 0) {
                return Optional.empty();
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        try {
            String s = out.toString(StandardCharsets.US_ASCII);
            return forKey(EventKey.of(s)).equals(id) ? Optional.of(EventKey.of(s)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The id Google gives the occurrence of series {@code masterId} originally starting at {@code rid}. */
    public static String instance(String masterId, EventTime rid) {
        if (rid instanceof EventTime.AllDay d) {
            return masterId + "_" + d.date().format(BASIC_DATE);
        }
        return masterId + "_" + BASIC_UTC.format(rid.toInstant(ZoneOffset.UTC));
    }
}
