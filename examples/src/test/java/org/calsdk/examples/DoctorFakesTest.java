package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.Doctor;
import org.calsdk.api.DoctorReport;
import org.calsdk.api.Finding;
import org.calsdk.api.MailboxHealth;
import org.calsdk.api.OrganizationIntegration;
import org.calsdk.api.Subscription;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.Test;

/**
 * The doctor against every fake configured wrongly in one way each: the finding names the cause and the fix.
 * (Mailboxes outside a Graph access policy: {@link DoctorCommandTest}.)
 */
class DoctorFakesTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");

    private static Finding only(DoctorReport r, String check, Finding.Status status) {
        List<Finding> of = r.of(check);
        assertThat(of).as("findings of %s in %s", check, r.findings()).hasSize(1);
        assertThat(of.get(0).status()).as("%s", of.get(0)).isEqualTo(status);
        if (status != Finding.Status.OK) {
            assertThat(of.get(0).fix()).as("a fix for %s", of.get(0)).isNotBlank();
        }
        return of.get(0);
    }

    private static FakeCalDavServer caldav() {
        return FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .calendar("alice", "home", "Home")
                .build()
                .start();
    }

    @Test
    void wrongPasswordFailsTheCredentialsCheckAndStops() {
        try (FakeCalDavServer dav = caldav()) {
            DoctorReport r = Doctor.builder()
                    .build()
                    .run(dav.connectionConfig("alice")
                            .credentials(PasswordCredentials.of("alice", Secret.of("wrong")))
                            .build());
            Finding f = only(r, Finding.CREDENTIALS, Finding.Status.FAIL);
            assertThat(f.message()).contains("refused the username and password");
            assertThat(f.fix()).contains("password");
            assertThat(r.failed()).isTrue();
            assertThat(r.of(Finding.UPCOMING_EVENTS))
                    .as("nothing past a refused credential")
                    .isEmpty();
            assertThat(r.toString()).doesNotContain("wrong");
        }
    }

    @Test
    void anEmptyCalendarWarnsAndAHealthyOneWithAnAllDayEventWarnsAboutBlockedDays() {
        try (FakeCalDavServer dav = caldav()) {
            ConnectionConfig config = dav.connectionConfig("alice").build();
            DoctorReport empty = Doctor.builder().build().run(config);
            assertThat(empty.failed()).as("%s", empty.findings()).isFalse();
            only(empty, Finding.CREDENTIALS, Finding.Status.OK);
            only(empty, Finding.MAILBOX_REACHABLE, Finding.Status.OK);
            Finding none = only(empty, Finding.UPCOMING_EVENTS, Finding.Status.WARN);
            assertThat(none.message()).contains("no events in the next 4 weeks");
            assertThat(none.fix()).contains("right account");
            only(empty, Finding.WORKING_HOURS, Finding.Status.WARN);
            only(empty, Finding.CLOCK_SKEW, Finding.Status.OK);
            assertThat(only(empty, Finding.TLS, Finding.Status.OK).message()).contains("Plain HTTP");

            LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3);
            String d = day.toString().replace("-", "");
            String d2 = day.plusDays(2).toString().replace("-", "");
            dav.putEvent(
                    "alice",
                    "home",
                    "offsite.ics",
                    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                            + "BEGIN:VEVENT\r\nUID:offsite\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:" + d
                            + "\r\nDTEND;VALUE=DATE:" + d2 + "\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
            DoctorReport busy = Doctor.builder().build().run(config);
            only(busy, Finding.UPCOMING_EVENTS, Finding.Status.OK);
            Finding allDay = only(busy, Finding.ALL_DAY_EVENTS, Finding.Status.WARN);
            assertThat(allDay.message()).contains("block 2 whole days").contains(day + " \"Offsite\"");
            assertThat(allDay.fix()).contains("show as free");
        }
    }

    @Test
    void aClockTenMinutesOffFailsTheClockSkewCheck() {
        try (FakeCalDavServer dav = caldav()) {
            Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
            DoctorReport r = Doctor.builder()
                    .clock(ahead)
                    .build()
                    .run(dav.connectionConfig("alice").build());
            Finding f = only(r, Finding.CLOCK_SKEW, Finding.Status.FAIL);
            assertThat(f.message()).containsPattern("differ by (9|10) minutes").contains("this machine is ahead");
            assertThat(f.fix()).contains("NTP");
        }
    }

    @Test
    void anExpiredPushSubscriptionAndAStaleSyncAreReportedFromTheHostsState() {
        try (FakeCalDavServer dav = caldav()) {
            Instant now = Instant.now();
            MailboxHealth h = new MailboxHealth(
                    ALICE,
                    true,
                    true,
                    now.minus(Duration.ofHours(30)),
                    "HTTP 503",
                    null,
                    List.of(new Subscription(
                            "sub-1", CalendarRef.primary(ALICE), null, now.minusSeconds(600), Secret.of("state"))));
            DoctorReport r = Doctor.builder()
                    .health(List.of(h))
                    .build()
                    .run(dav.connectionConfig("alice").build());
            Finding push = only(r, Finding.PUSH_SUBSCRIPTION, Finding.Status.FAIL);
            assertThat(push.message()).contains("expired").contains("only when the engine polls");
            assertThat(push.fix()).contains("renews");
            Finding sync = only(r, Finding.LAST_SYNC, Finding.Status.FAIL);
            assertThat(sync.message()).contains("30 hours ago").contains("HTTP 503");

            MailboxHealth revoked = new MailboxHealth(
                    ALICE, true, false, null, "grant revoked", "https://app.example.com/relink", List.of());
            Finding relink = only(
                    Doctor.builder()
                            .health(List.of(revoked))
                            .build()
                            .run(dav.connectionConfig("alice").build()),
                    Finding.LAST_SYNC,
                    Finding.Status.FAIL);
            assertThat(relink.fix())
                    .contains("connect their calendar again")
                    .contains("https://app.example.com/relink");
        }
    }

    @Test
    void aRevokedGrantFailsCredentialsAndTokenRefresh() throws Exception {
        try (FakeGoogleServer google = FakeGoogleServer.builder()
                .user(ALICE.email(), "Alice")
                .refreshToken("rt-alice", ALICE.email())
                .build()
                .start()) {
            ConnectionConfig config = ConnectionConfig.builder("google")
                    .setting("baseUrl", google.baseUrl())
                    .setting("mailbox", ALICE.email())
                    .credentials(new TokenCredentials(new RefreshTokenCredentials(
                                    "client-1", null, Secret.of("rt-alice"), google.tokenUrl(), ALICE)
                            .tokenSource(null)
                            .build()))
                    .build();
            DoctorReport before = Doctor.builder().build().run(config);
            only(before, Finding.CREDENTIALS, Finding.Status.OK);
            only(before, Finding.TOKEN_REFRESH, Finding.Status.OK);

            // the person removes the app's access (RFC 7009 revocation of the refresh token)
            okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
            try (okhttp3.Response revoked = http.newCall(new okhttp3.Request.Builder()
                            .url(google.revokeUrl())
                            .post(new okhttp3.FormBody.Builder()
                                    .add("token", "rt-alice")
                                    .build())
                            .build())
                    .execute()) {
                assertThat(revoked.code()).isEqualTo(200);
            } finally {
                http.connectionPool().evictAll();
                http.dispatcher().executorService().shutdown();
            }
            DoctorReport after = Doctor.builder().build().run(config);
            Finding f = only(after, Finding.CREDENTIALS, Finding.Status.FAIL);
            assertThat(f.message()).contains("grant was refused").contains("revoked");
            assertThat(f.fix()).contains("connect their calendar again");
            assertThat(only(after, Finding.TOKEN_REFRESH, Finding.Status.FAIL).message())
                    .contains("refresh token was refused");
        }
    }

    @Test
    void aServiceAccountWithoutTheImpersonationRoleFailsWithTheRoleFix() {
        try (FakeEwsServer ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .impersonationScope("svc")
                .mailbox(ALICE.email())
                .mailbox("bob@example.com")
                .build()
                .start()) {
            DoctorReport r = Doctor.builder()
                    .mailboxes(List.of(ALICE, Mailbox.of("bob@example.com")))
                    .build()
                    .run(ews.connectionConfig("svc")
                            .setting("impersonation", "true")
                            .build());
            only(r, Finding.CREDENTIALS, Finding.Status.OK);
            Finding f = only(r, Finding.IMPERSONATION, Finding.Status.FAIL);
            assertThat(f.message()).contains("ApplicationImpersonation");
            assertThat(f.fix()).contains("New-ManagementRoleAssignment");
            assertThat(r.of(Finding.MAILBOX_REACHABLE))
                    .hasSize(2)
                    .allSatisfy(x -> assertThat(x.status()).isEqualTo(Finding.Status.FAIL));
        }
    }

    @Test
    void exchangeOnlineAndOnPremisesOnOneDomainIsAFailure() {
        try (FakeEwsServer ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox(ALICE.email())
                .build()
                .start()) {
            DoctorReport r = Doctor.builder()
                    .mailboxes(List.of(ALICE))
                    .integrations(List.of(new OrganizationIntegration("m365", "graph", Set.of("example.com"))))
                    .build()
                    .run(ews.connectionConfig("svc")
                            .setting("impersonation", "true")
                            .build());
            only(r, Finding.MAILBOX_REACHABLE, Finding.Status.OK);
            Finding f = only(r, Finding.EXCHANGE_DEPLOYMENT, Finding.Status.FAIL);
            assertThat(f.message()).contains("example.com").contains("m365");
            assertThat(f.fix()).contains("disable the other integration");
        }
    }

    @Test
    void anUntrustedCertificateFailsTheTlsCheckAndATrustedOneSoonToExpireWarns() throws Exception {
        org.calsdk.testkit.FakeTls tls = org.calsdk.testkit.FakeTls.generate();
        try (okhttp3.mockwebserver.MockWebServer server = new okhttp3.mockwebserver.MockWebServer()) {
            server.useHttps(tls.serverSocketFactory(), false);
            server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
                @Override
                public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
                    return new okhttp3.mockwebserver.MockResponse()
                            .setResponseCode(401)
                            .setHeader("WWW-Authenticate", "Basic realm=\"dav\"");
                }
            });
            server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            ConnectionConfig.Builder config = ConnectionConfig.builder("caldav")
                    .setting("url", server.url("/dav/").toString())
                    .setting("allowPrivateNetwork", "true")
                    .setting("mailbox", ALICE.email())
                    .credentials(PasswordCredentials.of("alice", Secret.of("pw")));

            DoctorReport untrusted = Doctor.builder().build().run(config.build());
            Finding f = only(untrusted, Finding.TLS, Finding.Status.FAIL);
            assertThat(f.message()).contains("could not be set up");
            assertThat(f.fix()).contains("trust store");

            org.calsdk.http.HttpTransport trusting = org.calsdk.http.HttpTransport.builder()
                    .provider("caldav")
                    .okHttpClient(tls.trust(new okhttp3.OkHttpClient.Builder()).build())
                    .build();
            try (trusting) {
                DoctorReport trusted =
                        Doctor.builder().build().run(config.transport(trusting).build());
                // the test authority's certificate lives a day: within the fortnight the doctor warns about
                Finding expiring = only(trusted, Finding.TLS, Finding.Status.WARN);
                assertThat(expiring.message()).contains("certificate of localhost expires on");
                assertThat(expiring.fix()).contains("Renew");
                only(trusted, Finding.CREDENTIALS, Finding.Status.FAIL);
            }
        }
    }
}
