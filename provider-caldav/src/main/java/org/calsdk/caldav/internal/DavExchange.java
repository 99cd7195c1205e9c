package org.calsdk.caldav.internal;

import okhttp3.Request;

/**
 * Executes one HTTP request without following redirects: statuses 2xx, 3xx and 4xx other than 401
 * come back as {@link DavResponse}; 401 (after one credential refresh), throttling and server failures
 * beyond the retry budget become typed exceptions.
 */
public interface DavExchange extends AutoCloseable {

    /**
     * @param request   the request (no Authorization header yet)
     * @param operation a short name for accounting ({@code propfind}, {@code calendar-query}, ...)
     * @param authorize whether to send the connection's credentials with it
     */
    DavResponse execute(Request request, String operation, boolean authorize);

    @Override
    void close();
}
