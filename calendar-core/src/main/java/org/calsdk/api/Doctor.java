package org.calsdk.api;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.availability.WorkingHours;
import org.calsdk.internal.Checks;
import org.calsdk.internal.DoctorRun;
import org.calsdk.model.Mailbox;

/**
 * The checks an administrator runs when someone is "not syncing": credentials valid, token refresh works,
 * scopes granted, impersonation allowed, each mailbox reachable, clock skew (the server's {@code Date}
 * header against this doctor's clock), TLS, whether the calendar has events in the coming weeks, all-day
 * events that block whole days, working hours, and, given the host's sync state, push subscriptions alive
 * and the age of the last sync; plus the rule that Exchange Online and Exchange on-premises are not both
 * enabled for one organization ({@link ExchangeDeployments}). Each {@link Finding} says in plain language
 * what was found and how to fix it. A connection may add its provider's own checks
 * ({@link CalendarConnection#diagnostics()}).
 *
 * <p>Read-only: the doctor lists, reads and asks, never writes. Work is bounded: at most
 * {@link #MAX_MAILBOXES} mailboxes and {@link #MAX_EVENTS} events read per mailbox.
 *
 * <pre>{@code
 * DoctorReport report = Doctor.builder().mailboxes(List.of(alice)).health(syncHealth).build().run(config);
 * for (Finding f : report.problems()) {
 *     System.out.println(f.status().label() + " " + f.check() + ": " + f.message() + " Fix: " + f.fix());
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class Doctor {
    /** The most mailboxes one run checks. */
    public static final int MAX_MAILBOXES = 1000;
    /** The most events read per mailbox for the calendar checks. */
    public static final int MAX_EVENTS = 5000;
    /** How far ahead the calendar checks look unless told otherwise. */
    public static final Duration DEFAULT_LOOKAHEAD = Duration.ofDays(28);
    /** A clock difference from which the doctor warns. */
    public static final Duration SKEW_WARN = Duration.ofMinutes(1);
    /** A clock difference from which signed requests and tokens fail, so the doctor fails. */
    public static final Duration SKEW_FAIL = Duration.ofMinutes(5);
    /** A last sync older than this is a warning. */
    public static final Duration SYNC_WARN = Duration.ofHours(1);
    /** A last sync older than this is a failure. */
    public static final Duration SYNC_FAIL = Duration.ofHours(24);

    private final CalendarProviders providers;
    private final Clock clock;
    private final List<Mailbox> mailboxes;
    private final Duration lookahead;
    private final ZoneId zone;
    private final Map<Mailbox, MailboxHealth> health;
    private final List<OrganizationIntegration> integrations;
    private final Map<Mailbox, WorkingHours> workingHours;

    private Doctor(Builder b) {
        this.providers = b.providers;
        this.clock = b.clock;
        this.mailboxes = List.copyOf(b.mailboxes);
        this.lookahead = b.lookahead;
        this.zone = b.zone;
        this.health = Map.copyOf(b.health);
        this.integrations = List.copyOf(b.integrations);
        this.workingHours = Map.copyOf(b.workingHours);
    }

    /**
     * Starts a doctor with the defaults: providers from {@link CalendarProviders#load()}, the system clock
     * (UTC), a lookahead of {@link #DEFAULT_LOOKAHEAD}, no host sync state and no integrations.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects with {@code config} (through a transport of the doctor's own that also records the server's
     * clock and the TLS handshake; a transport in the config is used with that recording added), runs every
     * check and closes the connection. A failure to connect at all is a finding, not an exception.
     *
     * @param config the connection to check, as the host would open it
     * @return every finding, in the order checked
     * @throws NullPointerException when {@code config} is null
     * @throws org.calsdk.errors.InvalidInputException when the config itself is invalid (unknown provider,
     *         missing setting)
     */
    public DoctorReport run(ConnectionConfig config) {
        Checks.notNull(config, "config");
        return DoctorRun.run(this, config);
    }

    /**
     * Runs every check on a connection the host already holds. Without the config the doctor cannot watch
     * the HTTP answers, so clock skew and TLS are reported as not measured. The connection stays open; it
     * remains the host's to close.
     *
     * @param connection an open connection
     * @return every finding, in the order checked
     * @throws NullPointerException when {@code connection} is null
     */
    public DoctorReport run(CalendarConnection connection) {
        Checks.notNull(connection, "connection");
        return DoctorRun.run(this, connection);
    }

    /** @return the providers the doctor connects through */
    public CalendarProviders providers() {
        return providers;
    }

    /** @return the clock every "now" is read from */
    public Clock clock() {
        return clock;
    }

    /** @return the mailboxes to check (empty: the connection's own, else the ones with health) */
    public List<Mailbox> mailboxes() {
        return mailboxes;
    }

    /** @return how far ahead the calendar checks look */
    public Duration lookahead() {
        return lookahead;
    }

    /** @return the zone all-day and floating times are read in */
    public ZoneId zone() {
        return zone;
    }

    /** @return the host's sync state, by mailbox */
    public Map<Mailbox, MailboxHealth> health() {
        return health;
    }

    /** @return the host's integrations, for the Exchange rule */
    public List<OrganizationIntegration> integrations() {
        return integrations;
    }

    /** @return working hours the host knows, by mailbox */
    public Map<Mailbox, WorkingHours> workingHours() {
        return workingHours;
    }

    /** Builds a {@link Doctor}. */
    public static final class Builder {
        private CalendarProviders providers;
        private Clock clock = Clock.systemUTC();
        private final List<Mailbox> mailboxes = new ArrayList<>();
        private Duration lookahead = DEFAULT_LOOKAHEAD;
        private ZoneId zone = ZoneOffset.UTC;
        private final Map<Mailbox, MailboxHealth> health = new LinkedHashMap<>();
        private final List<OrganizationIntegration> integrations = new ArrayList<>();
        private final Map<Mailbox, WorkingHours> workingHours = new LinkedHashMap<>();

        private Builder() {}

        /**
         * The providers to connect through (default: {@link CalendarProviders#load()}, loaded at
         * {@link #build()}). Only {@link Doctor#run(ConnectionConfig)} uses them.
         *
         * @param providers the providers registry
         * @return this builder
         * @throws NullPointerException when {@code providers} is null
         */
        public Builder providers(CalendarProviders providers) {
            this.providers = Checks.notNull(providers, "providers");
            return this;
        }

        /**
         * The clock "now" and the clock-skew check are read from (default: the system's, UTC). Tests pass a
         * fixed clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException when {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * Adds mailboxes to check; by default (none added) the connection's own, or those the health covers.
         * Calls add up; a mailbox already added is kept once, in its first place.
         *
         * @param mailboxes the mailboxes to add (may be empty)
         * @return this builder
         * @throws NullPointerException when {@code mailboxes} or one of them is null
         * @throws org.calsdk.errors.InvalidInputException when more than {@link Doctor#MAX_MAILBOXES}
         *         mailboxes would be checked in all
         */
        public Builder mailboxes(Collection<Mailbox> mailboxes) {
            Checks.notNull(mailboxes, "mailboxes");
            for (Mailbox m : mailboxes) {
                if (!this.mailboxes.contains(Checks.notNull(m, "mailbox"))) {
                    this.mailboxes.add(m);
                }
            }
            Checks.check(
                    this.mailboxes.size() <= MAX_MAILBOXES,
                    "mailboxes",
                    "the doctor checks at most " + MAX_MAILBOXES + " mailboxes per run");
            return this;
        }

        /**
         * How far ahead the upcoming-events and all-day checks look (default {@link Doctor#DEFAULT_LOOKAHEAD},
         * 4 weeks).
         *
         * @param lookahead from 1 day to 366 days
         * @return this builder
         * @throws NullPointerException when {@code lookahead} is null
         * @throws org.calsdk.errors.InvalidInputException when it is shorter than a day or longer than a year
         */
        public Builder lookahead(Duration lookahead) {
            Checks.notNull(lookahead, "lookahead");
            Checks.check(
                    lookahead.compareTo(Duration.ofDays(1)) >= 0 && lookahead.compareTo(Duration.ofDays(366)) <= 0,
                    "lookahead",
                    "lookahead must be between 1 day and 1 year");
            this.lookahead = lookahead;
            return this;
        }

        /**
         * The zone all-day and floating times are read in (default UTC).
         *
         * @param zone the zone, usually the organization's
         * @return this builder
         * @throws NullPointerException when {@code zone} is null
         */
        public Builder zone(ZoneId zone) {
            this.zone = Checks.notNull(zone, "zone");
            return this;
        }

        /**
         * The host's sync state of mailboxes, for the last-sync and push checks; without it those checks are
         * not run. Calls add up; a later state for the same mailbox replaces the earlier one.
         *
         * @param health one state per mailbox (may be empty)
         * @return this builder
         * @throws NullPointerException when {@code health} or one of its elements is null
         */
        public Builder health(Collection<MailboxHealth> health) {
            Checks.notNull(health, "health");
            for (MailboxHealth h : health) {
                this.health.put(Checks.notNull(h, "health").mailbox(), h);
            }
            return this;
        }

        /**
         * The host's integrations, so the doctor reports a domain enabled for both Exchange Online and
         * on-premises ({@link ExchangeDeployments#conflicts}). Calls add up.
         *
         * @param integrations the integrations; null counts as none
         * @return this builder
         * @throws NullPointerException when one of the integrations is null
         */
        public Builder integrations(Collection<OrganizationIntegration> integrations) {
            this.integrations.addAll(Checks.immutableList(integrations, "integrations"));
            return this;
        }

        /**
         * Working hours the host keeps for a mailbox, so the working-hours check passes for it even when the
         * provider has none. A second call for the same mailbox replaces the first.
         *
         * @param mailbox the mailbox
         * @param hours   its working hours
         * @return this builder
         * @throws NullPointerException when {@code mailbox} or {@code hours} is null
         */
        public Builder workingHours(Mailbox mailbox, WorkingHours hours) {
            workingHours.put(Checks.notNull(mailbox, "mailbox"), Checks.notNull(hours, "hours"));
            return this;
        }

        /**
         * Builds the doctor, loading {@link CalendarProviders#load()} when no providers were given. The
         * builder's collections are copied, so later calls do not change the built doctor.
         *
         * @return an immutable doctor, ready to {@link Doctor#run(ConnectionConfig) run} any number of times
         */
        public Doctor build() {
            if (providers == null) {
                providers = CalendarProviders.load();
            }
            return new Doctor(this);
        }
    }
}
