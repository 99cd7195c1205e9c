package org.calsdk.ical;

import org.calsdk.errors.InvalidInputException;

/**
 * Bounds on the work one expansion ({@link Recurrences#expand}, {@link Recurrences#expandAll},
 * {@link Recurrences#busy}) may do, so that a hostile or mistaken series cannot hang or exhaust the
 * host. Immutable; {@link #DEFAULT} is safe for servers and is what the SDK's providers use.
 *
 * <p>{@code maxSubDailyInstances}: a <em>sub-daily</em> rule (FREQ=HOURLY, MINUTELY or SECONDLY, or any
 * rule naming several times of day through BYHOUR × BYMINUTE × BYSECOND) may yield at most this many
 * instances per series in one expansion: the instances in the window plus those the engine looks at
 * just before it (27 hours plus the event's length, for occurrences that started earlier); instances
 * before that, walked only to be counted towards COUNT, are bounded by COUNT's own limit of one million.
 * Beyond it the stream throws
 * {@link org.calsdk.errors.LimitExceededException} with limit {@code "ical.maxSubDailyInstances"}.
 * The default, {@value #DEFAULT_MAX_SUB_DAILY_INSTANCES}, admits an hourly series over 20 years or a
 * per-minute one over 130 days; a per-second series only over about a day.
 *
 * <pre>{@code
 * ExpansionLimits generous = ExpansionLimits.DEFAULT.withMaxSubDailyInstances(2_000_000);
 * Recurrences.expand(event, window, zone, generous).forEach(this::show);
 * }</pre>
 *
 * @param maxSubDailyInstances instances a sub-daily rule may yield per series and expansion (positive)
 * @since 0.1
 */
public record ExpansionLimits(int maxSubDailyInstances) {
    /** The default of {@link #maxSubDailyInstances()}. */
    public static final int DEFAULT_MAX_SUB_DAILY_INSTANCES = 200_000;
    /** The defaults. */
    public static final ExpansionLimits DEFAULT = new ExpansionLimits(DEFAULT_MAX_SUB_DAILY_INSTANCES);

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param maxSubDailyInstances instances a sub-daily rule may yield per series and expansion (positive)
     */
    public ExpansionLimits {
        if (maxSubDailyInstances < 1) {
            throw new InvalidInputException(
                    "maxSubDailyInstances", "maxSubDailyInstances must be positive, was " + maxSubDailyInstances);
        }
    }

    /**
     * A copy with another {@link #maxSubDailyInstances()}.
     *
     * @param max the new limit, positive
     * @return the copy
     */
    public ExpansionLimits withMaxSubDailyInstances(int max) {
        return new ExpansionLimits(max);
    }
}
