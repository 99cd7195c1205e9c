package org.calsdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.testkit.BatchFormat;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;

/**
 * Microsoft Graph JSON batching (learn.microsoft.com/graph/json-batching): {@code {"requests":[...]}} in,
 * {@code {"responses":[...]}} out; JSON bodies travel as JSON values, others as strings. Calls run in the
 * order given ({@code dependsOn} is then always satisfied). Not public API.
 */
public final class GraphBatchFormat implements BatchFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String path;
    private final String prefix;
    private final int max;

    public GraphBatchFormat(String path, int max) {
        this.path = path;
        int slash = path.lastIndexOf('/');
        this.prefix = slash <= 0 ? "" : path.substring(0, slash);
        this.max = max;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String operation() {
        return "batch";
    }

    @Override
    public int maxRequests() {
        return max;
    }

    @Override
    public List<SubRequest> decode(FakeRequest batch) {
        JsonNode root;
        try {
            root = JSON.readTree(batch.body());
        } catch (java.io.IOException e) {
            throw new InvalidInputException("body", "the batch body is not JSON");
        }
        JsonNode requests = root == null ? null : root.get("requests");
        if (requests == null || !requests.isArray()) {
            throw new InvalidInputException("requests", "a batch body is {\"requests\":[...]}");
        }
        if (requests.size() > max) {
            throw new InvalidInputException(
                    "requests", "Too many requests in batch: " + requests.size() + "; at most " + max + " are allowed");
        }
        List<SubRequest> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode r : requests) {
            String id = text(r, "id");
            String method = text(r, "method").toUpperCase(Locale.ROOT);
            String url = text(r, "url");
            if (!ids.add(id)) {
                throw new InvalidInputException("id", "duplicate request id in the batch: " + id);
            }
            Headers.Builder headers = new Headers.Builder();
            JsonNode h = r.get("headers");
            if (h != null && h.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    headers.add(e.getKey(), e.getValue().asText());
                }
            }
            byte[] body = new byte[0];
            JsonNode b = r.get("body");
            if (b != null && !b.isNull()) {
                body = (b.isTextual() ? b.asText() : b.toString()).getBytes(StandardCharsets.UTF_8);
                if (headers.get("Content-Type") == null) {
                    headers.add("Content-Type", "application/json");
                }
            }
            String target = prefix + (url.startsWith("/") ? url : "/" + url);
            HttpUrl resolved = url.contains("://") ? null : batch.url().resolve(target);
            if (resolved == null) {
                throw new InvalidInputException("url", "a batch request URL is relative to " + prefix + ": " + url);
            }
            out.add(new SubRequest(id, method, resolved, headers.build(), body));
        }
        return out;
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r == null ? null : r.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidInputException(field, "each batch request needs \"" + field + "\"");
        }
        return v.asText();
    }

    @Override
    public FakeResponse encode(FakeRequest batch, List<SubResponse> answers) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode responses = root.putArray("responses");
        for (SubResponse a : answers) {
            ObjectNode r = responses.addObject();
            r.put("id", a.id());
            r.put("status", a.answer().status());
            ObjectNode headers = r.putObject("headers");
            a.answer().headers().forEach(headers::put);
            byte[] body = a.answer().body();
            if (body.length > 0) {
                String type = a.answer().headers().entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse("");
                JsonNode parsed = null;
                if (type.contains("json")) {
                    try {
                        parsed = JSON.readTree(body);
                    } catch (java.io.IOException e) {
                        parsed = null;
                    }
                }
                if (parsed != null) {
                    r.set("body", parsed);
                } else {
                    r.put("body", new String(body, StandardCharsets.UTF_8));
                }
            }
        }
        return FakeResponse.json(200, root.toString());
    }
}
