package org.calsdk.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * The fault rules of one {@link FakeServer}, consulted in the order they were added: the first rule
 * that matches a call (and is not used up) decides its fault. Thread-safe.
 *
 * <pre>{@code
 * server.faults().add(FaultRule.on("events.list").times(1).inject(Fault.invalidSyncToken()));
 * }</pre>
 *
 * @since 0.1
 */
public final class FaultScript {

    private static final class Armed {
        final FaultRule rule;
        int remaining;
        final Random random;

        Armed(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.times();
            this.random = rule.percent() == null ? null : new Random(rule.seed());
        }
    }

    private final List<Armed> rules = new ArrayList<>();
    private long injected;

    /**
     * Adds a rule after the existing ones.
     *
     * @param rule the rule, not null
     * @return this script
     */
    public synchronized FaultScript add(FaultRule rule) {
        rules.add(new Armed(Checks.notNull(rule, "rule")));
        return this;
    }

    /** Removes every rule. */
    public synchronized void clear() {
        rules.clear();
    }

    /**
     * The rules that can still fire.
     *
     * @return an immutable snapshot, in the order they are tried
     */
    public synchronized List<FaultRule> pending() {
        return rules.stream().map(a -> a.rule).toList();
    }

    /**
     * How many calls got a fault so far.
     *
     * @return the count since this script was made or last cleared
     */
    public synchronized long injectedCount() {
        return injected;
    }

    /**
     * The fault for one call of {@code operation} concerning {@code mailbox} (null when unknown), consuming
     * one use of the rule. Called by the server for every request.
     *
     * @param operation the call's operation name
     * @param mailbox the mailbox it concerns, or null
     * @return the fault of the first rule that matches, or empty
     */
    public synchronized Optional<Fault> next(String operation, String mailbox) {
        for (Iterator<Armed> it = rules.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (!a.rule.matches(operation, mailbox)) {
                continue;
            }
            Fault fault = fire(a, it);
            if (fault != null) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /**
     * What happens to one call of {@code operation} about {@code mailboxes} (several for Google freeBusy or
     * Graph getSchedule): rules without a mailbox are tried once for the call; a rule for a mailbox is tried
     * for each of the call's mailboxes it names. A {@link Fault.MailboxError} becomes an error for that
     * mailbox (for every mailbox, from a rule without one) inside a good answer; the first other fault
     * decides the whole call. Called by the server for every call.
     *
     * @param operation the call's operation
     * @param mailboxes its mailboxes, possibly empty
     * @return the decision
     */
    public synchronized Decision decide(String operation, List<String> mailboxes) {
        Fault callFault = null;
        java.util.Map<String, String> perMailbox = new java.util.LinkedHashMap<>();
        for (Iterator<Armed> it = rules.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.rule.operation() != null && !a.rule.operation().equals(operation)) {
                continue;
            }
            if (a.rule.mailbox() == null) {
                if (callFault != null && !isMailboxError(a.rule)) {
                    continue;
                }
                Fault f = fire(a, it);
                if (f instanceof Fault.MailboxError me) {
                    mailboxes.forEach(m -> perMailbox.putIfAbsent(m, me.code()));
                } else if (f != null) {
                    callFault = f;
                }
                continue;
            }
            for (String m : mailboxes) {
                if (!a.rule.mailbox().equalsIgnoreCase(m)
                        || perMailbox.containsKey(m)
                        || (callFault != null && !isMailboxError(a.rule))) {
                    continue;
                }
                Fault f = fire(a, it);
                if (f instanceof Fault.MailboxError me) {
                    perMailbox.put(m, me.code());
                } else if (f != null) {
                    callFault = f;
                }
                if (!rules.contains(a)) {
                    break;
                }
            }
        }
        return new Decision(callFault, perMailbox);
    }

    private static boolean isMailboxError(FaultRule rule) {
        return rule.faults().stream().allMatch(f -> f instanceof Fault.MailboxError);
    }

    /** Fires {@code a} once: its fault, or null when a random rule lets the call pass. */
    private Fault fire(Armed a, Iterator<Armed> it) {
        Fault fault;
        if (a.random != null) {
            if (a.random.nextDouble() * 100.0 >= a.rule.percent()) {
                return null;
            }
            fault = a.rule.faults().get(a.random.nextInt(a.rule.faults().size()));
        } else {
            fault = a.rule.faults().get(0);
            if (a.remaining != FaultRule.ALWAYS && --a.remaining == 0) {
                it.remove();
            }
        }
        injected++;
        return fault;
    }

    /**
     * What a call gets.
     *
     * @param callFault     the fault of the whole call, or null
     * @param mailboxErrors per-mailbox errors to write into a good answer (mailbox to provider code)
     */
    public record Decision(@Nullable Fault callFault, java.util.Map<String, String> mailboxErrors) {
        /**
         * Copies the per-mailbox errors.
         *
         * @param callFault the fault of the whole call, or null
         * @param mailboxErrors per-mailbox errors to write into a good answer (mailbox to provider code)
         * @throws NullPointerException if {@code mailboxErrors} is null
         */
        public Decision {
            mailboxErrors = java.util.Map.copyOf(mailboxErrors);
        }
    }
}
