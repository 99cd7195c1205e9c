package org.calsdk.caldav.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Keeps OkHttp from reusing connections of HTTP/1.0 servers (Radicale's built-in server, small
 * appliances): they close the connection after each answer without saying {@code Connection: close},
 * OkHttp pools it anyway, and the next request fails on the dead socket. The transport does not let
 * OkHttp retry silently (it counts attempts), so each such failure would cost a retry with back-off.
 * Once a host answers in HTTP/1.0 without keep-alive, its later requests say {@code Connection: close},
 * and the connection of that first answer is evicted from the pool when its body is closed.
 */
public final class Http10Connections implements Interceptor {
    private final ConnectionPool pool;
    private final Set<String> closingHosts = ConcurrentHashMap.newKeySet();

    public Http10Connections(ConnectionPool pool) {
        this.pool = pool;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String host = request.url().host() + ":" + request.url().port();
        if (closingHosts.contains(host)) {
            request = request.newBuilder().header("Connection", "close").build();
        }
        Response response = chain.proceed(request);
        if (response.protocol() != Protocol.HTTP_1_0 || "keep-alive".equalsIgnoreCase(response.header("Connection"))
                || !closingHosts.add(host)) {
            return response;
        }
        ResponseBody body = response.body();
        if (body == null) {
            return response;
        }
        ForwardingSource evicting = new ForwardingSource(body.source()) {
            @Override
            public void close() throws IOException {
                super.close();
                pool.evictAll(); // the connection just went back to the pool: drop it (idle ones only)
            }
        };
        return response.newBuilder()
                .body(ResponseBody.create(Okio.buffer(evicting), body.contentType(), body.contentLength()))
                .build();
    }
}
