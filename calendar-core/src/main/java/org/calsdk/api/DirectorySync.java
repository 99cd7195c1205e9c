package org.calsdk.api;

import java.util.Collection;
import java.util.List;

import org.calsdk.errors.LimitExceededException;
import org.calsdk.internal.Checks;
import org.calsdk.internal.DirectoryMatcher;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * Matches an organization's directory to the host's own users: by primary address first, then by any
 * address (primary or alias) on either side, case-insensitively, each side matched at most once. It reports
 * who matched, who is unmatched on each side, who is disabled in the directory, and who is new since the
 * last {@link DirectorySnapshot}. The directory comes from the provider ({@link DirectoryReader#allUsers()}:
 * Google Admin Directory, Graph {@code /users}, or a group's members) or from a list the host supplies
 * (EWS name resolution, an export).
 *
 * <pre>{@code
 * DirectorySync.Report r = DirectorySync.run(org, hostUsers, lastSnapshot);
 * r.newMatches().forEach(m -> offerSync(m.user()));
 * store(r.snapshot().encode());
 * }</pre>
 *
 * @since 0.2
 */
public final class DirectorySync {

    private DirectorySync() {
    }

    /**
     * One of the host's users.
     *
     * @param id      the host's own id
     * @param email   the primary address
     * @param aliases other addresses of the user (may be empty)
     */
    public record HostUser(String id, Mailbox email, List<Mailbox> aliases) {
        public HostUser {
            Checks.notBlank(id, "id");
            Checks.notNull(email, "email");
            aliases = Checks.immutableList(aliases, "aliases");
        }

        /** A user with no aliases. */
        public static HostUser of(String id, String email) {
            return new HostUser(id, Mailbox.of(email), List.of());
        }
    }

    /**
     * A directory entry matched to a host user.
     *
     * @param user      the host's user
     * @param entry     the directory's entry
     * @param matchedBy the address both share (the entry's primary address when that matched)
     * @param isNew     whether the entry was not in the previous snapshot (always false without one)
     */
    public record Match(HostUser user, DirectoryEntry entry, Mailbox matchedBy, boolean isNew) {
        public Match {
            Checks.notNull(user, "user");
            Checks.notNull(entry, "entry");
            Checks.notNull(matchedBy, "matchedBy");
        }

        /** The mailbox to sync: the directory's primary address. */
        public Mailbox mailbox() {
            return entry.mailbox();
        }
    }

    /**
     * The outcome of one sync; lists sorted by address.
     *
     * @param matched            every enabled person matched to a host user
     * @param unmatchedDirectory enabled people of the directory no host user matches
     * @param unmatchedHost      host users no enabled directory person matches
     * @param disabled           disabled (suspended) people of the directory, matched or not: stop syncing them
     * @param newEntries         enabled people not in the previous snapshot (matched or not)
     * @param snapshot           the snapshot to store for next time
     */
    public record Report(List<Match> matched, List<DirectoryEntry> unmatchedDirectory, List<HostUser> unmatchedHost,
                         List<DirectoryEntry> disabled, List<DirectoryEntry> newEntries, DirectorySnapshot snapshot) {
        public Report {
            matched = Checks.immutableList(matched, "matched");
            unmatchedDirectory = Checks.immutableList(unmatchedDirectory, "unmatchedDirectory");
            unmatchedHost = Checks.immutableList(unmatchedHost, "unmatchedHost");
            disabled = Checks.immutableList(disabled, "disabled");
            newEntries = Checks.immutableList(newEntries, "newEntries");
            Checks.notNull(snapshot, "snapshot");
        }

        /** The matches whose directory entry is new since the previous snapshot. */
        public List<Match> newMatches() {
            return matched.stream().filter(Match::isNew).toList();
        }
    }

    /**
     * Matches {@code directory} (people; rooms and equipment are left out) to {@code hostUsers}.
     *
     * @param previous the snapshot stored last time, or {@link DirectorySnapshot#none()}
     * @throws org.calsdk.errors.InvalidInputException when two host users claim one address, or one entry
     *         id appears twice
     * @throws LimitExceededException when the directory has more than {@link DirectorySnapshot#MAX_ENTRIES}
     */
    public static Report match(Collection<DirectoryEntry> directory, Collection<HostUser> hostUsers,
                               @Nullable DirectorySnapshot previous) {
        Checks.notNull(directory, "directory");
        Checks.notNull(hostUsers, "hostUsers");
        return DirectoryMatcher.match(directory, hostUsers, previous == null ? DirectorySnapshot.none() : previous);
    }

    /**
     * Reads the organization's people through {@code connection}'s {@link DirectoryReader} (every page,
     * bounded by {@link DirectoryReader#MAX_PAGES}) and {@link #match}es them.
     *
     * @throws org.calsdk.errors.UnsupportedCapabilityException when the connection has no
     *         {@link Capability#DIRECTORY}; pass a list to {@link #match} instead
     */
    public static Report run(CalendarConnection connection, Collection<HostUser> hostUsers,
                             @Nullable DirectorySnapshot previous) {
        Checks.notNull(connection, "connection");
        return match(DirectoryMatcher.readUsers(connection.directory()), hostUsers, previous);
    }
}
