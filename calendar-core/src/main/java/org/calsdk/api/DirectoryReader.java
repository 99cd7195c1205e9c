package org.calsdk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.calsdk.internal.Async;

/**
 * Lists an organization's users (Google Admin SDK, Graph {@code /users}), so the host can match them to
 * its own users by email and notice new ones.
 *
 * @since 0.1
 */
public interface DirectoryReader {

    /** One page of users; {@code pageToken} null for the first. */
    DirectoryPage users(String pageToken);

    /** Every page, concatenated. */
    default List<DirectoryUser> allUsers() {
        List<DirectoryUser> all = new ArrayList<>();
        String token = null;
        do {
            DirectoryPage page = users(token);
            all.addAll(page.users());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    default CompletableFuture<List<DirectoryUser>> allUsersAsync(Executor executor) {
        return Async.supply(executor, this::allUsers);
    }

    default CompletableFuture<DirectoryPage> usersAsync(String pageToken, Executor executor) {
        return Async.supply(executor, () -> users(pageToken));
    }
}
