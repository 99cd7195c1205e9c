package org.calsdk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.internal.Async;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * An organization's directory: its people (Google Admin SDK users, Graph {@code /users}), its rooms and
 * equipment (Google calendar resources, Graph {@code /places}), and the members of its groups, so the
 * host can match people to its own users by email (primary address or alias), notice new ones, and offer
 * rooms with their capacity.
 *
 * <pre>{@code
 * for (DirectoryEntry room : directory.allRooms()) {
 *     if (room.capacity() != null && room.capacity() >= 8) { ... }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface DirectoryReader {

    /** The most pages {@link #allUsers()} and its siblings read before failing, so a looping token cannot hang. */
    int MAX_PAGES = 10_000;

    /**
     * The most entries the {@code all…} methods collect (500,000): past it they stop with a
     * {@link org.calsdk.errors.LimitExceededException} instead of holding an unbounded directory in memory; read such a
     * directory page by page, or by group.
     */
    int MAX_ENTRIES = 500_000;

    /**
     * One page of people ({@link DirectoryEntry.Kind#PERSON}); {@code pageToken} null for the first.
     *
     * @param pageToken the previous page's {@link DirectoryPage#nextPageToken()}, or null
     * @return the page
     */
    DirectoryPage users(@Nullable String pageToken);

    /**
     * One page of rooms and equipment ({@link DirectoryEntry.Kind#ROOM}, {@link DirectoryEntry.Kind#EQUIPMENT});
     * {@code pageToken} null for the first. The default, for a directory without resources, throws
     * {@link UnsupportedCapabilityException}.
     *
     * @param pageToken the previous page's {@link DirectoryPage#nextPageToken()}, or null
     * @return the page
     * @since 0.2
     */
    default DirectoryPage rooms(@Nullable String pageToken) {
        throw new UnsupportedCapabilityException(
                "this provider's directory does not list rooms or equipment", ErrorContext.NONE);
    }

    /**
     * One page of the members of group {@code groupId} (a group's id or address as the provider names it):
     * people and resources, with nested groups' members flattened in (each entry once). The default, for a
     * directory without groups, throws {@link UnsupportedCapabilityException}.
     *
     * @param groupId the group's id or address
     * @param pageToken the previous page's {@link DirectoryPage#nextPageToken()}, or null
     * @return the page
     * @throws org.calsdk.errors.NotFoundException when there is no such group
     * @since 0.2
     */
    default DirectoryPage groupMembers(String groupId, @Nullable String pageToken) {
        throw new UnsupportedCapabilityException(
                "this provider's directory does not list group members", ErrorContext.NONE);
    }

    /**
     * Every page of {@link #users}, concatenated.
     *
     * @return every person, in the provider's order
     */
    default List<DirectoryEntry> allUsers() {
        return all(this::users);
    }

    /**
     * Every page of {@link #rooms}, concatenated.
     *
     * @return every room and piece of equipment, in the provider's order
     */
    default List<DirectoryEntry> allRooms() {
        return all(this::rooms);
    }

    /**
     * Every page of {@link #groupMembers}, concatenated.
     *
     * @param groupId the group's id or address
     * @return every member, nested groups flattened
     */
    default List<DirectoryEntry> allGroupMembers(String groupId) {
        Checks.notBlank(groupId, "groupId");
        return all(token -> groupMembers(groupId, token));
    }

    /**
     * {@link #allUsers} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param executor runs the call
     * @return every user, later
     */
    default CompletableFuture<List<DirectoryEntry>> allUsersAsync(Executor executor) {
        return Async.supply(executor, this::allUsers);
    }

    /**
     * {@link #users} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param pageToken where to continue, or null for the first page
     * @param executor runs the call
     * @return the page, later
     */
    default CompletableFuture<DirectoryPage> usersAsync(@Nullable String pageToken, Executor executor) {
        return Async.supply(executor, () -> users(pageToken));
    }

    private static List<DirectoryEntry> all(Function<@Nullable String, DirectoryPage> page) {
        List<DirectoryEntry> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            if (++pages > MAX_PAGES) {
                throw new MalformedDataException(
                        "the directory did not end after " + MAX_PAGES + " pages; its page tokens may loop",
                        ErrorContext.NONE,
                        null);
            }
            DirectoryPage p = page.apply(token);
            if (all.size() + p.entries().size() > MAX_ENTRIES) {
                throw new LimitExceededException(
                        "directory entries",
                        MAX_ENTRIES,
                        "the directory holds more than " + MAX_ENTRIES
                                + " entries; read it page by page, or by group (groupMembers)");
            }
            all.addAll(p.entries());
            token = p.nextPageToken();
        } while (token != null);
        return all;
    }
}
