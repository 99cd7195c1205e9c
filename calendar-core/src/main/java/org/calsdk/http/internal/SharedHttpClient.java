package org.calsdk.http.internal;

import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The OkHttp client used when the host application supplies none: one per JVM, so that every
 * transport shares its connection pool. Its threads are daemons; it never needs closing.
 */
public final class SharedHttpClient {
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .build();

    private SharedHttpClient() {}

    public static OkHttpClient get() {
        return CLIENT;
    }
}
