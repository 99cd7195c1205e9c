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

    /** The provider's id of the event that changed. */
    String eventId();

    /** An event created or changed; {@code event} is its full current state. */
    record Upserted(Event event) implements EventChange {
        public Upserted {
            Checks.notNull(event, "event");
            if (event.id().isEmpty()) {
                throw new IllegalArgumentException("an upserted event must carry its provider id");
            }
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
    record Deleted(String eventId, @Nullable String uid, @Nullable EventKey key) implements EventChange {
        public Deleted {
            Checks.notBlank(eventId, "eventId");
        }
    }
}
