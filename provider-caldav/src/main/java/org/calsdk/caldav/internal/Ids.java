package org.calsdk.caldav.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.EventKey;

/**
 * Ids of calendars and events (their hrefs), and the UID derived from a host's {@link EventKey}.
 *
 * <p>Calendar and event ids are the collection/resource paths the server gave ({@code /alice/work/},
 * {@code /alice/work/booking-42.ics}); absolute URLs only when the server lives on another host than
 * the home set. A caller-supplied id is resolved against the account's home set and must stay on the
 * account's host: an id cannot send the account's credentials anywhere else.
 */
public final class Ids {
    private static final String SAFE = "[A-Za-z0-9._@+=-]{1,200}";
    static final String ENCODED_PREFIX = "calsdk~";

    private Ids() {}

    /**
     * The UID for events created with {@code key}: the key itself when it is made only of characters
     * that are safe in a UID and a URL path ({@code A-Z a-z 0-9 . _ @ + = -}), else {@code calsdk~} and
     * the key in base64url. Deterministic, so a retried create finds the first one's event.
     */
    public static String uidFor(EventKey key) {
        String v = key.value();
        if (v.matches(SAFE) && !v.startsWith(ENCODED_PREFIX)) {
            return v;
        }
        return ENCODED_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(v.getBytes(StandardCharsets.US_ASCII));
    }

    /** The key a UID was derived from, when it was derived by {@link #uidFor} from an encoded key. */
    public static Optional<EventKey> keyFromEncodedUid(String uid) {
        if (uid == null || !uid.startsWith(ENCODED_PREFIX)) {
            return Optional.empty();
        }
        try {
            String v = new String(
                    Base64.getUrlDecoder().decode(uid.substring(ENCODED_PREFIX.length())), StandardCharsets.US_ASCII);
            return Optional.of(EventKey.of(v));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The resource name for a UID: the UID itself when path-safe, else a SHA-256 of it; plus {@code .ics}. */
    public static String resourceName(String uid) {
        if (uid.matches(SAFE)) {
            return uid + ".ics";
        }
        return "u-" + DigestAuth.hash("SHA-256", uid) + ".ics";
    }

    /** The id for a URL: its path when on the home set's origin, else the absolute URL. */
    public static String idOf(HttpUrl url, HttpUrl home) {
        if (sameOrigin(url, home)) {
            return url.encodedPath();
        }
        return url.toString();
    }

    /** Resolves a caller-supplied id against the home set, refusing ids that leave its origin. */
    public static HttpUrl resolve(String id, HttpUrl home, String field, ErrorContext ctx) {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException(field, field + " must not be blank", ctx, null);
        }
        HttpUrl u;
        if (id.startsWith("/") && !id.startsWith("//")) {
            u = home.resolve(id);
        } else if (id.startsWith("https://") || id.startsWith("http://")) {
            u = HttpUrl.parse(id);
        } else {
            throw new InvalidInputException(
                    field,
                    field + " must be a CalDAV path such as /user/calendar/ (as " + "returned by this provider), not '"
                            + id + "'",
                    ctx,
                    null);
        }
        if (u == null || !sameOrigin(u, home)) {
            throw new InvalidInputException(
                    field, field + " must name a resource on the account's server " + home.host(), ctx, null);
        }
        if (u.encodedPathSegments().contains("..") || id.contains("/../") || id.endsWith("/..")) {
            throw new InvalidInputException(field, field + " must not contain '..'", ctx, null);
        }
        return u;
    }

    /** Resolves a server-supplied href against the URL that answered. */
    public static HttpUrl resolveHref(HttpUrl base, String href, ErrorContext ctx) {
        HttpUrl u = base.resolve(href);
        if (u == null) {
            throw new MalformedDataException("the server sent an unusable href: '" + href + "'", ctx, null);
        }
        return u;
    }

    static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    /** {@code url} as a collection URL (ending in a slash). */
    public static HttpUrl asCollection(HttpUrl url) {
        String p = url.encodedPath();
        return p.endsWith("/") ? url : url.newBuilder().encodedPath(p + "/").build();
    }
}
