package org.calsdk.testkit;

import java.util.List;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * When a {@link FakeServer} misbehaves: which operation (a route's operation name, or any), which mailbox
 * (or any), how often ({@code times} calls, every call, or a seeded random share of calls), and how
 * ({@link Fault}). Immutable; build with {@link #on(String)} or {@link #onAnyOperation()}.
 *
 * <pre>{@code
 * server.faults().add(FaultRule.on("events.insert").times(2).inject(Fault.unavailable()));
 * server.faults().add(FaultRule.on("freebusy").forMailbox("bob@example.com").always()
 *     .inject(Fault.tooManyRequests(Duration.ofSeconds(1))));
 * server.faults().add(FaultRule.onAnyOperation().randomly(42, 10.0)
 *     .inject(Fault.unavailable(), Fault.connectionReset()));   // soak: 10% of calls fail
 * }</pre>
 *
 * @param operation the operation it applies to, or null for any
 * @param mailbox   the mailbox it applies to (compared ignoring case), or null for any
 * @param times     how many calls it hits; {@link #ALWAYS} for every call
 * @param percent   for a random rule, the share of matching calls hit (0–100); null otherwise
 * @param seed      the random rule's seed
 * @param faults    the faults; a random rule picks one per hit with its random source, others use the first
 * @since 0.1
 */
public record FaultRule(
        @Nullable String operation,
        @Nullable String mailbox,
        int times,
        @Nullable Double percent,
        long seed,
        List<Fault> faults) {
    /** {@code times} value of a rule that never runs out. */
    public static final int ALWAYS = -1;

    /**
     * Checks the rule and copies its faults.
     *
     * @param operation the operation it applies to, or null for any
     * @param mailbox the mailbox it applies to (compared ignoring case), or null for any
     * @param times how many calls it hits; {@link #ALWAYS} for every call
     * @param percent for a random rule, the share of matching calls hit (0–100); null otherwise
     * @param seed the random rule's seed
     * @param faults the faults; a random rule picks one per hit with its random source, others use the first
     * @throws org.calsdk.errors.InvalidInputException if {@code times} is neither positive nor {@link #ALWAYS},
     *     {@code percent} is outside 0..100, or {@code faults} is empty
     * @throws NullPointerException if {@code faults} is null
     */
    public FaultRule {
        Checks.check(times == ALWAYS || times > 0, "times", "times must be positive or ALWAYS");
        Checks.check(percent == null || (percent >= 0 && percent <= 100), "percent", "percent must be 0..100");
        faults = Checks.immutableList(faults, "faults");
        Checks.check(!faults.isEmpty(), "faults", "a rule needs at least one fault");
    }

    /**
     * A rule for the operation {@code operation}.
     *
     * @param operation the route's (or SPI) operation name, such as {@code events.insert} or {@code CREATE_EVENT}
     * @return a builder that fires once, for any mailbox
     */
    public static Builder on(String operation) {
        return new Builder(Checks.notBlank(operation, "operation"));
    }

    /**
     * A rule for every operation.
     *
     * @return a builder that fires once, for any mailbox
     */
    public static Builder onAnyOperation() {
        return new Builder(null);
    }

    /**
     * Whether the rule concerns a call of {@code op} for {@code forMailbox} (which may be null).
     *
     * @param op the call's operation name
     * @param forMailbox the mailbox the call concerns, or null
     * @return true when the operation matches (or the rule has none) and the mailbox matches, ignoring case (or the
     *     rule names none)
     */
    public boolean matches(String op, String forMailbox) {
        return (operation == null || operation.equals(op)) && (mailbox == null || mailbox.equalsIgnoreCase(forMailbox));
    }

    /** Builds a {@link FaultRule}. */
    public static final class Builder {
        private final String operation;
        private String mailbox;
        private int times = 1;
        private Double percent;
        private long seed;

        private Builder(String operation) {
            this.operation = operation;
        }

        /**
         * Only calls concerning {@code email}.
         *
         * @param email the mailbox address, matched ignoring case
         * @return this builder
         */
        public Builder forMailbox(String email) {
            this.mailbox = Checks.notBlank(email, "email");
            return this;
        }

        /**
         * The next {@code n} matching calls (default 1).
         *
         * @param n the number of calls, positive
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code n} is not positive
         */
        public Builder times(int n) {
            Checks.check(n > 0, "times", "times must be positive");
            this.times = n;
            return this;
        }

        /**
         * Every matching call.
         *
         * @return this builder
         */
        public Builder always() {
            this.times = ALWAYS;
            return this;
        }

        /**
         * {@code percent}% of matching calls, chosen by a random source seeded with {@code seed}; never runs out.
         *
         * @param seed the random source's seed (the same seed picks the same calls)
         * @param percent the share of calls hit, 0 to 100
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code percent} is outside 0..100
         */
        public Builder randomly(long seed, double percent) {
            this.seed = seed;
            this.percent = percent;
            this.times = ALWAYS;
            return this;
        }

        /**
         * Finishes the rule with what the matching calls get.
         *
         * @param faults the faults, at least one; a random rule picks one per hit, others use the first
         * @return the rule, to add to a {@link FaultScript}
         * @throws org.calsdk.errors.InvalidInputException if no fault is given
         */
        public FaultRule inject(Fault... faults) {
            return new FaultRule(operation, mailbox, times, percent, seed, List.of(faults));
        }
    }
}
