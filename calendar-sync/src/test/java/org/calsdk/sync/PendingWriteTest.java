package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The case the database-fault soak found, made deterministic: the provider takes an update, the transaction
 * that saves the push's outcome fails (as a crash between the provider call and the commit would leave it), and
 * the host replaces the pending change with a newer one before the retry. The record of the write (the
 * {@link SyncStateStore.PendingWrite}, kept in the event's own row) must make the next push take the calendar's
 * state for the engine's own write: no {@link AppEventChange} with the engine's old values, the app's newest
 * change in the calendar, one event for the key, and no bookkeeping row among the mappings. On the in-memory
 * store and on H2.
 */
class PendingWriteTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final EventKey KEY = EventKey.of("interview-7");
    static final ZonedDateTime NINE = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    InMemoryCalendarService service;
    HostRecorder host = new HostRecorder();
    SyncEngine engine;
    SyncStateStore real;
    /** Outcomes of pushes to refuse (each refusal counts one down). */
    final AtomicInteger failOutcomes = new AtomicInteger();

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder().clock(clock).build();
        service.addUser(ALICE, "Alice");
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (real != null) {
            real.close();
        }
        service.close();
    }

    /** {@code store} seen through a view whose {@code completePush} fails while {@link #failOutcomes} is set. */
    SyncStateStore failingOutcomes(SyncStateStore store) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("completePush") && failOutcomes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ProviderUnavailableException("injected: the outcome's transaction failed", ErrorContext.NONE);
            }
            Object r;
            try {
                r = method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            // the pass writes through the store's fenced and scoped views: they fail the same way
            if (r instanceof SyncStateStore view && r != store) {
                return failingOutcomes(view);
            }
            return r;
        };
        return (SyncStateStore)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SyncStateStore.class}, h);
    }

    static Event interview(String title, int hour) {
        return Event.builder()
                .summary(title)
                .start(EventTime.of(NINE.withHour(hour)))
                .end(EventTime.of(NINE.withHour(hour + 1)))
                .build();
    }

    List<Event> withKey() {
        return service.events(CAL).stream()
                .filter(e -> e.key().map(KEY::equals).orElse(false))
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "h2"})
    void anUpdateWhoseOutcomeWasLostIsTakenForTheEnginesOwnWrite(String kind) {
        real = kind.equals("h2") ? JdbcSyncStateStore.h2(dir) : new InMemorySyncStateStore();
        engine = SyncEngine.builder()
                .store(failingOutcomes(real))
                .connections((i, m) -> service.connect(m))
                .listener(host)
                .clock(clock)
                .random(new Random(1))
                .nodeId("test")
                .build();
        engine.saveIntegration(Integration.active("team", "memory"));
        engine.addMailbox("team", ALICE);
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview", 9)));
        engine.runOnce();
        assertThat(withKey()).hasSize(1);
        String id = withKey().get(0).id().orElseThrow();

        // the update reaches the calendar, its outcome is not saved: the entry stays for a retry
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved)", 11)));
        failOutcomes.set(1);
        engine.runOnce();
        assertThat(withKey())
                .singleElement()
                .satisfies(e -> assertThat(e.summary()).isEqualTo("Interview (moved)"));
        assertThat(real.pendingWrite(CAL, id))
                .as("the record of the write is there, in the event's row")
                .hasValueSatisfying(w -> assertThat(w.written().summary()).isEqualTo("Interview (moved)"));
        assertThat(real.mappingIds(CAL)).containsExactly(id);

        // before the retry, the host replaces the pending change with a newer one
        engine.enqueue(OutboxEntry.upsert(CAL, KEY, interview("Interview (moved again)", 14)));
        clock.advance(Duration.ofHours(1));
        engine.runOnce();

        assertThat(host.appChanges)
                .as("the engine's own earlier write is not reported as a calendar edit")
                .isEmpty();
        assertThat(host.conflicts).isEmpty();
        assertThat(withKey())
                .as("one event for the key, with the app's newest change")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.summary()).isEqualTo("Interview (moved again)");
                    assertThat(e.start().toInstant(ZoneOffset.UTC))
                            .isEqualTo(NINE.withHour(14).toInstant());
                });
        assertThat(real.outbox(ALICE)).isEmpty();
        assertThat(real.pendingWrite(CAL, id))
                .as("settled with the push's outcome")
                .isEmpty();
        assertThat(real.mappings(CAL))
                .singleElement()
                .satisfies(m -> assertThat(m.base().summary()).isEqualTo("Interview (moved again)"));
    }
}
