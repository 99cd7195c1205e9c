package org.calsdk.sync.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.Integration;
import org.calsdk.sync.SyncConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection batches of one engine pass (or one webhook, one removal): each integration is
 * {@linkplain SyncConnections#open opened} once, on first use, and every batch is closed at the end, so an
 * organization connects once per pass however many of its mailboxes are synced. Thread-safe.
 */
public final class Batches implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

    private final SyncConnections connections;
    private final Map<String, SyncConnections.Batch> open = new LinkedHashMap<>();
    private boolean closed;

    public Batches(SyncConnections connections) {
        this.connections = connections;
    }

    /** The batch of {@code integration}, opened now if this is its first use. */
    public synchronized SyncConnections.Batch batch(Integration integration) {
        if (closed) {
            throw new IllegalStateException("the pass's connections are closed");
        }
        SyncConnections.Batch b = open.get(integration.name());
        if (b == null) {
            b = connections.open(integration);
            open.put(integration.name(), b);
        }
        return b;
    }

    /** A connection for {@code mailbox} from its integration's batch; the caller closes it. */
    public CalendarConnection connect(Integration integration, Mailbox mailbox) {
        return batch(integration).connect(mailbox);
    }

    /** Closes every batch (failures are logged: the pass's results stand). */
    @Override
    public void close() {
        List<SyncConnections.Batch> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(open.values());
            open.clear();
        }
        for (SyncConnections.Batch b : toClose) {
            try {
                b.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the connections of an integration failed: {}", e.toString());
            }
        }
    }
}
