package org.calsdk.testkit.memory.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Opaque tokens (page tokens, cursors): '|'-separated fields and a CRC-32 of them, base64url-encoded, so
 * that a damaged or hand-made token is recognised as not ours. Not public API.
 */
final class Tokens {
    private Tokens() {}

    static String encode(String prefix, Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (Object f : fields) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            String s = String.valueOf(f);
            if (s.indexOf('|') >= 0) {
                throw new IllegalArgumentException("token field contains '|'");
            }
            sb.append(s);
        }
        String payload = sb.toString();
        String sealed = payload + "|" + crc(payload);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed.getBytes(StandardCharsets.UTF_8));
    }

    private static String crc(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /** The fields, or empty when the token is not one of ours or has the wrong number of fields. */
    static Optional<List<String>> decode(String prefix, String token, int fields) {
        if (token == null || !token.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            String raw =
                    new String(Base64.getUrlDecoder().decode(token.substring(prefix.length())), StandardCharsets.UTF_8);
            int bar = raw.lastIndexOf('|');
            if (bar < 0 || !raw.substring(bar + 1).equals(crc(raw.substring(0, bar)))) {
                return Optional.empty();
            }
            List<String> parts = List.of(raw.substring(0, bar).split("\\|", -1));
            return parts.size() == fields ? Optional.of(parts) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
