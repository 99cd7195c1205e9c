package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Free/busy request accounting: chunking, $batch packing, window splitting, throttled sub-requests, per-mailbox errors. */
class GraphFreeBusyAccountingTest {
    private static final Instant START = Instant.parse("2031-03-03T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private FakeGraphServer graph;
    private CalendarConnection connection;

    private CalendarConnection connect(FakeGraphServer.Builder fake, boolean organization) {
        graph = fake.build().start();
        GraphProvider provider = GraphProvider.builder()
                .sleeper(sleeper)
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5))
                        .build())
                .build();
        ConnectionConfig config = organization
                ? ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("accessToken", "app")
                        .setting("allowPrivateNetwork", "true")
                        .build()
                : graph.connectionConfig("alice@example.com").build();
        connection = provider.connect(config);
        return connection;
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        if (graph != null) {
            graph.close();
        }
    }

    private static List<Mailbox> mailboxes(int n) {
        List<Mailbox> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Mailbox.of("user" + i + "@example.com"));
        }
        return out;
    }

    @Test
    void thousandMailboxesTakeFiftyGetScheduleCallsInThreeBatchRoundTrips() {
        CalendarConnection c = connect(FakeGraphServer.builder().openDomain("example.com"), false);
        List<Mailbox> all = mailboxes(1000);
        FreeBusyResult r = c.freeBusy().query(FreeBusyRequest.of(all, TimeWindow.of(START, Duration.ofDays(30))));

        assertThat(r.results()).hasSize(1000).extracting(FreeBusy::mailbox).containsExactlyElementsOf(all);
        assertThat(r.allOk()).isTrue();
        assertThat(graph.accounting().calls("batch")).as("$batch round trips").isEqualTo(3);
        assertThat(graph.accounting().calls("getSchedule"))
                .as("getSchedule calls outside a batch")
                .isZero();
        assertThat(graph.scheduleCalls()).as("getSchedule calls").isEqualTo(50);
        assertThat(graph.accounting().totalCalls()).as("HTTP requests in all").isEqualTo(3);
        assertThat(graph.maxConcurrencyPerMailbox())
                .as("requests in flight for one mailbox")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void aLongWindowIsSplitAndAnEventAcrossTheSplitIsOneInterval() {
        CalendarConnection c =
                connect(FakeGraphServer.builder().mailbox("alice@example.com").mailbox("bob@example.com"), false);
        CalendarRef cal = CalendarRef.primary(Mailbox.of("alice@example.com"));
        Instant split = START.plus(Duration.ofDays(62).minusMinutes(1));
        Instant from = split.minus(Duration.ofHours(2));
        Instant to = split.plus(Duration.ofHours(3));
        c.writer()
                .create(
                        cal,
                        EventKey.of("across"),
                        Event.builder()
                                .summary("across")
                                .time(EventTime.utc(from), EventTime.utc(to))
                                .build());

        FreeBusyResult r = c.freeBusy()
                .query(FreeBusyRequest.of(
                        List.of(Mailbox.of("alice@example.com"), Mailbox.of("bob@example.com")),
                        TimeWindow.of(START, Duration.ofDays(100))));

        assertThat(graph.scheduleCalls()).as("two windows under 62 days").isEqualTo(2);
        assertThat(graph.accounting().calls("batch")).as("both in one $batch").isEqualTo(1);
        assertThat(r.get(Mailbox.of("alice@example.com")).orElseThrow().busy())
                .containsExactly(BusyInterval.of(from, to, BusyStatus.BUSY));
    }

    @Test
    void aThrottledSubRequestIsSentAgainAfterItsRetryAfter() {
        CalendarConnection c = connect(FakeGraphServer.builder().openDomain("example.com"), false);
        graph.faults().add(FaultRule.on("getSchedule").times(1).inject(Fault.tooManyRequests(Duration.ofSeconds(2))));

        FreeBusyResult r =
                c.freeBusy().query(FreeBusyRequest.of(mailboxes(60), TimeWindow.of(START, Duration.ofDays(7))));

        assertThat(r.allOk()).isTrue();
        assertThat(graph.scheduleCalls())
                .as("3 calls and the throttled one again")
                .isEqualTo(4);
        assertThat(graph.accounting().calls("batch")).as("the first round").isEqualTo(1);
        assertThat(graph.accounting().calls("getSchedule"))
                .as("the retry, alone, sent directly")
                .isEqualTo(1);
        assertThat(sleeper.take()).as("the pause taken").containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void throttlingSaidOnlyInTheBodyIsRetriedInABatchAndOnADirectCall() {
        CalendarConnection c = connect(FakeGraphServer.builder().openDomain("example.com"), false);
        // Outlook can answer throttling with another status and a throttling code (read by the core classifier)
        org.calsdk.testkit.FakeResponse busy = org.calsdk.testkit.FakeResponse.json(
                400, "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"Application is over its limit.\"}}");
        graph.faults().add(FaultRule.on("getSchedule").times(1).inject(Fault.respond(busy)));
        FreeBusyResult r =
                c.freeBusy().query(FreeBusyRequest.of(mailboxes(60), TimeWindow.of(START, Duration.ofDays(7))));
        assertThat(r.allOk()).isTrue();
        assertThat(graph.scheduleCalls())
                .as("3 calls and the throttled one again")
                .isEqualTo(4);

        graph.faults().add(FaultRule.on("calendars").times(1).inject(Fault.respond(busy)));
        assertThat(c.reader().calendars(Mailbox.of("alice@example.com"))).isNotEmpty();
        assertThat(graph.accounting().calls("calendars"))
                .as("the throttled call and its retry")
                .isEqualTo(2);
    }

    @Test
    void aMailboxOutsideTheAccessPolicyAndAnUnknownOneFailOnTheirOwn() {
        CalendarConnection c = connect(
                FakeGraphServer.builder()
                        .mailbox("alice@example.com")
                        .mailbox("carol@example.com")
                        .accessPolicy(List.of("alice@example.com")),
                true);
        Mailbox alice = Mailbox.of("alice@example.com");
        Mailbox carol = Mailbox.of("carol@example.com");
        Mailbox nobody = Mailbox.of("nobody@example.com");

        FreeBusyResult r = c.freeBusy()
                .query(FreeBusyRequest.of(List.of(carol, alice, nobody), TimeWindow.of(START, Duration.ofDays(1))));

        assertThat(r.get(alice).orElseThrow().ok()).isTrue();
        assertThat(r.get(carol).orElseThrow().error()).isInstanceOf(PermissionDeniedException.class);
        assertThat(r.get(carol).orElseThrow().error().getMessage()).contains("application access policy");
        assertThat(r.get(nobody).orElseThrow().error()).isInstanceOf(NotFoundException.class);
        assertThat(r.get(nobody).orElseThrow().error().mailbox()).hasValue(nobody);
    }

    @Test
    void statusesAreMapped() {
        CalendarConnection c = connect(FakeGraphServer.builder().mailbox("alice@example.com"), false);
        CalendarRef cal = CalendarRef.primary(Mailbox.of("alice@example.com"));
        BusyStatus[] statuses = {
            BusyStatus.BUSY,
            BusyStatus.TENTATIVE,
            BusyStatus.OUT_OF_OFFICE,
            BusyStatus.WORKING_ELSEWHERE,
            BusyStatus.FREE
        };
        for (int i = 0; i < statuses.length; i++) {
            Instant s = START.plus(Duration.ofHours(2L * i));
            c.writer()
                    .create(
                            cal,
                            EventKey.of("status-" + i),
                            Event.builder()
                                    .summary("s" + i)
                                    .showAs(statuses[i])
                                    .time(EventTime.utc(s), EventTime.utc(s.plus(Duration.ofHours(1))))
                                    .build());
        }
        FreeBusy fb = c.freeBusy()
                .query(FreeBusyRequest.of(
                        List.of(Mailbox.of("alice@example.com")), TimeWindow.of(START, Duration.ofDays(1))))
                .results()
                .get(0);
        assertThat(fb.busy())
                .extracting(BusyInterval::status)
                .containsExactly(
                        BusyStatus.BUSY, BusyStatus.TENTATIVE, BusyStatus.OUT_OF_OFFICE, BusyStatus.WORKING_ELSEWHERE);
        assertThat(fb.busy().get(0).start().atZone(ZoneOffset.UTC).getHour()).isZero();
    }

    @Test
    void aQueryRunningOnTheHostsOneThreadExecutorRunsItsBatchesOnTheConnectionsPool() throws Exception {
        graph = FakeGraphServer.builder().openDomain("example.com").build().start();
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            connection = GraphProvider.builder()
                    .build()
                    .connect(graph.connectionConfig("alice@example.com").build());
            FreeBusyResult r = java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> connection
                                    .freeBusy()
                                    .query(FreeBusyRequest.of(
                                            mailboxes(500), TimeWindow.of(START, Duration.ofDays(7)))),
                            one)
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.allOk()).isTrue();
            assertThat(graph.scheduleCalls()).isEqualTo(25);
            assertThat(graph.accounting().calls("batch")).as("two batches").isEqualTo(2);
        } finally {
            one.shutdownNow();
        }
    }
}
