package org.calsdk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockWebServer;
import org.calsdk.internal.Checks;
import org.calsdk.testkit.internal.NoDelayServerSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A fake provider server: real HTTP on {@code 127.0.0.1} and a random free port, routes that read and
 * change a state object, scriptable faults ({@link #faults()}) and request accounting
 * ({@link #accounting()}). Provider fakes (a fake Google Calendar, a fake CalDAV server) are built on it:
 * they register the provider's documented endpoints as routes over their own state class.
 *
 * <p>Built on OkHttp's {@code MockWebServer}: real sockets, so connection resets, truncated and slow
 * bodies and missing answers are real network failures for the client under test.
 *
 * <pre>{@code
 * final class Todo { final Map<String, String> items = new ConcurrentHashMap<>(); }
 *
 * try (FakeServer<Todo> server = FakeServer.builder(new Todo())
 *         .name("todo")
 *         .route("GET", "/users/{mailbox}/items/{id}", "items.get", (req, state) -> {
 *             String v = state.items.get(req.pathParam("id"));
 *             return v == null ? FakeResponse.json(404, "{}") : FakeResponse.json(200, v);
 *         })
 *         .route("PUT", "/users/{mailbox}/items/{id}", "items.put", (req, state) -> {
 *             state.items.put(req.pathParam("id"), req.bodyString());
 *             return FakeResponse.of(204);
 *         })
 *         .build()) {
 *     server.start();
 *     server.faults().add(FaultRule.on("items.get").times(1).inject(Fault.unavailable()));
 *     HttpUrl url = server.url("/users/alice@example.com/items/1");
 *     // ... call it with the client under test ...
 *     assertThat(server.accounting().calls("items.get")).isEqualTo(2);
 * }
 * }</pre>
 *
 * @param <S> the type of the fake's state
 * @since 0.1
 */
public final class FakeServer<S> implements AutoCloseable {
    private final String name;
    private final S state;
    private final FaultScript faults = new FaultScript();
    private final RequestAccounting accounting = new RequestAccounting();
    private final FakeDispatcher<S> dispatcher;
    private final int port;
    private final FakeTls tls;
    private MockWebServer server;
    private boolean closed;

    private FakeServer(Builder<S> b) {
        this.name = b.name;
        this.state = b.state;
        this.port = b.port;
        this.tls = b.https ? FakeTls.generate() : null;
        this.dispatcher = new FakeDispatcher<>(
                b.name,
                b.state,
                b.routes,
                b.batches,
                b.mailboxResolver,
                b.protocolFaults,
                b.dialect,
                faults,
                accounting);
    }

    /**
     * Starts building a fake around {@code state}.
     *
     * @param <S> the type of the fake's state (its handlers read and change it)
     * @param state the state the routes serve from, not null
     * @return a builder with no routes, a free port, plain HTTP and the default error dialect
     * @throws NullPointerException if {@code state} is null
     */
    public static <S> Builder<S> builder(S state) {
        return new Builder<>(state);
    }

    /**
     * Binds 127.0.0.1 on the builder's port (default: a free one) and starts serving. Idempotent.
     *
     * @return this server, running
     * @throws IllegalStateException if the server was closed
     * @throws java.io.UncheckedIOException if 127.0.0.1 (on the configured port) cannot be bound
     */
    public synchronized FakeServer<S> start() {
        if (closed) {
            throw new IllegalStateException("fake server " + name + " was closed; build a new one");
        }
        if (server == null) {
            MockWebServer s = new MockWebServer();
            s.setDispatcher(dispatcher);
            s.setServerSocketFactory(new NoDelayServerSocketFactory());
            if (tls != null) {
                s.useHttps(tls.serverSocketFactory(), false);
            }
            try {
                s.start(InetAddress.getByName("127.0.0.1"), port);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "fake server " + name + " could not bind 127.0.0.1" + (port == 0 ? "" : ":" + port), e);
            }
            server = s;
        }
        return this;
    }

    /**
     * Whether the server is serving.
     *
     * @return true between {@link #start()} and {@link #close()}
     */
    public synchronized boolean isRunning() {
        return server != null && !closed;
    }

    /**
     * The server's URL for {@code path}, such as {@code http://127.0.0.1:41234/calendar/v3/}.
     *
     * @param path an absolute or relative path; a relative one is taken from the root
     * @return the URL on 127.0.0.1 and the bound port, {@code https} when the fake serves TLS
     * @throws IllegalStateException if the server is not running
     * @throws NullPointerException if {@code path} is null
     */
    public HttpUrl url(String path) {
        Checks.notNull(path, "path");
        HttpUrl root = new HttpUrl.Builder()
                .scheme(tls == null ? "http" : "https")
                .host("127.0.0.1")
                .port(running().getPort())
                .build();
        HttpUrl url = root.resolve(path.startsWith("/") ? path : "/" + path);
        if (url == null) {
            throw new IllegalArgumentException("not a path: " + path);
        }
        return url;
    }

    /**
     * The server's root URL.
     *
     * @return {@code http://127.0.0.1:<port>/} (or {@code https})
     * @throws IllegalStateException if the server is not running
     */
    public HttpUrl baseUrl() {
        return url("/");
    }

    /**
     * The port the server is bound to on 127.0.0.1.
     *
     * @return the bound port (the chosen free one when the builder asked for port 0)
     * @throws IllegalStateException if the server is not running
     */
    public int port() {
        return running().getPort();
    }

    /**
     * The fake's name, as given to {@link Builder#name} (used in messages and logs).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The fake's state, for seeding and assertions (guard it as its handlers do).
     *
     * @return the state object given to {@link #builder}, the same instance, not a copy
     */
    public S state() {
        return state;
    }

    /**
     * The TLS material when the fake serves HTTPS ({@link Builder#https()}).
     *
     * @return the certificate and trust material, or empty when the fake serves plain HTTP
     */
    public java.util.Optional<FakeTls> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    /**
     * Answers one HTTP request without a socket, with routing, batches, faults and accounting as over the
     * wire: for adapters that mount the fake in another HTTP server (see
     * {@link org.calsdk.testkit.wiremock.FakeServerTransformer}). Need not be started.
     *
     * @param request the request as the adapter received it, not null
     * @return the answer, or the network fault an adapter should imitate
     */
    public Served serve(FakeRequest request) {
        Checks.notNull(request, "request");
        return dispatcher.serve(request);
    }

    /**
     * What {@link #serve} answers.
     *
     * @param answer       the answer, or null when the connection is cut instead
     * @param networkFault the injected network fault to show ({@link Fault.ConnectionReset},
     *                     {@link Fault.DropResponseAfterCommit}, {@link Fault.NoResponse},
     *                     {@link Fault.TruncatedBody}, {@link Fault.SlowBody}), or null
     */
    public record Served(
            @Nullable FakeResponse answer, @Nullable Fault networkFault) {}

    /**
     * Network latency: every HTTP request (a batch counts once) waits {@code perRequest} on the server
     * before it is handled, as a round trip over the internet would; requests on separate connections wait
     * in parallel. Applies from the next request on; {@link java.time.Duration#ZERO} turns it off (the
     * default). Per-call latency on chosen operations is a {@link Fault#latency} rule instead.
     *
     * @param perRequest the wait per request, zero or positive
     * @return this server
     * @throws NullPointerException if {@code perRequest} is null
     * @throws org.calsdk.errors.InvalidInputException if {@code perRequest} is negative
     */
    public FakeServer<S> latency(java.time.Duration perRequest) {
        Checks.notNull(perRequest, "perRequest");
        Checks.check(!perRequest.isNegative(), "perRequest", "latency must not be negative");
        dispatcher.latency(perRequest.toMillis());
        return this;
    }

    /**
     * The fault rules.
     *
     * @return the live rule set; rules added to it apply from the next request on
     */
    public FaultScript faults() {
        return faults;
    }

    /**
     * What the server was asked.
     *
     * @return the live record of requests per operation and mailbox
     */
    public RequestAccounting accounting() {
        return accounting;
    }

    private synchronized MockWebServer running() {
        if (server == null || closed) {
            throw new IllegalStateException("fake server " + name + " is not running; call start() first");
        }
        return server;
    }

    /** Stops serving and releases the port. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dispatcher.shutdown();
        if (server != null) {
            try {
                server.shutdown();
            } catch (IOException e) {
                throw new UncheckedIOException("fake server " + name + " did not shut down cleanly", e);
            }
        }
    }

    @Override
    public String toString() {
        return "FakeServer[" + name + (server == null ? "" : " @ " + server.getHostName() + ":" + server.getPort())
                + "]";
    }

    /**
     * Builds a {@link FakeServer}.
     *
     * @param <S> the state type
     */
    public static final class Builder<S> {
        private final S state;
        private String name = "fake";
        private final List<RouteSpec<S>> routes = new ArrayList<>();
        private final List<BatchFormat> batches = new ArrayList<>();
        private ErrorDialect dialect = ErrorDialect.generic();
        private boolean https;
        private Function<FakeRequest, String> mailboxResolver = Builder::defaultMailbox;
        private ProtocolFaults protocolFaults = ProtocolFaults.defaults();
        private int port;

        private Builder(S state) {
            this.state = Checks.notNull(state, "state");
        }

        /**
         * A name for messages and logs.
         *
         * @param name the name, not blank
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code name} is blank
         */
        public Builder<S> name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Adds a route. {@code pathPattern} has literal segments, {@code {name}} (one segment),
         * {@code {name*}} (the rest of the path) and {@code *}; routes are tried in the order added.
         * {@code operation} names the route in fault rules and accounting.
         *
         * @param method the HTTP method, such as {@code GET}
         * @param pathPattern the path with {@code {name}}, {@code {name*}} and {@code *} segments
         * @param operation the operation name the accounting and fault rules know this route by
         * @param handler computes the answer from the request and the state
         * @return this builder
         */
        public Builder<S> route(String method, String pathPattern, String operation, RouteHandler<S> handler) {
            routes.add(RouteSpec.of(method, pathPattern, operation, handler));
            return this;
        }

        /**
         * Adds a route with options: matched on an operation named in the body, mailboxes read from the
         * body, per-mailbox errors written into good answers (see {@link RouteSpec}).
         *
         * @param spec the route and its options, not null
         * @return this builder
         */
        public Builder<S> route(RouteSpec<S> spec) {
            routes.add(Checks.notNull(spec, "spec"));
            return this;
        }

        /**
         * Serves a batch endpoint: its requests are taken apart and each call goes to the routes as a
         * single call would (faults and accounting per call; the batch request itself is operation
         * {@link BatchFormat#operation()}). {@link BatchFormat#googleMultipart()}, {@link BatchFormat#graphJson()}.
         *
         * @param format the provider's batch format, not null
         * @return this builder
         */
        public Builder<S> batch(BatchFormat format) {
            batches.add(Checks.notNull(format, "format"));
            return this;
        }

        /**
         * The provider's error body format, for injected {@link Fault#status} / {@link Fault#error} faults
         * and the server's own 400/404/405/500 answers (default {@link ErrorDialect#generic()}).
         *
         * @param dialect the error body format, not null
         * @return this builder
         */
        public Builder<S> errorDialect(ErrorDialect dialect) {
            this.dialect = Checks.notNull(dialect, "dialect");
            return this;
        }

        /**
         * Serves HTTPS with a self-signed certificate generated now; clients get its trust from {@link #tls()}.
         *
         * @return this builder
         */
        public Builder<S> https() {
            this.https = true;
            return this;
        }

        /**
         * How to tell which mailbox a request concerns (for per-mailbox faults and accounting); return null
         * when unknown. Default: the path variable {@code mailbox}, else the first path variable holding an
         * {@code @}, else the {@code X-AnchorMailbox} header.
         *
         * @param resolver maps a request to a mailbox address, or to null when the request concerns none
         * @return this builder
         */
        public Builder<S> mailboxResolver(Function<FakeRequest, String> resolver) {
            this.mailboxResolver = Checks.notNull(resolver, "resolver");
            return this;
        }

        /**
         * The port to bind on 127.0.0.1 (default 0: a free port chosen at start).
         *
         * @param port the port, 0 to 65535 (0 for a free one)
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code port} is outside 0..65535
         */
        public Builder<S> port(int port) {
            Checks.check(port >= 0 && port <= 65535, "port", "port must be 0..65535, was " + port);
            this.port = port;
            return this;
        }

        /**
         * The provider's form of the protocol faults (default {@link ProtocolFaults#defaults()}).
         *
         * @param faults the provider's protocol faults, not null
         * @return this builder
         */
        public Builder<S> protocolFaults(ProtocolFaults faults) {
            this.protocolFaults = Checks.notNull(faults, "faults");
            return this;
        }

        /**
         * Builds the fake; it does not listen until {@link FakeServer#start()}. With {@link #https()} a new
         * self-signed certificate is generated here.
         *
         * @return the fake, not yet started
         */
        public FakeServer<S> build() {
            return new FakeServer<>(this);
        }

        private static String defaultMailbox(FakeRequest r) {
            Map<String, String> vars = r.pathParams();
            if (vars.containsKey("mailbox")) {
                return vars.get("mailbox");
            }
            for (String v : vars.values()) {
                if (v.indexOf('@') > 0 && v.indexOf('/') < 0) {
                    return v;
                }
            }
            return r.header("X-AnchorMailbox").orElse(null);
        }
    }
}
