package org.calsdk.model;

import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * A participant of an event and their answer.
 *
 * @param mailbox  their address
 * @param name     display name, or null
 * @param role     required, optional, chair or non-participant
 * @param response their answer so far
 * @param resource whether this is a room or equipment rather than a person
 * @since 0.1
 */
public record Attendee(Mailbox mailbox, @Nullable String name, Role role, ResponseStatus response, boolean resource) {
    /**
     * Checks the attendee; a null role is {@link Role#REQUIRED}, a null response {@link ResponseStatus#NEEDS_ACTION}.
     *
     * @param mailbox their address
     * @param name display name, or null
     * @param role required, optional, chair or non-participant
     * @param response their answer so far
     * @param resource whether this is a room or equipment rather than a person
     */
    public Attendee {
        Checks.notNull(mailbox, "attendee mailbox");
        role = role == null ? Role.REQUIRED : role;
        response = response == null ? ResponseStatus.NEEDS_ACTION : response;
    }

    /**
     * A required attendee who has not answered yet.
     *
     * @param mailbox the attendee
     * @return the attendee
     */
    public static Attendee required(Mailbox mailbox) {
        return new Attendee(mailbox, null, Role.REQUIRED, ResponseStatus.NEEDS_ACTION, false);
    }

    /**
     * This attendee with another answer.
     *
     * @param response the answer
     * @return a new attendee
     */
    public Attendee withResponse(ResponseStatus response) {
        return new Attendee(mailbox, name, role, response, resource);
    }

    /** An attendee's part in the meeting (RFC 5545 ROLE). */
    public enum Role {
        /** Expected to attend. */
        REQUIRED,
        /** Welcome, not expected. */
        OPTIONAL,
        /** Chairs the meeting. */
        CHAIR,
        /** Informed only. */
        NON_PARTICIPANT
    }

    /** An attendee's answer (RFC 5545 PARTSTAT for events). */
    public enum ResponseStatus {
        /** Not answered yet. */
        NEEDS_ACTION,
        /** Will attend. */
        ACCEPTED,
        /** Will not attend. */
        DECLINED,
        /** Might attend. */
        TENTATIVE,
        /** Passed the invitation on to someone else. */
        DELEGATED
    }
}
