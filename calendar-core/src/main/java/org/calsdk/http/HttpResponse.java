package org.calsdk.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import okhttp3.Headers;
import okhttp3.MediaType;
import org.calsdk.internal.Checks;

/**
 * A fully read HTTP response returned by {@link HttpTransport#execute(HttpCall)}: the status, headers,
 * the whole body (bounded by the transport's {@code maxResponseBytes}) and how many attempts it took.
 * The body array is the caller's to keep; do not modify it.
 *
 * @param status   HTTP status code
 * @param headers  response headers
 * @param body     the body bytes (empty when there was none)
 * @param attempts attempts made for the call, the first included
 * @since 0.1
 */
public record HttpResponse(int status, Headers headers, byte[] body, int attempts) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param status HTTP status code
     * @param headers response headers
     * @param body the body bytes (empty when there was none)
     * @param attempts attempts made for the call, the first included
     */
    public HttpResponse {
        Checks.notNull(headers, "headers");
        body = body == null ? new byte[0] : body;
        attempts = Math.max(1, attempts);
    }

    /**
     * The body decoded with the charset of its {@code Content-Type}, UTF-8 when none is given.
     *
     * @return the text; malformed bytes replaced
     */
    public String bodyString() {
        Charset charset = StandardCharsets.UTF_8;
        String type = headers.get("Content-Type");
        if (type != null) {
            MediaType mt = MediaType.parse(type);
            if (mt != null) {
                charset = mt.charset(StandardCharsets.UTF_8);
            }
        }
        return new String(body, charset);
    }

    /**
     * The last value of header {@code name} (case-insensitive), or null.
     *
     * @param name the header name, in any case
     * @return the value, or null when absent
     */
    public String header(String name) {
        return headers.get(Checks.notNull(name, "name"));
    }

    /**
     * Whether the status is 2xx.
     *
     * @return true for 200 to 299
     */
    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse r
                && r.status == status
                && r.attempts == attempts
                && r.headers.equals(headers)
                && Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    /** Status, attempts and body size only: headers may carry cookies and bodies personal data. */
    @Override
    public String toString() {
        return "HttpResponse[status=" + status + ", bodyBytes=" + body.length + ", attempts=" + attempts + "]";
    }
}
