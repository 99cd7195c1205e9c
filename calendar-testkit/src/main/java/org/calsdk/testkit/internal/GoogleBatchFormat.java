package org.calsdk.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.MultipartReader;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSource;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.testkit.BatchFormat;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;

/**
 * Google's multipart/mixed HTTP batch (developers.google.com/calendar/api/guides/batch): parts of type
 * {@code application/http}, each an HTTP request with a {@code Content-ID}; the answer's parts carry
 * {@code Content-ID: <response-ID>}. Parsing uses OkHttp's {@link MultipartReader}. Not public API.
 */
public final class GoogleBatchFormat implements BatchFormat {
    private static final int MAX_HEADER_LINES = 200;
    private final String path;
    private final int max;

    public GoogleBatchFormat(String path, int max) {
        this.path = path;
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
        MediaType type = MediaType.parse(batch.header("Content-Type").orElse(""));
        String boundary = type == null ? null : type.parameter("boundary");
        if (type == null || !"multipart".equals(type.type()) || boundary == null) {
            throw new InvalidInputException("Content-Type", "a batch request is multipart/mixed with a boundary");
        }
        List<SubRequest> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(batch.body()), boundary)) {
            for (MultipartReader.Part next = reader.nextPart(); next != null; next = reader.nextPart()) {
                try (MultipartReader.Part part = next) {
                    if (out.size() >= max) {
                        throw new InvalidInputException("batch", "a batch holds at most " + max + " calls");
                    }
                    String id = part.headers().get("Content-ID");
                    id = id == null
                            ? Integer.toString(out.size() + 1)
                            : id.strip().replaceAll("^<|>$", "");
                    if (!ids.add(id)) {
                        throw new InvalidInputException("Content-ID", "duplicate Content-ID in the batch: " + id);
                    }
                    out.add(parseHttp(id, part.body(), batch.url()));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException("batch", "unreadable multipart batch: " + e.getMessage());
        }
        return out;
    }

    private static SubRequest parseHttp(String id, BufferedSource in, HttpUrl base) throws IOException {
        String requestLine = in.readUtf8Line();
        while (requestLine != null && requestLine.isBlank()) {
            requestLine = in.readUtf8Line();
        }
        if (requestLine == null) {
            throw new InvalidInputException("batch", "part " + id + " holds no HTTP request");
        }
        String[] words = requestLine.strip().split(" +");
        if (words.length < 2) {
            throw new InvalidInputException("batch", "part " + id + ": not an HTTP request line: " + requestLine);
        }
        Headers.Builder headers = new Headers.Builder();
        String line;
        int n = 0;
        while ((line = in.readUtf8Line()) != null && !line.isEmpty()) {
            if (++n > MAX_HEADER_LINES) {
                throw new InvalidInputException("batch", "part " + id + " has too many headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException("batch", "part " + id + ": bad header line");
            }
            headers.add(
                    line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        byte[] body = in.readByteArray();
        String target = words[1];
        HttpUrl absolute = HttpUrl.parse(target);
        HttpUrl url;
        if (absolute != null) {
            url = absolute.newBuilder()
                    .scheme(base.scheme())
                    .host(base.host())
                    .port(base.port())
                    .build();
        } else {
            url = base.resolve(target.startsWith("/") ? target : "/" + target);
        }
        if (url == null) {
            throw new InvalidInputException("batch", "part " + id + ": not a request target: " + target);
        }
        return new SubRequest(id, words[0].toUpperCase(Locale.ROOT), url, headers.build(), body);
    }

    @Override
    public FakeResponse encode(FakeRequest batch, List<SubResponse> answers) {
        String boundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
        MultipartBody.Builder mb = new MultipartBody.Builder(boundary).setType(MultipartBody.MIXED);
        for (SubResponse a : answers) {
            StringBuilder http = new StringBuilder("HTTP/1.1 ")
                    .append(a.answer().status())
                    .append(' ')
                    .append(HttpStatus.reason(a.answer().status()))
                    .append("\r\n");
            for (Map.Entry<String, String> h : a.answer().headers().entrySet()) {
                http.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            http.append("Content-Length: ").append(a.answer().body().length).append("\r\n\r\n");
            Buffer part =
                    new Buffer().writeUtf8(http.toString()).write(a.answer().body());
            mb.addPart(
                    Headers.of("Content-ID", "<response-" + a.id() + ">"),
                    RequestBody.create(part.readByteArray(), MediaType.get("application/http")));
        }
        if (answers.isEmpty()) {
            return FakeResponse.body(200, "multipart/mixed; boundary=" + boundary, "--" + boundary + "--\r\n");
        }
        Buffer out = new Buffer();
        try {
            mb.build().writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return new FakeResponse(
                200, Map.of("Content-Type", "multipart/mixed; boundary=" + boundary), out.readByteArray());
    }

    /** The UTF-8 bytes of {@code s}. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
