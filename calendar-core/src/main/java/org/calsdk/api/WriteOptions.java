package org.calsdk.api;

import org.calsdk.internal.Checks;

/**
 * How a write treats the people on the event: whether attendees (or, for an answer, the organizer) are
 * told, and whether removing an event cancels the meeting or only deletes it. Immutable; start from
 * {@link #defaults()}.
 *
 * <table>
 *   <caption>How providers map the options</caption>
 *   <tr><th>option</th><th>Google</th><th>Graph</th><th>EWS</th><th>CalDAV</th></tr>
 *   <tr><td>{@link Notify#ALL}</td><td>{@code sendUpdates=all}</td><td>always sends</td>
 *       <td>{@code SendToAllAndSaveCopy}</td><td>the server's implicit scheduling (RFC 6638)</td></tr>
 *   <tr><td>{@link Notify#EXTERNAL_ONLY}</td><td>{@code sendUpdates=externalOnly}</td><td>–</td><td>–</td><td>–</td></tr>
 *   <tr><td>{@link Notify#NONE}</td><td>{@code sendUpdates=none}</td><td>–</td>
 *       <td>{@code SendToNone} / {@code SaveOnly}</td><td>–</td></tr>
 *   <tr><td>{@link Removal#CANCEL}</td><td>delete with updates sent</td><td>{@code /cancel}</td>
 *       <td>{@code CancelCalendarItem}</td><td>{@code STATUS:CANCELLED} written, kept</td></tr>
 *   <tr><td>{@link Removal#DELETE}</td><td>delete</td><td>{@code DELETE}</td><td>{@code DeleteItem}</td>
 *       <td>{@code DELETE}</td></tr>
 * </table>
 *
 * <p>A provider that cannot control notifications (no {@link Capability#NOTIFY_CONTROL}) accepts only
 * {@link Notify#ALL} and throws {@link org.calsdk.errors.UnsupportedCapabilityException} for the others,
 * rather than sending what the host asked not to send.
 *
 * <pre>{@code
 * connection.writer().delete(calendar, id, version, WriteOptions.defaults().withNotifications(Notify.NONE));
 * connection.writer().delete(calendar, id, version, WriteOptions.cancelMeeting());
 * }</pre>
 *
 * @param notifications who is told of the write
 * @param removal       what a delete does; ignored by other writes
 * @since 0.2
 */
public record WriteOptions(Notify notifications, Removal removal) {
    private static final WriteOptions DEFAULTS = new WriteOptions(Notify.ALL, Removal.DELETE);

    /** Who is told of a write. */
    public enum Notify {
        /** Every attendee (for an answer: the organizer), the provider's normal behaviour. */
        ALL,
        /** Only attendees outside the organizer's domain (Google); others treat it as unsupported. */
        EXTERNAL_ONLY,
        /** No one: the write is silent (attendees' calendars may still change where the provider shares them). */
        NONE
    }

    /** What removing an event does. */
    public enum Removal {
        /** The event is removed from this calendar; attendees are told per {@link Notify}. */
        DELETE,
        /**
         * The organizer cancels the meeting: attendees are told per {@link Notify}, and the event ends as
         * cancelled (removed, or kept with status {@code CANCELLED} where the provider keeps cancelled events).
         */
        CANCEL
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param notifications who is told of the write
     * @param removal what a delete does; ignored by other writes
     */
    public WriteOptions {
        Checks.notNull(notifications, "notifications");
        Checks.notNull(removal, "removal");
    }

    /**
     * Notify everyone, delete on removal: what the write methods without options do.
     *
     * @return the default options
     */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A cancellation that tells every attendee.
     *
     * @return the options
     */
    public static WriteOptions cancelMeeting() {
        return new WriteOptions(Notify.ALL, Removal.CANCEL);
    }

    /**
     * A silent write: nobody is told.
     *
     * @return the options
     */
    public static WriteOptions silent() {
        return new WriteOptions(Notify.NONE, Removal.DELETE);
    }

    /**
     * These options with {@code notifications}.
     *
     * @param notifications who is told
     * @return a copy with that setting
     */
    public WriteOptions withNotifications(Notify notifications) {
        return new WriteOptions(notifications, removal);
    }

    /**
     * These options with {@code removal}.
     *
     * @param removal cancel or delete
     * @return a copy with that setting
     */
    public WriteOptions withRemoval(Removal removal) {
        return new WriteOptions(notifications, removal);
    }

    /**
     * Whether these are the {@link #defaults()}.
     *
     * @return true for the defaults
     */
    public boolean isDefault() {
        return equals(DEFAULTS);
    }
}
