package org.calsdk.testkit.memory.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.PushChannels;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;

/**
 * A connection to a {@link MemoryStore}, as one user ({@code self} set) or as the organization's service
 * account ({@code self} null). Not public API.
 */
public final class MemoryConnection implements CalendarConnection {
    // unmodifiable EnumSets, not Set.copyOf: capabilities print in declaration order, the same on every run
    private static final Set<Capability> USER_CAPABILITIES = java.util.Collections.unmodifiableSet(EnumSet.of(
            Capability.FREE_BUSY,
            Capability.READ_EVENTS,
            Capability.WRITE_EVENTS,
            Capability.RSVP,
            Capability.INCREMENTAL_CHANGES,
            Capability.CALENDAR_CHANGE_TAGS,
            Capability.DIRECTORY,
            Capability.PUSH_INBOUND,
            Capability.DIRECTORY_ROOMS,
            Capability.DIRECTORY_GROUPS,
            Capability.NOTIFY_CONTROL));
    private static final Set<Capability> ORG_CAPABILITIES;

    static {
        EnumSet<Capability> org = EnumSet.copyOf(USER_CAPABILITIES);
        org.add(Capability.IMPERSONATION);
        ORG_CAPABILITIES = java.util.Collections.unmodifiableSet(org);
    }

    /** Every capability a memory connection may have. */
    public static Set<Capability> allCapabilities() {
        return ORG_CAPABILITIES;
    }

    private final MemoryStore store;
    private final Mailbox self;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** For a view made by actAs: the organization connection it belongs to; null otherwise. */
    private final MemoryConnection parent;

    public MemoryConnection(MemoryStore store, Mailbox self) {
        this(store, self, null);
    }

    private MemoryConnection(MemoryStore store, Mailbox self, MemoryConnection parent) {
        this.store = store;
        this.self = self;
        this.parent = parent;
    }

    private void open() {
        if (closed.get()) {
            throw new IllegalStateException("the connection is closed");
        }
        if (parent != null && parent.closed.get()) {
            throw new IllegalStateException("the organization connection this mailbox view belongs to is closed");
        }
    }

    @Override
    public String providerId() {
        return MemoryStore.PROVIDER_ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return self == null ? ORG_CAPABILITIES : USER_CAPABILITIES;
    }

    @Override
    public ConnectionScope scope() {
        return self == null ? ConnectionScope.ORGANIZATION : ConnectionScope.USER;
    }

    @Override
    public Optional<Mailbox> self() {
        return Optional.ofNullable(self);
    }

    @Override
    public FreeBusyQuery freeBusy() {
        open();
        return new FreeBusyQuery() {
            @Override
            public FreeBusyResult query(FreeBusyRequest request) {
                open();
                return store.freeBusy(self, request);
            }
        };
    }

    @Override
    public EventReader reader() {
        open();
        return new EventReader() {
            @Override
            public List<CalendarInfo> calendars(Mailbox mailbox) {
                open();
                return store.calendars(self, mailbox);
            }

            @Override
            public EventPage list(EventQuery query) {
                open();
                return store.list(self, query);
            }

            @Override
            public Optional<Event> get(CalendarRef calendar, String eventId) {
                open();
                return store.get(self, calendar, eventId);
            }

            @Override
            public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
                open();
                return store.findByKey(self, calendar, key);
            }
        };
    }

    @Override
    public EventWriter writer() {
        open();
        return new EventWriter() {
            @Override
            public Event create(CalendarRef calendar, EventKey key, Event event) {
                return create(calendar, key, event, WriteOptions.defaults());
            }

            @Override
            public Event create(CalendarRef calendar, EventKey key, Event event, WriteOptions options) {
                open();
                return store.create(self, calendar, key, event, options);
            }

            @Override
            public Event update(CalendarRef calendar, Event event) {
                return update(calendar, event, WriteOptions.defaults());
            }

            @Override
            public Event update(CalendarRef calendar, Event event, WriteOptions options) {
                open();
                return store.update(self, calendar, event, options);
            }

            @Override
            public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
                delete(calendar, eventId, expectedVersion, WriteOptions.defaults());
            }

            @Override
            public void delete(CalendarRef calendar, String eventId, String expectedVersion, WriteOptions options) {
                open();
                store.delete(self, calendar, eventId, expectedVersion, options);
            }

            @Override
            public Event updateOccurrence(
                    CalendarRef calendar, String seriesId, Event override, String expectedVersion) {
                return updateOccurrence(calendar, seriesId, override, expectedVersion, WriteOptions.defaults());
            }

            @Override
            public Event updateOccurrence(
                    CalendarRef calendar,
                    String seriesId,
                    Event override,
                    String expectedVersion,
                    WriteOptions options) {
                open();
                return store.updateOccurrence(self, calendar, seriesId, override, expectedVersion, options);
            }

            @Override
            public Event cancelOccurrence(
                    CalendarRef calendar, String seriesId, EventTime recurrenceId, String expectedVersion) {
                return cancelOccurrence(calendar, seriesId, recurrenceId, expectedVersion, WriteOptions.defaults());
            }

            @Override
            public Event cancelOccurrence(
                    CalendarRef calendar,
                    String seriesId,
                    EventTime recurrenceId,
                    String expectedVersion,
                    WriteOptions options) {
                open();
                return store.cancelOccurrence(self, calendar, seriesId, recurrenceId, expectedVersion, options);
            }

            @Override
            public Event respond(
                    CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus response) {
                return respond(calendar, eventId, attendee, response, WriteOptions.defaults());
            }

            @Override
            public Event respond(
                    CalendarRef calendar,
                    String eventId,
                    Mailbox attendee,
                    Attendee.ResponseStatus response,
                    WriteOptions options) {
                open();
                return store.respond(self, calendar, eventId, attendee, response, options);
            }
        };
    }

    @Override
    public ChangeFeed changes() {
        open();
        return new ChangeFeed() {
            @Override
            public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
                open();
                return store.changes(self, calendar, cursor);
            }

            @Override
            public Map<CalendarRef, String> changedCalendars(Mailbox mailbox, Map<String, String> knownTags) {
                open();
                return store.changedCalendars(self, mailbox, knownTags);
            }
        };
    }

    @Override
    public DirectoryReader directory() {
        open();
        return new DirectoryReader() {
            @Override
            public DirectoryPage users(String pageToken) {
                open();
                return store.directory(pageToken);
            }

            @Override
            public DirectoryPage rooms(String pageToken) {
                open();
                return store.rooms(pageToken);
            }

            @Override
            public DirectoryPage groupMembers(String groupId, String pageToken) {
                open();
                return store.groupMembers(groupId, pageToken);
            }
        };
    }

    @Override
    public PushChannels push() {
        open();
        return new PushChannels() {
            @Override
            public Subscription subscribe(CalendarRef calendar, SubscriptionRequest request) {
                open();
                return store.subscribe(self, calendar, request);
            }

            @Override
            public Subscription renew(Subscription subscription, SubscriptionRequest request) {
                open();
                return store.renew(subscription, request);
            }

            @Override
            public void unsubscribe(Subscription subscription) {
                open();
                store.unsubscribe(subscription);
            }

            @Override
            public List<String> subscriptionIds(WebhookRequest request) {
                open();
                return store.subscriptionIds(request);
            }

            @Override
            public WebhookResponse handle(WebhookRequest request, java.util.Collection<Subscription> subscriptions) {
                open();
                return store.handle(request, subscriptions);
            }
        };
    }

    @Override
    public ServiceAccountImpersonator impersonator() {
        if (self != null) {
            return CalendarConnection.super.impersonator();
        }
        open();
        return new ServiceAccountImpersonator() {
            @Override
            public AccessCheck checkAccess(Mailbox mailbox) {
                open();
                return store.checkAccess(mailbox);
            }

            @Override
            public List<AccessCheck> checkAccess(List<Mailbox> mailboxes) {
                open();
                return store.checkAccess(mailboxes);
            }

            @Override
            public SetupCheck checkSetup() {
                open();
                return store.checkSetup();
            }

            @Override
            public CalendarConnection actAs(Mailbox mailbox) {
                open();
                if (mailbox == null) {
                    throw new InvalidInputException("mailbox", "mailbox == null");
                }
                if (!store.mayActAs(mailbox)) {
                    throw new PermissionDeniedException(
                            "the service account may not act as " + mailbox
                                    + " (outside its scope, or its set-up is incomplete: see checkAccess and checkSetup); "
                                    + "ask the administrator to grant access",
                            ErrorContext.of(MemoryStore.PROVIDER_ID).withMailbox(mailbox));
                }
                return new MemoryConnection(
                        store, mailbox, MemoryConnection.this); // a view: no call, nothing of its own to open
            }
        };
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "MemoryConnection[" + store.serviceId() + ", " + (self == null ? "organization" : self.email()) + "]";
    }
}
