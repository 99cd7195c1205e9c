package org.calsdk.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * {@link SyncMetrics} recorded into a Micrometer {@link MeterRegistry}. This is the only class of the SDK
 * that uses Micrometer: {@code io.micrometer:micrometer-core} is an optional dependency of
 * {@code calendar-sync}, so a host that wants these meters adds micrometer-core itself (built and tested
 * against the version in the SDK's parent pom, 1.15.x; only the long-stable Timer/Counter builders are used);
 * a host that never mentions this class runs the engine without Micrometer on its class path.
 *
 * <p>Meters (tags never name a mailbox, a person or an event: they stay few, and carry nothing personal):
 * <ul>
 *   <li>{@code calsdk.sync.pass} timer, tags {@code provider}, {@code outcome} ({@code ok} or {@code failed}):
 *       how long mailbox passes take;</li>
 *   <li>{@code calsdk.sync.changes.pulled} and {@code calsdk.sync.changes.pushed} counters, tag
 *       {@code provider}: calendar changes read and outbox entries written by successful passes;</li>
 *   <li>{@code calsdk.sync.push.attempts} counter, tags {@code provider}, {@code operation}
 *       ({@code upsert}/{@code delete}), {@code outcome} ({@code ok}/{@code failed});</li>
 *   <li>{@code calsdk.sync.errors} counter, tags {@code provider}, {@code stage} ({@code pass}/{@code push}),
 *       {@code type} (the exception's simple class name, e.g. {@code RateLimitedException});</li>
 *   <li>after {@link #bindBacklog}: gauges {@code calsdk.sync.backlog.mailboxes.due},
 *       {@code …mailboxes.requested}, {@code …mailboxes.running}, {@code …due.age.seconds} (how long the
 *       oldest overdue poll has waited), {@code …outbox.depth} and {@code …outbox.failed}
 *       (see {@link SyncBacklog}).</li>
 * </ul>
 * Add common tags (application, region, …) through the registry's own configuration.
 *
 * <pre>{@code
 * MeterRegistry registry = ...; // the host's registry, e.g. a PrometheusMeterRegistry
 * SyncEngine engine = SyncEngine.builder()
 *         .store(store).connections(connections).listener(listener)
 *         .metrics(new MicrometerSyncMetrics(registry))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe; meters are registered on first use and then looked up by Micrometer's own cache.
 *
 * @since 0.1
 */
public final class MicrometerSyncMetrics implements SyncMetrics {
    /** Prefix of every meter name. */
    public static final String PREFIX = "calsdk.sync.";

    private final MeterRegistry registry;

    /**
     * @param registry where the meters go
     */
    public MicrometerSyncMetrics(MeterRegistry registry) {
        this.registry = Checks.notNull(registry, "registry");
    }

    /**
     * Registers the backlog and lag gauges of {@code engine} (see {@link SyncBacklog}). The gauges read
     * {@link SyncEngine#backlog()} at most once per {@code refresh}, however often the registry is scraped; a
     * failed read keeps the last values (and is retried at the next scrape after {@code refresh}).
     *
     * <pre>{@code
     * metrics.bindBacklog(engine, Duration.ofSeconds(15));
     * }</pre>
     *
     * @param engine  the engine whose store is read
     * @param refresh how old the values may be
     * @since 0.3
     */
    public void bindBacklog(SyncEngine engine, Duration refresh) {
        Checks.notNull(engine, "engine");
        Checks.notNull(refresh, "refresh");
        Checks.check(!refresh.isNegative(), "refresh", "refresh must not be negative");
        BacklogCache cache = new BacklogCache(engine, refresh);
        gauge("backlog.mailboxes.due", cache, b -> b.dueMailboxes());
        gauge("backlog.mailboxes.requested", cache, b -> b.requestedMailboxes());
        gauge("backlog.mailboxes.running", cache, b -> b.runningMailboxes());
        gauge("backlog.due.age.seconds", cache, b -> b.oldestDueAge().toMillis() / 1000.0);
        gauge("backlog.outbox.depth", cache, b -> b.outboxDepth());
        gauge("backlog.outbox.failed", cache, b -> b.failedPushes());
    }

    private void gauge(String name, BacklogCache cache, ToDoubleFunction<SyncBacklog> value) {
        Gauge.builder(PREFIX + name, cache, c -> value.applyAsDouble(c.get())).register(registry);
    }

    /** The last backlog read, refreshed when older than {@code refresh}. */
    private static final class BacklogCache {
        private final SyncEngine engine;
        private final long refreshNanos;
        private SyncBacklog last = new SyncBacklog(0, 0, 0, Duration.ZERO, 0, 0);
        private long readAt;
        private boolean read;

        BacklogCache(SyncEngine engine, Duration refresh) {
            this.engine = engine;
            this.refreshNanos = refresh.toNanos();
        }

        synchronized SyncBacklog get() {
            long now = System.nanoTime();
            if (!read || now - readAt >= refreshNanos) {
                read = true;
                readAt = now;
                try {
                    last = engine.backlog();
                } catch (RuntimeException e) {
                    // keep the last values: a metrics scrape must not fail because the store is unreachable
                }
            }
            return last;
        }
    }

    @Override
    public void mailboxSynced(String provider, Mailbox mailbox, Duration duration, int changesPulled, int pushes) {
        String p = tag(provider);
        passTimer(p, "ok").record(duration);
        counter("changes.pulled", "provider", p).increment(changesPulled);
        counter("changes.pushed", "provider", p).increment(pushes);
    }

    @Override
    public void syncFailed(String provider, Mailbox mailbox, String errorType) {
        // the engine calls the overload with the duration; this one is for callers without one
        counter("errors", "provider", tag(provider), "stage", "pass", "type", tag(errorType))
                .increment();
    }

    @Override
    public void syncFailed(String provider, Mailbox mailbox, Duration duration, String errorType) {
        String p = tag(provider);
        passTimer(p, "failed").record(duration);
        counter("errors", "provider", p, "stage", "pass", "type", tag(errorType))
                .increment();
    }

    @Override
    public void pushAttempted(String provider, OutboxEntry.Operation operation, boolean succeeded) {
        counter(
                        "push.attempts",
                        "provider",
                        tag(provider),
                        "operation",
                        operation(operation),
                        "outcome",
                        succeeded ? "ok" : "failed")
                .increment();
    }

    @Override
    public void pushFailed(String provider, OutboxEntry.Operation operation, String errorType) {
        counter("errors", "provider", tag(provider), "stage", "push", "type", tag(errorType))
                .increment();
    }

    @Override
    public String toString() {
        return "MicrometerSyncMetrics[" + registry.getClass().getSimpleName() + "]";
    }

    private Timer passTimer(String provider, String outcome) {
        return Timer.builder(PREFIX + "pass")
                .description("duration of one mailbox sync pass")
                .tags("provider", provider, "outcome", outcome)
                .register(registry);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(PREFIX + name).tags(tags).register(registry);
    }

    private static String operation(OutboxEntry.Operation op) {
        return op == null ? "unknown" : op.name().toLowerCase(Locale.ROOT);
    }

    private static String tag(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }
}
