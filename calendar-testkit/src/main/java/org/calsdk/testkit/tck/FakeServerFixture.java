package org.calsdk.testkit.tck;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Subscription;
import org.calsdk.api.WebhookRequest;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.SpiOperation;

/**
 * A {@link TckFixture} for a provider tested against a {@link FakeServer}: the fixture's faults become
 * the server's fault rules on the wire operations that carry each SPI operation. Injected statuses hit
 * the call and its retries; a dropped response is {@link Fault#dropResponseAfterCommit()}; an
 * invalidated cursor is {@link Fault#invalidSyncToken()} (in the provider's form) on the next
 * incremental read; wire faults are {@link Fault#truncatedBody()} and {@link Fault#connectionReset()};
 * the versions writes sent are the {@code If-Match} headers in the server's {@link
 * org.calsdk.testkit.RequestAccounting#sent()}.
 *
 * <pre>{@code
 * TckFixture fixture = FakeServerFixture.builder(fakeCalDav.server())
 *     .operation(SpiOperation.CREATE_EVENT, "put-event")          // the wire call that commits a create
 *     .operation(SpiOperation.UPDATE_EVENT, "put-event")
 *     .operation(SpiOperation.LIST_EVENTS, "calendar-query")
 *     .operation(SpiOperation.CHANGES, "sync-collection")
 *     .otherMailbox(Mailbox.of("bob@example.com"))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeServerFixture implements TckFixture {
    private final FakeServer<?> server;
    private final Map<SpiOperation, List<String>> operations;
    private final int attempts;
    private final ZoneId floatingZone;
    private final Mailbox otherMailbox;
    private final Supplier<CalendarConnection> organization;
    private final Mailbox outOfScope;
    private final Supplier<List<WebhookRequest>> webhooks;
    private final Consumer<Subscription> expire;
    private final RecordingSleeper sleeper;
    private final java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();

    private FakeServerFixture(Builder b) {
        this.server = b.server;
        this.operations = Map.copyOf(b.operations);
        this.attempts = b.attempts;
        this.floatingZone = b.floatingZone;
        this.otherMailbox = b.otherMailbox;
        this.organization = b.organization;
        this.outOfScope = b.outOfScope;
        this.webhooks = b.webhooks;
        this.expire = b.expire;
        this.sleeper = b.sleeper;
    }

    /**
     * Starts building a fixture over {@code server}.
     *
     * @param server the fake the provider under test talks to
     * @return a builder with no operation mapping, 5 attempts per injected status and UTC as floating zone
     */
    public static Builder builder(FakeServer<?> server) {
        return new Builder(server);
    }

    @Override
    public Set<Feature> features() {
        EnumSet<Feature> f = EnumSet.noneOf(Feature.class);
        if (!operations.isEmpty()) {
            f.add(Feature.INJECT_STATUS);
            f.add(Feature.DELAY);
            f.add(Feature.WIRE_FAULTS);
            f.add(Feature.REQUEST_LOG);
            if (sleeper != null) {
                f.add(Feature.RETRY_AFTER);
            }
            if (operations.keySet().stream().anyMatch(SpiOperation::isWrite)) {
                f.add(Feature.DROP_RESPONSE);
            }
        }
        if (operations.containsKey(SpiOperation.CHANGES)) {
            f.add(Feature.INVALIDATE_CURSORS);
        }
        if (otherMailbox != null) {
            f.add(Feature.OTHER_MAILBOX);
        }
        if (organization != null) {
            f.add(Feature.ORGANIZATION);
        }
        if (webhooks != null) {
            f.add(Feature.WEBHOOKS);
        }
        if (expire != null) {
            f.add(Feature.EXPIRE_SUBSCRIPTION);
        }
        return f;
    }

    @Override
    public ZoneId floatingZone() {
        return floatingZone;
    }

    @Override
    public Optional<Mailbox> otherMailbox() {
        return Optional.ofNullable(otherMailbox);
    }

    @Override
    public CalendarConnection connectOrganization() {
        if (organization == null) {
            return TckFixture.super.connectOrganization();
        }
        return organization.get();
    }

    @Override
    public Optional<Mailbox> outOfScopeMailbox() {
        return Optional.ofNullable(outOfScope);
    }

    @Override
    public void dropNextResponse(SpiOperation operation) {
        for (String w : wire(operation)) {
            server.faults().add(FaultRule.on(w).times(1).inject(Fault.dropResponseAfterCommit()));
        }
    }

    @Override
    public void invalidateCursors(CalendarRef calendar) {
        for (String w : wire(SpiOperation.CHANGES)) {
            server.faults().add(FaultRule.on(w).times(1).inject(Fault.invalidSyncToken()));
        }
    }

    @Override
    public void failNext(SpiOperation operation, int status, Duration retryAfter) {
        Fault fault = status == 429 && retryAfter != null ? Fault.tooManyRequests(retryAfter) : Fault.status(status);
        for (String w : wire(operation)) {
            server.faults().add(FaultRule.on(w).times(attempts).inject(fault));
        }
    }

    @Override
    public void throttleNext(SpiOperation operation, Duration retryAfter) {
        Checks.notNull(retryAfter, "retryAfter");
        for (String w : wire(operation)) {
            server.faults().add(FaultRule.on(w).times(1).inject(Fault.tooManyRequests(retryAfter)));
        }
    }

    @Override
    public List<Duration> takePauses() {
        if (sleeper == null) {
            return TckFixture.super.takePauses();
        }
        return sleeper.take();
    }

    @Override
    public void wireFault(SpiOperation operation, WireFault fault) {
        Fault f = switch (Checks.notNull(fault, "fault")) {
            case TRUNCATED_BODY -> Fault.truncatedBody();
            case CONNECTION_RESET -> Fault.connectionReset();
        };
        for (String w : wire(operation)) {
            server.faults().add(FaultRule.on(w).times(attempts).inject(f));
        }
    }

    @Override
    public List<String> takeVersionsSent(SpiOperation operation) {
        List<String> names = wire(operation);
        return takeSent(server.accounting(), names, seen);
    }

    /**
     * The If-Match values of the requests of {@code wireOperations} in {@code accounting} numbered above
     * {@code seen}, which moves on to the newest request; shared with fixtures not built on this class.
     *
     * @param accounting the fake's accounting
     * @param wireOperations the operation names to read
     * @param seen the sequence number of the last request already taken; moved to the newest
     * @return the values, oldest first
     */
    public static List<String> takeSent(
            org.calsdk.testkit.RequestAccounting accounting,
            List<String> wireOperations,
            java.util.concurrent.atomic.AtomicLong seen) {
        List<org.calsdk.testkit.RequestAccounting.Sent> all = accounting.sent();
        long from = seen.get();
        if (!all.isEmpty()) {
            seen.accumulateAndGet(all.get(all.size() - 1).sequence(), Math::max);
        }
        return all.stream()
                .filter(s -> s.sequence() > from && wireOperations.contains(s.operation()))
                .map(s -> s.header("If-Match").orElse(""))
                .toList();
    }

    @Override
    public void clearFaults() {
        server.faults().clear();
    }

    @Override
    public void delayNext(SpiOperation operation, Duration delay) {
        for (String w : wire(operation)) {
            server.faults().add(FaultRule.on(w).times(1).inject(Fault.latency(delay)));
        }
    }

    @Override
    public List<WebhookRequest> takeWebhooks() {
        if (webhooks == null) {
            return TckFixture.super.takeWebhooks();
        }
        return webhooks.get();
    }

    @Override
    public void expireSubscription(Subscription subscription) {
        if (expire == null) {
            TckFixture.super.expireSubscription(subscription);
        } else {
            expire.accept(subscription);
        }
    }

    private List<String> wire(SpiOperation operation) {
        List<String> w = operations.get(operation);
        if (w == null) {
            throw new UnsupportedOperationException("no wire operation is mapped for " + operation
                    + "; add .operation(SpiOperation." + operation + ", ...) to the fixture");
        }
        return w;
    }

    /** Builds a {@link FakeServerFixture}. */
    public static final class Builder {
        private final FakeServer<?> server;
        private final Map<SpiOperation, List<String>> operations = new EnumMap<>(SpiOperation.class);
        private int attempts = 5;
        private ZoneId floatingZone = ZoneOffset.UTC;
        private Mailbox otherMailbox;
        private Supplier<CalendarConnection> organization;
        private Mailbox outOfScope;
        private Supplier<List<WebhookRequest>> webhooks;
        private Consumer<Subscription> expire;
        private RecordingSleeper sleeper;

        private Builder(FakeServer<?> server) {
            this.server = Checks.notNull(server, "server");
        }

        /**
         * The fake's operation names (its routes' names) that carry {@code operation}; for a write, the
         * call that commits it. The TCK's status, drop and delay faults for {@code operation} go to these.
         *
         * @param operation the SPI operation
         * @param wireOperations the fake's operation names that carry it
         * @return this builder
         */
        public Builder operation(SpiOperation operation, String... wireOperations) {
            Checks.notNull(operation, "operation");
            Checks.check(wireOperations.length > 0, "wireOperations", "name at least one wire operation");
            operations.put(operation, List.of(wireOperations));
            return this;
        }

        /**
         * How many calls an injected status hits: the first call plus the client's retries (default 5).
         *
         * @param attempts the number of calls, positive
         * @return this builder
         */
        public Builder attempts(int attempts) {
            Checks.check(attempts > 0, "attempts", "attempts must be positive");
            this.attempts = attempts;
            return this;
        }

        /**
         * The zone the provider under test reads floating and all-day times in (default UTC).
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder floatingZone(ZoneId zone) {
            this.floatingZone = Checks.notNull(zone, "zone");
            return this;
        }

        /**
         * Another user of the organization whose busy time the connected user may read.
         *
         * @param mailbox the user's address
         * @return this builder
         */
        public Builder otherMailbox(Mailbox mailbox) {
            this.otherMailbox = Checks.notNull(mailbox, "mailbox");
            return this;
        }

        /**
         * How to get an organization (service-account) connection, and a mailbox outside its scope (or null).
         *
         * @param connect opens an organization connection
         * @param outOfScopeMailbox a mailbox outside its scope, or null
         * @return this builder
         */
        public Builder organization(Supplier<CalendarConnection> connect, Mailbox outOfScopeMailbox) {
            this.organization = Checks.notNull(connect, "connect");
            this.outOfScope = outOfScopeMailbox;
            return this;
        }

        /**
         * Where the webhook requests the fake sent can be taken from.
         *
         * @param take returns and forgets the requests sent so far
         * @return this builder
         */
        public Builder webhooks(Supplier<List<WebhookRequest>> take) {
            this.webhooks = Checks.notNull(take, "take");
            return this;
        }

        /**
         * How to make a subscription lapse now.
         *
         * @param expire makes the given subscription lapse
         * @return this builder
         */
        public Builder expireSubscription(Consumer<Subscription> expire) {
            this.expire = Checks.notNull(expire, "expire");
            return this;
        }

        /**
         * The sleeper the provider under test was built with: its pauses become {@link #takePauses()}, and
         * the fixture offers {@link Feature#RETRY_AFTER}.
         *
         * @param sleeper the provider's sleeper
         * @return this builder
         */
        public Builder sleeper(RecordingSleeper sleeper) {
            this.sleeper = Checks.notNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Builds the fixture.
         *
         * @return the fixture, offering the features its settings allow
         */
        public FakeServerFixture build() {
            return new FakeServerFixture(this);
        }
    }
}
