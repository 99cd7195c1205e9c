package org.calsdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.calsdk.internal.Checks;

/**
 * What a fake answers: status, headers and body. Immutable; {@link #withHeader} returns a copy.
 *
 * <pre>{@code
 * return FakeResponse.json(200, "{\"items\":[]}").withHeader("ETag", "\"v1\"");
 * }</pre>
 *
 * @param status  HTTP status
 * @param headers response headers (one value each)
 * @param body    body bytes, possibly empty
 * @since 0.1
 */
public record FakeResponse(int status, Map<String, String> headers, byte[] body) {
    public FakeResponse {
        Checks.check(status >= 100 && status <= 599, "status", "status must be 100..599, was " + status);
        headers = Map.copyOf(Checks.notNull(headers, "headers"));
        body = body == null ? new byte[0] : body.clone();
    }

    /** An empty answer with {@code status}. */
    public static FakeResponse of(int status) {
        return new FakeResponse(status, Map.of(), new byte[0]);
    }

    /** A JSON answer. */
    public static FakeResponse json(int status, String json) {
        return body(status, "application/json; charset=utf-8", json);
    }

    /** An XML answer ({@code application/xml}). */
    public static FakeResponse xml(int status, String xml) {
        return body(status, "application/xml; charset=utf-8", xml);
    }

    /** A plain-text answer. */
    public static FakeResponse text(int status, String text) {
        return body(status, "text/plain; charset=utf-8", text);
    }

    /** An answer with a body of {@code contentType}. */
    public static FakeResponse body(int status, String contentType, String body) {
        Checks.notNull(body, "body");
        return new FakeResponse(status, Map.of("Content-Type", Checks.notBlank(contentType, "contentType")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A copy with header {@code name} set to {@code value}. */
    public FakeResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Checks.notBlank(name, "name"), Checks.notNull(value, "value"));
        return new FakeResponse(status, h, body);
    }
}
