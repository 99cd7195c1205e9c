package org.calsdk.availability;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.calsdk.internal.Checks;

/**
 * A participant's regular working hours: for each weekday, zero or more {@link TimeOfDayRange}s in
 * the participant's own time zone. Ranges of one day may overlap or touch; they are joined when the
 * availability engine evaluates them ({@code 09:00-12:00} plus {@code 12:00-17:00} admits a meeting at
 * 11:30-12:30). Immutable.
 *
 * <pre>{@code
 * WorkingHours hours = WorkingHours.builder()
 *         .on(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(12, 0))
 *         .on(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(13, 0), LocalTime.of(17, 0))
 *         .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class WorkingHours {
    private static final WorkingHours DEFAULTS = builder()
            .on(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0))
            .build();
    private static final WorkingHours NEVER = builder().build();
    private static final WorkingHours ALWAYS = builder()
            .on(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT)
            .build();

    private final Map<DayOfWeek, List<TimeOfDayRange>> ranges;

    private WorkingHours(Map<DayOfWeek, List<TimeOfDayRange>> ranges) {
        this.ranges = ranges;
    }

    /**
     * Monday to Friday, 09:00-17:00: what a participant gets when no working hours are given.
     *
     * @return the default hours
     */
    public static WorkingHours defaults() {
        return DEFAULTS;
    }

    /**
     * No working hours at all: the participant is never available.
     *
     * @return the empty hours
     */
    public static WorkingHours never() {
        return NEVER;
    }

    /**
     * Every day, all day.
     *
     * @return hours covering every day
     */
    public static WorkingHours always() {
        return ALWAYS;
    }

    /**
     * A builder; with no ranges added, the hours are never available.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ranges given for {@code day}, in the order they were added (empty when none).
     *
     * @param day the day of the week
     * @return the ranges, immutable
     */
    public List<TimeOfDayRange> on(DayOfWeek day) {
        return ranges.getOrDefault(Checks.notNull(day, "day"), List.of());
    }

    /**
     * Whether no day has any range.
     *
     * @return true when there are no hours at all
     */
    public boolean isNever() {
        return ranges.values().stream().allMatch(List::isEmpty);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkingHours w && ranges.equals(w.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return "WorkingHours" + ranges;
    }

    /** Collects ranges per weekday. */
    public static final class Builder {
        private final Map<DayOfWeek, List<TimeOfDayRange>> ranges = new EnumMap<>(DayOfWeek.class);

        private Builder() {}

        /**
         * Adds {@code range} to {@code day}.
         *
         * @param day the day of the week
         * @param range the hours to add
         * @return this builder
         */
        public Builder on(DayOfWeek day, TimeOfDayRange range) {
            Checks.notNull(day, "day");
            Checks.notNull(range, "range");
            ranges.computeIfAbsent(day, d -> new ArrayList<>()).add(range);
            return this;
        }

        /**
         * Adds {@code [start, end)} to each of {@code days}.
         *
         * @param days the days of the week
         * @param start the local start
         * @param end the local end, exclusive
         * @return this builder
         */
        public Builder on(Collection<DayOfWeek> days, LocalTime start, LocalTime end) {
            Checks.notNull(days, "days");
            TimeOfDayRange r = TimeOfDayRange.of(start, end);
            for (DayOfWeek d : Set.copyOf(days)) {
                on(d, r);
            }
            return this;
        }

        /**
         * Adds {@code [start, end)} to {@code day}.
         *
         * @param day the day of the week
         * @param start the local start
         * @param end the local end, exclusive
         * @return this builder
         */
        public Builder on(DayOfWeek day, LocalTime start, LocalTime end) {
            return on(day, TimeOfDayRange.of(start, end));
        }

        /**
         * Builds the working hours.
         *
         * @return the immutable hours
         */
        public WorkingHours build() {
            Map<DayOfWeek, List<TimeOfDayRange>> copy = new EnumMap<>(DayOfWeek.class);
            ranges.forEach((d, list) -> copy.put(d, List.copyOf(list)));
            return new WorkingHours(java.util.Collections.unmodifiableMap(copy));
        }
    }
}
