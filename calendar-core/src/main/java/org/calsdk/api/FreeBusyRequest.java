package org.calsdk.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Whose busy time to read, and over which window. Mailboxes are de-duplicated (case-insensitively) and
 * keep their order. Chunking into provider-sized calls, batching and window splitting are the
 * provider's job: pass all mailboxes at once.
 *
 * <pre>{@code
 * FreeBusyRequest req = FreeBusyRequest.of(List.of(alice, bob), TimeWindow.of(from, to));
 * }</pre>
 *
 * @param mailboxes whose busy time, at least one
 * @param window    the window
 * @since 0.1
 */
public record FreeBusyRequest(List<Mailbox> mailboxes, TimeWindow window) {
    /**
     * Checks the request; duplicate mailboxes are asked once, in first-seen order.
     *
     * @param mailboxes whose busy time, at least one
     * @param window the window
     * @throws InvalidInputException if {@code mailboxes} is empty
     */
    public FreeBusyRequest {
        Checks.notNull(mailboxes, "mailboxes");
        Checks.notNull(window, "window");
        if (mailboxes.isEmpty()) {
            throw new InvalidInputException("mailboxes", "mailboxes must not be empty");
        }
        mailboxes = List.copyOf(new LinkedHashSet<>(Checks.immutableList(mailboxes, "mailboxes")));
    }

    /**
     * The busy time of {@code mailboxes} in {@code window}.
     *
     * <pre>{@code
     * FreeBusyResult r = connection.freeBusy().query(FreeBusyRequest.of(List.of(alice, bob), week));
     * }</pre>
     *
     * @param mailboxes at least one
     * @param window the window
     * @return the request
     */
    public static FreeBusyRequest of(List<Mailbox> mailboxes, TimeWindow window) {
        return new FreeBusyRequest(mailboxes, window);
    }

    /**
     * Splits the mailboxes into chunks of at most {@code size}, keeping order.
     *
     * @param size the largest chunk, positive
     * @return the chunks, each immutable
     */
    public List<List<Mailbox>> chunks(int size) {
        Checks.check(size > 0, "size", "size must be positive");
        List<List<Mailbox>> out = new ArrayList<>();
        for (int i = 0; i < mailboxes.size(); i += size) {
            out.add(mailboxes.subList(i, Math.min(mailboxes.size(), i + size)));
        }
        return out;
    }
}
