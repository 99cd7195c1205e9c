package org.calsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.api.ConnectionScope;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.ExternalChange;
import org.calsdk.sync.Integration;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.MailboxStatus;
import org.calsdk.sync.SyncConnections;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncListener;
import org.calsdk.sync.SyncMetrics;
import org.calsdk.sync.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar sync --connection FILE [--store JDBC_URL] [--once]}: syncs the connection's mailbox with
 * a sync state store (an H2 file under {@code ~/.calsdk} by default): pushes what its outbox holds and
 * pulls the calendar's changes from the stored cursor. With {@code --once} one pass, else the engine's
 * own scheduler ({@link SyncEngine#start()}) syncs the mailbox every {@code --interval} until interrupted. {@code calendar sync status --store JDBC_URL [--json]} lists the
 * store's mailboxes with enabled, lastSync and lastError.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = "Two-way sync of the connection's mailbox with a state store (one pass with --once).",
        subcommands = SyncCommand.Status.class)
final class SyncCommand implements Callable<Integer> {

    @Option(
            names = "--connection",
            paramLabel = "FILE",
            description =
                    "JSON connection file: provider, url, username, password {\"env\"|\"file\"|\"value\"}, mailbox, ...")
    Path connection;

    @Option(
            names = "--store",
            paramLabel = "JDBC_URL",
            description = "sync state store: jdbc:h2:file:... or jdbc:postgresql://... (default: H2 file in ~/.calsdk);"
                    + " credentials from CALENDAR_STORE_USER / CALENDAR_STORE_PASSWORD")
    String store;

    @Option(names = "--once", description = "run one pass and exit")
    boolean once;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "seconds between passes when not --once (default 300)")
    long intervalSeconds;

    @Option(
            names = "--integration",
            paramLabel = "NAME",
            description = "integration name in the store (default: cli-<provider>)")
    String integrationName;

    /**
     * Opens the store: read-write for a sync (creating the default H2 file when there is none), read-only
     * for {@code status}. A store that exists but is not a readable sync store is refused (exit 2, one line).
     */
    static JdbcSyncStateStore openStore(String url, boolean readOnly) {
        if (url == null) {
            Path dir = Path.of(System.getProperty("user.home"), ".calsdk");
            if (readOnly) {
                return JdbcSyncStateStore.openReadOnly(JdbcSyncStateStore.h2Url(dir), "sa", Secret.of(""));
            }
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new InvalidInputException("store", "cannot create " + dir + ": " + e.getMessage());
            }
            return JdbcSyncStateStore.h2(dir);
        }
        String pw = System.getenv("CALENDAR_STORE_PASSWORD");
        Secret secret = pw == null ? null : Secret.of(pw);
        String user = System.getenv("CALENDAR_STORE_USER");
        return readOnly
                ? JdbcSyncStateStore.openReadOnly(url, user, secret)
                : JdbcSyncStateStore.open(url, user, secret);
    }

    @Override
    public Integer call() throws Exception {
        if (connection == null) {
            throw new InvalidInputException("connection", "sync needs --connection FILE (or use 'sync status')");
        }
        if (intervalSeconds < 1) {
            throw new InvalidInputException("interval", "--interval must be at least 1 second");
        }
        ConnectionConfig config = ConnectionFile.read(connection, System::getenv, System.err::println)
                .toConfig();
        CalendarProviders providers = CalendarProviders.load();
        Mailbox mailbox;
        boolean organization;
        try (CalendarConnection probe = providers.connect(config)) {
            organization = probe.scope() == ConnectionScope.ORGANIZATION && probe.supports(Capability.IMPERSONATION);
            mailbox = config.setting("mailbox")
                    .map(Mailbox::of)
                    .or(probe::self)
                    .orElseThrow(() -> new InvalidInputException(
                            "mailbox", "the connection file must name the \"mailbox\" to sync"));
        }
        // an organization's file (a service account) syncs the mailbox by acting as it; one organization
        // connection per pass serves it
        SyncConnections connections = organization
                ? SyncConnections.impersonating(providers, i -> config)
                : (integration, m) -> providers.connect(config);
        PrintStream out = System.out;
        boolean terminal = System.console() != null;
        AtomicInteger changes = new AtomicInteger();
        try (JdbcSyncStateStore state = openStore(store, false)) {
            String name = integrationName != null ? integrationName : "cli-" + config.provider();
            if (state.integration(name).isEmpty()) {
                state.saveIntegration(Integration.active(name, config.provider()));
            }
            if (state.mailbox(mailbox).isEmpty()) {
                state.addMailbox(name, mailbox);
            }
            Progress progress = new Progress(terminal, state.mailboxes().size());
            SyncEngine engine = SyncEngine.builder()
                    .store(state)
                    .connections(connections)
                    .pollInterval(Duration.ofSeconds(intervalSeconds))
                    .listener(new SyncListener() {
                        @Override
                        public void onExternalChange(ExternalChange c) {
                            changes.incrementAndGet();
                        }

                        @Override
                        public void onMailboxDisconnected(Mailbox m, String reason, String relinkUrl) {
                            System.err.println("sync: " + m + " needs to be connected again: " + reason
                                    + (relinkUrl == null ? "" : " (" + relinkUrl + ")"));
                        }
                    })
                    .metrics(new SyncMetrics() {
                        @Override
                        public void mailboxSynced(String provider, Mailbox m, Duration d, int pulled, int pushes) {
                            progress.step();
                            if (!once) { // the scheduler's passes: one line per mailbox synced
                                out.println("sync: " + m + ": " + pulled + " pulled, " + pushes + " pushed; "
                                        + changes.getAndSet(0) + " external change(s)");
                            }
                        }

                        @Override
                        public void syncFailed(String provider, Mailbox m, String errorType) {
                            progress.step();
                            if (!once) {
                                System.err.println(
                                        "sync: " + m + " failed (" + errorType + "); see 'calendar sync status'");
                            }
                        }
                    })
                    .build();
            try (engine) {
                if (once) {
                    state.requestSync(mailbox);
                    SyncReport r = engine.runOnce();
                    progress.done();
                    out.println("sync: " + r.summary() + "; " + changes.get() + " external change(s)");
                    r.results().stream()
                            .filter(x -> x.error() != null)
                            .forEach(x -> System.err.println("sync: " + x.label() + ": " + x.error()));
                    return r.failed() == 0 ? 0 : 1;
                }
                // the engine's own scheduler: it syncs each mailbox when due (every --interval, jittered) and
                // reports through the listener and metrics above; this thread only waits for Ctrl-C
                CountDownLatch stop = new CountDownLatch(1);
                CountDownLatch stopped = new CountDownLatch(1);
                Thread hook = new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                stopped.await(15, java.util.concurrent.TimeUnit.SECONDS); // let close() finish the pass
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "calendar-sync-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    state.requestSync(mailbox);
                    engine.start();
                    out.println("sync: running every " + intervalSeconds + "s; Ctrl-C stops");
                    stop.await();
                } finally {
                    engine.close();
                    stopped.countDown();
                }
                return 0;
            }
        }
    }

    /** A one-line progress bar on stderr, only when a terminal is attached. */
    static final class Progress {
        private final boolean enabled;
        private final int total;
        private int done;

        Progress(boolean enabled, int total) {
            this.enabled = enabled;
            this.total = Math.max(1, total);
        }

        synchronized void step() {
            done++;
            if (enabled) {
                int width = 30;
                int filled = Math.min(width, done * width / total);
                System.err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                        + " mailboxes");
                System.err.flush();
            }
        }

        synchronized void done() {
            if (enabled && done > 0) {
                System.err.println();
            }
        }

        synchronized void reset() {
            done = 0;
        }
    }

    /** {@code calendar sync status --store JDBC_URL [--json]}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Lists the store's mailboxes with enabled, lastSync and lastError.")
    static final class Status implements Callable<Integer> {
        @Option(
                names = "--store",
                paramLabel = "JDBC_URL",
                description = "sync state store (default: H2 file in ~/.calsdk)")
        String store;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<MailboxStatus> all;
            try (JdbcSyncStateStore state = openStore(store, true)) {
                all = state.mailboxes();
            }
            if (json) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ArrayNode arr = m.createArrayNode();
                for (MailboxStatus s : all) {
                    ObjectNode n = arr.addObject();
                    n.put("mailbox", s.mailbox().email());
                    n.put("integration", s.integration());
                    n.put("enabled", s.enabled());
                    n.put("connected", s.connected());
                    n.put(
                            "lastSync",
                            s.lastSyncAt() == null ? null : s.lastSyncAt().toString());
                    n.put("lastError", s.lastError());
                    n.put("pendingPushes", s.pendingPushes());
                    n.put("failures", s.failures());
                    n.put("nextSync", s.nextSyncAt().toString());
                    if (s.relinkUrl() != null) {
                        n.put("relinkUrl", s.relinkUrl());
                    }
                }
                System.out.println(m.writeValueAsString(arr));
            } else {
                for (MailboxStatus s : all) {
                    System.out.println(s.mailbox().email() + "  " + (s.enabled() ? "enabled" : "disabled")
                            + (s.connected() ? "" : " DISCONNECTED") + "  lastSync="
                            + (s.lastSyncAt() == null ? "never" : s.lastSyncAt().toString())
                            + "  pending=" + s.pendingPushes()
                            + (s.lastError() == null ? "" : "  lastError=" + s.lastError()));
                }
            }
            return 0;
        }
    }
}
