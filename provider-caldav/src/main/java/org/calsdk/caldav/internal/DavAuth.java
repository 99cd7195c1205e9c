package org.calsdk.caldav.internal;

import java.nio.charset.StandardCharsets;
import okhttp3.Request;
import okhttp3.Response;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.TokenCredentials;

/**
 * How CalDAV requests prove who they are: Basic (an app-specific password) sent pre-emptively, switched
 * to Digest for hosts that challenge with Digest; or Bearer tokens for OAuth-protected servers, refreshed
 * once after a 401.
 */
public final class DavAuth implements org.calsdk.http.Authorizer {
    private final PasswordCredentials password;
    private final AccessTokenSource tokens;
    private final DigestAuth digest;
    private volatile AccessToken current;

    private DavAuth(PasswordCredentials password, AccessTokenSource tokens) {
        this.password = password;
        this.tokens = tokens;
        this.digest = password == null ? null : new DigestAuth(password);
    }

    public static DavAuth of(Credentials credentials) {
        if (credentials == null) {
            return new DavAuth(null, null);
        }
        if (credentials instanceof PasswordCredentials p) {
            return new DavAuth(p, null);
        }
        if (credentials instanceof TokenCredentials t) {
            return new DavAuth(null, t.source());
        }
        if (credentials instanceof RefreshTokenCredentials r) {
            // CalDAV has no token endpoint of its own: the credentials must name the server's
            return new DavAuth(null, r.tokenSource(null).provider("caldav").build());
        }
        throw new org.calsdk.errors.InvalidInputException(
                "credentials",
                "CalDAV takes password or OAuth 2 " + "(token source or refresh token) credentials, not '"
                        + credentials.kind() + "'");
    }

    public boolean hasCredentials() {
        return password != null || tokens != null;
    }

    /** {@code r} with the Authorization header this connection sends. */
    @Override
    public Request authorize(Request r) {
        if (password != null) {
            if (digest.knows(r)) {
                return digest.authorize(r);
            }
            return r.newBuilder()
                    .header(
                            "Authorization",
                            okhttp3.Credentials.basic(
                                    password.username(), password.password().reveal(), StandardCharsets.UTF_8))
                    .build();
        }
        if (tokens != null) {
            AccessToken t = tokens.token();
            current = t;
            return r.newBuilder()
                    .header("Authorization", "Bearer " + t.token().reveal())
                    .build();
        }
        return r;
    }

    /** After a 401: whether a retry may succeed (a token was refreshed). Passwords cannot be refreshed. */
    @Override
    public boolean refreshAfterUnauthorized(Request rejected) {
        if (password != null && digest.knows(rejected) && !isDigest(rejected)) {
            return true; // a Digest challenge arrived meanwhile: answer it instead of Basic
        }
        if (tokens != null) {
            AccessToken seen = current;
            if (seen != null) {
                tokens.refresh(seen);
                return true;
            }
        }
        return false;
    }

    private static boolean isDigest(Request r) {
        String h = r.header("Authorization");
        return h != null && h.regionMatches(true, 0, "Digest ", 0, 7);
    }

    @Override
    public String toString() {
        return "DavAuth[" + (password != null ? "password" : tokens != null ? "bearer" : "none") + "]";
    }

    /** The OkHttp authenticator answering Digest challenges (null result: give the 401 to the caller). */
    public okhttp3.Authenticator digestAuthenticator() {
        return (route, response) -> digest == null ? null : digestAnswer(response);
    }

    private Request digestAnswer(Response response) {
        return digest.onUnauthorized(response);
    }
}
