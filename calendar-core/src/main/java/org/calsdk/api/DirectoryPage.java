package org.calsdk.api;

import java.util.List;
import java.util.Optional;

import org.calsdk.internal.Checks;

/**
 * One page of directory users.
 *
 * @param users         the users
 * @param nextPageToken where to continue, or null on the last page
 * @since 0.1
 */
public record DirectoryPage(List<DirectoryUser> users, String nextPageToken) {
    public DirectoryPage {
        users = Checks.immutableList(users, "users");
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextPageToken);
    }
}
