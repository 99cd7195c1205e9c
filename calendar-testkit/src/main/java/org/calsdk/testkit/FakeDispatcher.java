package org.calsdk.testkit;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.testkit.RequestAccounting.Kind;

/**
 * Routes requests to a fake's handlers, applying faults and counting calls: single calls, batch requests
 * taken apart into calls, routes chosen by path, method and (for EWS-like APIs) an operation read from
 * the body. Serves MockWebServer, and any other front end through {@link #serve}. Package-private: only
 * {@link FakeServer} builds one, so the accounting and route hooks it calls need not be public.
 *
 * @param <S> the fake's state type
 */
final class FakeDispatcher<S> extends Dispatcher {
    /** The operation name of requests that matched no route. */
    static final String UNMATCHED = "unmatched";

    private static final List<String> ENVELOPE_ONLY =
            List.of("Content-Type", "Content-Length", "Transfer-Encoding", "Content-Encoding", "Host", "Connection");

    private final String name;
    private final S state;
    private final List<RouteSpec<S>> routes;
    private final List<BatchFormat> batches;
    private final Function<FakeRequest, String> mailboxResolver;
    private final ProtocolFaults protocolFaults;
    private final ErrorDialect dialect;
    private final FaultScript faults;
    private final RequestAccounting accounting;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile long latencyMillis;

    FakeDispatcher(
            String name,
            S state,
            List<RouteSpec<S>> routes,
            List<BatchFormat> batches,
            Function<FakeRequest, String> mailboxResolver,
            ProtocolFaults protocolFaults,
            ErrorDialect dialect,
            FaultScript faults,
            RequestAccounting accounting) {
        this.name = name;
        this.state = state;
        this.routes = List.copyOf(routes);
        this.batches = List.copyOf(batches);
        this.mailboxResolver = mailboxResolver;
        this.protocolFaults = protocolFaults;
        this.dialect = dialect;
        this.faults = faults;
        this.accounting = accounting;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) {
        byte[] body = recorded.getBody().readByteArray();
        FakeRequest http = new FakeRequest(
                recorded.getMethod(), recorded.getRequestUrl(), Map.of(), recorded.getHeaders(), body, UNMATCHED, null);
        return toMock(serve(http));
    }

    /** Sets the delay before every HTTP request is answered (0: none); see {@link FakeServer#latency}. */
    void latency(long millis) {
        this.latencyMillis = millis;
    }

    /** Answers one HTTP request (a single call or a batch). */
    FakeServer.Served serve(FakeRequest http) {
        accounting.roundTrip();
        long latency = latencyMillis;
        if (latency > 0) {
            sleep(latency);
        }
        for (BatchFormat f : batches) {
            if (f.method().equalsIgnoreCase(http.method()) && samePath(f.path(), http.path())) {
                return batch(f, http);
            }
        }
        return call(http, Kind.SINGLE);
    }

    private static boolean samePath(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String p) {
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }

    // ---------------------------------------------------------------- one call

    private record Match<S>(RouteSpec<S> route, Map<String, String> vars, boolean pathKnown, boolean bodyUnknown) {}

    private Match<S> match(FakeRequest req) {
        boolean pathKnown = false;
        boolean bodyUnknown = false;
        Map<OperationExtractor, Optional<String>> extracted = new IdentityHashMap<>();
        for (RouteSpec<S> r : routes) {
            Optional<Map<String, String>> m = r.pattern().match(req.url().pathSegments());
            if (m.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (!r.method().equalsIgnoreCase(req.method())) {
                continue;
            }
            if (r.extractor() != null) {
                Optional<String> op = extracted.computeIfAbsent(r.extractor(), x -> safeExtract(x, req));
                if (!op.map(r.bodyOperation()::equals).orElse(false)) {
                    bodyUnknown = true;
                    continue;
                }
            }
            return new Match<>(r, m.get(), true, false);
        }
        return new Match<>(null, Map.of(), pathKnown, bodyUnknown);
    }

    private static Optional<String> safeExtract(OperationExtractor x, FakeRequest req) {
        try {
            Optional<String> op = x.operation(req);
            return op == null ? Optional.empty() : op;
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private FakeServer.Served call(FakeRequest req, Kind kind) {
        Match<S> m = match(req);
        byte[] body = req.body();
        if (m.route() == null) {
            accounting.begin(UNMATCHED, List.of(), body.length, kind);
            FakeResponse r = m.bodyUnknown()
                    ? dialect.render(400, null, "the request names no operation this fake " + name + " knows", null)
                    : m.pathKnown()
                            ? dialect.render(405, null, "method not allowed here", null)
                            : dialect.render(404, null, "no such resource on fake " + name, null);
            accounting.end(call(req, UNMATCHED, List.of(), r.status(), null, r.body().length, kind));
            return new FakeServer.Served(r, null);
        }
        RouteSpec<S> route = m.route();
        FakeRequest request =
                new FakeRequest(req.method(), req.url(), m.vars(), req.headers(), body, route.operation(), null);
        List<String> mailboxes = mailboxes(route, request);
        request = request.withMailboxes(mailboxes);
        accounting.begin(route.operation(), mailboxes, body.length, kind);
        accounting.sent(request);
        Fault fault = null;
        FakeServer.Served answer = null;
        try {
            FaultScript.Decision d = faults.decide(route.operation(), mailboxes);
            fault = d.callFault();
            if (!d.mailboxErrors().isEmpty()) {
                request = request.withMailboxErrors(d.mailboxErrors());
            }
            if (fault instanceof Fault.Latency l) {
                sleep(l.delay().toMillis());
            }
            answer = answer(fault, route, request);
            return answer;
        } finally {
            int status = answer != null
                            && answer.answer() != null
                            && (answer.networkFault() == null || answer.networkFault() instanceof Fault.SlowBody)
                    ? answer.answer().status()
                    : 0;
            long out = answer == null || answer.answer() == null
                    ? 0
                    : answer.answer().body().length;
            String faultName = fault == null
                    ? (request.mailboxErrors().isEmpty() ? null : "MailboxError")
                    : fault.getClass().getSimpleName();
            accounting.end(call(request, route.operation(), mailboxes, status, faultName, out, kind));
        }
    }

    private RequestAccounting.Call call(
            FakeRequest req, String op, List<String> mailboxes, int status, String fault, long outBytes, Kind kind) {
        byte[] body = req.body();
        byte[] kept = accounting.keep(body);
        return new RequestAccounting.Call(
                req.method(),
                req.path(),
                op,
                mailboxes.isEmpty() ? null : mailboxes.get(0),
                status,
                fault,
                body.length,
                outBytes,
                kind,
                mailboxes,
                req.headers(),
                kept,
                kept.length < body.length);
    }

    private List<String> mailboxes(RouteSpec<S> route, FakeRequest request) {
        try {
            if (route.mailboxExtractor() != null) {
                List<String> l = route.mailboxExtractor().mailboxes(request);
                return l == null
                        ? List.of()
                        : l.stream().filter(x -> x != null && !x.isBlank()).toList();
            }
            String m = mailboxResolver.apply(request);
            return m == null ? List.of() : List.of(m);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private FakeServer.Served answer(Fault fault, RouteSpec<S> route, FakeRequest request) {
        if (fault == null || fault instanceof Fault.Latency) {
            return new FakeServer.Served(handle(route, request), null);
        }
        if (fault instanceof Fault.Error e) {
            return new FakeServer.Served(e.render(dialect), null);
        }
        if (fault instanceof Fault.Status s) {
            return new FakeServer.Served(s.response(), null);
        }
        if (fault instanceof Fault.ConnectionReset || fault instanceof Fault.NoResponse) {
            return new FakeServer.Served(null, fault);
        }
        if (fault instanceof Fault.DropResponseAfterCommit) {
            handle(route, request);
            return new FakeServer.Served(null, fault);
        }
        if (fault instanceof Fault.TruncatedBody) {
            FakeResponse r = handle(route, request);
            if (r.body().length < 2) {
                r = new FakeResponse(
                        r.status(),
                        r.headers(),
                        "{\"truncated\":\"body\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return new FakeServer.Served(r, fault);
        }
        if (fault instanceof Fault.SlowBody) {
            return new FakeServer.Served(handle(route, request), fault);
        }
        if (fault instanceof Fault.InvalidSyncToken) {
            return new FakeServer.Served(protocolFaults.invalidSyncToken(request), null);
        }
        if (fault instanceof Fault.ExpiredSubscription) {
            return new FakeServer.Served(protocolFaults.expiredSubscription(request), null);
        }
        if (fault instanceof Fault.RevokedToken) {
            return new FakeServer.Served(protocolFaults.revokedToken(request), null);
        }
        return new FakeServer.Served(handle(route, request), null);
    }

    private FakeResponse handle(RouteSpec<S> route, FakeRequest request) {
        try {
            FakeResponse r = route.handler().handle(request, state);
            if (r == null) {
                return dialect.render(500, null, "fake handler of " + route.operation() + " answered nothing", null);
            }
            if (!request.mailboxErrors().isEmpty() && route.errorInjector() != null) {
                r = route.errorInjector().inject(request, r, request.mailboxErrors());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return dialect.render(503, null, "fake interrupted", null);
        } catch (Exception e) {
            return dialect.render(
                    500, null, "fake handler failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    // ---------------------------------------------------------------- batches

    private FakeServer.Served batch(BatchFormat format, FakeRequest http) {
        byte[] body = http.body();
        FakeRequest envelope =
                new FakeRequest(http.method(), http.url(), Map.of(), http.headers(), body, format.operation(), null);
        accounting.begin(format.operation(), List.of(), body.length, Kind.BATCH);
        Fault fault = null;
        FakeServer.Served answer = null;
        try {
            fault = faults.decide(format.operation(), List.of()).callFault();
            if (fault instanceof Fault.Latency l) {
                sleep(l.delay().toMillis());
            }
            if (fault instanceof Fault.Error e) {
                return answer = new FakeServer.Served(e.render(dialect), null);
            }
            if (fault instanceof Fault.Status s) {
                return answer = new FakeServer.Served(s.response(), null);
            }
            if (fault instanceof Fault.ConnectionReset || fault instanceof Fault.NoResponse) {
                return answer = new FakeServer.Served(null, fault);
            }
            if (fault instanceof Fault.RevokedToken) {
                return answer = new FakeServer.Served(protocolFaults.revokedToken(envelope), null);
            }
            List<BatchFormat.SubRequest> subs;
            try {
                subs = format.decode(envelope);
            } catch (InvalidInputException e) {
                return answer = new FakeServer.Served(dialect.render(400, null, e.getMessage(), null), null);
            }
            List<BatchFormat.SubResponse> answers = new ArrayList<>();
            Fault escalated = null;
            for (BatchFormat.SubRequest sub : subs) {
                FakeRequest one = new FakeRequest(
                        sub.method(),
                        sub.url(),
                        Map.of(),
                        merge(http.headers(), sub.headers()),
                        sub.body(),
                        UNMATCHED,
                        null);
                FakeServer.Served s = call(one, Kind.BATCHED);
                if (s.networkFault() != null && !(s.networkFault() instanceof Fault.SlowBody) && escalated == null) {
                    escalated = s.networkFault();
                }
                answers.add(new BatchFormat.SubResponse(
                        sub.id(),
                        s.answer() != null ? s.answer() : dialect.render(503, null, "connection lost", null)));
            }
            FakeResponse whole = format.encode(envelope, answers);
            Fault network = fault instanceof Fault.DropResponseAfterCommit
                            || fault instanceof Fault.TruncatedBody
                            || fault instanceof Fault.SlowBody
                    ? fault
                    : escalated;
            return answer = new FakeServer.Served(whole, network);
        } finally {
            int status = answer != null
                            && answer.answer() != null
                            && (answer.networkFault() == null || answer.networkFault() instanceof Fault.SlowBody)
                    ? answer.answer().status()
                    : 0;
            long out = answer == null || answer.answer() == null
                    ? 0
                    : answer.answer().body().length;
            accounting.end(call(
                    envelope,
                    format.operation(),
                    List.of(),
                    status,
                    fault == null ? null : fault.getClass().getSimpleName(),
                    out,
                    Kind.BATCH));
        }
    }

    /** The batch request's headers (credentials, Prefer, ...) under the call's own. */
    private static Headers merge(Headers envelope, Headers own) {
        Headers.Builder b = new Headers.Builder();
        for (int i = 0; i < envelope.size(); i++) {
            String n = envelope.name(i);
            if (ENVELOPE_ONLY.stream().noneMatch(n::equalsIgnoreCase) && own.get(n) == null) {
                b.add(n, envelope.value(i));
            }
        }
        for (int i = 0; i < own.size(); i++) {
            b.add(own.name(i), own.value(i));
        }
        return b.build();
    }

    // ---------------------------------------------------------------- MockWebServer

    private static MockResponse toMock(FakeServer.Served s) {
        Fault f = s.networkFault();
        if (f == null) {
            return toMock(s.answer());
        }
        if (f instanceof Fault.SlowBody sb) {
            return toMock(s.answer())
                    .throttleBody(sb.bytesPerPeriod(), sb.period().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (f instanceof Fault.TruncatedBody) {
            return toMock(s.answer()).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
        }
        if (f instanceof Fault.NoResponse) {
            return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        }
        return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
    }

    private static MockResponse toMock(FakeResponse r) {
        MockResponse m = new MockResponse().setResponseCode(r.status());
        // as every real server does (RFC 9110 6.6.1); clients judge clock skew by it
        m.setHeader(
                "Date",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
        r.headers().forEach(m::setHeader);
        m.setBody(new Buffer().write(r.body()));
        return m;
    }

    private void sleep(long millis) {
        try {
            closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes every call waiting in an injected latency: the server is shutting down. */
    @Override
    public void shutdown() {
        closing.countDown();
    }
}
