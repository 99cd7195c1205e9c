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
 * @since 0.1
 */
public record RejectedSlot(Instant start, Instant end, List<String> available, List<Unavailability> unavailable) {
    public RejectedSlot {
        Checks.notNull(start, "start");
        Checks.notNull(end, "end");
        available = Checks.immutableList(available, "available");
        unavailable = Checks.immutableList(unavailable, "unavailable");
    }
}
