package org.calsdk.http.internal;

import java.nio.charset.StandardCharsets;
import okhttp3.Request;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.http.Authorizer;

/** HTTP Basic credentials (RFC 7617, UTF-8). A rejected password cannot be refreshed. */
public final class BasicAuthorizer implements Authorizer {
    private final PasswordCredentials credentials;

    public BasicAuthorizer(PasswordCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Request authorize(Request request) {
        String header = okhttp3.Credentials.basic(
                credentials.username(), credentials.password().reveal(), StandardCharsets.UTF_8);
        return request.newBuilder().header("Authorization", header).build();
    }

    @Override
    public boolean refreshAfterUnauthorized(Request rejected) {
        return false;
    }

    @Override
    public String toString() {
        return "Authorizer.basic(" + credentials.username() + ")";
    }
}
