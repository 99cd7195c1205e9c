package org.calsdk.sync;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.google.GoogleProvider;
import org.calsdk.model.Mailbox;

/**
 * The JVM of {@link FullReadHeapTest}, started with a small heap: a host that connects one Google mailbox
 * (the fake in the test's JVM) to an H2 file store and runs the engine's first, full pass. Its listener
 * counts the external events it is told about and keeps none. Prints {@code pulled=N told=M outcome=O} and
 * exits 0 when the pass ended OK.
 *
 * <p>Arguments: the store's folder, the fake's base URL, the access token, the mailbox, the page size.
 */
public final class FullReadChild {
    private FullReadChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String baseUrl = args[1];
        Secret token = Secret.of(args[2]);
        Mailbox mailbox = Mailbox.of(args[3]);
        String pageSize = args[4];
        AccessToken fixed = new AccessToken(token, null);
        AccessTokenSource source = AccessTokenSource.fixed(fixed);
        AtomicLong told = new AtomicLong();
        SyncListener counting = new SyncListener() {
            @Override
            public void onExternalChange(ExternalChange change) {
                if (change instanceof ExternalChange.Created) {
                    told.incrementAndGet();
                }
            }
        };
        Thread progress = new Thread(
                () -> {
                    try {
                        while (true) {
                            Thread.sleep(5_000);
                            Runtime rt = Runtime.getRuntime();
                            System.err.println("progress told=" + told.get() + " usedMb="
                                    + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
                        }
                    } catch (InterruptedException e) {
                        // ended
                    }
                },
                "progress");
        progress.setDaemon(true);
        progress.start();
        SyncConnections connections = SyncConnections.of(
                CalendarProviders.of(new GoogleProvider()),
                (integration, m) -> ConnectionConfig.builder("google")
                        .setting("baseUrl", baseUrl)
                        .setting("mailbox", m.email())
                        .setting("pageSize", pageSize)
                        .credentials(new TokenCredentials(source))
                        .build());
        int exit;
        try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dir);
                SyncEngine engine = SyncEngine.builder()
                        .store(store)
                        .connections(connections)
                        .listener(counting)
                        .nodeId("full-read")
                        .build()) {
            engine.saveIntegration(Integration.active("big", "google"));
            engine.addMailbox("big", mailbox);
            MailboxSyncResult r = engine.syncMailbox(mailbox);
            long peak = 0;
            for (java.lang.management.MemoryPoolMXBean pool :
                    java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.println("pulled=" + r.pulled() + " told=" + told.get() + " outcome=" + r.outcome()
                    + " error=" + r.error() + " seconds=" + r.duration().toMillis() / 1000.0
                    + " peakPoolsMb=" + peak / (1024 * 1024)
                    + " afterGcMb=" + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024)
                    + " maxMb=" + rt.maxMemory() / (1024 * 1024));
            System.out.flush();
            exit = r.outcome() == MailboxSyncResult.Outcome.OK ? 0 : 4;
        }
        System.exit(exit);
    }
}
