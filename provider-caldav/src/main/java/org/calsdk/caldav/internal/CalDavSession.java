package org.calsdk.caldav.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.w3c.dom.Element;

/**
 * The state of one CalDAV connection: the HTTP layer, the account found by discovery (looked up once,
 * on first use), and the calendar listing that the reader, writer, change feed and free/busy share.
 */
public final class CalDavSession {
    private final DavHttp http;
    private final HttpUrl start;
    private final Mailbox self;
    private final ZoneId zone;
    private final int maxXml;
    private final ErrorContext ctx;
    private final java.time.Clock clock;
    private volatile Discovery.Account account;

    public CalDavSession(
            DavHttp http,
            HttpUrl start,
            Mailbox self,
            ZoneId zone,
            int maxXml,
            ErrorContext ctx,
            java.time.Clock clock) {
        this.http = http;
        this.clock = clock;
        this.start = start;
        this.self = self;
        this.zone = zone;
        this.maxXml = maxXml;
        this.ctx = ctx;
    }

    public DavHttp http() {
        return http;
    }

    public Mailbox self() {
        return self;
    }

    /** The zone floating and all-day times are read in. */
    public ZoneId zone() {
        return zone;
    }

    public int maxXml() {
        return maxXml;
    }

    public ErrorContext ctx() {
        return ctx;
    }

    public java.time.Clock clock() {
        return clock;
    }

    /** The discovered account; discovery runs once, on first use. */
    public Discovery.Account account() {
        Discovery.Account a = account;
        if (a == null) {
            synchronized (this) {
                a = account;
                if (a == null) {
                    a = new Discovery(http, maxXml).discover(start);
                    account = a;
                }
            }
        }
        return a;
    }

    public HttpUrl home() {
        return account().homeSet();
    }

    /** Checks that {@code mailbox} is this connection's own account (CalDAV connects one account). */
    public void requireSelf(Mailbox mailbox) {
        if (!self.equals(mailbox)) {
            throw new PermissionDeniedException(
                    "this CalDAV connection is for " + self + " and cannot read or write " + mailbox
                            + "'s calendars; connect that account separately",
                    ctx.withMailbox(mailbox));
        }
    }

    /** A calendar of the home set, with the properties the SDK reads. */
    public record DavCalendar(
            CalendarInfo info, HttpUrl url, boolean transparent, boolean syncCollection, boolean reportsKnown) {}

    /** Lists the calendars in the home set (one Depth-1 PROPFIND). */
    public List<DavCalendar> calendars() {
        HttpUrl home = home();
        DavResponse r = http.send("list-calendars", DavRequests.propfind(home, 1, DavRequests.CALENDAR_PROPS));
        if (r.status() != 207) {
            throw DavErrors.toException(r, ctx.withMailbox(self), "listing calendars");
        }
        Multistatus ms = Multistatus.parse(r.body(), maxXml, ctx);
        List<DavCalendar> out = new ArrayList<>();
        for (Multistatus.Entry e : ms.entries()) {
            if (!e.isType(Dav.CALDAV, "calendar")) {
                continue;
            }
            HttpUrl url = Ids.asCollection(Ids.resolveHref(r.url(), e.href(), ctx));
            out.add(toCalendar(e, url, home));
        }
        out.sort(Comparator.comparing(c -> c.info().ref().id()));
        // the primary calendar: the first one that holds events and can be written
        List<DavCalendar> marked = new ArrayList<>();
        boolean primaryFound = false;
        for (DavCalendar c : out) {
            boolean primary =
                    !primaryFound && c.info().holdsEvents() && !c.info().readOnly();
            primaryFound |= primary;
            CalendarInfo i = c.info();
            marked.add(new DavCalendar(
                    new CalendarInfo(
                            i.ref(), i.displayName(), i.color(), i.components(), i.readOnly(), primary, i.changeTag()),
                    c.url(),
                    c.transparent(),
                    c.syncCollection(),
                    c.reportsKnown()));
        }
        return marked;
    }

    private DavCalendar toCalendar(Multistatus.Entry e, HttpUrl url, HttpUrl home) {
        String id = Ids.idOf(url, home);
        String name = e.text(Dav.DAV, "displayname").orElse(null);
        String color =
                e.text(Dav.ICAL, "calendar-color").map(CalDavSession::color).orElse(null);
        Set<String> comps = new LinkedHashSet<>();
        e.prop(Dav.CALDAV, "supported-calendar-component-set")
                .ifPresent(p -> Dav.children(p, Dav.CALDAV, "comp")
                        .forEach(c -> comps.add(c.getAttribute("name").toUpperCase(Locale.ROOT))));
        boolean readOnly = e.prop(Dav.DAV, "current-user-privilege-set")
                .map(CalDavSession::readOnly)
                .orElse(false);
        String tag = e.text(Dav.DAV, "sync-token")
                .or(() -> e.text(Dav.CS, "getctag"))
                .orElse(null);
        boolean transparent = e.prop(Dav.CALDAV, "schedule-calendar-transp")
                .map(p -> !Dav.children(p, Dav.CALDAV, "transparent").isEmpty())
                .orElse(false);
        Optional<Element> reports = e.prop(Dav.DAV, "supported-report-set");
        boolean sync = reports.map(p ->
                        p.getElementsByTagNameNS(Dav.DAV, "sync-collection").getLength() > 0)
                .orElse(false);
        CalendarInfo info = new CalendarInfo(CalendarRef.of(self, id), name, color, comps, readOnly, false, tag);
        return new DavCalendar(info, url, transparent, sync, reports.isPresent());
    }

    /** {@code #RRGGBB} from Apple's {@code #RRGGBBAA} (or as given when it is some other form). */
    static String color(String c) {
        String s = c.strip();
        if (s.matches("#[0-9A-Fa-f]{8}")) {
            return s.substring(0, 7).toLowerCase(Locale.ROOT);
        }
        return s.matches("#[0-9A-Fa-f]{6}") ? s.toLowerCase(Locale.ROOT) : s;
    }

    private static boolean readOnly(Element privilegeSet) {
        for (Element p : Dav.children(privilegeSet, Dav.DAV, "privilege")) {
            for (Element q : Dav.children(p)) {
                if (Dav.DAV.equals(q.getNamespaceURI())
                        && Set.of("all", "write", "write-content", "bind").contains(q.getLocalName())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The URL of {@code ref} ({@link CalendarRef#PRIMARY} resolves to the primary calendar). */
    public HttpUrl calendarUrl(CalendarRef ref) {
        requireSelf(ref.mailbox());
        if (ref.isPrimary()) {
            return primary().url();
        }
        return Ids.asCollection(Ids.resolve(ref.id(), home(), "calendar id", ctx));
    }

    /** The primary calendar. */
    public DavCalendar primary() {
        return calendars().stream()
                .filter(c -> c.info().primary())
                .findFirst()
                .orElseThrow(() -> new NotFoundException(
                        "the account has no writable calendar holding events; " + "create one first",
                        ctx.withMailbox(self)));
    }

    /**
     * The URL of an event id: a path (as this provider returns them) resolved on the home set's host, or a
     * bare resource name resolved inside {@code calendar}.
     */
    public HttpUrl eventUrl(HttpUrl calendar, String eventId) {
        if (eventId != null && !eventId.isBlank() && !eventId.startsWith("/") && !eventId.contains("://")) {
            HttpUrl u = calendar.resolve(eventId);
            if (u == null || eventId.contains("/") || eventId.equals("..") || eventId.equals(".")) {
                throw new org.calsdk.errors.InvalidInputException(
                        "event id", "not an event id of this provider: '" + eventId + "'", ctx, null);
            }
            return u;
        }
        return Ids.resolve(eventId, home(), "event id", ctx);
    }

    /** The id of a URL. */
    public String idOf(HttpUrl url) {
        return Ids.idOf(url, home());
    }
}
