package org.calsdk.auth;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * One user's OAuth 2 grant, kept as its refresh token: the SDK gets access tokens from it as needed
 * ({@link OAuth2TokenSource}), so a host configures a per-user connection from stored values without
 * compiling against the provider. The provider supplies its own token endpoint when
 * {@code tokenEndpoint} is null (Google's, or Microsoft's for the tenant); a provider with no endpoint of
 * its own (an OAuth-protected CalDAV server) needs it set.
 *
 * <pre>{@code
 * Credentials c = new RefreshTokenCredentials(clientId, Secret.of(clientSecret), Secret.of(refreshToken),
 *     null, Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @param clientId      the application's client id
 * @param clientSecret  the application's client secret, or null for a public client
 * @param refreshToken  the user's refresh token; never printed
 * @param tokenEndpoint the token endpoint URL, or null for the provider's own
 * @param user          the user whose grant it is (put in errors), or null
 * @since 0.2
 */
public record RefreshTokenCredentials(
        String clientId,
        @Nullable Secret clientSecret,
        Secret refreshToken,
        @Nullable String tokenEndpoint,
        @Nullable Mailbox user)
        implements Credentials {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param clientId the application's client id
     * @param clientSecret the application's client secret, or null for a public client
     * @param refreshToken the user's refresh token; never printed
     * @param tokenEndpoint the token endpoint URL, or null for the provider's own
     * @param user the user whose grant it is (put in errors), or null
     */
    public RefreshTokenCredentials {
        Checks.notBlank(clientId, "clientId");
        Checks.notNull(refreshToken, "refreshToken");
        Checks.check(!refreshToken.isEmpty(), "refreshToken", "the refresh token is empty");
        Checks.check(tokenEndpoint == null || !tokenEndpoint.isBlank(), "tokenEndpoint", "tokenEndpoint is blank");
    }

    /**
     * A builder of the token source for this grant: at {@link #tokenEndpoint()}, or at
     * {@code defaultEndpoint} when that is null. Add a clock, a token store or a relink URL, then build.
     *
     * @param defaultEndpoint the provider's own token endpoint, or null when it has none
     * @return a builder with the client id, secret and refresh token set
     * @throws InvalidInputException when neither endpoint is known
     */
    public OAuth2TokenSource.Builder tokenSource(@Nullable String defaultEndpoint) {
        String endpoint = tokenEndpoint != null ? tokenEndpoint : defaultEndpoint;
        if (endpoint == null) {
            throw new InvalidInputException(
                    "tokenEndpoint",
                    "these OAuth 2 credentials name no token endpoint, and "
                            + "the provider has none of its own; set tokenEndpoint");
        }
        OAuth2TokenSource.Builder b =
                OAuth2TokenSource.builder(endpoint).clientId(clientId).refreshToken(refreshToken);
        if (clientSecret != null) {
            b.clientSecret(clientSecret);
        }
        if (user != null) {
            b.mailbox(user);
        }
        return b;
    }

    @Override
    public String kind() {
        return "oauth2-refresh";
    }
}
