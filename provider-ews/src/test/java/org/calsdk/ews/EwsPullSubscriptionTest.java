package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pull subscriptions against the fake: Subscribe with a watermark, GetEvents turned into change signals, expiry. */
class EwsPullSubscriptionTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final SubscriptionRequest REQUEST =
            new SubscriptionRequest(null, Secret.of("unused-by-ews"), Duration.ofMinutes(30));

    /** A clock tests move by hand. */
    static final class HandClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2031-01-05T08:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    final HandClock clock = new HandClock();
    FakeEwsServer ews;
    final BlockingQueue<ChangeSignal> signals = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .clock(clock)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        ews.close();
    }

    CalendarConnection alice() {
        return EwsProvider.builder()
                .pullInterval(Duration.ofMillis(20))
                .build()
                .connect(ews.connectionConfig("svc")
                        .setting("impersonation", "true")
                        .setting("mailbox", ALICE.email())
                        .clock(clock)
                        .build());
    }

    static Event event(String title) {
        Instant at = Instant.parse("2031-01-06T10:00:00Z");
        return Event.builder()
                .summary(title)
                .start(EventTime.of(at.atZone(ZoneOffset.UTC)))
                .end(EventTime.of(at.plusSeconds(3600).atZone(ZoneOffset.UTC)))
                .build();
    }

    ChangeSignal next() throws InterruptedException {
        ChangeSignal s = signals.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a signal arrived").isNotNull();
        return s;
    }

    @Test
    void aChangeInTheFolderBecomesOneChangedSignalForItsCalendar() throws Exception {
        try (CalendarConnection c = alice()) {
            assertThat(c.supports(Capability.PUSH_OUTBOUND)).isTrue();
            Subscription sub = c.push().subscribe(CAL, REQUEST);
            assertThat(sub.resourceId()).as("the starting watermark").isNotBlank();
            assertThat(sub.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
            try (AutoCloseable l = c.push().listen(List.of(sub), signals::add)) {
                ews.putEvent("alice@example.com", event("from another client"));
                assertThat(next()).isEqualTo(new ChangeSignal(ChangeSignal.Kind.CHANGED, CAL, sub.id()));
                long polls = ews.accounting().calls("GetEvents");
                ews.putEvent("alice@example.com", event("second"));
                assertThat(next().kind()).isEqualTo(ChangeSignal.Kind.CHANGED);
                assertThat(ews.accounting().calls("GetEvents")).isGreaterThan(polls);
            }
            c.push().unsubscribe(sub);
            c.push().unsubscribe(sub); // gone already: fine
        }
    }

    @Test
    void aRenewedSubscriptionResumesFromItsWatermarkSoNothingBetweenIsLost() throws Exception {
        try (CalendarConnection c = alice()) {
            Subscription sub = c.push().subscribe(CAL, REQUEST);
            ews.putEvent("alice@example.com", event("while nobody listened"));
            Subscription renewed = c.push().renew(sub, REQUEST);
            assertThat(renewed.id()).isNotEqualTo(sub.id());
            try (AutoCloseable l = c.push().listen(List.of(renewed), signals::add)) {
                assertThat(next()).isEqualTo(new ChangeSignal(ChangeSignal.Kind.CHANGED, CAL, renewed.id()));
            }
        }
    }

    @Test
    void aSubscriptionNotPolledWithinItsTimeoutEndsWithASignal() throws Exception {
        try (CalendarConnection c = alice()) {
            Subscription sub = c.push().subscribe(CAL, REQUEST);
            clock.now.set(clock.instant().plus(Duration.ofMinutes(31)));
            try (AutoCloseable l = c.push().listen(List.of(sub), signals::add)) {
                assertThat(next()).isEqualTo(new ChangeSignal(ChangeSignal.Kind.SUBSCRIPTION_ENDED, CAL, sub.id()));
            }
            assertThat(signals).isEmpty();
        }
    }
}
