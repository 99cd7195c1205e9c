package org.calsdk.sync;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.calsdk.model.Mailbox;
import org.calsdk.internal.Checks;

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
 *       {@code type} (the exception's simple class name, e.g. {@code RateLimitedException}).</li>
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
        counter("errors", "provider", tag(provider), "stage", "pass", "type", tag(errorType)).increment();
    }

    @Override
    public void syncFailed(String provider, Mailbox mailbox, Duration duration, String errorType) {
        String p = tag(provider);
        passTimer(p, "failed").record(duration);
        counter("errors", "provider", p, "stage", "pass", "type", tag(errorType)).increment();
    }

    @Override
    public void pushAttempted(String provider, OutboxEntry.Operation operation, boolean succeeded) {
        counter("push.attempts", "provider", tag(provider), "operation", operation(operation),
                "outcome", succeeded ? "ok" : "failed").increment();
    }

    @Override
    public void pushFailed(String provider, OutboxEntry.Operation operation, String errorType) {
        counter("errors", "provider", tag(provider), "stage", "push", "type", tag(errorType)).increment();
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
