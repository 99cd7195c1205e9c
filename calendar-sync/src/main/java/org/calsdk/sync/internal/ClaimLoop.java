package org.calsdk.sync.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.calsdk.sync.Integration;
import org.calsdk.sync.MailboxSyncResult;
import org.calsdk.sync.SyncStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the engine's schedule over the store's due queue. Claims due mailboxes in batches
 * ({@link SyncStateStore#claimDue}: leases, state and cursors in a few round trips for the whole batch) and
 * keeps the workers busy: it claims again as soon as no more than one batch's worth is waiting, never waiting
 * for a whole batch to finish. The ends of the passes (final cursors, outcome, lease release) are written back
 * together ({@link SyncStateStore#finishPasses}) when enough have gathered or the workers go quiet for a moment.
 * A mailbox is synced at most once per run (one made due again during its pass is served by the next run, which
 * the request's wake-up starts at once). Oldest due first: app pushes and webhooks (due at 0) come ahead of
 * routine polls.
 */
public final class ClaimLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);
    /** Claims per round trip when passes run in the calling thread. */
    static final int SEQUENTIAL_CLAIM = 16;
    /** Pass ends written back in one transaction at most. */
    static final int MAX_WRITE_BACK = 256;
    /** How long the loop waits for a pass to end before it writes back what has ended so far. */
    static final long QUIET_MILLIS = 20;

    private record Done(MailboxSyncResult result, SyncStateStore.PassEnd end) {}

    private final EngineSettings s;
    private final PushSupervisor push;
    private final Batches batches;
    private final ExecutorService pool;
    private final int threads;
    private final BooleanSupplier closed;
    private final Map<String, Optional<Integration>> integrations = new ConcurrentHashMap<>();
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final List<SyncStateStore.PassEnd> ends = new ArrayList<>();
    private final List<MailboxSyncResult> results = new ArrayList<>();

    /**
     * @param pool    the worker pool, or null to run every pass in the calling thread
     * @param threads the pool's size (passes in flight)
     */
    public ClaimLoop(
            EngineSettings settings,
            PushSupervisor push,
            Batches batches,
            ExecutorService pool,
            int threads,
            BooleanSupplier closed) {
        this.s = settings;
        this.push = push;
        this.batches = batches;
        this.pool = pool;
        this.threads = pool == null ? 1 : threads;
        this.closed = closed;
    }

    private Optional<Integration> integration(String name) {
        // read once per run (an inactive one is never claimed; a removal fences passes in flight in any case)
        return integrations.computeIfAbsent(name, n -> s.store().integration(n));
    }

    /** Syncs what is due until the queue is empty (or the engine closes); returns every pass's result. */
    public List<MailboxSyncResult> run() {
        SyncStateStore store = s.store();
        Set<org.calsdk.sync.MailboxRef> attempted = new HashSet<>(); // one pass per (integration, mailbox) a run
        int outstanding = 0;
        boolean exhausted = false;
        try {
            while (!closed.getAsBoolean()) {
                if (!exhausted && outstanding <= (pool == null ? 0 : threads)) {
                    int want = pool == null ? SEQUENTIAL_CLAIM : 2 * threads - outstanding;
                    List<SyncStateStore.Claim> claims;
                    try {
                        claims = store.claimDue(
                                MailboxSync.leaseOwner(s.nodeId()), s.clock().instant(), want, s.leaseTtl());
                    } catch (RuntimeException e) {
                        // the store failed (a dropped connection): finish the passes in flight, claim again next run;
                        // leases a failed claim may have taken run out by themselves
                        LOG.warn("claiming due mailboxes failed: {}", e.toString());
                        claims = List.of();
                    }
                    List<SyncStateStore.Claim> fresh = new ArrayList<>();
                    for (SyncStateStore.Claim c : claims) {
                        if (attempted.add(org.calsdk.sync.MailboxRef.of(
                                c.status().integration(), c.lease().mailbox()))) {
                            fresh.add(c);
                        } else {
                            ends.add(SyncStateStore.PassEnd.release(c.lease())); // due again: the next run serves it
                        }
                    }
                    if (fresh.isEmpty()) {
                        exhausted = true;
                    }
                    for (SyncStateStore.Claim c : fresh) {
                        outstanding++;
                        if (pool == null) {
                            pass(c);
                        } else {
                            pool.execute(() -> pass(c));
                        }
                    }
                }
                if (outstanding == 0) {
                    break;
                }
                Done d = pool == null ? done.poll() : done.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                boolean quiet = d == null;
                while (d != null) {
                    outstanding--;
                    results.add(d.result());
                    if (d.end() != null) {
                        ends.add(d.end());
                    }
                    d = done.poll();
                }
                if (ends.size() >= Math.min(MAX_WRITE_BACK, Math.max(16, threads)) || quiet && !ends.isEmpty()) {
                    writeBack();
                }
            }
            while (outstanding > 0) { // closing: collect the passes still running
                Done d = done.poll(10, TimeUnit.SECONDS);
                if (d == null) {
                    break;
                }
                outstanding--;
                results.add(d.result());
                if (d.end() != null) {
                    ends.add(d.end());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writeBack();
        }
        return results;
    }

    private void pass(SyncStateStore.Claim claim) {
        MailboxSync sync = new MailboxSync(
                        s, claim.status().integration(), claim.lease().mailbox())
                .claimed(claim, this::integration)
                .via(batches);
        MailboxSyncResult r = null;
        try {
            r = sync.run(push);
        } catch (RuntimeException e) {
            LOG.warn(
                    "pass of {} ({}) failed: {}",
                    claim.lease().mailbox(),
                    claim.status().integration(),
                    e.toString());
        } finally {
            // always reported, even after an Error, so the loop never waits for a pass that is gone; a pass that
            // ended without an outcome leaves its lease to run out
            done.add(new Done(
                    r != null
                            ? r
                            : new MailboxSyncResult(
                                    claim.lease().mailbox(),
                                    MailboxSyncResult.Outcome.FAILED,
                                    0,
                                    0,
                                    Duration.ZERO,
                                    "the pass ended abnormally",
                                    claim.status().integration()),
                    r != null ? sync.end() : null));
        }
    }

    /**
     * Writes back the gathered ends in one transaction. When that fails (the database dropped the connection,
     * the commit failed) each is tried on its own; one that fails again is left: its lease runs out and the
     * mailbox is synced again from the cursor it had (nothing the pass saw is lost, deliveries are at least once).
     */
    private void writeBack() {
        if (ends.isEmpty()) {
            return;
        }
        List<SyncStateStore.PassEnd> batch = new ArrayList<>(ends);
        ends.clear();
        try {
            s.store().finishPasses(batch);
        } catch (RuntimeException e) {
            LOG.warn("writing back {} passes failed, trying each on its own: {}", batch.size(), e.toString());
            for (SyncStateStore.PassEnd end : batch) {
                try {
                    s.store().finishPasses(List.of(end));
                } catch (RuntimeException again) {
                    LOG.warn(
                            "the end of a pass of {} was not written; it is synced again when its lease runs out: {}",
                            end.lease().mailbox(),
                            again.toString());
                }
            }
        }
    }
}
