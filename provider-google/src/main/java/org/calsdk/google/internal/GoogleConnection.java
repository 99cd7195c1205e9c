package org.calsdk.google.internal;

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
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;

/**
 * A Google connection: a user's own ({@link ConnectionScope#USER}), or an organization's through a service
 * account with domain-wide delegation ({@link ConnectionScope#ORGANIZATION}), whose
 * {@link #impersonator()} hands out per-user views. A view shares the parent's session (transport and
 * per-user token cache); closing a view never closes the parent.
 */
public final class GoogleConnection implements CalendarConnection, ServiceAccountImpersonator {
    /** What a user connection can do. */
    public static final Set<Capability> USER_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.DIRECTORY,
            Capability.PUSH_INBOUND,
            Capability.NOTIFY_CONTROL));
    /**
     * What an organization connection can do. Rooms ({@code DIRECTORY_ROOMS}) and group members
     * ({@code DIRECTORY_GROUPS}) need the Admin SDK, so only the organization's subject (an administrator)
     * lists them; a user's own grant reads their free/busy only.
     */
    public static final Set<Capability> ORGANIZATION_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.IMPERSONATION,
            Capability.DIRECTORY,
            Capability.DIRECTORY_ROOMS,
            Capability.DIRECTORY_GROUPS));
    /** Everything the provider can do. */
    public static final Set<Capability> ALL = Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.IMPERSONATION,
            Capability.DIRECTORY,
            Capability.DIRECTORY_ROOMS,
            Capability.DIRECTORY_GROUPS,
            Capability.PUSH_INBOUND,
            Capability.NOTIFY_CONTROL));

    private final GoogleSession session;
    private final ConnectionScope scope;
    private final Mailbox self;
    private final boolean view;
    private final GoogleReader reader;
    private final GoogleWriter writer;
    private final GoogleChangeFeed changes;
    private final GoogleFreeBusy freeBusy;
    private final GoogleDirectory directory;
    private final GooglePush push;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param self the connected user, or for an organization the subject its free/busy calls act as
     * @param view whether this is a view of another connection (closing it closes nothing)
     */
    public GoogleConnection(GoogleSession session, ConnectionScope scope, Mailbox self, boolean view) {
        this.session = session;
        this.scope = scope;
        this.self = self;
        this.view = view;
        this.reader = new GoogleReader(session, scope == ConnectionScope.USER ? self : null);
        this.writer = new GoogleWriter(session, reader);
        this.changes = new GoogleChangeFeed(session, reader);
        this.freeBusy = new GoogleFreeBusy(session, self, scope == ConnectionScope.USER ? self : null);
        this.push = new GooglePush(session);
        this.directory =
                new GoogleDirectory(session, session.directoryRoot(), self, scope == ConnectionScope.ORGANIZATION);
    }

    @Override
    public String providerId() {
        return "google";
    }

    @Override
    public Set<Capability> capabilities() {
        return scope == ConnectionScope.USER ? USER_CAPABILITIES : ORGANIZATION_CAPABILITIES;
    }

    @Override
    public ConnectionScope scope() {
        return scope;
    }

    @Override
    public Optional<Mailbox> self() {
        return scope == ConnectionScope.USER ? Optional.of(self) : Optional.empty();
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

    @Override
    public org.calsdk.api.PushChannels push() {
        requireUser(Capability.PUSH_INBOUND);
        return push;
    }

    @Override
    public org.calsdk.api.DirectoryReader directory() {
        return directory;
    }

    @Override
    public ServiceAccountImpersonator impersonator() {
        if (scope != ConnectionScope.ORGANIZATION) {
            return CalendarConnection.super.impersonator();
        }
        return this;
    }

    private void requireUser(Capability c) {
        if (scope != ConnectionScope.USER) {
            throw new org.calsdk.errors.UnsupportedCapabilityException(
                    "an organization connection does not read or " + "write events itself (" + c
                            + "); act as a mailbox with impersonator().actAs(mailbox)",
                    session.ctx(null));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // impersonation

    @Override
    public AccessCheck checkAccess(Mailbox mailbox) {
        try {
            session.tokens().forMailbox(mailbox).token();
            return AccessCheck.allowed(mailbox);
        } catch (DelegatedTokens.Refused e) {
            return AccessCheck.denied(mailbox, e.reason(), e.getMessage());
        } catch (ReauthorizationRequiredException e) {
            return AccessCheck.denied(mailbox, AccessCheck.Reason.CREDENTIAL_INVALID, e.getMessage());
        } catch (NotFoundException e) {
            return AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_FOUND, e.getMessage());
        } catch (PermissionDeniedException e) {
            return AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_IN_SCOPE, e.getMessage());
        } catch (CalendarException e) {
            if (e.retryable()) {
                throw e;
            }
            return AccessCheck.denied(mailbox, AccessCheck.Reason.UNKNOWN, e.getMessage());
        }
    }

    /**
     * Google's set-up in one token request: a token for the organization's subject proves both that the key
     * is accepted and that domain-wide delegation covers the scopes; a refusal says which of the two failed
     * (a 401 cannot tell an unknown key from missing delegation, so the key is then reported unknown).
     */
    @Override
    public SetupCheck checkSetup() {
        AccessCheck subject = checkAccess(self);
        SetupCheck.Status key;
        SetupCheck.Status delegation;
        String detail = subject.detail();
        if (subject.allowed()) {
            key = SetupCheck.Status.OK;
            delegation = SetupCheck.Status.OK;
            detail = "Google issued a token for " + self;
        } else {
            switch (subject.reason()) {
                case CREDENTIAL_INVALID -> {
                    key = SetupCheck.Status.MISSING;
                    delegation = SetupCheck.Status.UNKNOWN;
                }
                case NOT_IN_SCOPE -> {
                    key = SetupCheck.Status.UNKNOWN;
                    delegation = SetupCheck.Status.MISSING;
                }
                case NOT_FOUND -> {
                    key = SetupCheck.Status.OK;
                    delegation = SetupCheck.Status.MISSING;
                    detail = "the subject " + self + " cannot be acted as: " + detail;
                }
                default -> {
                    key = SetupCheck.Status.UNKNOWN;
                    delegation = SetupCheck.Status.UNKNOWN;
                }
            }
        }
        return new SetupCheck(List.of(
                new SetupCheck.Item(
                        SetupCheck.Requirement.CREDENTIAL_VALID,
                        key,
                        key == SetupCheck.Status.OK ? "Google accepts the service account key" : detail),
                new SetupCheck.Item(SetupCheck.Requirement.DELEGATION_CONFIGURED, delegation, detail)));
    }

    @Override
    public CalendarConnection actAs(Mailbox mailbox) {
        if (mailbox == null) {
            throw new InvalidInputException("mailbox", "actAs needs a mailbox");
        }
        return new GoogleConnection(session.pinnedTo(mailbox), ConnectionScope.USER, mailbox, true);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && !view) {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "GoogleConnection[" + scope + ", " + self + (view ? ", view" : "") + "]";
    }
}
