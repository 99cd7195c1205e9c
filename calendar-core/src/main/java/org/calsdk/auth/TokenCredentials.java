package org.calsdk.auth;

import org.calsdk.internal.Checks;

/**
 * OAuth 2 bearer tokens from a source that refreshes them (a user's grant to Google or Microsoft, or an
 * OAuth-protected CalDAV server).
 *
 * @param source where tokens come from
 * @since 0.1
 */
public record TokenCredentials(AccessTokenSource source) implements Credentials {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param source where tokens come from
     */
    public TokenCredentials {
        Checks.notNull(source, "source");
    }

    @Override
    public String kind() {
        return "oauth2";
    }
}
