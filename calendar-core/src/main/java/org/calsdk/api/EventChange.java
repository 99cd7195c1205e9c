package org.calsdk.api;

import org.calsdk.internal.Checks;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.jspecify.annotations.Nullable;

/**
 * One change in a calendar seen by an incremental read: an event (or whole series, with its overrides)
 * as it is now, or the removal of one.
 *
 * @since 0.1
 */
public sealed interface EventChange {

    /**
     * The provider's id of the event that changed.
     *
     * @return the id
     */
    String eventId();

    /**
     * An event created or changed; {@code event} is its full current state.
     *
     * <p>A feed that lists recurring series as their occurrences (a windowed feed, see
     * {@link ChangeBatch.Coverage.Window}: Graph {@code calendarView/delta}) gives each occurrence as its own
     * upsert: {@code event} is the occurrence (its {@link Event#recurrenceId()} set, no recurrence rule) with
     * the occurrence's own id, and {@code seriesId} names the series master it belongs to, so that the
     * caller maps it to the series it knows (the sync engine: to the host's series, never as an external
     * event).
     *
     * @param event    the event, or the occurrence
     * @param seriesId for an occurrence listed on its own, the provider id of its series master; null for a
     *                 single event or a whole series
     */
    record Upserted(Event event, @Nullable String seriesId) implements EventChange {
        /**
         * Checks the components as the description above says, and copies any list, map or array given.
         *
         * @param event the event, or the occurrence
         * @param seriesId for an occurrence listed on its own, the provider id of its series master; null for a
         *     single event or a whole series
         */
        public Upserted {
            Checks.notNull(event, "event");
            if (event.id().isEmpty()) {
                throw new IllegalArgumentException("an upserted event must carry its provider id");
            }
            if (seriesId != null) {
                Checks.notBlank(seriesId, "seriesId");
                if (event.recurrenceId().isEmpty() || event.isRecurring()) {
                    throw new IllegalArgumentException("an upsert naming its series must be one occurrence: "
                            + "a recurrenceId and no recurrence rule");
                }
            }
        }

        /**
         * A single event or a whole series.
         *
         * @param event the event (a series master with its overrides)
         */
        public Upserted(Event event) {
            this(event, null);
        }

        @Override
        public String eventId() {
            return event.id().orElseThrow();
        }
    }

    /**
     * An event removed (or cancelled and hidden by the provider).
     *
     * @param eventId the provider id
     * @param uid     its iCalendar UID, when the provider still says
     * @param key     the host's key, when the provider still says
     */
    record Deleted(
            String eventId, @Nullable String uid, @Nullable EventKey key) implements EventChange {
        /**
         * Checks the components as the description above says, and copies any list, map or array given.
         *
         * @param eventId the provider id
         * @param uid its iCalendar UID, when the provider still says
         * @param key the host's key, when the provider still says
         */
        public Deleted {
            Checks.notBlank(eventId, "eventId");
        }
    }
}
