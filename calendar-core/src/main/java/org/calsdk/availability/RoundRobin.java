package org.calsdk.availability;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.calsdk.internal.Checks;

/**
 * Picks one host per slot from a pool of participants, given how many bookings each has had, in one of
 * Nylas' two ways:
 * <ul>
 *   <li>{@link Method#MAX_AVAILABILITY}: a slot is offered when any host is available; its host is the
 *       available one with the fewest past bookings. Most slots, reasonably fair.</li>
 *   <li>{@link Method#MAX_FAIRNESS}: only the hosts with the fewest past bookings are eligible; a slot
 *       is offered only when one of them is available. Fewer slots, strictly fair.</li>
 * </ul>
 * Ties go to the lowest id, so results are deterministic. Hosts are participants of the request; the
 * pool takes the place of a group (hosts are not otherwise required, even when the request has no
 * groups).
 *
 * <pre>{@code
 * RoundRobin rr = RoundRobin.of(RoundRobin.Method.MAX_FAIRNESS, List.of("ann", "ben", "cat"),
 *         Map.of("ann", 3, "ben", 1, "cat", 1));
 * }</pre>
 *
 * @param method       how hosts are chosen
 * @param hosts        participant ids of the pool, distinct, at least one
 * @param pastBookings bookings per host so far (absent = 0)
 * @since 0.1
 */
public record RoundRobin(Method method, List<String> hosts, Map<String, Integer> pastBookings) {

    /** Nylas' round-robin methods. */
    public enum Method {
        /** Offer a slot when any host is free; pick the free host with the fewest past bookings. */
        MAX_AVAILABILITY,
        /** Consider only the hosts with the fewest past bookings. */
        MAX_FAIRNESS
    }

    /**
     * Checks the pool.
     *
     * @param method how hosts are chosen
     * @param hosts participant ids of the pool, distinct, at least one
     * @param pastBookings bookings per host so far (absent = 0)
     * @throws org.calsdk.errors.InvalidInputException without hosts, with a host named twice, or with negative past bookings
     */
    public RoundRobin {
        Checks.notNull(method, "method");
        hosts = Checks.immutableList(Checks.notNull(hosts, "hosts"), "hosts");
        Checks.check(!hosts.isEmpty(), "roundRobin.hosts", "round robin needs at least one host");
        Checks.check(
                new HashSet<>(hosts).size() == hosts.size(),
                "roundRobin.hosts",
                "round robin names a host twice: " + hosts);
        pastBookings = Checks.immutableMap(pastBookings, "pastBookings");
        for (Map.Entry<String, Integer> e : pastBookings.entrySet()) {
            Checks.check(
                    e.getValue() != null && e.getValue() >= 0,
                    "roundRobin.pastBookings",
                    "past bookings of '" + e.getKey() + "' must not be negative");
        }
    }

    /**
     * A host pool.
     *
     * <pre>{@code
     * RoundRobin.of(RoundRobin.Method.MAX_FAIRNESS, List.of("ann", "ben"), Map.of("ann", 3, "ben", 1));
     * }</pre>
     *
     * @param method how a host is picked
     * @param hosts the pool's participant ids
     * @param pastBookings bookings so far per host (0 when not given)
     * @return the round robin
     */
    public static RoundRobin of(Method method, List<String> hosts, Map<String, Integer> pastBookings) {
        return new RoundRobin(method, hosts, pastBookings);
    }

    /**
     * Past bookings of {@code host} (0 when not given).
     *
     * @param host the host's id
     * @return the count
     */
    public int bookings(String host) {
        return pastBookings.getOrDefault(host, 0);
    }
}
