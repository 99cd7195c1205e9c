package org.calsdk.auth;

import org.calsdk.internal.Checks;

/**
 * A user name and a password: an iCloud/Fastmail app-specific password for CalDAV, or an Exchange
 * on-premises account. Store the password encrypted ({@link TokenStore}); it is never printed.
 *
 * @param username the account name (often the email address)
 * @param password the password
 * @since 0.1
 */
public record PasswordCredentials(String username, Secret password) implements Credentials {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param username the account name (often the email address)
     * @param password the password
     */
    public PasswordCredentials {
        Checks.notBlank(username, "username");
        Checks.notNull(password, "password");
    }

    /**
     * A user name and password (CalDAV, an iCloud app-specific password; EWS).
     *
     * @param username the user name
     * @param password the password
     * @return the credentials
     */
    public static PasswordCredentials of(String username, Secret password) {
        return new PasswordCredentials(username, password);
    }

    @Override
    public String kind() {
        return "password";
    }

    @Override
    public String toString() {
        return "PasswordCredentials[username=" + username + ", password=****]";
    }
}
