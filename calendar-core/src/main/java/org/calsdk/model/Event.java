package org.calsdk.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * A calendar event, or a whole recurring series: one model that every provider maps to and from.
 *
 * <p>A series is a master (with {@link #recurrence()}) plus {@link #overrides()}: occurrences that were
 * moved, changed or cancelled, each an {@code Event} whose {@link #recurrenceId()} names the original
 * start it replaces. This is RFC 5545's shape; Google's instances ({@code recurringEventId}), Graph's
 * exceptions ({@code seriesMasterId}) and EWS's modified occurrences are mapped onto it by their
 * providers.
 *
 * <p>Immutable; build with {@link #builder()} and change with {@link #toBuilder()}.
 *
 * <pre>{@code
 * Event e = Event.builder()
 *     .summary("Mentoring session")
 *     .start(EventTime.of(ZonedDateTime.parse("2026-03-02T10:00:00+01:00[Europe/Berlin]")))
 *     .end(EventTime.of(ZonedDateTime.parse("2026-03-02T11:00:00+01:00[Europe/Berlin]")))
 *     .attendee(Attendee.required(Mailbox.of("mentee@example.com")))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Event {
    private final String id;
    private final String uid;
    private final EventKey key;
    private final EventTime recurrenceId;
    private final String summary;
    private final String description;
    private final String location;
    private final EventTime start;
    private final EventTime end;
    private final Recurrence recurrence;
    private final List<Event> overrides;
    private final Organizer organizer;
    private final List<Attendee> attendees;
    private final EventStatus status;
    private final Transparency transparency;
    private final Visibility visibility;
    private final BusyStatus showAs;
    private final String version;
    private final Instant updated;
    private final Map<String, String> properties;

    private Event(Builder b) {
        this.id = b.id;
        this.uid = b.uid;
        this.key = b.key;
        this.recurrenceId = b.recurrenceId;
        this.summary = b.summary == null ? "" : b.summary;
        this.description = b.description;
        this.location = b.location;
        this.start = Checks.notNull(b.start, "start");
        this.end = Checks.notNull(b.end, "end");
        this.recurrence = b.recurrence == null
                        || b.recurrence.isEmpty() && b.recurrence.exdates().isEmpty()
                ? null
                : b.recurrence;
        this.overrides = List.copyOf(b.overrides);
        this.organizer = b.organizer;
        this.attendees = List.copyOf(b.attendees);
        this.status = b.status == null ? EventStatus.CONFIRMED : b.status;
        this.transparency = b.transparency == null ? Transparency.OPAQUE : b.transparency;
        this.visibility = b.visibility == null ? Visibility.DEFAULT : b.visibility;
        this.showAs = b.showAs;
        this.version = b.version;
        this.updated = b.updated;
        Map.copyOf(b.properties); // rejects null names and values
        // insertion order, not Map.copyOf's per-JVM-run random order: written iCalendar must be reproducible
        this.properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));

        if (start.isAllDay() != end.isAllDay()) {
            throw new InvalidInputException("end", "start and end must both be all-day dates or both be date-times");
        }
        if (start.getClass() != end.getClass()
                && (start instanceof EventTime.Floating || end instanceof EventTime.Floating)) {
            throw new InvalidInputException("end", "start and end must both be floating or both be zoned");
        }
        if (end.toInstant(ZoneOffset.UTC).isBefore(start.toInstant(ZoneOffset.UTC))) {
            throw new InvalidInputException("end", "end (" + end + ") is before start (" + start + ")");
        }
        for (Event o : overrides) {
            if (o.recurrenceId == null) {
                throw new InvalidInputException("overrides", "an override must have a recurrenceId");
            }
        }
    }

    /**
     * A builder for a new event.
     *
     * <pre>{@code
     * Event e = Event.builder().summary("Interview")
     *         .start(EventTime.of(ZonedDateTime.parse("2026-03-02T10:00:00+01:00[Europe/Paris]")))
     *         .end(EventTime.of(ZonedDateTime.parse("2026-03-02T11:00:00+01:00[Europe/Paris]")))
     *         .attendee(Attendee.required(Mailbox.of("bob@example.com")))
     *         .build();
     * }</pre>
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this event, to change a part of it.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.uid = uid;
        b.key = key;
        b.recurrenceId = recurrenceId;
        b.summary = summary;
        b.description = description;
        b.location = location;
        b.start = start;
        b.end = end;
        b.recurrence = recurrence;
        b.overrides.addAll(overrides);
        b.organizer = organizer;
        b.attendees.addAll(attendees);
        b.status = status;
        b.transparency = transparency;
        b.visibility = visibility;
        b.showAs = showAs;
        b.version = version;
        b.updated = updated;
        b.properties.putAll(properties);
        return b;
    }

    /**
     * The provider's id for this event (null before it is stored).
     *
     * @return the id, or empty for an event not yet stored
     */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /**
     * The iCalendar UID, shared by a series and its overrides and across calendars.
     *
     * @return the UID, or empty
     */
    public Optional<String> uid() {
        return Optional.ofNullable(uid);
    }

    /**
     * The host application's key, for events the host manages.
     *
     * @return the key, or empty
     */
    public Optional<EventKey> key() {
        return Optional.ofNullable(key);
    }

    /**
     * For an override: the original start of the occurrence it replaces.
     *
     * @return the recurrence id, or empty when this is not an override
     */
    public Optional<EventTime> recurrenceId() {
        return Optional.ofNullable(recurrenceId);
    }

    /**
     * The title; empty string when there is none.
     *
     * @return the title
     */
    public String summary() {
        return summary;
    }

    /**
     * The description (plain text).
     *
     * @return the description, or empty
     */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /**
     * Where the event takes place, as written.
     *
     * @return the location, or empty
     */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /**
     * The start.
     *
     * @return the start: zoned, floating or all-day
     */
    public EventTime start() {
        return start;
    }

    /**
     * The end; exclusive (for all-day events, the day after the last day).
     *
     * @return the end
     */
    public EventTime end() {
        return end;
    }

    /**
     * The series rules, when this is the master of a recurring series.
     *
     * @return the recurrence, or empty for a single event or an override
     */
    public Optional<Recurrence> recurrence() {
        return Optional.ofNullable(recurrence);
    }

    /**
     * Changed, moved or cancelled occurrences of this series.
     *
     * @return the overrides, immutable; empty for a single event
     */
    public List<Event> overrides() {
        return overrides;
    }

    /**
     * Who organizes the event.
     *
     * @return the organizer, or empty
     */
    public Optional<Organizer> organizer() {
        return Optional.ofNullable(organizer);
    }

    /**
     * The invited people and resources.
     *
     * @return the attendees, immutable
     */
    public List<Attendee> attendees() {
        return attendees;
    }

    /**
     * Whether the event is confirmed, tentative or cancelled.
     *
     * @return the status
     */
    public EventStatus status() {
        return status;
    }

    /**
     * Whether the event blocks time in free/busy.
     *
     * @return the transparency
     */
    public Transparency transparency() {
        return transparency;
    }

    /**
     * Who may see the event's details.
     *
     * @return the visibility
     */
    public Visibility visibility() {
        return visibility;
    }

    /**
     * The version for safe writes: a CalDAV ETag, Google etag, Graph/EWS change key.
     *
     * @return the version, or empty before the event is stored
     */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * When the provider last saw the event change.
     *
     * @return the time, or empty when the provider did not say
     */
    public Optional<Instant> updated() {
        return Optional.ofNullable(updated);
    }

    /**
     * Private extended properties (provider-neutral key/value pairs this SDK or the host stores).
     *
     * @return the properties, immutable
     */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Whether this is the master of a recurring series.
     *
     * @return {@code true} with a {@link #recurrence()}
     */
    public boolean isRecurring() {
        return recurrence != null;
    }

    /**
     * Whether the event spans whole days.
     *
     * @return {@code true} when the start is a date
     */
    public boolean isAllDay() {
        return start.isAllDay();
    }

    /**
     * Whether the event is cancelled.
     *
     * @return {@code true} for {@link EventStatus#CANCELLED}
     */
    public boolean isCancelled() {
        return status == EventStatus.CANCELLED;
    }

    /**
     * How this event takes its time: FREE when transparent or cancelled; the provider's own
     * "show as" when it gave one; TENTATIVE for tentative events; else BUSY.
     *
     * @return the busy status
     */
    public BusyStatus busyStatus() {
        if (status == EventStatus.CANCELLED || transparency == Transparency.TRANSPARENT) {
            return BusyStatus.FREE;
        }
        if (showAs != null) {
            return showAs;
        }
        return status == EventStatus.TENTATIVE ? BusyStatus.TENTATIVE : BusyStatus.BUSY;
    }

    /**
     * The attendee entry for {@code mailbox}, if invited.
     *
     * @param mailbox the address, compared ignoring case
     * @return the attendee, or empty
     */
    public Optional<Attendee> attendee(Mailbox mailbox) {
        return attendees.stream().filter(a -> a.mailbox().equals(mailbox)).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Event e)) {
            return false;
        }
        return java.util.Objects.equals(id, e.id)
                && java.util.Objects.equals(uid, e.uid)
                && java.util.Objects.equals(key, e.key)
                && java.util.Objects.equals(recurrenceId, e.recurrenceId)
                && summary.equals(e.summary)
                && java.util.Objects.equals(description, e.description)
                && java.util.Objects.equals(location, e.location)
                && start.equals(e.start)
                && end.equals(e.end)
                && java.util.Objects.equals(recurrence, e.recurrence)
                && overrides.equals(e.overrides)
                && java.util.Objects.equals(organizer, e.organizer)
                && attendees.equals(e.attendees)
                && status == e.status
                && transparency == e.transparency
                && visibility == e.visibility
                && showAs == e.showAs
                && java.util.Objects.equals(version, e.version)
                && java.util.Objects.equals(updated, e.updated)
                && properties.equals(e.properties);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, uid, key, recurrenceId, summary, start, end, recurrence, status, version);
    }

    @Override
    public String toString() {
        // Summaries and descriptions can be personal data: keep them out of logs by default.
        return "Event{id=" + id + ", uid=" + uid + ", key=" + key
                + (recurrenceId != null ? ", recurrenceId=" + recurrenceId : "")
                + ", start=" + start + ", end=" + end + ", status=" + status
                + (recurrence != null ? ", recurrence=" + recurrence.rules() : "")
                + (overrides.isEmpty() ? "" : ", overrides=" + overrides.size())
                + (version != null ? ", version=" + version : "") + "}";
    }

    /** Builds an {@link Event}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String uid;
        private EventKey key;
        private EventTime recurrenceId;
        private String summary;
        private String description;
        private String location;
        private EventTime start;
        private EventTime end;
        private Recurrence recurrence;
        private final List<Event> overrides = new ArrayList<>();
        private Organizer organizer;
        private final List<Attendee> attendees = new ArrayList<>();
        private EventStatus status;
        private Transparency transparency;
        private Visibility visibility;
        private BusyStatus showAs;
        private String version;
        private Instant updated;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the provider's event id (for updates).
         *
         * @param id the id
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }
        /**
         * Sets the iCalendar UID.
         *
         * @param uid the UID
         * @return this builder
         */
        public Builder uid(String uid) {
            this.uid = uid;
            return this;
        }
        /**
         * Sets the host's key.
         *
         * @param key the key
         * @return this builder
         */
        public Builder key(EventKey key) {
            this.key = key;
            return this;
        }
        /**
         * Sets which occurrence an override replaces.
         *
         * @param recurrenceId the occurrence's original start
         * @return this builder
         */
        public Builder recurrenceId(EventTime recurrenceId) {
            this.recurrenceId = recurrenceId;
            return this;
        }
        /**
         * Sets the title.
         *
         * @param summary the title
         * @return this builder
         */
        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }
        /**
         * Sets the description.
         *
         * @param description plain text
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }
        /**
         * Sets the location.
         *
         * @param location as written
         * @return this builder
         */
        public Builder location(String location) {
            this.location = location;
            return this;
        }
        /**
         * Sets the start.
         *
         * @param start the start
         * @return this builder
         */
        public Builder start(EventTime start) {
            this.start = start;
            return this;
        }
        /**
         * Sets the end (exclusive).
         *
         * @param end the end
         * @return this builder
         */
        public Builder end(EventTime end) {
            this.end = end;
            return this;
        }
        /**
         * Makes the event a recurring series.
         *
         * @param recurrence the rules
         * @return this builder
         */
        public Builder recurrence(Recurrence recurrence) {
            this.recurrence = recurrence;
            return this;
        }
        /**
         * Sets the organizer.
         *
         * @param organizer the organizer
         * @return this builder
         */
        public Builder organizer(Organizer organizer) {
            this.organizer = organizer;
            return this;
        }
        /**
         * Sets the status.
         *
         * @param status the status
         * @return this builder
         */
        public Builder status(EventStatus status) {
            this.status = status;
            return this;
        }
        /**
         * Sets whether the event blocks time.
         *
         * @param transparency the transparency
         * @return this builder
         */
        public Builder transparency(Transparency transparency) {
            this.transparency = transparency;
            return this;
        }
        /**
         * Sets who may see the details.
         *
         * @param visibility the visibility
         * @return this builder
         */
        public Builder visibility(Visibility visibility) {
            this.visibility = visibility;
            return this;
        }
        /**
         * Sets how the event shows in free/busy.
         *
         * @param showAs the status
         * @return this builder
         */
        public Builder showAs(BusyStatus showAs) {
            this.showAs = showAs;
            return this;
        }
        /**
         * Sets the version a write is conditional on.
         *
         * @param version the version read
         * @return this builder
         */
        public Builder version(String version) {
            this.version = version;
            return this;
        }
        /**
         * Sets when the event last changed.
         *
         * @param updated the instant
         * @return this builder
         */
        public Builder updated(Instant updated) {
            this.updated = updated;
            return this;
        }

        /**
         * Sets start and end at once.
         *
         * @param start the start
         * @param end the end, exclusive
         * @return this builder
         */
        public Builder time(EventTime start, EventTime end) {
            this.start = start;
            this.end = end;
            return this;
        }

        /**
         * Sets the series' changed occurrences.
         *
         * @param overrides the overrides
         * @return this builder
         */
        public Builder overrides(List<Event> overrides) {
            this.overrides.clear();
            this.overrides.addAll(overrides);
            return this;
        }

        /**
         * Adds a changed occurrence.
         *
         * @param override the override
         * @return this builder
         */
        public Builder addOverride(Event override) {
            this.overrides.add(Checks.notNull(override, "override"));
            return this;
        }

        /**
         * Sets the attendees.
         *
         * @param attendees the attendees
         * @return this builder
         */
        public Builder attendees(List<Attendee> attendees) {
            this.attendees.clear();
            this.attendees.addAll(attendees);
            return this;
        }

        /**
         * Adds an attendee.
         *
         * @param attendee the attendee
         * @return this builder
         */
        public Builder attendee(Attendee attendee) {
            this.attendees.add(Checks.notNull(attendee, "attendee"));
            return this;
        }

        /**
         * Sets the extended properties.
         *
         * @param properties name to value
         * @return this builder
         */
        public Builder properties(Map<String, String> properties) {
            this.properties.clear();
            this.properties.putAll(properties);
            return this;
        }

        /**
         * Sets one extended property.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder property(String name, String value) {
            this.properties.put(Checks.notBlank(name, "property name"), Checks.notNull(value, "property value"));
            return this;
        }

        /**
         * Builds the event.
         *
         * @return the immutable event
         * @throws NullPointerException if the start or end is missing
         * @throws org.calsdk.errors.InvalidInputException if the end is before the start, start and end are of
         *         different kinds (all-day, floating, zoned), or an override has no recurrence id
         */
        public Event build() {
            return new Event(this);
        }
    }
}
