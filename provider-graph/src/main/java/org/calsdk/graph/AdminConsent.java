package org.calsdk.graph;

import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.calsdk.errors.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The Microsoft identity platform's admin-consent round trip for an app that uses application
 * permissions: {@link #url} is where a tenant administrator grants the app's permissions, and
 * {@link #callback} reads what the platform sends back to the redirect URI ({@code admin_consent=True}
 * and {@code tenant}, or {@code error} and {@code error_description}).
 *
 * <pre>{@code
 * HttpUrl consent = AdminConsent.url("contoso.onmicrosoft.com", clientId, "https://app.example/consent", state);
 * // ... redirect the administrator there; on the callback:
 * AdminConsent.Result r = AdminConsent.callback(queryParameters, state);
 * if (r.granted()) { store(r.tenant()); } else { show(r.error()); }
 * }</pre>
 *
 * @since 0.1
 */
public final class AdminConsent {
    private AdminConsent() {}

    /**
     * The outcome of a consent callback.
     *
     * @param granted          whether the administrator granted the app's permissions
     * @param tenant           the tenant id that granted them; null unless {@code granted}
     * @param error            the platform's error code ({@code access_denied}, ...), or {@code consent_not_given}
     *                         when the callback neither granted nor named an error; null when {@code granted}
     * @param errorDescription the platform's human-readable explanation of {@code error}, or null when it sent none
     */
    public record Result(
            boolean granted,
            @Nullable String tenant,
            @Nullable String error,
            @Nullable String errorDescription) {}

    /**
     * The admin-consent URL on {@code https://login.microsoftonline.com/}.
     *
     * @param tenant      the tenant id or domain ({@code organizations} lets the administrator's tenant decide)
     * @param clientId    the app's client id
     * @param redirectUri a redirect URI registered for the app
     * @param state       an unguessable value, checked again by {@link #callback}
     * @return the URL to send the administrator's browser to, asking for the app's {@code .default} Graph scope
     * @throws InvalidInputException when an argument is null or blank
     */
    public static HttpUrl url(String tenant, String clientId, String redirectUri, String state) {
        return url(HttpUrl.get(GraphProvider.DEFAULT_AUTHORITY), tenant, clientId, redirectUri, state);
    }

    /**
     * The admin-consent URL on another authority (a national cloud, a fake).
     *
     * @param authority   the authority root, such as {@code https://login.microsoftonline.us/}
     * @param tenant      the tenant id or domain ({@code organizations} lets the administrator's tenant decide)
     * @param clientId    the app's client id
     * @param redirectUri a redirect URI registered for the app
     * @param state       an unguessable value, checked again by {@link #callback}
     * @return the URL to send the administrator's browser to
     * @throws NullPointerException  if {@code authority} is null
     * @throws InvalidInputException when another argument is null or blank
     */
    public static HttpUrl url(HttpUrl authority, String tenant, String clientId, String redirectUri, String state) {
        Objects.requireNonNull(authority, "authority == null");
        return authority
                .newBuilder()
                .addPathSegment(required(tenant, "tenant"))
                .addPathSegment("v2.0")
                .addPathSegment("adminconsent")
                .addQueryParameter("client_id", required(clientId, "clientId"))
                .addQueryParameter("scope", "https://graph.microsoft.com/.default")
                .addQueryParameter("redirect_uri", required(redirectUri, "redirectUri"))
                .addQueryParameter("state", required(state, "state"))
                .build();
    }

    /**
     * Reads the callback's query parameters.
     *
     * @param query         the parameters of the request to the redirect URI
     * @param expectedState the state sent with {@link #url}
     * @return whether consent was granted, and for which tenant, or the platform's error
     * @throws InvalidInputException when the state does not match (a forged or replayed callback), or the
     *                               callback says consent was granted but names no tenant
     */
    public static Result callback(Map<String, String> query, String expectedState) {
        Objects.requireNonNull(query, "query == null");
        String state = query.get("state");
        if (state == null
                || !java.security.MessageDigest.isEqual(
                        state.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        required(expectedState, "expectedState").getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new InvalidInputException(
                    "state", "the consent callback's state does not match the one sent: " + "ignore this callback");
        }
        String error = query.get("error");
        if (error != null) {
            return new Result(false, null, error, query.get("error_description"));
        }
        boolean granted = "true".equalsIgnoreCase(query.get("admin_consent"));
        String tenant = query.get("tenant");
        if (granted && (tenant == null || tenant.isBlank())) {
            throw new InvalidInputException(
                    "tenant", "the consent callback says consent was given but names no tenant");
        }
        return new Result(granted, granted ? tenant : null, granted ? null : "consent_not_given", null);
    }

    private static String required(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(name, name + " is required");
        }
        return v.strip();
    }
}
