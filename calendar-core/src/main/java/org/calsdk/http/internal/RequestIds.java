package org.calsdk.http.internal;

import java.util.List;
import okhttp3.Headers;

/** Finds the provider's request id among the headers the big providers use. */
public final class RequestIds {
    private static final List<String> HEADERS = List.of(
            "request-id",
            "x-ms-request-id",
            "client-request-id",
            "x-request-id",
            "x-goog-request-id",
            "x-guploader-uploadid",
            "x-amzn-requestid",
            "x-correlation-id");

    private RequestIds() {}

    /** The first request id header present, or null. */
    public static String find(Headers headers) {
        for (String name : HEADERS) {
            String v = headers.get(name);
            if (v != null && !v.isBlank()) {
                return v.length() > 200 ? v.substring(0, 200) : v;
            }
        }
        return null;
    }
}
