package org.calsdk.ical.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.ical.ExpansionLimits;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.Occurrence;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.TimeWindow;

/** Implementation of {@link org.calsdk.ical.Recurrences#expand}: see its documentation for the rules. */
public final class Expander {
    /** Slack for converting between wall-clock and instants (largest UTC offset difference is 26 h). */
    private static final Duration SLACK = Duration.ofHours(27);

    private Expander() {}

    /**
     * An occurrence with its sort key computed once: start, then end, then recurrence id, then uid (all
     * instants read in the expansion's zone).
     */
    static final class Keyed implements Comparable<Keyed> {
        private final Occurrence occurrence;
        private final Instant start;
        // the sort key in primitives, so that comparing (k-way merges of thousands of series) does not chase pointers
        private final long startSec;
        private final int startNano;
        private final long endSec;
        private final int endNano;
        private final Instant rid;
        private final String uid;

        Keyed(Occurrence occurrence, Instant start, Instant end, Instant rid, String uid) {
            this.occurrence = occurrence;
            this.start = start;
            this.startSec = start.getEpochSecond();
            this.startNano = start.getNano();
            this.endSec = end.getEpochSecond();
            this.endNano = end.getNano();
            this.rid = rid;
            this.uid = uid;
        }

        static Keyed of(Occurrence o, ZoneId zone) {
            return new Keyed(
                    o,
                    o.startInstant(zone),
                    o.endInstant(zone),
                    o.recurrenceId() == null ? Instant.MIN : o.recurrenceId().toInstant(zone),
                    o.uid() == null ? "" : o.uid());
        }

        Occurrence occurrence() {
            return occurrence;
        }

        Instant start() {
            return start;
        }

        @Override
        public int compareTo(Keyed k) {
            int c = Long.compare(startSec, k.startSec);
            if (c == 0) {
                c = Integer.compare(startNano, k.startNano);
            }
            if (c == 0) {
                c = Long.compare(endSec, k.endSec);
            }
            if (c == 0) {
                c = Integer.compare(endNano, k.endNano);
            }
            if (c == 0) {
                c = rid.compareTo(k.rid);
            }
            return c != 0 ? c : uid.compareTo(k.uid);
        }
    }

    public static Stream<Occurrence> expand(Event event, TimeWindow window, ZoneId zone) {
        return expand(event, window, zone, ExpansionLimits.DEFAULT);
    }

    public static Stream<Occurrence> expand(Event event, TimeWindow window, ZoneId zone, ExpansionLimits limits) {
        return stream(iterator(event, window, zone, limits));
    }

    public static Stream<Occurrence> expandAll(List<Event> events, TimeWindow window, ZoneId zone) {
        return expandAll(events, window, zone, ExpansionLimits.DEFAULT);
    }

    public static Stream<Occurrence> expandAll(
            List<Event> events, TimeWindow window, ZoneId zone, ExpansionLimits limits) {
        List<Iterator<Keyed>> its = new ArrayList<>();
        for (Event e : events) {
            its.add(iterator(e, window, zone, limits));
        }
        return stream(its.size() <= 16 ? new MergingIterator<>(its, Comparator.naturalOrder()) : new SlicedMerge(its));
    }

    private static Stream<Occurrence> stream(Iterator<Keyed> it) {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .map(Keyed::occurrence);
    }

    static Iterator<Keyed> iterator(Event event, TimeWindow window, ZoneId zone) {
        return iterator(event, window, zone, ExpansionLimits.DEFAULT);
    }

    static Iterator<Keyed> iterator(Event event, TimeWindow window, ZoneId zone, ExpansionLimits limits) {
        String uid = event.uid().orElse(null);
        if (!event.isRecurring()) {
            if (event.recurrenceId().isPresent() && event.isCancelled()) {
                return List.<Keyed>of().iterator(); // a lone cancelled instance: nothing happens then
            }
            Occurrence o = new Occurrence(uid, event.recurrenceId().orElse(null), event.start(), event.end(), event);
            return overlaps(o, window, zone)
                    ? List.of(Keyed.of(o, zone)).iterator()
                    : List.<Keyed>of().iterator();
        }
        return new SeriesIterator(event, window, zone, limits);
    }

    static boolean overlaps(Occurrence o, TimeWindow w, ZoneId zone) {
        Instant s = o.startInstant(zone);
        Instant e = o.endInstant(zone);
        if (!s.isBefore(w.end())) {
            return false;
        }
        return e.isAfter(w.start()) || (e.equals(s) && !s.isBefore(w.start()));
    }

    /** How one series maps wall-clock instants to EventTimes. */
    private static final class Form {
        final EventTime start;
        final ZoneId seriesZone; // zone in which local times are placed (the floating zone for floating/all-day)
        final ZoneId floatingZone;

        Form(EventTime start, ZoneId floatingZone) {
            this.start = start;
            this.floatingZone = floatingZone;
            this.seriesZone = start instanceof EventTime.Zoned z ? z.zone() : floatingZone;
        }

        LocalDateTime local(EventTime t) {
            if (t instanceof EventTime.Zoned z) {
                return start instanceof EventTime.Zoned
                        ? z.dateTime().withZoneSameInstant(seriesZone).toLocalDateTime()
                        : z.dateTime().withZoneSameInstant(floatingZone).toLocalDateTime();
            }
            if (t instanceof EventTime.Floating f) {
                return f.dateTime();
            }
            return ((EventTime.AllDay) t).date().atStartOfDay();
        }

        EventTime time(LocalDateTime local) {
            if (start instanceof EventTime.Zoned z) {
                return EventTime.of(ZonedDateTime.of(local, z.zone())); // RFC 5545 §3.3.5: gap forward, overlap earlier
            }
            if (start instanceof EventTime.Floating) {
                return EventTime.floating(local);
            }
            return EventTime.allDay(local.toLocalDate());
        }
    }

    /** Shape of an instance (its length), from the master or from a THISANDFUTURE override. */
    private static EventTime endFor(Event shape, EventTime start, ZoneId zone) {
        EventTime s = shape.start();
        EventTime e = shape.end();
        if (start instanceof EventTime.AllDay a) {
            long days = s instanceof EventTime.AllDay sa && e instanceof EventTime.AllDay ea
                    ? ChronoUnit.DAYS.between(sa.date(), ea.date())
                    : 1;
            return EventTime.allDay(a.date().plusDays(days));
        }
        if (start instanceof EventTime.Floating f) {
            Duration d = Duration.between(s.toInstant(ZoneOffset.UTC), e.toInstant(ZoneOffset.UTC));
            return EventTime.floating(f.dateTime().plus(d));
        }
        EventTime.Zoned z = (EventTime.Zoned) start;
        Duration d = Duration.between(s.toInstant(zone), e.toInstant(zone));
        ZoneId endZone = e instanceof EventTime.Zoned ez ? ez.zone() : z.zone();
        return EventTime.of(z.dateTime().plus(d).withZoneSameInstant(endZone));
    }

    /** Moves {@code t} by whole days and a remaining duration on its own wall clock. */
    private static EventTime shift(EventTime t, long days, Duration rest) {
        if (t instanceof EventTime.AllDay a) {
            return EventTime.allDay(a.date().plusDays(days));
        }
        if (t instanceof EventTime.Floating f) {
            return EventTime.floating(f.dateTime().plusDays(days).plus(rest));
        }
        EventTime.Zoned z = (EventTime.Zoned) t;
        return EventTime.of(
                ZonedDateTime.of(z.dateTime().toLocalDateTime().plusDays(days).plus(rest), z.zone()));
    }

    /** Lazily expands one series; see {@link org.calsdk.ical.Recurrences#expand}. */
    private static final class SeriesIterator implements Iterator<Keyed> {
        private final Event master;
        private final String uid;
        private final TimeWindow window;
        private final ZoneId zone;
        private final Form form;
        private final Iterator<LocalDateTime> originals;
        private final Set<Instant> exInstants = new HashSet<>();
        private final Set<LocalDate> exDates = new HashSet<>();
        private final Map<Instant, Event> exact = new HashMap<>();
        private final NavigableMap<Instant, Event> ranges = new TreeMap<>();
        private final Duration minShift;
        private final Duration masterLength;
        private final ZoneId masterEndZone;
        private final Instant lastUseful;
        private final PriorityQueue<Keyed> pending = new PriorityQueue<>();
        private LocalDateTime lookahead;
        private Instant lookaheadInstant;
        private boolean exhausted;
        // instants of recent originals: two wall-clock times can resolve to one instant (a time in a gap
        // moves forward onto a later one); RFC 5545 §3.8.5.3 keeps only one recurrence per start
        private final ArrayDeque<Instant> recent = new ArrayDeque<>();
        private final Set<Instant> recentSet = new HashSet<>();

        SeriesIterator(Event master, TimeWindow window, ZoneId zone, ExpansionLimits limits) {
            this.master = master;
            this.uid = master.uid().orElse(null);
            this.window = window;
            this.zone = zone;
            this.form = new Form(master.start(), zone);
            var rec = master.recurrence().orElseThrow();

            for (EventTime ex : rec.exdates()) {
                if (ex.isAllDay() != master.isAllDay()) {
                    // a DATE EXDATE on a DATE-TIME series removes that whole day; a DATE-TIME EXDATE on an
                    // all-day series removes the day it falls on (producers mix the two)
                    exDates.add(
                            ex instanceof EventTime.Zoned z && form.start instanceof EventTime.AllDay
                                    ? z.dateTime().withZoneSameInstant(zone).toLocalDate()
                                    : ex.date());
                } else {
                    exInstants.add(ex.toInstant(zone));
                }
            }
            Duration maxLength = Duration.between(
                    master.start().toInstant(zone), master.end().toInstant(zone));
            Duration minShiftAcc = Duration.ZERO;
            Duration maxShift = Duration.ZERO;
            for (Event o : master.overrides()) {
                EventTime rid = o.recurrenceId().orElseThrow();
                Instant ridInstant = rid.toInstant(zone);
                exact.put(ridInstant, o);
                if (ICalendar.THISANDFUTURE.equalsIgnoreCase(
                        o.properties().getOrDefault(ICalendar.PROPERTY_RANGE, ""))) {
                    ranges.put(ridInstant, o);
                    Duration shift = Duration.between(ridInstant, o.start().toInstant(zone));
                    minShiftAcc = shift.compareTo(minShiftAcc) < 0 ? shift : minShiftAcc;
                    maxShift = shift.compareTo(maxShift) > 0 ? shift : maxShift;
                    Duration len =
                            Duration.between(o.start().toInstant(zone), o.end().toInstant(zone));
                    maxLength = len.compareTo(maxLength) > 0 ? len : maxLength;
                }
                if (!o.isCancelled()) {
                    Occurrence occ = new Occurrence(uid, rid, o.start(), o.end(), o);
                    if (overlaps(occ, window, zone)) {
                        pending.add(Keyed.of(occ, zone));
                    }
                }
            }
            this.minShift = minShiftAcc.minus(SLACK);
            this.masterLength = Duration.between(
                    master.start().toInstant(zone), master.end().toInstant(zone));
            this.masterEndZone = master.end() instanceof EventTime.Zoned ez ? ez.zone() : null;
            // Originals that can still reach the window: from (window start - longest length - largest shift)
            // to (window end - smallest shift), with slack for wall-clock/instant conversion.
            Instant lower = window.start().minus(maxLength).minus(maxShift).minus(SLACK);
            this.lastUseful = window.end().minus(minShiftAcc).plus(SLACK);
            LocalDateTime lowerLocal = LocalDateTime.ofInstant(clamp(lower), form.seriesZone);
            LocalDateTime upperLocal = LocalDateTime.ofInstant(clamp(lastUseful), form.seriesZone);

            LocalDateTime dtstart = form.local(master.start());
            LocalDateTime written = rec.wallClockStart();
            if (written != null
                    && master.start() instanceof EventTime.Zoned z
                    && ZonedDateTime.of(written, z.zone())
                            .toInstant()
                            .equals(z.dateTime().toInstant())) {
                dtstart = written; // DTSTART in a DST gap: the rule recurs on the time as written (RFC 5545)
            }
            // DTSTART is always the first instance: each RuleIterator emits it (includeDtstart), and so does
            // an RDATE-only series through the list below
            List<Iterator<LocalDateTime>> sources = new ArrayList<>();
            for (String text : rec.rules()) {
                RRule rule = RRule.parse(text);
                RuleIterator it = new RuleIterator(rule, dtstart, untilCheck(rule.until()), upperLocal, true);
                Iterator<LocalDateTime> source = it.skipTo(lowerLocal);
                if (rule.freq().compareTo(RRule.Freq.HOURLY) >= 0 || rule.timesOfDay() > 1) {
                    source = new Bounded(source, limits.maxSubDailyInstances(), lowerLocal, rule, uid, window);
                }
                sources.add(source);
            }
            List<LocalDateTime> rdates = new ArrayList<>();
            if (rec.rules().isEmpty()) {
                rdates.add(dtstart);
            }
            for (EventTime r : rec.rdates()) {
                rdates.add(form.local(r));
            }
            if (!rdates.isEmpty()) {
                rdates.sort(null);
                sources.add(rdates.iterator());
            }
            // one rule alone is already strictly increasing; several sources are merged and deduplicated
            this.originals = sources.size() == 1
                    ? sources.get(0)
                    : new DistinctIterator<>(new MergingIterator<>(sources, Comparator.naturalOrder()));
        }

        private static Instant clamp(Instant i) {
            Instant min = Instant.parse("0001-01-01T00:00:00Z");
            Instant max = Instant.parse("9999-12-31T00:00:00Z");
            return i.isBefore(min) ? min : i.isAfter(max) ? max : i;
        }

        private Predicate<LocalDateTime> untilCheck(Temporal until) {
            if (until == null) {
                return null;
            }
            boolean allDay = master.start() instanceof EventTime.AllDay;
            if (until instanceof LocalDate d) {
                return t -> t.toLocalDate().isAfter(d);
            }
            if (until instanceof LocalDateTime l) {
                return allDay ? t -> t.toLocalDate().isAfter(l.toLocalDate()) : t -> t.isAfter(l);
            }
            Instant u = (Instant) until;
            if (allDay) {
                LocalDate d = u.atZone(zone).toLocalDate();
                return t -> t.toLocalDate().isAfter(d);
            }
            return t -> ZonedDateTime.of(t, form.seriesZone).toInstant().isAfter(u);
        }

        @Override
        public boolean hasNext() {
            while (true) {
                if (!pending.isEmpty()) {
                    Keyed head = pending.peek();
                    if (exhausted || lookahead == null && !fill()) {
                        return true;
                    }
                    // nothing generated later can start before lookahead + minShift
                    Instant bound = lookaheadInstant.plus(minShift);
                    if (!head.start().isAfter(bound)) {
                        return true;
                    }
                }
                if (exhausted) {
                    return !pending.isEmpty();
                }
                if (lookahead == null && !fill()) {
                    continue;
                }
                LocalDateTime local = lookahead;
                Instant at = lookaheadInstant;
                lookahead = null;
                consider(local, at);
            }
        }

        /** Loads the next original into {@code lookahead}; false (and exhausted) when there is none. */
        private boolean fill() {
            if (lookahead != null) {
                return true;
            }
            if (!exhausted && originals.hasNext()) {
                LocalDateTime next = originals.next();
                Instant at = form.start instanceof EventTime.Zoned
                        ? ZonedDateTime.of(next, form.seriesZone).toInstant()
                        : form.time(next).toInstant(zone);
                if (!at.isAfter(lastUseful)) {
                    lookahead = next;
                    lookaheadInstant = at;
                    return true;
                }
            }
            exhausted = true;
            return false;
        }

        private void consider(LocalDateTime local, Instant at) {
            if (!recentSet.add(at)) {
                return;
            }
            recent.add(at);
            while (recent.size() > 1 && recent.peekFirst().isBefore(at.minus(SLACK))) {
                recentSet.remove(recent.pollFirst());
            }
            if (exInstants.contains(at)
                    || !exDates.isEmpty() && exDates.contains(local.toLocalDate())
                    || exact.containsKey(at)) {
                return;
            }
            EventTime original = form.time(local);
            Map.Entry<Instant, Event> range = ranges.isEmpty() ? null : ranges.floorEntry(at);
            EventTime start;
            EventTime end;
            Event source;
            if (range != null) {
                Event o = range.getValue();
                if (o.isCancelled()) {
                    return;
                }
                LocalDateTime ridLocal = form.local(o.recurrenceId().orElseThrow());
                long days = ChronoUnit.DAYS.between(ridLocal.toLocalDate(), local.toLocalDate());
                Duration rest = Duration.between(ridLocal.plusDays(days), local);
                start = shift(o.start(), days, rest);
                end = endFor(o, start, zone);
                source = o;
            } else {
                // the common case, without re-deriving instants: start = the original
                Instant endAt;
                if (original instanceof EventTime.Zoned z) {
                    endAt = at.plus(masterLength);
                    end = EventTime.of(
                            ZonedDateTime.ofInstant(endAt, masterEndZone == null ? z.zone() : masterEndZone));
                } else {
                    end = endFor(master, original, zone);
                    endAt = end.toInstant(zone);
                }
                if (at.isBefore(window.end())
                        && (endAt.isAfter(window.start()) || endAt.equals(at) && !at.isBefore(window.start()))) {
                    pending.add(new Keyed(
                            new Occurrence(uid, original, original, end, master),
                            at,
                            endAt,
                            at,
                            uid == null ? "" : uid));
                }
                return;
            }
            Occurrence occ = new Occurrence(uid, original, start, end, source);
            if (overlaps(occ, window, zone)) {
                pending.add(Keyed.of(occ, zone));
            }
        }

        @Override
        public Keyed next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.poll();
        }
    }

    /**
     * Counts the instances of a sub-daily rule from the lowest one that can reach the window and refuses
     * more than the bound. Instances before that (walked only with COUNT, to count them) are bounded by
     * {@link RRule#MAX_COUNT}.
     */
    private static final class Bounded implements Iterator<LocalDateTime> {
        private final Iterator<LocalDateTime> in;
        private final int max;
        private final LocalDateTime from;
        private final RRule rule;
        private final String uid;
        private final TimeWindow window;
        private int seen;

        Bounded(Iterator<LocalDateTime> in, int max, LocalDateTime from, RRule rule, String uid, TimeWindow window) {
            this.in = in;
            this.max = max;
            this.from = from;
            this.rule = rule;
            this.uid = uid;
            this.window = window;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public LocalDateTime next() {
            LocalDateTime t = in.next();
            if (!t.isBefore(from) && ++seen > max) {
                String text = rule.text().length() > 100 ? rule.text().substring(0, 100) + "..." : rule.text();
                throw new LimitExceededException(
                        "ical.maxSubDailyInstances",
                        max,
                        "the sub-daily RRULE '" + text + "' of "
                                + (uid == null
                                        ? "an event without UID"
                                        : "event UID '" + (uid.length() > 100 ? uid.substring(0, 100) + "..." : uid)
                                                + "'")
                                + " yields more than " + max + " instances for the window " + window.start() + " - "
                                + window.end()
                                + "; narrow the window or raise ExpansionLimits.maxSubDailyInstances");
            }
            return t;
        }
    }

    /** Merges sorted iterators into one sorted iterator (k-way merge). */
    static final class MergingIterator<T> implements Iterator<T> {
        private final PriorityQueue<Head<T>> heads;

        private record Head<T>(T value, Iterator<T> rest) {}

        MergingIterator(List<Iterator<T>> sources, Comparator<? super T> order) {
            this.heads =
                    new PriorityQueue<>(Math.max(1, sources.size()), (x, y) -> order.compare(x.value(), y.value()));
            for (Iterator<T> it : sources) {
                if (it.hasNext()) {
                    heads.add(new Head<>(it.next(), it));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public T next() {
            Head<T> h = heads.poll();
            if (h == null) {
                throw new NoSuchElementException();
            }
            if (h.rest().hasNext()) {
                heads.add(new Head<>(h.rest().next(), h.rest()));
            }
            return h.value();
        }
    }

    /**
     * Merges many sorted series by time slices: each slice takes, from every series, what starts before
     * the slice's end and sorts it. With thousands of series this is several times faster than a k-way
     * heap (whose every step walks a heap of thousands), and still lazy: one slice in memory at a time.
     * The slice length adapts to hold a few thousand occurrences.
     */
    static final class SlicedMerge implements Iterator<Keyed> {
        private static final int TARGET_MIN = 2_000;
        private static final int TARGET_MAX = 50_000;
        private final List<Iterator<Keyed>> sources = new ArrayList<>();
        private final List<Keyed> heads = new ArrayList<>();
        private final ArrayList<Keyed> slice = new ArrayList<>();
        private int pos;
        private Duration length = Duration.ofDays(1);

        SlicedMerge(List<Iterator<Keyed>> its) {
            for (Iterator<Keyed> it : its) {
                if (it.hasNext()) {
                    sources.add(it);
                    heads.add(it.next());
                }
            }
        }

        @Override
        public boolean hasNext() {
            while (pos >= slice.size()) {
                if (sources.isEmpty()) {
                    return false;
                }
                fillSlice();
            }
            return true;
        }

        private void fillSlice() {
            slice.clear();
            pos = 0;
            Instant first = null;
            for (Keyed h : heads) {
                if (first == null || h.start().isBefore(first)) {
                    first = h.start();
                }
            }
            Instant end = first.plus(length).compareTo(first) > 0 ? first.plus(length) : first.plusSeconds(1);
            for (int i = 0; i < sources.size(); i++) {
                Keyed h = heads.get(i);
                Iterator<Keyed> it = sources.get(i);
                while (h != null && h.start().isBefore(end)) {
                    slice.add(h);
                    h = it.hasNext() ? it.next() : null;
                }
                if (h == null) {
                    int last = sources.size() - 1;
                    sources.set(i, sources.get(last));
                    heads.set(i, heads.get(last));
                    sources.remove(last);
                    heads.remove(last);
                    i--;
                } else {
                    heads.set(i, h);
                }
            }
            slice.sort(null);
            if (slice.size() > TARGET_MAX && length.toMinutes() > 1) {
                length = length.dividedBy(2);
            } else if (slice.size() < TARGET_MIN && length.toDays() < 3650) {
                length = length.multipliedBy(2);
            }
        }

        @Override
        public Keyed next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Keyed k = slice.get(pos);
            slice.set(pos++, null);
            return k;
        }
    }

    /** Drops consecutive duplicates from a sorted iterator. */
    static final class DistinctIterator<T> implements Iterator<T> {
        private final Iterator<T> in;
        private T last;
        private T next;

        DistinctIterator(Iterator<T> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            while (next == null && in.hasNext()) {
                T v = in.next();
                if (!v.equals(last)) {
                    next = v;
                }
            }
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = next;
            next = null;
            return last;
        }
    }
}
