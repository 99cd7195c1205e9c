package org.calsdk.testkit.google;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Google's multipart HTTP batch ({@code POST /batch/calendar/v3}, {@code multipart/mixed}): each part is
 * an {@code application/http} request (request line, headers, body); the answer is a
 * {@code multipart/mixed} of {@code application/http} responses in the same order, each with the
 * {@code Content-ID} of its request prefixed by {@code response-}.
 */
final class GoogleBatch {
    private GoogleBatch() {}

    /** One inner request. */
    record Part(String contentId, String method, String target, Headers headers, byte[] body) {}

    /** One inner response. */
    record Answer(String contentId, int status, String contentType, byte[] body, Headers extra) {}

    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            throw new GoogleError(400, "badContent", "A batch request must be multipart/mixed.");
        }
        for (String p : contentType.split(";")) {
            String s = p.strip();
            if (s.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = s.substring(9);
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        throw new GoogleError(400, "badContent", "The multipart/mixed batch request has no boundary.");
    }

    static List<Part> parse(byte[] body, String boundary, int maxParts) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<Part> parts = new ArrayList<>();
        int pos = text.indexOf(delimiter);
        if (pos < 0) {
            throw new GoogleError(400, "badContent", "The batch request has no parts.");
        }
        while (true) {
            int start = pos + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int next = text.indexOf(delimiter, start);
            if (next < 0) {
                throw new GoogleError(400, "badContent", "The batch request is not terminated.");
            }
            if (parts.size() == maxParts) {
                throw new GoogleError(
                        400, "limitExceeded", "A batch request may contain at most " + maxParts + " calls.");
            }
            String raw = text.substring(start, next);
            raw = raw.startsWith("\r\n") ? raw.substring(2) : raw.startsWith("\n") ? raw.substring(1) : raw;
            if (raw.endsWith("\r\n")) {
                raw = raw.substring(0, raw.length() - 2);
            } else if (raw.endsWith("\n")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            parts.add(part(raw));
            pos = next;
        }
        return parts;
    }

    private static Part part(String raw) {
        String[] outer = splitHead(raw);
        Headers partHeaders = headers(outer[0]);
        String inner = outer[1];
        String[] innerSplit = splitHead(inner);
        String[] lines = innerSplit[0].split("\r?\n", 2);
        String[] requestLine = lines[0].strip().split(" ");
        if (requestLine.length < 2) {
            throw new GoogleError(400, "badContent", "A batch part has no request line.");
        }
        Headers h = headers(lines.length > 1 ? lines[1] : "");
        byte[] body = innerSplit[1].getBytes(StandardCharsets.ISO_8859_1);
        String cid = partHeaders.get("Content-ID");
        return new Part(cid, requestLine[0].toUpperCase(Locale.ROOT), requestLine[1], h, body);
    }

    private static String[] splitHead(String s) {
        int i = s.indexOf("\r\n\r\n");
        int skip = 4;
        int j = s.indexOf("\n\n");
        if (i < 0 || (j >= 0 && j < i)) {
            i = j;
            skip = 2;
        }
        if (i < 0) {
            return new String[] {s, ""};
        }
        return new String[] {s.substring(0, i), s.substring(i + skip)};
    }

    private static Headers headers(String block) {
        Headers.Builder b = new Headers.Builder();
        for (String line : block.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                b.addUnsafeNonAscii(
                        line.substring(0, colon).strip(),
                        line.substring(colon + 1).strip());
            }
        }
        return b.build();
    }

    /** The URL of an inner request's target (a path, or an absolute URL) on {@code base}. */
    static HttpUrl url(HttpUrl base, String target) {
        HttpUrl u = target.startsWith("http://") || target.startsWith("https://")
                ? HttpUrl.parse(target)
                : base.resolve(target);
        if (u == null) {
            throw new GoogleError(400, "badContent", "A batch part has an invalid target.");
        }
        return base.newBuilder()
                .encodedPath(u.encodedPath())
                .encodedQuery(u.encodedQuery())
                .build();
    }

    /** The multipart answer and its boundary. */
    static String[] write(List<Answer> answers) {
        String boundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
        StringBuilder sb = new StringBuilder();
        for (Answer a : answers) {
            sb.append("--").append(boundary).append("\r\n");
            sb.append("Content-Type: application/http\r\n");
            if (a.contentId() != null) {
                String id = a.contentId().strip();
                id = id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
                sb.append("Content-ID: <response-").append(id).append(">\r\n");
            }
            sb.append("\r\n");
            sb.append("HTTP/1.1 ")
                    .append(a.status())
                    .append(' ')
                    .append(reason(a.status()))
                    .append("\r\n");
            if (a.contentType() != null) {
                sb.append("Content-Type: ").append(a.contentType()).append("\r\n");
            }
            a.extra()
                    .forEach(p -> sb.append(p.getFirst())
                            .append(": ")
                            .append(p.getSecond())
                            .append("\r\n"));
            sb.append("Content-Length: ").append(a.body().length).append("\r\n\r\n");
            sb.append(new String(a.body(), StandardCharsets.UTF_8)).append("\r\n");
        }
        sb.append("--").append(boundary).append("--\r\n");
        return new String[] {sb.toString(), boundary};
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 412 -> "Precondition Failed";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Status";
        };
    }
}
