package org.calsdk.auth;

/**
 * How a connection proves who it is. Implementations: {@link PasswordCredentials} (CalDAV
 * app-specific passwords, EWS on-premises), {@link TokenCredentials} (OAuth 2 access tokens from an
 * {@link AccessTokenSource}, refreshed as needed); provider modules add their own (a Google service
 * account key, a Graph client secret) for organization-wide access. No implementation may print a
 * secret in {@code toString()}.
 *
 * @since 0.1
 */
public interface Credentials {
    /** A short name of the kind of credential ({@code password}, {@code oauth2}, …), for diagnostics. */
    String kind();
}
