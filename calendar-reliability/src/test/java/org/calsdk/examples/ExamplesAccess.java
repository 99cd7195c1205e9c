package org.calsdk.examples;

import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityRequest;

/** The reliability suite's door to the examples' package-private readers (test code only). */
public final class ExamplesAccess {
    private ExamplesAccess() {
    }

    /** Reads an availability request as the {@code availability} command does, and answers it. */
    public static int availability(String json) {
        AvailabilityRequest req = AvailabilityRequestReader.read(json);
        return Availability.find(req).slots().size();
    }
}
