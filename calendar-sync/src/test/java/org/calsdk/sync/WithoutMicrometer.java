package org.calsdk.sync;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;

/**
 * Run by {@link MicrometerSyncMetricsTest} in a class loader without Micrometer: a push and a pass, with the
 * engine's own metrics hook. Answers how many passes the hook heard of.
 */
public final class WithoutMicrometer implements Callable<Integer> {
    @Override
    public Integer call() {
        Mailbox alice = Mailbox.of("alice@example.com");
        CalendarRef cal = CalendarRef.primary(alice);
        AtomicInteger passes = new AtomicInteger();
        ZonedDateTime nine = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        try (InMemoryCalendarService service = InMemoryCalendarService.builder()
                .clock(new MutableClock(Instant.parse("2026-03-01T08:00:00Z")))
                .build()) {
            service.addUser(alice, "Alice");
            try (SyncEngine engine = SyncEngine.builder()
                    .store(new InMemorySyncStateStore())
                    .connections((i, m) -> service.connect(m))
                    .nodeId("plain")
                    .metrics(new SyncMetrics() {
                        @Override
                        public void mailboxSynced(String p, Mailbox m, java.time.Duration d, int pulled, int pushes) {
                            passes.incrementAndGet();
                        }
                    })
                    .build()) {
                engine.saveIntegration(Integration.active("team", "memory"));
                engine.addMailbox("team", alice);
                engine.enqueue(OutboxEntry.upsert(
                        cal,
                        EventKey.of("k"),
                        Event.builder()
                                .summary("Interview")
                                .start(EventTime.of(nine))
                                .end(EventTime.of(nine.plusHours(1)))
                                .build()));
                engine.runOnce();
                if (service.events(cal).size() != 1) {
                    throw new IllegalStateException(
                            "push did not arrive: " + service.events(cal).size());
                }
            }
        }
        return passes.get();
    }
}
