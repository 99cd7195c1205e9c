package org.calsdk.http;

import okhttp3.Request;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.http.internal.BasicAuthorizer;
import org.calsdk.http.internal.BearerAuthorizer;
import org.calsdk.internal.Checks;

/**
 * Adds credentials to each attempt of an {@link HttpCall} and reacts to HTTP 401. When a response is
 * 401, {@link HttpTransport} calls {@link #refreshAfterUnauthorized(Request)} once per call: if it returns
 * true, the request is authorized again and re-sent; a second 401, or {@code false}, ends the call with
 * {@link org.calsdk.errors.ReauthorizationRequiredException}.
 *
 * <pre>{@code
 * Authorizer auth = Authorizer.forCredentials(config.credentials().orElse(null));
 * HttpCall call = HttpCall.builder(request).authorizer(auth).build();
 * }</pre>
 *
 * @since 0.1
 */
public interface Authorizer {
    /**
     * Returns {@code request} with its credentials added (for example an {@code Authorization} header).
     *
     * @param request the request to send, not yet authorized
     * @return a request carrying the credentials (a new one; OkHttp requests are immutable)
     * @throws org.calsdk.errors.ReauthorizationRequiredException when no valid credentials can be obtained
     */
    Request authorize(Request request);

    /**
     * The server answered 401 to {@code rejected} (the request as {@link #authorize} returned it). Gets
     * fresh credentials if that is possible.
     *
     * @param rejected the request the server refused
     * @return true when new credentials were obtained and the request should be sent again
     * @throws org.calsdk.errors.ReauthorizationRequiredException when the grant is revoked
     */
    boolean refreshAfterUnauthorized(Request rejected);

    /**
     * HTTP Basic authentication with a user name and (app-specific) password; cannot refresh.
     *
     * @param credentials the user name and password
     * @return an authorizer adding {@code Authorization: Basic}
     */
    static Authorizer basic(PasswordCredentials credentials) {
        return new BasicAuthorizer(Checks.notNull(credentials, "credentials"));
    }

    /**
     * {@code Authorization: Bearer} tokens from {@code source}; refreshes once after a 401.
     *
     * @param source where access tokens come from
     * @return an authorizer adding {@code Authorization: Bearer}
     */
    static Authorizer bearer(AccessTokenSource source) {
        return new BearerAuthorizer(Checks.notNull(source, "source"));
    }

    /**
     * Sends requests unchanged; a 401 means the server wants credentials that were not given.
     *
     * @return the shared no-op authorizer
     */
    static Authorizer none() {
        return NoAuthorizer.INSTANCE;
    }

    /**
     * The authorizer for {@code credentials}: basic for {@link PasswordCredentials}, bearer for
     * {@link TokenCredentials}, none for null.
     *
     * @param credentials the connection's credentials, or null
     * @return the matching authorizer
     * @throws InvalidInputException for a kind of credentials that plain HTTP cannot use
     */
    static Authorizer forCredentials(Credentials credentials) {
        if (credentials == null) {
            return none();
        }
        if (credentials instanceof PasswordCredentials p) {
            return basic(p);
        }
        if (credentials instanceof TokenCredentials t) {
            return bearer(t.source());
        }
        throw new InvalidInputException(
                "credentials",
                "credentials of kind '" + credentials.kind()
                        + "' cannot authorize plain HTTP requests; use password or OAuth 2 token credentials");
    }

    /** The authorizer behind {@link Authorizer#none()}. */
    enum NoAuthorizer implements Authorizer {
        /** The only instance. */
        INSTANCE;

        @Override
        public Request authorize(Request request) {
            return request;
        }

        @Override
        public boolean refreshAfterUnauthorized(Request rejected) {
            return false;
        }

        @Override
        public String toString() {
            return "Authorizer.none()";
        }
    }
}
