package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The impersonation pattern (issue 11, item 3): the engine connects an organization once per pass and acts
 * as each mailbox through cheap views, counted at the provider's door.
 */
class ImpersonationBatchTest {
    static final int MAILBOXES = 6;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    InMemoryCalendarService service;
    final AtomicInteger connects = new AtomicInteger();
    final List<CalendarConnection> opened = new ArrayList<>();

    /** The memory provider, counting its connects and keeping what it handed out. */
    final class CountingProvider implements CalendarProvider {
        final CalendarProvider inner = service.provider();

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public Set<Capability> capabilities() {
            return inner.capabilities();
        }

        @Override
        public CalendarConnection connect(ConnectionConfig config) {
            connects.incrementAndGet();
            CalendarConnection c = inner.connect(config);
            synchronized (opened) {
                opened.add(c);
            }
            return c;
        }
    }

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder().clock(clock).build();
        for (int i = 0; i < MAILBOXES; i++) {
            service.addUser(Mailbox.of("user" + i + "@example.com"), "User " + i);
        }
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    SyncEngine engine(SyncConnections connections) {
        SyncEngine e = SyncEngine.builder()
                .store(new InMemorySyncStateStore())
                .connections(connections)
                .clock(clock)
                .random(new Random(1))
                .nodeId("test")
                .build();
        e.saveIntegration(Integration.active("acme", "memory"));
        for (int i = 0; i < MAILBOXES; i++) {
            e.addMailbox("acme", Mailbox.of("user" + i + "@example.com"));
        }
        return e;
    }

    @Test
    void anOrganizationConnectsOncePerPassNotOncePerMailbox() {
        CalendarProviders providers = CalendarProviders.of(new CountingProvider());
        try (SyncEngine engine = engine(SyncConnections.impersonating(
                providers,
                i -> ConnectionConfig.builder("memory")
                        .setting("service", service.id())
                        .build()))) {
            long callsBefore = service.totalCalls();
            SyncReport first = engine.runOnce();
            assertThat(first.results())
                    .hasSize(MAILBOXES)
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(MailboxSyncResult.Outcome.OK));
            assertThat(connects.get())
                    .as("one organization connect for %d mailboxes", MAILBOXES)
                    .isEqualTo(1);
            assertThat(service.totalCalls() - callsBefore)
                    .as("actAs makes no call: one change read per mailbox")
                    .isEqualTo(MAILBOXES);
            assertThat(opened)
                    .singleElement()
                    .satisfies(org -> assertThat(catchClosed(org))
                            .as("the pass closed its organization connection")
                            .isTrue());

            clock.advance(Duration.ofMinutes(10));
            assertThat(engine.runOnce().results()).hasSize(MAILBOXES);
            assertThat(connects.get()).as("a second pass: one more").isEqualTo(2);

            engine.syncMailbox(Mailbox.of("user0@example.com"));
            assertThat(connects.get())
                    .as("on demand: one connect for the one mailbox")
                    .isEqualTo(3);
        }
    }

    @Test
    void perUserConnectionsConnectEachMailbox() {
        CalendarProviders providers = CalendarProviders.of(new CountingProvider());
        try (SyncEngine engine = engine(SyncConnections.of(
                providers,
                (i, m) -> ConnectionConfig.builder("memory")
                        .setting("service", service.id())
                        .setting("mailbox", m.email())
                        .build()))) {
            engine.runOnce();
            assertThat(connects.get()).isEqualTo(MAILBOXES);
        }
    }

    /** Whether a memory connection is closed: its calls then fail with IllegalStateException. */
    private static boolean catchClosed(CalendarConnection c) {
        try {
            c.impersonator().checkAccess(Mailbox.of("user0@example.com"));
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
