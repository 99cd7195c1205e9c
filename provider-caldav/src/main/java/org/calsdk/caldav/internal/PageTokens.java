package org.calsdk.caldav.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import okhttp3.HttpUrl;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.TimeWindow;

/**
 * Page tokens of {@code EventReader.list}: the ids (hrefs) of the resources of the window that are still to
 * be handed out, so a later page costs one {@code calendar-multiget} of its own resources instead of a
 * new read of the whole window.
 *
 * <p>Format: {@code p1.} + base64url( 12-byte check ‖ deflate( count, names ) ). A name is the href
 * relative to the calendar when it lies directly inside it (the usual case), else the whole id. The check
 * is a truncated SHA-256 over the calendar URL, the window and the names: a token altered, truncated, or
 * used with another calendar or window is refused ({@code InvalidInputException} on {@code pageToken}).
 * It is not a secret MAC (tokens must survive a restart of the host, so there is no key): a deliberately
 * forged token can only name resources on the account's own server (every name passes the same check as
 * an event id given to {@code get}), read with the connected account's own credentials.
 *
 * <p>Size: a few bytes per remaining resource after compression (about 20-30 for UUID-named resources);
 * decoding is bounded ({@link #MAX_TOKEN_CHARS}, {@link #MAX_INFLATED_BYTES}).
 */
final class PageTokens {
    static final String PREFIX = "p1.";
    static final int MAX_TOKEN_CHARS = 4 << 20;
    static final int MAX_INFLATED_BYTES = 16 << 20;
    private static final int CHECK_BYTES = 12;

    private PageTokens() {}

    /** The token for the resources {@code ids} (in order) still to be listed, or null when there are none. */
    static String encode(HttpUrl calendar, TimeWindow window, List<String> ids) {
        if (ids.isEmpty()) {
            return null;
        }
        String base = calendar.encodedPath();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(ids.size());
            for (String id : ids) {
                String rest = id.startsWith(base) ? id.substring(base.length()) : "";
                byte[] name = (!rest.isEmpty() && !rest.contains("/") ? rest : id).getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] payload = raw.toByteArray();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        packed.writeBytes(check(calendar, window, payload));
        try {
            deflater.setInput(payload);
            deflater.finish();
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                packed.write(buf, 0, n);
            }
        } finally {
            deflater.end();
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(packed.toByteArray());
    }

    /**
     * The resource ids a token names, each checked to lie on the account's server (through
     * {@code toId}, which resolves a bare name inside the calendar and refuses ids leaving the origin).
     */
    static List<String> decode(
            String token,
            HttpUrl calendar,
            TimeWindow window,
            java.util.function.Function<String, String> toId,
            ErrorContext ctx) {
        if (token.length() > MAX_TOKEN_CHARS || !token.startsWith(PREFIX)) {
            throw invalid("not a page token of this provider", ctx);
        }
        byte[] packed;
        try {
            packed = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw invalid("not a page token of this provider (not base64url)", ctx);
        }
        if (packed.length <= CHECK_BYTES) {
            throw invalid("truncated page token", ctx);
        }
        byte[] payload = inflate(Arrays.copyOfRange(packed, CHECK_BYTES, packed.length), ctx);
        if (!MessageDigest.isEqual(Arrays.copyOf(packed, CHECK_BYTES), check(calendar, window, payload))) {
            throw invalid("the page token was altered, or belongs to another calendar or window", ctx);
        }
        List<String> ids = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            int count = in.readInt();
            if (count < 1 || count > payload.length / 5) {
                throw invalid("page token with an impossible count", ctx);
            }
            for (int i = 0; i < count; i++) {
                int len = in.readInt();
                if (len < 1 || len > in.available()) {
                    throw invalid("page token with an impossible name length", ctx);
                }
                String name = new String(in.readNBytes(len), StandardCharsets.UTF_8);
                try {
                    ids.add(toId.apply(name));
                } catch (InvalidInputException e) {
                    throw invalid("the page token names a resource outside the account's server", ctx);
                }
            }
            if (in.available() != 0) {
                throw invalid("page token with trailing data", ctx);
            }
        } catch (EOFException e) {
            throw invalid("truncated page token", ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    private static byte[] inflate(byte[] data, ErrorContext ctx) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw invalid("truncated page token", ctx);
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    throw invalid("page token too large", ctx);
                }
            }
            if (inflater.getRemaining() != 0) {
                throw invalid("page token with trailing data", ctx);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw invalid("not a page token of this provider (corrupt)", ctx);
        } finally {
            inflater.end();
        }
    }

    private static byte[] check(HttpUrl calendar, TimeWindow window, byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("calsdk-caldav-page-v1\n" + calendar + "\n" + window.start() + "\n" + window.end() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(payload);
            return Arrays.copyOf(sha.digest(), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static InvalidInputException invalid(String why, ErrorContext ctx) {
        return new InvalidInputException("pageToken", "pageToken: " + why, ctx, null);
    }
}
