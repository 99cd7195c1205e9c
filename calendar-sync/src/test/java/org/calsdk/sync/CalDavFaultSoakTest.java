package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.Test;

/**
 * The fault soak over the wire: the CalDAV provider against the testkit's fake CalDAV server, which fails
 * 10% of HTTP calls at random (429, 500, 503, connection resets, truncated bodies, answers dropped after
 * the change was made). Smaller than the reference-provider soak (HTTP costs more); the same demands:
 * the final state equals the fault-free run's, no duplicate, no loss. The transport's retry pauses are
 * skipped (a no-op sleeper); the engine's backoff runs on a fake clock.
 */
class CalDavFaultSoakTest {
    static final int USERS = 4;
    static final int ROUNDS = 3;
    static final int OPS = 40;
    static final ZonedDateTime BASE = ZonedDateTime.of(2026, 4, 1, 8, 0, 0, 0, ZoneOffset.UTC);
    static final DateTimeFormatter ICS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Test
    void finalStateOverFaultyHttpEqualsTheFaultFreeRun() {
        Map<String, String> clean = run(false);
        Map<String, String> faulty = run(true);
        assertThat(faulty).isEqualTo(clean);
    }

    static Event event(String title, int slot) {
        ZonedDateTime s = BASE.plusMinutes(30L * slot);
        return Event.builder()
                .summary(title)
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusMinutes(30)))
                .build();
    }

    static String ics(String uid, String title, int slot) {
        ZonedDateTime s = BASE.plusMinutes(30L * slot);
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//soak//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + ICS.format(s) + "\r\nDTEND:"
                + ICS.format(s.plusMinutes(30))
                + "\r\nSUMMARY:" + title + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    Map<String, String> run(boolean faults) {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
        FakeCalDavServer.Builder b = FakeCalDavServer.builder();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add("user" + i);
            b.user("user" + i, "pw" + i).calendar("user" + i, "calendar", "Calendar");
        }
        try (FakeCalDavServer dav = b.build().start();
                HttpTransport transport = HttpTransport.builder()
                        .provider("caldav")
                        .sleeper(d -> {})
                        .retryPolicy(RetryPolicy.custom().maxAttempts(2).build())
                        .build()) {
            CalendarProviders providers = CalendarProviders.of(new CalDavProvider());
            SyncConnections connections = (integration, mailbox) -> providers.connect(dav.connectionConfig(
                            mailbox.email().substring(0, mailbox.email().indexOf('@')))
                    .transport(transport)
                    .build());
            SyncStateStore store = new InMemorySyncStateStore();
            HostRecorder host = new HostRecorder();
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .listener(host)
                    .clock(clock)
                    .random(new Random(5))
                    .nodeId("dav-soak")
                    .build();
            engine.saveIntegration(Integration.active("dav", "caldav"));
            List<Mailbox> mailboxes = new ArrayList<>();
            for (String u : users) {
                Mailbox m = Mailbox.of(u + "@example.com");
                mailboxes.add(m);
                engine.addMailbox("dav", m);
            }
            engine.runOnce(); // initial full reads, before any fault
            if (faults) {
                dav.faults()
                        .add(FaultRule.onAnyOperation()
                                .randomly(11, 10.0)
                                .inject(
                                        Fault.tooManyRequests(Duration.ofSeconds(1)),
                                        Fault.serverError(),
                                        Fault.unavailable(),
                                        Fault.connectionReset(),
                                        Fault.truncatedBody(),
                                        Fault.dropResponseAfterCommit()));
            }
            Random work = new Random(77);
            Map<EventKey, Mailbox> live = new LinkedHashMap<>();
            Map<String, String> expected = new TreeMap<>();
            Map<String, List<String>> externals = new HashMap<>();
            int next = 0;
            int nextExt = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < OPS; i++) {
                    double d = work.nextDouble();
                    if (d < 0.6 || live.isEmpty()) {
                        Mailbox m = mailboxes.get(work.nextInt(USERS));
                        EventKey key = EventKey.of("app-" + next++);
                        String title = "App " + key;
                        engine.enqueue(
                                OutboxEntry.upsert(CalendarRef.primary(m), key, event(title, work.nextInt(100))));
                        live.put(key, m);
                        expected.put("app/" + m.normalized() + "/" + key, title);
                    } else {
                        List<EventKey> keys = new ArrayList<>(live.keySet());
                        EventKey key = keys.get(work.nextInt(keys.size()));
                        Mailbox m = live.get(key);
                        if (d < 0.9) {
                            String title = "App " + key + " r" + round + "." + i;
                            engine.enqueue(
                                    OutboxEntry.upsert(CalendarRef.primary(m), key, event(title, work.nextInt(100))));
                            expected.put("app/" + m.normalized() + "/" + key, title);
                        } else {
                            engine.enqueue(OutboxEntry.delete(CalendarRef.primary(m), key));
                            live.remove(key);
                            expected.remove("app/" + m.normalized() + "/" + key);
                        }
                    }
                    // another client edits the calendars directly on the server (no faults on that path)
                    String user = users.get(work.nextInt(USERS));
                    List<String> mine = externals.computeIfAbsent(user, u -> new ArrayList<>());
                    double e = work.nextDouble();
                    if (e < 0.6 || mine.isEmpty()) {
                        String name = "ext-" + nextExt++;
                        dav.putEvent(user, "calendar", name + ".ics", ics(name, "Ext " + name, work.nextInt(100)));
                        mine.add(name);
                    } else if (e < 0.85) {
                        String name = mine.get(work.nextInt(mine.size()));
                        dav.putEvent(
                                user,
                                "calendar",
                                name + ".ics",
                                ics(name, "Ext " + name + " v" + round + "." + i, work.nextInt(100)));
                    } else {
                        dav.removeEvent(user, "calendar", mine.remove(work.nextInt(mine.size())) + ".ics");
                    }
                }
                clock.advance(Duration.ofMinutes(6));
                engine.runOnce();
            }
            Instant lastChange = clock.instant();
            FaultSoakTest.converge(engine, store, clock, lastChange);
            assertThat(host.pushFailures).isEmpty();
            assertThat(host.appChanges)
                    .as("own writes are not reported as calendar edits")
                    .isEmpty();
            assertThat(host.removed).isEmpty();
            engine.close();

            if (faults) {
                assertThat(dav.faults().injectedCount())
                        .as("faults injected")
                        .isGreaterThan(dav.accounting().totalCalls() / 20);
                System.out.println("caldav soak: " + dav.accounting().totalCalls() + " HTTP calls, "
                        + dav.faults().injectedCount() + " faults injected");
            }
            dav.faults().clear();
            Map<String, String> state = new TreeMap<>();
            Map<String, String> calendarExternal = new TreeMap<>();
            Map<String, Integer> perKey = new HashMap<>();
            TimeWindow all = TimeWindow.of(BASE.minusDays(1).toInstant(), Duration.ofDays(30));
            for (Mailbox m : mailboxes) {
                try (CalendarConnection c = connections.connect(Integration.active("dav", "caldav"), m)) {
                    for (Event e : c.reader().listAll(CalendarRef.primary(m), all)) {
                        if (e.summary().startsWith("App ")) {
                            String k =
                                    "app/" + m.normalized() + "/" + e.summary().split(" ")[1];
                            perKey.merge(k, 1, Integer::sum);
                            state.put(k, e.summary());
                        } else {
                            calendarExternal.put(
                                    m.normalized() + "/" + e.summary(),
                                    e.start().toString());
                        }
                    }
                }
            }
            assertThat(perKey.values()).as("no duplicate").allMatch(n -> n == 1);
            assertThat(state).isEqualTo(expected);
            Map<String, String> hostExternal = new TreeMap<>();
            host.external.forEach((id, e) -> hostExternal.put(
                    id.substring(0, id.indexOf('/')) + "/" + e.summary(),
                    e.start().toString()));
            assertThat(hostExternal).isEqualTo(calendarExternal);
            calendarExternal.forEach((k, v) -> state.put("ext/" + k, v));
            return state;
        }
    }
}
