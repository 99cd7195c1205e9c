package org.calsdk.availability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.TimeWindow;

/**
 * "When can these people meet?": the query periods, the meeting length, the grid of start times, the
 * buffers, the participants and which of them are required. Immutable; build with {@link #builder()},
 * run with {@link Availability#find(AvailabilityRequest)}.
 *
 * <p>Semantics: candidate starts are {@code period.start + k * interval} (k = 0, 1, …) for each query
 * period, keeping the candidates whose slot {@code [start, start + duration)} lies inside the period. A
 * participant is available for a slot when the slot lies inside their working hours (see
 * {@link Participant}) and {@code [start - buffer.before, end + buffer.after)} overlaps none of their
 * blocking intervals, and their meeting limits allow it. A slot is returned when every group has at
 * least its required number of members available (no groups: every participant is required) and, with
 * round robin, a host can be chosen. Slots come sorted by start, at most {@link #maxResults()}.
 *
 * <pre>{@code
 * AvailabilityRequest request = AvailabilityRequest.builder()
 *         .window(TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(5)))
 *         .duration(Duration.ofMinutes(30))
 *         .interval(Duration.ofMinutes(15))
 *         .buffer(Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(5)))
 *         .participant(alice).participant(bob)
 *         .build();
 * AvailabilityResult result = Availability.find(request);
 * }</pre>
 *
 * @since 0.1
 */
public final class AvailabilityRequest {
    /** The most candidate starts one request may ask the engine to consider. */
    public static final long MAX_CANDIDATES = 1_000_000L;
    /** The most (candidate, group) decisions one request may need: candidates × (groups + 1). */
    public static final long MAX_DECISIONS = 50_000_000L;
    /**
     * The largest answer one request may produce: slots (at most maxResults) × participants listed. At
     * this bound the CLI's streamed JSON is about 90 MB; 10,000 participants with maxResults 10,000 (100
     * million entries, 900 MB of JSON) are refused.
     */
    public static final long MAX_ANSWER = 10_000_000L;
    /** The longest span (first period start to last period end) a request may cover. */
    public static final Duration MAX_SPAN = Duration.ofDays(366L * 20);

    private final List<TimeWindow> periods;
    private final Duration duration;
    private final Duration interval;
    private final Buffer buffer;
    private final List<Participant> participants;
    private final List<ParticipantGroup> groups;
    private final boolean countTentativeAsBusy;
    private final int maxResults;
    private final RoundRobin roundRobin;
    private final boolean explain;
    private final boolean showBusyDetails;
    private final int maxExplanations;

    private AvailabilityRequest(Builder b) {
        this.periods = List.copyOf(b.periods);
        this.duration = b.duration;
        this.interval = b.interval == null ? b.duration : b.interval;
        this.buffer = b.buffer;
        this.participants = List.copyOf(b.participants);
        this.groups = List.copyOf(b.groups);
        this.countTentativeAsBusy = b.countTentativeAsBusy;
        this.maxResults = b.maxResults;
        this.roundRobin = b.roundRobin;
        this.explain = b.explain;
        this.showBusyDetails = b.showBusyDetails;
        this.maxExplanations = b.maxExplanations;
    }

    /**
     * A builder; give a window (or periods), a duration and the participants.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding everything this request has.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.periods.addAll(periods);
        b.duration = duration;
        b.interval = interval;
        b.buffer = buffer;
        b.participants.addAll(participants);
        b.groups.addAll(groups);
        b.countTentativeAsBusy = countTentativeAsBusy;
        b.maxResults = maxResults;
        b.roundRobin = roundRobin;
        b.explain = explain;
        b.showBusyDetails = showBusyDetails;
        b.maxExplanations = maxExplanations;
        return b;
    }

    /**
     * The query periods, sorted by start, not overlapping.
     *
     * @return the periods, immutable
     */
    public List<TimeWindow> periods() {
        return periods;
    }

    /**
     * Length of the meeting.
     *
     * @return the duration, positive
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Distance between candidate starts (the duration unless set).
     *
     * @return the interval, positive
     */
    public Duration interval() {
        return interval;
    }

    /**
     * The time kept free before and after each slot.
     *
     * @return the buffer, {@link Buffer#isNone()} by default
     */
    public Buffer buffer() {
        return buffer;
    }

    /**
     * Participants in the order given.
     *
     * @return the participants, immutable
     */
    public List<Participant> participants() {
        return participants;
    }

    /**
     * The groups; empty means every participant is required.
     *
     * @return the groups, immutable
     */
    public List<ParticipantGroup> groups() {
        return groups;
    }

    /**
     * Whether tentative time blocks (default true).
     *
     * @return true when tentative time counts as busy
     */
    public boolean countTentativeAsBusy() {
        return countTentativeAsBusy;
    }

    /**
     * The most slots to return; empty when unlimited.
     *
     * @return the limit, or empty
     */
    public OptionalInt maxResults() {
        return maxResults == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(maxResults);
    }

    /**
     * The host pool, when a slot needs one free host rather than everyone.
     *
     * @return the round robin, or empty
     */
    public Optional<RoundRobin> roundRobin() {
        return Optional.ofNullable(roundRobin);
    }

    /**
     * Whether the result explains every rejected candidate slot.
     *
     * @return true when explanations were asked for
     */
    public boolean explain() {
        return explain;
    }

    /**
     * Whether explanations may show busy details (status, event id) rather than just "busy".
     *
     * @return true when details may be shown
     */
    public boolean showBusyDetails() {
        return showBusyDetails;
    }

    /**
     * The most rejected candidates explained (the rest are counted as truncated). Independently, all
     * explanations together hold at most 200,000 entries (one per participant of each explained
     * candidate, plus one per reason), so explanations stay small whatever the number of participants.
     *
     * @return the limit
     */
    public int maxExplanations() {
        return maxExplanations;
    }

    @Override
    public String toString() {
        return "AvailabilityRequest[periods=" + periods + ", duration=" + duration + ", interval=" + interval
                + ", buffer=" + buffer + ", participants=" + participants.size() + ", groups=" + groups.size() + "]";
    }

    /** Collects a request; {@link #build()} checks it and names the offending field when it is wrong. */
    public static final class Builder {
        private final List<TimeWindow> periods = new ArrayList<>();
        private Duration duration;
        private Duration interval;
        private Buffer buffer = Buffer.NONE;
        private final List<Participant> participants = new ArrayList<>();
        private final List<ParticipantGroup> groups = new ArrayList<>();
        private boolean countTentativeAsBusy = true;
        private int maxResults = Integer.MAX_VALUE;
        private RoundRobin roundRobin;
        private boolean explain;
        private boolean showBusyDetails;
        private int maxExplanations = 10_000;

        private Builder() {}

        /**
         * The one query period (replaces any periods set before).
         *
         * @param window the period to search
         * @return this builder
         */
        public Builder window(TimeWindow window) {
            periods.clear();
            periods.add(Checks.notNull(window, "window"));
            return this;
        }

        /**
         * Several query periods (replaces any set before); they must not overlap.
         *
         * @param periods the periods to search, not overlapping
         * @return this builder
         */
        public Builder periods(Collection<TimeWindow> periods) {
            List<TimeWindow> copy = Checks.immutableList(Checks.notNull(periods, "periods"), "periods");
            this.periods.clear();
            this.periods.addAll(copy);
            return this;
        }

        /**
         * Sets how long a slot is.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder duration(Duration duration) {
            this.duration = Checks.notNull(duration, "duration");
            return this;
        }

        /**
         * Sets the step between candidate starts (default: the duration).
         *
         * @param interval positive
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.notNull(interval, "interval");
            return this;
        }

        /**
         * Sets the time kept free around each slot.
         *
         * @param buffer the buffer
         * @return this builder
         */
        public Builder buffer(Buffer buffer) {
            this.buffer = Checks.notNull(buffer, "buffer");
            return this;
        }

        /**
         * Adds a participant.
         *
         * @param participant with an id unique in the request
         * @return this builder
         */
        public Builder participant(Participant participant) {
            participants.add(Checks.notNull(participant, "participant"));
            return this;
        }

        /**
         * Adds participants.
         *
         * @param participants with ids unique in the request
         * @return this builder
         */
        public Builder participants(Collection<Participant> participants) {
            Checks.notNull(participants, "participants").forEach(this::participant);
            return this;
        }

        /**
         * Adds a group (with groups, only they are required).
         *
         * @param group members and how many must be free
         * @return this builder
         */
        public Builder group(ParticipantGroup group) {
            groups.add(Checks.notNull(group, "group"));
            return this;
        }

        /**
         * Adds groups.
         *
         * @param groups the groups
         * @return this builder
         */
        public Builder groups(Collection<ParticipantGroup> groups) {
            Checks.notNull(groups, "groups").forEach(this::group);
            return this;
        }

        /**
         * Sets whether tentative time blocks (default {@code true}).
         *
         * @param count whether it blocks
         * @return this builder
         */
        public Builder countTentativeAsBusy(boolean count) {
            this.countTentativeAsBusy = count;
            return this;
        }

        /**
         * Returns at most {@code max} slots (at least 1).
         *
         * @param max the most slots, at least 1
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code max} is below 1
         */
        public Builder maxResults(int max) {
            Checks.check(max >= 1, "maxResults", "maxResults must be at least 1, was " + max);
            this.maxResults = max;
            return this;
        }

        /**
         * Offers slots where a host of the pool is free, instead of a group.
         *
         * @param roundRobin the pool and how a host is picked
         * @return this builder
         */
        public Builder roundRobin(RoundRobin roundRobin) {
            this.roundRobin = Checks.notNull(roundRobin, "roundRobin");
            return this;
        }

        /**
         * Asks for an explanation of every rejected candidate slot (up to {@link #maxExplanations(int)}).
         *
         * @param explain true to explain
         * @return this builder
         */
        public Builder explain(boolean explain) {
            this.explain = explain;
            return this;
        }

        /**
         * Lets explanations show busy status and event ids; otherwise they say only "busy".
         *
         * @param show true to show details
         * @return this builder
         */
        public Builder showBusyDetails(boolean show) {
            this.showBusyDetails = show;
            return this;
        }

        /**
         * Sets how many rejected candidates are explained at most (default 10,000).
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxExplanations(int max) {
            Checks.check(max >= 0, "maxExplanations", "maxExplanations must not be negative, was " + max);
            this.maxExplanations = max;
            return this;
        }

        /**
         * Checks and freezes the request.
         *
         * @return the immutable request
         * @throws InvalidInputException naming the field: no window, duration or interval not positive,
         *                               overlapping periods, no participants, duplicate ids, a group or
         *                               host naming an unknown id, too many candidates
         */
        public AvailabilityRequest build() {
            if (periods.isEmpty()) {
                throw new InvalidInputException("window", "window: a window (or query periods) is required");
            }
            if (duration == null) {
                throw new InvalidInputException("duration", "duration: the meeting duration is required");
            }
            Checks.check(
                    !duration.isNegative() && !duration.isZero(),
                    "duration",
                    "duration: must be positive, was " + duration);
            Duration iv = interval == null ? duration : interval;
            Checks.check(!iv.isNegative() && !iv.isZero(), "interval", "interval: must be positive, was " + iv);
            periods.sort(Comparator.comparing(TimeWindow::start));
            for (int i = 1; i < periods.size(); i++) {
                Checks.check(
                        !periods.get(i).start().isBefore(periods.get(i - 1).end()),
                        "periods[" + i + "]",
                        "periods[" + i + "]: overlaps the previous period " + periods.get(i - 1));
            }
            Instant first = periods.get(0).start();
            Instant last = periods.get(periods.size() - 1).end();
            Checks.check(
                    Duration.between(first, last).compareTo(MAX_SPAN) <= 0,
                    "window",
                    "window: spans more than " + MAX_SPAN.toDays() + " days");
            Checks.check(
                    buffer.before().compareTo(MAX_SPAN) <= 0 && buffer.after().compareTo(MAX_SPAN) <= 0,
                    "buffer",
                    "buffer: longer than " + MAX_SPAN.toDays() + " days");
            long candidates = 0;
            for (TimeWindow p : periods) {
                Duration room = p.duration().minus(duration);
                if (!room.isNegative()) {
                    candidates += room.dividedBy(iv) + 1;
                }
            }
            Checks.check(
                    candidates <= MAX_CANDIDATES,
                    "interval",
                    "interval: " + iv + " gives " + candidates + " candidate starts, more than " + MAX_CANDIDATES
                            + "; use a longer interval or a shorter window");
            Checks.check(!participants.isEmpty(), "participants", "participants: at least one participant is required");
            long decisions = candidates * (groups.size() + 1L);
            Checks.check(
                    decisions <= MAX_DECISIONS,
                    "groups",
                    "groups: " + groups.size() + " groups over " + candidates + " candidate starts is more than "
                            + MAX_DECISIONS + " decisions; use fewer groups or a longer interval");
            long answer = Math.min(candidates, maxResults) * (long) participants.size();
            Checks.check(
                    answer <= MAX_ANSWER,
                    "maxResults",
                    "maxResults: up to " + Math.min(candidates, maxResults)
                            + " slots of " + participants.size() + " participants could exceed " + MAX_ANSWER
                            + " entries (bound AvailabilityRequest.MAX_ANSWER); set a lower maxResults or a longer interval");
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < participants.size(); i++) {
                Integer before = index.putIfAbsent(participants.get(i).id(), i);
                Checks.check(
                        before == null,
                        "participants[" + i + "].id",
                        "participants[" + i + "].id: '" + participants.get(i).id()
                                + "' is already the id of participants[" + before + "]");
            }
            for (int g = 0; g < groups.size(); g++) {
                List<String> members = groups.get(g).members();
                for (int m = 0; m < members.size(); m++) {
                    String field = "groups[" + g + "].members[" + m + "]";
                    Checks.check(
                            index.containsKey(members.get(m)),
                            field,
                            field + ": unknown participant '" + members.get(m) + "'");
                }
            }
            if (roundRobin != null) {
                for (int h = 0; h < roundRobin.hosts().size(); h++) {
                    String field = "roundRobin.hosts[" + h + "]";
                    Checks.check(
                            index.containsKey(roundRobin.hosts().get(h)),
                            field,
                            field + ": unknown participant '"
                                    + roundRobin.hosts().get(h) + "'");
                }
            }
            return new AvailabilityRequest(this);
        }
    }
}
