package org.calsdk.auth;

/**
 * How a connection proves who it is. The core's kinds cover every provider, so a host builds them
 * from stored values without compiling against a provider module:
 * <ul>
 *   <li>{@link PasswordCredentials}: CalDAV app-specific passwords, EWS on-premises accounts;</li>
 *   <li>{@link RefreshTokenCredentials}: one user's OAuth 2 grant (Google, Microsoft, OAuth CalDAV);</li>
 *   <li>{@link TokenCredentials}: access tokens from the host's own {@link AccessTokenSource};</li>
 *   <li>{@link ServiceAccountCredentials}: a service account key plus the subject to act as (Google
 *       domain-wide delegation);</li>
 *   <li>{@link ClientCredentials}: a client id plus a secret or certificate in a tenant (Graph
 *       application permissions).</li>
 * </ul>
 * A provider accepts the kinds it can use and refuses the others with an
 * {@link org.calsdk.errors.InvalidInputException} naming the kind. No implementation may print a secret
 * in {@code toString()}.
 *
 * @since 0.1
 */
public interface Credentials {
    /**
     * A short name of the kind of credential ({@code password}, {@code oauth2}, …), for diagnostics.
     *
     * @return the kind, never a secret
     */
    String kind();
}
