package org.calsdk.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.ical.ICalendar;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * Users, calendars and events to load into a fake: an organization with N generated users, plus users
 * and calendars spelled out one by one, with events from code or from iCalendar text. Immutable; build
 * with {@link #organization(String)}. Generated data is deterministic for a given {@link Builder#seed}.
 *
 * <pre>{@code
 * SeedData data = SeedData.organization("example.com")
 *     .users(20)                      // user1@example.com ... user20@example.com
 *     .eventsPerUser(5)               // 1-hour meetings on working days, in the builder's zone
 *     .zone(ZoneId.of("Europe/Berlin"))
 *     .startingOn(LocalDate.of(2026, 3, 2))
 *     .user("alice@example.com", "Alice", u -> u
 *         .calendar("work", "Work", c -> c.event(meeting).ics(Path.of("seed/alice-work.ics"))))
 *     .build();
 * fake.seed(data);
 * }</pre>
 *
 * @param domain the organization's mail domain
 * @param users  its users, in order
 * @since 0.1
 */
public record SeedData(String domain, List<SeedUser> users) {
    /**
     * Checks the domain and copies the users.
     *
     * @param domain the organization's mail domain
     * @param users its users, in order
     * @throws org.calsdk.errors.InvalidInputException if {@code domain} is blank
     * @throws NullPointerException if {@code domain} or {@code users} is null
     */
    public SeedData {
        Checks.notBlank(domain, "domain");
        users = Checks.immutableList(users, "users");
    }

    /**
     * Starts seed data for the organization with mail domain {@code domain}.
     *
     * @param domain the mail domain generated users get, such as {@code example.com}
     * @return a builder with no users, 42 as seed, UTC and 2026-03-02 as first day
     */
    public static Builder organization(String domain) {
        return new Builder(domain);
    }

    /**
     * Every mailbox in the data.
     *
     * @return the users' addresses, in order
     */
    public List<Mailbox> mailboxes() {
        return users.stream().map(SeedUser::mailbox).toList();
    }

    /**
     * The user with {@code mailbox}, or an {@link InvalidInputException}.
     *
     * @param mailbox the user's address
     * @return the user
     * @throws InvalidInputException if no user has that address
     */
    public SeedUser user(Mailbox mailbox) {
        return users.stream()
                .filter(u -> u.mailbox().equals(mailbox))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("mailbox", "no seeded user " + mailbox));
    }

    /**
     * One directory user.
     *
     * @param mailbox     their address
     * @param displayName their name
     * @param enabled     false for a suspended account
     * @param calendars   their calendars; the first primary one is their default calendar
     */
    public record SeedUser(
            Mailbox mailbox, @Nullable String displayName, boolean enabled, List<SeedCalendar> calendars) {
        /**
         * Checks the address and copies the calendars.
         *
         * @param mailbox their address
         * @param displayName their name
         * @param enabled false for a suspended account
         * @param calendars their calendars; the first primary one is their default calendar
         * @throws NullPointerException if {@code mailbox} or {@code calendars} is null
         */
        public SeedUser {
            Checks.notNull(mailbox, "mailbox");
            calendars = Checks.immutableList(calendars, "calendars");
        }
    }

    /**
     * One calendar and its events.
     *
     * @param id          the calendar's id ({@link CalendarRef#PRIMARY} for the default calendar)
     * @param displayName its name
     * @param primary     whether it is the user's default calendar
     * @param events      its events (series masters carry their overrides)
     */
    public record SeedCalendar(String id, @Nullable String displayName, boolean primary, List<Event> events) {
        /**
         * Checks the id and copies the events.
         *
         * @param id the calendar's id ({@link CalendarRef#PRIMARY} for the default calendar)
         * @param displayName its name
         * @param primary whether it is the user's default calendar
         * @param events its events (series masters carry their overrides)
         * @throws org.calsdk.errors.InvalidInputException if {@code id} is blank
         * @throws NullPointerException if {@code id} or {@code events} is null
         */
        public SeedCalendar {
            Checks.notBlank(id, "calendar id");
            events = Checks.immutableList(events, "events");
        }
    }

    /** Builds {@link SeedData}. */
    public static final class Builder {
        private final String domain;
        private final Map<Mailbox, UserBuilder> users = new LinkedHashMap<>();
        private int generatedUsers;
        private int eventsPerUser;
        private ZoneId zone = ZoneId.of("UTC");
        private LocalDate startDate = LocalDate.of(2026, 3, 2);
        private long seed = 42;

        private Builder(String domain) {
            this.domain = Checks.notBlank(domain, "domain").toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Adds {@code count} generated users {@code user1@domain} … {@code userN@domain}, each with a primary
         * calendar.
         *
         * @param count how many users, 0 or more
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code count} is negative
         */
        public Builder users(int count) {
            Checks.check(count >= 0, "count", "count must not be negative");
            this.generatedUsers = count;
            return this;
        }

        /**
         * Gives each generated user {@code count} one-hour meetings on working days from {@link #startingOn}.
         *
         * @param count events per user, 0 or more
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code count} is negative
         */
        public Builder eventsPerUser(int count) {
            Checks.check(count >= 0, "count", "count must not be negative");
            this.eventsPerUser = count;
            return this;
        }

        /**
         * The zone generated events are in (default UTC).
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone == null");
            return this;
        }

        /**
         * The first day generated events may fall on (default 2026-03-02).
         *
         * @param date the first day
         * @return this builder
         */
        public Builder startingOn(LocalDate date) {
            this.startDate = Objects.requireNonNull(date, "date == null");
            return this;
        }

        /**
         * The random seed of generated data (default 42).
         *
         * @param seed the seed; the same seed gives the same data
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Adds (or extends) the user {@code email} with a primary calendar, configured by {@code spec}.
         *
         * @param email the user's address
         * @param displayName the user's name, or null
         * @param spec adds calendars and events to the user
         * @return this builder
         */
        public Builder user(String email, String displayName, Consumer<UserBuilder> spec) {
            Mailbox m = Mailbox.of(email);
            UserBuilder u = users.computeIfAbsent(m, k -> new UserBuilder(k, displayName));
            Objects.requireNonNull(spec, "spec == null").accept(u);
            return this;
        }

        /**
         * Adds the user {@code email} with an empty primary calendar.
         *
         * @param email the user's address
         * @param displayName the user's name, or null
         * @return this builder
         */
        public Builder user(String email, String displayName) {
            return user(email, displayName, u -> {});
        }

        /**
         * Builds the data: the explicitly added users first, then the generated ones.
         *
         * @return the immutable seed data
         */
        public SeedData build() {
            Map<Mailbox, UserBuilder> all = new LinkedHashMap<>();
            Random random = new Random(seed);
            for (int i = 1; i <= generatedUsers; i++) {
                Mailbox m = Mailbox.of("user" + i + "@" + domain);
                UserBuilder u = new UserBuilder(m, "User " + i);
                for (int e = 0; e < eventsPerUser; e++) {
                    u.primary.event(generated(m, e, random));
                }
                all.put(m, u);
            }
            users.forEach((m, u) -> all.merge(m, u, (generated, explicit) -> explicit.mergeInto(generated)));
            return new SeedData(
                    domain, all.values().stream().map(UserBuilder::build).toList());
        }

        private Event generated(Mailbox owner, int index, Random random) {
            LocalDate day = startDate.plusDays(random.nextInt(14));
            while (day.getDayOfWeek().getValue() > 5) {
                day = day.plusDays(1);
            }
            LocalTime at = LocalTime.of(9 + random.nextInt(8), random.nextBoolean() ? 0 : 30);
            ZonedDateTime start = ZonedDateTime.of(day, at, zone);
            return Event.builder()
                    .uid("seed-" + owner.normalized() + "-" + index)
                    .summary("Meeting " + (index + 1) + " of " + owner.email())
                    .start(EventTime.of(start))
                    .end(EventTime.of(start.plusHours(1)))
                    .build();
        }
    }

    /** Configures one user of {@link Builder#user}. */
    public static final class UserBuilder {
        private final Mailbox mailbox;
        private String displayName;
        private boolean enabled = true;
        private final CalendarBuilder primary = new CalendarBuilder(CalendarRef.PRIMARY, "Calendar", true);
        private final Map<String, CalendarBuilder> others = new LinkedHashMap<>();

        private UserBuilder(Mailbox mailbox, String displayName) {
            this.mailbox = mailbox;
            this.displayName = displayName;
        }

        /**
         * Marks the account suspended (listed in the directory as disabled).
         *
         * @return this builder
         */
        public UserBuilder disabled() {
            this.enabled = false;
            return this;
        }

        /**
         * Configures the user's primary calendar.
         *
         * @param spec adds events to the primary calendar
         * @return this builder
         */
        public UserBuilder primary(Consumer<CalendarBuilder> spec) {
            spec.accept(primary);
            return this;
        }

        /**
         * Adds (or extends) a secondary calendar {@code id}.
         *
         * @param id the calendar's id
         * @param displayName its name, or null
         * @param spec adds events to it
         * @return this builder
         */
        public UserBuilder calendar(String id, String displayName, Consumer<CalendarBuilder> spec) {
            Checks.notBlank(id, "calendar id");
            Checks.check(!CalendarRef.PRIMARY.equals(id), "calendar id", "use primary(...) for the primary calendar");
            spec.accept(others.computeIfAbsent(id, k -> new CalendarBuilder(k, displayName, false)));
            return this;
        }

        private UserBuilder mergeInto(UserBuilder generated) {
            generated.displayName = displayName == null ? generated.displayName : displayName;
            generated.enabled = enabled;
            generated.primary.events.addAll(primary.events);
            generated.others.putAll(others);
            return generated;
        }

        private SeedUser build() {
            List<SeedCalendar> cals = new ArrayList<>();
            cals.add(primary.build());
            others.values().forEach(c -> cals.add(c.build()));
            return new SeedUser(mailbox, displayName, enabled, cals);
        }
    }

    /** Configures one calendar of a {@link UserBuilder}. */
    public static final class CalendarBuilder {
        private final String id;
        private final String displayName;
        private final boolean primary;
        private final List<Event> events = new ArrayList<>();

        private CalendarBuilder(String id, String displayName, boolean primary) {
            this.id = id;
            this.displayName = displayName;
            this.primary = primary;
        }

        /**
         * Adds one event (a series master with its overrides counts as one).
         *
         * @param event the event
         * @return this builder
         */
        public CalendarBuilder event(Event event) {
            events.add(Objects.requireNonNull(event, "event == null"));
            return this;
        }

        /**
         * Adds events.
         *
         * @param list the events, in order
         * @return this builder
         */
        public CalendarBuilder events(List<Event> list) {
            list.forEach(this::event);
            return this;
        }

        /**
         * Adds the events of iCalendar text (a VCALENDAR): one event per series, overrides attached.
         *
         * @param icsText the iCalendar text
         * @return this builder
         * @throws org.calsdk.errors.MalformedDataException when the text is not valid iCalendar
         */
        public CalendarBuilder ics(String icsText) {
            return events(ICalendar.parse(Objects.requireNonNull(icsText, "icsText == null")));
        }

        /**
         * Adds the events of an .ics file.
         *
         * @param file the .ics file
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException when the file cannot be read
         */
        public CalendarBuilder ics(Path file) {
            Objects.requireNonNull(file, "file == null");
            try (InputStream in = Files.newInputStream(file)) {
                return events(ICalendar.parse(in));
            } catch (IOException e) {
                throw new InvalidInputException(
                        "file", "cannot read " + file + ": " + e.getMessage(), org.calsdk.errors.ErrorContext.NONE, e);
            }
        }

        /**
         * Adds the events of an .ics resource on the class path, such as {@code "/seed/alice.ics"}.
         *
         * @param anchor the class whose loader and package resolve {@code resource}
         * @param resource the resource's name
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException when the resource does not exist
         */
        public CalendarBuilder icsResource(Class<?> anchor, String resource) {
            Objects.requireNonNull(anchor, "anchor == null");
            try (InputStream in = anchor.getResourceAsStream(Objects.requireNonNull(resource, "resource == null"))) {
                if (in == null) {
                    throw new InvalidInputException("resource", "no class-path resource " + resource);
                }
                return events(ICalendar.parse(in));
            } catch (IOException e) {
                throw new InvalidInputException(
                        "resource",
                        "cannot read " + resource + ": " + e.getMessage(),
                        org.calsdk.errors.ErrorContext.NONE,
                        e);
            }
        }

        private SeedCalendar build() {
            return new SeedCalendar(id, displayName, primary, events);
        }
    }
}
