package org.calsdk.http.internal;

import java.time.Duration;
import java.util.List;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The OkHttp clients used when the host application supplies none: one per JVM, so that every transport
 * shares one connection pool and one dispatcher. There are two views of it: {@link #cleartext()} speaks
 * plain HTTP only and {@link #get()} adds TLS. They differ only in that: a client that may speak TLS loads the
 * platform's trust store and sets up an SSL context when it is built (about a tenth of a second of a
 * command-line run's start-up, see docs/benchmarks.md), so {@link ClientBase#shared()} sends {@code http}
 * URLs through the cleartext view and builds the TLS view on the first {@code https} request. Their threads
 * are daemons; they never need closing.
 */
public final class SharedHttpClient {
    private SharedHttpClient() {}

    private static final class Cleartext {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .connectionPool(new ConnectionPool())
                .dispatcher(new Dispatcher())
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .build();
    }

    private static final class Tls {
        static final OkHttpClient CLIENT = Cleartext.CLIENT
                .newBuilder()
                .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT)) // OkHttp's defaults
                .build();
    }

    /**
     * The shared client, TLS included (built, with the trust store, on the first call).
     *
     * @return the client
     */
    public static OkHttpClient get() {
        return Tls.CLIENT;
    }

    /**
     * The shared client for plain {@code http} URLs only: same pool, dispatcher and timeouts as {@link #get()},
     * without TLS.
     *
     * @return the client
     */
    public static OkHttpClient cleartext() {
        return Cleartext.CLIENT;
    }
}
