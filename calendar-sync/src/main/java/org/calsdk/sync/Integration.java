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

    /**
     * Checks that the name (at most {@link #MAX_NAME} characters), provider and status are set.
     *
     * @param name the host's name for it, unique in a store
     * @param provider the provider id its connections use
     * @param status whether its mailboxes are synced
     */
    public Integration {
        Checks.notBlank(name, "name");
        Checks.check(name.length() <= MAX_NAME, "name", "integration name is longer than " + MAX_NAME + " characters");
        Checks.notBlank(provider, "provider");
        Checks.check(provider.length() <= 100, "provider", "provider id is longer than 100 characters");
        Checks.notNull(status, "status");
    }

    /**
     * An active integration.
     *
     * @param name the integration's name
     * @param provider the provider id (for example {@code graph})
     * @return an active integration
     */
    public static Integration active(String name, String provider) {
        return new Integration(name, provider, Status.ACTIVE);
    }

    /**
     * This integration with another status.
     *
     * @param status the new status
     * @return the integration with {@code status}
     */
    public Integration withStatus(Status status) {
        return new Integration(name, provider, status);
    }

    /**
     * Whether its mailboxes are synced.
     *
     * @return whether its status is {@link Status#ACTIVE}
     */
    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    /** Whether an integration's mailboxes are synced. @since 0.1 */
    public enum Status {
        /** Its mailboxes are synced. */
        ACTIVE,
        /** Its mailboxes are not synced (being removed, or paused by the host). */
        INACTIVE
    }
}
