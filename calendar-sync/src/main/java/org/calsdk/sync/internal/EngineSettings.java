package org.calsdk.sync.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.BackoffPolicy;
import org.calsdk.sync.FieldPolicy;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncListener;
import org.calsdk.sync.SyncMetrics;
import org.calsdk.sync.SyncStateStore;

/** Everything a mailbox pass needs, as the engine's builder assembled it. */
public record EngineSettings(
        SyncStateStore store,
        SyncConnections connections,
        SyncListener listener,
        SyncMetrics metrics,
        Clock clock,
        DoubleSupplier random,
        String nodeId,
        Duration pollInterval,
        double pollJitter,
        Duration leaseTtl,
        BackoffPolicy pushBackoff,
        BackoffPolicy errorBackoff,
        FieldPolicy fieldPolicy,
        BiFunction<CalendarConnection, Mailbox, List<CalendarRef>> calendars,
        int outboxBatch,
        PushSettings push,
        Duration maxPassTime) {

    /**
     * When push subscriptions are wanted: where providers call back ({@code {integration}} in the URL
     * stands for the integration's name, URL-encoded), and how long subscriptions live.
     */
    public record PushSettings(
            String callbackUrl, Duration ttl, Duration renewMargin, Duration pollIntervalWhilePushed) {
        /** The callback URL for one integration. */
        public String callbackUrl(String integration) {
            return callbackUrl.replace(
                    "{integration}",
                    java.net.URLEncoder.encode(integration, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20"));
        }
    }

    /** The next regular sync after a good pass: the interval plus up to {@code pollJitter} of it at random. */
    public java.time.Instant nextPoll(java.time.Instant now, Duration interval) {
        long ms = interval.toMillis();
        return now.plusMillis(ms + (long) (ms * pollJitter * random.getAsDouble()));
    }
}
