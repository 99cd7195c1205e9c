package org.calsdk.testkit.memory.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Opaque tokens (page tokens, cursors): '|'-separated fields, base64url-encoded. Not public API. */
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
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The fields, or empty when the token is not one of ours or has the wrong number of fields. */
    static Optional<List<String>> decode(String prefix, String token, int fields) {
        if (token == null || !token.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token.substring(prefix.length())), StandardCharsets.UTF_8);
            List<String> parts = List.of(raw.split("\\|", -1));
            return parts.size() == fields ? Optional.of(parts) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
