package org.calsdk.api;

import java.util.List;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One page of directory entries.
 *
 * @param entries       the entries of this page
 * @param nextPageToken where to continue, or null on the last page
 * @since 0.1
 */
public record DirectoryPage(
        List<DirectoryEntry> entries, @Nullable String nextPageToken) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param entries the entries of this page
     * @param nextPageToken where to continue, or null on the last page
     */
    public DirectoryPage {
        entries = Checks.immutableList(entries, "entries");
    }

    /**
     * Whether this is the last page.
     *
     * @return true when there is no next page token
     */
    public boolean isLast() {
        return nextPageToken == null;
    }
}
