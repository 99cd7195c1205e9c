package org.calsdk.ical.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.CalendarParserFactory;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.ZoneRulesBuilder;
import net.fortuna.ical4j.model.component.VTimeZone;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.ParseProblem;
import org.calsdk.ical.ParseResult;
import org.calsdk.ical.internal.IcsLexer.Comp;
import org.calsdk.ical.internal.IcsLexer.Prop;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.Recurrence;
import org.calsdk.model.Transparency;
import org.calsdk.model.Visibility;
import org.calsdk.tz.TimeZones;
import org.calsdk.tz.internal.CustomZones;
import org.calsdk.tz.internal.ZoneMatcher;

/**
 * VCALENDAR text to {@link Event}s. {@link IcsLexer} does the framing and content lines (liberal in
 * line endings, folding and parameter syntax); values are interpreted here so that TZIDs go through
 * {@link TimeZones} and the file's own VTIMEZONEs, never through a silent default. Each VEVENT is read
 * on its own: a broken one becomes a {@link ParseProblem} and the others are still returned
 * ({@link #read}); {@link #parse} is the all-or-nothing form. ical4j builds zone rules from VTIMEZONEs
 * and checks RRULE grammar.
 */
public final class IcsReader {
    static final String X_EVENT_KEY = "X-CALSDK-EVENT-KEY";
    static final String X_PROPERTY = "X-CALSDK-PROPERTY";
    static final String X_BUSYSTATUS = "X-MICROSOFT-CDO-BUSYSTATUS";
    /** VCALENDAR > VEVENT > VALARM is 3 deep; real files never go past 4. */
    static final int MAX_DEPTH = 8;
    /** RDATE and EXDATE values per event. */
    static final int MAX_DATES_PER_EVENT = 100_000;
    /** Properties of a VTIMEZONE and its observances that zone rules are built from; others are not passed on. */
    private static final Set<String> ZONE_PROPERTIES =
            Set.of("TZID", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE", "TZNAME");

    private IcsReader() {}

    /** All or nothing: the events, or a {@link MalformedDataException} naming the first problem. */
    public static List<Event> parse(InputStream in) {
        return strict(read(in));
    }

    /** All or nothing: the events, or a {@link MalformedDataException} naming the first problem. */
    public static List<Event> parse(String ics) {
        return strict(read(ics));
    }

    private static List<Event> strict(ParseResult r) {
        if (r.isComplete()) {
            return r.events();
        }
        int more = r.problems().size() - 1 + r.unlistedProblems();
        throw new MalformedDataException(r.problems().get(0)
                + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")"));
    }

    public static ParseResult read(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (buf.size() + n > ICalendar.MAX_INPUT_BYTES) {
                    throw tooLarge();
                }
                buf.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new MalformedDataException(
                    "cannot read the iCalendar input (" + e.getClass().getSimpleName() + ")", ErrorContext.NONE, e);
        }
        return read(buf.toString(StandardCharsets.UTF_8));
    }

    private static MalformedDataException tooLarge() {
        return new MalformedDataException(
                "iCalendar input is larger than the limit of " + ICalendar.MAX_INPUT_BYTES + " bytes");
    }

    public static ParseResult read(String ics) {
        // chars <= bytes in UTF-8, so this is a cheap first check; the exact byte count follows when needed
        if (ics.length() > ICalendar.MAX_INPUT_BYTES
                || ics.length() > ICalendar.MAX_INPUT_BYTES / 4
                        && ics.getBytes(StandardCharsets.UTF_8).length > ICalendar.MAX_INPUT_BYTES) {
            throw tooLarge();
        }
        VTimeZoneLimits.prescan(ics);
        IcsLexer.Doc doc = IcsLexer.lex(ics);
        if (doc.calendars().isEmpty()) {
            String bare = doc.problems().stream()
                    .map(IcsLexer.Problem::bareComponent)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .map(c -> " (the input starts with a bare " + (c.isBlank() ? "unnamed" : IcsTimes.shorten(c))
                            + " component)")
                    .orElse("");
            throw new MalformedDataException("not iCalendar data: there is no BEGIN:VCALENDAR" + bare);
        }
        return new Session(doc).result();
    }

    /** An event as read, with the RDATE periods whose end differs from the event's length. */
    private record Built(Event event, List<EventTime[]> periods, Comp comp) {}

    /** A TZID that names no known zone, and the file has no VTIMEZONE for it. */
    private static final class UnknownZone extends MalformedDataException {
        private static final long serialVersionUID = 1L;
        final String tzid;

        UnknownZone(String tzid) {
            super("unknown TZID '" + IcsTimes.shorten(tzid)
                    + "': not an IANA or Windows time zone, and the file has no VTIMEZONE for it");
            this.tzid = tzid;
        }
    }

    /** A VEVENT could not be read: why, and the line of the property at fault. */
    private static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;

        Broken(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /** One parse: the file's VTIMEZONEs, the zones resolved so far, and the problems found. */
    private static final class Session {
        private final IcsLexer.Doc doc;
        private final Map<String, Comp> vtimezones = new HashMap<>();
        private final Map<String, ZoneId> zones = new HashMap<>();
        private final Map<String, MalformedDataException> badZones = new HashMap<>();
        private final List<ParseProblem> problems = new ArrayList<>();
        private int unlisted;
        /** Line of the property being read, for messages. */
        private int at;
        /** Unknown TZIDs met in the event being read (line, TZID): reported once the event is read. */
        private final Map<String, Integer> floatingTzids = new LinkedHashMap<>();

        Session(IcsLexer.Doc doc) {
            this.doc = doc;
            // every VTIMEZONE of the input, wherever it stands: some producers write it after the events
            for (Comp cal : doc.calendars()) {
                for (Comp c : cal.children) {
                    if (c.name.equals("VTIMEZONE") && c.terminated) {
                        c.prop("TZID")
                                .map(p -> IcsLexer.unescape(p.value()).strip())
                                .filter(s -> !s.isEmpty())
                                .ifPresent(tzid -> vtimezones.putIfAbsent(tzid, c));
                    }
                }
            }
            unlisted = doc.droppedProblems();
            for (IcsLexer.Problem p : doc.problems()) {
                Comp event = enclosingEvent(p.comp());
                if (event != null) {
                    problem(
                            p.line(),
                            event,
                            p.comp() == event ? p.message() : "in " + p.comp().name + ": " + p.message());
                } else {
                    problem(p.line(), p.comp(), p.message());
                }
            }
        }

        private static Comp enclosingEvent(Comp c) {
            for (Comp x = c; x != null; x = x.parent) {
                if (x.name.equals("VEVENT")) {
                    return x;
                }
            }
            return null;
        }

        private void problem(int line, Comp comp, String message) {
            if (problems.size() >= ParseResult.MAX_PROBLEMS) {
                unlisted++;
                return;
            }
            String uid = comp != null && comp.name.equals("VEVENT") ? uid(comp) : null;
            problems.add(new ParseProblem(Math.max(0, line), comp == null ? null : comp.name, uid, message));
        }

        private static String uid(Comp c) {
            return c.prop("UID")
                    .map(p -> IcsLexer.unescape(p.value()).strip())
                    .filter(s -> !s.isEmpty())
                    .orElse(null);
        }

        ParseResult result() {
            List<Event> events = events();
            problems.sort(Comparator.comparingInt(ParseProblem::line));
            return new ParseResult(events, problems, unlisted);
        }

        List<Event> events() {
            Map<String, List<Built>> masters = new LinkedHashMap<>();
            Map<String, List<Built>> overrides = new LinkedHashMap<>();
            List<Object> order = new ArrayList<>(); // uid strings, or Event for events without uid
            for (Comp cal : doc.calendars()) {
                for (Comp c : cal.children) {
                    if (!c.name.equals("VEVENT") || !c.terminated) {
                        continue; // an unterminated VEVENT is already a problem: left out
                    }
                    Built b = event(c);
                    if (b == null) {
                        continue;
                    }
                    Event e = b.event();
                    String uid = e.uid().orElse(null);
                    if (uid == null) {
                        order.add(withPeriods(b));
                        continue;
                    }
                    if (!masters.containsKey(uid) && !overrides.containsKey(uid)) {
                        order.add(uid);
                    }
                    (e.recurrenceId().isPresent() ? overrides : masters)
                            .computeIfAbsent(uid, k -> new ArrayList<>())
                            .add(b);
                }
            }
            List<Event> out = new ArrayList<>();
            for (Object o : order) {
                if (o instanceof Event e) {
                    out.add(e);
                    continue;
                }
                String uid = (String) o;
                List<Built> ms = masters.getOrDefault(uid, List.of());
                List<Event> os = new ArrayList<>();
                overrides.getOrDefault(uid, List.of()).forEach(b -> os.add(b.event()));
                if (ms.isEmpty()) {
                    out.addAll(os);
                    continue;
                }
                Built master = ms.get(0);
                try {
                    os.addAll(periodOverrides(master, os));
                    out.add(master.event().toBuilder().overrides(os).build());
                } catch (CalendarException ex) {
                    problem(
                            master.comp().line,
                            master.comp(),
                            "the series cannot be assembled from its VEVENTs (" + ex.getMessage()
                                    + "); the whole series is left out");
                    continue;
                }
                for (Built dup : ms.subList(1, ms.size())) { // duplicate masters (invalid) are kept, not lost
                    out.add(withPeriods(dup));
                }
            }
            return out;
        }

        /** The event with its RDATE periods as overrides; as read (periods contribute their start) if that fails. */
        private static Event withPeriods(Built b) {
            if (b.periods().isEmpty()) {
                return b.event();
            }
            try {
                return b.event().toBuilder()
                        .overrides(periodOverrides(b, List.of()))
                        .build();
            } catch (CalendarException ex) {
                return b.event();
            }
        }

        /**
         * RDATE;VALUE=PERIOD instances whose period is not the event's length: each becomes an override
         * with the period's own end (RFC 5545 §3.8.5.2), unless the file overrides or excludes that instance.
         */
        private static List<Event> periodOverrides(Built b, List<Event> existing) {
            if (b.periods().isEmpty()) {
                return List.of();
            }
            Event m = b.event();
            List<Event> out = new ArrayList<>();
            List<EventTime> exdates = m.recurrence().map(Recurrence::exdates).orElse(List.of());
            for (EventTime[] period : b.periods()) {
                EventTime rid = sameForm(m.start(), period[0]);
                Instant ridAt = rid.toInstant(ZoneOffset.UTC);
                boolean taken = existing.stream()
                                .anyMatch(o -> o.recurrenceId()
                                        .orElseThrow()
                                        .toInstant(ZoneOffset.UTC)
                                        .equals(ridAt))
                        || out.stream()
                                .anyMatch(o -> o.recurrenceId()
                                        .orElseThrow()
                                        .toInstant(ZoneOffset.UTC)
                                        .equals(ridAt))
                        || exdates.stream()
                                .anyMatch(x -> x.isAllDay()
                                        ? x.date().equals(rid.date())
                                        : x.toInstant(ZoneOffset.UTC).equals(ridAt));
                if (!taken) {
                    EventTime end = period[1] instanceof EventTime.Zoned z && m.end() instanceof EventTime.Zoned mz
                            ? EventTime.of(z.dateTime().withZoneSameInstant(mz.zone()))
                            : period[1];
                    out.add(m.toBuilder()
                            .recurrenceId(rid)
                            .time(rid, end)
                            .recurrence(null)
                            .overrides(List.of())
                            .build());
                }
            }
            return out;
        }

        /** A time in the form of the series' start: a zoned start's zone, else as given. */
        private static EventTime sameForm(EventTime start, EventTime t) {
            if (start instanceof EventTime.Zoned s && t instanceof EventTime.Zoned z) {
                return EventTime.of(z.dateTime().withZoneSameInstant(s.zone()));
            }
            return t;
        }

        private Built event(Comp c) {
            at = 0;
            floatingTzids.clear();
            try {
                Built b = build(c);
                floatingTzids.forEach((tzid, line) -> problem(
                        line,
                        c,
                        "TZID '" + IcsTimes.shorten(tzid)
                                + "' is not a known time zone and the file has no VTIMEZONE for it: its times are read as floating"
                                + " (local) times"));
                return b;
            } catch (LimitExceededException le) {
                String uid = uid(c);
                throw le.within(
                        "VEVENT " + (uid == null ? "without UID" : "UID '" + IcsTimes.shorten(uid) + "'") + ": ",
                        le.context());
            } catch (Broken ex) {
                problem(ex.line > 0 ? ex.line : c.line, c, ex.getMessage() + "; the VEVENT is left out");
            } catch (CalendarException ex) {
                problem(at > 0 ? at : c.line, c, ex.getMessage() + "; the VEVENT is left out");
            } catch (RuntimeException ex) {
                // a defect here must not sink the other events, nor show a Java message as the reason
                problem(
                        at > 0 ? at : c.line,
                        c,
                        "the VEVENT could not be read (" + ex.getClass().getSimpleName() + "); it is left out");
            }
            return null;
        }

        private Built build(Comp c) {
            String uid = uid(c);
            Event.Builder b = Event.builder().uid(uid);
            Prop dtstart = c.prop("DTSTART").orElseThrow(() -> new Broken("DTSTART is missing", c.line));
            at = dtstart.line();
            EventTime start = time(dtstart);
            Optional<Prop> dtend = c.prop("DTEND");
            Optional<Prop> duration = c.prop("DURATION");
            EventTime end;
            if (dtend.isPresent()) {
                at = dtend.get().line();
                end = time(dtend.get());
            } else if (duration.isPresent()) {
                at = duration.get().line();
                end = IcsTimes.plus(start, IcsTimes.parseDuration(duration.get().value(), "DURATION"));
            } else {
                end = start.isAllDay() ? EventTime.allDay(start.date().plusDays(1)) : start;
            }
            end = coerceEnd(start, end);
            b.time(start, end);
            Optional<Prop> rid = c.prop("RECURRENCE-ID");
            if (rid.isPresent()) {
                at = rid.get().line();
                b.recurrenceId(time(rid.get()));
                rid.get()
                        .param("RANGE")
                        .filter(r -> r.strip().equalsIgnoreCase(ICalendar.THISANDFUTURE))
                        .ifPresent(r -> b.property(ICalendar.PROPERTY_RANGE, ICalendar.THISANDFUTURE));
            }

            List<String> rules = new ArrayList<>();
            List<EventTime> rdates = new ArrayList<>();
            List<EventTime> exdates = new ArrayList<>();
            List<EventTime[]> periods = new ArrayList<>();
            for (Prop p : c.props) {
                at = p.line();
                String name = p.name();
                switch (name) {
                    case "RRULE" -> {
                        String rule = p.value().strip();
                        RRule.parse(rule); // validate now: a broken rule is a broken event
                        rules.add(canonicalRule(rule));
                    }
                    case "RDATE" -> times(p, true, rdates, periods);
                    case "EXDATE" -> times(p, false, exdates, null);
                    case "SUMMARY" -> b.summary(text(p));
                    case "DESCRIPTION" -> b.description(text(p));
                    case "LOCATION" -> b.location(text(p));
                    case "STATUS" -> b.status(status(p.value()));
                    case "TRANSP" ->
                        b.transparency(
                                "TRANSPARENT".equalsIgnoreCase(p.value().strip())
                                        ? Transparency.TRANSPARENT
                                        : Transparency.OPAQUE);
                    case "CLASS" -> b.visibility(visibility(p.value()));
                    case "ORGANIZER" ->
                        mailbox(text(p))
                                .ifPresent(m -> b.organizer(
                                        new Organizer(m, p.param("CN").orElse(null))));
                    case "ATTENDEE" -> attendee(p).ifPresent(b::attendee);
                    case "LAST-MODIFIED" -> lastModified(p).ifPresent(b::updated);
                    case "SEQUENCE" -> {
                        String v = p.value().strip();
                        if (v.matches("\\d{1,9}")) {
                            b.property(ICalendar.PROPERTY_SEQUENCE, v);
                        }
                    }
                    case X_EVENT_KEY -> {
                        try {
                            b.key(EventKey.of(text(p).strip()));
                        } catch (CalendarException ex) {
                            b.property(X_EVENT_KEY, text(p));
                        }
                    }
                    case X_BUSYSTATUS -> busy(p.value()).ifPresent(b::showAs);
                    case X_PROPERTY -> p.param("NAME").filter(n -> !n.isBlank()).ifPresent(n -> b.property(n, text(p)));
                    default -> {
                        if (name.startsWith("X-") && !p.value().isEmpty()) {
                            b.property(name, text(p));
                        }
                    }
                }
            }
            at = 0;
            if (rdates.size() + exdates.size() > MAX_DATES_PER_EVENT) {
                throw new Broken("more than " + MAX_DATES_PER_EVENT + " RDATE/EXDATE values", c.line);
            }
            if (!rules.isEmpty() || !rdates.isEmpty() || !exdates.isEmpty()) {
                b.recurrence(new Recurrence(rules, rdates, exdates, gapWallClock(writtenLocal(dtstart), start)));
            }
            Event e = b.build();
            if (!periods.isEmpty()) {
                // only periods whose length differs from the event's need their own end
                periods.removeIf(pr -> IcsTimes.sameLength(pr[0], pr[1], start, e.end()));
            }
            return new Built(e, periods, c);
        }

        /** The rule as ical4j writes it (parts in its order), as the model has always held rules. */
        private static String canonicalRule(String rule) {
            try {
                return new net.fortuna.ical4j.model.Recur<java.time.temporal.Temporal>(rule).toString();
            } catch (RuntimeException e) {
                return rule;
            }
        }

        private static String text(Prop p) {
            return IcsLexer.unescape(p.value());
        }

        /** DTSTART's local date-time exactly as written, for a value with a TZID; null for any other form. */
        private static LocalDateTime writtenLocal(Prop dtstart) {
            if (dtstart.param("TZID").isEmpty()) {
                return null;
            }
            try {
                return LocalDateTime.parse(dtstart.value().strip().toUpperCase(Locale.ROOT), IcsTimes.LOCAL);
            } catch (java.time.format.DateTimeParseException e) {
                return null; // a DATE, a UTC value or another form: nothing as-written to keep
            }
        }

        /**
         * DTSTART's local time as written, when it does not exist in its zone (so {@code start} was moved
         * forward across a DST gap); null otherwise.
         */
        private static LocalDateTime gapWallClock(LocalDateTime written, EventTime start) {
            if (written == null
                    || !(start instanceof EventTime.Zoned z)
                    || z.isUtc()
                    || written.equals(z.dateTime().toLocalDateTime())
                    || !ZonedDateTime.of(written, z.zone())
                            .toInstant()
                            .equals(z.dateTime().toInstant())) {
                return null; // as written, or not the same instant (another zone's text): nothing to keep
            }
            return written;
        }

        /** Makes DTEND agree with DTSTART in kind (lenient with producers that mix them); never before start. */
        private static EventTime coerceEnd(EventTime start, EventTime end) {
            EventTime e = end;
            if (start.isAllDay() && !e.isAllDay()) {
                e = EventTime.allDay(e.date());
            } else if (!start.isAllDay() && e.isAllDay()) {
                e = start;
            } else if (start instanceof EventTime.Zoned z && e instanceof EventTime.Floating f) {
                e = EventTime.of(ZonedDateTime.of(f.dateTime(), z.zone()));
            } else if (start instanceof EventTime.Floating && e instanceof EventTime.Zoned z) {
                e = EventTime.floating(z.dateTime().toLocalDateTime());
            }
            if (e.toInstant(ZoneOffset.UTC).isBefore(start.toInstant(ZoneOffset.UTC))) {
                e = start.isAllDay() ? EventTime.allDay(start.date().plusDays(1)) : start;
            }
            return e;
        }

        private static boolean isDate(Prop p) {
            return p.param("VALUE").map(v -> v.strip().equalsIgnoreCase("DATE")).orElse(false);
        }

        private EventTime time(Prop p) {
            boolean isDate = isDate(p);
            String value = p.value().strip();
            // a TZID on a DATE (Sunbird, Google, SabreDAV write DTSTART;TZID=...;VALUE=DATE) or a UTC value means
            // nothing: it is not resolved (an unknown one is no reason to lose the event)
            ZoneId zone = isDate || !IcsTimes.needsZone(value)
                    ? null
                    : p.param("TZID").map(t -> zoneOrFloating(t, p)).orElse(null);
            return IcsTimes.parse(value, isDate, zone, p.name());
        }

        private void times(Prop p, boolean periodsAllowed, List<EventTime> out, List<EventTime[]> periods) {
            boolean isDate = isDate(p);
            ZoneId zone = null;
            for (String v : p.value().split(",")) {
                String value = v.strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (zone == null
                        && !isDate
                        && IcsTimes.needsZone(value)
                        && p.param("TZID").isPresent()) {
                    zone = zoneOrFloating(p.param("TZID").get(), p);
                }
                int slash = value.indexOf('/');
                if (periodsAllowed && slash > 0) {
                    // RDATE;VALUE=PERIOD: start/end or start/duration; the period's end is the instance's end
                    EventTime s = IcsTimes.parse(value.substring(0, slash), isDate, zone, p.name());
                    String rest = value.substring(slash + 1).strip();
                    EventTime e = rest.startsWith("P") || rest.startsWith("+P") || rest.startsWith("-P")
                            ? IcsTimes.plus(s, IcsTimes.parseDuration(rest, p.name() + " period"))
                            : IcsTimes.parse(rest, isDate, zone, p.name());
                    out.add(s);
                    if (!s.isAllDay()) {
                        periods.add(new EventTime[] {s, coerceEnd(s, e)});
                    }
                } else {
                    out.add(IcsTimes.parse(value, isDate, zone, p.name()));
                }
            }
        }

        /**
         * The TZID's zone; null (floating time) for a TZID that is neither a known zone nor defined by a
         * VTIMEZONE, noted for the event: as other readers do, the wall-clock time is kept rather than the
         * event lost. A VTIMEZONE that is there but broken is an error.
         */
        private ZoneId zoneOrFloating(String tzid, Prop p) {
            try {
                return zone(tzid);
            } catch (UnknownZone u) {
                floatingTzids.putIfAbsent(u.tzid, p.line());
                return null;
            }
        }

        /**
         * TZID: IANA or Windows name, else the file's VTIMEZONE (as the IANA zone that behaves the same, or
         * registered as a custom zone), else an error naming the TZID.
         */
        private ZoneId zone(String rawTzid) {
            String tzid = rawTzid.strip();
            ZoneId cached = zones.get(tzid);
            if (cached != null) {
                return cached;
            }
            MalformedDataException bad = badZones.get(tzid);
            if (bad != null) {
                throw bad;
            }
            try {
                ZoneId z = TimeZones.find(tzid).orElse(null);
                if (z == null) {
                    Comp def = vtimezones.get(tzid);
                    if (def == null) {
                        throw new UnknownZone(tzid);
                    }
                    VTimeZone vtz = vtimezone(def, tzid);
                    VTimeZoneLimits.check(vtz, tzid, java.time.Clock.systemUTC());
                    ZoneRules rules;
                    try {
                        rules = new ZoneRulesBuilder().vTimeZone(vtz).build();
                    } catch (Exception e) {
                        throw new MalformedDataException(
                                "the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid) + "' (line " + def.line
                                        + ") cannot be turned into zone rules",
                                ErrorContext.NONE,
                                e);
                    }
                    // an IANA zone with the same behaviour keeps the event portable; else register the definition
                    z = ZoneMatcher.equivalent(rules, tzid).orElse(null);
                    if (z == null) {
                        z = CustomZones.register(rules, vtz.toString());
                    }
                }
                zones.put(tzid, z);
                return z;
            } catch (MalformedDataException e) {
                if (badZones.size() < 1_000) {
                    badZones.put(tzid, e);
                }
                throw e;
            }
        }

        /**
         * The VTIMEZONE as ical4j's object, built from its zone-relevant properties only. Observances are
         * checked first, so that a broken one is a clear error (and no library stack trace is logged).
         */
        private static VTimeZone vtimezone(Comp def, String tzid) {
            StringBuilder sb = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calsdk//reader//EN\r\n");
            sb.append("BEGIN:VTIMEZONE\r\nTZID:").append(escapeText(tzid)).append("\r\n");
            int observances = 0;
            for (Comp o : def.children) {
                if (!o.name.equals("STANDARD") && !o.name.equals("DAYLIGHT")) {
                    continue;
                }
                for (String required : List.of("DTSTART", "TZOFFSETFROM", "TZOFFSETTO")) {
                    if (o.prop(required).isEmpty()) {
                        throw new MalformedDataException("the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid)
                                + "' is invalid: its " + o.name + " at line " + o.line + " has no " + required);
                    }
                }
                for (Prop p : o.props) {
                    if (p.name().startsWith("TZOFFSET") && !p.value().strip().matches("[+-]\\d{4}(\\d{2})?")) {
                        throw new MalformedDataException(
                                "the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid) + "' is invalid: " + p.name() + " '"
                                        + IcsTimes.shorten(p.value().strip()) + "' at line " + p.line()
                                        + " is not an offset (+hhmm)");
                    }
                    if (p.name().equals("DTSTART")) {
                        IcsTimes.parse(
                                p.value().strip(),
                                false,
                                null,
                                "DTSTART of the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid) + "'");
                    }
                }
                sb.append("BEGIN:").append(o.name).append("\r\n");
                for (Prop p : o.props) {
                    if (ZONE_PROPERTIES.contains(p.name()) && !p.name().equals("TZID")) {
                        // DTSTART in a VTIMEZONE is local time: parameters (a stray TZID) are dropped
                        sb.append(p.name())
                                .append(':')
                                .append(
                                        p.name().equals("TZNAME")
                                                ? p.value()
                                                : p.value().strip())
                                .append("\r\n");
                    }
                }
                sb.append("END:").append(o.name).append("\r\n");
                observances++;
            }
            if (observances == 0) {
                throw new MalformedDataException("the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid) + "' (line "
                        + def.line + ") has no STANDARD or DAYLIGHT observance");
            }
            sb.append("END:VTIMEZONE\r\nEND:VCALENDAR\r\n");
            try {
                // no time zone registry: ical4j's would build zone rules from the VTIMEZONE as it is read,
                // unbounded; they are built in zone() after VTimeZoneLimits checked the definition
                Calendar cal = new CalendarBuilder(
                                CalendarParserFactory.getInstance().get(), (TimeZoneRegistry) null)
                        .build(new StringReader(sb.toString()));
                for (Component c : cal.<net.fortuna.ical4j.model.component.CalendarComponent>getComponents()) {
                    if (c instanceof VTimeZone vtz) {
                        return vtz;
                    }
                }
            } catch (Exception e) {
                throw new MalformedDataException(
                        "the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid) + "' (line " + def.line + ") is invalid",
                        ErrorContext.NONE,
                        e);
            }
            throw new MalformedDataException(
                    "the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid) + "' (line " + def.line + ") is invalid");
        }

        private static String escapeText(String s) {
            return s.replace("\\", "\\\\")
                    .replace(";", "\\;")
                    .replace(",", "\\,")
                    .replace("\n", "\\n");
        }

        private static Optional<Attendee> attendee(Prop p) {
            Optional<Mailbox> m = mailbox(text(p));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            Attendee.Role role =
                    switch (p.param("ROLE").orElse("REQ-PARTICIPANT").strip().toUpperCase(Locale.ROOT)) {
                        case "OPT-PARTICIPANT" -> Attendee.Role.OPTIONAL;
                        case "CHAIR" -> Attendee.Role.CHAIR;
                        case "NON-PARTICIPANT" -> Attendee.Role.NON_PARTICIPANT;
                        default -> Attendee.Role.REQUIRED;
                    };
            Attendee.ResponseStatus response =
                    switch (p.param("PARTSTAT").orElse("NEEDS-ACTION").strip().toUpperCase(Locale.ROOT)) {
                        case "ACCEPTED" -> Attendee.ResponseStatus.ACCEPTED;
                        case "DECLINED" -> Attendee.ResponseStatus.DECLINED;
                        case "TENTATIVE" -> Attendee.ResponseStatus.TENTATIVE;
                        case "DELEGATED" -> Attendee.ResponseStatus.DELEGATED;
                        default -> Attendee.ResponseStatus.NEEDS_ACTION;
                    };
            String cutype = p.param("CUTYPE").orElse("INDIVIDUAL").strip().toUpperCase(Locale.ROOT);
            boolean resource = cutype.equals("ROOM") || cutype.equals("RESOURCE");
            String cn = p.param("CN").orElse(null);
            return Optional.of(new Attendee(m.get(), cn, role, response, resource));
        }

        private static Optional<Mailbox> mailbox(String value) {
            String v = value.strip();
            if (v.regionMatches(true, 0, "mailto:", 0, 7)) {
                v = v.substring(7);
            }
            try {
                return Optional.of(Mailbox.of(v));
            } catch (CalendarException e) {
                return Optional.empty(); // not an address (e.g. a URN): nothing the model can hold
            }
        }

        /** LAST-MODIFIED, with or without Z (floating values are read as UTC); unreadable ones are ignored. */
        private static Optional<Instant> lastModified(Prop p) {
            try {
                EventTime t = IcsTimes.parse(p.value().strip(), false, ZoneOffset.UTC, "LAST-MODIFIED");
                return Optional.of(t.toInstant(ZoneOffset.UTC));
            } catch (MalformedDataException e) {
                return Optional.empty();
            }
        }

        private static EventStatus status(String v) {
            return switch (v.strip().toUpperCase(Locale.ROOT)) {
                case "TENTATIVE" -> EventStatus.TENTATIVE;
                case "CANCELLED" -> EventStatus.CANCELLED;
                default -> EventStatus.CONFIRMED;
            };
        }

        private static Visibility visibility(String v) {
            return switch (v.strip().toUpperCase(Locale.ROOT)) {
                case "PUBLIC" -> Visibility.PUBLIC;
                case "PRIVATE" -> Visibility.PRIVATE;
                case "CONFIDENTIAL" -> Visibility.CONFIDENTIAL;
                default -> Visibility.DEFAULT;
            };
        }

        private static Optional<BusyStatus> busy(String v) {
            return switch (v.strip().toUpperCase(Locale.ROOT)) {
                case "FREE" -> Optional.of(BusyStatus.FREE);
                case "TENTATIVE" -> Optional.of(BusyStatus.TENTATIVE);
                case "BUSY" -> Optional.of(BusyStatus.BUSY);
                case "OOF" -> Optional.of(BusyStatus.OUT_OF_OFFICE);
                case "WORKINGELSEWHERE" -> Optional.of(BusyStatus.WORKING_ELSEWHERE);
                default -> Optional.empty();
            };
        }
    }

    /** The first property of that name in an ical4j component (used on the VTIMEZONEs handed to ical4j). */
    static Optional<net.fortuna.ical4j.model.Property> prop(Component c, String name) {
        for (net.fortuna.ical4j.model.Property p : c.<net.fortuna.ical4j.model.Property>getProperties()) {
            if (p.getName().equalsIgnoreCase(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
