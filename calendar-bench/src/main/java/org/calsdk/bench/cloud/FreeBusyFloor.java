package org.calsdk.bench.cloud;

/**
 * The floor of a free/busy fan-out of N mailboxes over a window shorter than every provider's maximum
 * (30 days), from {@code shared/reference/provider-facts.md}: the fewest API calls, the fewest HTTP round
 * trips they can be packed into, and the round trips that must follow one another however much the
 * provider lets a client run at once (the critical path; × latency = the wall-time floor).
 *
 * <ul>
 *   <li>Google: ⌈N/50⌉ {@code freeBusy.query} calls in ⌈calls/1000⌉ HTTP batches; batches are independent, so
 *       1 round trip on the critical path.</li>
 *   <li>Graph: ⌈N/20⌉ getSchedule calls in ⌈calls/20⌉ {@code $batch} requests; Outlook admits 4 concurrent
 *       requests per app and mailbox, and a user connection anchors every request at its own mailbox:
 *       ⌈batches/4⌉ round trips on the critical path.</li>
 *   <li>EWS: ⌈N/100⌉ GetUserAvailability calls, no batching; Exchange's default throttling policy admits 27
 *       concurrent requests per account ({@code EWSMaxConcurrency}, Exchange 2013 and later): ⌈calls/27⌉.</li>
 * </ul>
 *
 * @param calls        fewest API calls
 * @param roundTrips   fewest HTTP requests
 * @param criticalPath round trips that must run one after another
 */
public record FreeBusyFloor(long calls, long roundTrips, long criticalPath) {
    /** Graph's concurrent requests per app and mailbox. */
    public static final int GRAPH_CONCURRENCY = 4;
    /** Exchange's default {@code EWSMaxConcurrency}. */
    public static final int EWS_CONCURRENCY = 27;

    /** The floor for {@code n} mailboxes over one window within the provider's maximum. */
    public static FreeBusyFloor of(String provider, int n) {
        return switch (provider) {
            case "google" -> {
                long calls = ceil(n, 50);
                long trips = ceil(calls, 1000);
                yield new FreeBusyFloor(calls, trips, Math.min(trips, 1));
            }
            case "graph" -> {
                long calls = ceil(n, 20);
                long trips = ceil(calls, 20);
                yield new FreeBusyFloor(calls, trips, ceil(trips, GRAPH_CONCURRENCY));
            }
            case "ews" -> {
                long calls = ceil(n, 100);
                yield new FreeBusyFloor(calls, calls, ceil(calls, EWS_CONCURRENCY));
            }
            default -> throw new IllegalArgumentException("no free/busy floor for provider " + provider);
        };
    }

    static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
