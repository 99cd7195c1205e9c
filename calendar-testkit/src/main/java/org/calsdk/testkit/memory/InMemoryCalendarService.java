package org.calsdk.testkit.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.WebhookRequest;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.testkit.CalendarFake;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.internal.MemoryConnection;
import org.calsdk.testkit.memory.internal.MemoryStore;
import org.calsdk.testkit.tck.TckFixture;

/**
 * The reference provider: a complete calendar service held in memory, with every capability of the SPI
 * and the behaviour the provider TCK demands of real providers (idempotent create by {@link
 * org.calsdk.model.EventKey}, versions and {@link org.calsdk.errors.ConflictException} on stale ones,
 * paging, change cursors with deletions and invalidation, change tags, a service account with a scope,
 * a directory, webhook push with expiring subscriptions). Use it to test code written against the SPI
 * without a network, and as the model every provider's fake imitates.
 *
 * <p>Connect with {@link #connect(Mailbox)} / {@link #connectOrganization()}, or through the {@code "memory"}
 * provider ({@link #provider()}, also registered for {@link java.util.ServiceLoader}) with the settings
 * {@code service} = {@link #id()} and {@code mailbox} = an address (absent: the organization).
 *
 * <p>Push: each change of a watched calendar produces a webhook notification, shaped like Graph's: a POST
 * whose JSON body {@code {"value":[...]}} lists notifications, each with its {@code subscriptionId},
 * {@code resourceId}, the subscription's {@code clientState} and a {@code change} ({@code changed} or
 * {@code ended}). By default every notification is its own request; with {@link Builder#batchWebhooks} the
 * pending notifications for one callback URL go out together, so one request concerns many mailboxes. Take
 * them with {@link #drainWebhooks()} or receive them with {@link #onWebhook}, and handle them as a host's
 * endpoint would: {@code push().subscriptionIds(request)}, look those up among the stored subscriptions,
 * {@code push().handle(request, found)} (or let {@code SyncEngine.handleWebhook} do it). Subscriptions end
 * at their expiry (by the injected clock) or by {@link #expireSubscription(String)}, with an {@code ended}
 * notification.
 *
 * <p>Change feed: by default it covers the whole calendar. With {@link Builder#changeWindow} it behaves
 * like Graph's {@code calendarView/delta}: it covers a window of days around now, lists series as their
 * occurrences (each naming its series) and asks for a full read once the window has moved on.
 *
 * <pre>{@code
 * try (InMemoryCalendarService service = InMemoryCalendarService.builder().build()) {
 *     service.seed(SeedData.organization("example.com").users(2).eventsPerUser(3).build());
 *     CalendarConnection user1 = service.connect(Mailbox.of("user1@example.com"));
 *     Event e = user1.writer().create(CalendarRef.primary(Mailbox.of("user1@example.com")),
 *             EventKey.of("booking-1"), event);
 *     service.faults().failNext(SpiOperation.LIST_EVENTS, 1, 503);   // next list throws ProviderUnavailableException
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class InMemoryCalendarService implements CalendarFake {
    private static final Map<String, InMemoryCalendarService> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final MemoryStore store;
    private final MemoryFaults faults;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InMemoryCalendarService(Builder b) {
        String id = b.id != null ? b.id : "memory-" + NEXT_ID.incrementAndGet();
        this.store = new MemoryStore(
                id, b.clock, b.floatingZone, b.changePageSize, b.directoryPageSize, b.maxSubscriptionTtl);
        this.faults = new MemoryFaults(store.faults());
        store.batchWebhooks(b.batchWebhooks);
        store.changeWindow(b.changeWindowPast, b.changeWindowFuture);
        if (LIVE.putIfAbsent(id, this) != null) {
            throw new InvalidInputException("id", "an in-memory calendar service '" + id + "' is already running");
        }
    }

    /**
     * Starts building a service.
     *
     * @return a builder with a generated id, the system UTC clock, UTC as floating zone and 100-item pages
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A live service by {@link #id()}.
     *
     * @param id the service's id
     * @return the running service with that id, or empty when none is (or it was closed)
     */
    public static Optional<InMemoryCalendarService> find(String id) {
        return Optional.ofNullable(LIVE.get(Checks.notNull(id, "id")));
    }

    /**
     * The id that the {@code service} connection setting names.
     *
     * @return the id, unique among the live services of this JVM
     */
    public String id() {
        return store.serviceId();
    }

    /**
     * The {@code "memory"} provider, for {@code CalendarProviders.of(service.provider())}.
     *
     * @return the provider, which connects to this service only
     */
    public CalendarProvider provider() {
        return new InMemoryCalendarProvider();
    }

    /** Nothing to start: the service is ready when built. */
    @Override
    public void start() {
        checkOpen();
    }

    @Override
    public void seed(SeedData data) {
        checkOpen();
        store.seed(data);
    }

    /**
     * Adds a user with an empty primary calendar (or updates its name and state).
     *
     * @param mailbox the user's address
     * @param displayName the user's name, or null
     * @return this service
     */
    public InMemoryCalendarService addUser(Mailbox mailbox, String displayName) {
        store.addUser(mailbox, displayName, true);
        return this;
    }

    /**
     * Adds a secondary calendar to a user.
     *
     * @param mailbox the owner's address; the user must exist
     * @param id the calendar's id, unique for the user
     * @param displayName its name, or null
     * @param readOnly true when the owner may only read it
     * @return a reference to the new calendar
     */
    public CalendarRef addCalendar(Mailbox mailbox, String id, String displayName, boolean readOnly) {
        return store.addCalendar(mailbox, id, displayName, readOnly);
    }

    /** A connection as {@code mailbox}, a user of this service. */
    @Override
    public CalendarConnection connect(Mailbox mailbox) {
        checkOpen();
        Checks.notNull(mailbox, "mailbox");
        if (!store.hasUser(mailbox)) {
            throw new InvalidInputException(
                    "mailbox", "no user " + mailbox + " in this service; seed it or addUser first");
        }
        return new MemoryConnection(store, mailbox);
    }

    /**
     * A connection as the organization's service account (scope ORGANIZATION, with impersonation).
     *
     * @return a new open connection; the caller closes it
     */
    public CalendarConnection connectOrganization() {
        checkOpen();
        return new MemoryConnection(store, null);
    }

    /**
     * Limits which mailboxes the service account may reach (default: all).
     *
     * @param scope true for the mailboxes the service account may reach
     * @return this service
     */
    public InMemoryCalendarService restrictServiceAccount(Predicate<Mailbox> scope) {
        store.restrictServiceAccount(scope);
        return this;
    }

    /**
     * Limits the service account to exactly these mailboxes.
     *
     * @param mailboxes the reachable mailboxes
     * @return this service
     */
    public InMemoryCalendarService restrictServiceAccountTo(Collection<Mailbox> mailboxes) {
        Set<Mailbox> allowed = Set.copyOf(mailboxes);
        return restrictServiceAccount(allowed::contains);
    }

    /**
     * Makes an existing user a room (with its capacity and building, either may be null) or equipment
     * (both null): {@code directory().rooms(...)} lists it, {@code users(...)} no longer does.
     *
     * @param mailbox the user's address; the user must exist
     * @param kind {@code ROOM} or {@code EQUIPMENT}
     * @param capacity seats, or null
     * @param building the building's name, or null
     * @return this service
     */
    public InMemoryCalendarService makeResource(
            Mailbox mailbox, org.calsdk.api.DirectoryEntry.Kind kind, Integer capacity, String building) {
        store.setResource(mailbox, kind, capacity, building);
        return this;
    }

    /**
     * Gives a user (or resource) another address, listed in its directory entry's aliases.
     *
     * @param mailbox the user's (or resource's) address
     * @param alias the other address
     * @return this service
     */
    public InMemoryCalendarService addAlias(Mailbox mailbox, Mailbox alias) {
        store.addAlias(mailbox, alias);
        return this;
    }

    /**
     * Defines a group by its address, with members that are users, resources or other groups (whose
     * members {@code groupMembers} lists in their place).
     *
     * @param group the group's address
     * @param members the members' addresses
     * @return this service
     */
    public InMemoryCalendarService group(Mailbox group, Collection<Mailbox> members) {
        store.setGroup(group, List.copyOf(members));
        return this;
    }

    /**
     * Breaks one requirement of the organization's set-up ({@code problem} says what is wrong, as a provider
     * would) or, with {@code problem} null, mends it: {@code checkSetup()} reports it MISSING, every
     * {@code checkAccess} is refused with the matching reason (CREDENTIAL_INVALID, ROLE_MISSING or
     * NOT_IN_SCOPE), and {@code actAs} fails.
     *
     * @param requirement the requirement to break or mend
     * @param problem what is wrong, or null to mend it
     * @return this service
     */
    public InMemoryCalendarService breakSetup(org.calsdk.api.SetupCheck.Requirement requirement, String problem) {
        store.setSetup(requirement, problem);
        return this;
    }

    /**
     * The notices (invitations, updates, cancellations, replies) writes have sent, oldest first.
     *
     * @return an immutable snapshot
     */
    public List<MemoryNotice> notices() {
        return store.notices();
    }

    /**
     * The fault rules.
     *
     * @return the live fault rules of this service
     */
    public MemoryFaults faults() {
        return faults;
    }

    /**
     * Makes every cursor issued for {@code calendar} invalid: the next incremental read answers ResyncRequired.
     *
     * @param calendar the calendar whose cursors become invalid
     */
    public void invalidateCursors(CalendarRef calendar) {
        store.invalidateCursors(calendar);
    }

    /** Makes every cursor invalid. */
    public void invalidateAllCursors() {
        store.invalidateAllCursors();
    }

    /**
     * Ends a subscription now, with an {@code ended} notification (as a provider does when one lapses).
     *
     * @param subscriptionId the subscription's id
     */
    public void expireSubscription(String subscriptionId) {
        store.expireSubscription(subscriptionId);
    }

    /**
     * The webhook requests produced since the last call (empty when a listener receives them instead).
     *
     * @return the queued requests, removed from the queue, oldest first
     */
    public List<WebhookRequest> drainWebhooks() {
        return store.drainWebhooks();
    }

    /**
     * Delivers webhook requests to {@code listener} as they happen instead of queueing them (null: queue).
     *
     * @param listener receives each webhook request on the writing thread, or null to queue them again
     */
    public void onWebhook(Consumer<WebhookRequest> listener) {
        store.onWebhook(listener);
    }

    /**
     * Every stored event of {@code calendar}, unfiltered and uncounted: for assertions.
     *
     * @param calendar the calendar
     * @return an immutable snapshot, series masters with their overrides
     */
    public List<Event> events(CalendarRef calendar) {
        return store.events(calendar);
    }

    /**
     * The users of the service.
     *
     * @return the users' addresses, in the order they were added
     */
    public List<Mailbox> mailboxes() {
        return store.mailboxes();
    }

    /**
     * How many calls of {@code operation} were made (including failed ones).
     *
     * @param operation the SPI operation
     * @return the count since the last {@link #resetCounters()}
     */
    public long calls(SpiOperation operation) {
        return store.calls(operation);
    }

    /**
     * How many calls concerned {@code mailbox}.
     *
     * @param mailbox the mailbox address
     * @return the count since the last {@link #resetCounters()}
     */
    public long callsFor(Mailbox mailbox) {
        return store.callsFor(mailbox);
    }

    /**
     * How many SPI calls were made in all (including failed ones).
     *
     * @return the count since the last {@link #resetCounters()}
     */
    public long totalCalls() {
        return store.totalCalls();
    }

    /**
     * Sets every call counter back to zero (the data stays).
     */
    public void resetCounters() {
        store.resetCounters();
    }

    /**
     * The clock the service runs on.
     *
     * @return the clock given to the builder
     */
    public Clock clock() {
        return store.clock();
    }

    /**
     * The zone floating and all-day times are read in.
     *
     * @return the zone given to the builder (default UTC)
     */
    public ZoneId floatingZone() {
        return store.floatingZone();
    }

    /**
     * A {@link TckFixture} over this service with every fixture capability, for {@code ProviderTck} subclasses.
     *
     * @param self the mailbox the TCK's user connection acts as
     * @return the fixture
     */
    public TckFixture tckFixture(Mailbox self) {
        return new InMemoryTckFixture(this, Objects.requireNonNull(self, "self == null"));
    }

    /** Forgets the service: connections made from it keep working, but it can no longer be found by id. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LIVE.remove(id(), this);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the in-memory calendar service " + id() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "InMemoryCalendarService[" + id() + "]";
    }

    /** Builds an {@link InMemoryCalendarService}. */
    public static final class Builder {
        private String id;
        private Clock clock = Clock.systemUTC();
        private ZoneId floatingZone = ZoneOffset.UTC;
        private int changePageSize = 100;
        private int directoryPageSize = 100;
        private Duration maxSubscriptionTtl = Duration.ofDays(7);
        private boolean batchWebhooks;
        private Duration changeWindowPast;
        private Duration changeWindowFuture;

        private Builder() {}

        /**
         * Whether the pending notifications for one callback URL are sent together in one request, as Graph
         * does (default false: one request per notification).
         *
         * @param batch true to send them together
         * @return this builder
         */
        public Builder batchWebhooks(boolean batch) {
            this.batchWebhooks = batch;
            return this;
        }

        /**
         * Makes the change feed windowed, as Graph's {@code calendarView/delta} (default: it covers the whole
         * calendar). A full read covers from {@code past} before now to {@code future} after it, in whole UTC
         * days (a day more at the end), says so in {@link org.calsdk.api.ChangeBatch.Changes#coverage()}, and
         * lists recurring series as their occurrences in the window, each an event of its own naming its
         * series. Changes are read inside the window; an event or occurrence that leaves it reads as deleted.
         * Once the clock has moved the window on by a day, a cursor answers
         * {@link org.calsdk.api.ChangeBatch.ResyncRequired}: the next full read covers the new window.
         *
         * @param past how far back a full read reaches
         * @param future how far ahead it reaches
         * @return this builder
         */
        public Builder changeWindow(Duration past, Duration future) {
            Checks.check(past != null && !past.isNegative(), "past", "past must be zero or positive");
            Checks.check(
                    future != null && !future.isNegative() && !future.isZero(), "future", "future must be positive");
            this.changeWindowPast = past;
            this.changeWindowFuture = future;
            return this;
        }

        /**
         * The id (default: generated, unique in the JVM).
         *
         * @param id the id, unique among live services
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Checks.notBlank(id, "id");
            return this;
        }

        /**
         * The clock for versions' timestamps and subscription expiry (default: system UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * The zone floating and all-day times are read in for free/busy and windows (default UTC).
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder floatingZone(ZoneId zone) {
            this.floatingZone = Checks.notNull(zone, "zone");
            return this;
        }

        /**
         * Changes per incremental-read batch (default 100).
         *
         * @param size changes per batch, positive
         * @return this builder
         */
        public Builder changePageSize(int size) {
            Checks.check(size > 0, "size", "size must be positive");
            this.changePageSize = size;
            return this;
        }

        /**
         * Users per directory page (default 100).
         *
         * @param size users per page, positive
         * @return this builder
         */
        public Builder directoryPageSize(int size) {
            Checks.check(size > 0, "size", "size must be positive");
            this.directoryPageSize = size;
            return this;
        }

        /**
         * The longest subscription lifetime granted (default 7 days, as Google).
         *
         * @param ttl the longest lifetime
         * @return this builder
         */
        public Builder maxSubscriptionTtl(Duration ttl) {
            Checks.check(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl", "ttl must be positive");
            this.maxSubscriptionTtl = ttl;
            return this;
        }

        /**
         * Builds and registers the service (so {@link InMemoryCalendarService#find} and the {@code memory} provider
         * see it).
         *
         * @return the running service
         * @throws org.calsdk.errors.InvalidInputException if a live service already has the builder's id
         */
        public InMemoryCalendarService build() {
            return new InMemoryCalendarService(this);
        }
    }
}
