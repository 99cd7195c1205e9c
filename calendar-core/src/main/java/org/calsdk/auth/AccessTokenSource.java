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
}
