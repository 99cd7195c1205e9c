package org.calsdk.availability;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import org.calsdk.internal.Checks;

/**
 * Participants of whom a number must be available for a slot to be offered (Cronofy's
 * {@code required: "all" | n}): "the candidate and both interviewers", "any one of the three sales
 * reps". A slot is returned only when every group of the request has at least {@link #required()}
 * members available.
 *
 * <pre>{@code
 * ParticipantGroup core = ParticipantGroup.all(List.of("alice", "bob"));
 * ParticipantGroup anyRep = ParticipantGroup.atLeast(1, List.of("carol", "dan"));
 * }</pre>
 *
 * @param members  participant ids, distinct, at least one
 * @param required how many members must be available, 1 to {@code members.size()}
 * @since 0.1
 */
public record ParticipantGroup(List<String> members, int required) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param members participant ids, distinct, at least one
     * @param required how many members must be available, 1 to {@code members.size()}
     */
    public ParticipantGroup {
        members = Checks.immutableList(Checks.notNull(members, "members"), "members");
        Checks.check(!members.isEmpty(), "members", "a group needs at least one member");
        Checks.check(
                new HashSet<>(members).size() == members.size(), "members", "a group names a member twice: " + members);
        Checks.check(
                required >= 1 && required <= members.size(),
                "required",
                "required must be between 1 and the number of members (" + members.size() + "), was " + required);
    }

    /**
     * Every member is required.
     *
     * @param members the participants' ids
     * @return the group
     */
    public static ParticipantGroup all(Collection<String> members) {
        List<String> list = List.copyOf(Checks.notNull(members, "members"));
        return new ParticipantGroup(list, list.size());
    }

    /**
     * At least {@code n} members are required.
     *
     * @param n how many members are required, at least 1
     * @param members the participants' ids
     * @return the group
     */
    public static ParticipantGroup atLeast(int n, Collection<String> members) {
        return new ParticipantGroup(List.copyOf(Checks.notNull(members, "members")), n);
    }

    /**
     * Whether all members are required.
     *
     * @return true when every member is required
     */
    public boolean requiresAll() {
        return required == members.size();
    }
}
