package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventChange;
import org.calsdk.api.SyncCursor;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calendar fake}: the command runs in a child JVM (as a user runs it), prints {@code PORT=} first,
 * and this project's CalDAV provider creates, reads, searches by time range (a series that began long
 * before the window included), syncs, updates and deletes events on it; the process is stopped by its PID.
 */
class FakeCommandTest {
    private static final List<Process> children = new ArrayList<>();
    /** One open-mode fake shared by the tests that need no seed (each child JVM costs a second or more). */
    private static int openPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void startOpenFake() throws Exception {
        int free;
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            free = probe.getLocalPort();
        }
        openPort = startFake("--provider", "caldav", "--port", Integer.toString(free));
        assertThat(openPort).as("--port is honoured").isEqualTo(free);
    }

    @AfterAll
    static void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Starts {@code calendar fake ARGS} in a child JVM and returns its port (from its first stdout line). */
    private static int startFake(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CalendarCli.class.getName(),
                "fake"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("first stdout line").isNotNull().startsWith("PORT=");
        return Integer.parseInt(first.substring(5));
    }

    private static CalendarConnection connect(int port, String user, String password) {
        return new CalDavProvider()
                .connect(ConnectionConfig.builder("caldav")
                        .setting("url", "http://127.0.0.1:" + port + "/")
                        .setting("allowPrivateNetwork", "true")
                        .setting("mailbox", user.contains("@") ? user : user + "@example.com")
                        .credentials(PasswordCredentials.of(user, Secret.of(password)))
                        .build());
    }

    private static EventTime utc(String local) {
        return EventTime.of(ZonedDateTime.of(java.time.LocalDateTime.parse(local), ZoneOffset.UTC));
    }

    private static Event meeting(String summary, String start, String end) {
        return Event.builder().summary(summary).start(utc(start)).end(utc(end)).build();
    }

    @Test
    void aStandardCalDavClientCreatesReadsSearchesSyncsUpdatesAndDeletesOnTheCaldavFake() throws Exception {
        int port = openPort;
        try (CalendarConnection c = connect(port, "alice", "any-password")) {
            CalendarRef cal = CalendarRef.primary(c.self().orElseThrow());
            ChangeBatch.Changes start = (ChangeBatch.Changes) c.changes().changes(cal, SyncCursor.START);
            assertThat(start.changes()).isEmpty();

            Event single = c.writer()
                    .create(cal, EventKey.of("single"), meeting("One-off", "2026-03-04T14:00", "2026-03-04T15:00"));
            Event weekly = c.writer()
                    .create(
                            cal,
                            EventKey.of("weekly"),
                            meeting("Weekly", "2025-01-06T09:00", "2025-01-06T10:00").toBuilder()
                                    .recurrence(Recurrence.rule("FREQ=WEEKLY;BYDAY=MO"))
                                    .build());
            c.writer().create(cal, EventKey.of("far"), meeting("Elsewhere", "2026-05-04T14:00", "2026-05-04T15:00"));

            assertThat(c.reader().get(cal, single.id().orElseThrow()))
                    .map(Event::summary)
                    .contains("One-off");
            TimeWindow week = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
            assertThat(c.reader().listAll(cal, week))
                    .extracting(Event::summary)
                    .containsExactlyInAnyOrder("Weekly", "One-off");

            ChangeBatch.Changes created = (ChangeBatch.Changes) c.changes().changes(cal, start.next());
            assertThat(created.changes())
                    .extracting(EventChange::eventId)
                    .containsExactlyInAnyOrder(
                            single.id().orElseThrow(),
                            weekly.id().orElseThrow(),
                            c.reader()
                                    .findByKey(cal, EventKey.of("far"))
                                    .orElseThrow()
                                    .id()
                                    .orElseThrow());

            Event moved = c.writer()
                    .update(cal, single.toBuilder().summary("One-off (moved)").build());
            assertThat(moved.version()).isNotEqualTo(single.version());
            c.writer().delete(cal, weekly.id().orElseThrow(), weekly.version().orElseThrow());
            assertThat(c.reader().listAll(cal, week)).extracting(Event::summary).containsExactly("One-off (moved)");

            ChangeBatch.Changes delta = (ChangeBatch.Changes) c.changes().changes(cal, created.next());
            assertThat(delta.changes())
                    .extracting(ch -> ch.getClass().getSimpleName() + " " + ch.eventId())
                    .containsExactlyInAnyOrder(
                            "Upserted " + moved.id().orElseThrow(),
                            "Deleted " + weekly.id().orElseThrow());
        }
        try (CalendarConnection bob = connect(port, "bob@example.com", "other")) {
            assertThat(bob.reader()
                            .listAll(
                                    CalendarRef.primary(bob.self().orElseThrow()),
                                    TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7))))
                    .isEmpty();
        }
    }

    @Test
    void theTimeRangeFilterExpandsSeriesOnTheServer() throws Exception {
        int port = openPort;
        String ics =
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:w1\r\nDTSTAMP:20250101T000000Z\r\n"
                        + "DTSTART:20250106T090000Z\r\nDTEND:20250106T100000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Weekly\r\n"
                        + "END:VEVENT\r\nEND:VCALENDAR\r\n";
        OkHttpClient http = new OkHttpClient();
        String auth = okhttp3.Credentials.basic("carol", "x");
        String base = "http://127.0.0.1:" + port + "/calendars/carol/primary/";
        try (Response put = http.newCall(new Request.Builder()
                        .url(base + "w1.ics")
                        .header("Authorization", auth)
                        .header("If-None-Match", "*")
                        .put(RequestBody.create(ics, MediaType.get("text/calendar")))
                        .build())
                .execute()) {
            assertThat(put.code()).isEqualTo(201);
        }
        assertThat(query(http, auth, base, "20260302T000000Z", "20260303T000000Z"))
                .contains("w1.ics");
        assertThat(query(http, auth, base, "20260303T000000Z", "20260309T000000Z"))
                .doesNotContain("w1.ics");
        assertThat(query(http, auth, base, "20240101T000000Z", "20250106T000000Z"))
                .doesNotContain("w1.ics");
    }

    private static String query(OkHttpClient http, String auth, String base, String from, String to) throws Exception {
        String body =
                "<?xml version=\"1.0\"?><C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                        + "<D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">"
                        + "<C:time-range start=\"" + from + "\" end=\"" + to
                        + "\"/></C:comp-filter></C:comp-filter></C:filter>"
                        + "</C:calendar-query>";
        try (Response r = http.newCall(new Request.Builder()
                        .url(base)
                        .header("Authorization", auth)
                        .header("Depth", "1")
                        .method("REPORT", RequestBody.create(body, MediaType.get("application/xml")))
                        .build())
                .execute()) {
            assertThat(r.code()).isEqualTo(207);
            return r.body().string();
        }
    }

    @Test
    void aSeedFileGivesUsersPasswordsAndEvents() throws Exception {
        Files.writeString(
                dir.resolve("dana.ics"),
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
                        + "UID:seeded-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260303T100000Z\r\nDTEND:20260303T110000Z\r\n"
                        + "SUMMARY:Seeded\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        Path seed = dir.resolve("seed.json");
        Files.writeString(
                seed,
                "{\"domain\": \"example.com\", \"users\": [{\"email\": \"dana@example.com\", "
                        + "\"password\": \"dana-pw\", \"calendars\": [{\"id\": \"primary\", \"ics\": \"dana.ics\"}]}]}");
        int port = startFake("--provider", "caldav", "--seed", seed.toString());
        try (CalendarConnection c = connect(port, "dana", "dana-pw")) {
            assertThat(c.reader()
                            .listAll(
                                    CalendarRef.primary(c.self().orElseThrow()),
                                    TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7))))
                    .extracting(Event::summary)
                    .containsExactly("Seeded");
        }
        assertThatThrownBy(() -> {
                    try (CalendarConnection c = connect(port, "dana", "wrong")) {
                        c.reader().calendars(c.self().orElseThrow());
                    }
                })
                .isInstanceOf(ReauthorizationRequiredException.class);
    }

    @Test
    void theEwsProviderActsAsMailboxesOnTheStandaloneEwsFake() throws Exception {
        int port = startFake("--provider", "ews");
        ConnectionConfig orgConfig = ConnectionConfig.builder("ews")
                .setting("url", "http://127.0.0.1:" + port + "/EWS/Exchange.asmx")
                .setting("allowPrivateNetwork", "true")
                .setting("impersonation", "true")
                .credentials(PasswordCredentials.of("svc", Secret.of("any-password")))
                .build();
        try (CalendarConnection c = CalendarProviders.load().connect(orgConfig)) {
            Mailbox erin = Mailbox.of("erin@example.com");
            try (CalendarConnection asErin = c.impersonator().actAs(erin)) {
                asErin.writer()
                        .create(
                                CalendarRef.primary(erin),
                                EventKey.of("ews-1"),
                                meeting("Review", "2026-03-04T14:00", "2026-03-04T15:00"));
            }
            org.calsdk.api.FreeBusyResult r = c.freeBusy()
                    .query(org.calsdk.api.FreeBusyRequest.of(
                            List.of(erin, Mailbox.of("frank@example.com")),
                            TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7))));
            assertThat(r.get(erin).orElseThrow().busy())
                    .extracting(b -> b.start().toString())
                    .containsExactly("2026-03-04T14:00:00Z");
            assertThat(r.get(Mailbox.of("frank@example.com")).orElseThrow().busy())
                    .isEmpty();
        }
    }

    @Test
    void anUnknownProviderExitsWithTwoAndOneLine() {
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(CalendarCli.run("fake", "--provider", "exchange")).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("exchange");
        } finally {
            System.setErr(savedErr);
        }
    }
}
