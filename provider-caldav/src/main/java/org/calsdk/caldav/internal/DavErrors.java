package org.calsdk.caldav.internal;

import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.http.HttpErrors;

/** Maps a status the CalDAV code does not handle itself to a typed exception (via {@link HttpErrors}). */
public final class DavErrors {
    private DavErrors() {}

    public static CalendarException toException(DavResponse r, ErrorContext ctx, String whatFailed) {
        return HttpErrors.toException(r.toHttpResponse(), ctx, whatFailed);
    }
}
