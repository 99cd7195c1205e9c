package org.calsdk.bench.comparators;

import java.time.Instant;
import java.util.List;

/**
 * Free/busy of many mailboxes written with one official client library only, the way a developer would
 * write it with that library: {@link Style#CAREFUL} (batched or chunked as the service allows, one request
 * after another) or {@link Style#NAIVE} (one call per mailbox, in sequence). The benchmark harness runs these
 * in child JVMs against the same fake, with the same latency, as the SDK's {@code calendar freebusy}.
 */
public interface FreeBusyComparator {
    /** How the comparator spends round trips. */
    enum Style {
        CAREFUL,
        NAIVE
    }

    /** What a run answered. */
    record Result(int mailboxes, long busyIntervals, int requests) {}

    /**
     * Asks for the busy time of every mailbox in [from, to).
     *
     * @throws Exception when the service refused a call or a mailbox had no answer: a comparator that
     *         silently lost mailboxes would not be a fair comparison
     */
    Result freeBusy(Style style, List<String> mailboxes, Instant from, Instant to) throws Exception;

    /** Splits a list into chunks of at most {@code size}. */
    static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
