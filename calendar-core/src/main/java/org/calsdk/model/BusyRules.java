package org.calsdk.model;

import org.calsdk.internal.Checks;

/**
 * How the host wants events turned into busy time, where the calendar's own marking is not what its
 * users expect. Outlook and Google create all-day events as <em>free</em> by default (a holiday, a trip,
 * "working from Lisbon"), yet the people booking through the host's product expect an all-day event to
 * block the day. With {@link #defaults()} it does; {@link #asCalendarSays()} keeps the calendar's marking.
 *
 * <p>Cancelled events never block, whatever the rules: a cancelled all-day event is not a plan.
 *
 * <pre>{@code
 * List<BusyInterval> busy = Recurrences.busy(events, window, zone, ExpansionLimits.DEFAULT, BusyRules.defaults());
 * Optional<BusyInterval> block = externalChange.busyBlock(zone, BusyRules.asCalendarSays());
 * }</pre>
 *
 * @param allDayEventsBlock whether an all-day event that is not cancelled blocks its day as BUSY even when
 *                          the calendar marks it free (transparent, or "show as free")
 * @since 0.3
 */
public record BusyRules(boolean allDayEventsBlock) {

    /**
     * The SDK's default, the one users of scheduling products expect: all-day events block their day.
     *
     * @return the default rules
     */
    public static BusyRules defaults() {
        return new BusyRules(true);
    }

    /**
     * Busy time exactly as the calendar marks it: an all-day event marked free does not block.
     *
     * @return the rules
     */
    public static BusyRules asCalendarSays() {
        return new BusyRules(false);
    }

    /**
     * How {@code event} (or one of its occurrences, whose source it is) takes its time under these rules.
     *
     * @param event   the event
     * @param allDay  whether the occurrence in question is a whole-day one
     * @return its {@link Event#busyStatus()}, or BUSY for a free all-day event when all-day events block
     */
    public BusyStatus statusOf(Event event, boolean allDay) {
        Checks.notNull(event, "event");
        BusyStatus status = event.busyStatus();
        if (allDayEventsBlock && allDay && status == BusyStatus.FREE && event.status() != EventStatus.CANCELLED) {
            return BusyStatus.BUSY;
        }
        return status;
    }
}
