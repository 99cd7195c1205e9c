package org.calsdk.availability;

import org.calsdk.availability.internal.SweepEngine;
import org.calsdk.internal.Checks;

/**
 * Finds the times a group of people can meet: mutual free slots within working hours, around busy time
 * and buffers, honouring groups, limits and round robin, optionally explaining every rejected slot.
 * Runs in-process, exactly across time zones and daylight-saving changes, in O(n log n) in the number of
 * busy intervals plus O(groups) per candidate slot (see {@code docs/availability.md}).
 *
 * <pre>{@code
 * AvailabilityResult result = Availability.find(AvailabilityRequest.builder()
 *         .window(TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(5)))
 *         .duration(Duration.ofMinutes(30))
 *         .participant(Participant.builder("alice", ZoneId.of("America/New_York")).busy(aliceBusy).build())
 *         .participant(Participant.builder("bob", ZoneId.of("Europe/London")).busy(bobBusy).build())
 *         .build());
 * for (Slot slot : result.slots()) {
 *     System.out.println(slot.start() + " " + slot.participants());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class Availability {
    private Availability() {}

    /**
     * Computes the slots (and explanations, when asked for) of {@code request}. Thread-safe.
     *
     * @param request the participants, periods and rules
     * @return the slots in start order, and the explanations when the request asked for them
     */
    public static AvailabilityResult find(AvailabilityRequest request) {
        return SweepEngine.run(Checks.notNull(request, "request"));
    }
}
