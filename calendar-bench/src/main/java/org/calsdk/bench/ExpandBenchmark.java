package org.calsdk.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Expanding 10,000 recurring series (a realistic mix: daily stand-ups, weekly meetings, monthly and
 * yearly events, in several zones, started up to three years before the window, some with COUNT or
 * UNTIL, EXDATEs and moved or cancelled overrides) over one year.
 *
 * <p>Run: {@code java -jar calendar-bench/target/benchmarks.jar ExpandBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ExpandBenchmark {
    static final int SERIES = 10_000;
    static final String[] ZONES = {"America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Lord_Howe", "UTC"};
    static final String[] RULES = {
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=WEEKLY",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=YEARLY", "FREQ=DAILY;COUNT=400",
        "FREQ=WEEKLY;UNTIL=20270101T000000Z", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
    };

    List<Event> events;
    String ics;
    TimeWindow year;
    ZoneId zone;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(42);
        events = new ArrayList<>(SERIES);
        for (int i = 0; i < SERIES; i++) {
            ZoneId z = ZoneId.of(ZONES[rnd.nextInt(ZONES.length)]);
            ZonedDateTime start = ZonedDateTime.of(
                    LocalDate.of(2023, 1, 2).plusDays(rnd.nextInt(3 * 365)),
                    LocalTime.of(7 + rnd.nextInt(11), rnd.nextInt(4) * 15),
                    z);
            String rule = RULES[rnd.nextInt(RULES.length)];
            List<EventTime> exdates = new ArrayList<>();
            Event.Builder b = Event.builder()
                    .uid("series-" + i)
                    .id("id-" + i)
                    .summary("Series " + i)
                    .time(EventTime.of(start), EventTime.of(start.plusMinutes(30 + 30 * rnd.nextInt(3))));
            if (rnd.nextInt(4) == 0) {
                for (int k = 0; k < 3; k++) {
                    exdates.add(EventTime.of(start.plusWeeks(1 + rnd.nextInt(150))));
                }
                // one moved and one cancelled override (their ids may or may not hit a real instance)
                ZonedDateTime rid = start.plusWeeks(1 + rnd.nextInt(150));
                b.addOverride(Event.builder()
                        .uid("series-" + i)
                        .recurrenceId(EventTime.of(rid))
                        .time(EventTime.of(rid.plusHours(2)), EventTime.of(rid.plusHours(3)))
                        .build());
                ZonedDateTime cancelled = start.plusWeeks(1 + rnd.nextInt(150));
                b.addOverride(Event.builder()
                        .uid("series-" + i)
                        .recurrenceId(EventTime.of(cancelled))
                        .time(EventTime.of(cancelled), EventTime.of(cancelled.plusHours(1)))
                        .status(EventStatus.CANCELLED)
                        .build());
            }
            events.add(b.recurrence(new Recurrence(List.of(rule), List.of(), exdates))
                    .build());
        }
        year = TimeWindow.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
        zone = ZoneId.of("Europe/Berlin");
        ics = ICalendar.write(events);
    }

    /** Every occurrence of all 10,000 series in 2026, series by series. Returns the count. */
    @Benchmark
    public long expandEachSeries() {
        long n = 0;
        for (Event e : events) {
            n += Recurrences.expand(e, year, zone).count();
        }
        return n;
    }

    /** The same, merged into one stream sorted by start. */
    @Benchmark
    public long expandAllMerged() {
        return Recurrences.expandAll(events, year, zone).count();
    }

    /** Busy intervals of the 10,000 series over the year (expansion, clipping, merging). */
    @Benchmark
    public List<BusyInterval> busy() {
        return Recurrences.busy(events, year, zone);
    }

    /** Parsing the same 10,000 series (with their overrides and VTIMEZONEs) from iCalendar text. */
    @Benchmark
    public List<Event> parseIcs() {
        return ICalendar.parse(ics);
    }
}
