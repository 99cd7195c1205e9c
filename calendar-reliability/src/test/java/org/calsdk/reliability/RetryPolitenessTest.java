package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.EventQuery;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.OperationTimeoutException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise: retries are bounded and polite, on every provider. Retry-After is waited out exactly (and a
 * longer one than the policy's cap is not waited at all: the caller gets RateLimitedException carrying
 * it); the retries of one call stop at the call's deadline; many calls at once for one mailbox never put
 * more than the per-mailbox limit (4) on the wire, as the fake's high-water mark shows.
 */
class RetryPolitenessTest {
    private static final CalendarRef ALICE = CalendarRef.primary(Mailbox.of(Target.ALICE));

    static List<String> providers() {
        return Target.names();
    }

    private static EventQuery week() {
        return EventQuery.of(ALICE, SoakRun.WINDOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void retryAfterIsHonouredAndCapped(String provider) {
        try (Target t = Target.start(provider)) {
            List<Duration> pauses = new CopyOnWriteArrayList<>();
            RetryPolicy policy = RetryPolicy.custom()
                    .maxAttempts(4)
                    .baseBackoff(Duration.ofMillis(1))
                    .maxBackoff(Duration.ofMillis(5))
                    .maxRetryAfter(Duration.ofSeconds(10))
                    .build();
            try (CalendarConnection c = t.connect(policy, pauses::add)) {
                c.reader().list(week()); // warm up (discovery)
                pauses.clear();
                t.faults()
                        .add(FaultRule.on(t.listOperation())
                                .times(1)
                                .inject(Fault.tooManyRequests(Duration.ofSeconds(3))));
                c.reader().list(week());
                assertThat(pauses).as("the pause after 429 Retry-After: 3").containsExactly(Duration.ofSeconds(3));

                pauses.clear();
                t.faults()
                        .add(FaultRule.on(t.listOperation())
                                .times(1)
                                .inject(Fault.tooManyRequests(Duration.ofSeconds(120))));
                Throwable e = catchThrowable(() -> c.reader().list(week()));
                assertThat(e).as("Retry-After beyond the cap").isInstanceOf(RateLimitedException.class);
                assertThat(((RateLimitedException) e).retryAfter()).hasValue(Duration.ofSeconds(120));
                assertThat(pauses).as("nobody waits two minutes inside a call").isEmpty();
                Figures.record(
                        "retries",
                        provider + " Retry-After 3 s waited 3 s; Retry-After 120 s (cap 10 s) -> "
                                + "RateLimitedException at once, 0 pauses");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void retriesOfOneCallStopAtItsDeadline(String provider) {
        try (Target t = Target.start(provider)) {
            // unlimited attempts, 100 ms pauses, a server that is always unavailable
            RetryPolicy policy = RetryPolicy.custom()
                    .maxAttempts(1_000)
                    .baseBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofMillis(100))
                    .build();
            Duration deadline = Duration.ofMillis(800);
            try (CalendarConnection c = t.connect(policy, Sleeper.system(), deadline)) {
                c.reader().list(week());
                t.faults().add(FaultRule.on(t.listOperation()).always().inject(Fault.unavailable()));
                long start = System.nanoTime();
                Throwable e = catchThrowable(() -> c.reader().list(week()));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(e).isInstanceOfAny(ProviderUnavailableException.class, OperationTimeoutException.class);
                int attempts = ((CalendarException) e).attempts();
                long calls = t.accounting().calls(t.listOperation());
                // bounded by the deadline (800 ms)
                assertThat(tookMs).as("time spent retrying one call").isLessThan(3_000);
                // stopped by the deadline, never by running out of 1,000 attempts
                assertThat(attempts).as("attempts").isLessThan(100);
                Figures.record(
                        "retries",
                        provider + " always-503 call gave up after " + attempts + " attempts in " + tookMs
                                + " ms (deadline 800 ms), " + calls + " list calls on the wire");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void concurrencyStaysWithinThePerMailboxLimit(String provider) throws Exception {
        try (Target t = Target.start(provider)) {
            try (CalendarConnection c = t.connect(Target.quickRetries(), d -> {})) {
                c.reader().list(week());
                t.accounting().reset();
                t.faults().add(FaultRule.onAnyOperation().always().inject(Fault.latency(Duration.ofMillis(60))));
                ExecutorService pool = Executors.newFixedThreadPool(16);
                try {
                    List<Future<?>> all = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        all.add(pool.submit(() -> c.reader().list(week())));
                    }
                    for (Future<?> f : all) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
                int high = t.accounting().maxConcurrency();
                Figures.record(
                        "retries",
                        provider + " 16 concurrent reads for one mailbox: high-water mark " + high
                                + " in flight (limit 4)");
                assertThat(high)
                        .as("requests in flight at once for one mailbox")
                        .isBetween(1, 4);
            }
        }
    }
}
