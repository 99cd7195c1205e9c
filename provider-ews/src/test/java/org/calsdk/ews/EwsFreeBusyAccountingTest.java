package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.model.Transparency;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Free/busy request accounting against the fake EWS server: chunks, window splits, headers, throttling. */
class EwsFreeBusyAccountingTest {
    private static final Instant FROM = Instant.parse("2031-03-03T00:00:00Z");
    private FakeEwsServer ews;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .anyExampleMailbox(true)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        ews.close();
    }

    private CalendarConnection connect(boolean impersonateAlice) {
        var cfg = ews.connectionConfig("svc").setting("impersonation", "true");
        if (impersonateAlice) {
            cfg.setting("mailbox", "alice@example.com");
        }
        return EwsProvider.builder()
                .sleeper(sleeper)
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .maxRetryAfter(Duration.ofSeconds(10))
                        .build())
                .build()
                .connect(cfg.build());
    }

    private static List<Mailbox> mailboxes(int n) {
        List<Mailbox> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(Mailbox.of("user" + i + "@example.com"));
        }
        return l;
    }

    @Test
    void thousandMailboxesOverThirtyDaysTakeExactlyTenCallsWithoutAuthChallenges() {
        ews.putEvent(
                "user7@example.com",
                Event.builder()
                        .summary("busy")
                        .time(
                                EventTime.of(ZonedDateTime.of(2031, 3, 4, 9, 0, 0, 0, ZoneId.of("Europe/Berlin"))),
                                EventTime.of(ZonedDateTime.of(2031, 3, 4, 10, 0, 0, 0, ZoneId.of("Europe/Berlin"))))
                        .build());
        try (CalendarConnection org = connect(false)) {
            FreeBusyResult r =
                    org.freeBusy().query(FreeBusyRequest.of(mailboxes(1000), TimeWindow.of(FROM, Duration.ofDays(30))));
            assertThat(r.results()).hasSize(1000);
            assertThat(r.allOk()).isTrue();
            assertThat(r.get(Mailbox.of("user7@example.com")).orElseThrow().busy())
                    .singleElement()
                    .satisfies(b -> {
                        assertThat(b.start()).isEqualTo(Instant.parse("2031-03-04T08:00:00Z"));
                        assertThat(b.status()).isEqualTo(BusyStatus.BUSY);
                    });
        }
        RequestAccounting a = ews.accounting();
        assertThat(a.calls("GetUserAvailability")).isEqualTo(10);
        assertThat(a.totalCalls())
                .as("no other call, no 401 challenge round trip")
                .isEqualTo(10);
        assertThat(a.recent()).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(a.sent())
                .allSatisfy(s -> assertThat(s.header("Authorization"))
                        .hasValueSatisfying(h -> assertThat(h).startsWith("Basic ")));
        assertThat(a.maxConcurrency())
                .as("the default parallelism, well inside EWSMaxConcurrency (27)")
                .isLessThanOrEqualTo(10);
    }

    @Test
    void anImpersonatedConnectionSendsTheImpersonationHeaderAndTheSameAnchorMailboxOnEveryCall() {
        try (CalendarConnection alice = connect(true)) {
            alice.freeBusy().query(FreeBusyRequest.of(mailboxes(1000), TimeWindow.of(FROM, Duration.ofDays(30))));
            alice.reader().calendars(Mailbox.of("alice@example.com"));
        }
        RequestAccounting a = ews.accounting();
        assertThat(a.calls("GetUserAvailability")).isEqualTo(10);
        assertThat(a.sent())
                .hasSize(11)
                .allSatisfy(s -> assertThat(s.header("X-AnchorMailbox")).hasValue("alice@example.com"));
        assertThat(a.recent()).hasSize(11).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.header("X-AnchorMailbox")).hasValue("alice@example.com");
            assertThat(c.bodyString())
                    .contains("<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>alice@example.com"
                            + "</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>");
        });
        // each GetUserAvailability call names 100 mailboxes, each counted for its mailbox
        assertThat(a.recent())
                .filteredOn(c -> c.operation().equals("GetUserAvailability"))
                .allSatisfy(c -> assertThat(c.mailboxes()).hasSize(100));
        assertThat(a.callsFor("user999@example.com")).isEqualTo(1);
    }

    @Test
    void aWindowOverFortyTwoDaysIsSplitAndAnEventOnTheSeamIsReportedOnce() {
        Instant seam = FROM.plus(Duration.ofDays(42));
        ews.putEvent(
                "bob@example.com",
                Event.builder()
                        .summary("across")
                        .time(EventTime.utc(seam.minusSeconds(3600)), EventTime.utc(seam.plusSeconds(3600)))
                        .build());
        ews.putEvent(
                "bob@example.com",
                Event.builder()
                        .summary("free")
                        .transparency(Transparency.TRANSPARENT)
                        .time(EventTime.utc(FROM.plusSeconds(3600)), EventTime.utc(FROM.plusSeconds(7200)))
                        .build());
        try (CalendarConnection org = connect(false)) {
            FreeBusy bob = org.freeBusy()
                    .query(FreeBusyRequest.of(withBob(mailboxes(150)), TimeWindow.of(FROM, Duration.ofDays(60))))
                    .get(Mailbox.of("bob@example.com"))
                    .orElseThrow();
            assertThat(bob.busy())
                    .extracting(b -> b.start() + "/" + b.end())
                    .containsExactly(seam.minusSeconds(3600) + "/" + seam, seam + "/" + seam.plusSeconds(3600));
        }
        // 151 mailboxes in 2 chunks, 60 days in 2 windows
        assertThat(ews.accounting().calls("GetUserAvailability")).isEqualTo(4);
    }

    private static List<Mailbox> withBob(List<Mailbox> l) {
        List<Mailbox> out = new ArrayList<>(l);
        out.add(Mailbox.of("bob@example.com"));
        return out;
    }

    @Test
    void errorServerBusyIsWaitedOutForItsBackOffMilliseconds() {
        ews.serverBusy(2, Duration.ofMillis(1500));
        try (CalendarConnection org = connect(false)) {
            FreeBusyResult r =
                    org.freeBusy().query(FreeBusyRequest.of(mailboxes(3), TimeWindow.of(FROM, Duration.ofDays(1))));
            assertThat(r.allOk()).isTrue();
        }
        assertThat(sleeper.take()).containsExactly(Duration.ofMillis(1500), Duration.ofMillis(1500));
        assertThat(ews.accounting().calls("GetUserAvailability")).isEqualTo(3);
    }

    @Test
    void errorServerBusyInsideAResponseMessageIsWaitedOutToo() {
        String busy =
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                        + "<s:Body><m:GetFolderResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
                        + "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>"
                        + "<m:GetFolderResponseMessage ResponseClass=\"Error\"><m:MessageText>busy</m:MessageText>"
                        + "<m:ResponseCode>ErrorServerBusy</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
                        + "<m:MessageXml><t:Value Name=\"BackOffMilliseconds\">250</t:Value></m:MessageXml>"
                        + "</m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>";
        ews.faults()
                .add(org.calsdk.testkit.FaultRule.on("GetFolder")
                        .times(1)
                        .inject(org.calsdk.testkit.Fault.respond(
                                org.calsdk.testkit.FakeResponse.body(200, "text/xml; charset=utf-8", busy))));
        try (CalendarConnection alice = connect(true)) {
            assertThat(alice.reader().calendars(Mailbox.of("alice@example.com")))
                    .hasSize(1);
        }
        assertThat(sleeper.take()).containsExactly(Duration.ofMillis(250));
        assertThat(ews.accounting().calls("GetFolder")).isEqualTo(2);
    }

    private static org.calsdk.testkit.FakeResponse soapFault(String code) {
        return org.calsdk.testkit.FakeResponse.body(
                500,
                "text/xml; charset=utf-8",
                "<?xml version=\"1.0\"?><s:Envelope "
                        + "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode>"
                        + "<faultstring>" + code
                        + "</faultstring><detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/"
                        + "services/2006/errors\">" + code
                        + "</e:ResponseCode></detail></s:Fault></s:Body></s:Envelope>");
    }

    @Test
    void aFaultSayingTheMailboxStoreIsUnavailableIsRetriedByTheTransport() {
        ews.faults()
                .add(org.calsdk.testkit.FaultRule.on("GetFolder")
                        .times(1)
                        .inject(org.calsdk.testkit.Fault.respond(soapFault("ErrorMailboxStoreUnavailable"))));
        try (CalendarConnection alice = connect(true)) {
            assertThat(alice.reader().calendars(Mailbox.of("alice@example.com")))
                    .hasSize(1);
        }
        assertThat(ews.accounting().calls("GetFolder")).isEqualTo(2);
        assertThat(sleeper.take()).hasSize(1); // the policy's backoff: no BackOffMilliseconds given
    }

    @Test
    void anyOtherSoapFaultOnHttp500IsADefiniteAnswerSentOnceAndTyped() {
        ews.faults()
                .add(org.calsdk.testkit.FaultRule.on("GetFolder")
                        .times(1)
                        .inject(org.calsdk.testkit.Fault.respond(soapFault("ErrorNonExistentMailbox"))));
        try (CalendarConnection alice = connect(true)) {
            assertThatThrownBy(() -> alice.reader().calendars(Mailbox.of("alice@example.com")))
                    .isInstanceOf(org.calsdk.errors.NotFoundException.class)
                    .hasMessageContaining("ErrorNonExistentMailbox");
        }
        assertThat(ews.accounting().calls("GetFolder")).isEqualTo(1);
        assertThat(sleeper.take()).isEmpty();
    }

    @Test
    void errorServerBusyThatOutlastsTheAttemptsIsRateLimited() {
        ews.serverBusy(5, Duration.ofMillis(100));
        try (CalendarConnection alice = connect(true)) {
            assertThatThrownBy(() -> alice.reader().calendars(Mailbox.of("alice@example.com")))
                    .isInstanceOf(RateLimitedException.class)
                    .hasMessageContaining("ErrorServerBusy");
        }
        assertThat(ews.accounting().calls("GetFolder")).isEqualTo(3);
        assertThat(sleeper.take()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    @Test
    void aBackOffLongerThanThePolicyAllowsFailsAtOnceAsRateLimitedWithTheServersPause() {
        ews.serverBusy(1, Duration.ofSeconds(120));
        try (CalendarConnection alice = connect(true)) {
            assertThatThrownBy(() -> alice.reader().calendars(Mailbox.of("alice@example.com")))
                    .isInstanceOfSatisfying(
                            RateLimitedException.class,
                            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(120)));
        }
        assertThat(sleeper.take()).isEmpty();
    }

    @Test
    void anUnknownMailboxFailsAloneInsideAGoodAnswer() {
        FakeEwsServer strict =
                FakeEwsServer.builder().mailbox("alice@example.com").build().start();
        try (CalendarConnection c = EwsProvider.builder()
                .build()
                .connect(strict.connectionConfig("alice@example.com").build())) {
            FreeBusyResult r = c.freeBusy()
                    .query(FreeBusyRequest.of(
                            List.of(Mailbox.of("alice@example.com"), Mailbox.of("ghost@example.com")),
                            TimeWindow.of(FROM, Duration.ofDays(1))));
            assertThat(r.get(Mailbox.of("alice@example.com")).orElseThrow().ok())
                    .isTrue();
            assertThat(r.get(Mailbox.of("ghost@example.com")).orElseThrow().error())
                    .satisfies(e -> assertThat(e)
                            .isInstanceOf(org.calsdk.errors.NotFoundException.class)
                            .hasMessageContaining("ErrorMailRecipientNotFound"));
        } finally {
            strict.close();
        }
    }
}
