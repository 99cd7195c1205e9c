package org.calsdk.testkit.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.ProtocolFaults;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.RouteHandler;

/**
 * Routes MockWebServer requests to a fake's handlers, applying faults and counting calls. Not public API.
 *
 * @param <S> the fake's state type
 */
public final class FakeDispatcher<S> extends Dispatcher {
    /** The operation name of requests that matched no route. */
    public static final String UNMATCHED = "unmatched";

    /** One route. */
    public record Route<S>(String method, RoutePattern pattern, String operation, RouteHandler<S> handler) {}

    private final String name;
    private final S state;
    private final List<Route<S>> routes;
    private final Function<FakeRequest, String> mailboxResolver;
    private final ProtocolFaults protocolFaults;
    private final FaultScript faults;
    private final RequestAccounting accounting;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    public FakeDispatcher(String name, S state, List<Route<S>> routes, Function<FakeRequest, String> mailboxResolver,
                          ProtocolFaults protocolFaults, FaultScript faults, RequestAccounting accounting) {
        this.name = name;
        this.state = state;
        this.routes = List.copyOf(routes);
        this.mailboxResolver = mailboxResolver;
        this.protocolFaults = protocolFaults;
        this.faults = faults;
        this.accounting = accounting;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) {
        byte[] body = recorded.getBody().readByteArray();
        FakeRequest bare = new FakeRequest(recorded.getMethod(), recorded.getRequestUrl(), Map.of(),
                recorded.getHeaders(), body, UNMATCHED, null);
        Route<S> route = null;
        Map<String, String> vars = Map.of();
        boolean pathKnown = false;
        for (Route<S> r : routes) {
            Optional<Map<String, String>> m = r.pattern().match(recorded.getRequestUrl().pathSegments());
            if (m.isPresent()) {
                pathKnown = true;
                if (r.method().equalsIgnoreCase(recorded.getMethod())) {
                    route = r;
                    vars = m.get();
                    break;
                }
            }
        }
        FakeRequest request = new FakeRequest(bare.method(), bare.url(), vars, bare.headers(), body,
                route == null ? UNMATCHED : route.operation(), null);
        String mailbox = route == null ? null : safeMailbox(request);
        request = request.with(request.operation(), mailbox);
        accounting.begin(request.operation(), mailbox, body.length);
        accounting.sent(request);
        Fault fault = null;
        MockResponse answer;
        int status = 0;
        long outBytes = 0;
        try {
            fault = route == null ? null : faults.next(request.operation(), mailbox).orElse(null);
            if (fault instanceof Fault.Latency l) {
                sleep(l.delay().toMillis());
            }
            FakeResponse response;
            if (route == null) {
                response = pathKnown
                        ? FakeResponse.json(405, "{\"error\":{\"code\":405,\"message\":\"method not allowed here\"}}")
                        : FakeResponse.json(404, "{\"error\":{\"code\":404,\"message\":\"no such resource on fake " + name + "\"}}");
                answer = toMock(response);
            } else if (fault == null || fault instanceof Fault.Latency) {
                response = handle(route, request);
                answer = toMock(response);
            } else {
                answer = faulted(fault, route, request);
                response = null;
            }
            if (answer.getSocketPolicy() == SocketPolicy.KEEP_OPEN) {
                status = Integer.parseInt(answer.getStatus().split(" ")[1]);
            }
            outBytes = answer.getBody() == null ? 0 : answer.getBody().size();
            return answer;
        } finally {
            accounting.end(new RequestAccounting.Call(request.method(), request.path(), request.operation(), mailbox,
                    status, fault == null ? null : fault.getClass().getSimpleName(), body.length, outBytes));
        }
    }

    private String safeMailbox(FakeRequest request) {
        try {
            return mailboxResolver.apply(request);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private FakeResponse handle(Route<S> route, FakeRequest request) {
        try {
            return route.handler().handle(request, state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FakeResponse.json(503, "{\"error\":{\"code\":503,\"message\":\"fake interrupted\"}}");
        } catch (Exception e) {
            String msg = String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "'");
            return FakeResponse.json(500, "{\"error\":{\"code\":500,\"message\":\"fake handler failed: "
                    + e.getClass().getSimpleName() + ": " + msg + "\"}}");
        }
    }

    private MockResponse faulted(Fault fault, Route<S> route, FakeRequest request) {
        if (fault instanceof Fault.Status s) {
            return toMock(s.response());
        }
        if (fault instanceof Fault.ConnectionReset) {
            return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        if (fault instanceof Fault.DropResponseAfterCommit) {
            handle(route, request);
            return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        if (fault instanceof Fault.TruncatedBody) {
            FakeResponse r = handle(route, request);
            if (r.body().length < 2) {
                r = new FakeResponse(r.status(), r.headers(),
                        "{\"truncated\":\"body\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return toMock(r).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
        }
        if (fault instanceof Fault.SlowBody s) {
            return toMock(handle(route, request))
                    .throttleBody(s.bytesPerPeriod(), s.period().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (fault instanceof Fault.NoResponse) {
            return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        }
        if (fault instanceof Fault.InvalidSyncToken) {
            return toMock(protocolFaults.invalidSyncToken(request));
        }
        if (fault instanceof Fault.ExpiredSubscription) {
            return toMock(protocolFaults.expiredSubscription(request));
        }
        if (fault instanceof Fault.RevokedToken) {
            return toMock(protocolFaults.revokedToken(request));
        }
        return toMock(handle(route, request));
    }

    private static MockResponse toMock(FakeResponse r) {
        MockResponse m = new MockResponse().setResponseCode(r.status());
        r.headers().forEach(m::setHeader);
        m.setBody(new Buffer().write(r.body()));
        return m;
    }

    private void sleep(long millis) {
        try {
            closing.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
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
