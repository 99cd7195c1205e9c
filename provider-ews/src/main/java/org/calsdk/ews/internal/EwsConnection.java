package org.calsdk.ews.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.api.SetupCheck;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Mailbox;

/**
 * A connection to Exchange: a USER connection acting as one mailbox (its own account, or a mailbox
 * impersonated by the service account), or an ORGANIZATION connection of the service account that
 * answers free/busy for any mailbox and hands out per-mailbox views with {@link #impersonator()}. Views
 * share the parent's client and transport; closing a view never closes the parent.
 */
public final class EwsConnection implements CalendarConnection {
    /** What a USER connection can do. */
    public static final Set<Capability> USER = Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.NOTIFY_CONTROL,
            Capability.PUSH_OUTBOUND));
    /** What an ORGANIZATION connection can do. */
    public static final Set<Capability> ORGANIZATION =
            Collections.unmodifiableSet(EnumSet.of(Capability.FREE_BUSY, Capability.IMPERSONATION));

    private final EwsSession session;
    private final boolean organization;
    private final Runnable onClose;
    private final EwsReader reader;
    private final EwsWriter writer;
    private final EwsChangeFeed changes;
    private final EwsFreeBusy freeBusy;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Mailbox> directory;

    /**
     * @param session      the session (its mailbox null for an organization connection)
     * @param organization whether this is the service account's organization connection
     * @param onClose      what closing releases (the transport), or null for a view
     */
    public EwsConnection(EwsSession session, boolean organization, Runnable onClose) {
        this(session, organization, onClose, List.of());
    }

    /**
     * @param directory the addresses the directory resolves (the {@code directory} setting); empty: no
     *                  directory
     */
    public EwsConnection(EwsSession session, boolean organization, Runnable onClose, List<Mailbox> directory) {
        this.directory = List.copyOf(directory);
        this.session = session;
        this.organization = organization;
        this.onClose = onClose;
        this.reader = new EwsReader(session);
        this.writer = new EwsWriter(session, reader);
        this.changes = new EwsChangeFeed(session, reader);
        this.freeBusy = new EwsFreeBusy(session);
    }

    @Override
    public String providerId() {
        return "ews";
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> base = organization ? ORGANIZATION : USER;
        if (directory.isEmpty()) {
            return base;
        }
        EnumSet<Capability> withDirectory = EnumSet.copyOf(base);
        withDirectory.add(Capability.DIRECTORY);
        return Collections.unmodifiableSet(withDirectory);
    }

    /** The supplied addresses, resolved with ResolveNames ({@link EwsDirectory}). */
    @Override
    public org.calsdk.api.DirectoryReader directory() {
        if (directory.isEmpty()) {
            throw new UnsupportedCapabilityException(
                    "EWS cannot list an organization's users: name the addresses to "
                            + "resolve in the connection setting 'directory'",
                    session.context());
        }
        return new EwsDirectory(session, directory);
    }

    @Override
    public ConnectionScope scope() {
        return organization ? ConnectionScope.ORGANIZATION : ConnectionScope.USER;
    }

    @Override
    public Optional<Mailbox> self() {
        return organization ? Optional.empty() : Optional.of(session.self());
    }

    @Override
    public FreeBusyQuery freeBusy() {
        return freeBusy;
    }

    @Override
    public EventReader reader() {
        requireUser(Capability.READ_EVENTS);
        return reader;
    }

    @Override
    public EventWriter writer() {
        requireUser(Capability.WRITE_EVENTS);
        return writer;
    }

    @Override
    public ChangeFeed changes() {
        requireUser(Capability.INCREMENTAL_CHANGES);
        return changes;
    }

    /** Pull subscriptions ({@link EwsPush}): outbound push, no inbound callback. */
    @Override
    public org.calsdk.api.PushChannels push() {
        requireUser(Capability.PUSH_OUTBOUND);
        return new EwsPush(session);
    }

    @Override
    public ServiceAccountImpersonator impersonator() {
        if (!organization) {
            throw new UnsupportedCapabilityException(
                    "this EWS connection acts as " + session.self() + "; connect with "
                            + "impersonation=true and no mailbox for the service account's organization connection",
                    session.context());
        }
        return new Impersonator();
    }

    private void requireUser(Capability c) {
        if (organization) {
            throw new UnsupportedCapabilityException(
                    "an EWS organization connection does not support " + c
                            + " directly; act as a mailbox first: impersonator().actAs(mailbox)",
                    session.context());
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && onClose != null) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "EwsConnection[" + (organization ? "organization" : session.self()) + "]";
    }

    /** ApplicationImpersonation: per-mailbox views through the ExchangeImpersonation header. */
    private final class Impersonator implements ServiceAccountImpersonator {
        @Override
        public AccessCheck checkAccess(Mailbox mailbox) {
            EwsSession as = session.actingAs(mailbox);
            try {
                new EwsReader(as).calendars(mailbox);
                return AccessCheck.allowed(mailbox);
            } catch (PermissionDeniedException e) {
                // ErrorImpersonateUserDenied does not say which: the mailbox is outside the role's management scope,
                // or the role is missing altogether (then every mailbox is refused)
                return AccessCheck.denied(
                        mailbox,
                        AccessCheck.Reason.NOT_IN_SCOPE,
                        "the mailbox is outside the management "
                                + "scope of the service account's ApplicationImpersonation role (or the role is missing): "
                                + e.getMessage());
            } catch (NotFoundException e) {
                return AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_FOUND, e.getMessage());
            } catch (org.calsdk.errors.ReauthorizationRequiredException e) {
                return AccessCheck.denied(mailbox, AccessCheck.Reason.CREDENTIAL_INVALID, e.getMessage());
            }
        }

        /**
         * Checks the credential with one call as the service account itself ({@code ResolveNames} of its own
         * name: any answer but 401 means it is accepted). EWS cannot list role assignments, so the
         * ApplicationImpersonation role is not an item here: {@link #checkAccess} tells per mailbox whether it
         * covers that mailbox.
         */
        @Override
        public SetupCheck checkSetup() {
            List<SetupCheck.Item> items = new ArrayList<>();
            try {
                session.client()
                        .call(
                                "ResolveNames",
                                null,
                                null,
                                "<m:ResolveNames ReturnFullContactData=\"false\">" + "<m:UnresolvedEntry>"
                                        + Xml.esc(session.client().account()) + "</m:UnresolvedEntry></m:ResolveNames>",
                                true);
                items.add(new SetupCheck.Item(SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.OK, ""));
            } catch (org.calsdk.errors.ReauthorizationRequiredException e) {
                items.add(new SetupCheck.Item(
                        SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.MISSING, e.getMessage()));
            } catch (CalendarException e) {
                items.add(new SetupCheck.Item(
                        SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.UNKNOWN, e.getMessage()));
            }
            return new SetupCheck(items);
        }

        @Override
        public CalendarConnection actAs(Mailbox mailbox) {
            return new EwsConnection(
                    session.actingAs(java.util.Objects.requireNonNull(mailbox, "mailbox")), false, null);
        }
    }
}
