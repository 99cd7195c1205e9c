package org.calsdk.availability;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.calsdk.availability.internal.IdSubset;
import org.calsdk.internal.Checks;

/**
 * A time the meeting can take place: {@code [start, end)}, who is available then (ids sorted), and
 * with round robin the chosen host.
 *
 * @since 0.1
 */
public final class Slot {
    private final Instant start;
    private final Instant end;
    private final List<String> participants;
    private final String host;

    /**
     * A slot.
     *
     * @param start the start
     * @param end the end (exclusive)
     * @param participants the ids of the participants free for it
     * @param host the round-robin host, or null
     */
    public Slot(Instant start, Instant end, List<String> participants, String host) {
        this.start = Checks.notNull(start, "start");
        this.end = Checks.notNull(end, "end");
        // the engine's compact, immutable id sets are kept as they are (a slot of 10,000 people is 1.25 KB)
        this.participants = participants instanceof IdSubset compact
                ? compact
                : Checks.immutableList(Checks.notNull(participants, "participants"), "participants");
        this.host = host;
    }

    /**
     * The start.
     *
     * @return the slot's first instant
     */
    public Instant start() {
        return start;
    }

    /**
     * The end.
     *
     * @return the first instant after the slot
     */
    public Instant end() {
        return end;
    }

    /**
     * Ids of the participants available for this slot, sorted.
     *
     * @return the ids, immutable
     */
    public List<String> participants() {
        return participants;
    }

    /**
     * The round-robin host chosen for this slot, when the request used round robin.
     *
     * @return the host's id, or empty
     */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slot s
                && start.equals(s.start)
                && end.equals(s.end)
                && participants.equals(s.participants)
                && java.util.Objects.equals(host, s.host);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(start, end, participants, host);
    }

    @Override
    public String toString() {
        return "Slot[" + start + " - " + end + " " + participants + (host == null ? "" : " host=" + host) + "]";
    }
}
