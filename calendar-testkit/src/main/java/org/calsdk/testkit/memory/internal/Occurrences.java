package org.calsdk.testkit.memory.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.fortuna.ical4j.model.Recur;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;

/**
 * Occurrences of events (single or series with EXDATE/RDATE/overrides) inside a window, and the busy
 * intervals they make. Not public API.
 */
public final class Occurrences {
    private Occurrences() {}

    /** One occurrence as instants. */
    public record Span(Instant start, Instant end, Event source) {}

    /** Whether {@code event} has at least one occurrence overlapping {@code window}. */
    public static boolean occursIn(Event event, TimeWindow window, ZoneId zone) {
        return !spans(event, window, zone).isEmpty();
    }

    /** The occurrences of {@code event} overlapping {@code window}, cancelled ones left out, sorted by start. */
    public static List<Span> spans(Event event, TimeWindow window, ZoneId zone) {
        List<Span> out = new ArrayList<>();
        if (!event.isRecurring()) {
            if (!event.isCancelled()) {
                addIfOverlaps(out, event, event.start(), event.end(), window, zone);
            }
            return out;
        }
        Recurrence rec = event.recurrence().orElseThrow();
        Set<Instant> excluded = new HashSet<>();
        rec.exdates().forEach(x -> excluded.add(x.toInstant(zone)));
        Set<Instant> overridden = new HashSet<>();
        for (Event o : event.overrides()) {
            Instant rid = o.recurrenceId().orElseThrow().toInstant(zone);
            overridden.add(rid);
            if (!o.isCancelled() && !excluded.contains(rid)) {
                addIfOverlaps(out, o, o.start(), o.end(), window, zone);
            }
        }
        Duration length = Duration.between(event.start().toInstant(zone), event.end().toInstant(zone));
        Set<Instant> seen = new HashSet<>();
        List<EventTime> starts = new ArrayList<>(rec.rdates());
        starts.add(event.start());
        starts.addAll(ruleStarts(event, rec, window, length, zone));
        for (EventTime s : starts) {
            Instant si = s.toInstant(zone);
            if (!seen.add(si) || excluded.contains(si) || overridden.contains(si) || event.isCancelled()) {
                continue;
            }
            Instant ei = endOf(s, event, length, zone);
            if (window.overlaps(si, ei) || (si.equals(ei) && window.contains(si))) {
                out.add(new Span(si, ei, event));
            }
        }
        out.sort(Comparator.comparing(Span::start).thenComparing(Span::end));
        return out;
    }

    /** Blocking intervals (free and cancelled time dropped) of {@code events}, clipped to {@code window}, sorted, merged per status. */
    public static List<BusyInterval> busy(Collection<Event> events, TimeWindow window, ZoneId zone) {
        List<BusyInterval> raw = new ArrayList<>();
        for (Event e : events) {
            for (Span s : spans(e, window, zone)) {
                BusyStatus status = s.source().busyStatus();
                if (status == BusyStatus.FREE || !s.end().isAfter(s.start())) {
                    continue;
                }
                Instant start = s.start().isBefore(window.start()) ? window.start() : s.start();
                Instant end = s.end().isAfter(window.end()) ? window.end() : s.end();
                raw.add(new BusyInterval(start, end, status, e.id().orElse(null)));
            }
        }
        raw.sort(Comparator.comparing(BusyInterval::status).thenComparing(BusyInterval::start));
        List<BusyInterval> merged = new ArrayList<>();
        for (BusyInterval b : raw) {
            BusyInterval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.status() == b.status() && !b.start().isAfter(last.end())) {
                Instant end = b.end().isAfter(last.end()) ? b.end() : last.end();
                String id = java.util.Objects.equals(last.eventId(), b.eventId()) ? last.eventId() : null;
                merged.set(merged.size() - 1, new BusyInterval(last.start(), end, b.status(), id));
            } else {
                merged.add(b);
            }
        }
        merged.sort(Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::end));
        return merged;
    }

    private static void addIfOverlaps(List<Span> out, Event source, EventTime start, EventTime end,
                                      TimeWindow window, ZoneId zone) {
        Instant s = start.toInstant(zone);
        Instant e = end.toInstant(zone);
        if (window.overlaps(s, e) || (s.equals(e) && window.contains(s))) {
            out.add(new Span(s, e, source));
        }
    }

    private static Instant endOf(EventTime start, Event master, Duration length, ZoneId zone) {
        if (start instanceof EventTime.AllDay d && master.end() instanceof EventTime.AllDay) {
            long days = ChronoUnit.DAYS.between(master.start().date(), master.end().date());
            return d.date().plusDays(days).atStartOfDay(zone).toInstant();
        }
        if (start instanceof EventTime.Zoned z) {
            Duration wall = Duration.between(master.start() instanceof EventTime.Zoned mz ? mz.dateTime() : z.dateTime(),
                    master.end() instanceof EventTime.Zoned me ? me.dateTime() : z.dateTime().plus(length));
            return z.dateTime().plus(wall).toInstant();
        }
        return start.toInstant(zone).plus(length);
    }

    private static List<EventTime> ruleStarts(Event event, Recurrence rec, TimeWindow window, Duration length, ZoneId zone) {
        List<EventTime> out = new ArrayList<>();
        for (String rule : rec.rules()) {
            try {
                EventTime seed = event.start();
                if (seed instanceof EventTime.Zoned z) {
                    ZonedDateTime from = window.start().minus(length).minus(Duration.ofDays(1)).atZone(z.zone());
                    ZonedDateTime to = window.end().atZone(z.zone());
                    for (ZonedDateTime d : dates(new Recur<ZonedDateTime>(rule), z.dateTime(), from, to)) {
                        out.add(EventTime.of(d));
                    }
                } else if (seed instanceof EventTime.Floating f) {
                    LocalDateTime from = LocalDateTime.ofInstant(window.start().minus(length).minus(Duration.ofDays(1)), zone);
                    LocalDateTime to = LocalDateTime.ofInstant(window.end(), zone).plusDays(1);
                    for (LocalDateTime d : dates(new Recur<LocalDateTime>(rule), f.dateTime(), from, to)) {
                        out.add(EventTime.floating(d));
                    }
                } else {
                    LocalDate from = LocalDate.ofInstant(window.start().minus(length), zone).minusDays(2);
                    LocalDate to = LocalDate.ofInstant(window.end(), zone).plusDays(2);
                    for (LocalDate d : dates(new Recur<LocalDate>(rule), seed.date(), from, to)) {
                        out.add(EventTime.allDay(d));
                    }
                }
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new InvalidInputException("recurrence", "recurrence rule '" + rule + "' is not valid: " + e.getMessage());
            }
        }
        return out;
    }

    private static <T extends Temporal> List<T> dates(Recur<T> recur, T seed, T from, T to) {
        return recur.getDates(seed, from, to);
    }
}
