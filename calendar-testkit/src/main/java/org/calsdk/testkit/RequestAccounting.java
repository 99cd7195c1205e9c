package org.calsdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FakeServer} was asked: calls per operation and per mailbox, HTTP round trips (a batch is
 * one round trip carrying many logical calls), bytes in and out, the highest number of calls in flight at
 * once, and the most recent calls with their headers and (capped) bodies. Tests and benchmarks assert
 * round trips with it ("free/busy for 120 mailboxes took 3 calls") and what was sent ("sent If-Match").
 * Thread-safe; memory is bounded ({@link #RECENT_LIMIT} calls, {@link #DEFAULT_BODY_LIMIT} bytes of body
 * each, {@link #BODY_BUDGET} bytes of bodies in all: the oldest calls are forgotten first).
 *
 * <pre>{@code
 * assertThat(server.accounting().calls("freebusy")).isEqualTo(3);
 * assertThat(server.accounting().roundTrips()).isEqualTo(1);          // all three in one batch
 * assertThat(server.accounting().maxConcurrency()).isLessThanOrEqualTo(4);
 * assertThat(server.accounting().last("events.update").orElseThrow().header("If-Match")).contains("\"v1\"");
 * }</pre>
 *
 * @since 0.1
 */
public final class RequestAccounting {
    /** How many recent calls {@link #recent()} keeps. */
    public static final int RECENT_LIMIT = 10_000;
    /** How many bytes of each request body are kept by default ({@link #bodyLimit(int)}). */
    public static final int DEFAULT_BODY_LIMIT = 16 * 1024;
    /** How many bytes of request bodies all kept calls may hold together. */
    public static final long BODY_BUDGET = 32L * 1024 * 1024;

    /** What kind of call a {@link Call} was. */
    public enum Kind {
        /** A call in its own HTTP request. */
        SINGLE,
        /** A batch request (one round trip; its calls are recorded as {@link #BATCHED}). */
        BATCH,
        /** A call inside a batch request. */
        BATCHED
    }

    /**
     * One call.
     *
     * @param method        HTTP method
     * @param path          request path
     * @param operation     the route's operation name
     * @param mailbox       the mailbox it concerned (the first of several), or null
     * @param status        the status answered (0 when the connection was cut instead)
     * @param fault         the injected fault's name, or null
     * @param requestBytes  request body size
     * @param responseBytes response body size
     * @param kind          single call, batch request, or call inside a batch
     * @param mailboxes     every mailbox it concerned
     * @param headers       the request headers (credentials included: never print them)
     * @param body          the request body, cut at the accounting's body limit
     * @param bodyTruncated whether {@code body} was cut
     */
    public record Call(
            String method,
            String path,
            String operation,
            @Nullable String mailbox,
            int status,
            @Nullable String fault,
            long requestBytes,
            long responseBytes,
            Kind kind,
            List<String> mailboxes,
            Headers headers,
            byte[] body,
            boolean bodyTruncated) {
        /**
         * Checks the required components and fills the optional ones: a null {@code kind} is {@link Kind#SINGLE},
         * null {@code mailboxes} is {@code mailbox} alone (or none), null {@code headers} and {@code body} are empty.
         *
         * @param method HTTP method
         * @param path request path
         * @param operation the route's operation name
         * @param mailbox the mailbox it concerned (the first of several), or null
         * @param status the status answered (0 when the connection was cut instead)
         * @param fault the injected fault's name, or null
         * @param requestBytes request body size
         * @param responseBytes response body size
         * @param kind single call, batch request, or call inside a batch
         * @param mailboxes every mailbox it concerned
         * @param headers the request headers (credentials included: never print them)
         * @param body the request body, cut at the accounting's body limit
         * @param bodyTruncated whether {@code body} was cut
         * @throws NullPointerException if {@code method}, {@code path} or {@code operation} is null
         */
        public Call {
            java.util.Objects.requireNonNull(method, "method == null");
            java.util.Objects.requireNonNull(path, "path == null");
            java.util.Objects.requireNonNull(operation, "operation == null");
            kind = kind == null ? Kind.SINGLE : kind;
            mailboxes = mailboxes == null ? (mailbox == null ? List.of() : List.of(mailbox)) : List.copyOf(mailboxes);
            headers = headers == null ? Headers.of() : headers;
            body = body == null ? new byte[0] : body;
        }

        /**
         * A single call without recorded headers or body.
         *
         * @param method HTTP method
         * @param path request path
         * @param operation the route's operation name
         * @param mailbox the mailbox it concerned, or null
         * @param status the status answered (0 when the connection was cut instead)
         * @param fault the injected fault's name, or null
         * @param requestBytes request body size in bytes
         * @param responseBytes response body size in bytes
         * @throws NullPointerException if {@code method}, {@code path} or {@code operation} is null
         */
        public Call(
                String method,
                String path,
                String operation,
                String mailbox,
                int status,
                String fault,
                long requestBytes,
                long responseBytes) {
            this(
                    method,
                    path,
                    operation,
                    mailbox,
                    status,
                    fault,
                    requestBytes,
                    responseBytes,
                    Kind.SINGLE,
                    null,
                    null,
                    null,
                    false);
        }

        /**
         * The kept request body (cut at the accounting's body limit, see {@link #bodyTruncated()}).
         *
         * @return a copy of the bytes; empty when the call had no body or none was kept
         */
        @Override
        public byte[] body() {
            return body.clone();
        }

        /**
         * The request header {@code name} (case-insensitive).
         *
         * @param name the header name, in any case
         * @return the first value, or empty when the request did not carry it
         */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        /**
         * The kept request body as UTF-8 text.
         *
         * @return the body decoded as UTF-8, malformed bytes replaced; empty when none was kept
         */
        public String bodyString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            // never headers or body: they carry credentials and personal data
            return "Call[" + kind + " " + method + " " + path + ", operation=" + operation + ", status=" + status
                    + (fault == null ? "" : ", fault=" + fault)
                    + (mailboxes.isEmpty() ? "" : ", mailboxes=" + mailboxes)
                    + "]";
        }
    }

    private final Map<String, LongAdder> perOperation = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> perMailbox = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrency = new AtomicInteger();
    private final AtomicLong faults = new AtomicLong();
    private final Deque<Call> recent = new ArrayDeque<>();
    private final Deque<Sent> sent = new ArrayDeque<>();
    private final AtomicLong sentSequence = new AtomicLong();

    /** How many recent requests {@link #sent()} keeps (headers only, no bodies). */
    public static final int SENT_LIMIT = 1_000;

    /**
     * The request line and headers of one call, for assertions such as "the update sent If-Match". Its
     * {@code toString()} leaves the headers out: they carry credentials.
     *
     * @param sequence  its number among the requests this server received, from 1 (kept across {@link #reset()})
     * @param operation the route's operation name
     * @param method    HTTP method
     * @param path      request path
     * @param headers   the request headers as sent
     */
    public record Sent(long sequence, String operation, String method, String path, okhttp3.Headers headers) {
        /**
         * Checks that no component is null.
         *
         * @param sequence its number among the requests this server received, from 1 (kept across {@link #reset()})
         * @param operation the route's operation name
         * @param method HTTP method
         * @param path request path
         * @param headers the request headers as sent
         * @throws NullPointerException if a component is null
         */
        public Sent {
            java.util.Objects.requireNonNull(operation, "operation == null");
            java.util.Objects.requireNonNull(method, "method == null");
            java.util.Objects.requireNonNull(path, "path == null");
            java.util.Objects.requireNonNull(headers, "headers == null");
        }

        /**
         * The header {@code name} (case-insensitive), or empty.
         *
         * @param name the header name, in any case
         * @return the first value, or empty when the request did not carry it
         */
        public java.util.Optional<String> header(String name) {
            return java.util.Optional.ofNullable(headers.get(name));
        }

        @Override
        public String toString() {
            return "Sent[#" + sequence + " " + method + " " + path + ", operation=" + operation + "]";
        }
    }

    private long recentBodyBytes;
    private volatile int bodyLimit = DEFAULT_BODY_LIMIT;

    /**
     * Keeps at most {@code bytes} of each request body from now on (0: none).
     *
     * @param bytes the limit in bytes, 0 or more (0 keeps no bodies)
     * @return this accounting
     * @throws org.calsdk.errors.InvalidInputException if {@code bytes} is negative
     */
    public RequestAccounting bodyLimit(int bytes) {
        if (bytes < 0) {
            throw new org.calsdk.errors.InvalidInputException("bytes", "bytes must not be negative");
        }
        this.bodyLimit = bytes;
        return this;
    }

    /**
     * The per-call body limit.
     *
     * @return the limit in bytes ({@link #DEFAULT_BODY_LIMIT} unless changed)
     */
    public int bodyLimit() {
        return bodyLimit;
    }

    /** Counts one HTTP request received (called by the server; a batch is one). */
    void roundTrip() {
        roundTrips.increment();
    }

    /**
     * Marks a call as started (called by the server).
     *
     * @param operation the route's operation name
     * @param mailbox the mailbox the call concerns, or null
     * @param requestBytes the request body size in bytes
     */
    void begin(String operation, String mailbox, long requestBytes) {
        begin(operation, mailbox == null ? List.of() : List.of(mailbox), requestBytes, Kind.SINGLE);
    }

    /**
     * Marks a call as started (called by the server): a logical call counts in {@link #totalCalls()}, once
     * per operation and once for each of its mailboxes; a {@link Kind#BATCH} request only under its own
     * operation.
     *
     * @param operation the route's (or batch format's) operation name
     * @param mailboxes the mailboxes the call concerns, possibly empty; counted once each, ignoring case
     * @param requestBytes the request body size in bytes (not added for a call inside a batch: the batch request
     *     counted them)
     * @param kind single call, batch request or call inside a batch
     */
    void begin(String operation, List<String> mailboxes, long requestBytes, Kind kind) {
        if (kind != Kind.BATCH) {
            total.increment();
        }
        perOperation.computeIfAbsent(operation, k -> new LongAdder()).increment();
        for (String m : new java.util.LinkedHashSet<>(
                mailboxes.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList())) {
            perMailbox.computeIfAbsent(m, k -> new LongAdder()).increment();
        }
        if (kind != Kind.BATCHED) {
            bytesIn.add(requestBytes);
        }
        int now = inFlight.incrementAndGet();
        maxConcurrency.accumulateAndGet(now, Math::max);
    }

    /**
     * Records the headers of a request as it arrived (called by the server).
     *
     * @param request the request as the route sees it (its operation already set)
     */
    void sent(FakeRequest request) {
        synchronized (sent) {
            Sent s = new Sent(
                    sentSequence.incrementAndGet(),
                    request.operation(),
                    request.method(),
                    request.path(),
                    request.headers());
            sent.addLast(s);
            if (sent.size() > SENT_LIMIT) {
                sent.removeFirst();
            }
        }
    }

    /**
     * The most recent requests' headers (up to {@link #SENT_LIMIT}), oldest first.
     *
     * @return an immutable snapshot; empty before the first request
     */
    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /**
     * Marks a call as finished (called by the server).
     *
     * @param call the finished call, its fault and response size included
     */
    void end(Call call) {
        inFlight.decrementAndGet();
        if (call.kind() != Kind.BATCHED) {
            bytesOut.add(call.responseBytes());
        }
        if (call.fault() != null) {
            faults.incrementAndGet();
        }
        synchronized (recent) {
            recent.addLast(call);
            recentBodyBytes += call.body.length;
            while (recent.size() > RECENT_LIMIT || recentBodyBytes > BODY_BUDGET) {
                recentBodyBytes -= recent.removeFirst().body.length;
            }
        }
    }

    /**
     * {@code body} cut to the body limit, for a {@link Call}.
     *
     * @param body the full request body
     * @return a copy of at most {@link #bodyLimit()} bytes; compare its length with {@code body}'s to tell whether it
     *     was cut
     */
    byte[] keep(byte[] body) {
        int limit = bodyLimit;
        return body.length <= limit ? body.clone() : java.util.Arrays.copyOf(body, limit);
    }

    /**
     * Calls of {@code operation} (batch requests count under their format's operation, such as {@code batch}).
     *
     * @param operation the operation name
     * @return how many calls of it were started since the last {@link #reset()}; 0 for an unknown name
     */
    public long calls(String operation) {
        LongAdder a = perOperation.get(operation);
        return a == null ? 0 : a.sum();
    }

    /**
     * Calls concerning {@code email} (ignoring case); a call about several mailboxes counts for each.
     *
     * @param email the mailbox address
     * @return how many calls concerned it since the last {@link #reset()}; 0 when none did
     */
    public long callsFor(String email) {
        LongAdder a = perMailbox.get(email.toLowerCase(Locale.ROOT));
        return a == null ? 0 : a.sum();
    }

    /**
     * Calls per operation, sorted by name.
     *
     * @return an immutable map from operation name to call count, in name order
     */
    public Map<String, Long> callsPerOperation() {
        Map<String, Long> m = new TreeMap<>();
        perOperation.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * Logical calls: single calls plus the calls inside batches (not the batch requests themselves).
     *
     * @return the count since the last {@link #reset()}
     */
    public long totalCalls() {
        return total.sum();
    }

    /**
     * HTTP requests received: a batch counts once, however many calls it carries.
     *
     * @return the count since the last {@link #reset()}
     */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /**
     * Request body bytes received over HTTP.
     *
     * @return the byte count (not counting calls inside a batch twice)
     */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /**
     * Response body bytes sent over HTTP.
     *
     * @return the byte count
     */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /**
     * The most calls that were being handled at the same moment.
     *
     * @return the high-water mark of {@link #inFlight()}
     */
    public int maxConcurrency() {
        return maxConcurrency.get();
    }

    /**
     * Calls being handled now.
     *
     * @return the number of calls started and not yet finished
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Calls that got an injected fault.
     *
     * @return the count since the last {@link #reset()}
     */
    public long faultedCalls() {
        return faults.get();
    }

    /**
     * The most recent calls (up to {@link #RECENT_LIMIT}), oldest first.
     *
     * @return an immutable snapshot; fewer than {@link #RECENT_LIMIT} when the body budget forced older calls out
     */
    public List<Call> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /**
     * The most recent calls of {@code operation}, oldest first.
     *
     * @param operation the operation name
     * @return an immutable list, empty when no recent call had that operation
     */
    public List<Call> recent(String operation) {
        return recent().stream().filter(c -> c.operation().equals(operation)).toList();
    }

    /**
     * The latest call of {@code operation}.
     *
     * @param operation the operation name
     * @return the most recent such call, or empty when none is kept
     */
    public Optional<Call> last(String operation) {
        List<Call> calls = recent(operation);
        return calls.isEmpty() ? Optional.empty() : Optional.of(calls.get(calls.size() - 1));
    }

    /** Forgets everything counted so far. */
    public void reset() {
        perOperation.clear();
        perMailbox.clear();
        total.reset();
        roundTrips.reset();
        bytesIn.reset();
        bytesOut.reset();
        maxConcurrency.set(inFlight.get());
        faults.set(0);
        synchronized (recent) {
            recent.clear();
            recentBodyBytes = 0;
        }
        synchronized (sent) {
            sent.clear();
        }
    }
}
