package org.calsdk.api;

/**
 * What a provider can do. A connection declares its capabilities; callers ask with
 * {@link CalendarConnection#supports(Capability)} before they call, and a facet of a capability that is
 * not declared throws {@link org.calsdk.errors.UnsupportedCapabilityException}.
 *
 * @since 0.1
 */
public enum Capability {
    /** Busy time for many mailboxes at once ({@link FreeBusyQuery}). */
    FREE_BUSY,
    /** List calendars and read events ({@link EventReader}). */
    READ_EVENTS,
    /** Create, update and delete events idempotently ({@link EventWriter}). */
    WRITE_EVENTS,
    /** Answer invitations ({@link EventWriter#respond}). */
    RSVP,
    /** Incremental changes with a cursor ({@link ChangeFeed}). */
    INCREMENTAL_CHANGES,
    /** Tell cheaply which calendars of a mailbox changed ({@link ChangeFeed#changedCalendars}). */
    CALENDAR_CHANGE_TAGS,
    /** Act as any mailbox of an organization ({@link ServiceAccountImpersonator}). */
    IMPERSONATION,
    /** List the organization's people ({@link DirectoryReader#users}). */
    DIRECTORY,
    /** Change notifications that the provider sends to the host (webhooks). */
    PUSH_INBOUND,
    /** Change notifications the SDK pulls from a stream it holds open (EWS streaming). */
    PUSH_OUTBOUND,
    /** List rooms and equipment with capacity and building ({@link DirectoryReader#rooms}). @since 0.2 */
    DIRECTORY_ROOMS,
    /** List the members of a group ({@link DirectoryReader#groupMembers}). @since 0.2 */
    DIRECTORY_GROUPS,
    /**
     * Control who is told of a write ({@link WriteOptions.Notify} other than {@code ALL}); without it a
     * write with such options throws {@link org.calsdk.errors.UnsupportedCapabilityException}. @since 0.2
     */
    NOTIFY_CONTROL
}
