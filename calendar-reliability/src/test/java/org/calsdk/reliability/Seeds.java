package org.calsdk.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/** A valid document per fuzz target, the starting point of mutations, and the mutator. */
final class Seeds {
    private Seeds() {}

    static final String ICS = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//fuzz//EN\r
            BEGIN:VTIMEZONE\r
            TZID:Europe/Berlin\r
            BEGIN:STANDARD\r
            DTSTART:19701025T030000\r
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            END:STANDARD\r
            END:VTIMEZONE\r
            BEGIN:VEVENT\r
            UID:a@example.com\r
            DTSTAMP:20260101T000000Z\r
            DTSTART;TZID=Europe/Berlin:20260105T090000\r
            DTEND;TZID=Europe/Berlin:20260105T100000\r
            RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20\r
            EXDATE;TZID=Europe/Berlin:20260107T090000\r
            SUMMARY:Standup\r
            ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:a@example.com\r
            RECURRENCE-ID;TZID=Europe/Berlin:20260112T090000\r
            DTSTART;TZID=Europe/Berlin:20260112T110000\r
            DTEND;TZID=Europe/Berlin:20260112T120000\r
            SUMMARY:Standup (moved)\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    static final String AVAILABILITY = """
            {"window": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-07T00:00:00Z"},
             "duration": "PT30M", "interval": "PT15M", "buffer": {"before": "PT10M", "after": "PT5M"},
             "maxResults": 50,
             "participants": [
               {"id": "alice", "timeZone": "America/New_York",
                "workingHours": [{"days": ["MON","TUE","WED","THU","FRI"], "start": "09:00", "end": "17:00"}],
                "busy": [{"start": "2026-03-02T15:00:00Z", "end": "2026-03-02T16:00:00Z", "status": "busy"}]},
               {"id": "bob", "timeZone": "Europe/London",
                "busy": [{"start": "2026-03-03T14:00:00Z", "end": "2026-03-03T15:00:00Z", "status": "tentative"}]}],
             "groups": [{"members": ["alice", "bob"], "required": "all"}]}
            """;

    static final String CONNECTION_FILE = """
            {"provider": "caldav", "url": "https://caldav.example.com/", "username": "alice",
             "password": {"env": "CALDAV_PASSWORD"}, "timeZone": "Europe/Berlin", "settings": {"pageSize": 50}}
            """;

    static final String MULTISTATUS = """
            <?xml version="1.0" encoding="utf-8"?>
            <d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
             <d:response><d:href>/calendars/alice/calendar/a.ics</d:href>
              <d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data>BEGIN:VCALENDAR
            VERSION:2.0
            BEGIN:VEVENT
            UID:a
            DTSTART:20310303T090000Z
            DTEND:20310303T100000Z
            SUMMARY:x
            END:VEVENT
            END:VCALENDAR
            </c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
            </d:multistatus>
            """;

    static final String EWS = """
            <?xml version="1.0" encoding="utf-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
              xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>
            <m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items>
            <t:CalendarItem><t:ItemId Id="AAA=" ChangeKey="CK1"/><t:Subject>x</t:Subject>
            <t:Start>2031-03-03T09:00:00Z</t:Start><t:End>2031-03-03T10:00:00Z</t:End>
            <t:IsAllDayEvent>false</t:IsAllDayEvent><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus>
            <t:CalendarItemType>Single</t:CalendarItemType><t:UID>u1</t:UID>
            </t:CalendarItem></m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse>
            </s:Body></s:Envelope>
            """;

    static final String GOOGLE = """
            {"kind": "calendar#event", "id": "abc123", "etag": "\\"1\\"", "status": "confirmed", "summary": "x",
             "start": {"dateTime": "2031-03-03T09:00:00+01:00", "timeZone": "Europe/Berlin"},
             "end": {"dateTime": "2031-03-03T10:00:00+01:00", "timeZone": "Europe/Berlin"},
             "recurrence": ["RRULE:FREQ=DAILY;COUNT=3"], "attendees": [{"email": "bob@example.com", "responseStatus": "accepted"}],
             "extendedProperties": {"private": {"calsdkKey": "k1"}}, "transparency": "opaque", "visibility": "default"}
            """;

    static final String GRAPH = """
            {"id": "AAMk1", "changeKey": "ck1", "subject": "x", "isAllDay": false, "isCancelled": false,
             "showAs": "busy", "type": "seriesMaster", "sensitivity": "normal",
             "start": {"dateTime": "2031-03-03T09:00:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2031-03-03T10:00:00.0000000", "timeZone": "UTC"},
             "recurrence": {"pattern": {"type": "daily", "interval": 1}, "range": {"type": "numbered",
               "startDate": "2031-03-03", "numberOfOccurrences": 3}},
             "attendees": [{"emailAddress": {"address": "bob@example.com"}, "status": {"response": "accepted"}}],
             "organizer": {"emailAddress": {"address": "alice@example.com"}}}
            """;

    static final Map<String, String> BY_TARGET = Map.of(
            "ical",
            ICS,
            "availability",
            AVAILABILITY,
            "connection-file",
            CONNECTION_FILE,
            "caldav-multistatus",
            MULTISTATUS,
            "ews-soap",
            EWS,
            "google-json",
            GOOGLE,
            "graph-json",
            GRAPH);

    private static final byte[] TOKENS =
            "{}[]<>\"':,;=&/\\\r\n \u0000-+.0123456789eE:TZ!?#%".getBytes(StandardCharsets.ISO_8859_1);

    /** 1–6 random edits of {@code seed}: byte flips, structural characters, deletions, duplications, cuts. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(6);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = TOKENS[r.nextInt(TOKENS.length)];
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(40));
                    byte[] n = new byte[b.length - len];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + len, n, at, b.length - at - len);
                    b = n;
                }
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(80));
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, at + len);
                    System.arraycopy(b, at, n, at + len, b.length - at);
                    b = n;
                }
                case 4 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    byte[] digits = Long.toString(r.nextLong()).getBytes(StandardCharsets.US_ASCII);
                    byte[] n = new byte[b.length + digits.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(digits, 0, n, at, digits.length);
                    System.arraycopy(b, at, n, at + digits.length, b.length - at);
                    b = n;
                }
            }
        }
        return b;
    }
}
