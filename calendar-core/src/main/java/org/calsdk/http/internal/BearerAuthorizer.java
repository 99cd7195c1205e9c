package org.calsdk.http.internal;

import okhttp3.Request;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.http.Authorizer;

/** OAuth 2 bearer tokens from an {@link AccessTokenSource}. */
public final class BearerAuthorizer implements Authorizer {
    private static final String PREFIX = "Bearer ";

    private final AccessTokenSource source;

    public BearerAuthorizer(AccessTokenSource source) {
        this.source = source;
    }

    @Override
    public Request authorize(Request request) {
        AccessToken token = source.token();
        return request.newBuilder()
                .header("Authorization", PREFIX + token.token().reveal())
                .build();
    }

    @Override
    public boolean refreshAfterUnauthorized(Request rejected) {
        String header = rejected.header("Authorization");
        String value = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? header.substring(PREFIX.length())
                : "";
        source.refresh(new AccessToken(Secret.of(value), null));
        return true;
    }

    @Override
    public String toString() {
        return "Authorizer.bearer(" + source.getClass().getSimpleName() + ")";
    }
}
