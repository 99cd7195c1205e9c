package org.calsdk.availability;

import java.util.List;
import org.calsdk.internal.Checks;

/**
 * Why one participant was not available for a rejected candidate slot: every reason that applies.
 *
 * @param participant the participant's id
 * @param reasons     at least one reason
 * @since 0.1
 */
public record Unavailability(String participant, List<Reason> reasons) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param participant the participant's id
     * @param reasons at least one reason
     */
    public Unavailability {
        Checks.notNull(participant, "participant");
        reasons = Checks.immutableList(reasons, "reasons");
    }
}
