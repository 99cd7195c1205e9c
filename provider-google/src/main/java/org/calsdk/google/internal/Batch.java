package org.calsdk.google.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;

/**
 * Google's multipart HTTP batch: many API calls in one {@code multipart/mixed} request, each an
 * {@code application/http} part; the answer carries one {@code application/http} response per part,
 * matched back by {@code Content-ID}. At most {@link #MAX_CALLS} calls per batch.
 */
public final class Batch {
    /** Google's limit of calls per batch request. */
    public static final int MAX_CALLS = 1000;

    private Batch() {}

    /** One call: method, path with query (from the API root, e.g. {@code /calendar/v3/freeBusy}), JSON body or null. */
    public record Call(String method, String pathAndQuery, byte[] body) {}

    /** The answer to one call. */
    public record Answer(int status, Headers headers, byte[] body) {}

    /** The request body and its boundary. */
    static String[] encode(List<Call> calls) {
        // a random boundary that occurs in no part (RFC 2046 5.1.1: parts may carry text an app's users wrote);
        // no SecureRandom needed, whose seeding loads the security providers on a command-line run's critical path
        List<String> bodies = new java.util.ArrayList<>(calls.size());
        for (Call c : calls) {
            bodies.add(c.body() == null ? null : new String(c.body(), StandardCharsets.UTF_8));
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        String boundary;
        do {
            boundary = "calsdk_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        } while (occursIn(calls, bodies, boundary));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            sb.append("--").append(boundary).append("\r\n");
            sb.append("Content-Type: application/http\r\n");
            sb.append("Content-ID: <item").append(i).append(">\r\n\r\n");
            sb.append(c.method()).append(' ').append(c.pathAndQuery()).append(" HTTP/1.1\r\n");
            if (c.body() != null) {
                sb.append("Content-Type: application/json; charset=UTF-8\r\n");
                sb.append("Content-Length: ").append(c.body().length).append("\r\n\r\n");
                sb.append(bodies.get(i)).append("\r\n");
            } else {
                sb.append("\r\n");
            }
        }
        sb.append("--").append(boundary).append("--\r\n");
        return new String[] {sb.toString(), boundary};
    }

    private static boolean occursIn(List<Call> calls, List<String> bodies, String boundary) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).pathAndQuery().contains(boundary)
                    || (bodies.get(i) != null && bodies.get(i).contains(boundary))) {
                return true;
            }
        }
        return false;
    }

    /** The answers in call order; a missing answer is a malformed batch response. */
    static List<Answer> decode(String contentType, byte[] body, int calls, ErrorContext ctx) {
        String boundary = boundary(contentType, ctx);
        String text = new String(body, StandardCharsets.UTF_8);
        String delimiter = "--" + boundary;
        Map<Integer, Answer> byIndex = new HashMap<>();
        List<Answer> inOrder = new ArrayList<>();
        int pos = text.indexOf(delimiter);
        while (pos >= 0) {
            int start = pos + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int next = text.indexOf(delimiter, start);
            if (next < 0) {
                throw malformed("it is cut off", ctx);
            }
            String part = trimCrlf(text.substring(start, next));
            String[] outer = head(part);
            Headers partHeaders = headers(outer[0]);
            String[] inner = head(outer[1]);
            String[] statusAndHeaders = inner[0].split("\r?\n", 2);
            String[] statusLine = statusAndHeaders[0].strip().split(" ");
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw malformed("a part has no status line", ctx);
            }
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw malformed("a part has no status", ctx);
            }
            Answer a = new Answer(
                    status,
                    headers(statusAndHeaders.length > 1 ? statusAndHeaders[1] : ""),
                    inner[1].getBytes(StandardCharsets.UTF_8));
            Integer index = index(partHeaders.get("Content-ID"));
            if (index != null) {
                byIndex.put(index, a);
            }
            inOrder.add(a);
            pos = next;
        }
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Answer a = byIndex.get(i);
            if (a == null && byIndex.isEmpty() && inOrder.size() == calls) {
                a = inOrder.get(i);
            }
            if (a == null) {
                throw malformed("the answer to call " + i + " is missing", ctx);
            }
            out.add(a);
        }
        return out;
    }

    private static Integer index(String contentId) {
        if (contentId == null) {
            return null;
        }
        String s = contentId.strip();
        s = s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
        int at = s.lastIndexOf("item");
        if (!s.startsWith("response-") || at < 0) {
            return null;
        }
        try {
            return Integer.parseInt(s.substring(at + 4));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String boundary(String contentType, ErrorContext ctx) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            for (String p : contentType.split(";")) {
                String s = p.strip();
                if (s.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                    String b = s.substring(9);
                    return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1
                            ? b.substring(1, b.length() - 1)
                            : b;
                }
            }
        }
        throw malformed("it is not multipart", ctx);
    }

    private static String trimCrlf(String s) {
        String r = s.startsWith("\r\n") ? s.substring(2) : s.startsWith("\n") ? s.substring(1) : s;
        if (r.endsWith("\r\n")) {
            return r.substring(0, r.length() - 2);
        }
        return r.endsWith("\n") ? r.substring(0, r.length() - 1) : r;
    }

    private static String[] head(String s) {
        int i = s.indexOf("\r\n\r\n");
        int skip = 4;
        int j = s.indexOf("\n\n");
        if (i < 0 || (j >= 0 && j < i)) {
            i = j;
            skip = 2;
        }
        return i < 0 ? new String[] {s, ""} : new String[] {s.substring(0, i), s.substring(i + skip)};
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

    private static MalformedDataException malformed(String why, ErrorContext ctx) {
        return new MalformedDataException("Google's batch answer cannot be read: " + why, ctx, null);
    }
}
