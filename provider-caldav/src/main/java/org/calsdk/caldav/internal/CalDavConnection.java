package org.calsdk.caldav.internal;

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
import org.calsdk.model.Mailbox;

/** A connection to one CalDAV account. */
public final class CalDavConnection implements CalendarConnection {
    /** What every CalDAV connection can do (unmodifiable, in declaration order). */
    public static final Set<Capability> CAPABILITIES = java.util.Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.CALENDAR_CHANGE_TAGS));

    private final CalDavSession session;
    private final DavExchange exchange;
    private final boolean ownsExchange;
    private final CalDavReader reader;
    private final CalDavWriter writer;
    private final CalDavChangeFeed changes;
    private final CalDavFreeBusy freeBusy;
    private final AtomicBoolean closed = new AtomicBoolean();

    public CalDavConnection(CalDavSession session, DavExchange exchange, boolean ownsExchange) {
        this.session = session;
        this.exchange = exchange;
        this.ownsExchange = ownsExchange;
        Resources resources = new Resources(session);
        this.reader = new CalDavReader(session, resources);
        this.writer = new CalDavWriter(session, resources, reader);
        this.changes = new CalDavChangeFeed(session, resources);
        this.freeBusy = new CalDavFreeBusy(session, resources);
    }

    /** The discovered account (runs discovery on first call). */
    public Discovery.Account account() {
        return session.account();
    }

    @Override
    public String providerId() {
        return "caldav";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ConnectionScope scope() {
        return ConnectionScope.USER;
    }

    @Override
    public Optional<Mailbox> self() {
        return Optional.of(session.self());
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
    public void close() {
        if (closed.compareAndSet(false, true) && ownsExchange) {
            exchange.close();
        }
    }

    @Override
    public String toString() {
        return "CalDavConnection[" + session.self() + "]";
    }
}
