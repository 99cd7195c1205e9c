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
    public Attendee {
        Checks.notNull(mailbox, "attendee mailbox");
        role = role == null ? Role.REQUIRED : role;
        response = response == null ? ResponseStatus.NEEDS_ACTION : response;
    }

    public static Attendee required(Mailbox mailbox) {
        return new Attendee(mailbox, null, Role.REQUIRED, ResponseStatus.NEEDS_ACTION, false);
    }

    public Attendee withResponse(ResponseStatus response) {
        return new Attendee(mailbox, name, role, response, resource);
    }

    /** An attendee's part in the meeting (RFC 5545 ROLE). */
    public enum Role { REQUIRED, OPTIONAL, CHAIR, NON_PARTICIPANT }

    /** An attendee's answer (RFC 5545 PARTSTAT for events). */
    public enum ResponseStatus { NEEDS_ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED }
}
