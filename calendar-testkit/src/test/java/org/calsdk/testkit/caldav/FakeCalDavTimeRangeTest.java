package org.calsdk.testkit.caldav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.calsdk.testkit.SeedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CalDAV fake's calendar-query time-range filter follows RFC 4791 §9.9 by default (series expanded on
 * the server: RRULE, EXDATE, overrides moved in or out), and imitates the master-only quirk on request;
 * open mode and SeedData seeding.
 */
class FakeCalDavTimeRangeTest {
    private static final String HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n";
    private static final String WEEKLY = HEAD + "BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20250101T000000Z\r\n"
            + "DTSTART:20250106T090000Z\r\nDTEND:20250106T100000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\n"
            + "EXDATE:20260309T090000Z\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20250101T000000Z\r\nRECURRENCE-ID:20260316T090000Z\r\n"
            + "DTSTART:20260401T090000Z\r\nDTEND:20260401T100000Z\r\nSUMMARY:Moved out\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    private final OkHttpClient http = new OkHttpClient();
    private FakeCalDavServer dav;

    @AfterEach
    void stop() {
        dav.close();
    }

    private List<Boolean> matches(String... ranges) throws IOException {
        List<Boolean> out = new java.util.ArrayList<>();
        for (int i = 0; i < ranges.length; i += 2) {
            String body =
                    "<?xml version=\"1.0\"?><C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                            + "<D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">"
                            + "<C:time-range start=\"" + ranges[i] + "\" end=\"" + ranges[i + 1]
                            + "\"/></C:comp-filter></C:comp-filter>"
                            + "</C:filter></C:calendar-query>";
            try (Response r = http.newCall(new Request.Builder()
                            .url(dav.url() + "calendars/alice/primary/")
                            .header("Authorization", Credentials.basic("alice", "anything"))
                            .header("Depth", "1")
                            .method("REPORT", RequestBody.create(body, MediaType.get("application/xml")))
                            .build())
                    .execute()) {
                assertThat(r.code()).isEqualTo(207);
                out.add(r.body().string().contains("weekly.ics"));
            }
        }
        return out;
    }

    private static final String[] RANGES = {
        "20260302T000000Z", "20260303T000000Z", // a Monday a year after DTSTART: an occurrence
        "20260309T000000Z", "20260310T000000Z", // excluded by EXDATE
        "20260316T000000Z", "20260317T000000Z", // that occurrence moved away
        "20260401T000000Z", "20260402T000000Z", // ...to here (a Wednesday)
        "20250101T000000Z", "20250106T000000Z", // before the series began
    };

    @Test
    void by_default_series_are_expanded_on_the_server() throws IOException {
        dav = FakeCalDavServer.builder().openDomain(true).build().start();
        dav.putEvent("alice", "primary", "weekly.ics", WEEKLY);
        assertThat(matches(RANGES)).containsExactly(true, false, false, true, false);
    }

    @Test
    void the_master_only_quirk_is_opt_in() throws IOException {
        dav = FakeCalDavServer.builder()
                .openDomain(true)
                .timeRangeIgnoresRecurrences(true)
                .build()
                .start();
        dav.putEvent("alice", "primary", "weekly.ics", WEEKLY);
        assertThat(matches(RANGES)).containsExactly(false, false, false, false, false);
        assertThat(matches("20250106T000000Z", "20250107T000000Z")).containsExactly(true);
    }

    @Test
    void seed_data_becomes_users_calendars_and_resources() throws IOException {
        dav = FakeCalDavServer.builder().build().start();
        dav.seed(SeedData.organization("example.com").users(2).eventsPerUser(2).build());
        assertThat(dav.eventCount("user1", "primary")).isEqualTo(2);
        assertThat(dav.event("user2", "primary", "seed-user2@example.com-0.ics"))
                .isPresent();
        try (Response r = http.newCall(new Request.Builder()
                        .url(dav.url() + "calendars/nobody/primary/")
                        .header("Authorization", Credentials.basic("nobody", "x"))
                        .method("PROPFIND", null)
                        .build())
                .execute()) {
            assertThat(r.code()).as("not open: unknown users do not exist").isEqualTo(401);
        }
        try (Response r = http.newCall(new Request.Builder()
                        .url(dav.url() + "calendars/user1/nothere/")
                        .header("Authorization", Credentials.basic("user1", "x"))
                        .method("PROPFIND", null)
                        .build())
                .execute()) {
            assertThat(r.code()).isEqualTo(404);
        }
    }
}
