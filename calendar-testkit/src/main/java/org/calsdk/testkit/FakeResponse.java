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
    /**
     * Checks the status and copies the headers and body (null body: empty).
     *
     * @param status HTTP status
     * @param headers response headers (one value each)
     * @param body body bytes, possibly empty
     * @throws org.calsdk.errors.InvalidInputException if {@code status} is outside 100..599
     * @throws NullPointerException if {@code headers} is null
     */
    public FakeResponse {
        Checks.check(status >= 100 && status <= 599, "status", "status must be 100..599, was " + status);
        headers = Map.copyOf(Checks.notNull(headers, "headers"));
        body = body == null ? new byte[0] : body.clone();
    }

    /**
     * An empty answer with {@code status}.
     *
     * @param status the HTTP status, 100 to 599
     * @return the answer, without headers or body
     */
    public static FakeResponse of(int status) {
        return new FakeResponse(status, Map.of(), new byte[0]);
    }

    /**
     * A JSON answer.
     *
     * @param status the HTTP status, 100 to 599
     * @param json the body, sent as UTF-8 with {@code application/json}
     * @return the answer
     */
    public static FakeResponse json(int status, String json) {
        return body(status, "application/json; charset=utf-8", json);
    }

    /**
     * An XML answer ({@code application/xml}).
     *
     * @param status the HTTP status, 100 to 599
     * @param xml the body, sent as UTF-8
     * @return the answer
     */
    public static FakeResponse xml(int status, String xml) {
        return body(status, "application/xml; charset=utf-8", xml);
    }

    /**
     * A plain-text answer.
     *
     * @param status the HTTP status, 100 to 599
     * @param text the body, sent as UTF-8 with {@code text/plain}
     * @return the answer
     */
    public static FakeResponse text(int status, String text) {
        return body(status, "text/plain; charset=utf-8", text);
    }

    /**
     * An answer with a body of {@code contentType}.
     *
     * @param status the HTTP status, 100 to 599
     * @param contentType the {@code Content-Type} header, not blank
     * @param body the body text, sent as UTF-8
     * @return the answer
     * @throws org.calsdk.errors.InvalidInputException if {@code contentType} is blank or {@code status} is out of
     *     range
     */
    public static FakeResponse body(int status, String contentType, String body) {
        Checks.notNull(body, "body");
        return new FakeResponse(
                status,
                Map.of("Content-Type", Checks.notBlank(contentType, "contentType")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The body.
     *
     * @return a copy of the bytes, empty when there is none
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body as text.
     *
     * @return the body decoded as UTF-8
     */
    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * A copy with header {@code name} set to {@code value}.
     *
     * @param name the header name, not blank
     * @param value its value, not null
     * @return the copy; this answer is unchanged
     */
    public FakeResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Checks.notBlank(name, "name"), Checks.notNull(value, "value"));
        return new FakeResponse(status, h, body);
    }
}
