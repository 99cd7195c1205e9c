package org.calsdk.caldav.internal;

import java.nio.charset.StandardCharsets;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * One HTTP answer, body fully read.
 *
 * @param status  HTTP status
 * @param headers response headers
 * @param body    body bytes (bounded by the transport)
 * @param url      the URL that answered
 * @param attempts attempts the transport made
 */
public record DavResponse(int status, Headers headers, byte[] body, HttpUrl url, int attempts) {
    public DavResponse {
        body = body == null ? new byte[0] : body;
    }

    /** As the transport's response type, for {@link org.calsdk.http.HttpErrors}. */
    public org.calsdk.http.HttpResponse toHttpResponse() {
        return new org.calsdk.http.HttpResponse(status, headers, body, attempts);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    public boolean isRedirect() {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The ETag header, or null. */
    public String etag() {
        return headers.get("ETag");
    }
}
