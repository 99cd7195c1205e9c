package org.calsdk.api;

import java.util.List;
import java.util.Optional;
import org.calsdk.internal.Checks;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;

/**
 * The answer to a {@link FreeBusyRequest}: one {@link FreeBusy} per mailbox asked about, in the
 * request's order, each either busy intervals or that mailbox's own error.
 *
 * @param results one per requested mailbox
 * @since 0.1
 */
public record FreeBusyResult(List<FreeBusy> results) {
    /**
     * Keeps an immutable copy of {@code results}.
     *
     * @param results one per requested mailbox
     */
    public FreeBusyResult {
        results = Checks.immutableList(results, "results");
    }

    /**
     * The answer for one mailbox.
     *
     * @param mailbox a requested mailbox
     * @return its busy intervals or its own error; empty when it was not asked
     */
    public Optional<FreeBusy> get(Mailbox mailbox) {
        return results.stream().filter(r -> r.mailbox().equals(mailbox)).findFirst();
    }

    /**
     * Whether every mailbox was answered without error.
     *
     * @return true when no mailbox has an error
     */
    public boolean allOk() {
        return results.stream().allMatch(FreeBusy::ok);
    }
}
