package org.calsdk.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FakeServer} was asked: calls per operation and per mailbox, bytes in and out, the
 * highest number of calls in flight at once, and the most recent calls. Tests and benchmarks assert
 * round trips with it ("free/busy for 120 mailboxes took 3 calls"). Thread-safe.
 *
 * <pre>{@code
 * assertThat(server.accounting().calls("freebusy")).isEqualTo(3);
 * assertThat(server.accounting().maxConcurrency()).isLessThanOrEqualTo(4);
 * }</pre>
 *
 * @since 0.1
 */
public final class RequestAccounting {
    /** How many recent calls {@link #recent()} keeps. */
    public static final int RECENT_LIMIT = 10_000;

    /**
     * One call.
     *
     * @param method        HTTP method
     * @param path          request path
     * @param operation     the route's operation name
     * @param mailbox       the mailbox it concerned, or null
     * @param status        the status answered (0 when the connection was cut instead)
     * @param fault         the injected fault's name, or null
     * @param requestBytes  request body size
     * @param responseBytes response body size
     */
    public record Call(String method, String path, String operation, @Nullable String mailbox, int status, @Nullable String fault,
                       long requestBytes, long responseBytes) {
        public Call {
            java.util.Objects.requireNonNull(method, "method == null");
            java.util.Objects.requireNonNull(path, "path == null");
            java.util.Objects.requireNonNull(operation, "operation == null");
        }
    }

    private final Map<String, LongAdder> perOperation = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> perMailbox = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrency = new AtomicInteger();
    private final AtomicLong faults = new AtomicLong();
    private final Deque<Call> recent = new ArrayDeque<>();

    /** Marks a call as started (called by the server). */
    public void begin(String operation, String mailbox, long requestBytes) {
        total.increment();
        perOperation.computeIfAbsent(operation, k -> new LongAdder()).increment();
        if (mailbox != null) {
            perMailbox.computeIfAbsent(mailbox.toLowerCase(java.util.Locale.ROOT), k -> new LongAdder()).increment();
        }
        bytesIn.add(requestBytes);
        int now = inFlight.incrementAndGet();
        maxConcurrency.accumulateAndGet(now, Math::max);
    }

    /** Marks a call as finished (called by the server). */
    public void end(Call call) {
        inFlight.decrementAndGet();
        bytesOut.add(call.responseBytes());
        if (call.fault() != null) {
            faults.incrementAndGet();
        }
        synchronized (recent) {
            recent.addLast(call);
            if (recent.size() > RECENT_LIMIT) {
                recent.removeFirst();
            }
        }
    }

    public long calls(String operation) {
        LongAdder a = perOperation.get(operation);
        return a == null ? 0 : a.sum();
    }

    /** Calls concerning {@code email} (ignoring case). */
    public long callsFor(String email) {
        LongAdder a = perMailbox.get(email.toLowerCase(java.util.Locale.ROOT));
        return a == null ? 0 : a.sum();
    }

    /** Calls per operation, sorted by name. */
    public Map<String, Long> callsPerOperation() {
        Map<String, Long> m = new TreeMap<>();
        perOperation.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long totalCalls() {
        return total.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** The most calls that were being handled at the same moment. */
    public int maxConcurrency() {
        return maxConcurrency.get();
    }

    /** Calls being handled now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Calls that got an injected fault. */
    public long faultedCalls() {
        return faults.get();
    }

    /** The most recent calls (up to {@link #RECENT_LIMIT}), oldest first. */
    public List<Call> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** Forgets everything counted so far. */
    public void reset() {
        perOperation.clear();
        perMailbox.clear();
        total.reset();
        bytesIn.reset();
        bytesOut.reset();
        maxConcurrency.set(inFlight.get());
        faults.set(0);
        synchronized (recent) {
            recent.clear();
        }
    }
}
