package org.calsdk.ical.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.CalendarParserFactory;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.ZoneRulesBuilder;
import net.fortuna.ical4j.model.component.VTimeZone;

import org.calsdk.errors.CalendarException;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.ical.ICalendar;
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
 * VCALENDAR text to {@link Event}s. ical4j does the lexing (unfolding, escaping, parameters, component
 * structure); values are interpreted here so that TZIDs go through {@link TimeZones} and the file's own
 * VTIMEZONEs, never through a silent default.
 */
public final class IcsReader {
    static final String X_EVENT_KEY = "X-CALSDK-EVENT-KEY";
    static final String X_PROPERTY = "X-CALSDK-PROPERTY";
    static final String X_BUSYSTATUS = "X-MICROSOFT-CDO-BUSYSTATUS";
    /** VCALENDAR > VEVENT > VALARM is 3 deep; real files never go past 4. */
    static final int MAX_DEPTH = 8;
    /** RDATE and EXDATE values per event. */
    static final int MAX_DATES_PER_EVENT = 100_000;

    private IcsReader() {}

    public static List<Event> parse(InputStream in) {
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
            throw new MalformedDataException("cannot read iCalendar input: " + e.getMessage(),
                    org.calsdk.errors.ErrorContext.NONE, e);
        }
        return parse(buf.toString(StandardCharsets.UTF_8));
    }

    private static MalformedDataException tooLarge() {
        return new MalformedDataException("iCalendar input is larger than the limit of " + ICalendar.MAX_INPUT_BYTES + " bytes");
    }

    public static List<Event> parse(String ics) {
        // chars <= bytes in UTF-8, so this is a cheap first check; the exact byte count follows when needed
        if (ics.length() > ICalendar.MAX_INPUT_BYTES
                || ics.length() > ICalendar.MAX_INPUT_BYTES / 4 && ics.getBytes(StandardCharsets.UTF_8).length > ICalendar.MAX_INPUT_BYTES) {
            throw tooLarge();
        }
        checkStructure(ics);
        VTimeZoneLimits.prescan(ics);
        String trimmed = ics.strip();
        if (!trimmed.regionMatches(true, 0, "BEGIN:VCALENDAR", 0, 15)) {
            throw new MalformedDataException("not iCalendar data: it does not start with BEGIN:VCALENDAR");
        }
        Calendar cal;
        try {
            // no time zone registry: ical4j's would build zone rules from every VTIMEZONE as it is read,
            // unbounded; TZIDs are resolved by zone() below, after VTimeZoneLimits checked the definition
            cal = new CalendarBuilder(CalendarParserFactory.getInstance().get(), (TimeZoneRegistry) null)
                    .build(new StringReader(ics));
        } catch (ParserException e) {
            throw new MalformedDataException("malformed iCalendar at line " + e.getLineNo() + lineText(ics, e.getLineNo())
                    + ": " + rootMessage(e), org.calsdk.errors.ErrorContext.NONE, e);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("malformed iCalendar: " + rootMessage(e), org.calsdk.errors.ErrorContext.NONE, e);
        } catch (StackOverflowError e) {
            throw new MalformedDataException("malformed iCalendar: components nested too deeply");
        }
        return new IcsReader.Session(cal, writtenStarts(ics)).events();
    }

    /**
     * The local DTSTART of each master VEVENT (one without RECURRENCE-ID) written with a TZID, by UID, as
     * the text says: ical4j hands DTSTART over already placed in its zone, which moves a time in a DST gap
     * forward, and a series must recur on the time as written (RFC 5545). One pass over the unfolded text.
     */
    static Map<String, LocalDateTime> writtenStarts(String ics) {
        Map<String, LocalDateTime> out = new HashMap<>();
        String uid = null;
        String start = null;
        boolean inEvent = false;
        boolean override = false;
        for (String line : ics.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "").replace("\n\t", "")
                .split("\r?\n")) {
            String upper = line.length() > 20 ? line.substring(0, 20).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("BEGIN:VEVENT")) {
                inEvent = true;
                uid = null;
                start = null;
                override = false;
            } else if (upper.startsWith("END:VEVENT")) {
                if (inEvent && uid != null && start != null && !override) {
                    try {
                        out.putIfAbsent(uid, LocalDateTime.parse(start, IcsTimes.LOCAL));
                    } catch (java.time.format.DateTimeParseException ignored) {
                        // not a local DATE-TIME: nothing to remember
                    }
                }
                inEvent = false;
            } else if (inEvent && upper.startsWith("UID:")) {
                uid = line.substring(4).strip();
            } else if (inEvent && upper.startsWith("RECURRENCE-ID")) {
                override = true;
            } else if (inEvent && upper.startsWith("DTSTART;") && upper.contains("TZID=")) {
                int colon = line.lastIndexOf(':');
                start = colon < 0 ? null : line.substring(colon + 1).strip();
            }
        }
        return out;
    }

    /** The text of a (physical) line, for error messages: " (DTSTART:xyz)". */
    private static String lineText(String ics, int lineNo) {
        if (lineNo < 1) {
            return "";
        }
        int start = 0;
        for (int i = 1; i < lineNo; i++) {
            int nl = ics.indexOf('\n', start);
            if (nl < 0) {
                return "";
            }
            start = nl + 1;
        }
        int end = ics.indexOf('\n', start);
        String line = (end < 0 ? ics.substring(start) : ics.substring(start, end)).strip();
        return line.isEmpty() ? "" : " (" + IcsTimes.shorten(line) + ")";
    }

    /** Cheap pre-scan before ical4j builds objects: component count and nesting depth are bounded. */
    private static void checkStructure(String ics) {
        int count = 0;
        int depth = 0;
        int i = 0;
        int n = ics.length();
        while (i < n) {
            int eol = ics.indexOf('\n', i);
            int end = eol < 0 ? n : eol;
            if (ics.regionMatches(true, i, "BEGIN:", 0, 6)) {
                count++;
                depth++;
                if (count > ICalendar.MAX_COMPONENTS) {
                    throw new MalformedDataException("iCalendar input has more than " + ICalendar.MAX_COMPONENTS + " components");
                }
                if (depth > MAX_DEPTH) {
                    throw new MalformedDataException("iCalendar components are nested deeper than " + MAX_DEPTH + " levels");
                }
            } else if (ics.regionMatches(true, i, "END:", 0, 4)) {
                depth = Math.max(0, depth - 1);
            }
            i = end + 1;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /** One parse: the file's VTIMEZONEs and the zones resolved so far. */
    private static final class Session {
        private final Calendar cal;
        private final Map<String, VTimeZone> vtimezones = new HashMap<>();
        private final Map<String, ZoneId> zones = new HashMap<>();
        private final Map<String, LocalDateTime> writtenStarts;

        Session(Calendar cal, Map<String, LocalDateTime> writtenStarts) {
            this.cal = cal;
            this.writtenStarts = writtenStarts;
            for (Component c : cal.<net.fortuna.ical4j.model.component.CalendarComponent>getComponents()) {
                if (c instanceof VTimeZone vtz) {
                    prop(vtz, "TZID").ifPresent(p -> vtimezones.put(p.getValue(), vtz));
                }
            }
        }

        List<Event> events() {
            Map<String, List<Event>> masters = new LinkedHashMap<>();
            Map<String, List<Event>> overrides = new LinkedHashMap<>();
            List<Object> order = new ArrayList<>(); // uid strings, or Event for events without uid
            for (Component c : cal.<net.fortuna.ical4j.model.component.CalendarComponent>getComponents()) {
                if (!"VEVENT".equalsIgnoreCase(c.getName())) {
                    continue;
                }
                Event e = event(c);
                String uid = e.uid().orElse(null);
                if (uid == null) {
                    order.add(e);
                    continue;
                }
                if (!masters.containsKey(uid) && !overrides.containsKey(uid)) {
                    order.add(uid);
                }
                if (e.recurrenceId().isPresent()) {
                    overrides.computeIfAbsent(uid, k -> new ArrayList<>()).add(e);
                } else {
                    masters.computeIfAbsent(uid, k -> new ArrayList<>()).add(e);
                }
            }
            List<Event> out = new ArrayList<>();
            for (Object o : order) {
                if (o instanceof Event e) {
                    out.add(e);
                    continue;
                }
                String uid = (String) o;
                List<Event> ms = masters.getOrDefault(uid, List.of());
                List<Event> os = overrides.getOrDefault(uid, List.of());
                if (ms.isEmpty()) {
                    out.addAll(os);
                    continue;
                }
                Event master = ms.get(0);
                try {
                    out.add(master.toBuilder().overrides(os).build());
                } catch (CalendarException ex) {
                    throw broken(uid, ex.getMessage(), ex);
                }
                out.addAll(ms.subList(1, ms.size())); // duplicate masters (invalid) are kept, not lost
            }
            return out;
        }

        private Event event(Component c) {
            String uid = prop(c, "UID").map(Property::getValue).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
            try {
                return build(c, uid);
            } catch (MalformedDataException ex) {
                throw uid == null ? ex : broken(uid, ex.getMessage(), ex);
            } catch (CalendarException ex) {
                throw broken(uid, ex.getMessage(), ex);
            }
        }

        private static MalformedDataException broken(String uid, String why, Throwable cause) {
            if (cause instanceof LimitExceededException le) {
                return le.within("VEVENT " + (uid == null ? "without UID" : "UID '" + IcsTimes.shorten(uid) + "'") + ": ",
                        le.context());
            }
            return new MalformedDataException("VEVENT " + (uid == null ? "without UID" : "UID '" + IcsTimes.shorten(uid) + "'")
                    + ": " + why, org.calsdk.errors.ErrorContext.NONE, cause);
        }

        private Event build(Component c, String uid) {
            Event.Builder b = Event.builder().uid(uid);
            Property dtstart = prop(c, "DTSTART").orElseThrow(() -> new MalformedDataException("DTSTART is missing"));
            EventTime start = time(dtstart);
            EventTime end = prop(c, "DTEND").map(this::time)
                    .or(() -> prop(c, "DURATION").map(p -> IcsTimes.plus(start, IcsTimes.parseDuration(p.getValue(), "DURATION"))))
                    .orElse(start.isAllDay() ? EventTime.allDay(start.date().plusDays(1)) : start);
            end = coerceEnd(start, end);
            b.time(start, end);
            prop(c, "RECURRENCE-ID").ifPresent(p -> {
                b.recurrenceId(time(p));
                param(p, "RANGE").filter(r -> r.equalsIgnoreCase(ICalendar.THISANDFUTURE))
                        .ifPresent(r -> b.property(ICalendar.PROPERTY_RANGE, ICalendar.THISANDFUTURE));
            });

            List<String> rules = new ArrayList<>();
            List<EventTime> rdates = new ArrayList<>();
            List<EventTime> exdates = new ArrayList<>();
            for (Property p : c.<Property>getProperties()) {
                String name = p.getName().toUpperCase(Locale.ROOT);
                switch (name) {
                    case "RRULE" -> {
                        RRule.parse(p.getValue()); // validate now: a broken rule is a broken file
                        rules.add(p.getValue().strip());
                    }
                    case "RDATE" -> rdates.addAll(times(p, true));
                    case "EXDATE" -> exdates.addAll(times(p, false));
                    case "SUMMARY" -> b.summary(p.getValue());
                    case "DESCRIPTION" -> b.description(p.getValue());
                    case "LOCATION" -> b.location(p.getValue());
                    case "STATUS" -> b.status(status(p.getValue()));
                    case "TRANSP" -> b.transparency("TRANSPARENT".equalsIgnoreCase(p.getValue().strip())
                            ? Transparency.TRANSPARENT : Transparency.OPAQUE);
                    case "CLASS" -> b.visibility(visibility(p.getValue()));
                    case "ORGANIZER" -> mailbox(p.getValue()).ifPresent(m -> b.organizer(new Organizer(m, param(p, "CN").orElse(null))));
                    case "ATTENDEE" -> attendee(p).ifPresent(b::attendee);
                    case "LAST-MODIFIED" -> lastModified(p).ifPresent(b::updated);
                    case "SEQUENCE" -> {
                        String v = p.getValue().strip();
                        if (v.matches("\\d{1,9}")) {
                            b.property(ICalendar.PROPERTY_SEQUENCE, v);
                        }
                    }
                    case X_EVENT_KEY -> {
                        try {
                            b.key(EventKey.of(p.getValue().strip()));
                        } catch (CalendarException ex) {
                            b.property(X_EVENT_KEY, p.getValue());
                        }
                    }
                    case X_BUSYSTATUS -> busy(p.getValue()).ifPresent(b::showAs);
                    case X_PROPERTY -> param(p, "NAME").filter(n -> !n.isBlank()).ifPresent(n -> b.property(n, p.getValue()));
                    default -> {
                        if (name.startsWith("X-") && !p.getValue().isEmpty()) {
                            b.property(name, p.getValue());
                        }
                    }
                }
            }
            if (rdates.size() + exdates.size() > MAX_DATES_PER_EVENT) {
                throw new MalformedDataException("more than " + MAX_DATES_PER_EVENT + " RDATE/EXDATE values");
            }
            if (!rules.isEmpty() || !rdates.isEmpty() || !exdates.isEmpty()) {
                b.recurrence(new Recurrence(rules, rdates, exdates, gapWallClock(writtenStarts.get(uid), start)));
            }
            return b.build();
        }

        /**
         * DTSTART's local time as written, when it does not exist in its zone (so {@code start} was moved
         * forward across a DST gap); null otherwise.
         */
        private static LocalDateTime gapWallClock(LocalDateTime written, EventTime start) {
            if (written == null || !(start instanceof EventTime.Zoned z) || z.isUtc()
                    || written.equals(z.dateTime().toLocalDateTime())
                    || !ZonedDateTime.of(written, z.zone()).toInstant().equals(z.dateTime().toInstant())) {
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

        private EventTime time(Property p) {
            boolean isDate = param(p, "VALUE").map(v -> v.equalsIgnoreCase("DATE")).orElse(false);
            ZoneId zone = param(p, "TZID").map(this::zone).orElse(null);
            return IcsTimes.parse(p.getValue(), isDate, zone, p.getName());
        }

        private List<EventTime> times(Property p, boolean periodsAllowed) {
            boolean isDate = param(p, "VALUE").map(v -> v.equalsIgnoreCase("DATE")).orElse(false);
            ZoneId zone = param(p, "TZID").map(this::zone).orElse(null);
            List<EventTime> out = new ArrayList<>();
            for (String v : p.getValue().split(",")) {
                if (v.isBlank()) {
                    continue;
                }
                String value = v;
                if (periodsAllowed && v.indexOf('/') > 0) {
                    value = v.substring(0, v.indexOf('/')); // RDATE;VALUE=PERIOD: the period's start
                }
                out.add(IcsTimes.parse(value, isDate, zone, p.getName()));
            }
            return out;
        }

        /**
         * TZID: IANA or Windows name, else the file's VTIMEZONE (as the IANA zone that behaves the same, or
         * registered as a custom zone), else an error naming the TZID.
         */
        private ZoneId zone(String tzid) {
            ZoneId cached = zones.get(tzid);
            if (cached != null) {
                return cached;
            }
            ZoneId z = TimeZones.find(tzid).orElse(null);
            if (z == null) {
                VTimeZone vtz = vtimezones.get(tzid);
                if (vtz == null) {
                    throw new MalformedDataException("unknown TZID '" + IcsTimes.shorten(tzid)
                            + "': not an IANA or Windows time zone, and the file has no VTIMEZONE for it");
                }
                VTimeZoneLimits.check(vtz, tzid, java.time.Clock.systemUTC());
                ZoneRules rules;
                try {
                    rules = new ZoneRulesBuilder().vTimeZone(vtz).build();
                } catch (Exception e) {
                    throw new MalformedDataException("the VTIMEZONE for TZID '" + IcsTimes.shorten(tzid)
                            + "' is invalid: " + rootMessage(e), org.calsdk.errors.ErrorContext.NONE, e);
                }
                // an IANA zone with the same behaviour keeps the event portable; else register the definition
                z = ZoneMatcher.equivalent(rules, tzid).orElse(null);
                if (z == null) {
                    z = CustomZones.register(rules, vtz.toString());
                }
            }
            zones.put(tzid, z);
            return z;
        }

        private static Optional<Attendee> attendee(Property p) {
            Optional<Mailbox> m = mailbox(p.getValue());
            if (m.isEmpty()) {
                return Optional.empty();
            }
            Attendee.Role role = switch (param(p, "ROLE").orElse("REQ-PARTICIPANT").toUpperCase(Locale.ROOT)) {
                case "OPT-PARTICIPANT" -> Attendee.Role.OPTIONAL;
                case "CHAIR" -> Attendee.Role.CHAIR;
                case "NON-PARTICIPANT" -> Attendee.Role.NON_PARTICIPANT;
                default -> Attendee.Role.REQUIRED;
            };
            Attendee.ResponseStatus response = switch (param(p, "PARTSTAT").orElse("NEEDS-ACTION").toUpperCase(Locale.ROOT)) {
                case "ACCEPTED" -> Attendee.ResponseStatus.ACCEPTED;
                case "DECLINED" -> Attendee.ResponseStatus.DECLINED;
                case "TENTATIVE" -> Attendee.ResponseStatus.TENTATIVE;
                case "DELEGATED" -> Attendee.ResponseStatus.DELEGATED;
                default -> Attendee.ResponseStatus.NEEDS_ACTION;
            };
            String cutype = param(p, "CUTYPE").orElse("INDIVIDUAL").toUpperCase(Locale.ROOT);
            boolean resource = cutype.equals("ROOM") || cutype.equals("RESOURCE");
            return Optional.of(new Attendee(m.get(), param(p, "CN").orElse(null), role, response, resource));
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

        private static Optional<Instant> lastModified(Property p) {
            try {
                EventTime t = IcsTimes.parse(p.getValue(), false, ZoneOffset.UTC, "LAST-MODIFIED");
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

    static Optional<Property> prop(Component c, String name) {
        for (Property p : c.<Property>getProperties()) {
            if (p.getName().equalsIgnoreCase(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Optional<String> param(Property p, String name) {
        for (Parameter x : p.getParameters()) {
            if (x.getName().equalsIgnoreCase(name)) {
                String v = x.getValue();
                if (v != null && v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return Optional.ofNullable(v);
            }
        }
        return Optional.empty();
    }
}
