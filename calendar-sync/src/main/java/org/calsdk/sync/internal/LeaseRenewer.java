package org.calsdk.sync.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.calsdk.sync.MailboxLease;
import org.calsdk.sync.SyncStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease of a running pass every third of its time to live, on a timer of its own, so the lease
 * stays this pass's while the pass is busy in a provider call (a slow connect, a long full read) or in the
 * host's listener, none of which reach a checkpoint. When a renewal finds the lease lost the pass is told
 * ({@link #lost()}); its writes are refused by the store's fence in any case. One daemon thread renews for
 * every pass of the JVM: a renewal is one short update. A pass stuck longer than
 * {@code maxPassTime} is no longer renewed, so a call that never returns cannot hold a mailbox forever.
 */
final class LeaseRenewer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewer.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "calsdk-sync-lease-renewer");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;
    private volatile boolean lost;
    private volatile boolean givenUp;

    LeaseRenewer(SyncStateStore store, MailboxLease lease, EngineSettings s) {
        Duration ttl = s.leaseTtl();
        long every = Math.max(1, ttl.toMillis() / 3);
        long until = System.nanoTime() + s.maxPassTime().toNanos();
        this.task = TIMER.scheduleWithFixedDelay(
                () -> {
                    if (lost || givenUp) {
                        return;
                    }
                    if (System.nanoTime() - until > 0) {
                        givenUp = true;
                        // stuck past maxPassTime: let the lease run out so another engine takes over; the fence stops
                        // us
                        LOG.warn(
                                "pass of {} still running after {}; its lease is no longer renewed",
                                lease.mailbox(),
                                s.maxPassTime());
                        return;
                    }
                    try {
                        if (!store.renewLease(lease, s.clock().instant(), ttl)) {
                            lost = true;
                            LOG.warn("lease on {} lost while its pass ran; the pass stops", lease.mailbox());
                        }
                    } catch (RuntimeException e) {
                        // the store is unreachable: try again at the next tick; the fence refuses writes if it is lost
                        LOG.debug("could not renew the lease on {}: {}", lease.mailbox(), e.getMessage());
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    /** Whether a renewal found the lease taken by another pass. */
    boolean lost() {
        return lost;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
