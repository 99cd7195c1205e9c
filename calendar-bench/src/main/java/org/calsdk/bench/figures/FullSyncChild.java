package org.calsdk.bench.figures;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventChange;
import org.calsdk.api.SyncCursor;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/**
 * The child JVM of {@link CalDavFullSyncFigure}: a full read ({@link SyncCursor#START}, batch after batch
 * until the provider says there is no more) of one calendar of the parent's CalDAV fake, keeping nothing
 * but a count, as a sync host that writes each batch to its store would. Prints {@code EVENTS=},
 * {@code SECONDS=}, {@code PEAK_HEAP_MB=} (the sum of the heap pools' peak usage, garbage included: an upper
 * bound of the peak, as pools peak at different moments) and {@code PEAK_LIVE_MB=} (the largest heap in
 * use right after a collection). Arguments: url, user, password, calendar path.
 */
public final class FullSyncChild {
    private FullSyncChild() {}

    /** The largest heap in use right after a collection (the live set, plus what the collector kept), via GC notifications. */
    private static AtomicLong watchGc() {
        AtomicLong max = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(
                        (n, h) -> {
                            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                    n.getType())) {
                                return;
                            }
                            GarbageCollectionNotificationInfo info =
                                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                            long used = 0;
                            for (Map.Entry<String, MemoryUsage> e :
                                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                                if (!e.getKey().contains("Metaspace")
                                        && !e.getKey().contains("CodeHeap")
                                        && !e.getKey().contains("Compressed Class")) {
                                    used += e.getValue().getUsed();
                                }
                            }
                            max.accumulateAndGet(used, Math::max);
                        },
                        null,
                        null);
            }
        }
        return max;
    }

    public static void main(String[] args) {
        AtomicLong liveAfterGc = watchGc();
        String url = args[0];
        String user = args[1];
        ConnectionConfig cfg = ConnectionConfig.builder("caldav")
                .setting("url", url)
                .setting("allowPrivateNetwork", "true")
                .setting("mailbox", user + "@example.com")
                .credentials(PasswordCredentials.of(user, Secret.of(args[2])))
                .build();
        long t0 = System.nanoTime();
        long events = 0;
        try (CalendarConnection c = CalDavProvider.builder().build().connect(cfg)) {
            CalendarRef cal = CalendarRef.of(Mailbox.of(user + "@example.com"), args[3]);
            SyncCursor cursor = SyncCursor.START;
            while (true) {
                ChangeBatch b = c.changes().changes(cal, cursor);
                if (!(b instanceof ChangeBatch.Changes ch)) {
                    throw new IllegalStateException("full read asked to resync: " + b);
                }
                for (EventChange e : ch.changes()) {
                    if (e instanceof EventChange.Upserted) {
                        events++;
                    }
                }
                cursor = ch.next();
                if (!ch.hasMore()) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.println("EVENTS=" + events);
        System.out.println(String.format(Locale.ROOT, "SECONDS=%.3f", seconds));
        System.out.println(String.format(Locale.ROOT, "PEAK_HEAP_MB=%.1f", peak / 1048576.0));
        System.out.println(String.format(Locale.ROOT, "PEAK_LIVE_MB=%.1f", liveAfterGc.get() / 1048576.0));
        System.out.println(String.format(
                Locale.ROOT, "MAX_HEAP_MB=%.1f", Runtime.getRuntime().maxMemory() / 1048576.0));
    }
}
