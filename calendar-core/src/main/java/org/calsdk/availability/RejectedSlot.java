package org.calsdk.availability;

import java.time.Instant;
import java.util.List;
import org.calsdk.internal.Checks;

/**
 * A candidate slot that was not returned, and why: who was available, and for everyone else, the
 * reasons. A candidate is rejected when some group (or the round-robin pool) has too few available.
 *
 * @param start       the candidate's start
 * @param end         the candidate's end
 * @param available   ids available for it, sorted
 * @param unavailable one entry per participant not available, sorted by id
 * @param unmet       the requirements that failed, in words, sorted (e.g. {@code "group [alice, bob]: 1 of 2
 *                    required available"}, {@code "round robin: no eligible host available (eligible: ben, cat)"})
 * @since 0.1
 */
public record RejectedSlot(
        Instant start, Instant end, List<String> available, List<Unavailability> unavailable, List<String> unmet) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param start the candidate's start
     * @param end the candidate's end
     * @param available ids available for it, sorted
     * @param unavailable one entry per participant not available, sorted by id
     * @param unmet the requirements that failed, in words, sorted (e.g. {@code "group [alice, bob]: 1 of 2 required
     *     available"}, {@code "round robin: no eligible host available (eligible: ben, cat)"})
     */
    public RejectedSlot {
        Checks.notNull(start, "start");
        Checks.notNull(end, "end");
        available = Checks.immutableList(available, "available");
        unavailable = Checks.immutableList(unavailable, "unavailable");
        unmet = Checks.immutableList(unmet, "unmet");
    }
}
