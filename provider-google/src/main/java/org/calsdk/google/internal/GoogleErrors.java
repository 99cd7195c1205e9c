package org.calsdk.google.internal;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.HttpErrors;
import org.calsdk.http.HttpResponse;

/**
 * The one place where Google's answers become typed SDK errors. Google says why in the body
 * ({@code error.errors[].reason}): a 403 with {@code rateLimitExceeded}, {@code userRateLimitExceeded}
 * or domain {@code usageLimits} is throttling (not a permission problem); 404 and 410 {@code deleted} are
 * gone; 409 and 412 are conflicts; everything else goes through the core's {@link HttpErrors}. Bodies are
 * read for the reason only and never copied into messages.
 */
public final class GoogleErrors {
    private static final Set<String> RATE_REASONS =
            Set.of("rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded");

    private GoogleErrors() {}

    /** The first {@code reason} of a Google error body, or "" when there is none. */
    public static String reason(HttpResponse r) {
        return reason(r.body());
    }

    static String reason(byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return "";
        }
        try {
            Map<String, Object> root = Json.object(body, ErrorContext.NONE);
            Map<String, Object> error = Json.map(root, "error");
            for (Map<String, Object> e : Json.objects(error, "errors")) {
                String reason = Json.str(e, "reason");
                if (reason != null) {
                    return reason;
                }
            }
            String s = Json.str(root, "error");
            return s != null && error == null ? s : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Whether the answer is Google throttling: 429, or 403 with a rate-limit reason. */
    public static boolean isRateLimited(HttpResponse r) {
        return r.status() == 429 || (r.status() == 403 && isRateReason(r));
    }

    private static boolean isRateReason(HttpResponse r) {
        String reason = reason(r);
        if (RATE_REASONS.contains(reason)) {
            return true;
        }
        String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        return body.contains("\"usageLimits\"");
    }

    /** The exception for an answer the caller does not handle itself. */
    public static CalendarException toException(HttpResponse r, ErrorContext ctx, String whatFailed, Clock clock) {
        ErrorContext c = ctx.withStatusCode(r.status()).withAttempts(r.attempts());
        String prefix = whatFailed + " failed: ";
        if (isRateLimited(r) && r.status() == 403) {
            return new RateLimitedException(
                            prefix + "Google's quota for this user or project is used up (HTTP 403 " + reason(r)
                                    + "); wait and send fewer requests",
                            c,
                            null)
                    .withAttempts(r.attempts());
        }
        String reason = reason(r);
        if (r.status() == 404 || (r.status() == 410 && !"fullSyncRequired".equals(reason))) {
            return new NotFoundException(
                            prefix + "Google has no such calendar or event, or these credentials cannot "
                                    + "see it (HTTP " + r.status() + (reason.isEmpty() ? "" : " " + reason) + ")",
                            c)
                    .withAttempts(r.attempts());
        }
        if (r.status() == 409 || r.status() == 412) {
            return new ConflictException(
                    prefix + "the event changed since it was read (HTTP " + r.status()
                            + "); read it again and retry with its new etag",
                    c);
        }
        if (r.status() == 403 && "forbiddenForNonOrganizer".equals(reason)) {
            return new org.calsdk.errors.PermissionDeniedException(
                    prefix + "only the organizer may change this " + "(HTTP 403 forbiddenForNonOrganizer)", c);
        }
        if (r.status() >= 500) {
            return new ProviderUnavailableException(
                            prefix + "Google had a server error (HTTP " + r.status() + "); try again later", c)
                    .withAttempts(r.attempts());
        }
        return HttpErrors.toException(r, ctx, whatFailed, clock);
    }
}
