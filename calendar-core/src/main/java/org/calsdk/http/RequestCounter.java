package org.calsdk.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * A ready-made {@link RequestListener} that counts HTTP attempts per operation, per mailbox and in total,
 * sums body bytes, and tracks the concurrency high-water mark (overall, per host, per mailbox).
 * Thread-safe.
 *
 * <pre>{@code
 * RequestCounter counter = new RequestCounter();
 * HttpTransport transport = HttpTransport.builder().listener(counter).build();
 * connection.freeBusy(request);
 * System.out.println(counter.count("freebusy") + " free/busy calls");
 * }</pre>
 *
 * @since 0.1
 */
public final class RequestCounter implements RequestListener {
    private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
    private final Map<Mailbox, LongAdder> byMailbox = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder requestBytes = new LongAdder();
    private final LongAdder responseBytes = new LongAdder();
    private final Gauge overall = new Gauge();
    private final Map<String, Gauge> byHost = new ConcurrentHashMap<>();
    private final Map<Mailbox, Gauge> inFlightByMailbox = new ConcurrentHashMap<>();

    /** Creates a counter with everything at zero. */
    public RequestCounter() {}

    @Override
    public void onRequest(RequestRecord record) {
        total.increment();
        byOperation.computeIfAbsent(record.operation(), k -> new LongAdder()).increment();
        if (record.mailbox() != null) {
            byMailbox.computeIfAbsent(record.mailbox(), k -> new LongAdder()).increment();
        }
        byStatus.computeIfAbsent(record.status(), k -> new LongAdder()).increment();
        requestBytes.add(record.requestBytes());
        responseBytes.add(record.responseBytes());
    }

    @Override
    public void onAttemptStart(String host, Mailbox mailbox) {
        overall.enter();
        byHost.computeIfAbsent(host, k -> new Gauge()).enter();
        if (mailbox != null) {
            inFlightByMailbox.computeIfAbsent(mailbox, k -> new Gauge()).enter();
        }
    }

    @Override
    public void onAttemptEnd(String host, Mailbox mailbox) {
        overall.leave();
        byHost.computeIfAbsent(host, k -> new Gauge()).leave();
        if (mailbox != null) {
            inFlightByMailbox.computeIfAbsent(mailbox, k -> new Gauge()).leave();
        }
    }

    /**
     * All attempts counted.
     *
     * @return the count since this counter was made
     */
    public long total() {
        return total.sum();
    }

    /**
     * Attempts of one operation.
     *
     * @param operation the operation name
     * @return the count; 0 for an unknown one
     */
    public long count(String operation) {
        LongAdder a = byOperation.get(Checks.notNull(operation, "operation"));
        return a == null ? 0 : a.sum();
    }

    /**
     * Attempts made for one mailbox.
     *
     * @param mailbox the mailbox
     * @return the count; 0 when none were made
     */
    public long count(Mailbox mailbox) {
        LongAdder a = byMailbox.get(Checks.notNull(mailbox, "mailbox"));
        return a == null ? 0 : a.sum();
    }

    /**
     * Attempts that ended with {@code status} (0 = no response).
     *
     * @param status the HTTP status, or 0
     * @return the count
     */
    public long countStatus(int status) {
        LongAdder a = byStatus.get(status);
        return a == null ? 0 : a.sum();
    }

    /**
     * Attempts per operation, sorted by name.
     *
     * @return an immutable snapshot: operation name to count
     */
    public Map<String, Long> byOperation() {
        Map<String, Long> out = new TreeMap<>();
        byOperation.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Request body bytes sent.
     *
     * @return the byte count
     */
    public long requestBytes() {
        return requestBytes.sum();
    }

    /**
     * Response body bytes read.
     *
     * @return the byte count
     */
    public long responseBytes() {
        return responseBytes.sum();
    }

    /**
     * The most attempts ever in flight at once, over all hosts and mailboxes.
     *
     * @return the high-water mark
     */
    public int maxConcurrent() {
        return overall.max.get();
    }

    /**
     * The most attempts ever in flight at once to {@code host}.
     *
     * @param host the host name
     * @return the high-water mark; 0 for an unknown host
     */
    public int maxConcurrentForHost(String host) {
        Gauge g = byHost.get(Checks.notNull(host, "host"));
        return g == null ? 0 : g.max.get();
    }

    /**
     * The most attempts ever in flight at once for {@code mailbox}.
     *
     * @param mailbox the mailbox
     * @return the high-water mark; 0 when none were made
     */
    public int maxConcurrentForMailbox(Mailbox mailbox) {
        Gauge g = inFlightByMailbox.get(Checks.notNull(mailbox, "mailbox"));
        return g == null ? 0 : g.max.get();
    }

    /**
     * Attempts in flight right now.
     *
     * @return the number of attempts started and not finished
     */
    public int inFlight() {
        return overall.current.get();
    }

    @Override
    public String toString() {
        return "RequestCounter[total=" + total() + ", byOperation=" + byOperation() + ", maxConcurrent="
                + maxConcurrent() + "]";
    }

    private static final class Gauge {
        final AtomicInteger current = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        void enter() {
            int now = current.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
        }

        void leave() {
            current.decrementAndGet();
        }
    }
}
