package org.calsdk.http.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * A network interceptor that keeps OkHttp from sending a request again by itself when a server answers
 * {@code 503} with {@code Retry-After: 0}. OkHttp replays such a request at once, whatever
 * {@code retryOnConnectionFailure} says, also a {@code POST}: the transport would see only the second answer,
 * its retry policy and listeners would not know about the first attempt, and a create that the server had in
 * fact carried out could be made twice. The header is rewritten to the same meaning in the form OkHttp does
 * not act on (an HTTP-date in the past: retry now), so the transport's retry policy decides, as for any 503.
 * Every other answer passes through unchanged. Stateless and thread-safe.
 */
public final class NoSilentRetry implements Interceptor {
    /** "Now", as an HTTP-date OkHttp does not read as a delay (RFC 9110: a date in the past means no wait). */
    static final String NOW = "Thu, 01 Jan 1970 00:00:00 GMT";

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.code() != 503) {
            return response;
        }
        String after = response.header("Retry-After");
        if (after == null || after.isEmpty() || !after.chars().allMatch(c -> c == '0')) {
            return response;
        }
        return response.newBuilder().header("Retry-After", NOW).build();
    }
}
