package org.calsdk.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.OperationTimeoutException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.internal.BoundedBody;
import org.calsdk.http.internal.ClientBase;
import org.calsdk.http.internal.ConcurrencyLimiter;
import org.calsdk.http.internal.HeldAuthorization;
import org.calsdk.http.internal.Http10Connections;
import org.calsdk.http.internal.NoSilentRetry;
import org.calsdk.http.internal.RetryAfter;
import org.calsdk.internal.Async;
import org.calsdk.internal.CancellationScope;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport of the providers that speak HTTP themselves (CalDAV, raw REST calls): OkHttp plus
 * retries per {@link RetryPolicy}, per-host and per-mailbox concurrency limits, authorization with one
 * refresh after a 401, request accounting ({@link RequestListener}), bounded response bodies,
 * cancellation and redacted logging. Thread-safe; share one per provider connection (or per application).
 *
 * <p>{@link #execute(HttpCall)} returns 2xx, 3xx and 4xx responses (other than 401) for the caller to
 * interpret, usually with {@link HttpErrors#toException}. It throws {@link RateLimitedException} for a 429
 * and {@link ProviderUnavailableException} for a 5xx or an I/O failure once the policy's retries are
 * spent (but {@link org.calsdk.errors.InsufficientStorageException}, not retryable, for a 507), {@link ReauthorizationRequiredException} for a 401 that one credential refresh did not cure,
 * {@link MalformedDataException} for a body above {@code maxResponseBytes},
 * {@link OperationTimeoutException} when the call's overall deadline ({@link Builder#timeout}, across
 * all attempts and pauses) passes or its last attempt timed out, and {@link CancellationException} when
 * the async task it runs in is cancelled.
 *
 * <p>With an {@link OriginPolicy} ({@link Builder#originPolicy}, {@link #withOriginPolicy}) every call is
 * checked before it is sent: its host must resolve to addresses the policy allows (again at connect
 * time, through the client's DNS), and a call with an authorizer other than {@link Authorizer#none()}
 * must go where the policy lets credentials go; otherwise it fails with
 * {@link org.calsdk.errors.PermissionDeniedException} and nothing is sent.
 *
 * <p>A provider that needs client settings of its own (a DNS filter, an authenticator) on a transport the
 * host application supplied derives one with {@link #withClient}, which keeps the host's retry policy,
 * accounting and concurrency limits.
 *
 * <p>Each attempt is logged at DEBUG on logger {@code org.calsdk.http} with the URL's secret query
 * parameters and user info masked; headers are logged (masked) at TRACE only.
 *
 * <pre>{@code
 * HttpTransport transport = HttpTransport.builder()
 *     .provider("caldav")
 *     .retryPolicy(RetryPolicy.defaults())
 *     .maxConcurrentPerMailbox(4)
 *     .build();
 * HttpResponse r = transport.execute(HttpCall.builder(request).operation("propfind").build());
 * }</pre>
 *
 * @since 0.1
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("org.calsdk.http");

    /**
     * How much of a 5xx body is kept, whatever {@code maxResponseBytes} says: enough for a
     * {@link ResponseClassifier} to find a throttling fault, never more memory than that.
     *
     * @since 0.2
     */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final ClientBase baseClient;
    private final ClientBase client;
    private final HttpTransport parent;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ConcurrencyLimiter<String> hostLimiter;
    private final ConcurrencyLimiter<Mailbox> mailboxLimiter;
    private final List<RequestListener> listeners;
    private final String provider;
    private final long maxResponseBytes;
    private final Duration timeout;
    private final OriginPolicy originPolicy;
    private volatile boolean closed;

    private HttpTransport(Builder b) {
        ClientBase base = b.client == null ? ClientBase.shared() : ClientBase.of(b.client);
        this.baseClient = b.customizer == null ? base : base.map(b.customizer);
        this.client = transportClient(baseClient, b.originPolicy);
        this.parent = null;
        this.retryPolicy = b.retryPolicy;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.hostLimiter = new ConcurrencyLimiter<>(b.maxConcurrentPerHost);
        this.mailboxLimiter = new ConcurrencyLimiter<>(b.maxConcurrentPerMailbox);
        this.listeners = List.copyOf(b.listeners);
        this.provider = b.provider;
        this.maxResponseBytes = b.maxResponseBytes;
        this.timeout = b.timeout;
        this.originPolicy = b.originPolicy;
    }

    private HttpTransport(HttpTransport parent, ClientBase baseClient, OriginPolicy originPolicy) {
        this.baseClient = baseClient;
        this.client = transportClient(baseClient, originPolicy);
        this.parent = parent;
        this.retryPolicy = parent.retryPolicy;
        this.clock = parent.clock;
        this.sleeper = parent.sleeper;
        this.hostLimiter = parent.hostLimiter;
        this.mailboxLimiter = parent.mailboxLimiter;
        this.listeners = parent.listeners;
        this.provider = parent.provider;
        this.maxResponseBytes = parent.maxResponseBytes;
        this.timeout = parent.timeout;
        this.originPolicy = originPolicy;
    }

    /**
     * The client the transport sends with, derived from the caller's: OkHttp's own silent retry would
     * replay non-idempotent requests and hide attempts from the policy; its redirect following would
     * bypass the callers' redirect checks (3xx are returned, per contract); and connections of HTTP/1.0
     * servers must not be reused (see {@link Http10Connections}). With an origin policy, the client
     * resolves names through the policy's filter (except the names of its own HTTP proxies).
     */
    private static ClientBase transportClient(ClientBase base, OriginPolicy policy) {
        okhttp3.Dns dns = policy == null ? null : policy.dns(OriginPolicy.proxyHosts(base.settings(), policy.origin()));
        return base.map(b -> {
            b.retryOnConnectionFailure(false)
                    .followRedirects(false)
                    .followSslRedirects(false)
                    .addNetworkInterceptor(new Http10Connections())
                    .addNetworkInterceptor(new NoSilentRetry());
            if (!b.interceptors().contains(HeldAuthorization.ADD)) {
                b.interceptors()
                        .add(0, HeldAuthorization.ADD); // first: the host's interceptors see the header as before
            }
            if (dns != null) {
                b.dns(dns);
            }
            return b;
        });
    }

    /**
     * A builder with the defaults of {@link #defaults(String)} for provider {@code "http"}.
     *
     * @return a builder; {@link Builder#build()} gives a transport with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A transport for {@code providerId} with the defaults: the shared OkHttp client (10 s connect, 60 s
     * read/write timeouts), {@link RetryPolicy#defaults()}, an overall deadline of 60 s per call, system
     * clock and sleeper, 16 concurrent calls per host, 4 per mailbox, bodies up to 32 MiB, no origin policy.
     *
     * @param providerId the provider id put in errors and request records
     * @return a new transport; close it when done
     */
    public static HttpTransport defaults(String providerId) {
        return builder().provider(providerId).build();
    }

    /**
     * The provider id put in errors and request records.
     *
     * @return the provider id
     */
    public String provider() {
        return provider;
    }

    /**
     * The retry policy.
     *
     * @return the policy
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * The overall deadline of a call across its attempts, unless the call sets its own.
     *
     * @return the deadline
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The origin policy applied to every call, if there is one.
     *
     * @return the policy, or empty when calls go where they are told
     */
    public java.util.Optional<OriginPolicy> originPolicy() {
        return java.util.Optional.ofNullable(originPolicy);
    }

    /**
     * The clock (for {@code Retry-After} dates and for callers that need the same time source).
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * A transport that sends through a client of its own, derived from this transport's OkHttp client by
     * {@code customizer}, and shares everything else with this one: the retry policy, clock, sleeper,
     * listeners, provider id, response size limit and the very same per-host and per-mailbox concurrency
     * limiters (so the limits hold across both transports together). A provider uses it to add what its
     * protocol needs (a DNS filter, an authenticator, its own connection pool) to the transport the host
     * application supplied.
     *
     * <p>The customizer receives a builder of the OkHttp client this transport was built with (not the
     * copy it sends with); whatever it sets, the derived transport again turns off OkHttp's silent retries
     * and redirect following and guards against reused HTTP/1.0 connections. Closing the derived
     * transport does not close this one; closing this one makes the derived ones fail too.
     *
     * <pre>{@code
     * HttpTransport forCalDav = hostTransport.withClient(b -> b
     *     .dns(privateNetworkFilter)
     *     .authenticator(digestAuthenticator)
     *     .connectionPool(new ConnectionPool()));
     * }</pre>
     *
     * @param customizer changes the builder (and returns it, or a builder to use instead)
     * @return the derived transport
     * @throws NullPointerException if {@code customizer} is null or returns null
     * @since 0.1
     */
    public HttpTransport withClient(UnaryOperator<OkHttpClient.Builder> customizer) {
        Checks.notNull(customizer, "customizer");
        return new HttpTransport(
                this, baseClient.map(b -> Checks.notNull(customizer.apply(b), "customizer result")), originPolicy);
    }

    /**
     * A transport that applies {@code policy} to every call (replacing any policy this one has) and shares
     * everything else with this one, like {@link #withClient}: a provider derives one per connection from
     * the transport the host application supplied, so that the host's accounting and limits hold while
     * the connection's requests and credentials stay where its configuration allows. The derived client
     * resolves names through the policy's filter, except the names of the client's own HTTP proxies.
     *
     * @param policy the origin policy, not null
     * @return the derived transport; closing it leaves this one open
     * @since 0.1
     */
    public HttpTransport withOriginPolicy(OriginPolicy policy) {
        Checks.notNull(policy, "policy");
        return new HttpTransport(this, baseClient, policy);
    }

    /**
     * Sends {@code call}, retrying per the policy, and returns the fully read response.
     *
     * @param call the call, not null
     * @return the response, body fully read (a non-2xx one too, when it is not retried or mapped to an exception)
     * @throws RateLimitedException              429 after the retries
     * @throws ProviderUnavailableException      5xx or I/O failure after the retries
     * @throws org.calsdk.errors.InsufficientStorageException 507: the mailbox or account is over its quota
     * @throws ReauthorizationRequiredException  401 after one credential refresh
     * @throws MalformedDataException            body larger than {@code maxResponseBytes}
     * @throws OperationTimeoutException         the call's deadline passed, or its last attempt timed out
     * @throws org.calsdk.errors.PermissionDeniedException the origin policy refuses the call
     * @throws CancellationException             the surrounding async task was cancelled
     * @throws IllegalStateException             the transport is closed
     */
    public HttpResponse execute(HttpCall call) {
        Checks.notNull(call, "call");
        if (isClosed()) {
            throw new IllegalStateException("HttpTransport for '" + provider + "' is closed");
        }
        CancellationScope scope = CancellationScope.current();
        ErrorContext ctx = ErrorContext.of(provider).withMailbox(call.mailbox());
        String what = call.operation() + " request to " + call.request().url().host();
        if (originPolicy != null) {
            if (call.authorizer() == Authorizer.none()) {
                originPolicy.checkReachable(call.request().url(), ctx);
            } else {
                originPolicy.checkCredentials(call.request().url(), ctx);
            }
        }
        Duration limit = call.timeout().orElse(timeout);
        long deadline = System.nanoTime() + Math.min(limit.toNanos(), Long.MAX_VALUE / 4);
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            checkCancelled(scope, call);
            Request request = authorize(call, ctx);
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw deadlinePassed(what, limit, ctx, attempt - 1, null);
            }
            Outcome outcome = attempt(call, request, attempt, scope, ctx, remaining);
            if (outcome.failure != null) {
                IOException e = outcome.failure;
                ErrorContext failed = ctx.withAttempts(attempt);
                if (outcome.deadlinePassed) {
                    throw deadlinePassed(what, limit, ctx, attempt, e);
                }
                boolean neverSent = e instanceof ConnectException;
                boolean timedOut = e instanceof SocketTimeoutException;
                if ((call.idempotent() || neverSent)
                        && retryPolicy.isRetryableException(e)
                        && attempt < retryPolicy.maxAttempts()) {
                    Duration wait = retryPolicy.backoff(attempt);
                    if (fitsBefore(deadline, wait)) {
                        pause(wait, scope, call);
                        continue;
                    }
                    if (timedOut) {
                        throw deadlinePassed(what, limit, ctx, attempt, e); // no time left for another try
                    }
                }
                if (timedOut) {
                    throw new OperationTimeoutException(
                                    what + " failed: timed out, the provider did not answer in "
                                            + "time (" + e.getClass().getSimpleName()
                                            + "); the server may be down or overloaded, "
                                            + "try again later",
                                    failed,
                                    null,
                                    e)
                            .withAttempts(attempt);
                }
                throw new ProviderUnavailableException(
                                what + " failed: could not complete the exchange with the "
                                        + "provider (" + e.getClass().getSimpleName()
                                        + "); check the server URL and the network, "
                                        + "then try again later",
                                failed,
                                e)
                        .withAttempts(attempt);
            }
            HttpResponse r = outcome.response;
            int status = r.status();
            if (status == 401) {
                if (!refreshed && refresh(call, request, ctx)) {
                    refreshed = true;
                    continue;
                }
                String why = call.authorizer() == Authorizer.none()
                        ? "the provider requires credentials and none were configured (HTTP 401); add credentials "
                                + "to the connection"
                        : "the provider rejected the credentials "
                                + (refreshed ? "even after they were refreshed" : "and they cannot be refreshed")
                                + " (HTTP 401); connect the account again or update its password";
                throw new ReauthorizationRequiredException(
                                what + " failed: " + why, HttpErrors.context(ctx, status, r.headers(), attempt))
                        .withAttempts(attempt);
            }
            ResponseClass cls = classify(call, r);
            if (cls.kind() == ResponseClass.Kind.ANSWER) {
                return r;
            }
            Duration retryAfter = cls.retryAfter() != null
                    ? cls.retryAfter()
                    : status == 429 || status == 503 || cls.kind() != ResponseClass.Kind.BY_STATUS
                            ? RetryAfter.parse(r.header("Retry-After"), clock)
                            : null;
            if (retryPolicy.isRetryable(cls, status, call.idempotent())) {
                boolean tooLong = retryAfter != null && retryAfter.compareTo(retryPolicy.maxRetryAfter()) > 0;
                Duration wait = retryAfter != null ? retryAfter : retryPolicy.backoff(attempt);
                if (attempt < retryPolicy.maxAttempts() && !tooLong && fitsBefore(deadline, wait)) {
                    pause(wait, scope, call);
                    continue;
                }
            }
            if (cls.kind() != ResponseClass.Kind.BY_STATUS) {
                throw classified(cls, r, retryAfter, what, ctx, attempt);
            }
            if (status == 429 || status >= 500) {
                throw HttpErrors.toException(r, ctx, what, clock);
            }
            return r;
        }
    }

    private static ResponseClass classify(HttpCall call, HttpResponse r) {
        try {
            ResponseClass c = call.classifier().classify(r);
            return c == null ? ResponseClass.byStatus() : c;
        } catch (RuntimeException e) {
            LOG.warn(
                    "response classifier of {} failed ({}); deciding by status",
                    call.operation(),
                    e.getClass().getName());
            return ResponseClass.byStatus();
        }
    }

    private static CalendarException classified(
            ResponseClass cls, HttpResponse r, Duration retryAfter, String what, ErrorContext ctx, int attempt) {
        ErrorContext c = HttpErrors.context(ctx, r.status(), r.headers(), attempt);
        String code = cls.reason().replaceAll("[^A-Za-z0-9_.\\-]", "");
        code = code.length() > 64 ? code.substring(0, 64) : code;
        String said = "HTTP " + r.status() + (code.isEmpty() ? "" : ", " + code);
        if (cls.kind() == ResponseClass.Kind.RATE_LIMITED) {
            return new RateLimitedException(
                            what + " failed: the provider is throttling requests (" + said + "); wait "
                                    + (retryAfter == null ? "a while" : retryAfter.toMillis() + " ms")
                                    + " and send fewer requests",
                            c,
                            retryAfter)
                    .withAttempts(attempt);
        }
        return new ProviderUnavailableException(
                        what + " failed: the provider is busy or unavailable (" + said + "); try again later", c)
                .withAttempts(attempt);
    }

    /**
     * Runs {@link #execute(HttpCall)} on {@code executor}; cancelling the returned future cancels the
     * in-flight HTTP exchange and any pause between retries.
     *
     * @param call the call, not null
     * @param executor runs the call
     * @return a future completed with the response or with the exception {@link #execute} would throw
     */
    public CompletableFuture<HttpResponse> executeAsync(HttpCall call, Executor executor) {
        Checks.notNull(call, "call");
        return Async.supply(executor, () -> execute(call));
    }

    /**
     * Marks the transport closed; later calls fail, also those of transports derived with
     * {@link #withClient}. The OkHttp client stays open (its owner closes it).
     */
    @Override
    public void close() {
        closed = true;
    }

    private boolean isClosed() {
        for (HttpTransport t = this; t != null; t = t.parent) {
            if (t.closed) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "HttpTransport[provider=" + provider + ", " + retryPolicy + ", timeout=" + timeout
                + ", maxConcurrentPerHost=" + hostLimiter.limit() + ", maxConcurrentPerMailbox="
                + mailboxLimiter.limit()
                + (originPolicy == null ? "" : ", " + originPolicy) + "]";
    }

    private Request authorize(HttpCall call, ErrorContext ctx) {
        try {
            return call.authorizer().authorize(call.request());
        } catch (ReauthorizationRequiredException e) {
            throw withContext(e, ctx);
        }
    }

    private boolean refresh(HttpCall call, Request rejected, ErrorContext ctx) {
        try {
            return call.authorizer().refreshAfterUnauthorized(rejected);
        } catch (ReauthorizationRequiredException e) {
            throw withContext(e, ctx.withStatusCode(401));
        }
    }

    private static CalendarException withContext(ReauthorizationRequiredException e, ErrorContext ctx) {
        if (e.provider().isPresent()) {
            return e;
        }
        return new ReauthorizationRequiredException(
                e.getMessage(), ctx, e.relinkUrl().orElse(null), e);
    }

    /** Whether a pause of {@code wait} still leaves time for an attempt before {@code deadline}. */
    private static boolean fitsBefore(long deadline, Duration wait) {
        return deadline - System.nanoTime() > Math.min(wait.toNanos(), Long.MAX_VALUE / 4);
    }

    private static CalendarException deadlinePassed(
            String what, Duration limit, ErrorContext ctx, int attempts, IOException last) {
        int n = Math.max(1, attempts);
        return new OperationTimeoutException(
                        what + " failed: timed out, no complete answer within the deadline of "
                                + describe(limit) + " (" + n + (n == 1 ? " attempt" : " attempts")
                                + "); the server may be down or "
                                + "too slow: try again later, or raise the timeout if it is known to be slow",
                        ctx.withAttempts(n),
                        limit,
                        last)
                .withAttempts(n);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private Outcome attempt(
            HttpCall call,
            Request request,
            int attempt,
            CancellationScope scope,
            ErrorContext ctx,
            long remainingNanos) {
        String host = request.url().host();
        Mailbox mailbox = call.mailbox();
        acquire(host, mailbox, call);
        fire(l -> l.onAttemptStart(host, mailbox));
        long start = System.nanoTime();
        long requestBytes = requestBytes(request);
        int status = 0;
        long responseBytes = 0;
        // the Authorization value rides in a holder that is emptied when the attempt ends, not on the Request
        // OkHttp's call keeps: Okio's watchdog thread holds the last call (and so its Request) until that
        // call's deadline would have passed, long after it finished (docs/reliability.md, secrets on the heap)
        HeldAuthorization held = HeldAuthorization.take(request);
        OkHttpClient client = this.client.forUrl(request.url());
        Call okCall = client.newCall(held == null ? request : held.strip(request));
        // the attempt ends at the call's deadline (or the client's own call timeout, when shorter); a
        // cancellation by the caller is told apart from that timeout by this flag
        long clientLimit = client.callTimeoutMillis() > 0
                ? TimeUnit.MILLISECONDS.toNanos(client.callTimeoutMillis())
                : Long.MAX_VALUE;
        boolean deadlineBinds = remainingNanos <= clientLimit;
        okCall.timeout().timeout(Math.min(remainingNanos, clientLimit), TimeUnit.NANOSECONDS);
        AtomicBoolean cancelledByCaller = new AtomicBoolean();
        try (CancellationScope.Registration ignored = scope.register(() -> {
                    cancelledByCaller.set(true);
                    okCall.cancel();
                });
                Response response = okCall.execute()) {
            status = response.code();
            // a 5xx body is kept for classification, cut at MAX_ERROR_BODY_BYTES instead of failing as too large
            byte[] body;
            try {
                body = status >= 500
                        ? BoundedBody.readPrefix(response.body(), MAX_ERROR_BODY_BYTES)
                        : BoundedBody.read(response.body(), maxResponseBytes);
            } catch (BoundedBody.TooLargeException tooLarge) {
                // hang up: closing the response would otherwise read on and discard the rest of an oversized
                // answer (up to 100 ms) to keep the connection; a server pushing 100 MB gets no such courtesy
                okCall.cancel();
                throw tooLarge;
            }
            responseBytes = body.length;
            return Outcome.of(new HttpResponse(status, response.headers(), body, attempt));
        } catch (IOException e) {
            if (cancelledByCaller.get()
                    || scope.isCancelled()
                    || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                throw cancelled(call);
            }
            status = 0;
            if (okCall.isCanceled()) {
                // nobody cancelled it: the call timeout fired, while connecting, waiting or reading the body
                if (deadlineBinds) {
                    return Outcome.deadline(e);
                }
                SocketTimeoutException t = new SocketTimeoutException("the client's call timeout passed");
                t.initCause(e);
                return Outcome.failed(t);
            }
            if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException) && Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw cancelled(call);
            }
            return Outcome.failed(e);
        } catch (BoundedBody.TooLargeException e) {
            throw new MalformedDataException(
                    call.operation() + " response from " + host + " is larger than " + e.limit()
                            + " bytes; raise maxResponseBytes on the HttpTransport if this is expected",
                    ctx.withStatusCode(status).withAttempts(attempt),
                    null);
        } finally {
            if (held != null) {
                held.clear();
            }
            long nanos = System.nanoTime() - start;
            fire(l -> l.onAttemptEnd(host, mailbox)); // before the release, so gauges never overshoot the limits
            hostLimiter.release(host);
            if (mailbox != null) {
                mailboxLimiter.release(mailbox);
            }
            RequestRecord record = new RequestRecord(
                    provider,
                    call.operation(),
                    mailbox,
                    request.method(),
                    host,
                    status,
                    attempt,
                    nanos,
                    requestBytes,
                    responseBytes);
            fire(l -> l.onRequest(record));
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "{} {} {} {} -> {} ({} ms, attempt {})",
                        provider,
                        call.operation(),
                        request.method(),
                        Redaction.url(request.url()),
                        status == 0 ? "failed" : status,
                        nanos / 1_000_000,
                        attempt);
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("request headers:\n{}", Redaction.headers(request.headers()));
            }
        }
    }

    private void acquire(String host, Mailbox mailbox, HttpCall call) {
        boolean mailboxHeld = false;
        try {
            if (mailbox != null) {
                mailboxLimiter.acquire(mailbox);
                mailboxHeld = true;
            }
            hostLimiter.acquire(host);
        } catch (InterruptedException e) {
            if (mailboxHeld) {
                mailboxLimiter.release(mailbox);
            }
            Thread.currentThread().interrupt();
            throw cancelled(call);
        }
    }

    private void pause(Duration wait, CancellationScope scope, HttpCall call) {
        checkCancelled(scope, call);
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(call);
        }
        checkCancelled(scope, call);
    }

    private static void checkCancelled(CancellationScope scope, HttpCall call) {
        if (scope.isCancelled()) {
            throw cancelled(call);
        }
    }

    private static CancellationException cancelled(HttpCall call) {
        return new CancellationException(
                call.operation() + " request to " + call.request().url().host() + " was cancelled");
    }

    private static long requestBytes(Request request) {
        try {
            return request.body() == null ? 0 : Math.max(0, request.body().contentLength());
        } catch (IOException e) {
            return 0;
        }
    }

    private void fire(java.util.function.Consumer<RequestListener> event) {
        for (RequestListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("request listener {} failed: {}", l.getClass().getName(), e.toString());
            }
        }
    }

    private static final class Outcome {
        final HttpResponse response;
        final IOException failure;
        final boolean deadlinePassed;

        private Outcome(HttpResponse response, IOException failure, boolean deadlinePassed) {
            this.response = response;
            this.failure = failure;
            this.deadlinePassed = deadlinePassed;
        }

        static Outcome of(HttpResponse r) {
            return new Outcome(r, null, false);
        }

        static Outcome failed(IOException e) {
            return new Outcome(null, e, false);
        }

        static Outcome deadline(IOException e) {
            return new Outcome(null, e, true);
        }
    }

    /** Builds an {@link HttpTransport}. */
    public static final class Builder {
        private OkHttpClient client; // null: the shared default (TLS set up on the first https request)
        private UnaryOperator<OkHttpClient.Builder> customizer;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private int maxConcurrentPerHost = 16;
        private int maxConcurrentPerMailbox = 4;
        private final List<RequestListener> listeners = new ArrayList<>();
        private String provider = "http";
        private long maxResponseBytes = 32L * 1024 * 1024;
        private Duration timeout = Duration.ofSeconds(60);
        private OriginPolicy originPolicy;

        private Builder() {}

        /**
         * The overall deadline of each call across all its attempts and the pauses between them (default
         * 60 s; a call may set its own with {@link HttpCall.Builder#timeout}). Measured on the monotonic
         * clock. When it passes, the in-flight exchange is cut off (also while the body is still arriving)
         * and the call fails with {@link OperationTimeoutException}; a retry whose pause would end after it
         * is not attempted.
         *
         * @param timeout the deadline, positive
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            Checks.notNull(timeout, "timeout");
            Checks.check(
                    !timeout.isNegative() && !timeout.isZero(), "timeout", "timeout must be positive, was " + timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * The origin policy every call is checked against (default none: the transport sends where it is
         * told). A transport shared by several connections leaves this unset, and each connection derives
         * its own with {@link HttpTransport#withOriginPolicy}.
         *
         * @param policy the origin policy, not null
         * @return this builder
         */
        public Builder originPolicy(OriginPolicy policy) {
            this.originPolicy = policy;
            return this;
        }

        /**
         * The OkHttp client (timeouts, proxy, TLS, connection pool); the transport sends with a copy that
         * never retries or follows redirects by itself and does not reuse connections of HTTP/1.0 servers.
         *
         * @param client the client, not null; it is not modified
         * @return this builder
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.client = Checks.notNull(client, "okHttpClient");
            return this;
        }

        /**
         * Changes to the OkHttp client the transport sends with: the one given to {@link #okHttpClient}, or
         * the shared default when none is given (whose TLS set-up, with the platform's trust store, still waits
         * for the first {@code https} request: a process that talks to a plain-HTTP server never pays for it).
         * Called again, the changes add up in order. Used by providers for settings of their own (timeouts, an
         * authenticator, a connection pool), like {@link HttpTransport#withClient} on a built transport.
         *
         * <pre>{@code
         * HttpTransport t = HttpTransport.builder()
         *     .customizeClient(b -> b.connectTimeout(Duration.ofSeconds(15)))
         *     .build();
         * }</pre>
         *
         * @param customizer changes a builder and returns the builder to build, not null
         * @return this builder
         * @since 0.5
         */
        public Builder customizeClient(UnaryOperator<OkHttpClient.Builder> customizer) {
            Checks.notNull(customizer, "customizer");
            UnaryOperator<OkHttpClient.Builder> before = this.customizer;
            this.customizer = before == null ? customizer : b -> customizer.apply(before.apply(b));
            return this;
        }

        /**
         * When to retry.
         *
         * @param retryPolicy the policy, not null
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Checks.notNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * The clock {@code Retry-After} dates are compared with.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * How to wait between retries.
         *
         * @param sleeper the sleeper, not null
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Checks.notNull(sleeper, "sleeper");
            return this;
        }

        /**
         * At most this many attempts in flight to one host (fair queueing beyond it); at least 1.
         *
         * @param max the limit, at least 1
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code max} is below 1
         */
        public Builder maxConcurrentPerHost(int max) {
            Checks.check(max >= 1, "maxConcurrentPerHost", "maxConcurrentPerHost must be >= 1, was " + max);
            this.maxConcurrentPerHost = max;
            return this;
        }

        /**
         * At most this many attempts in flight for one mailbox; at least 1.
         *
         * @param max the limit, at least 1
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code max} is below 1
         */
        public Builder maxConcurrentPerMailbox(int max) {
            Checks.check(max >= 1, "maxConcurrentPerMailbox", "maxConcurrentPerMailbox must be >= 1, was " + max);
            this.maxConcurrentPerMailbox = max;
            return this;
        }

        /**
         * Adds an accounting listener (may be called several times).
         *
         * @param listener the listener, not null; called on the calling thread
         * @return this builder
         */
        public Builder listener(RequestListener listener) {
            listeners.add(Checks.notNull(listener, "listener"));
            return this;
        }

        /**
         * The provider id put in errors and request records.
         *
         * @param providerId the provider id, not blank
         * @return this builder
         */
        public Builder provider(String providerId) {
            this.provider = Checks.notBlank(providerId, "provider");
            return this;
        }

        /**
         * The largest response body read; larger ones fail with {@link MalformedDataException}.
         *
         * @param max the limit in bytes, positive
         * @return this builder
         */
        public Builder maxResponseBytes(long max) {
            Checks.check(max >= 0, "maxResponseBytes", "maxResponseBytes must not be negative, was " + max);
            this.maxResponseBytes = max;
            return this;
        }

        /**
         * The transport.
         *
         * @return a new transport; close it when done to release its client's threads and connections
         */
        public HttpTransport build() {
            return new HttpTransport(this);
        }
    }
}
