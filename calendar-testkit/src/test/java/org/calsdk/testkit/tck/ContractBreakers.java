package org.calsdk.testkit.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.EventChange;
import org.calsdk.api.PushChannels;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.SpiOperation;

/**
 * Wrappers of the reference provider that each break one contract of issue 11 (coverage, impersonation
 * views, stored-subscription webhooks), and their TCK subclasses, run by {@link ContractBreakersTest}.
 */
final class ContractBreakers {
    private ContractBreakers() {}

    /** A change feed that rewrites every batch. */
    abstract static class RewritingFeed extends BrokenProviders.Delegating {
        RewritingFeed(CalendarConnection inner) {
            super(inner);
        }

        abstract ChangeBatch.Changes rewrite(ChangeBatch.Changes c);

        @Override
        public ChangeFeed changes() {
            ChangeFeed real = inner.changes();
            return new ChangeFeed() {
                @Override
                public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
                    ChangeBatch b = real.changes(calendar, cursor);
                    return b instanceof ChangeBatch.Changes c ? rewrite(c) : b;
                }

                @Override
                public Map<CalendarRef, String> changedCalendars(Mailbox mailbox, Map<String, String> knownTags) {
                    return real.changedCalendars(mailbox, knownTags);
                }
            };
        }
    }

    /** States a coverage window in 1999 while listing everything. */
    static final class WrongCoverage extends RewritingFeed {
        WrongCoverage(CalendarConnection inner) {
            super(inner);
        }

        @Override
        ChangeBatch.Changes rewrite(ChangeBatch.Changes c) {
            TimeWindow w = TimeWindow.of(Instant.parse("1999-01-01T00:00:00Z"), Duration.ofDays(1));
            return new ChangeBatch.Changes(
                    c.changes(), c.next(), c.hasMore(), c.full(), ChangeBatch.Coverage.window(w));
        }
    }

    /** Lists each series as its occurrences (2030-2033), as events of their own that do not name the series. */
    static final class UnlinkedOccurrences extends RewritingFeed {
        UnlinkedOccurrences(CalendarConnection inner) {
            super(inner);
        }

        @Override
        ChangeBatch.Changes rewrite(ChangeBatch.Changes c) {
            List<EventChange> out = new ArrayList<>();
            TimeWindow years =
                    TimeWindow.of(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2033-01-01T00:00:00Z"));
            for (EventChange ch : c.changes()) {
                if (ch instanceof EventChange.Upserted u && u.event().isRecurring()) {
                    Event master = u.event();
                    try (Stream<Occurrence> s = Recurrences.expand(master, years, java.time.ZoneOffset.UTC)) {
                        s.forEach(o -> out.add(new EventChange.Upserted(o.source().toBuilder()
                                .id(u.eventId() + "@"
                                        + o.startInstant(java.time.ZoneOffset.UTC)
                                                .getEpochSecond())
                                .recurrence(null)
                                .overrides(List.of())
                                .recurrenceId(o.recurrenceId())
                                .start(o.start())
                                .end(o.end())
                                .build())));
                    }
                } else {
                    out.add(ch);
                }
            }
            return new ChangeBatch.Changes(out, c.next(), c.hasMore(), c.full(), c.coverage());
        }
    }

    /** Checks webhooks against the subscriptions it made itself, ignoring the stored records handed to it. */
    static final class TrustsItsOwnMemory extends BrokenProviders.Delegating {
        private final Map<String, Subscription> made = new ConcurrentHashMap<>();

        TrustsItsOwnMemory(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public PushChannels push() {
            PushChannels real = inner.push();
            return new PushChannels() {
                @Override
                public Subscription subscribe(CalendarRef calendar, SubscriptionRequest request) {
                    Subscription s = real.subscribe(calendar, request);
                    made.put(s.id(), s);
                    return s;
                }

                @Override
                public Subscription renew(Subscription subscription, SubscriptionRequest request) {
                    Subscription s = real.renew(subscription, request);
                    made.put(s.id(), s);
                    return s;
                }

                @Override
                public void unsubscribe(Subscription subscription) {
                    real.unsubscribe(subscription);
                    made.remove(subscription.id());
                }

                @Override
                public List<String> subscriptionIds(WebhookRequest request) {
                    return real.subscriptionIds(request);
                }

                @Override
                public WebhookResponse handle(WebhookRequest request, Collection<Subscription> subscriptions) {
                    return real.handle(request, List.copyOf(made.values()));
                }
            };
        }
    }

    /** An organization connection whose views are made by {@code views}. */
    static final class OrgWithViews extends BrokenProviders.Delegating {
        private final UnaryOperator<CalendarConnection> views;

        OrgWithViews(
                CalendarConnection inner,
                java.util.function.BiFunction<CalendarConnection, CalendarConnection, CalendarConnection> view) {
            super(inner);
            this.views = v -> view.apply(inner, v);
        }

        @Override
        public ServiceAccountImpersonator impersonator() {
            ServiceAccountImpersonator real = inner.impersonator();
            return new ServiceAccountImpersonator() {
                @Override
                public AccessCheck checkAccess(Mailbox mailbox) {
                    return real.checkAccess(mailbox);
                }

                @Override
                public CalendarConnection actAs(Mailbox mailbox) {
                    return views.apply(real.actAs(mailbox));
                }

                @Override
                public org.calsdk.api.SetupCheck checkSetup() {
                    return real.checkSetup();
                }
            };
        }
    }

    /** The fixture of the reference service, with its organization connection wrapped. */
    record WrappedOrgFixture(TckFixture inner, UnaryOperator<CalendarConnection> wrapOrg) implements TckFixture {
        @Override
        public Set<Feature> features() {
            return inner.features();
        }

        @Override
        public Clock clock() {
            return inner.clock();
        }

        @Override
        public ZoneId floatingZone() {
            return inner.floatingZone();
        }

        @Override
        public Optional<Mailbox> otherMailbox() {
            return inner.otherMailbox();
        }

        @Override
        public CalendarConnection connectOrganization() {
            return wrapOrg.apply(inner.connectOrganization());
        }

        @Override
        public Optional<Mailbox> outOfScopeMailbox() {
            return inner.outOfScopeMailbox();
        }

        @Override
        public void dropNextResponse(SpiOperation operation) {
            inner.dropNextResponse(operation);
        }

        @Override
        public void invalidateCursors(CalendarRef calendar) {
            inner.invalidateCursors(calendar);
        }

        @Override
        public void failNext(SpiOperation operation, int status, Duration retryAfter) {
            inner.failNext(operation, status, retryAfter);
        }

        @Override
        public void clearFaults() {
            inner.clearFaults();
        }

        @Override
        public void delayNext(SpiOperation operation, Duration delay) {
            inner.delayNext(operation, delay);
        }

        @Override
        public List<WebhookRequest> takeWebhooks() {
            return inner.takeWebhooks();
        }

        @Override
        public void expireSubscription(Subscription subscription) {
            inner.expireSubscription(subscription);
        }

        @Override
        public long calls() {
            return inner.calls();
        }

        @Override
        public void throttleNext(SpiOperation operation, Duration retryAfter) {
            inner.throttleNext(operation, retryAfter);
        }

        @Override
        public List<Duration> takePauses() {
            return inner.takePauses();
        }

        @Override
        public void wireFault(SpiOperation operation, WireFault fault) {
            inner.wireFault(operation, fault);
        }

        @Override
        public List<String> takeVersionsSent(SpiOperation operation) {
            return inner.takeVersionsSent(operation);
        }

        @Override
        public long noticesSent() {
            return inner.noticesSent();
        }
    }

    // ---------------------------------------------------------------- the TCK subclasses

    static final class WrongCoverageTck extends BrokenProviders.BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new WrongCoverage(real);
        }
    }

    static final class UnlinkedOccurrencesTck extends BrokenProviders.BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new UnlinkedOccurrences(real);
        }
    }

    static final class TrustsItsOwnMemoryTck extends BrokenProviders.BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new TrustsItsOwnMemory(real);
        }
    }

    /** Closing a view closes the organization connection it came from. */
    static final class ViewClosesParentTck extends BrokenProviders.BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return real;
        }

        @Override
        protected TckFixture fixture() {
            return new WrappedOrgFixture(
                    super.fixture(),
                    org -> new OrgWithViews(org, (parent, view) -> new BrokenProviders.Delegating(view) {
                        @Override
                        public void close() {
                            inner.close();
                            parent.close();
                        }
                    }));
        }
    }

    /** Views are independent connections that keep working after the organization connection closed. */
    static final class ViewOutlivesParentTck extends BrokenProviders.BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return real;
        }

        @Override
        protected TckFixture fixture() {
            return new WrappedOrgFixture(
                    super.fixture(),
                    org -> new OrgWithViews(org, (parent, view) -> {
                        Mailbox m = view.self().orElseThrow();
                        view.close();
                        return service.connect(m);
                    }));
        }
    }
}
