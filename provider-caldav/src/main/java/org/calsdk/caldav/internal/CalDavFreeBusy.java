package org.calsdk.caldav.internal;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.CalendarComponent;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.w3c.dom.Element;

/**
 * Free/busy. The connected account's own busy time is computed here, from its events, with the
 * recurrence engine (servers' {@code expand} and {@code free-busy-query} are not trusted: Radicale
 * ignores the first and answers the second with hrefs). Other mailboxes are asked through the
 * scheduling outbox (RFC 6638, one POST for all of them) where the server has one and answers with
 * VFREEBUSY; where it has none, or does not answer for a mailbox, that mailbox gets its own error.
 */
final class CalDavFreeBusy implements FreeBusyQuery {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final CalDavSession session;
    private final Resources resources;

    CalDavFreeBusy(CalDavSession session, Resources resources) {
        this.session = session;
        this.resources = resources;
    }

    @Override
    public FreeBusyResult query(FreeBusyRequest request) {
        TimeWindow window = request.window();
        Map<Mailbox, FreeBusy> results = new LinkedHashMap<>();
        List<Mailbox> others = new ArrayList<>();
        for (Mailbox m : request.mailboxes()) {
            if (isSelf(m)) {
                results.put(m, ownFreeBusy(m, window));
            } else {
                others.add(m);
                results.put(m, null);
            }
        }
        if (!others.isEmpty()) {
            results.putAll(viaOutbox(others, window));
        }
        List<FreeBusy> ordered = new ArrayList<>();
        for (Mailbox m : request.mailboxes()) {
            ordered.add(results.get(m));
        }
        return new FreeBusyResult(ordered);
    }

    private boolean isSelf(Mailbox m) {
        if (m.equals(session.self())) {
            return true;
        }
        return session.account().userAddresses().stream().anyMatch(a -> a.equalsIgnoreCase("mailto:" + m.email()));
    }

    /**
     * The account's own busy time; an event that cannot be read or expanded within the bounds fails
     * this mailbox's entry with that typed error (leaving it out would show busy time as free).
     */
    private FreeBusy ownFreeBusy(Mailbox m, TimeWindow window) {
        try {
            return FreeBusy.of(m, ownBusy(window));
        } catch (MalformedDataException e) {
            return FreeBusy.failed(m, e);
        }
    }

    private List<BusyInterval> ownBusy(TimeWindow window) {
        List<Event> events = new ArrayList<>();
        for (CalDavSession.DavCalendar c : session.calendars()) {
            if (!c.info().holdsEvents() || c.transparent()) {
                continue;
            }
            for (Resources.Resource r : resources.inWindow(c.url(), window)) {
                events.addAll(r.events());
            }
        }
        return Recurrences.busy(events, window, session.zone());
    }

    private Map<Mailbox, FreeBusy> viaOutbox(List<Mailbox> mailboxes, TimeWindow window) {
        Map<Mailbox, FreeBusy> out = new LinkedHashMap<>();
        ErrorContext ctx = session.ctx();
        Discovery.Account account = session.account();
        if (account.outbox() == null) {
            for (Mailbox m : mailboxes) {
                out.put(
                        m,
                        FreeBusy.failed(
                                m,
                                new NotFoundException(
                                        "no free/busy for " + m + ": this CalDAV server "
                                                + "has no scheduling outbox (RFC 6638), so only the connected account's own busy time is "
                                                + "visible",
                                        ctx.withMailbox(m))));
            }
            return out;
        }
        String organizer = account.email().orElse(session.self().email());
        StringBuilder ics = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calsdk//caldav//EN\r\n"
                + "METHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\n");
        // a query's UID only has to be unique; no SecureRandom (its seeding loads the security providers)
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        ics.append("UID:")
                .append(new UUID(random.nextLong(), random.nextLong()))
                .append("\r\n");
        ics.append("DTSTAMP:").append(UTC.format(Instant.now(session.clock()))).append("\r\n");
        ics.append("DTSTART:").append(UTC.format(window.start())).append("\r\n");
        ics.append("DTEND:").append(UTC.format(window.end())).append("\r\n");
        ics.append("ORGANIZER:mailto:").append(organizer).append("\r\n");
        for (Mailbox m : mailboxes) {
            ics.append("ATTENDEE:mailto:").append(m.email()).append("\r\n");
        }
        ics.append("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
        Request.Builder b = new Request.Builder()
                .url(account.outbox())
                .post(RequestBody.create(ics.toString(), MediaType.get("text/calendar; charset=utf-8; method=REQUEST")))
                .header("Originator", "mailto:" + organizer);
        for (Mailbox m : mailboxes) {
            b.addHeader("Recipient", "mailto:" + m.email());
        }
        DavResponse r;
        try {
            r = session.http().send("freebusy-outbox", b.build());
        } catch (CalendarException e) {
            if (e instanceof org.calsdk.errors.ReauthorizationRequiredException) {
                throw e;
            }
            mailboxes.forEach(m -> out.put(m, FreeBusy.failed(m, e)));
            return out;
        }
        if (r.status() != 200) {
            CalendarException e = DavErrors.toException(r, ctx, "asking the scheduling outbox for free/busy");
            mailboxes.forEach(m -> out.put(m, FreeBusy.failed(m, e)));
            return out;
        }
        Map<String, Element> byRecipient = new LinkedHashMap<>();
        Element root = SafeXml.parse(r.body(), session.maxXml(), ctx).getDocumentElement();
        for (Element resp : Dav.children(root, Dav.CALDAV, "response")) {
            Dav.child(resp, Dav.CALDAV, "recipient")
                    .flatMap(rc -> Dav.childText(rc, Dav.DAV, "href"))
                    .ifPresent(h -> byRecipient.put(h.toLowerCase(Locale.ROOT), resp));
        }
        for (Mailbox m : mailboxes) {
            Element resp = byRecipient.get("mailto:" + m.normalized());
            if (resp == null) {
                out.put(
                        m,
                        FreeBusy.failed(
                                m, new NotFoundException("the server gave no free/busy for " + m, ctx.withMailbox(m))));
                continue;
            }
            String status = Dav.childText(resp, Dav.CALDAV, "request-status").orElse("");
            Optional<String> data = Dav.childText(resp, Dav.CALDAV, "calendar-data");
            if (!status.startsWith("2.") || data.isEmpty()) {
                out.put(
                        m,
                        FreeBusy.failed(
                                m,
                                new NotFoundException(
                                        "the server has no free/busy for " + m
                                                + (status.isEmpty() ? "" : " (" + status + ")"),
                                        ctx.withMailbox(m))));
                continue;
            }
            try {
                out.put(m, FreeBusy.of(m, merge(parseVFreeBusy(data.get(), ctx), window)));
            } catch (MalformedDataException e) {
                out.put(m, FreeBusy.failed(m, e));
            }
        }
        return out;
    }

    /** The FREEBUSY periods of every VFREEBUSY in {@code ics}. */
    static List<BusyInterval> parseVFreeBusy(String ics, ErrorContext ctx) {
        net.fortuna.ical4j.model.Calendar cal;
        try {
            // no time zone registry: ical4j's would build zone rules from any VTIMEZONE in the answer, unbounded
            cal = new CalendarBuilder(
                            net.fortuna.ical4j.data.CalendarParserFactory.getInstance()
                                    .get(),
                            (net.fortuna.ical4j.model.TimeZoneRegistry) null)
                    .build(new StringReader(ics));
        } catch (IOException | ParserException e) {
            throw new MalformedDataException(
                    "the server's VFREEBUSY is not valid iCalendar: " + e.getMessage(), ctx, e);
        }
        List<CalendarComponent> fbs = cal.getComponents(Component.VFREEBUSY);
        if (fbs.isEmpty()) {
            throw new MalformedDataException("the server answered without a VFREEBUSY", ctx, null);
        }
        List<BusyInterval> out = new ArrayList<>();
        for (CalendarComponent fb : fbs) {
            List<Property> props = fb.getProperties(Property.FREEBUSY);
            for (Property p : props) {
                String type = p.getParameter("FBTYPE")
                        .map(x -> x.getValue())
                        .orElse("BUSY")
                        .toUpperCase(Locale.ROOT);
                BusyStatus status = switch (type) {
                    case "FREE" -> BusyStatus.FREE;
                    case "BUSY-TENTATIVE" -> BusyStatus.TENTATIVE;
                    case "BUSY-UNAVAILABLE" -> BusyStatus.OUT_OF_OFFICE;
                    default -> BusyStatus.BUSY;
                };
                if (status == BusyStatus.FREE) {
                    continue;
                }
                for (String period : p.getValue().split(",")) {
                    out.add(period(period.strip(), status, ctx));
                }
            }
        }
        return out;
    }

    private static BusyInterval period(String period, BusyStatus status, ErrorContext ctx) {
        int slash = period.indexOf('/');
        if (slash < 0) {
            throw new MalformedDataException("bad FREEBUSY period '" + period + "'", ctx, null);
        }
        try {
            Instant start = utc(period.substring(0, slash));
            String rest = period.substring(slash + 1);
            Instant end = rest.startsWith("P") || rest.startsWith("+P")
                    ? start.plus(Duration.parse(rest.replace("+", "")))
                    : utc(rest);
            return BusyInterval.of(start, end, status);
        } catch (DateTimeParseException | CalendarException e) {
            throw new MalformedDataException("bad FREEBUSY period '" + period + "'", ctx, e);
        }
    }

    private static Instant utc(String s) {
        if (!s.endsWith("Z")) {
            throw new DateTimeParseException("FREEBUSY times must be UTC", s, 0);
        }
        return LocalDateTime.parse(s.substring(0, s.length() - 1), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
                .toInstant(ZoneOffset.UTC);
    }

    /** Clips to the window, sorts, and merges overlapping intervals of the same status. */
    static List<BusyInterval> merge(List<BusyInterval> in, TimeWindow window) {
        List<BusyInterval> clipped = new ArrayList<>();
        for (BusyInterval b : in) {
            Instant s = b.start().isBefore(window.start()) ? window.start() : b.start();
            Instant e = b.end().isAfter(window.end()) ? window.end() : b.end();
            if (e.isAfter(s)) {
                clipped.add(BusyInterval.of(s, e, b.status()));
            }
        }
        clipped.sort(Comparator.comparing(BusyInterval::status).thenComparing(BusyInterval::start));
        List<BusyInterval> merged = new ArrayList<>();
        for (BusyInterval b : clipped) {
            BusyInterval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.status() == b.status() && !b.start().isAfter(last.end())) {
                Instant end = b.end().isAfter(last.end()) ? b.end() : last.end();
                merged.set(merged.size() - 1, BusyInterval.of(last.start(), end, b.status()));
            } else {
                merged.add(b);
            }
        }
        merged.sort(Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::end));
        return merged;
    }
}
