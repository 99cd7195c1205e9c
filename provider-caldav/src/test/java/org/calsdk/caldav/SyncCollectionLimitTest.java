package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.Test;

/**
 * The sync-collection REPORT asks for a bounded answer ({@code DAV:limit}, RFC 6578 §3.7), so a first sync
 * of a calendar larger than one page arrives in pieces (the 507-truncation path the other CalDAV tests
 * cover) instead of one answer over the response cap (a 100,000-event calendar is about 20 MB of hrefs and
 * etags); a server that refuses the limit is asked again without it, and not asked with it again on that
 * connection.
 */
class SyncCollectionLimitTest {
    private static final int EVENTS = 10;

    private static FakeCalDavServer fake() {
        FakeCalDavServer s = FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .calendar("alice", "work", "Work")
                .build()
                .start();
        for (int i = 0; i < EVENTS; i++) {
            s.putEvent(
                    "alice",
                    "work",
                    "e" + i + ".ics",
                    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                            + "BEGIN:VEVENT\r\nUID:e" + i
                            + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260302T100000Z\r\n"
                            + "DTEND:20260302T110000Z\r\nSUMMARY:e" + i + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        }
        return s;
    }

    private static List<Integer> fullRead(CalendarConnection c) {
        CalendarRef work = CalendarRef.of(Mailbox.of("alice@example.com"), "/calendars/alice/work/");
        List<Integer> sizes = new ArrayList<>();
        SyncCursor cursor = SyncCursor.START;
        while (true) {
            ChangeBatch.Changes b = (ChangeBatch.Changes) c.changes().changes(work, cursor);
            assertThat(b.full()).isTrue();
            sizes.add(b.changes().size());
            cursor = b.next();
            if (!b.hasMore()) {
                return sizes;
            }
        }
    }

    private static List<RequestAccounting.Call> syncReports(FakeCalDavServer s) {
        return s.accounting().recent().stream()
                .filter(c -> c.bodyString().contains("sync-collection"))
                .toList();
    }

    @Test
    void everySyncReportAsksForABoundedAnswerAndTheFakeHonoursIt() throws Exception {
        try (FakeCalDavServer s = fake();
                CalendarConnection c = CalDavProvider.builder()
                        .build()
                        .connect(s.connectionConfig("alice").build())) {
            assertThat(fullRead(c)).containsExactly(EVENTS);
            assertThat(syncReports(s))
                    .hasSize(1)
                    .allSatisfy(r ->
                            assertThat(r.bodyString()).contains("<D:limit><D:nresults>1000</D:nresults></D:limit>"));
            // the fake cuts an answer off at the client's limit with a 507 for the collection (RFC 6578 §3.6)
            String body =
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:sync-collection xmlns:D=\"DAV:\"><D:sync-token/>"
                            + "<D:sync-level>1</D:sync-level><D:limit><D:nresults>4</D:nresults></D:limit><D:prop><D:getetag/></D:prop>"
                            + "</D:sync-collection>";
            okhttp3.Request report = new okhttp3.Request.Builder()
                    .url(s.url() + "calendars/alice/work/")
                    .header("Authorization", okhttp3.Credentials.basic("alice", "alice-pw"))
                    .header("Depth", "0")
                    .method("REPORT", okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/xml")))
                    .build();
            try (okhttp3.Response r = new okhttp3.OkHttpClient().newCall(report).execute()) {
                String xml = r.body().string();
                assertThat(r.code()).isEqualTo(207);
                assertThat(xml.split("<D:getetag>", -1)).hasSize(4 + 1);
                assertThat(xml).contains("507 Insufficient Storage");
            }
        }
    }

    @Test
    void aServerThatRefusesTheLimitIsAskedWithoutIt() {
        // a 507 is not retried (InsufficientStorageException); the policy only keeps any other retry instant
        CalDavProvider provider = CalDavProvider.builder()
                .retryPolicy(org.calsdk.http.RetryPolicy.custom()
                        .maxAttempts(2)
                        .baseBackoff(java.time.Duration.ofMillis(1))
                        .maxBackoff(java.time.Duration.ofMillis(1))
                        .build())
                .sleeper(d -> {})
                .build();
        try (FakeCalDavServer s = fake();
                CalendarConnection c =
                        provider.connect(s.connectionConfig("alice").build())) {
            s.refuseSyncLimit(true);
            assertThat(fullRead(c)).containsExactly(EVENTS);
            assertThat(fullRead(c)).containsExactly(EVENTS);
            List<RequestAccounting.Call> reports = syncReports(s);
            List<RequestAccounting.Call> refused =
                    reports.stream().filter(r -> r.status() == 507).toList();
            assertThat(refused)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.bodyString()).contains("nresults"));
            assertThat(reports.subList(refused.size(), reports.size()))
                    .hasSize(2)
                    .allSatisfy(r -> {
                        assertThat(r.status()).isEqualTo(207);
                        assertThat(r.bodyString()).doesNotContain("nresults");
                    });
        }
    }
}
