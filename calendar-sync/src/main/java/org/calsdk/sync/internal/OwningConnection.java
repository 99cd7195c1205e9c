package org.calsdk.sync.internal;

import java.util.Optional;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.PushChannels;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.model.Mailbox;

/**
 * A connection that also owns something to release after it (the organization connection a single
 * impersonated connection was made from): every call goes to {@code delegate}; closing closes the delegate,
 * then the owned resource.
 */
public final class OwningConnection implements CalendarConnection {
    private final CalendarConnection delegate;
    private final AutoCloseable owned;

    public OwningConnection(CalendarConnection delegate, AutoCloseable owned) {
        this.delegate = delegate;
        this.owned = owned;
    }

    @Override
    public String providerId() {
        return delegate.providerId();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public ConnectionScope scope() {
        return delegate.scope();
    }

    @Override
    public Optional<Mailbox> self() {
        return delegate.self();
    }

    @Override
    public FreeBusyQuery freeBusy() {
        return delegate.freeBusy();
    }

    @Override
    public EventReader reader() {
        return delegate.reader();
    }

    @Override
    public EventWriter writer() {
        return delegate.writer();
    }

    @Override
    public ChangeFeed changes() {
        return delegate.changes();
    }

    @Override
    public DirectoryReader directory() {
        return delegate.directory();
    }

    @Override
    public PushChannels push() {
        return delegate.push();
    }

    @Override
    public ServiceAccountImpersonator impersonator() {
        return delegate.impersonator();
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            try {
                owned.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
