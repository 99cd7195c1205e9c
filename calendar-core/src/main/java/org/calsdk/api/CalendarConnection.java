package org.calsdk.api;

import java.util.Optional;
import java.util.Set;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Mailbox;

/**
 * A connected account at a provider: the entry point to its free/busy, events, changes, directory and
 * push. Obtained from {@link CalendarProviders#connect(ConnectionConfig)}. Thread-safe; close it when
 * done to release its HTTP resources.
 *
 * <p>A facet whose {@link Capability} the connection does not declare throws
 * {@link UnsupportedCapabilityException}; ask {@link #supports(Capability)} first.
 *
 * <pre>{@code
 * try (CalendarConnection c = providers.connect(config)) {
 *     if (c.supports(Capability.FREE_BUSY)) {
 *         FreeBusyResult busy = c.freeBusy().query(FreeBusyRequest.of(mailboxes, window));
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface CalendarConnection extends AutoCloseable {

    /**
     * The provider's id.
     *
     * @return the id, such as {@code google}
     */
    String providerId();

    /**
     * What this connection can do.
     *
     * @return an immutable set; a call outside it fails with {@link org.calsdk.errors.UnsupportedCapabilityException}
     */
    Set<Capability> capabilities();

    /**
     * Whether this connection declares {@code capability}; ask before using a facet.
     *
     * @param capability the capability
     * @return {@code true} when {@link #capabilities()} contains it
     */
    default boolean supports(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * Whether this connection speaks for one user or a whole organization.
     *
     * @return the scope
     */
    ConnectionScope scope();

    /**
     * For a {@link ConnectionScope#USER} connection, the connected mailbox.
     *
     * @return the mailbox, or empty for an organization connection
     */
    Optional<Mailbox> self();

    /**
     * Free/busy for many mailboxes in few calls.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#FREE_BUSY}
     */
    default FreeBusyQuery freeBusy() {
        throw unsupported(Capability.FREE_BUSY);
    }

    /**
     * Reads calendars and events.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#READ_EVENTS}
     */
    default EventReader reader() {
        throw unsupported(Capability.READ_EVENTS);
    }

    /**
     * Creates, updates, deletes and answers events.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#WRITE_EVENTS}
     */
    default EventWriter writer() {
        throw unsupported(Capability.WRITE_EVENTS);
    }

    /**
     * Incremental changes from a cursor.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#INCREMENTAL_CHANGES}
     */
    default ChangeFeed changes() {
        throw unsupported(Capability.INCREMENTAL_CHANGES);
    }

    /**
     * The organization's people, rooms and groups.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#DIRECTORY}
     */
    default DirectoryReader directory() {
        throw unsupported(Capability.DIRECTORY);
    }

    /**
     * Webhook subscriptions and their notifications.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#PUSH_INBOUND}
     */
    default PushChannels push() {
        throw unsupported(Capability.PUSH_INBOUND);
    }

    /**
     * Acting as any mailbox of an organization connection.
     *
     * @return the facet
     * @throws UnsupportedCapabilityException without {@link Capability#IMPERSONATION}
     */
    default ServiceAccountImpersonator impersonator() {
        throw unsupported(Capability.IMPERSONATION);
    }

    /**
     * Whether this connection is set up right at the provider. For an organization connection with
     * {@link Capability#IMPERSONATION} it is {@link ServiceAccountImpersonator#checkSetup()} (credential,
     * delegation, consent, role); for a one-user connection the default makes one cheap call (listing its
     * calendars) and reports {@link SetupCheck.Requirement#CREDENTIAL_VALID}: {@code MISSING} when the
     * credential is refused, {@code UNKNOWN} when the call failed for another reason. Answers, does not
     * throw, for a set-up problem.
     *
     * @return the items checked, each with its status and what to do when it is not OK
     * @since 0.2
     */
    default SetupCheck checkSetup() {
        if (scope() == ConnectionScope.ORGANIZATION && supports(Capability.IMPERSONATION)) {
            return impersonator().checkSetup();
        }
        return org.calsdk.internal.SetupChecks.credentialOf(this);
    }

    /**
     * The provider's own checks for {@link Doctor}, when it has any. The default has none.
     *
     * @return the provider's diagnostics, or empty when the doctor's generic checks are all there is
     * @since 0.2
     */
    default Optional<ProviderDiagnostics> diagnostics() {
        return Optional.empty();
    }

    /** Releases the connection's resources. Idempotent. */
    @Override
    void close();

    private UnsupportedCapabilityException unsupported(Capability capability) {
        return new UnsupportedCapabilityException(
                "provider '" + providerId() + "' does not support " + capability
                        + "; check connection.supports(Capability." + capability + ") first",
                ErrorContext.of(providerId()));
    }
}
