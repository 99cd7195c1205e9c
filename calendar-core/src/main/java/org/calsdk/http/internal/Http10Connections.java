package org.calsdk.http.internal;

import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Connection;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.ForwardingSource;
import okio.Okio;

/**
 * A network interceptor that keeps OkHttp from reusing connections of HTTP/1.0 servers (Radicale's
 * built-in server, small appliances). Such servers close the connection after each answer without saying
 * {@code Connection: close}; OkHttp pools the connection anyway, and the next request on it fails on the
 * dead socket. {@code HttpTransport} turns OkHttp's silent retry off (it counts every attempt), so each
 * such failure would cost a retry with back-off.
 *
 * <p>Once an origin (scheme, host, port) has answered in HTTP/1.0 without {@code Connection: keep-alive},
 * its later requests say {@code Connection: close}, which makes OkHttp retire each connection itself
 * before it goes back to the pool. The connections of answers that arrived before that was known are
 * closed when their response body is closed, so the pool discards them (a closed socket fails OkHttp's
 * health check) instead of handing them to the next request. Only those connections are touched: the
 * pool may be shared with other transports and hosts. A request that picks up such a connection in the
 * instant between the end of its body and its closing can still fail once; that is the first answer of
 * an origin only.
 *
 * <p>HTTP/1.1 and HTTP/2 exchanges pass through unchanged. Thread-safe; one instance per client.
 */
public final class Http10Connections implements Interceptor {
    private final Set<String> closingOrigins = ConcurrentHashMap.newKeySet();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String origin = origin(request.url());
        boolean askedToClose = false;
        if (closingOrigins.contains(origin)) {
            request = request.newBuilder().header("Connection", "close").build();
            askedToClose = true;
        }
        Response response = chain.proceed(request);
        if (response.protocol() != Protocol.HTTP_1_0 || "keep-alive".equalsIgnoreCase(response.header("Connection"))) {
            return response;
        }
        closingOrigins.add(origin);
        Connection connection = chain.connection();
        ResponseBody body = response.body();
        if (askedToClose || connection == null || body == null) {
            return response; // OkHttp retires a connection whose request said "close"
        }
        Socket socket = connection.socket();
        ForwardingSource closing = new ForwardingSource(body.source()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    closeQuietly(socket); // the server has closed its end: never hand this socket out again
                }
            }
        };
        return response.newBuilder()
                .body(ResponseBody.create(Okio.buffer(closing), body.contentType(), body.contentLength()))
                .build();
    }

    private static String origin(HttpUrl url) {
        return url.scheme() + "://" + url.host() + ":" + url.port();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed by the peer or by OkHttp: nothing left to release
        }
    }
}
