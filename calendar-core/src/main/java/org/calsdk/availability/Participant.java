package org.calsdk.availability;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.calsdk.internal.Checks;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;

/**
 * Someone (or a room) whose time an {@link AvailabilityRequest} considers: an id, a time zone, working
 * hours with date overrides, busy time, and optional meeting limits. Immutable; build with
 * {@link #builder(String, ZoneId)}.
 *
 * <p>Which busy time blocks a slot: {@link BusyStatus#BUSY} and {@link BusyStatus#OUT_OF_OFFICE}
 * always; {@link BusyStatus#TENTATIVE} unless the request says tentative does not count;
 * {@link BusyStatus#FREE} never; {@link BusyStatus#WORKING_ELSEWHERE} never either, because the person is
 * working, only somewhere else (a home office, another site): it says where, not whether. Put an
 * {@code OUT_OF_OFFICE} or {@code BUSY} entry for travel time that must be protected.
 *
 * <p>Limits: with {@link Builder#maxMeetingsPerDay(int)} the participant is not offered for a slot
 * starting on a local date that already has that many meetings ({@link Builder#meetingsOn(LocalDate, int)});
 * {@link Builder#maxMeetingsPerWeek(int)} does the same for the ISO week (Monday to Sunday, local) of
 * the slot's start.
 *
 * <pre>{@code
 * Participant alice = Participant.builder("alice", ZoneId.of("America/New_York"))
 *         .workingHours(WorkingHours.defaults())
 *         .override(DateOverride.dayOff(LocalDate.of(2026, 3, 6)))
 *         .busy(freeBusy.busy())
 *         .busyAllDay(LocalDate.of(2026, 3, 4), BusyStatus.OUT_OF_OFFICE)
 *         .maxMeetingsPerDay(4).meetingsOn(LocalDate.of(2026, 3, 2), 4)
 *         .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Participant {
    private final String id;
    private final ZoneId zone;
    private final WorkingHours workingHours;
    private final List<DateOverride> overrides;
    private final List<BusyInterval> busy;
    private final List<AllDayBusy> allDay;
    private final int maxPerDay;
    private final int maxPerWeek;
    private final Map<LocalDate, Integer> meetings;

    private Participant(Builder b) {
        this.id = b.id;
        this.zone = b.zone;
        this.workingHours = b.workingHours;
        this.overrides = List.copyOf(b.overrides);
        this.busy = List.copyOf(b.busy);
        this.allDay = List.copyOf(b.allDay);
        this.maxPerDay = b.maxPerDay;
        this.maxPerWeek = b.maxPerWeek;
        this.meetings = java.util.Collections.unmodifiableMap(new TreeMap<>(b.meetings));
    }

    /**
     * Starts a participant with working hours {@link WorkingHours#defaults()} and no busy time.
     *
     * @param id the caller's id, unique within a request
     * @param zone the participant's zone
     * @return a new builder
     */
    public static Builder builder(String id, ZoneId zone) {
        return new Builder(id, zone);
    }

    /**
     * A builder holding everything this participant has.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(id, zone).workingHours(workingHours);
        b.overrides.addAll(overrides);
        b.busy.addAll(busy);
        b.allDay.addAll(allDay);
        b.maxPerDay = maxPerDay;
        b.maxPerWeek = maxPerWeek;
        b.meetings.putAll(meetings);
        return b;
    }

    /**
     * The caller's id for this participant, unique within a request; slots list these ids.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The zone working hours, overrides, all-day entries and limits are read in.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * When the participant works, in their zone.
     *
     * @return the hours; Monday–Friday 09:00–17:00 unless set
     */
    public WorkingHours workingHours() {
        return workingHours;
    }

    /**
     * Days off and changed hours on given dates.
     *
     * @return the overrides
     */
    public List<DateOverride> overrides() {
        return overrides;
    }

    /**
     * Busy intervals as given (any order, any status).
     *
     * @return the intervals, immutable
     */
    public List<BusyInterval> busy() {
        return busy;
    }

    /**
     * Whole local days that block.
     *
     * @return the all-day entries
     */
    public List<AllDayBusy> allDayBusy() {
        return allDay;
    }

    /**
     * The most meetings the participant takes on one local date.
     *
     * @return the limit, or empty for none
     */
    public OptionalInt maxMeetingsPerDay() {
        return maxPerDay < 0 ? OptionalInt.empty() : OptionalInt.of(maxPerDay);
    }

    /**
     * The most meetings the participant takes in one ISO week.
     *
     * @return the limit, or empty for none
     */
    public OptionalInt maxMeetingsPerWeek() {
        return maxPerWeek < 0 ? OptionalInt.empty() : OptionalInt.of(maxPerWeek);
    }

    /**
     * Meetings the participant already has, per local date (dates not present have none).
     *
     * @return an immutable map: local date to meeting count
     */
    public Map<LocalDate, Integer> existingMeetings() {
        return meetings;
    }

    @Override
    public String toString() {
        return "Participant[" + id + ", " + zone + ", " + busy.size() + " busy, " + allDay.size() + " all-day]";
    }

    /** Collects a participant's data; {@link #build()} makes the immutable value. */
    public static final class Builder {
        private final String id;
        private final ZoneId zone;
        private WorkingHours workingHours = WorkingHours.defaults();
        private final List<DateOverride> overrides = new ArrayList<>();
        private final List<BusyInterval> busy = new ArrayList<>();
        private final List<AllDayBusy> allDay = new ArrayList<>();
        private int maxPerDay = -1;
        private int maxPerWeek = -1;
        private final Map<LocalDate, Integer> meetings = new TreeMap<>();

        private Builder(String id, ZoneId zone) {
            this.id = Checks.notBlank(id, "id");
            this.zone = Checks.notNull(zone, "zone");
        }

        /**
         * Regular hours; {@link WorkingHours#never()} makes the participant never available.
         *
         * @param hours the working hours
         * @return this builder
         */
        public Builder workingHours(WorkingHours hours) {
            this.workingHours = Checks.notNull(hours, "workingHours");
            return this;
        }

        /**
         * Adds a date override.
         *
         * @param override the override
         * @return this builder
         */
        public Builder override(DateOverride override) {
            overrides.add(Checks.notNull(override, "override"));
            return this;
        }

        /**
         * Adds date overrides.
         *
         * @param overrides the overrides
         * @return this builder
         */
        public Builder overrides(Collection<DateOverride> overrides) {
            Checks.notNull(overrides, "overrides").forEach(this::override);
            return this;
        }

        /**
         * Adds busy time (from any provider's free/busy).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder busy(BusyInterval interval) {
            busy.add(Checks.notNull(interval, "busy"));
            return this;
        }

        /**
         * Adds busy intervals, e.g. a provider's {@code FreeBusy.busy()}.
         *
         * @param intervals the intervals to add
         * @return this builder
         */
        public Builder busy(Collection<BusyInterval> intervals) {
            Checks.notNull(intervals, "busy").forEach(this::busy);
            return this;
        }

        /**
         * Adds an all-day entry taking the whole local {@code date}.
         *
         * @param date the local date
         * @param status how the entry takes time (FREE does not block)
         * @return this builder
         */
        public Builder busyAllDay(LocalDate date, BusyStatus status) {
            allDay.add(AllDayBusy.of(date, status));
            return this;
        }

        /**
         * Adds a whole local day.
         *
         * @param entry the date and status
         * @return this builder
         */
        public Builder busyAllDay(AllDayBusy entry) {
            allDay.add(Checks.notNull(entry, "allDay"));
            return this;
        }

        /**
         * At most {@code max} meetings (existing ones included) on one local date; 0 means none at all.
         *
         * @param max the limit, 0 or more
         * @return this builder
         */
        public Builder maxMeetingsPerDay(int max) {
            Checks.check(max >= 0, "maxMeetingsPerDay", "maxMeetingsPerDay must not be negative: " + max);
            this.maxPerDay = max;
            return this;
        }

        /**
         * At most {@code max} meetings in one ISO week (Monday to Sunday, local).
         *
         * @param max the limit, 0 or more
         * @return this builder
         */
        public Builder maxMeetingsPerWeek(int max) {
            Checks.check(max >= 0, "maxMeetingsPerWeek", "maxMeetingsPerWeek must not be negative: " + max);
            this.maxPerWeek = max;
            return this;
        }

        /**
         * Records that the participant already has {@code count} meetings on local {@code date}.
         *
         * @param date the local date
         * @param count the number of meetings, 0 or more
         * @return this builder
         */
        public Builder meetingsOn(LocalDate date, int count) {
            Checks.notNull(date, "date");
            Checks.check(count >= 0, "meetings", "meeting count must not be negative: " + count);
            meetings.put(date, count);
            return this;
        }

        /**
         * Builds the participant.
         *
         * @return the immutable participant
         */
        public Participant build() {
            return new Participant(this);
        }
    }
}
