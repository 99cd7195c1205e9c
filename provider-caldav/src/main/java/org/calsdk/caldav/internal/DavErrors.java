package org.calsdk.caldav.internal;

import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.ReauthorizationRequiredException;

/** Maps a status the CalDAV code does not handle itself to a typed exception. */
public final class DavErrors {
    private DavErrors() {}

    public static CalendarException toException(DavResponse r, ErrorContext ctx, String whatFailed) {
        ErrorContext c = ctx.withStatusCode(r.status());
        int s = r.status();
        String prefix = whatFailed + " failed: ";
        if (s == 400 || s == 422) {
            return new InvalidInputException(null, prefix + "the server rejected the request as invalid (HTTP " + s + ")",
                    c, null);
        }
        if (s == 401) {
            return new ReauthorizationRequiredException(prefix + "the server no longer accepts the credentials "
                    + "(HTTP 401); update the (app-specific) password", c);
        }
        if (s == 403) {
            return new PermissionDeniedException(prefix + "the account may not do this (HTTP 403)", c);
        }
        if (s == 404 || s == 410) {
            return new NotFoundException(prefix + "no such calendar or event (HTTP " + s + ")", c);
        }
        if (s == 409 || s == 412) {
            return new ConflictException(prefix + "the item changed since it was read (HTTP " + s + ")", c,
                    r.etag());
        }
        if (s >= 500) {
            return new ProviderUnavailableException(prefix + "the server had an error (HTTP " + s + "); try again later", c);
        }
        return new CalendarException(prefix + "unexpected HTTP status " + s + " from the CalDAV server", c, false, null);
    }
}
