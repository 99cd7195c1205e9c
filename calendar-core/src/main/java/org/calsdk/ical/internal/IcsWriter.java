package org.calsdk.ical.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import net.fortuna.ical4j.data.FoldingWriter;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.util.Strings;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Transparency;
import org.calsdk.model.Visibility;
import org.calsdk.tz.internal.CustomZones;

/**
 * {@link Event}s to VCALENDAR text. Lines are folded by ical4j's {@link FoldingWriter}, TEXT is escaped
 * with ical4j's {@link Strings#escape}, VTIMEZONEs come from ical4j's bundled zone database (or, for a
 * zone that came from a file's VTIMEZONE, that definition). A time whose zone has no VTIMEZONE (a fixed
 * offset other than UTC, or a zone ical4j does not know) is written in UTC: the same instant.
 */
public final class IcsWriter {
    private static final Pattern X_NAME = Pattern.compile("X-[A-Za-z0-9-]+");
    private static final Map<String, Optional<String>> VTIMEZONES = new ConcurrentHashMap<>();
    private static TimeZoneRegistry registry;

    private IcsWriter() {}

    public static String write(List<Event> events) {
        Set<ZoneId> zones = new LinkedHashSet<>();
        for (Event e : events) {
            collectZones(e, zones);
            e.overrides().forEach(o -> collectZones(o, zones));
        }
        StringBuilder body = new StringBuilder();
        line(body, "BEGIN:VCALENDAR");
        line(body, "VERSION:2.0");
        line(body, "PRODID:-//calsdk//calendar-core 0.1//EN");
        line(body, "CALSCALE:GREGORIAN");
        for (ZoneId z : zones) {
            vtimezone(z).ifPresent(text -> {
                for (String l : text.split("\r?\n")) {
                    if (!l.isEmpty()) {
                        line(body, l);
                    }
                }
            });
        }
        for (Event e : events) {
            String uid = e.uid()
                    .orElseGet(() -> e.key()
                            .map(k -> "calsdk-" + k.value())
                            .orElse(UUID.randomUUID().toString()));
            vevent(body, e, uid);
            for (Event o : e.overrides()) {
                vevent(body, o, uid);
            }
        }
        line(body, "END:VCALENDAR");
        StringWriter out = new StringWriter(body.length() + body.length() / 20);
        try (FoldingWriter fw = new FoldingWriter(out)) {
            fw.write(body.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void vevent(StringBuilder sb, Event e, String uid) {
        line(sb, "BEGIN:VEVENT");
        line(sb, "UID:" + Strings.escape(uid));
        line(sb, "DTSTAMP:" + utc(e.updated().orElseGet(Instant::now)));
        // a DTSTART written in a DST gap goes back out as written, so its rule recurs on that wall-clock time
        java.time.LocalDateTime written =
                e.recurrence().map(org.calsdk.model.Recurrence::wallClockStart).orElse(null);
        if (written != null
                && e.start() instanceof EventTime.Zoned z
                && !z.isUtc()
                && vtimezone(z.zone()).isPresent()
                && ZonedDateTime.of(written, z.zone())
                        .toInstant()
                        .equals(z.dateTime().toInstant())) {
            line(sb, "DTSTART;TZID=" + paramValue(z.zone().getId()) + ":" + IcsTimes.format(written));
        } else {
            time(sb, "DTSTART", e.start(), "");
        }
        time(sb, "DTEND", e.end(), "");
        e.recurrenceId()
                .ifPresent(rid -> time(
                        sb,
                        "RECURRENCE-ID",
                        rid,
                        ICalendar.THISANDFUTURE.equalsIgnoreCase(
                                        e.properties().getOrDefault(ICalendar.PROPERTY_RANGE, ""))
                                ? ";RANGE=THISANDFUTURE"
                                : ""));
        e.recurrence().ifPresent(r -> {
            r.rules().forEach(rule -> line(sb, "RRULE:" + rule));
            r.rdates().forEach(t -> time(sb, "RDATE", t, ""));
            r.exdates().forEach(t -> time(sb, "EXDATE", t, ""));
        });
        if (!e.summary().isEmpty()) {
            line(sb, "SUMMARY:" + Strings.escape(e.summary()));
        }
        e.description().ifPresent(d -> line(sb, "DESCRIPTION:" + Strings.escape(d)));
        e.location().ifPresent(l -> line(sb, "LOCATION:" + Strings.escape(l)));
        line(sb, "STATUS:" + e.status().name());
        line(sb, "TRANSP:" + e.transparency().name());
        if (e.visibility() != Visibility.DEFAULT) {
            line(sb, "CLASS:" + e.visibility().name());
        }
        e.organizer()
                .ifPresent(o -> line(
                        sb,
                        "ORGANIZER" + cn(o.name()) + ":mailto:" + o.mailbox().email()));
        for (Attendee a : e.attendees()) {
            String role = switch (a.role()) {
                case REQUIRED -> "REQ-PARTICIPANT";
                case OPTIONAL -> "OPT-PARTICIPANT";
                case CHAIR -> "CHAIR";
                case NON_PARTICIPANT -> "NON-PARTICIPANT";
            };
            String partstat = a.response().name().replace('_', '-');
            line(
                    sb,
                    "ATTENDEE" + cn(a.name()) + ";ROLE=" + role + ";PARTSTAT=" + partstat
                            + (a.resource() ? ";CUTYPE=RESOURCE" : "") + ":mailto:"
                            + a.mailbox().email());
        }
        e.updated().ifPresent(u -> line(sb, "LAST-MODIFIED:" + utc(u)));
        e.key().ifPresent(k -> line(sb, IcsReader.X_EVENT_KEY + ":" + Strings.escape(k.value())));
        showAs(e)
                .ifPresent(s -> line(
                        sb,
                        IcsReader.X_BUSYSTATUS + ":"
                                + switch (s) {
                                    case FREE -> "FREE";
                                    case TENTATIVE -> "TENTATIVE";
                                    case BUSY -> "BUSY";
                                    case OUT_OF_OFFICE -> "OOF";
                                    case WORKING_ELSEWHERE -> "WORKINGELSEWHERE";
                                }));
        for (Map.Entry<String, String> p : e.properties().entrySet()) {
            String k = p.getKey();
            if (k.equals(ICalendar.PROPERTY_RANGE)) {
                continue;
            }
            if (k.equals(ICalendar.PROPERTY_SEQUENCE) && p.getValue().matches("\\d{1,9}")) {
                line(sb, "SEQUENCE:" + p.getValue());
            } else if (X_NAME.matcher(k).matches()
                    && !k.equalsIgnoreCase(IcsReader.X_PROPERTY)
                    && !k.equalsIgnoreCase(IcsReader.X_EVENT_KEY)
                    && !k.equalsIgnoreCase(IcsReader.X_BUSYSTATUS)) {
                line(sb, k.toUpperCase(Locale.ROOT) + ":" + Strings.escape(p.getValue()));
            } else {
                line(sb, IcsReader.X_PROPERTY + ";NAME=" + paramValue(k) + ":" + Strings.escape(p.getValue()));
            }
        }
        line(sb, "END:VEVENT");
    }

    /**
     * The provider's "show as" status, when it says more than STATUS and TRANSP do (the model exposes
     * only the combined {@link Event#busyStatus()}).
     */
    private static Optional<BusyStatus> showAs(Event e) {
        if (e.isCancelled() || e.transparency() == Transparency.TRANSPARENT) {
            return Optional.empty();
        }
        BusyStatus implied = e.status() == EventStatus.TENTATIVE ? BusyStatus.TENTATIVE : BusyStatus.BUSY;
        return e.busyStatus() == implied ? Optional.empty() : Optional.of(e.busyStatus());
    }

    private static String cn(String name) {
        return name == null || name.isBlank() ? "" : ";CN=" + paramValue(name);
    }

    /** A parameter value: quoted when it holds ':', ';' or ','; DQUOTE and control characters cannot appear. */
    private static String paramValue(String v) {
        String clean = v.replace('"', '\'').replaceAll("[\\p{Cntrl}]", " ");
        return clean.matches(".*[:;,].*") || clean.isEmpty() ? "\"" + clean + "\"" : clean;
    }

    private static void time(StringBuilder sb, String name, EventTime t, String extraParams) {
        if (t instanceof EventTime.AllDay a) {
            line(sb, name + ";VALUE=DATE" + extraParams + ":" + IcsTimes.format(a.date()));
        } else if (t instanceof EventTime.Floating f) {
            line(sb, name + extraParams + ":" + IcsTimes.format(f.dateTime()));
        } else {
            EventTime.Zoned z = (EventTime.Zoned) t;
            if (z.isUtc() || vtimezone(z.zone()).isEmpty()) {
                line(sb, name + extraParams + ":" + utc(z.dateTime().toInstant()));
            } else {
                line(
                        sb,
                        name + ";TZID=" + paramValue(z.zone().getId()) + extraParams + ":"
                                + IcsTimes.format(z.dateTime().toLocalDateTime()));
            }
        }
    }

    private static String utc(Instant i) {
        return IcsTimes.format(ZonedDateTime.ofInstant(i, ZoneOffset.UTC).toLocalDateTime()) + "Z";
    }

    private static void collectZones(Event e, Set<ZoneId> zones) {
        addZone(e.start(), zones);
        addZone(e.end(), zones);
        e.recurrenceId().ifPresent(t -> addZone(t, zones));
        e.recurrence().ifPresent(r -> {
            r.rdates().forEach(t -> addZone(t, zones));
            r.exdates().forEach(t -> addZone(t, zones));
        });
    }

    private static void addZone(EventTime t, Set<ZoneId> zones) {
        if (t instanceof EventTime.Zoned z && !z.isUtc() && !(z.zone() instanceof ZoneOffset)) {
            zones.add(z.zone());
        }
    }

    /** The VTIMEZONE text for a zone, with its TZID set to the zone's id; empty when there is none. */
    static Optional<String> vtimezone(ZoneId zone) {
        if (zone instanceof ZoneOffset) {
            return Optional.empty();
        }
        return VTIMEZONES.computeIfAbsent(zone.getId(), id -> {
            String text;
            if (CustomZones.isCustom(zone)) {
                text = CustomZones.vtimezone(zone).orElse(null);
            } else {
                TimeZone tz;
                synchronized (IcsWriter.class) {
                    if (registry == null) {
                        registry = TimeZoneRegistryFactory.getInstance().createRegistry();
                    }
                    try {
                        tz = registry.getTimeZone(id);
                    } catch (RuntimeException e) {
                        tz = null;
                    }
                }
                text = tz == null ? null : tz.getVTimeZone().toString();
            }
            if (text == null) {
                return Optional.empty();
            }
            return Optional.of(text.replaceFirst("(?m)^TZID[^:\r\n]*:.*$", "TZID:" + id.replace("$", "\\$")));
        });
    }

    private static void line(StringBuilder sb, String l) {
        sb.append(l).append("\r\n");
    }
}
