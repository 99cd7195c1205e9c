package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;

/**
 * The fault soak of the acceptance: 2,000 app events pushed and 2,000 external changes pulled while 10% of
 * the engine's calls fail at random (429, 5xx, answers lost after commit). The final state must equal the
 * fault-free run's, with no duplicate and no lost event. Time is a fake clock: nothing sleeps.
 */
class FaultSoakTest {
    static final int MAILBOXES = 20;
    static final int ROUNDS = 10;
    static final int APP_OPS_PER_ROUND = 200;
    static final int EXTERNAL_OPS_PER_ROUND = 200;
    static final ZonedDateTime BASE = ZonedDateTime.of(2026, 4, 1, 8, 0, 0, 0, ZoneOffset.UTC);

    record Outcome(
            Map<String, String> state, int pushed, int externalChanges, long faults, long calls, long dbFaults) {}

    @Test
    void finalStateWithTenPercentFaultsEqualsTheFaultFreeRun() {
        Outcome clean = run(0.0, 0.0);
        Outcome faulty = run(0.10, 0.0);
        assertThat(clean.pushed()).isEqualTo(ROUNDS * APP_OPS_PER_ROUND);
        assertThat(clean.externalChanges()).isEqualTo(ROUNDS * EXTERNAL_OPS_PER_ROUND);
        assertThat(faulty.faults()).as("faults injected").isGreaterThan(faulty.calls() / 20);
        assertThat(faulty.state()).isEqualTo(clean.state());
        System.out.println("soak: " + faulty.calls() + " calls, " + faulty.faults() + " faults injected, "
                + faulty.state().size() + " events in the final state");
    }

    /**
     * The same soak with database faults added to the provider's (issue 15): the store is H2 behind a DataSource
     * that drops connections and fails commits (before and after they took effect) at random, on the engine's
     * claims, passes and write-backs and on the host's own enqueues (which the host retries, as it would its own
     * transaction). Leases are short, so the leases of passes whose write-back failed run out soon. The final
     * state must still equal the fault-free run's: no duplicate, nothing lost.
     */
    @Test
    void withDatabaseFaultsAddedTheFinalStateStillEqualsTheFaultFreeRun() {
        Outcome clean = run(0.0, 0.0);
        Outcome faulty = run(0.10, 0.005);
        assertThat(faulty.dbFaults()).as("database faults injected").isGreaterThan(20);
        assertThat(faulty.state()).isEqualTo(clean.state());
        System.out.println("soak with database faults: " + faulty.calls() + " provider calls, " + faulty.faults()
                + " provider faults, " + faulty.dbFaults() + " database faults, "
                + faulty.state().size() + " events");
    }

    static Event event(String title, int slot) {
        ZonedDateTime s = BASE.plusMinutes(30L * slot);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusMinutes(30)))
                .build();
    }

    Outcome run(double faultRate, double dbFaultRate) {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
        List<Mailbox> mailboxes = new ArrayList<>();
        com.zaxxer.hikari.HikariDataSource pool = null;
        InstrumentedDataSource db = null;
        if (dbFaultRate > 0) {
            com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
            cfg.setJdbcUrl("jdbc:h2:mem:soak-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            cfg.setUsername("sa");
            cfg.setPassword("");
            cfg.setMaximumPoolSize(4);
            pool = new com.zaxxer.hikari.HikariDataSource(cfg);
            db = new InstrumentedDataSource(pool, 17);
        }
        try (com.zaxxer.hikari.HikariDataSource closePool = pool;
                InMemoryCalendarService service = InMemoryCalendarService.builder()
                        .clock(clock)
                        .changePageSize(50)
                        .build();
                SyncStateStore store = db == null ? new InMemorySyncStateStore() : JdbcSyncStateStore.of(db)) {
            for (int i = 0; i < MAILBOXES; i++) {
                Mailbox m = Mailbox.of("user" + i + "@example.com");
                service.addUser(m, "User " + i);
                mailboxes.add(m);
            }
            FaultInjectingConnections faulty = new FaultInjectingConnections(service, 42, faultRate);
            HostRecorder host = new HostRecorder();
            SyncEngine.Builder builder = SyncEngine.builder()
                    .store(store)
                    .connections(faulty)
                    .listener(host)
                    .clock(clock)
                    .random(new Random(7))
                    .nodeId("soak");
            if (db != null) {
                builder.leaseTtl(Duration.ofMillis(300)); // leases are on the database's clock: real time
            }
            SyncEngine engine = builder.build();
            engine.saveIntegration(Integration.active("soak", "memory"));
            mailboxes.forEach(m -> engine.addMailbox("soak", m));
            if (db != null) {
                db.faultRate(dbFaultRate);
            }

            Random work = new Random(2026); // the same workload in both runs
            Map<EventKey, Mailbox> liveKeys = new LinkedHashMap<>();
            Map<String, Event> expectedApp = new TreeMap<>();
            Map<Mailbox, List<String>> liveExternal = new HashMap<>();
            int nextKey = 0;
            int nextExternal = 0;
            int externalChanges = 0;
            int pushes = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < APP_OPS_PER_ROUND; i++) {
                    double d = work.nextDouble();
                    if (d < 0.6 || liveKeys.size() < 10) {
                        Mailbox m = mailboxes.get(work.nextInt(MAILBOXES));
                        EventKey key = EventKey.of("app-" + nextKey++);
                        Event e = event("App " + key, work.nextInt(200));
                        hostRetries(() -> engine.enqueue(OutboxEntry.upsert(CalendarRef.primary(m), key, e)));
                        liveKeys.put(key, m);
                        expectedApp.put(m.normalized() + "/" + key, e);
                    } else {
                        List<EventKey> keys = new ArrayList<>(liveKeys.keySet());
                        EventKey key = keys.get(work.nextInt(keys.size()));
                        Mailbox m = liveKeys.get(key);
                        if (d < 0.9) {
                            Event e = event("App " + key + " r" + round + "." + i, work.nextInt(200));
                            hostRetries(() -> engine.enqueue(OutboxEntry.upsert(CalendarRef.primary(m), key, e)));
                            expectedApp.put(m.normalized() + "/" + key, e);
                        } else {
                            hostRetries(() -> engine.enqueue(OutboxEntry.delete(CalendarRef.primary(m), key)));
                            liveKeys.remove(key);
                            expectedApp.remove(m.normalized() + "/" + key);
                        }
                    }
                    pushes++;
                }
                service.faults().clear(); // external people's edits are not the engine's calls
                for (int i = 0; i < EXTERNAL_OPS_PER_ROUND; i++) {
                    Mailbox m = mailboxes.get(work.nextInt(MAILBOXES));
                    CalendarRef cal = CalendarRef.primary(m);
                    List<String> ids = liveExternal.computeIfAbsent(m, x -> new ArrayList<>());
                    double d = work.nextDouble();
                    CalendarConnection c = service.connect(m);
                    if (d < 0.6 || ids.isEmpty()) {
                        Event created = c.writer()
                                .create(
                                        cal,
                                        EventKey.of("ext-" + nextExternal),
                                        event("Ext " + nextExternal++, work.nextInt(200)));
                        ids.add(created.id().orElseThrow());
                    } else if (d < 0.85) {
                        String id = ids.get(work.nextInt(ids.size()));
                        Event now = c.reader().get(cal, id).orElseThrow();
                        c.writer()
                                .update(
                                        cal,
                                        now.toBuilder()
                                                .start(now.start())
                                                .end(now.end())
                                                .time(
                                                        EventTime.of(BASE.plusMinutes(30L * work.nextInt(200))),
                                                        EventTime.of(
                                                                BASE.plusMinutes(30L * work.nextInt(200) + 10_000)))
                                                .build());
                    } else {
                        String id = ids.remove(work.nextInt(ids.size()));
                        c.writer().delete(cal, id, null);
                    }
                    externalChanges++;
                }
                Instant changedAt = clock.instant();
                for (int pass = 0; pass < 2; pass++) {
                    clock.advance(Duration.ofMinutes(6));
                    runQuietly(engine);
                }
                if (round == ROUNDS - 1) {
                    converge(engine, store, clock, changedAt);
                }
            }
            assertThat(host.pushFailures).as("pushes given up").isEmpty();
            assertThat(host.appChanges)
                    .as("the engine's own writes are never reported as calendar changes")
                    .isEmpty();
            assertThat(host.removed).isEmpty();
            if (db != null) {
                db.faultRate(0);
            }
            Map<String, String> state = finalState(service, host, mailboxes, expectedApp);
            engine.close();
            return new Outcome(
                    state,
                    pushes,
                    externalChanges,
                    faulty.faults.get(),
                    faulty.calls.get(),
                    db == null ? 0 : db.faults.get());
        }
    }

    /** Passes until every outbox is empty and every mailbox has synced cleanly after the last change. */
    static void converge(SyncEngine engine, SyncStateStore store, MutableClock clock, Instant lastChange) {
        for (int i = 0; i < 600; i++) {
            boolean done;
            try {
                done = store.mailboxes().stream()
                        .allMatch(m -> m.pendingPushes() == 0
                                && m.lastError() == null
                                && m.lastSyncAt() != null
                                && m.lastSyncAt().isAfter(lastChange));
            } catch (RuntimeException dbFault) {
                done = false;
            }
            if (done) {
                return;
            }
            clock.advance(Duration.ofMinutes(6));
            if (runQuietly(engine).results().isEmpty()) {
                sleep(20); // leases left by a failed write-back run out on the database's clock
            }
        }
        throw new AssertionError("sync did not converge: " + store.mailboxes());
    }

    /** A host retries its own write when the database failed it (enqueue replaces a pending entry of the key). */
    static void hostRetries(Runnable write) {
        for (int attempt = 0; ; attempt++) {
            try {
                write.run();
                return;
            } catch (org.calsdk.errors.ProviderUnavailableException e) {
                if (attempt > 20) {
                    throw e;
                }
            }
        }
    }

    /** A run of the engine; a store failure outside any pass (its claim) ends the run, as in the background loop. */
    static SyncReport runQuietly(SyncEngine engine) {
        try {
            return engine.runOnce();
        } catch (RuntimeException e) {
            return new SyncReport(List.of(), Duration.ZERO);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every calendar's content and the host's view, keyed by what is stable across runs (keys and titles). */
    static Map<String, String> finalState(
            InMemoryCalendarService service,
            HostRecorder host,
            List<Mailbox> mailboxes,
            Map<String, Event> expectedApp) {
        Map<String, String> state = new TreeMap<>();
        Map<String, Integer> perKey = new HashMap<>();
        Map<String, String> calendarExternal = new TreeMap<>();
        for (Mailbox m : mailboxes) {
            for (Event e : service.events(CalendarRef.primary(m))) {
                String key = e.key().map(EventKey::value).orElseThrow();
                if (key.startsWith("app-")) {
                    String k = m.normalized() + "/" + key;
                    perKey.merge(k, 1, Integer::sum);
                    state.put("app/" + k, e.summary() + "@" + e.start());
                } else {
                    calendarExternal.put(m.normalized() + "/" + e.summary(), e.start() + "-" + e.end());
                }
            }
        }
        assertThat(perKey.values()).as("no duplicate app event").allMatch(n -> n == 1);
        Map<String, String> expected = new TreeMap<>();
        expectedApp.forEach((k, e) -> expected.put("app/" + k, e.summary() + "@" + e.start()));
        assertThat(state).as("every app event as last desired, nothing lost").isEqualTo(expected);

        Map<String, String> hostExternal = new TreeMap<>();
        host.external.forEach((id, e) ->
                hostExternal.put(id.substring(0, id.indexOf('/')) + "/" + e.summary(), e.start() + "-" + e.end()));
        assertThat(hostExternal)
                .as("the host sees exactly the calendars' external events")
                .isEqualTo(calendarExternal);
        calendarExternal.forEach((k, v) -> state.put("ext/" + k, v));
        return state;
    }
}
