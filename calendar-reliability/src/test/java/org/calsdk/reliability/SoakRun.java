package org.calsdk.reliability;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.EventChange;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.Sleeper;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;

/**
 * One seeded workload against one provider's fake, the way a host (or the sync engine's outbox) drives a
 * provider: every logical change is made idempotently (find by key, then create / conditional update /
 * delete, again after any failure), a change-feed mirror is kept from incremental reads (a full read after
 * ResyncRequired), and a revoked grant is answered by connecting again. With {@code faults} the fake
 * injects, at random (seeded), every fault kind the issue names; the same seed without faults is the
 * reference run.
 */
final class SoakRun {
    static final LocalDate DAY0 = LocalDate.of(2031, 3, 3);
    static final TimeWindow WINDOW = TimeWindow.of(
            DAY0.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
            DAY0.plusDays(60).atStartOfDay(ZoneOffset.UTC).toInstant());
    /** How often a logical step is tried before the soak gives up on it (a failure of the suite). */
    static final int MAX_TRIES = 40;

    /** The figures of one run. */
    record Figures(
            String provider,
            long seed,
            int operations,
            long calls,
            long faults,
            long transportRetries,
            long appRetries,
            long relinks,
            long resyncs,
            long duplicates,
            long lost,
            long feedMismatches,
            boolean batchFaultSurvived,
            Map<String, String> finalState) {
        String line() {
            return String.format(
                    "%-7s seed=%d ops=%d calls=%d faults=%d retries=%d (transport %d, app %d) relinks=%d "
                            + "resyncs=%d duplicates=%d lost=%d feedMismatches=%d batchFault=%s",
                    provider,
                    seed,
                    operations,
                    calls,
                    faults,
                    transportRetries + appRetries,
                    transportRetries,
                    appRetries,
                    relinks,
                    resyncs,
                    duplicates,
                    lost,
                    feedMismatches,
                    batchFaultSurvived ? "survived" : "FAILED");
        }
    }

    private final Target target;
    private final long seed;
    private final int operations;
    private final boolean faults;
    private final AtomicLong pauses = new AtomicLong();
    private final Sleeper sleeper = d -> pauses.incrementAndGet(); // records the retry, does not wait
    private CalendarConnection connection;
    private CalendarRef calendar;
    private long appRetries;
    private long relinks;
    private long resyncs;
    private final Map<String, String> mirror = new HashMap<>(); // event id -> summary, from the change feed
    private SyncCursor cursor = SyncCursor.START;

    SoakRun(Target target, long seed, int operations, boolean faults) {
        this.target = target;
        this.seed = seed;
        this.operations = operations;
        this.faults = faults;
    }

    Figures run() {
        connection = target.connect(Target.quickRetries(), sleeper);
        calendar = CalendarRef.primary(Mailbox.of(Target.ALICE));
        try {
            if (faults) {
                armFaults();
            }
            Random r = new Random(seed);
            int keys = Math.max(6, operations / 4);
            Map<Integer, Integer> expected = new TreeMap<>(); // key index -> version (absent: no event)
            for (int i = 0; i < operations; i++) {
                int k = r.nextInt(keys);
                Integer v = expected.get(k);
                if (v == null) {
                    create(k);
                    expected.put(k, 0);
                } else if (r.nextInt(10) < 6) {
                    update(k, v + 1);
                    expected.put(k, v + 1);
                } else {
                    delete(k);
                    expected.remove(k);
                }
                if (i % 5 == 4) {
                    readFeed();
                }
            }
            readFeed();
            boolean batch = batchFault();
            target.faults().clear();
            // the truth, read without faults
            Map<String, String> finalState = new TreeMap<>();
            long duplicates = 0;
            for (Event e : connection.reader().listAll(calendar, WINDOW)) {
                String key = e.summary().split(" ")[0];
                if (finalState.put(key, describe(e)) != null) {
                    duplicates++;
                }
            }
            long lost = 0;
            for (Map.Entry<Integer, Integer> e : expected.entrySet()) {
                String want = key(e.getKey()) + " v" + e.getValue();
                String got = finalState.get(key(e.getKey()));
                if (got == null || !got.startsWith(want + "|")) {
                    lost++;
                }
            }
            lost += finalState.keySet().stream()
                    .filter(k -> !expected.containsKey(Integer.parseInt(k.substring(1))))
                    .count();
            long feedMismatches = feedMismatches(finalState);
            long injected = target.faults().injectedCount();
            return new Figures(
                    target.name(),
                    seed,
                    operations,
                    target.accounting().totalCalls(),
                    injected,
                    pauses.get(),
                    appRetries,
                    relinks,
                    resyncs,
                    duplicates,
                    lost,
                    feedMismatches,
                    batch,
                    finalState);
        } finally {
            target.faults().clear();
            connection.close();
        }
    }

    private void armFaults() {
        // ~12% of all calls: every kind of misbehaviour, chosen by the seed
        target.faults()
                .add(FaultRule.onAnyOperation()
                        .randomly(seed, 12)
                        .inject(
                                Fault.latency(Duration.ofMillis(30)),
                                Fault.tooManyRequests(),
                                Fault.tooManyRequests(Duration.ofSeconds(2)),
                                Fault.serverError(),
                                Fault.unavailable(),
                                Fault.connectionReset(),
                                Fault.truncatedBody(),
                                Fault.slowBody(256, Duration.ofMillis(2)),
                                Fault.dropResponseAfterCommit(),
                                Fault.revokedToken()));
        // expired cursors: 8% of change reads (each page of a paged read can be hit)
        target.faults()
                .add(FaultRule.on(target.changesOperation())
                        .randomly(seed + 1, 8)
                        .inject(Fault.invalidSyncToken()));
    }

    private static String key(int k) {
        return String.format("k%03d", k);
    }

    private static String describe(Event e) {
        return e.summary() + "|" + e.start() + "|" + e.end();
    }

    private static Event event(int k, int version) {
        ZonedDateTime start =
                ZonedDateTime.of(DAY0.plusDays(k / 8), java.time.LocalTime.of(8 + k % 8, 0), ZoneOffset.UTC);
        return Event.builder()
                .summary(key(k) + " v" + version)
                .start(EventTime.of(start))
                .end(EventTime.of(start.plusMinutes(45)))
                .build();
    }

    private void create(int k) {
        EventKey key = EventKey.of("soak-" + seed + "-" + key(k));
        step(() -> {
            Optional<Event> there = connection.reader().findByKey(calendar, key);
            if (there.isEmpty()) {
                connection.writer().create(calendar, key, event(k, 0));
            }
            return null;
        });
    }

    private void update(int k, int version) {
        EventKey key = EventKey.of("soak-" + seed + "-" + key(k));
        step(() -> {
            Event current = connection
                    .reader()
                    .findByKey(calendar, key)
                    .orElseThrow(() -> new AssertionError("lost before update: " + key));
            if (!current.summary().equals(key(k) + " v" + version)) {
                connection
                        .writer()
                        .update(
                                calendar,
                                current.toBuilder()
                                        .summary(key(k) + " v" + version)
                                        .build());
            }
            return null;
        });
    }

    private void delete(int k) {
        EventKey key = EventKey.of("soak-" + seed + "-" + key(k));
        step(() -> {
            Optional<Event> current = connection.reader().findByKey(calendar, key);
            if (current.isPresent()) {
                connection
                        .writer()
                        .delete(
                                calendar,
                                current.get().id().orElseThrow(),
                                current.get().version().orElse(null));
            }
            return null;
        });
    }

    /** Runs one idempotent step until it succeeds; a typed failure is retried, anything else fails the soak. */
    private <T> T step(Supplier<T> body) {
        CalendarException last = null;
        for (int i = 0; i < MAX_TRIES; i++) {
            try {
                return body.get();
            } catch (ReauthorizationRequiredException e) {
                // the grant was revoked: the host relinks (a new connection) and carries on
                relinks++;
                appRetries++;
                last = e;
                connection.close();
                connection = target.connect(Target.quickRetries(), sleeper);
            } catch (CalendarException e) {
                appRetries++;
                last = e;
            }
        }
        throw new AssertionError("a step failed " + MAX_TRIES + " times on " + target.name(), last);
    }

    private void readFeed() {
        step(() -> {
            SyncCursor from = cursor;
            Map<String, String> next = from.isStart() ? new HashMap<>() : new HashMap<>(mirror);
            for (int page = 0; page < 10_000; page++) {
                ChangeBatch b = connection.changes().changes(calendar, from);
                if (b instanceof ChangeBatch.ResyncRequired) {
                    resyncs++;
                    cursor = SyncCursor.START;
                    throw new ResyncSignal();
                }
                ChangeBatch.Changes c = (ChangeBatch.Changes) b;
                for (EventChange ch : c.changes()) {
                    if (ch instanceof EventChange.Upserted u) {
                        if (inWindow(u.event())) {
                            next.put(u.eventId(), u.event().summary());
                        }
                    } else {
                        next.remove(ch.eventId());
                    }
                }
                from = c.next();
                if (!c.hasMore()) {
                    break;
                }
            }
            mirror.clear();
            mirror.putAll(next);
            cursor = from;
            return null;
        });
    }

    private static boolean inWindow(Event e) {
        return e.summary().matches("k\\d{3} v\\d+");
    }

    /** A resync restarts the read from START inside the same step (a typed, expected outcome). */
    private static final class ResyncSignal extends CalendarException {
        ResyncSignal() {
            super("resync", org.calsdk.errors.ErrorContext.of("soak"));
        }
    }

    private long feedMismatches(Map<String, String> finalState) {
        List<String> fromFeed = new ArrayList<>(mirror.values());
        List<String> truth = new ArrayList<>();
        finalState.values().forEach(v -> truth.add(v.substring(0, v.indexOf('|'))));
        fromFeed.sort(null);
        truth.sort(null);
        if (fromFeed.equals(truth)) {
            return 0;
        }
        List<String> a = new ArrayList<>(fromFeed);
        a.removeAll(truth);
        List<String> b = new ArrayList<>(truth);
        b.removeAll(fromFeed);
        return a.size() + b.size();
    }

    /**
     * One failing sub-request inside a multi-mailbox free/busy call (a batch part for Google and Graph): the
     * other mailboxes are answered, and asking again for the failed one answers it.
     */
    private boolean batchFault() {
        target.faults().clear();
        List<Mailbox> who = List.of(Mailbox.of(Target.ALICE), Mailbox.of(Target.BOB), Mailbox.of(Target.CAROL));
        FreeBusyRequest req = FreeBusyRequest.of(who, WINDOW);
        FreeBusyResult reference = step(() -> connection.freeBusy().query(req));
        target.faults().add(FaultRule.on(target.freeBusyOperation()).times(1).inject(Fault.unavailable()));
        FreeBusyResult faulted;
        try {
            faulted = connection.freeBusy().query(req);
        } catch (CalendarException e) {
            if (target.freeBusyBatched()) {
                return false; // one bad part of a batch must not fail the whole call
            }
            // a provider without batches may fail its one call as a whole; asking again must answer
            faulted = step(() -> connection.freeBusy().query(req));
        }
        // the mailboxes of the failed part carry their own error; the others are answered
        List<Mailbox> failed = faulted.results().stream()
                .filter(f -> f.error() != null)
                .map(FreeBusy::mailbox)
                .toList();
        Map<Mailbox, List<BusyInterval>> got = new HashMap<>();
        faulted.results().stream().filter(f -> f.error() == null).forEach(f -> got.put(f.mailbox(), f.busy()));
        if (!failed.isEmpty()) {
            FreeBusyResult again = step(() -> connection.freeBusy().query(FreeBusyRequest.of(failed, WINDOW)));
            again.results().forEach(f -> got.put(f.mailbox(), f.busy()));
        }
        for (FreeBusy f : reference.results()) {
            if (!f.busy().equals(got.get(f.mailbox()))) {
                return false;
            }
        }
        return true;
    }
}
