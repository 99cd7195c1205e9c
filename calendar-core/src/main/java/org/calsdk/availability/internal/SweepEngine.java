package org.calsdk.availability.internal;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.availability.Reason;
import org.calsdk.availability.RejectedSlot;
import org.calsdk.availability.RoundRobin;
import org.calsdk.availability.Slot;
import org.calsdk.availability.Unavailability;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.TimeWindow;

/**
 * The availability engine. Per participant (O(n log n) in their busy intervals): blocking intervals
 * widened by the buffers are sorted and merged; working hours are materialized per local date in the
 * participant's zone and merged; free time is working minus blocking. One pointer walk over the free
 * list against the candidate starts turns it into runs of candidate numbers the participant is
 * available for. The candidates are then swept in blocks: each participant's pointer into its runs
 * marks a small bitset and adds to difference counters of its groups, and each candidate is decided in
 * O(groups). Work is O(n log n + runs + candidates × groups + output); no per-minute grid, and memory
 * beyond the free lists is O(participants + groups) blocks.
 *
 * <p>Use {@link org.calsdk.availability.Availability#find}; this class is not public API.
 */
public final class SweepEngine {
    private SweepEngine() {}

    public static AvailabilityResult run(AvailabilityRequest request) {
        List<Participant> participants = new ArrayList<>(request.participants());
        participants.sort(Comparator.comparing(Participant::id));
        int n = participants.size();
        String[] ids = new String[n];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ids[i] = participants.get(i).id();
            index.put(ids[i], i);
        }

        List<TimeWindow> periods = request.periods();
        Instant first = periods.get(0).start();
        Instant last = periods.get(periods.size() - 1).end();
        Duration before = request.buffer().before();
        Duration after = request.buffer().after();
        // Blocking intervals further than the buffers (plus slack) outside the periods cannot matter.
        Duration pad = before.plus(after).plusDays(2);
        TimeBase base;
        try {
            base = new TimeBase(first.minus(pad), last.plus(pad));
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidInputException(
                    "window", "window: too close to the limits of time: " + first + " - " + last);
        }

        boolean explain = request.explain() && request.maxExplanations() > 0;
        Timeline[] timelines = new Timeline[n];
        for (int i = 0; i < n; i++) {
            timelines[i] =
                    Timeline.build(participants.get(i), base, before, after, request.countTentativeAsBusy(), explain);
        }

        RoundRobin rr = request.roundRobin().orElse(null);
        int[] hosts = hosts(rr, index, ids);
        int[][] groups = groups(request.groups(), rr, index, n);
        int[] required = required(request.groups(), groups);

        Explainer explainer = explain ? new Explainer(timelines, base, before, after, request.showBusyDetails()) : null;
        List<Slot> slots = new ArrayList<>();
        List<RejectedSlot> rejected = new ArrayList<>();
        boolean truncated = false;
        long explained = 0;
        IdSubset lastAvailable = null;
        int maxResults = request.maxResults().orElse(Integer.MAX_VALUE);

        Duration span = Duration.between(first, last);
        if (request.duration().compareTo(span) > 0) {
            return new AvailabilityResult(List.of(), List.of(), false);
        }
        long dur = request.duration().toNanos();
        long iv = request.interval().compareTo(span) > 0
                ? span.toNanos() + 1
                : request.interval().toNanos();
        CandidateGrid grid = new CandidateGrid(periods, base, dur, iv);

        // Per participant: the runs of candidate numbers it is available for. One pass over its free list
        // (slot inside a free interval) minus one over its limits (start on a day or week at the limit).
        long[][] admissible = new long[n][];
        for (int p = 0; p < n; p++) {
            admissible[p] =
                    Intervals.subtract(grid.slotsInside(timelines[p].free), grid.startsInside(timelines[p].noStart));
        }

        // Requirements as counters: each group, plus the eligible round-robin hosts needing one.
        int counters = groups.length + (hosts == null ? 0 : 1);
        int[] need = Arrays.copyOf(required, counters);
        List<List<Integer>> memberOf = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            memberOf.add(new ArrayList<>());
        }
        for (int g = 0; g < groups.length; g++) {
            for (int m : groups[g]) {
                memberOf.get(m).add(g);
            }
        }
        if (hosts != null) {
            need[groups.length] = 1;
            for (int h : hosts) {
                memberOf.get(h).add(groups.length);
            }
        }
        int[][] counterOf = new int[n][];
        for (int p = 0; p < n; p++) {
            counterOf[p] = memberOf.get(p).stream().mapToInt(Integer::intValue).toArray();
        }

        // The sweep, a block of candidates at a time so that the working set stays in cache: each
        // participant's pointer into its runs marks the block's bits and adds its runs to difference
        // counters of its groups; then one pass over the block's candidates decides each in O(groups).
        int words = BLOCK / 64;
        long[][] bits = new long[n][words];
        int[] cursor = new int[n];
        int[][] diff = new int[counters][BLOCK + 1];
        int[] running = new int[counters];
        boolean[] avail = new boolean[n];
        int period = 0;
        outer:
        for (int bs = 0; bs < grid.size; bs += BLOCK) {
            int be = Math.min(grid.size, bs + BLOCK);
            for (int[] d : diff) {
                Arrays.fill(d, 0);
            }
            for (int p = 0; p < n; p++) {
                long[] word = bits[p];
                Arrays.fill(word, 0L);
                long[] runs = admissible[p];
                int i = cursor[p];
                while (i < runs.length && runs[i] < be) {
                    int lo = (int) Math.max(runs[i], bs) - bs;
                    int hi = (int) Math.min(runs[i + 1], be) - bs;
                    if (lo < hi) {
                        setBits(word, lo, hi);
                        for (int g : counterOf[p]) {
                            diff[g][lo]++;
                            diff[g][hi]--;
                        }
                    }
                    if (runs[i + 1] > be) {
                        break; // the run goes on into the next block
                    }
                    i += 2;
                }
                cursor[p] = i;
            }
            Arrays.fill(running, 0);
            for (int c = bs; c < be; c++) {
                int at = c - bs;
                boolean ok = true;
                for (int g = 0; g < counters; g++) {
                    running[g] += diff[g][at];
                    ok &= running[g] >= need[g];
                }
                if (!ok && explainer == null) {
                    continue;
                }
                period = grid.period(c, period);
                long s = grid.start(c, period);
                long e = s + dur;
                String host = null;
                if (ok && hosts != null) {
                    for (int h : hosts) {
                        if (bit(bits[h], at)) {
                            host = ids[h];
                            break;
                        }
                    }
                }
                for (int p = 0; p < n; p++) {
                    avail[p] = bit(bits[p], at);
                }
                if (ok) {
                    lastAvailable = IdSubset.of(ids, avail, lastAvailable);
                    slots.add(new Slot(base.instant(s), base.instant(e), lastAvailable, host));
                    if (slots.size() >= maxResults) {
                        break outer;
                    }
                } else if (rejected.size() < request.maxExplanations() && explained + n <= MAX_EXPLANATION_ENTRIES) {
                    RejectedSlot r = explainer.explain(s, e, avail, ids, unmet(groups, required, hosts, avail, ids));
                    rejected.add(r);
                    explained += n;
                    for (Unavailability u : r.unavailable()) {
                        explained += u.reasons().size();
                    }
                } else {
                    // explanations are capped (count and total size): stop explaining, and stop the
                    // per-candidate work that only explanations needed
                    truncated = true;
                    explainer = null;
                }
            }
        }
        return new AvailabilityResult(slots, rejected, truncated);
    }

    /**
     * The most entries all explanations together may hold: per rejected candidate, one per participant
     * (available or not) plus one per reason. 10,000 participants over a year of 1-minute candidates
     * would otherwise be 100 million entries for {@code maxExplanations} 10,000.
     */
    public static final long MAX_EXPLANATION_ENTRIES = 200_000;

    /** Candidates per block of the sweep: 2048 bits (256 bytes) per participant. */
    private static final int BLOCK = 2048;

    private static boolean bit(long[] words, int i) {
        return (words[i >>> 6] & (1L << i)) != 0;
    }

    /** Sets bits {@code [from, to)}. */
    private static void setBits(long[] words, int from, int to) {
        int fw = from >>> 6;
        int tw = (to - 1) >>> 6;
        long first = -1L << from;
        long last = -1L >>> -to;
        if (fw == tw) {
            words[fw] |= first & last;
            return;
        }
        words[fw] |= first;
        for (int w = fw + 1; w < tw; w++) {
            words[w] = -1L;
        }
        words[tw] |= last;
    }

    /** The requirements a candidate failed, in words, sorted so that input order does not show. */
    private static List<String> unmet(int[][] groups, int[] required, int[] hosts, boolean[] avail, String[] ids) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < groups.length; g++) {
            int count = 0;
            for (int m : groups[g]) {
                if (avail[m]) {
                    count++;
                }
            }
            if (count < required[g]) {
                out.add("group " + names(groups[g], ids) + ": " + count + " available, " + required[g] + " required");
            }
        }
        if (hosts != null) {
            boolean any = false;
            for (int h : hosts) {
                any |= avail[h];
            }
            if (!any) {
                out.add("round robin: no eligible host available (eligible: " + String.join(", ", names(hosts, ids))
                        + ")");
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static List<String> names(int[] indices, String[] ids) {
        List<String> out = new ArrayList<>();
        for (int i : indices) {
            out.add(ids[i]);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Round-robin hosts in order of preference (fewest past bookings, then id), or null without round robin. */
    private static int[] hosts(RoundRobin rr, Map<String, Integer> index, String[] ids) {
        if (rr == null) {
            return null;
        }
        List<String> pool = new ArrayList<>(rr.hosts());
        pool.sort(Comparator.comparingInt(rr::bookings).thenComparing(Comparator.naturalOrder()));
        if (rr.method() == RoundRobin.Method.MAX_FAIRNESS) {
            int least = rr.bookings(pool.get(0));
            pool.removeIf(h -> rr.bookings(h) > least);
        }
        return pool.stream().mapToInt(index::get).toArray();
    }

    /** Member indices per group; without groups, one group of everyone (round-robin hosts excepted). */
    private static int[][] groups(List<ParticipantGroup> groups, RoundRobin rr, Map<String, Integer> index, int n) {
        if (!groups.isEmpty()) {
            int[][] out = new int[groups.size()][];
            for (int g = 0; g < groups.size(); g++) {
                out[g] = groups.get(g).members().stream()
                        .mapToInt(index::get)
                        .sorted()
                        .toArray();
            }
            return out;
        }
        Set<Integer> hosts = new HashSet<>();
        if (rr != null) {
            rr.hosts().forEach(h -> hosts.add(index.get(h)));
        }
        int[] everyone = java.util.stream.IntStream.range(0, n)
                .filter(i -> !hosts.contains(i))
                .toArray();
        return everyone.length == 0 ? new int[0][] : new int[][] {everyone};
    }

    private static int[] required(List<ParticipantGroup> groups, int[][] members) {
        int[] out = new int[members.length];
        for (int g = 0; g < members.length; g++) {
            out[g] = groups.isEmpty() ? members[g].length : groups.get(g).required();
        }
        return out;
    }

    /** Works out, for a rejected candidate, why each unavailable participant is unavailable. */
    private static final class Explainer {
        private final Timeline[] timelines;
        private final TimeBase base;
        private final long beforeN;
        private final long afterN;
        private final boolean details;
        private final long[][] blockerStarts;
        private final long[][] blockerMaxEnd;

        Explainer(Timeline[] timelines, TimeBase base, Duration before, Duration after, boolean details) {
            this.timelines = timelines;
            this.base = base;
            this.beforeN = before.toNanos();
            this.afterN = after.toNanos();
            this.details = details;
            this.blockerStarts = new long[timelines.length][];
            this.blockerMaxEnd = new long[timelines.length][];
            for (int p = 0; p < timelines.length; p++) {
                List<Timeline.Blocker> bl = timelines[p].blockers;
                long[] starts = new long[bl.size()];
                long[] maxEnd = new long[bl.size()];
                long m = Long.MIN_VALUE;
                for (int i = 0; i < bl.size(); i++) {
                    starts[i] = bl.get(i).s();
                    m = Math.max(m, bl.get(i).e());
                    maxEnd[i] = m;
                }
                blockerStarts[p] = starts;
                blockerMaxEnd[p] = maxEnd;
            }
        }

        RejectedSlot explain(long s, long e, boolean[] avail, String[] ids, List<String> unmet) {
            List<String> available = new ArrayList<>();
            List<Unavailability> unavailable = new ArrayList<>();
            for (int p = 0; p < timelines.length; p++) {
                if (avail[p]) {
                    available.add(ids[p]);
                } else {
                    unavailable.add(new Unavailability(ids[p], reasons(p, s, e)));
                }
            }
            return new RejectedSlot(base.instant(s), base.instant(e), available, unavailable, unmet);
        }

        private List<Reason> reasons(int p, long s, long e) {
            Timeline t = timelines[p];
            List<Reason> out = new ArrayList<>();
            if (!Intervals.contains(t.working, s, e)) {
                out.add(new Reason(Reason.Kind.OUTSIDE_WORKING_HOURS, null, "outside working hours", null, null));
            }
            // blocking intervals overlapping the slot widened by the buffers, [s - before, e + after)
            long ws = s - beforeN;
            long we = e + afterN;
            long[] starts = blockerStarts[p];
            int hi = upperBound(starts, we); // blockers [0, hi) start before we
            List<Reason> blocking = new ArrayList<>();
            for (int i = hi - 1; i >= 0 && blockerMaxEnd[p][i] > ws; i--) {
                Timeline.Blocker b = t.blockers.get(i);
                if (b.e() > ws) {
                    boolean inSlot = b.s() < e && b.e() > s;
                    blocking.add(blockingReason(inSlot ? Reason.Kind.BUSY : Reason.Kind.BUFFER, b));
                }
            }
            for (int i = blocking.size() - 1; i >= 0; i--) {
                out.add(blocking.get(i));
            }
            Participant who = t.participant;
            ZoneId zone = who.zone();
            Instant start = base.instant(s);
            LocalDate day = LocalDate.ofInstant(start, zone);
            if (inAny(t.dailyLimited, s)) {
                int count = who.existingMeetings().getOrDefault(day, 0);
                out.add(new Reason(
                        Reason.Kind.DAILY_LIMIT,
                        localDays(day, 1, zone),
                        "already " + count + " meetings on " + day + " (at most "
                                + who.maxMeetingsPerDay().getAsInt() + ")",
                        null,
                        null));
            }
            if (inAny(t.weeklyLimited, s)) {
                LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                int count = 0;
                for (int i = 0; i < 7; i++) {
                    count += who.existingMeetings().getOrDefault(monday.plusDays(i), 0);
                }
                out.add(new Reason(
                        Reason.Kind.WEEKLY_LIMIT,
                        localDays(monday, 7, zone),
                        "already " + count + " meetings in the week of " + monday + " (at most "
                                + who.maxMeetingsPerWeek().getAsInt() + ")",
                        null,
                        null));
            }
            return out;
        }

        private Reason blockingReason(Reason.Kind kind, Timeline.Blocker b) {
            TimeWindow when = TimeWindow.of(b.start(), b.end());
            if (!details) {
                return new Reason(kind, when, "busy", null, null);
            }
            String label = b.status().jsonName()
                    + (b.allDay() ? " (all day)" : "")
                    + (b.eventId() == null ? "" : " (event " + b.eventId() + ")");
            return new Reason(kind, when, label, b.status(), b.eventId());
        }

        private static TimeWindow localDays(LocalDate first, int days, ZoneId zone) {
            return TimeWindow.of(
                    first.atStartOfDay(zone).toInstant(),
                    first.plusDays(days).atStartOfDay(zone).toInstant());
        }

        private static boolean inAny(long[] pairs, long t) {
            int i = Intervals.floorPair(pairs, t);
            return i >= 0 && t < pairs[i + 1];
        }

        /** The number of elements of sorted {@code a} that are less than {@code key}. */
        private static int upperBound(long[] a, long key) {
            int i = Arrays.binarySearch(a, key);
            if (i < 0) {
                return -i - 1;
            }
            while (i > 0 && a[i - 1] == key) {
                i--;
            }
            return i;
        }
    }
}
