package org.calsdk.graph.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.model.Mailbox;

/**
 * A connection to Microsoft Graph: one mailbox (a user's own token, or an app acting as a mailbox), or a
 * whole organization (an app-only token) that hands out per-mailbox views with {@link #impersonator()}.
 * Views share the parent's client (transport, token cache, per-mailbox limits); closing a view never
 * closes the parent.
 */
public final class GraphConnection implements CalendarConnection {
    /** What a mailbox connection can do. */
    public static final Set<Capability> USER_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.PUSH_INBOUND));
    /** What an organization connection can do. */
    public static final Set<Capability> ORGANIZATION_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.IMPERSONATION,
            Capability.DIRECTORY,
            Capability.PUSH_INBOUND));

    private final GraphSession session;
    private final Mailbox self;
    private final Runnable onClose;
    private final GraphReader reader;
    private final GraphWriter writer;
    private final GraphChangeFeed changes;
    private final GraphFreeBusy freeBusy;
    private final GraphPush push;
    private final AtomicBoolean closed = new AtomicBoolean();

    public GraphConnection(GraphSession session, Mailbox self, Runnable onClose) {
        this.session = session;
        this.self = self;
        this.onClose = onClose;
        this.reader = new GraphReader(session);
        this.writer = new GraphWriter(session, reader);
        this.changes = new GraphChangeFeed(session, reader);
        this.freeBusy = new GraphFreeBusy(session, self);
        this.push = new GraphPush(session);
    }

    @Override
    public String providerId() {
        return GraphClient.PROVIDER;
    }

    @Override
    public Set<Capability> capabilities() {
        return self == null ? ORGANIZATION_CAPABILITIES : USER_CAPABILITIES;
    }

    @Override
    public ConnectionScope scope() {
        return self == null ? ConnectionScope.ORGANIZATION : ConnectionScope.USER;
    }

    @Override
    public Optional<Mailbox> self() {
        return Optional.ofNullable(self);
    }

    @Override
    public FreeBusyQuery freeBusy() {
        return freeBusy;
    }

    @Override
    public EventReader reader() {
        return reader;
    }

    @Override
    public EventWriter writer() {
        return writer;
    }

    @Override
    public ChangeFeed changes() {
        return changes;
    }

    @Override
    public org.calsdk.api.PushChannels push() {
        return push;
    }

    @Override
    public org.calsdk.api.DirectoryReader directory() {
        if (self != null) {
            return CalendarConnection.super.directory();
        }
        return new GraphDirectory(session);
    }

    @Override
    public ServiceAccountImpersonator impersonator() {
        if (self != null) {
            return CalendarConnection.super.impersonator();
        }
        return new GraphImpersonator(session);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "GraphConnection[" + (self == null ? "organization" : self) + " @ "
                + session.client().base() + "]";
    }
}
