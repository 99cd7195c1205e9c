package org.calsdk.model;

/**
 * How a stretch of time is taken, in the terms all providers share (Graph's {@code showAs}, EWS's
 * {@code LegacyFreeBusyStatus}, RFC 5545 FBTYPE).
 *
 * @since 0.1
 */
public enum BusyStatus {
    /** Free: blocks nothing. */
    FREE,
    /** Tentative: blocks when the availability request counts it. */
    TENTATIVE,
    /** Busy. */
    BUSY,
    /** Out of office. */
    OUT_OF_OFFICE,
    /** Working somewhere else: says where, not whether; blocks nothing. */
    WORKING_ELSEWHERE;

    /**
     * The lower-camel name used in JSON: {@code busy}, {@code tentative}, {@code oof}, {@code workingElsewhere},
     * {@code free}.
     *
     * @return the JSON name
     */
    public String jsonName() {
        return switch (this) {
            case FREE -> "free";
            case TENTATIVE -> "tentative";
            case BUSY -> "busy";
            case OUT_OF_OFFICE -> "oof";
            case WORKING_ELSEWHERE -> "workingElsewhere";
        };
    }

    /**
     * Parses {@link #jsonName()} (case-insensitive), also accepting the enum constant names.
     *
     * @param name the JSON or constant name
     * @return the status
     * @throws org.calsdk.errors.InvalidInputException for an unknown name
     */
    public static BusyStatus fromJsonName(String name) {
        for (BusyStatus s : values()) {
            if (s.jsonName().equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new org.calsdk.errors.InvalidInputException(
                "status",
                "unknown busy status '" + name + "' (expected busy, tentative, oof, workingElsewhere or free)");
    }
}
