package org.calsdk.bench.comparators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.calsdk.bench.comparators.FreeBusyComparator.Result;
import org.calsdk.bench.comparators.FreeBusyComparator.Style;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each comparator, careful and naive, against its provider's fake: it answers every mailbox with the
 * seeded busy time, and spends the HTTP requests its style promises (careful: one batch or chunk for 120
 * mailboxes where the provider's limits allow, naive: one per mailbox). The counts come from the fakes.
 */
class ComparatorsTest {
    private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofDays(30));
    private static final int N = 120;
    private static final String ME = "organizer@example.com";
    private static TimeZone saved;

    @BeforeAll
    static void utc() {
        saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @AfterAll
    static void restore() {
        TimeZone.setDefault(saved);
    }

    private static SeedData seed() {
        return SeedData.organization("example.com")
                .users(N)
                .eventsPerUser(2)
                .startingOn(LocalDate.of(2026, 3, 2))
                .user(ME, "Organizer")
                .build();
    }

    private static List<String> mailboxes() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= N; i++) {
            out.add("user" + i + "@example.com");
        }
        return out;
    }

    @Test
    void google() throws Exception {
        try (FakeGoogleServer g = FakeGoogleServer.builder().build()) {
            g.seed(seed());
            g.start();
            GoogleComparator c = new GoogleComparator(g.baseUrl(), g.issueAccessToken(ME));
            Result careful = c.freeBusy(Style.CAREFUL, mailboxes(), FROM, TO);
            // Google's free/busy joins overlapping meetings, so a mailbox has 1 or 2 busy intervals
            assertThat(careful.mailboxes()).isEqualTo(N);
            assertThat(careful.busyIntervals()).isBetween((long) N, 2L * N);
            assertThat(careful.requests()).isEqualTo(1);
            assertThat(g.accounting().roundTrips()).isEqualTo(1);
            assertThat(g.calls("freebusy.query")).isEqualTo(3);
            Result naive = c.freeBusy(Style.NAIVE, mailboxes(), FROM, TO);
            assertThat(naive).isEqualTo(new Result(N, careful.busyIntervals(), N));
            assertThat(g.accounting().roundTrips()).isEqualTo(1 + N);
        }
    }

    @Test
    void graph() throws Exception {
        try (FakeGraphServer g = FakeGraphServer.builder().build().start()) {
            g.seed(seed());
            GraphComparator c = new GraphComparator(g.baseUrl(), "bench-token", ME);
            Result careful = c.freeBusy(Style.CAREFUL, mailboxes(), FROM, TO);
            assertThat(careful).isEqualTo(new Result(N, 2L * N, 1));
            assertThat(g.scheduleCalls()).isEqualTo(6);
            long before = g.accounting().roundTrips();
            Result naive = c.freeBusy(Style.NAIVE, mailboxes(), FROM, TO);
            assertThat(naive).isEqualTo(new Result(N, 2L * N, N));
            assertThat(g.accounting().roundTrips() - before).isEqualTo(N);
        }
    }

    @Test
    void ews() throws Exception {
        try (FakeEwsServer e =
                FakeEwsServer.builder().serviceAccount("svc", "pw").build()) {
            e.seed(seed());
            e.start();
            try (EwsComparator c = new EwsComparator(e.url(), "svc", "pw")) {
                Result careful = c.freeBusy(Style.CAREFUL, mailboxes(), FROM, TO);
                assertThat(careful).isEqualTo(new Result(N, 2L * N, 2));
                // plus the library's first request, which goes without credentials and meets a 401 challenge
                assertThat(e.accounting().calls("GetUserAvailability")).isEqualTo(3);
                Result naive = c.freeBusy(Style.NAIVE, mailboxes().subList(0, 10), FROM, TO);
                assertThat(naive).isEqualTo(new Result(10, 20, 10));
                assertThat(e.accounting().calls("GetUserAvailability")).isEqualTo(13);
            }
        }
    }
}
