package org.calsdk.auth;

/**
 * Hands out bearer tokens for one grant, refreshing them when they expire. Providers call
 * {@link #token()} before each request and {@link #refresh(AccessToken)} once when the server
 * rejects a token (HTTP 401); if the refreshed token is rejected too, the grant is dead and the provider
 * throws {@link org.calsdk.errors.ReauthorizationRequiredException}.
 *
 * @since 0.1
 */
public interface AccessTokenSource {
    /**
     * A token that is valid now, refreshing first if the cached one has (nearly) expired.
     *
     * @return a token valid now
     * @throws org.calsdk.errors.ReauthorizationRequiredException when the grant is gone and the user must authorize
     *     again
     */
    AccessToken token();

    /**
     * Forces a refresh because the server rejected {@code rejected}. If another thread already
     * refreshed past it, returns that newer token without another refresh.
     *
     * @param rejected the token the server refused
     * @return a newer token
     * @throws org.calsdk.errors.ReauthorizationRequiredException when the refresh token was revoked
     */
    AccessToken refresh(AccessToken rejected);

    /**
     * A source that always hands out {@code token}: for a token the host keeps fresh elsewhere, and for tests.
     * A refresh returns the same token, so a server that refuses it twice makes the provider report
     * {@link org.calsdk.errors.ReauthorizationRequiredException}. Its {@code toString()} never shows the token.
     *
     * <pre>{@code
     * Credentials c = new TokenCredentials(AccessTokenSource.fixed(new AccessToken(Secret.of(token), null)));
     * }</pre>
     *
     * @param token the token, not null
     * @return the source
     * @since 0.5
     */
    static AccessTokenSource fixed(AccessToken token) {
        java.util.Objects.requireNonNull(token, "token == null");
        return new AccessTokenSource() {
            @Override
            public AccessToken token() {
                return token;
            }

            @Override
            public AccessToken refresh(AccessToken rejected) {
                return token;
            }

            @Override
            public String toString() {
                return "AccessTokenSource.fixed[****]";
            }
        };
    }
}
