package org.calsdk.sync;

/**
 * The parts of an app's own event that can flow back from the calendar, each owned by one side under a
 * {@link FieldPolicy}.
 *
 * @since 0.1
 */
public enum SyncField {
    /** The summary. */
    TITLE,
    /** The description. */
    DESCRIPTION,
    /** Start, end and the series rules. */
    TIME,
    /** The attendees' answers. */
    RSVP
}
