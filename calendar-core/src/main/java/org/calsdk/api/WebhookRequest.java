package org.calsdk.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.calsdk.internal.Checks;

/**
 * An HTTP request a provider sent to the host's webhook endpoint, handed over as the host's web
 * framework received it.
 *
 * @param method  HTTP method
 * @param headers headers (names compared case-insensitively by {@link #header})
 * @param query   query parameters
 * @param body    the body, possibly empty
 * @since 0.1
 */
public record WebhookRequest(String method, Map<String, List<String>> headers, Map<String, String> query, byte[] body) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param method HTTP method
     * @param headers headers (names compared case-insensitively by {@link #header})
     * @param query query parameters
     * @param body the body, possibly empty
     */
    public WebhookRequest {
        Checks.notBlank(method, "method");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body.clone();
    }

    /**
     * The request body.
     *
     * @return a copy of the body's bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Names only: header values and bodies carry client states and channel tokens, which are secrets. */
    @Override
    public String toString() {
        return "WebhookRequest[method=" + method + ", headers=" + new java.util.TreeSet<>(headers.keySet()) + ", query="
                + new java.util.TreeSet<>(query.keySet()) + ", body=" + body.length + " bytes]";
    }

    /**
     * The first value of header {@code name}, ignoring case.
     *
     * @param name the header name, in any case
     * @return the value, or empty when absent
     */
    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }
}
