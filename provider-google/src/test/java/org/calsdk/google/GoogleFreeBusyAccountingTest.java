package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.NotFoundException;
import org.calsdk.http.RequestCounter;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Free/busy of an organization connection: how many calls and round trips it takes (request
 * accounting), window splitting, and per-mailbox errors.
 */
class GoogleFreeBusyAccountingTest {
    private static final Instant MARCH = Instant.parse("2026-03-02T00:00:00Z");
    private FakeGoogleServer google;
    private ServiceAccounts sa;
    private final RequestCounter counter = new RequestCounter();
    private CalendarConnection org;

    @BeforeEach
    void start() {
        sa = ServiceAccounts.generate(null);
        Set<String> all = IntStream.rangeClosed(1, 1000)
                .mapToObj(i -> "user" + i + "@example.com")
                .collect(Collectors.toSet());
        all = new java.util.HashSet<>(all);
        all.add("admin@example.com");
        google = FakeGoogleServer.builder()
                .autoCreateUsers("example.com")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(), all)
                .build()
                .start();
        org = connect();
    }

    private CalendarConnection connect() {
        return GoogleProvider.builder()
                .listener(counter)
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ZERO)
                        .maxBackoff(Duration.ZERO)
                        .build())
                .build()
                .connect(ConnectionConfig.builder("google")
                        .setting("baseUrl", google.baseUrl())
                        .setting("serviceAccountKey", sa.json)
                        .setting("tokenUrl", google.tokenUrl())
                        .setting("subject", "admin@example.com")
                        .build());
    }

    @AfterEach
    void stop() {
        if (org != null) {
            org.close();
        }
        google.close();
    }

    @Test
    void thousandMailboxesAreTwentyFreeBusyCallsInOneRoundTrip() {
        ZonedDateTime at = ZonedDateTime.of(2026, 3, 10, 9, 0, 0, 0, ZoneOffset.UTC);
        google.seed(SeedData.organization("example.com")
                .user(
                        "user500@example.com",
                        "U",
                        u -> u.primary(c -> c.event(Event.builder()
                                .summary("busy")
                                .start(EventTime.of(at))
                                .end(EventTime.of(at.plusHours(1)))
                                .build())))
                .build());
        List<Mailbox> mailboxes = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            mailboxes.add(Mailbox.of("user" + i + "@example.com"));
        }
        assertThat(org.scope()).isEqualTo(ConnectionScope.ORGANIZATION);
        google.resetCounts();

        FreeBusyResult r =
                org.freeBusy().query(FreeBusyRequest.of(mailboxes, TimeWindow.of(MARCH, Duration.ofDays(30))));

        assertThat(google.calls("freebusy.query")).as("freeBusy calls").isEqualTo(20);
        assertThat(google.accounting().calls("batch"))
                .as("HTTP round trips for them")
                .isEqualTo(1);
        assertThat(counter.count("freebusy"))
                .as("HTTP attempts the provider counted")
                .isEqualTo(1);
        assertThat(r.results())
                .hasSize(1000)
                .allSatisfy(fb -> assertThat(fb.ok()).isTrue());
        assertThat(r.results()).extracting(FreeBusy::mailbox).containsExactlyElementsOf(mailboxes);
        assertThat(r.get(Mailbox.of("user500@example.com")).orElseThrow().busy())
                .containsExactly(BusyInterval.of(at.toInstant(), at.plusHours(1).toInstant(), BusyStatus.BUSY));
    }

    @Test
    void aLongWindowIsSplitAndEveryPieceTravelsInTheSameBatch() {
        ZonedDateTime at = ZonedDateTime.of(2026, 9, 1, 9, 0, 0, 0, ZoneOffset.UTC);
        google.seed(SeedData.organization("example.com")
                .user(
                        "user60@example.com",
                        "U",
                        u -> u.primary(c -> c.event(Event.builder()
                                .summary("late")
                                .start(EventTime.of(at))
                                .end(EventTime.of(at.plusHours(2)))
                                .build())))
                .build());
        List<Mailbox> mailboxes = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            mailboxes.add(Mailbox.of("user" + i + "@example.com"));
        }
        google.resetCounts();
        // 300 days over Google's 90: 4 pieces, times 2 chunks of mailboxes
        FreeBusyResult r =
                org.freeBusy().query(FreeBusyRequest.of(mailboxes, TimeWindow.of(MARCH, Duration.ofDays(300))));
        assertThat(google.calls("freebusy.query")).isEqualTo(8);
        assertThat(google.accounting().calls("batch")).isEqualTo(1);
        assertThat(r.get(Mailbox.of("user60@example.com")).orElseThrow().busy())
                .containsExactly(BusyInterval.of(at.toInstant(), at.plusHours(2).toInstant(), BusyStatus.BUSY));
    }

    @Test
    void anUnknownMailboxFailsAloneAndAThrottledCallIsRetried() {
        Mailbox stranger = Mailbox.of("nobody@elsewhere.org");
        google.faults()
                .add(
                        FaultRule.on("freebusy.query")
                                .times(1)
                                .inject(
                                        Fault.respond(
                                                FakeResponse.json(
                                                        403,
                                                        "{\"error\":{\"code\":403,\"message\":\"Rate Limit Exceeded\","
                                                                + "\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\"}]}}"))));
        FreeBusyResult r = org.freeBusy()
                .query(FreeBusyRequest.of(
                        List.of(Mailbox.of("user1@example.com"), stranger), TimeWindow.of(MARCH, Duration.ofDays(7))));
        assertThat(r.get(Mailbox.of("user1@example.com")).orElseThrow().ok()).isTrue();
        assertThat(r.get(stranger).orElseThrow().error()).isNotNull().satisfies(e -> {
            assertThat(e).isInstanceOf(NotFoundException.class);
            assertThat(e.mailbox()).hasValue(stranger);
        });
        assertThat(google.accounting().calls("batch"))
                .as("the throttled part went again in a second batch")
                .isEqualTo(2);
    }
}
