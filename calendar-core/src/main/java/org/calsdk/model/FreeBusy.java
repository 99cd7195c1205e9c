package org.calsdk.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.calsdk.errors.CalendarException;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * The answer for one mailbox of a free/busy request: its busy intervals, or the error that kept us
 * from reading them (a mailbox not found, outside the service account's scope, …). One mailbox failing
 * never fails the others.
 *
 * @param mailbox the mailbox asked about
 * @param busy    busy intervals, sorted by start (empty when {@code error} is set)
 * @param error   what went wrong for this mailbox, or null
 * @since 0.1
 */
public record FreeBusy(
        Mailbox mailbox, List<BusyInterval> busy, @Nullable CalendarException error) {
    /**
     * Checks the answer and keeps an immutable copy of {@code busy}.
     *
     * @param mailbox the mailbox asked about
     * @param busy busy intervals, sorted by start (empty when {@code error} is set)
     * @param error what went wrong for this mailbox, or null
     */
    public FreeBusy {
        Checks.notNull(mailbox, "mailbox");
        busy = Checks.immutableList(busy, "busy");
    }

    private static final Comparator<BusyInterval> BY_START_THEN_END =
            Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::end);

    /**
     * A mailbox's busy time, sorted by start then end.
     *
     * @param mailbox the mailbox
     * @param busy its busy intervals, in any order
     * @return the answer
     */
    public static FreeBusy of(Mailbox mailbox, List<BusyInterval> busy) {
        List<BusyInterval> sorted = new ArrayList<>(busy);
        sorted.sort(BY_START_THEN_END);
        return new FreeBusy(mailbox, sorted, null);
    }

    /**
     * A mailbox whose busy time could not be read (the others of the request still can be).
     *
     * @param mailbox the mailbox
     * @param error why
     * @return the answer, with no intervals
     */
    public static FreeBusy failed(Mailbox mailbox, CalendarException error) {
        return new FreeBusy(mailbox, List.of(), Checks.notNull(error, "error"));
    }

    /**
     * Whether the mailbox was answered.
     *
     * @return {@code true} without an {@link #error()}
     */
    public boolean ok() {
        return error == null;
    }
}
