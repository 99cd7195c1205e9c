package org.calsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.CalendarFakeExtension;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.SeedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fake HTTP provider shared by a test class (static extension field), with wire faults and accounting. */
class MemoryHttpFakeTest {
    static final Mailbox U1 = Mailbox.of("user1@example.com");
    static final TimeWindow WINDOW = TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Duration.ofDays(31));

    @RegisterExtension
    static final CalendarFakeExtension<MemoryHttpFake> FAKE = CalendarFakeExtension.of(
                    () -> new MemoryHttpFake(InMemoryCalendarService.builder().build()))
            .seed(SeedData.organization("example.com")
                    .users(30)
                    .eventsPerUser(3)
                    .build())
            .connectAs("user1@example.com");

    @BeforeEach
    void reset() {
        FAKE.fake().server().faults().clear();
        FAKE.fake().server().accounting().reset();
    }

    @Test
    void reads_the_seeded_events_over_http_and_counts_the_round_trips(CalendarConnection c) {
        assertThat(c.reader().listAll(CalendarRef.primary(U1), WINDOW)).hasSize(3);
        List<Mailbox> everyone = FAKE.fake().service().mailboxes();
        assertThat(c.freeBusy().query(FreeBusyRequest.of(everyone, WINDOW)).allOk())
                .isTrue();
        var acc = FAKE.fake().server().accounting();
        assertThat(acc.calls("events.list")).isEqualTo(1);
        assertThat(acc.calls("freebusy")).isEqualTo(1);
        assertThat(acc.callsFor("user1@example.com")).isEqualTo(1);
        assertThat(acc.bytesIn()).isPositive();
        assertThat(acc.bytesOut()).isPositive();
    }

    @Test
    void the_fake_itself_can_be_a_test_parameter_and_is_shared_by_the_class(MemoryHttpFake fake) {
        assertThat(fake).isSameAs(FAKE.fake());
        assertThat(fake.server().isRunning()).isTrue();
        assertThat(fake.server().baseUrl().host()).isEqualTo("127.0.0.1");
        assertThat(fake.service().mailboxes()).hasSize(30);
    }

    @Test
    void the_memory_http_provider_is_found_by_service_loader_with_the_injected_config(
            java.net.URI baseUrl, org.calsdk.api.ConnectionConfig config) {
        assertThat(config.provider()).isEqualTo("memory-http");
        assertThat(config.setting("url")).contains(baseUrl.toString());
        try (CalendarConnection c = org.calsdk.api.CalendarProviders.load().connect(config)) {
            assertThat(c.providerId()).isEqualTo(MemoryHttpProvider.ID);
            assertThat(c.reader().listAll(CalendarRef.primary(U1), WINDOW)).hasSize(3);
        }
        assertThat(FAKE.fake().server().accounting().last("events.list")).isPresent();
    }

    @Test
    void a_revoked_grant_is_a_reauthorization_error(CalendarConnection c) {
        FAKE.fake().server().faults().add(FaultRule.on("calendars").inject(Fault.revokedToken()));
        assertThatThrownBy(() -> c.reader().calendars(U1)).isInstanceOf(ReauthorizationRequiredException.class);
    }

    @Test
    void a_truncated_body_and_a_reset_are_retried_and_then_succeed(CalendarConnection c) {
        FAKE.fake().server().faults().add(FaultRule.on("events.list").times(1).inject(Fault.truncatedBody()));
        FAKE.fake().server().faults().add(FaultRule.on("events.list").times(1).inject(Fault.connectionReset()));
        assertThat(c.reader().listAll(CalendarRef.primary(U1), WINDOW)).hasSize(3);
        assertThat(FAKE.fake().server().accounting().calls("events.list")).isEqualTo(3);
    }

    @Test
    void soak_under_random_faults_every_booking_is_made_exactly_once(CalendarConnection c) {
        // 15% of calls fail at random (seeded: the same calls fail on every run), in every way a network can.
        FAKE.fake()
                .server()
                .faults()
                .add(FaultRule.onAnyOperation()
                        .randomly(2026, 15)
                        .inject(
                                Fault.unavailable(),
                                Fault.connectionReset(),
                                Fault.dropResponseAfterCommit(),
                                Fault.truncatedBody()));
        CalendarRef cal = CalendarRef.of(U1, "primary");
        Instant base = Instant.parse("2026-05-04T08:00:00Z");
        for (int i = 0; i < 30; i++) {
            Event booking = Event.builder()
                    .summary("soak " + i)
                    .start(EventTime.utc(base.plus(Duration.ofHours(i))))
                    .end(EventTime.utc(base.plus(Duration.ofHours(i)).plusSeconds(1800)))
                    .build();
            boolean done = false;
            for (int attempt = 0; attempt < 10 && !done; attempt++) { // the host's own retry loop
                try {
                    c.writer().create(cal, EventKey.of("soak-" + i), booking);
                    done = true;
                } catch (ProviderUnavailableException e) {
                    // the client's own retries ran out: the host tries again with the same key
                }
            }
            assertThat(done).as("booking %s made within 10 host attempts", i).isTrue();
        }
        FAKE.fake().server().faults().clear();
        assertThat(FAKE.fake().server().accounting().faultedCalls())
                .as("faults were injected")
                .isPositive();
        List<Event> events = FAKE.fake().service().events(cal);
        assertThat(events)
                .filteredOn(e -> e.summary().startsWith("soak "))
                .hasSize(30)
                .extracting(e -> e.key().orElseThrow().value())
                .doesNotHaveDuplicates();
    }

    @Test
    void persistent_throttling_and_outages_end_in_typed_errors(CalendarConnection c) {
        FAKE.fake().server().faults().add(FaultRule.on("freebusy").always().inject(Fault.tooManyRequests()));
        assertThatThrownBy(() -> c.freeBusy().query(FreeBusyRequest.of(List.of(U1), WINDOW)))
                .isInstanceOf(RateLimitedException.class);
        FAKE.fake().server().faults().clear();
        FAKE.fake()
                .server()
                .faults()
                .add(FaultRule.on("freebusy")
                        .forMailbox("nobody@example.com")
                        .always()
                        .inject(Fault.unavailable()));
        assertThat(c.freeBusy().query(FreeBusyRequest.of(List.of(U1), WINDOW)).allOk())
                .as("a rule for another mailbox does not hit this call")
                .isTrue();
        FAKE.fake().server().faults().add(FaultRule.onAnyOperation().always().inject(Fault.serverError()));
        assertThatThrownBy(() -> c.reader().calendars(U1)).isInstanceOf(ProviderUnavailableException.class);
    }
}
