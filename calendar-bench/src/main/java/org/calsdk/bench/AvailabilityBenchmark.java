package org.calsdk.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.Buffer;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The availability engine on 50 participants x 90 days x 10 busy intervals a day (45,000 intervals),
 * every 30-minute slot on a 15-minute grid (8,640 candidates), against the floor of simply sorting the
 * same intervals, and at 10x the input ({@code scale=10}: 500 participants, 450,000 intervals).
 *
 * <p>Participants are spread over eight zones (including +05:30, +05:45 and Lord Howe's half-hour
 * daylight saving) with default working hours and a 10/5-minute buffer; a fifth of them must be available
 * for a slot, so slots are actually found. Busy intervals are 15 to 90 minutes at random times of each
 * UTC day (fixed seed), a tenth of them tentative.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class AvailabilityBenchmark {
    static final List<ZoneId> ZONES = List.of(
            ZoneId.of("America/New_York"),
            ZoneId.of("Europe/London"),
            ZoneId.of("Europe/Berlin"),
            ZoneId.of("Asia/Kolkata"),
            ZoneId.of("Asia/Kathmandu"),
            ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("America/Los_Angeles"),
            ZoneId.of("UTC"));

    /** 1 = the size; 10 = ten times as many participants and intervals. */
    @Param({"1", "10"})
    int scale;

    AvailabilityRequest request;
    List<BusyInterval> allIntervals;
    long[] allStarts;

    @Setup(Level.Trial)
    public void setUp() {
        int participants = 50 * scale;
        int days = 90;
        int perDay = 10;
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        Random rnd = new Random(42);
        List<Participant> ps = new ArrayList<>();
        allIntervals = new ArrayList<>(participants * days * perDay);
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < participants; p++) {
            String id = String.format("p%04d", p);
            ids.add(id);
            Participant.Builder b = Participant.builder(id, ZONES.get(p % ZONES.size()));
            for (int d = 0; d < days; d++) {
                Instant day = start.plus(Duration.ofDays(d));
                for (int i = 0; i < perDay; i++) {
                    Instant s = day.plus(Duration.ofMinutes(5L * rnd.nextInt(288)));
                    Instant e = s.plus(Duration.ofMinutes(15L * (1 + rnd.nextInt(6))));
                    BusyInterval bi =
                            BusyInterval.of(s, e, rnd.nextInt(10) == 0 ? BusyStatus.TENTATIVE : BusyStatus.BUSY);
                    b.busy(bi);
                    allIntervals.add(bi);
                }
            }
            ps.add(b.build());
        }
        // the intervals in the order a provider would hand them over per participant, then shuffled
        java.util.Collections.shuffle(allIntervals, rnd);
        allStarts =
                allIntervals.stream().mapToLong(b -> b.start().getEpochSecond()).toArray();
        request = AvailabilityRequest.builder()
                .window(TimeWindow.of(start, Duration.ofDays(days)))
                .duration(Duration.ofMinutes(30))
                .interval(Duration.ofMinutes(15))
                .buffer(Buffer.of(Duration.ofMinutes(10), Duration.ofMinutes(5)))
                .participants(ps)
                .group(ParticipantGroup.atLeast(participants / 5, ids))
                .build();
    }

    /** The engine: per-participant sort/merge, working hours across DST, and the candidate sweep. */
    @Benchmark
    public AvailabilityResult availability() {
        return Availability.find(request);
    }

    /** The floor: sorting the same busy intervals (objects, by start then end), nothing else. */
    @Benchmark
    public BusyInterval[] sortIntervals() {
        BusyInterval[] copy = allIntervals.toArray(new BusyInterval[0]);
        Arrays.sort(copy, Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::end));
        return copy;
    }

    /** A lower floor still: sorting just their start times as primitive longs. */
    @Benchmark
    public long[] sortStarts() {
        long[] copy = allStarts.clone();
        Arrays.sort(copy);
        return copy;
    }
}
