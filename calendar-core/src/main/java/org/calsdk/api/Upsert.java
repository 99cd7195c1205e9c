package org.calsdk.api;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;

/**
 * Create-or-update of an event known by its iCalendar {@code UID}, for imports and for copying events from
 * another calendar: the event is written under {@link EventKey#fromUid}, found again with
 * {@link EventReader#findByKey}, and updated (conditionally on the version found) when it is already
 * there, created otherwise. Running the same import twice leaves one event per UID.
 *
 * <pre>{@code
 * try (CalendarConnection c = providers.connect(config)) {
 *     for (Event e : ICalendar.parse(in)) {
 *         Upsert u = Upsert.byUid(c, calendar, e);
 *         log.info("{} {}", u.created() ? "created" : "updated", u.event().id().orElseThrow());
 *     }
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class Upsert {
    private final Event event;
    private final boolean created;

    private Upsert(Event event, boolean created) {
        this.event = event;
        this.created = created;
    }

    /**
     * Creates {@code event} in {@code calendar}, or updates the event written before from the same UID.
     * The update keeps the existing event's id and UID and is conditional on its version, so a concurrent
     * change fails with a {@link org.calsdk.errors.ConflictException} rather than being overwritten.
     *
     * @param connection a connection with {@link Capability#READ_EVENTS} and {@link Capability#WRITE_EVENTS}
     * @param calendar the calendar to write to
     * @param event the event; must have a UID
     * @return the event as the provider stored it, and whether it was created
     * @throws InvalidInputException if the event has no UID
     */
    public static Upsert byUid(CalendarConnection connection, CalendarRef calendar, Event event) {
        Checks.notNull(connection, "connection");
        Checks.notNull(calendar, "calendar");
        Checks.notNull(event, "event");
        String uid = event.uid()
                .orElseThrow(() -> new InvalidInputException(
                        "uid", "the event has no UID; an upsert finds the event again by its UID"));
        EventKey key = EventKey.fromUid(uid);
        var existing = connection.reader().findByKey(calendar, key);
        if (existing.isPresent()) {
            Event found = existing.get();
            Event updated = connection
                    .writer()
                    .update(
                            calendar,
                            event.toBuilder()
                                    .id(found.id().orElseThrow())
                                    .uid(found.uid().orElse(uid))
                                    .key(key)
                                    .version(found.version().orElse(null))
                                    .build());
            return new Upsert(updated, false);
        }
        return new Upsert(connection.writer().create(calendar, key, event), true);
    }

    /**
     * The event as the provider stored it.
     *
     * @return the written event
     */
    public Event event() {
        return event;
    }

    /**
     * Whether the event was created ({@code false}: an existing event was updated).
     *
     * @return {@code true} for a create
     */
    public boolean created() {
        return created;
    }

    @Override
    public String toString() {
        return (created ? "created " : "updated ") + event.id().orElse("?");
    }
}
