package org.calsdk.examples;

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
 * An organization connection acting as one mailbox (the file's {@code "mailbox"}), for the commands that
 * work on one account's calendars: every call goes to the view {@code actAs} gave; closing closes the view,
 * then the organization connection it came from (a view's own close leaves its parent open).
 */
final class ActingConnection implements CalendarConnection {
    private final CalendarConnection view;
    private final CalendarConnection organization;

    private ActingConnection(CalendarConnection view, CalendarConnection organization) {
        this.view = view;
        this.organization = organization;
    }

    /** {@code organization} acting as {@code mailbox}; closes {@code organization} if acting fails. */
    static CalendarConnection actAs(CalendarConnection organization, Mailbox mailbox) {
        try {
            return new ActingConnection(organization.impersonator().actAs(mailbox), organization);
        } catch (RuntimeException e) {
            organization.close();
            throw e;
        }
    }

    @Override
    public String providerId() {
        return view.providerId();
    }

    @Override
    public Set<Capability> capabilities() {
        return view.capabilities();
    }

    @Override
    public ConnectionScope scope() {
        return view.scope();
    }

    @Override
    public Optional<Mailbox> self() {
        return view.self();
    }

    @Override
    public FreeBusyQuery freeBusy() {
        return view.freeBusy();
    }

    @Override
    public EventReader reader() {
        return view.reader();
    }

    @Override
    public EventWriter writer() {
        return view.writer();
    }

    @Override
    public ChangeFeed changes() {
        return view.changes();
    }

    @Override
    public DirectoryReader directory() {
        return view.directory();
    }

    @Override
    public PushChannels push() {
        return view.push();
    }

    @Override
    public ServiceAccountImpersonator impersonator() {
        return view.impersonator();
    }

    @Override
    public void close() {
        try {
            view.close();
        } finally {
            organization.close();
        }
    }

    @Override
    public String toString() {
        return view.toString();
    }
}
