package org.calsdk.http.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One attempt's {@code Authorization} value, kept out of the {@link Request} that OkHttp's call holds and
 * emptied when the attempt ends. OkHttp's call stays reachable after it finished (Okio's watchdog thread keeps
 * the most recent call timeout, and with it the call and its original request, until that timeout's deadline
 * would have passed); with the value here instead, only an empty holder stays behind. {@link #ADD} puts the
 * value back on the request as the call starts (an application interceptor, so OkHttp's own rules for
 * redirects and retries apply to it as to any header).
 */
public final class HeldAuthorization {
    private static final String HEADER = "Authorization";

    /** The application interceptor that puts a held value on the request it proceeds with. */
    public static final Interceptor ADD = new Interceptor() {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request r = chain.request();
            HeldAuthorization held = r.tag(HeldAuthorization.class);
            String value = held == null ? null : held.value;
            return chain.proceed(
                    value == null ? r : r.newBuilder().header(HEADER, value).build());
        }

        @Override
        public String toString() {
            return "HeldAuthorization.ADD";
        }
    };

    private volatile @Nullable String value;

    private HeldAuthorization(String value) {
        this.value = value;
    }

    /** A holder of {@code request}'s Authorization value, or null when it has none. */
    public static @Nullable HeldAuthorization take(Request request) {
        String v = request.header(HEADER);
        return v == null ? null : new HeldAuthorization(v);
    }

    /** {@code request} without its Authorization header, carrying this holder instead. */
    public Request strip(Request request) {
        return request.newBuilder()
                .removeHeader(HEADER)
                .tag(HeldAuthorization.class, this)
                .build();
    }

    /** Forgets the value: the attempt is over. */
    public void clear() {
        value = null;
    }

    @Override
    public String toString() {
        return "HeldAuthorization";
    }
}
