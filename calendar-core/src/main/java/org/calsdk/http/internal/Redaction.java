package org.calsdk.http.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Removes secrets from what gets logged: credential headers, query parameters named like a secret and
 * user info in URLs.
 */
public final class Redaction {
    /** What replaces a secret. */
    public static final String MASK = "****";

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key", "api-key");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            ".*(token|password|passwd|pwd|secret|key|code|signature|sig|auth|credential|assertion).*",
            Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    /** Whether a header's value must never be logged. */
    public static boolean isSecretHeader(String name) {
        return SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a query parameter's value must never be logged. */
    public static boolean isSecretParameter(String name) {
        return SECRET_PARAM.matcher(name).matches();
    }

    /** The URL with secret query values and any user info masked. */
    public static String url(HttpUrl url) {
        HttpUrl.Builder b = url.newBuilder();
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            b.username(MASK).password("");
        }
        for (int i = 0; i < url.querySize(); i++) {
            String name = url.queryParameterName(i);
            if (isSecretParameter(name)) {
                b.setQueryParameter(name, MASK);
            }
        }
        return b.build().toString();
    }

    /** The headers as {@code name: value} lines with credential values masked. */
    public static String headers(Headers headers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            sb.append(name).append(": ").append(isSecretHeader(name) ? MASK : headers.value(i)).append('\n');
        }
        return sb.toString();
    }
}
