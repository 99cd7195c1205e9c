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

    private DirectorySync() {}

    /**
     * One of the host's users.
     *
     * @param id      the host's own id
     * @param email   the primary address
     * @param aliases other addresses of the user (may be empty)
     */
    public record HostUser(String id, Mailbox email, List<Mailbox> aliases) {
        /**
         * Validates the user; null aliases become an empty list.
         *
         * @param id      the host's own id
         * @param email   the primary address
         * @param aliases other addresses of the user (null or empty for none)
         * @throws NullPointerException when {@code id}, {@code email} or an alias is null
         * @throws org.calsdk.errors.InvalidInputException when {@code id} is blank
         */
        public HostUser {
            Checks.notBlank(id, "id");
            Checks.notNull(email, "email");
            aliases = Checks.immutableList(aliases, "aliases");
        }

        /**
         * A user with no aliases.
         *
         * @param id    the host's own id
         * @param email the primary address
         * @return the user
         * @throws NullPointerException when {@code id} or {@code email} is null
         * @throws org.calsdk.errors.InvalidInputException when {@code id} is blank or {@code email} is not an
         *         email address
         */
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
        /**
         * Validates the match.
         *
         * @param user      the host's user
         * @param entry     the directory's entry
         * @param matchedBy the address both share
         * @param isNew     whether the entry was not in the previous snapshot
         * @throws NullPointerException when {@code user}, {@code entry} or {@code matchedBy} is null
         */
        public Match {
            Checks.notNull(user, "user");
            Checks.notNull(entry, "entry");
            Checks.notNull(matchedBy, "matchedBy");
        }

        /**
         * The mailbox to sync: the directory's primary address, which may differ from the host user's own
         * when they matched by an alias.
         *
         * @return the entry's mailbox
         */
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
    public record Report(
            List<Match> matched,
            List<DirectoryEntry> unmatchedDirectory,
            List<HostUser> unmatchedHost,
            List<DirectoryEntry> disabled,
            List<DirectoryEntry> newEntries,
            DirectorySnapshot snapshot) {
        /**
         * Copies the lists; a null list is empty.
         *
         * @param matched            every enabled person matched to a host user
         * @param unmatchedDirectory enabled people of the directory no host user matches
         * @param unmatchedHost      host users no enabled directory person matches
         * @param disabled           disabled people of the directory, matched or not
         * @param newEntries         enabled people not in the previous snapshot
         * @param snapshot           the snapshot to store for next time
         * @throws NullPointerException when {@code snapshot} or an element of a list is null
         */
        public Report {
            matched = Checks.immutableList(matched, "matched");
            unmatchedDirectory = Checks.immutableList(unmatchedDirectory, "unmatchedDirectory");
            unmatchedHost = Checks.immutableList(unmatchedHost, "unmatchedHost");
            disabled = Checks.immutableList(disabled, "disabled");
            newEntries = Checks.immutableList(newEntries, "newEntries");
            Checks.notNull(snapshot, "snapshot");
        }

        /**
         * The matches whose directory entry is new since the previous snapshot: the people to offer sync to.
         *
         * @return those of {@link #matched()} with {@link Match#isNew()}; empty on a first sync
         */
        public List<Match> newMatches() {
            return matched.stream().filter(Match::isNew).toList();
        }
    }

    /**
     * Matches {@code directory} (people; rooms and equipment are left out) to {@code hostUsers}.
     *
     * @param directory the directory's entries, in any order
     * @param hostUsers the host's users, in any order
     * @param previous  the snapshot stored last time, or {@link DirectorySnapshot#none()} (null is taken as
     *                  none: nobody is reported new)
     * @return who matched, who did not, who is disabled and who is new, with the snapshot to store
     * @throws NullPointerException when {@code directory} or {@code hostUsers} is null
     * @throws org.calsdk.errors.InvalidInputException when two host users claim one address, or one entry
     *         id appears twice
     * @throws LimitExceededException when the directory has more than {@link DirectorySnapshot#MAX_ENTRIES}
     */
    public static Report match(
            Collection<DirectoryEntry> directory,
            Collection<HostUser> hostUsers,
            @Nullable DirectorySnapshot previous) {
        Checks.notNull(directory, "directory");
        Checks.notNull(hostUsers, "hostUsers");
        return DirectoryMatcher.match(directory, hostUsers, previous == null ? DirectorySnapshot.none() : previous);
    }

    /**
     * Reads the organization's people through {@code connection}'s {@link DirectoryReader} (every page,
     * bounded by {@link DirectoryReader#MAX_PAGES}) and {@link #match}es them.
     *
     * @param connection an open organization connection with {@link Capability#DIRECTORY}
     * @param hostUsers  the host's users, in any order
     * @param previous   the snapshot stored last time, or {@link DirectorySnapshot#none()} (null is taken
     *                   as none)
     * @return the match report, as {@link #match} gives it
     * @throws NullPointerException when {@code connection} or {@code hostUsers} is null
     * @throws org.calsdk.errors.UnsupportedCapabilityException when the connection has no
     *         {@link Capability#DIRECTORY}; pass a list to {@link #match} instead
     * @throws org.calsdk.errors.InvalidInputException as {@link #match} does
     * @throws LimitExceededException as {@link #match} does
     */
    public static Report run(
            CalendarConnection connection, Collection<HostUser> hostUsers, @Nullable DirectorySnapshot previous) {
        Checks.notNull(connection, "connection");
        return match(DirectoryMatcher.readUsers(connection.directory()), hostUsers, previous);
    }
}
