package org.calsdk.sync;

import org.calsdk.internal.Checks;

/**
 * A connected calendar service the host syncs with: a name the host chooses (one per tenant, say), the
 * provider id it speaks ({@code caldav}, {@code google}, …) and whether it is active. Mailboxes belong to
 * exactly one integration.
 *
 * <pre>{@code
 * store.saveIntegration(Integration.active("acme-google", "google"));
 * }</pre>
 *
 * @param name     the host's name for it, unique in a store
 * @param provider the provider id its connections use
 * @param status   whether its mailboxes are synced
 * @since 0.1
 */
public record Integration(String name, String provider, Status status) {
    /** Longest accepted name. */
    public static final int MAX_NAME = 200;

    public Integration {
        Checks.notBlank(name, "name");
        Checks.check(name.length() <= MAX_NAME, "name", "integration name is longer than " + MAX_NAME + " characters");
        Checks.notBlank(provider, "provider");
        Checks.check(provider.length() <= 100, "provider", "provider id is longer than 100 characters");
        Checks.notNull(status, "status");
    }

    /** An active integration. */
    public static Integration active(String name, String provider) {
        return new Integration(name, provider, Status.ACTIVE);
    }

    public Integration withStatus(Status status) {
        return new Integration(name, provider, status);
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    /** Whether an integration's mailboxes are synced. @since 0.1 */
    public enum Status {
        ACTIVE,
        INACTIVE
    }
}
