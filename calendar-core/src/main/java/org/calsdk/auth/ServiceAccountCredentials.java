package org.calsdk.auth;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * A service account's key, and optionally the user it acts as: Google domain-wide delegation (the JSON
 * key file of a service account; the subject becomes the JWT's {@code sub}). Without a subject the
 * connection speaks for the organization and acts as users through
 * {@link org.calsdk.api.ServiceAccountImpersonator}; with one it is that user's connection.
 *
 * <pre>{@code
 * Credentials c = ServiceAccountCredentials.of(Secret.of(Files.readString(keyFile)))
 *     .actingAs(Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @param key     the key as the provider issued it (Google: the whole JSON key file); never printed
 * @param subject the user to act as, or null for the organization
 * @since 0.2
 */
public record ServiceAccountCredentials(
        Secret key, @Nullable Mailbox subject) implements Credentials {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param key the key as the provider issued it (Google: the whole JSON key file); never printed
     * @param subject the user to act as, or null for the organization
     */
    public ServiceAccountCredentials {
        Checks.notNull(key, "key");
        Checks.check(!key.reveal().isBlank(), "key", "the service account key is empty");
    }

    /**
     * The key, acting for the organization.
     *
     * @param key the service account's key (the provider's key file content)
     * @return credentials acting for the organization
     */
    public static ServiceAccountCredentials of(Secret key) {
        return new ServiceAccountCredentials(key, null);
    }

    /**
     * The same key acting as {@code user}.
     *
     * @param user the mailbox to act as
     * @return a copy acting as {@code user}
     */
    public ServiceAccountCredentials actingAs(Mailbox user) {
        return new ServiceAccountCredentials(key, Checks.notNull(user, "user"));
    }

    @Override
    public String kind() {
        return "service-account";
    }
}
