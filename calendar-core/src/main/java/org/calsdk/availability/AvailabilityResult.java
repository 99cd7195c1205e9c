package org.calsdk.availability;

import java.util.List;
import org.calsdk.internal.Checks;

/**
 * The answer to an {@link AvailabilityRequest}: the slots, sorted by start, and when explanations were
 * asked for, the rejected candidates (sorted by start) with the reasons per participant.
 *
 * @param slots                  returned slots, at most the request's {@code maxResults}
 * @param rejected               explained rejected candidates (empty unless explanations were asked for)
 * @param explanationsTruncated  whether more candidates were rejected than were explained: more than
 *                               {@code maxExplanations}, or more than the explanations' total size allows
 *                               ({@code SweepEngine.MAX_EXPLANATION_ENTRIES}, 200,000 entries: one per
 *                               participant of each explained candidate plus one per reason)
 * @since 0.1
 */
public record AvailabilityResult(List<Slot> slots, List<RejectedSlot> rejected, boolean explanationsTruncated) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param slots returned slots, at most the request's {@code maxResults}
     * @param rejected explained rejected candidates (empty unless explanations were asked for)
     * @param explanationsTruncated whether more candidates were rejected than were explained: more than {@code
     *     maxExplanations}, or more than the explanations' total size allows ({@code
     *     SweepEngine.MAX_EXPLANATION_ENTRIES}, 200,000 entries: one per participant of each explained candidate plus
     *     one per reason)
     */
    public AvailabilityResult {
        slots = Checks.immutableList(slots, "slots");
        rejected = Checks.immutableList(rejected, "rejected");
    }
}
