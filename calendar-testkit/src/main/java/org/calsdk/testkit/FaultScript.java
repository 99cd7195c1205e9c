package org.calsdk.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.calsdk.testkit.internal.Args;

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

    /** Adds a rule after the existing ones. */
    public synchronized FaultScript add(FaultRule rule) {
        rules.add(new Armed(Args.notNull(rule, "rule")));
        return this;
    }

    /** Removes every rule. */
    public synchronized void clear() {
        rules.clear();
    }

    /** The rules that can still fire. */
    public synchronized List<FaultRule> pending() {
        return rules.stream().map(a -> a.rule).toList();
    }

    /** How many calls got a fault so far. */
    public synchronized long injectedCount() {
        return injected;
    }

    /**
     * The fault for one call of {@code operation} concerning {@code mailbox} (null when unknown), consuming
     * one use of the rule. Called by the server for every request.
     */
    public synchronized Optional<Fault> next(String operation, String mailbox) {
        for (Iterator<Armed> it = rules.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (!a.rule.matches(operation, mailbox)) {
                continue;
            }
            Fault fault;
            if (a.random != null) {
                if (a.random.nextDouble() * 100.0 >= a.rule.percent()) {
                    continue;
                }
                fault = a.rule.faults().get(a.random.nextInt(a.rule.faults().size()));
            } else {
                fault = a.rule.faults().get(0);
                if (a.remaining != FaultRule.ALWAYS && --a.remaining == 0) {
                    it.remove();
                }
            }
            injected++;
            return Optional.of(fault);
        }
        return Optional.empty();
    }
}
