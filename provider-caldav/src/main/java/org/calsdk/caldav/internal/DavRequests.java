package org.calsdk.caldav.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.model.TimeWindow;

/** Builds the WebDAV/CalDAV requests this provider sends (bodies are escaped, never concatenated raw). */
public final class DavRequests {
    static final MediaType XML = MediaType.get("application/xml; charset=utf-8");
    static final MediaType ICS = MediaType.get("text/calendar; charset=utf-8");
    private static final String NS = " xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\""
            + " xmlns:CS=\"http://calendarserver.org/ns/\" xmlns:I=\"http://apple.com/ns/ical/\"";
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Properties asked for when discovering the account. */
    public static final String PRINCIPAL_PROPS = "<D:current-user-principal/><D:resourcetype/><C:calendar-home-set/>";
    /** Properties of a principal. */
    public static final String HOME_PROPS =
            "<C:calendar-home-set/><C:schedule-outbox-URL/>" + "<C:calendar-user-address-set/><D:displayname/>";
    /** Properties of a calendar collection. */
    public static final String CALENDAR_PROPS = "<D:resourcetype/><D:displayname/><I:calendar-color/>"
            + "<C:supported-calendar-component-set/><D:current-user-privilege-set/><D:sync-token/><CS:getctag/>"
            + "<C:schedule-calendar-transp/><D:supported-report-set/><C:calendar-timezone/>";
    /** Properties for change detection on the home set: cheap ones only. */
    public static final String TAG_PROPS = "<D:resourcetype/><D:sync-token/><CS:getctag/>";

    private DavRequests() {}

    public static Request propfind(HttpUrl url, int depth, String props) {
        String body = HEAD + "<D:propfind" + NS + "><D:prop>" + props + "</D:prop></D:propfind>";
        return new Request.Builder()
                .url(url)
                .header("Depth", Integer.toString(depth))
                .method("PROPFIND", RequestBody.create(body, XML))
                .build();
    }

    /**
     * A calendar-query for VEVENTs returning etags and calendar data.
     *
     * @param window       a time-range, or null for none
     * @param definedProp  an iCalendar property that must be present (e.g. {@code RRULE}), or null
     * @param uid          an exact UID to match, or null
     */
    public static Request calendarQuery(HttpUrl calendar, TimeWindow window, String definedProp, String uid) {
        StringBuilder f = new StringBuilder("<C:comp-filter name=\"VEVENT\">");
        if (window != null) {
            f.append("<C:time-range start=\"")
                    .append(UTC.format(window.start()))
                    .append("\" end=\"")
                    .append(UTC.format(window.end()))
                    .append("\"/>");
        }
        if (definedProp != null) {
            f.append("<C:prop-filter name=\"").append(Dav.escape(definedProp)).append("\"/>");
        }
        if (uid != null) {
            f.append("<C:prop-filter name=\"UID\"><C:text-match collation=\"i;octet\">")
                    .append(Dav.escape(uid))
                    .append("</C:text-match></C:prop-filter>");
        }
        f.append("</C:comp-filter>");
        String body = HEAD + "<C:calendar-query" + NS + "><D:prop><D:getetag/><C:calendar-data/></D:prop>"
                + "<C:filter><C:comp-filter name=\"VCALENDAR\">" + f + "</C:comp-filter></C:filter></C:calendar-query>";
        return report(calendar, 1, body);
    }

    public static Request multiget(HttpUrl calendar, Collection<String> hrefs) {
        StringBuilder sb = new StringBuilder(
                HEAD + "<C:calendar-multiget" + NS + "><D:prop><D:getetag/><C:calendar-data/></D:prop>");
        for (String h : hrefs) {
            sb.append("<D:href>").append(Dav.escape(h)).append("</D:href>");
        }
        sb.append("</C:calendar-multiget>");
        return report(calendar, 1, sb.toString());
    }

    /** An RFC 6578 sync-collection REPORT (empty token for the initial sync) asking for etags. */
    public static Request syncCollection(HttpUrl calendar, String token) {
        return syncCollection(calendar, token, 0);
    }

    /**
     * An RFC 6578 sync-collection REPORT asking for etags and, when {@code limit > 0}, for at most
     * {@code limit} members ({@code DAV:limit/DAV:nresults}, §3.7): the server then cuts its answer off with a
     * 507 for the collection and a token to go on from, so one answer stays small however many events changed.
     */
    public static Request syncCollection(HttpUrl calendar, String token, int limit) {
        String body = HEAD + "<D:sync-collection" + NS + "><D:sync-token>" + Dav.escape(token == null ? "" : token)
                + "</D:sync-token><D:sync-level>1</D:sync-level>"
                + (limit > 0 ? "<D:limit><D:nresults>" + limit + "</D:nresults></D:limit>" : "")
                + "<D:prop><D:getetag/></D:prop></D:sync-collection>";
        return report(calendar, 0, body);
    }

    static Request report(HttpUrl url, int depth, String body) {
        return new Request.Builder()
                .url(url)
                .header("Depth", Integer.toString(depth))
                .method("REPORT", RequestBody.create(body, XML))
                .build();
    }

    static String utc(Instant t) {
        return UTC.format(t);
    }
}
