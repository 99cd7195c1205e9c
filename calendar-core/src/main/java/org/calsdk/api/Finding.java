package org.calsdk.api;

import java.util.Locale;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * One result of a {@link Doctor} check, in plain language: what was checked, how it went, for which
 * mailbox, what was found and what to do about it.
 *
 * @param check   which check ({@link #CREDENTIALS}, {@link #MAILBOX_REACHABLE}, ...; a provider's own checks
 *                use names of their own)
 * @param status  ok, warn or fail
 * @param mailbox the mailbox it is about, or null for the connection as a whole
 * @param message what was found, for an administrator; never a secret
 * @param fix     what to do (empty when there is nothing to do)
 * @since 0.2
 */
public record Finding(String check, Status status, @Nullable Mailbox mailbox, String message, String fix) {
    /** The connection's credential is accepted. */
    public static final String CREDENTIALS = "credentials";
    /** A new access token can be obtained when the current one expires. */
    public static final String TOKEN_REFRESH = "token-refresh";
    /** The permissions (OAuth scopes, delegation, consent) cover calendars. */
    public static final String SCOPES = "scopes";
    /** The service account may act as mailboxes (impersonation role, delegation). */
    public static final String IMPERSONATION = "impersonation";
    /** The mailbox can be reached. */
    public static final String MAILBOX_REACHABLE = "mailbox-reachable";
    /** The server's clock (its Date header) agrees with this machine's. */
    public static final String CLOCK_SKEW = "clock-skew";
    /** The connection is encrypted with a certificate that is trusted and not about to expire. */
    public static final String TLS = "tls";
    /** The calendar has events in the coming weeks. */
    public static final String UPCOMING_EVENTS = "upcoming-events";
    /** All-day events marked busy, which block whole days for scheduling. */
    public static final String ALL_DAY_EVENTS = "all-day-events";
    /** Working hours are known for the mailbox. */
    public static final String WORKING_HOURS = "working-hours";
    /** The push subscriptions the sync engine keeps are alive. */
    public static final String PUSH_SUBSCRIPTION = "push-subscription";
    /** The mailbox synced recently. */
    public static final String LAST_SYNC = "last-sync";
    /** Exchange Online and Exchange on-premises are not both enabled for one organization. */
    public static final String EXCHANGE_DEPLOYMENT = "exchange-deployment";

    /** How a check went. */
    public enum Status {
        /** Nothing to do. */
        OK,
        /** Works, but something will surprise users or stop working soon. */
        WARN,
        /** Does not work. */
        FAIL;

        /**
         * The name command lines print.
         *
         * @return {@code ok}, {@code warn} or {@code fail}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Validates the finding; a null {@code fix} becomes empty.
     *
     * @param check   which check
     * @param status  ok, warn or fail
     * @param mailbox the mailbox it is about, or null for the connection as a whole
     * @param message what was found, for an administrator; never a secret
     * @param fix     what to do; null or empty when there is nothing to do
     * @throws NullPointerException when {@code check}, {@code status} or {@code message} is null
     * @throws org.calsdk.errors.InvalidInputException when {@code check} is blank
     */
    public Finding {
        Checks.notBlank(check, "check");
        Checks.notNull(status, "status");
        Checks.notNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    /**
     * A passed check, with nothing to fix.
     *
     * @param check   which check
     * @param mailbox the mailbox it is about, or null for the connection as a whole
     * @param message what was found
     * @return an {@link Status#OK} finding with an empty fix
     */
    public static Finding ok(String check, @Nullable Mailbox mailbox, String message) {
        return new Finding(check, Status.OK, mailbox, message, "");
    }

    /**
     * A warning with its fix: it works, but something will surprise users or stop working soon.
     *
     * @param check   which check
     * @param mailbox the mailbox it is about, or null for the connection as a whole
     * @param message what was found
     * @param fix     what to do (null is taken as empty)
     * @return a {@link Status#WARN} finding
     */
    public static Finding warn(String check, @Nullable Mailbox mailbox, String message, String fix) {
        return new Finding(check, Status.WARN, mailbox, message, fix);
    }

    /**
     * A failure with its fix: the checked thing does not work.
     *
     * @param check   which check
     * @param mailbox the mailbox it is about, or null for the connection as a whole
     * @param message what was found
     * @param fix     what to do (null is taken as empty)
     * @return a {@link Status#FAIL} finding
     */
    public static Finding fail(String check, @Nullable Mailbox mailbox, String message, String fix) {
        return new Finding(check, Status.FAIL, mailbox, message, fix);
    }
}
