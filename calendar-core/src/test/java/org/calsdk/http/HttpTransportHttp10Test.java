package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.0 servers close the connection after each answer without saying {@code Connection: close};
 * the transport must not reuse such a connection, or every request after the first would fail once on
 * the dead socket and cost a counted retry.
 */
class HttpTransportHttp10Test {
    private Http10Server server;

    @BeforeEach
    void start() throws IOException {
        server = new Http10Server();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void sequentialRequestsToAnHttp10ServerTakeOneAttemptEach() {
        RequestCounter counter = new RequestCounter();
        FakeTime time = new FakeTime();
        HttpTransport t = HttpTransport.builder()
                .retryPolicy(RetryPolicy.custom().maxAttempts(4).build())
                .listener(counter)
                .clock(time)
                .sleeper(time)
                .build();
        int n = 6;
        for (int i = 0; i < n; i++) {
            HttpResponse r = t.execute(
                    HttpCall.builder(get("/item/" + i)).operation("read").build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("ok /item/" + i);
            assertThat(r.attempts()).as("attempts of request %d", i).isEqualTo(1);
        }
        assertThat(counter.total()).isEqualTo(n);
        assertThat(counter.count("read")).isEqualTo(n);
        assertThat(time.sleeps).as("no retry pauses").isEmpty();
        assertThat(server.requests).hasSize(n);
        // the first answer revealed HTTP/1.0; from then on the transport tells OkHttp not to keep connections
        assertThat(server.connectionHeaders.get(0)).isEqualToIgnoringCase("keep-alive");
        assertThat(server.connectionHeaders.subList(1, n)).allMatch("close"::equalsIgnoreCase);
    }

    @Test
    void aDerivedTransportIsGuardedToo() {
        RequestCounter counter = new RequestCounter();
        FakeTime time = new FakeTime();
        HttpTransport host = HttpTransport.builder()
                .listener(counter)
                .clock(time)
                .sleeper(time)
                .build();
        // a customizer cannot switch the guard (or OkHttp's silent retry) back on
        HttpTransport derived = host.withClient(b -> b.retryOnConnectionFailure(true));
        for (int i = 0; i < 4; i++) {
            assertThat(derived.execute(HttpCall.builder(get("/d" + i))
                                    .operation("read")
                                    .build())
                            .attempts())
                    .isEqualTo(1);
        }
        assertThat(counter.total()).isEqualTo(4);
        assertThat(time.sleeps).isEmpty();
        assertThat(server.requests).hasSize(4);
    }

    @Test
    void theServerReallyBreaksAPlainClientThatReusesItsConnection() throws IOException {
        // guards the two tests above against passing vacuously: without the guard, the second request
        // goes out on the pooled connection the server has already closed
        OkHttpClient plain =
                new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        try {
            try (Response first = plain.newCall(get("/one")).execute()) {
                assertThat(first.protocol()).isEqualTo(okhttp3.Protocol.HTTP_1_0);
                assertThat(first.body().string()).isEqualTo("ok /one");
            }
            assertThatThrownBy(() -> plain.newCall(get("/two")).execute().close())
                    .isInstanceOf(IOException.class);
        } finally {
            plain.connectionPool().evictAll();
            plain.dispatcher().executorService().shutdown();
        }
    }

    private Request get(String path) {
        return new Request.Builder().url(server.url(path)).build();
    }

    /** Answers each request with {@code HTTP/1.0 200} and a Content-Length, then closes the connection. */
    private static final class Http10Server implements AutoCloseable {
        final ServerSocket socket;
        final Thread thread;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> connectionHeaders = new CopyOnWriteArrayList<>();

        Http10Server() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(this::serve, "http10-test-server");
            thread.setDaemon(true);
            thread.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    String requestLine = in.readLine();
                    String connection = "";
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                            connection = line.substring("connection:".length()).trim();
                        }
                    }
                    if (requestLine == null) {
                        continue;
                    }
                    String path = requestLine.split(" ")[1];
                    requests.add(path);
                    connectionHeaders.add(connection);
                    byte[] body = ("ok " + path).getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }
}
