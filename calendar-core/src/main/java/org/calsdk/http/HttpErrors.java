package org.calsdk.http;

import java.time.Clock;
import java.time.Duration;
import okhttp3.Headers;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InsufficientStorageException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.internal.RequestIds;
import org.calsdk.http.internal.RetryAfter;
import org.calsdk.internal.Checks;

/**
 * Maps an HTTP status that a provider does not handle itself to the typed SDK exception, with a message
 * that says what to do and an {@link ErrorContext} completed from the response (status, request id,
 * attempts). Response bodies are never copied into messages (they may echo personal data).
 *
 * <pre>{@code
 * HttpResponse r = transport.execute(call);
 * if (r.status() != 207) {
 *     throw HttpErrors.toException(r, ErrorContext.of("caldav").withMailbox(mailbox), "listing calendars");
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class HttpErrors {
    private HttpErrors() {}

    /**
     * As {@link #toException(HttpResponse, ErrorContext, String, Clock)} with the system clock.
     *
     * @param r the response
     * @param ctx what is known already (provider, mailbox); may be null
     * @param whatFailed what was being done, in words; starts the message
     * @return the typed exception, not thrown
     */
    public static CalendarException toException(HttpResponse r, ErrorContext ctx, String whatFailed) {
        return toException(r, ctx, whatFailed, Clock.systemUTC());
    }

    /**
     * The exception for response {@code r}.
     *
     * @param r          the response (any status; a 2xx/3xx gives a plain non-retryable exception)
     * @param ctx        what is known already (provider, mailbox); may be null
     * @param whatFailed what was being done, in words ({@code "reading events"}), starts the message
     * @param clock      compares a {@code Retry-After} HTTP-date with now
     * @return the typed exception (not thrown): {@link org.calsdk.errors.RateLimitedException} for 429, {@link
     *     org.calsdk.errors.ReauthorizationRequiredException} for 401, {@link org.calsdk.errors.NotFoundException}
     *     for 404, {@link org.calsdk.errors.InsufficientStorageException} (not retryable) for 507, and so on
     */
    public static CalendarException toException(HttpResponse r, ErrorContext ctx, String whatFailed, Clock clock) {
        Checks.notNull(r, "response");
        Checks.notBlank(whatFailed, "whatFailed");
        Checks.notNull(clock, "clock");
        ErrorContext c = context(ctx, r.status(), r.headers(), r.attempts());
        int s = r.status();
        String prefix = whatFailed + " failed: ";
        CalendarException e;
        if (s == 400 || s == 422) {
            e = new InvalidInputException(
                    null,
                    prefix + "the provider rejected the request as invalid (HTTP " + s
                            + "); check the input values, retrying the same request will not help",
                    c,
                    null);
        } else if (s == 401) {
            e = new ReauthorizationRequiredException(
                    prefix + "the provider no longer accepts the credentials "
                            + "(HTTP 401); connect the account again or update its password",
                    c);
        } else if (s == 403) {
            e = new PermissionDeniedException(
                    prefix + "the credentials may not do this (HTTP 403); grant the "
                            + "missing permission or scope, or check that the mailbox is in the account's reach",
                    c);
        } else if (s == 404 || s == 410) {
            e = new NotFoundException(
                    prefix + "the resource does not exist or is not visible to these " + "credentials (HTTP " + s
                            + "); check the id or URL",
                    c);
        } else if (s == 409 || s == 412) {
            e = new ConflictException(
                    prefix + "the item changed since it was read (HTTP " + s
                            + "); read it again and retry with the new version",
                    c,
                    r.header("ETag"));
        } else if (s == 429) {
            Duration after = RetryAfter.parse(r.header("Retry-After"), clock);
            e = new RateLimitedException(
                    prefix + "the provider is throttling requests (HTTP 429); wait "
                            + (after == null ? "a while" : after.toSeconds() + " s") + " and send fewer requests",
                    c,
                    after);
        } else if (s == 507) {
            // not transient: the mailbox or account is over its quota, and the same write fails again
            e = new InsufficientStorageException(
                    prefix + "the provider has no storage left for this (HTTP 507 Insufficient Storage); free "
                            + "space in the mailbox or raise its quota, retrying will not help until then",
                    c);
        } else if (s >= 500) {
            e = new ProviderUnavailableException(
                    prefix + "the provider had a server error (HTTP " + s + "); try again later", c);
        } else if (s >= 400) {
            e = new CalendarException(
                    prefix + "the provider refused the request (HTTP " + s
                            + "); this SDK version may not support this server",
                    c,
                    false,
                    null);
        } else if (s >= 300 && s < 400 && r.header("Location") != null) {
            // the SDK follows no redirect of a provider's API with credentials (CalDAV's own redirect handling
            // checks each hop); the message names where it pointed (origin only: a URL may carry secrets)
            e = new PermissionDeniedException(
                    prefix + "the provider redirected (HTTP " + s + ") to " + origin(r.header("Location"))
                            + ", and credentials are not sent after a redirect; configure the URL it redirects to if"
                            + " that server is the provider's",
                    c);
        } else {
            e = new CalendarException(prefix + "unexpected HTTP status " + s + " from the provider", c, false, null);
        }
        return e.withAttempts(r.attempts());
    }

    /** The scheme, host and port of a {@code Location} value, or "an unreadable location". */
    private static String origin(String location) {
        okhttp3.HttpUrl u = okhttp3.HttpUrl.parse(location.strip());
        if (u == null) {
            return location.startsWith("/") ? "another path on the same server" : "an unreadable location";
        }
        return u.scheme() + "://" + u.host()
                + (u.port() == okhttp3.HttpUrl.defaultPort(u.scheme()) ? "" : ":" + u.port());
    }

    /** {@code ctx} completed with the status, the response's request id and the attempts. */
    static ErrorContext context(ErrorContext ctx, int status, Headers headers, int attempts) {
        ErrorContext c = ctx == null ? ErrorContext.NONE : ctx;
        c = c.withStatusCode(status).withAttempts(Math.max(attempts, c.attempts()));
        if (c.requestId() == null && headers != null) {
            c = c.withRequestId(RequestIds.find(headers));
        }
        return c;
    }
}
