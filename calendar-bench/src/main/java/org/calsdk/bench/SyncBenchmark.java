package org.calsdk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.InMemorySyncStateStore;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.OutboxEntry;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncReport;
import org.calsdk.sync.SyncStateStore;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One sync pass over one newly connected mailbox that pushes 100 app events and pulls 100 external
 * events, on the in-memory reference provider, with the in-memory store and with the H2 file store: what
 * the engine and its store cost per event, with no network. Each invocation uses a fresh mailbox (the
 * store keeps growing, as a real one does; one calendar does not).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SyncBenchmark {
    static final int EVENTS = 100;

    @Param({"memory", "h2"})
    public String store;

    InMemoryCalendarService service;
    SyncStateStore state;
    SyncEngine engine;
    Path dir;
    long round;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        service = InMemoryCalendarService.builder().build();
        if (store.equals("h2")) {
            dir = Files.createTempDirectory("sync-bench");
            state = JdbcSyncStateStore.h2(dir);
        } else {
            state = new InMemorySyncStateStore();
        }
        engine = SyncEngine.builder()
                .store(state)
                .connections((i, m) -> service.connect(m))
                .nodeId("bench")
                .build();
        engine.saveIntegration(Integration.active("bench", "memory"));
    }

    @Setup(Level.Invocation)
    public void work() {
        round++;
        Mailbox m = Mailbox.of("user" + round + "@example.com");
        CalendarRef cal = CalendarRef.primary(m);
        service.addUser(m, "User " + round);
        CalendarConnection other = service.connect(m);
        engine.addMailbox("bench", m);
        ZonedDateTime t = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < EVENTS; i++) {
            Event e = Event.builder()
                    .summary("E" + i)
                    .start(EventTime.of(t.plusHours(i)))
                    .end(EventTime.of(t.plusHours(i + 1)))
                    .build();
            engine.enqueue(OutboxEntry.upsert(cal, EventKey.of("app-" + i), e));
            other.writer().create(cal, EventKey.of("ext-" + i), e);
        }
    }

    @Benchmark
    public SyncReport passPushing100AndPulling100() {
        return engine.runOnce();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        state.close();
        service.close();
    }
}
