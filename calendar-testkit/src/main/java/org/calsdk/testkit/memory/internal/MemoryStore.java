package org.calsdk.testkit.memory.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.api.WriteOptions;
import org.calsdk.auth.Secret;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.internal.Checks;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.MemoryNotice;

/**
 * The state and rules of one in-memory calendar service: users, calendars, events, change logs,
 * subscriptions, the service account's scope and the injected faults. Every public method is one SPI
 * operation done on behalf of {@code self} (a user's mailbox, or null for the organization's service
 * account). Thread-safe (one lock; faults' delays are served outside it). Not public API.
 */
public final class MemoryStore {
    public static final String PROVIDER_ID = "memory";

    private final String serviceId;
    private final Clock clock;
    private final ZoneId floatingZone;
    private final int changePageSize;
    private final int directoryPageSize;
    private final Duration maxSubscriptionTtl;
    private final FaultState faults = new FaultState();
    private final Map<SpiOperation, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<Mailbox, LongAdder> callsPerMailbox = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<WebhookRequest> outbox = new ConcurrentLinkedDeque<>();
    private volatile Consumer<WebhookRequest> webhookListener;

    // guarded by this
    private final Map<Mailbox, UserState> users = new LinkedHashMap<>();
    private final Map<String, SubState> subscriptions = new LinkedHashMap<>();
    private final List<PendingNote> undelivered = new ArrayList<>();
    private volatile boolean batchWebhooks;
    private Duration changeWindowPast;
    private Duration changeWindowFuture;
    private Predicate<Mailbox> serviceAccountScope = m -> true;
    private final EnumMap<SetupCheck.Requirement, String> setupMissing = new EnumMap<>(SetupCheck.Requirement.class);
    private final Map<Mailbox, List<Mailbox>> groups = new LinkedHashMap<>();
    private final List<MemoryNotice> notices = new ArrayList<>();
    private long seq;
    private long ids;

    public MemoryStore(
            String serviceId,
            Clock clock,
            ZoneId floatingZone,
            int changePageSize,
            int directoryPageSize,
            Duration maxSubscriptionTtl) {
        this.serviceId = Checks.notBlank(serviceId, "serviceId");
        this.clock = Checks.notNull(clock, "clock");
        this.floatingZone = Checks.notNull(floatingZone, "floatingZone");
        Checks.check(changePageSize > 0 && directoryPageSize > 0, "pageSize", "page sizes must be positive");
        this.changePageSize = changePageSize;
        this.directoryPageSize = directoryPageSize;
        this.maxSubscriptionTtl = Checks.notNull(maxSubscriptionTtl, "maxSubscriptionTtl");
    }

    public String serviceId() {
        return serviceId;
    }

    public ZoneId floatingZone() {
        return floatingZone;
    }

    public Clock clock() {
        return clock;
    }

    public FaultState faults() {
        return faults;
    }

    // ------------------------------------------------------------------ set-up, inspection

    public void seed(SeedData data) {
        Checks.notNull(data, "data");
        synchronized (this) {
            for (SeedData.SeedUser u : data.users()) {
                UserState user = addUserLocked(u.mailbox(), u.displayName(), u.enabled());
                for (SeedData.SeedCalendar c : u.calendars()) {
                    Checks.check(
                            c.id().indexOf('|') < 0 && c.id().indexOf('/') < 0,
                            "calendar id",
                            "a calendar id must not contain '|' or '/'");
                    CalState cal = c.primary()
                            ? user.primary()
                            : user.calendars.computeIfAbsent(
                                    c.id(), id -> new CalState(user.mailbox, id, c.displayName(), false));
                    for (Event e : c.events()) {
                        insertLocked(cal, e, e.key().orElse(null));
                    }
                }
            }
        }
        flushWebhooks();
    }

    public synchronized void addUser(Mailbox mailbox, String displayName, boolean enabled) {
        addUserLocked(mailbox, displayName, enabled);
    }

    public synchronized CalendarRef addCalendar(Mailbox mailbox, String id, String displayName, boolean readOnly) {
        UserState u = users.get(Checks.notNull(mailbox, "mailbox"));
        if (u == null) {
            throw new NotFoundException("no user " + mailbox + "; add the user first", ctx(mailbox));
        }
        Checks.notBlank(id, "calendar id");
        Checks.check(
                !CalendarRef.PRIMARY.equals(id) && !u.calendars.containsKey(id),
                "calendar id",
                "calendar '" + id + "' already exists");
        Checks.check(
                id.indexOf('|') < 0 && id.indexOf('/') < 0, "calendar id", "a calendar id must not contain '|' or '/'");
        CalState c = new CalState(u.mailbox, id, displayName, false);
        c.readOnly = readOnly;
        u.calendars.put(id, c);
        return CalendarRef.of(u.mailbox, id);
    }

    public synchronized boolean hasUser(Mailbox mailbox) {
        return users.containsKey(mailbox);
    }

    public synchronized List<Mailbox> mailboxes() {
        return List.copyOf(users.keySet());
    }

    public synchronized void restrictServiceAccount(Predicate<Mailbox> scope) {
        this.serviceAccountScope = Checks.notNull(scope, "scope");
    }

    public synchronized boolean inServiceAccountScope(Mailbox mailbox) {
        return serviceAccountScope.test(mailbox);
    }

    /** Every stored event of a calendar (no access checks, no faults, not counted): for assertions. */
    public synchronized List<Event> events(CalendarRef ref) {
        return List.copyOf(inspectLocked(ref, ctx(ref.mailbox())).events.values());
    }

    public synchronized void invalidateCursors(CalendarRef ref) {
        inspectLocked(ref, ctx(ref.mailbox())).epoch++;
    }

    public synchronized void invalidateAllCursors() {
        users.values().forEach(u -> u.calendars.values().forEach(c -> c.epoch++));
    }

    public long calls(SpiOperation op) {
        LongAdder a = calls.get(op);
        return a == null ? 0 : a.sum();
    }

    public long callsFor(Mailbox mailbox) {
        LongAdder a = callsPerMailbox.get(mailbox);
        return a == null ? 0 : a.sum();
    }

    public long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void resetCounters() {
        calls.clear();
        callsPerMailbox.clear();
    }

    // ------------------------------------------------------------------ webhooks

    public List<WebhookRequest> drainWebhooks() {
        expireSubscriptions();
        flushWebhooks(true);
        List<WebhookRequest> out = new ArrayList<>();
        WebhookRequest r;
        while ((r = outbox.pollFirst()) != null) {
            out.add(r);
        }
        return out;
    }

    public void onWebhook(Consumer<WebhookRequest> listener) {
        this.webhookListener = listener;
    }

    /** Whether pending notifications for one callback URL go out together in one request (as Graph does). */
    public void batchWebhooks(boolean batch) {
        this.batchWebhooks = batch;
    }

    public void expireSubscription(String id) {
        synchronized (this) {
            SubState s = subscriptions.get(id);
            if (s == null) {
                throw new NotFoundException("no subscription " + id, ErrorContext.of(PROVIDER_ID));
            }
            endLocked(s);
        }
        flushWebhooks();
    }

    private void flushWebhooks() {
        flushWebhooks(false);
    }

    /**
     * Delivers pending notifications. When they are batched and queued for {@link #drainWebhooks}, they wait
     * for it ({@code drain}), so that one request carries everything that happened meanwhile.
     */
    private void flushWebhooks(boolean drain) {
        List<WebhookRequest> batch = new ArrayList<>();
        synchronized (this) {
            if (batchWebhooks && webhookListener == null && !drain) {
                return;
            }
            if (batchWebhooks) {
                Map<String, List<MemoryWebhooks.Note>> byUrl = new LinkedHashMap<>();
                undelivered.forEach(p -> byUrl.computeIfAbsent(p.callbackUrl(), k -> new ArrayList<>())
                        .add(p.note()));
                byUrl.values().forEach(notes -> batch.add(MemoryWebhooks.request(notes)));
            } else {
                undelivered.forEach(p -> batch.add(MemoryWebhooks.request(List.of(p.note()))));
            }
            undelivered.clear();
        }
        Consumer<WebhookRequest> l = webhookListener;
        for (WebhookRequest r : batch) {
            if (l != null) {
                l.accept(r);
            } else {
                outbox.addLast(r);
            }
        }
    }

    private void expireSubscriptions() {
        synchronized (this) {
            Instant now = clock.instant();
            for (SubState s : subscriptions.values()) {
                if (!s.ended && !now.isBefore(s.expiresAt)) {
                    endLocked(s);
                }
            }
        }
        flushWebhooks();
    }

    private void endLocked(SubState s) {
        if (!s.ended) {
            s.ended = true;
            s.expiresAt = clock.instant();
            undelivered.add(webhook(s, "ended"));
        }
    }

    private PendingNote webhook(SubState s, String change) {
        return new PendingNote(
                s.callbackUrl, new MemoryWebhooks.Note(s.id, s.resourceId, s.clientState.reveal(), change));
    }

    private record PendingNote(String callbackUrl, MemoryWebhooks.Note note) {}

    // ------------------------------------------------------------------ entry

    private ErrorContext enter(SpiOperation op, Mailbox mailbox) {
        calls.computeIfAbsent(op, k -> new LongAdder()).increment();
        if (mailbox != null) {
            callsPerMailbox.computeIfAbsent(mailbox, k -> new LongAdder()).increment();
        }
        expireSubscriptions();
        ErrorContext ctx = ctx(mailbox);
        faults.beforeCall(op, mailbox, ctx);
        return ctx;
    }

    private static ErrorContext ctx(Mailbox mailbox) {
        return ErrorContext.of(PROVIDER_ID).withMailbox(mailbox);
    }

    // ------------------------------------------------------------------ free/busy

    public FreeBusyResult freeBusy(Mailbox self, FreeBusyRequest request) {
        Checks.notNull(request, "request");
        enter(SpiOperation.FREE_BUSY, self);
        List<FreeBusy> out = new ArrayList<>();
        synchronized (this) {
            for (Mailbox m : request.mailboxes()) {
                ErrorContext c = ctx(m);
                Optional<java.util.function.Function<ErrorContext, org.calsdk.errors.CalendarException>> injected =
                        faults.freeBusyFailure(m);
                if (injected.isPresent()) {
                    out.add(FreeBusy.failed(m, injected.get().apply(c)));
                } else if (!users.containsKey(m)) {
                    out.add(FreeBusy.failed(m, new NotFoundException("no mailbox " + m + " in this organization", c)));
                } else if (self == null && !serviceAccountScope.test(m)) {
                    out.add(FreeBusy.failed(
                            m,
                            new PermissionDeniedException(
                                    "mailbox " + m
                                            + " is outside the service account's scope; ask the administrator to grant access",
                                    c)));
                } else {
                    List<Event> all = new ArrayList<>();
                    users.get(m).calendars.values().forEach(cal -> all.addAll(cal.events.values()));
                    out.add(FreeBusy.of(m, Occurrences.busy(all, request.window(), floatingZone)));
                }
            }
        }
        return new FreeBusyResult(out);
    }

    // ------------------------------------------------------------------ read

    public List<CalendarInfo> calendars(Mailbox self, Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        ErrorContext c = enter(SpiOperation.LIST_CALENDARS, mailbox);
        synchronized (this) {
            authorizeLocked(self, mailbox, c);
            UserState u = userLocked(mailbox, c);
            return u.calendars.values().stream().map(cal -> info(u, cal)).toList();
        }
    }

    private CalendarInfo info(UserState u, CalState cal) {
        return new CalendarInfo(
                CalendarRef.of(u.mailbox, cal.id),
                cal.displayName,
                null,
                Set.of("VEVENT"),
                cal.readOnly,
                cal.primary,
                tag(cal));
    }

    public EventPage list(Mailbox self, EventQuery query) {
        Checks.notNull(query, "query");
        ErrorContext c = enter(SpiOperation.LIST_EVENTS, query.calendar().mailbox());
        synchronized (this) {
            CalState cal = calendarLocked(self, query.calendar(), c, false);
            String calKey = cal.key();
            TimeWindow w = query.window();
            long afterStart = Long.MIN_VALUE;
            String afterId = "";
            if (query.pageToken() != null) {
                List<String> f = Tokens.decode("P", query.pageToken(), 5).orElseThrow(() -> badToken(c));
                if (!f.get(0).equals(calKey)
                        || !f.get(1).equals(w.start().toString())
                        || !f.get(2).equals(w.end().toString())) {
                    throw new InvalidInputException(
                            "pageToken", "the page token belongs to another calendar or window", c, null);
                }
                try {
                    afterStart = Long.parseLong(f.get(3));
                } catch (NumberFormatException e) {
                    throw badToken(c);
                }
                afterId = f.get(4);
            }
            List<Event> matching = new ArrayList<>();
            for (Event e : cal.events.values()) {
                if (Occurrences.occursIn(e, w, floatingZone)) {
                    matching.add(e);
                }
            }
            Comparator<Event> order = Comparator.comparingLong(this::sortKey).thenComparing(e -> e.id().orElseThrow());
            matching.sort(order);
            List<Event> page = new ArrayList<>();
            boolean more = false;
            for (Event e : matching) {
                long k = sortKey(e);
                String id = e.id().orElseThrow();
                if (k < afterStart || (k == afterStart && id.compareTo(afterId) <= 0)) {
                    continue;
                }
                if (page.size() == query.pageSize()) {
                    more = true;
                    break;
                }
                page.add(e);
            }
            String next = null;
            if (more) {
                Event last = page.get(page.size() - 1);
                next = Tokens.encode(
                        "P",
                        calKey,
                        w.start(),
                        w.end(),
                        sortKey(last),
                        last.id().orElseThrow());
            }
            return new EventPage(page, next);
        }
    }

    private long sortKey(Event e) {
        return e.start().toInstant(floatingZone).toEpochMilli();
    }

    private static InvalidInputException badToken(ErrorContext c) {
        return new InvalidInputException("pageToken", "the page token is not one this service issued", c, null);
    }

    public Optional<Event> get(Mailbox self, CalendarRef ref, String eventId) {
        Checks.notBlank(eventId, "eventId");
        ErrorContext c = enter(SpiOperation.GET_EVENT, ref.mailbox());
        synchronized (this) {
            return Optional.ofNullable(
                    calendarLocked(self, ref, c, false).events.get(eventId));
        }
    }

    public Optional<Event> findByKey(Mailbox self, CalendarRef ref, EventKey key) {
        Checks.notNull(key, "key");
        ErrorContext c = enter(SpiOperation.FIND_BY_KEY, ref.mailbox());
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, false);
            String id = cal.keys.get(key);
            return Optional.ofNullable(id == null ? null : cal.events.get(id));
        }
    }

    // ------------------------------------------------------------------ write

    public Event create(Mailbox self, CalendarRef ref, EventKey key, Event event, WriteOptions options) {
        Checks.notNull(key, "key");
        Checks.notNull(options, "options");
        Checks.notNull(event, "event");
        if (event.recurrenceId().isPresent()) {
            throw new InvalidInputException("event", "an override cannot be created on its own; use updateOccurrence");
        }
        ErrorContext c = enter(SpiOperation.CREATE_EVENT, ref.mailbox());
        Event stored;
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, true);
            String existing = cal.keys.get(key);
            if (existing != null) {
                return cal.events.get(existing);
            }
            stored = insertLocked(cal, event, key);
            noticeLocked(MemoryNotice.Kind.INVITATION, cal, stored, options);
        }
        flushWebhooks();
        faults.afterCommit(SpiOperation.CREATE_EVENT, ref.mailbox(), c);
        return stored;
    }

    public Event update(Mailbox self, CalendarRef ref, Event event, WriteOptions options) {
        Checks.notNull(event, "event");
        Checks.notNull(options, "options");
        String id = event.id()
                .orElseThrow(
                        () -> new InvalidInputException("event", "the event has no id: read it first, or create it"));
        ErrorContext c = enter(SpiOperation.UPDATE_EVENT, ref.mailbox());
        Event stored;
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, true);
            Event old = existingLocked(cal, id, c);
            checkVersion(old, event.version().orElse(null), c);
            stored = replaceLocked(cal, old, event.toBuilder());
            noticeLocked(MemoryNotice.Kind.UPDATE, cal, stored, options);
        }
        flushWebhooks();
        faults.afterCommit(SpiOperation.UPDATE_EVENT, ref.mailbox(), c);
        return stored;
    }

    public void delete(Mailbox self, CalendarRef ref, String eventId, String expectedVersion, WriteOptions options) {
        Checks.notBlank(eventId, "eventId");
        Checks.notNull(options, "options");
        ErrorContext c = enter(SpiOperation.DELETE_EVENT, ref.mailbox());
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, true);
            Event old = cal.events.get(eventId);
            if (old == null) {
                return;
            }
            checkVersion(old, expectedVersion, c);
            noticeLocked(MemoryNotice.Kind.CANCELLATION, cal, old, options);
            if (options.removal() == WriteOptions.Removal.CANCEL) {
                // a cancelled meeting stays in the organizer's calendar, marked cancelled (as CalDAV keeps it)
                if (!old.isCancelled()) {
                    replaceLocked(cal, old, old.toBuilder().status(org.calsdk.model.EventStatus.CANCELLED));
                }
            } else {
                cal.events.remove(eventId);
                old.key().ifPresent(cal.keys::remove);
                cal.deletions.put(
                        eventId, new Deletion(old.uid().orElse(null), old.key().orElse(null)));
                logLocked(cal, eventId, old);
            }
        }
        flushWebhooks();
        faults.afterCommit(SpiOperation.DELETE_EVENT, ref.mailbox(), c);
    }

    public Event updateOccurrence(
            Mailbox self,
            CalendarRef ref,
            String seriesId,
            Event override,
            String expectedVersion,
            WriteOptions options) {
        Checks.notBlank(seriesId, "seriesId");
        Checks.notNull(options, "options");
        Checks.notNull(override, "override");
        EventTime rid = override.recurrenceId()
                .orElseThrow(() -> new InvalidInputException(
                        "override", "the override must name the occurrence it changes (recurrenceId)"));
        ErrorContext c = enter(SpiOperation.UPDATE_OCCURRENCE, ref.mailbox());
        Event stored;
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, true);
            Event master = seriesLocked(cal, seriesId, c);
            requireOccurrence(master, rid, c);
            checkOccurrenceVersion(master, rid, expectedVersion, c);
            List<Event> overrides = new ArrayList<>();
            Instant ridAt = rid.toInstant(floatingZone);
            for (Event o : master.overrides()) {
                if (!o.recurrenceId().orElseThrow().toInstant(floatingZone).equals(ridAt)) {
                    overrides.add(o);
                }
            }
            overrides.add(override.toBuilder()
                    .id(null)
                    .key(null)
                    .version(null)
                    .uid(master.uid().orElseThrow())
                    .recurrence(null)
                    .overrides(List.of())
                    .build());
            stored = replaceLocked(cal, master, master.toBuilder().overrides(overrides));
            noticeLocked(MemoryNotice.Kind.UPDATE, cal, stored, options);
        }
        flushWebhooks();
        faults.afterCommit(SpiOperation.UPDATE_OCCURRENCE, ref.mailbox(), c);
        return stored;
    }

    public Event cancelOccurrence(
            Mailbox self,
            CalendarRef ref,
            String seriesId,
            EventTime recurrenceId,
            String expectedVersion,
            WriteOptions options) {
        Checks.notBlank(seriesId, "seriesId");
        Checks.notNull(options, "options");
        Checks.notNull(recurrenceId, "recurrenceId");
        ErrorContext c = enter(SpiOperation.CANCEL_OCCURRENCE, ref.mailbox());
        Event stored;
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, true);
            Event master = seriesLocked(cal, seriesId, c);
            requireOccurrence(master, recurrenceId, c);
            checkOccurrenceVersion(master, recurrenceId, expectedVersion, c);
            Instant at = recurrenceId.toInstant(floatingZone);
            List<Event> overrides = master.overrides().stream()
                    .filter(o -> !o.recurrenceId()
                            .orElseThrow()
                            .toInstant(floatingZone)
                            .equals(at))
                    .toList();
            Recurrence rec = master.recurrence().orElseThrow();
            List<EventTime> exdates = new ArrayList<>(rec.exdates());
            if (exdates.stream().noneMatch(x -> x.toInstant(floatingZone).equals(at))) {
                exdates.add(recurrenceId);
            }
            stored = replaceLocked(
                    cal, master, master.toBuilder().overrides(overrides).recurrence(rec.withExdates(exdates)));
            noticeLocked(MemoryNotice.Kind.CANCELLATION, cal, stored, options);
        }
        flushWebhooks();
        faults.afterCommit(SpiOperation.CANCEL_OCCURRENCE, ref.mailbox(), c);
        return stored;
    }

    public Event respond(
            Mailbox self,
            CalendarRef ref,
            String eventId,
            Mailbox attendee,
            Attendee.ResponseStatus response,
            WriteOptions options) {
        Checks.notBlank(eventId, "eventId");
        Checks.notNull(options, "options");
        Checks.notNull(attendee, "attendee");
        Checks.notNull(response, "response");
        ErrorContext c = enter(SpiOperation.RESPOND, ref.mailbox());
        Event stored;
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, true);
            Event old = existingLocked(cal, eventId, c);
            if (old.attendee(attendee).isEmpty()) {
                throw new InvalidInputException("attendee", attendee + " is not invited to this event", c, null);
            }
            List<Attendee> attendees = old.attendees().stream()
                    .map(a -> a.mailbox().equals(attendee) ? a.withResponse(response) : a)
                    .toList();
            stored = replaceLocked(cal, old, old.toBuilder().attendees(attendees));
            noticeLocked(MemoryNotice.Kind.REPLY, cal, stored, options);
        }
        flushWebhooks();
        faults.afterCommit(SpiOperation.RESPOND, ref.mailbox(), c);
        return stored;
    }

    private Event existingLocked(CalState cal, String id, ErrorContext c) {
        Event e = cal.events.get(id);
        if (e == null) {
            throw new NotFoundException("no event " + id + " in calendar " + cal.id, c);
        }
        return e;
    }

    private Event seriesLocked(CalState cal, String id, ErrorContext c) {
        Event e = existingLocked(cal, id, c);
        if (!e.isRecurring()) {
            throw new InvalidInputException("seriesId", "event " + id + " is not a recurring series", c, null);
        }
        return e;
    }

    private void requireOccurrence(Event master, EventTime rid, ErrorContext c) {
        if (!Occurrences.hasOccurrenceAt(master, rid.toInstant(floatingZone), floatingZone)) {
            throw new InvalidInputException("recurrenceId", "the series has no occurrence starting at " + rid, c, null);
        }
    }

    /** The occurrence's own version: its override's, or the series' for an occurrence never changed. */
    private void checkOccurrenceVersion(Event master, EventTime rid, String expected, ErrorContext c) {
        Instant at = rid.toInstant(floatingZone);
        Optional<Event> override = master.overrides().stream()
                .filter(o ->
                        o.recurrenceId().orElseThrow().toInstant(floatingZone).equals(at))
                .findFirst();
        String current =
                override.flatMap(Event::version).orElse(master.version().orElse(null));
        if (expected != null && !expected.equals(current)) {
            throw new ConflictException(
                    "occurrence " + rid + " of event " + master.id().orElse("?")
                            + " changed since it was read (version " + expected + ", now " + current
                            + "); read it again and retry",
                    c,
                    current);
        }
    }

    private static void checkVersion(Event stored, String expected, ErrorContext c) {
        String current = stored.version().orElse(null);
        if (expected != null && !expected.equals(current)) {
            throw new ConflictException(
                    "event " + stored.id().orElse("?") + " changed since it was read (version " + expected + ", now "
                            + current + "); read it again and retry",
                    c,
                    current);
        }
    }

    private Event insertLocked(CalState cal, Event event, EventKey key) {
        String id = String.format("evt%08d", ++ids);
        String uid = event.uid().orElse(id + "@memory.calsdk.org");
        Event stored = normalize(event.toBuilder().id(id).uid(uid).key(key), uid, null);
        if (key != null) {
            cal.keys.put(key, id);
        }
        cal.events.put(id, stored);
        logLocked(cal, id, null);
        return cal.events.get(id);
    }

    private Event replaceLocked(CalState cal, Event old, Event.Builder changed) {
        String uid = old.uid().orElseThrow();
        Event stored = normalize(
                changed.id(old.id().orElseThrow()).uid(uid).key(old.key().orElse(null)), uid, old);
        cal.events.put(old.id().orElseThrow(), stored);
        logLocked(cal, old.id().orElseThrow(), old);
        return stored;
    }

    /**
     * The event as stored: a new version for the series, and for each override its own version, kept
     * when the override is unchanged since {@code old} and new when it was added or changed (as Google
     * and Graph version instances).
     */
    private Event normalize(Event.Builder b, String uid, Event old) {
        Event draft = b.build();
        String version = "v" + (seq + 1);
        List<Event> overrides = new ArrayList<>();
        for (Event o : draft.overrides()) {
            Event bare = o.toBuilder()
                    .id(null)
                    .key(null)
                    .version(null)
                    .uid(uid)
                    .updated(null)
                    .build();
            Instant rid = o.recurrenceId().orElseThrow().toInstant(floatingZone);
            Optional<Event> before = old == null
                    ? Optional.empty()
                    : old.overrides().stream()
                            .filter(x -> x.recurrenceId()
                                    .orElseThrow()
                                    .toInstant(floatingZone)
                                    .equals(rid))
                            .findFirst();
            String kept = before.filter(x ->
                            x.toBuilder().version(null).updated(null).build().equals(bare))
                    .flatMap(Event::version)
                    .orElse(version);
            overrides.add(bare.toBuilder().version(kept).build());
        }
        return b.overrides(overrides).version(version).updated(clock.instant()).build();
    }

    private void logLocked(CalState cal, String eventId, Event before) {
        seq++;
        cal.log.add(new LogEntry(seq, eventId, before));
        cal.lastSeq = seq;
        for (SubState s : subscriptions.values()) {
            if (!s.ended && s.cal == cal) {
                undelivered.add(webhook(s, "changed"));
            }
        }
    }

    // ------------------------------------------------------------------ changes

    public ChangeBatch changes(Mailbox self, CalendarRef ref, SyncCursor cursor) {
        Checks.notNull(cursor, "cursor");
        ErrorContext c = enter(SpiOperation.CHANGES, ref.mailbox());
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, false);
            if (changeWindowPast != null) {
                return windowedChangesLocked(cal, cursor);
            }
            String mode;
            long fromSeq;
            String afterId;
            if (cursor.isStart()) {
                mode = "F";
                fromSeq = cal.lastSeq;
                afterId = "";
            } else {
                Optional<List<String>> f = Tokens.decode("C", cursor.value(), 6);
                if (f.isEmpty()
                        || !f.get().get(0).equals(serviceId)
                        || !f.get().get(1).equals(cal.key())) {
                    return new ChangeBatch.ResyncRequired(
                            "the cursor was not issued for this calendar; read it fully again");
                }
                if (!f.get().get(2).equals(Long.toString(cal.epoch))) {
                    return new ChangeBatch.ResyncRequired("the cursor has expired; read the calendar fully again");
                }
                mode = f.get().get(3);
                try {
                    fromSeq = Long.parseLong(f.get().get(4));
                } catch (NumberFormatException e) {
                    return new ChangeBatch.ResyncRequired("the cursor is damaged; read the calendar fully again");
                }
                afterId = f.get().get(5);
            }
            if ("F".equals(mode)) {
                List<EventChange> out = new ArrayList<>();
                boolean more = false;
                String last = afterId;
                for (Event e : cal.events.tailMap(afterId, false).values()) {
                    if (out.size() == changePageSize) {
                        more = true;
                        break;
                    }
                    out.add(new EventChange.Upserted(e));
                    last = e.id().orElseThrow();
                }
                SyncCursor next = more ? cursor(cal, "F", fromSeq, last) : cursor(cal, "I", fromSeq, "");
                return new ChangeBatch.Changes(out, next, more, true);
            }
            if (!"I".equals(mode)) {
                return new ChangeBatch.ResyncRequired("the cursor is damaged; read the calendar fully again");
            }
            Set<String> changed = new LinkedHashSet<>();
            long processed = fromSeq;
            boolean more = false;
            for (LogEntry le : cal.log) {
                if (le.seq <= fromSeq) {
                    continue;
                }
                if (!changed.contains(le.eventId) && changed.size() == changePageSize) {
                    more = true;
                    break;
                }
                changed.add(le.eventId);
                processed = le.seq;
            }
            List<EventChange> out = new ArrayList<>();
            for (String id : changed) {
                Event now = cal.events.get(id);
                if (now != null) {
                    out.add(new EventChange.Upserted(now));
                } else {
                    Deletion d = cal.deletions.get(id);
                    out.add(new EventChange.Deleted(id, d == null ? null : d.uid, d == null ? null : d.key));
                }
            }
            return new ChangeBatch.Changes(out, cursor(cal, "I", processed, ""), more, false);
        }
    }

    // ------------------------------------------------------------------ windowed change feed

    /**
     * Makes the change feed a windowed one, as Graph's {@code calendarView/delta}: a full read covers the
     * days from {@code past} before now to {@code future} after it (whole UTC days), lists series as their
     * occurrences there, and says so in its coverage; when the window has moved on by a day, cursors answer
     * ResyncRequired. Null turns it off (the default: the feed covers everything).
     */
    public synchronized void changeWindow(Duration past, Duration future) {
        if ((past == null) != (future == null)) {
            throw new IllegalArgumentException("give both past and future, or neither");
        }
        this.changeWindowPast = past;
        this.changeWindowFuture = future;
    }

    private TimeWindow currentChangeWindow() {
        Instant start = clock.instant().minus(changeWindowPast).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        return TimeWindow.of(
                start, start.plus(changeWindowPast).plus(changeWindowFuture).plus(Duration.ofDays(1)));
    }

    private ChangeBatch windowedChangesLocked(CalState cal, SyncCursor cursor) {
        TimeWindow window = currentChangeWindow();
        ChangeBatch.Coverage coverage = ChangeBatch.Coverage.window(window);
        String mode;
        long fromSeq;
        String afterId;
        if (cursor.isStart()) {
            mode = "F";
            fromSeq = cal.lastSeq;
            afterId = "";
        } else {
            Optional<List<String>> f = Tokens.decode("W", cursor.value(), 7);
            if (f.isEmpty()
                    || !f.get().get(0).equals(serviceId)
                    || !f.get().get(1).equals(cal.key())) {
                return new ChangeBatch.ResyncRequired(
                        "the cursor was not issued for this calendar; read it fully again");
            }
            if (!f.get().get(2).equals(Long.toString(cal.epoch))) {
                return new ChangeBatch.ResyncRequired("the cursor has expired; read the calendar fully again");
            }
            if (!f.get().get(6).equals(Long.toString(window.start().getEpochSecond()))) {
                return new ChangeBatch.ResyncRequired("the change window has moved on; read the new window fully");
            }
            mode = f.get().get(3);
            try {
                fromSeq = Long.parseLong(f.get().get(4));
            } catch (NumberFormatException e) {
                return new ChangeBatch.ResyncRequired("the cursor is damaged; read the calendar fully again");
            }
            afterId = f.get().get(5);
        }
        if ("F".equals(mode)) {
            TreeMap<String, EventChange> all = new TreeMap<>();
            for (Event e : cal.events.values()) {
                windowed(e, window).forEach(ch -> all.put(ch.eventId(), ch));
            }
            List<EventChange> out = new ArrayList<>();
            boolean more = false;
            String last = afterId;
            for (EventChange ch : all.tailMap(afterId, false).values()) {
                if (out.size() == changePageSize) {
                    more = true;
                    break;
                }
                out.add(ch);
                last = ch.eventId();
            }
            SyncCursor next =
                    more ? windowCursor(cal, "F", fromSeq, last, window) : windowCursor(cal, "I", fromSeq, "", window);
            return new ChangeBatch.Changes(out, next, more, true, coverage);
        }
        if (!"I".equals(mode)) {
            return new ChangeBatch.ResyncRequired("the cursor is damaged; read the calendar fully again");
        }
        Map<String, Event> firstBefore = new LinkedHashMap<>(); // event id -> its state when the reader last saw it
        Set<String> changed = new LinkedHashSet<>();
        long processed = fromSeq;
        boolean more = false;
        for (LogEntry le : cal.log) {
            if (le.seq <= fromSeq) {
                continue;
            }
            if (!changed.contains(le.eventId) && changed.size() == changePageSize) {
                more = true;
                break;
            }
            if (changed.add(le.eventId) && le.before != null) {
                firstBefore.put(le.eventId, le.before);
            }
            processed = le.seq;
        }
        List<EventChange> out = new ArrayList<>();
        for (String id : changed) {
            Event before = firstBefore.get(id);
            Event now = cal.events.get(id);
            List<EventChange> nowChanges = now == null ? List.of() : windowed(now, window);
            Set<String> nowIds = new java.util.HashSet<>();
            nowChanges.forEach(ch -> nowIds.add(ch.eventId()));
            if (before != null) {
                for (EventChange was : windowed(before, window)) {
                    if (!nowIds.contains(was.eventId())) {
                        Deletion d = now == null ? cal.deletions.get(id) : null;
                        boolean whole = was.eventId().equals(id);
                        out.add(new EventChange.Deleted(
                                was.eventId(), before.uid().orElse(null), whole && d != null ? d.key : null));
                    }
                }
            }
            out.addAll(nowChanges);
        }
        return new ChangeBatch.Changes(out, windowCursor(cal, "I", processed, "", window), more, false, coverage);
    }

    /**
     * What a windowed feed lists of {@code e}: a single event when it touches the window; for a series, each
     * occurrence in the window that is not cancelled, as its own event naming its series.
     */
    private List<EventChange> windowed(Event e, TimeWindow window) {
        List<EventChange> out = new ArrayList<>();
        try (java.util.stream.Stream<org.calsdk.ical.Occurrence> occurrences =
                org.calsdk.ical.Recurrences.expand(e, window, floatingZone)) {
            occurrences.forEach(o -> {
                if (!e.isRecurring()) {
                    out.add(new EventChange.Upserted(e));
                    return;
                }
                if (o.status() == org.calsdk.model.EventStatus.CANCELLED || o.recurrenceId() == null) {
                    return;
                }
                String seriesId = e.id().orElseThrow();
                Event occurrence = o.source().toBuilder()
                        .id(seriesId + "@"
                                + o.recurrenceId().toInstant(floatingZone).getEpochSecond())
                        .uid(e.uid().orElse(null))
                        .key(null)
                        .version(e.version().orElse(null))
                        .recurrenceId(o.recurrenceId())
                        .recurrence(null)
                        .overrides(List.of())
                        .start(o.start())
                        .end(o.end())
                        .build();
                out.add(new EventChange.Upserted(occurrence, seriesId));
            });
        }
        return out;
    }

    private SyncCursor windowCursor(CalState cal, String mode, long seqValue, String afterId, TimeWindow window) {
        return SyncCursor.of(Tokens.encode(
                "W",
                serviceId,
                cal.key(),
                cal.epoch,
                mode,
                seqValue,
                afterId,
                window.start().getEpochSecond()));
    }

    private SyncCursor cursor(CalState cal, String mode, long seqValue, String afterId) {
        return SyncCursor.of(Tokens.encode("C", serviceId, cal.key(), cal.epoch, mode, seqValue, afterId));
    }

    public Map<CalendarRef, String> changedCalendars(Mailbox self, Mailbox mailbox, Map<String, String> knownTags) {
        Checks.notNull(mailbox, "mailbox");
        Checks.notNull(knownTags, "knownTags");
        ErrorContext c = enter(SpiOperation.CHANGED_CALENDARS, mailbox);
        synchronized (this) {
            authorizeLocked(self, mailbox, c);
            UserState u = userLocked(mailbox, c);
            Map<CalendarRef, String> out = new LinkedHashMap<>();
            for (CalState cal : u.calendars.values()) {
                String tag = tag(cal);
                if (!tag.equals(knownTags.get(cal.id))) {
                    out.put(CalendarRef.of(u.mailbox, cal.id), tag);
                }
            }
            return out;
        }
    }

    private static String tag(CalState cal) {
        return "t" + cal.epoch + "-" + cal.lastSeq;
    }

    // ------------------------------------------------------------------ organization

    public AccessCheck checkAccess(Mailbox mailbox) {
        Checks.notNull(mailbox, "mailbox");
        enter(SpiOperation.CHECK_ACCESS, mailbox);
        synchronized (this) {
            return accessLocked(mailbox);
        }
    }

    /** Many mailboxes in one call, as a provider that can ask for many at once does. */
    public List<AccessCheck> checkAccess(List<Mailbox> mailboxes) {
        Checks.notNull(mailboxes, "mailboxes");
        Checks.check(
                mailboxes.size() <= org.calsdk.api.ServiceAccountImpersonator.MAX_ACCESS_CHECKS,
                "mailboxes",
                "at most " + org.calsdk.api.ServiceAccountImpersonator.MAX_ACCESS_CHECKS + " mailboxes per check");
        mailboxes.forEach(m -> Checks.notNull(m, "mailbox"));
        enter(SpiOperation.CHECK_ACCESS, null);
        synchronized (this) {
            return mailboxes.stream().map(this::accessLocked).toList();
        }
    }

    private AccessCheck accessLocked(Mailbox mailbox) {
        if (setupMissing.containsKey(SetupCheck.Requirement.CREDENTIAL_VALID)) {
            return AccessCheck.denied(
                    mailbox,
                    AccessCheck.Reason.CREDENTIAL_INVALID,
                    setupMissing.get(SetupCheck.Requirement.CREDENTIAL_VALID));
        }
        if (setupMissing.containsKey(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT)) {
            return AccessCheck.denied(
                    mailbox,
                    AccessCheck.Reason.ROLE_MISSING,
                    setupMissing.get(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT));
        }
        for (SetupCheck.Requirement r :
                List.of(SetupCheck.Requirement.DELEGATION_CONFIGURED, SetupCheck.Requirement.ADMIN_CONSENT_GIVEN)) {
            if (setupMissing.containsKey(r)) {
                return AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_IN_SCOPE, setupMissing.get(r));
            }
        }
        UserState u = users.get(mailbox);
        if (u == null) {
            return AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_FOUND, "no such mailbox in this organization");
        }
        if (!serviceAccountScope.test(mailbox)) {
            return AccessCheck.denied(
                    mailbox,
                    AccessCheck.Reason.NOT_IN_SCOPE,
                    "mailbox is outside the service " + "account's scope; ask the administrator to add it");
        }
        if (!u.enabled) {
            return AccessCheck.denied(mailbox, AccessCheck.Reason.NOT_FOUND, "the account is suspended");
        }
        return AccessCheck.allowed(mailbox);
    }

    /** Whether the service account may act as {@code mailbox}: in scope, and the set-up complete. */
    public synchronized boolean mayActAs(Mailbox mailbox) {
        return setupMissing.isEmpty() && serviceAccountScope.test(mailbox);
    }

    public SetupCheck checkSetup() {
        enter(SpiOperation.CHECK_ACCESS, null);
        synchronized (this) {
            List<SetupCheck.Item> items = new ArrayList<>();
            for (SetupCheck.Requirement r : SetupCheck.Requirement.values()) {
                String missing = setupMissing.get(r);
                items.add(new SetupCheck.Item(
                        r,
                        missing == null ? SetupCheck.Status.OK : SetupCheck.Status.MISSING,
                        missing == null ? "" : missing));
            }
            return new SetupCheck(items);
        }
    }

    /** Marks {@code requirement} missing ({@code detail} non-null) or in place again (null). */
    public synchronized void setSetup(SetupCheck.Requirement requirement, String detail) {
        Checks.notNull(requirement, "requirement");
        if (detail == null) {
            setupMissing.remove(requirement);
        } else {
            setupMissing.put(requirement, detail);
        }
    }

    public DirectoryPage directory(String pageToken) {
        return directoryPage(
                "D",
                "",
                pageToken,
                SpiOperation.DIRECTORY,
                () -> users.values().stream()
                        .filter(u -> u.kind == DirectoryEntry.Kind.PERSON)
                        .toList());
    }

    public DirectoryPage rooms(String pageToken) {
        return directoryPage(
                "R",
                "",
                pageToken,
                SpiOperation.DIRECTORY,
                () -> users.values().stream()
                        .filter(u -> u.kind != DirectoryEntry.Kind.PERSON)
                        .toList());
    }

    public DirectoryPage groupMembers(String groupId, String pageToken) {
        Checks.notBlank(groupId, "groupId");
        Mailbox group;
        try {
            group = Mailbox.of(groupId);
        } catch (InvalidInputException e) {
            throw new NotFoundException("no group " + groupId + " (groups are named by their address)", ctx(null));
        }
        return directoryPage("G", group.normalized(), pageToken, SpiOperation.DIRECTORY, () -> {
            if (!groups.containsKey(group)) {
                throw new NotFoundException("no group " + groupId + " in this organization", ctx(null));
            }
            Map<Mailbox, UserState> members = new LinkedHashMap<>();
            flattenLocked(group, new java.util.HashSet<>(), members);
            return List.copyOf(members.values());
        });
    }

    private void flattenLocked(Mailbox group, Set<Mailbox> seen, Map<Mailbox, UserState> out) {
        if (!seen.add(group)) {
            return; // a cycle of nested groups
        }
        for (Mailbox m : groups.getOrDefault(group, List.of())) {
            if (groups.containsKey(m)) {
                flattenLocked(m, seen, out);
            } else if (users.containsKey(m)) {
                out.putIfAbsent(m, users.get(m));
            }
        }
    }

    private DirectoryPage directoryPage(
            String kind,
            String scope,
            String pageToken,
            SpiOperation op,
            java.util.function.Supplier<List<UserState>> entries) {
        ErrorContext c = enter(op, null);
        synchronized (this) {
            String after = "";
            if (pageToken != null) {
                after = Tokens.decode(kind, pageToken, 3)
                        .filter(f -> f.get(0).equals(serviceId) && f.get(1).equals(scope))
                        .map(f -> f.get(2))
                        .orElseThrow(() -> badToken(c));
            }
            TreeMap<String, UserState> sorted = new TreeMap<>();
            entries.get().forEach(u -> sorted.put(u.mailbox.normalized(), u));
            List<DirectoryEntry> page = new ArrayList<>();
            boolean more = false;
            for (UserState u : sorted.tailMap(after, false).values()) {
                if (page.size() == directoryPageSize) {
                    more = true;
                    break;
                }
                page.add(new DirectoryEntry(
                        u.directoryId, u.mailbox, u.displayName, u.enabled, u.kind, u.aliases, u.capacity, u.building));
            }
            String next = more
                    ? Tokens.encode(
                            kind,
                            serviceId,
                            scope,
                            page.get(page.size() - 1).mailbox().normalized())
                    : null;
            return new DirectoryPage(page, next);
        }
    }

    /** Makes {@code mailbox} a room or equipment (with its capacity and building, for a room). */
    public synchronized void setResource(Mailbox mailbox, DirectoryEntry.Kind kind, Integer capacity, String building) {
        UserState u = users.get(Checks.notNull(mailbox, "mailbox"));
        if (u == null) {
            throw new NotFoundException("no user " + mailbox + "; add it first", ctx(mailbox));
        }
        // the entry's own rules (only rooms have capacity and building) are checked before anything changes
        new DirectoryEntry(
                u.directoryId,
                u.mailbox,
                u.displayName,
                u.enabled,
                Checks.notNull(kind, "kind"),
                u.aliases,
                capacity,
                building);
        u.kind = kind;
        u.capacity = capacity;
        u.building = building;
    }

    public synchronized void addAlias(Mailbox mailbox, Mailbox alias) {
        UserState u = users.get(Checks.notNull(mailbox, "mailbox"));
        if (u == null) {
            throw new NotFoundException("no user " + mailbox + "; add it first", ctx(mailbox));
        }
        Checks.check(
                !users.containsKey(Checks.notNull(alias, "alias")) && !groups.containsKey(alias),
                "alias",
                alias + " is already another entry's address");
        if (!u.aliases.contains(alias) && !alias.equals(mailbox)) {
            u.aliases =
                    List.copyOf(java.util.stream.Stream.concat(u.aliases.stream(), java.util.stream.Stream.of(alias))
                            .toList());
        }
    }

    /** Defines group {@code group} (an address) with {@code members}: users, resources or other groups. */
    public synchronized void setGroup(Mailbox group, List<Mailbox> members) {
        Checks.notNull(group, "group");
        Checks.check(!users.containsKey(group), "group", group + " is a user's address");
        groups.put(group, List.copyOf(Checks.notNull(members, "members")));
    }

    // ------------------------------------------------------------------ notices

    /** The notices sent so far (invitations, updates, cancellations, replies), oldest first. */
    public synchronized List<MemoryNotice> notices() {
        return List.copyOf(notices);
    }

    private void noticeLocked(MemoryNotice.Kind kind, CalState cal, Event event, WriteOptions options) {
        if (options.notifications() == WriteOptions.Notify.NONE) {
            return;
        }
        List<Mailbox> to = new ArrayList<>();
        if (kind == MemoryNotice.Kind.REPLY) {
            event.organizer()
                    .map(o -> o.mailbox())
                    .filter(m -> !m.equals(cal.mailbox))
                    .ifPresent(to::add);
        } else {
            for (Attendee a : event.attendees()) {
                if (!a.mailbox().equals(cal.mailbox)
                        && (options.notifications() == WriteOptions.Notify.ALL
                                || !a.mailbox().domain().equals(cal.mailbox.domain()))) {
                    to.add(a.mailbox());
                }
            }
        }
        if (!to.isEmpty()) {
            notices.add(new MemoryNotice(kind, event.id().orElseThrow(), to));
        }
    }

    // ------------------------------------------------------------------ push

    public Subscription subscribe(Mailbox self, CalendarRef ref, SubscriptionRequest request) {
        Checks.notNull(request, "request");
        requireCallback(request);
        ErrorContext c = enter(SpiOperation.SUBSCRIBE, ref.mailbox());
        synchronized (this) {
            CalState cal = calendarLocked(self, ref, c, false);
            SubState s = new SubState(
                    "sub-" + (++ids),
                    ref,
                    cal,
                    request.clientState(),
                    request.callbackUrl(),
                    clock.instant().plus(cap(request.ttl())),
                    cal.key());
            subscriptions.put(s.id, s);
            return s.toSubscription();
        }
    }

    public Subscription renew(Subscription subscription, SubscriptionRequest request) {
        Checks.notNull(subscription, "subscription");
        Checks.notNull(request, "request");
        ErrorContext c = enter(SpiOperation.RENEW, subscription.calendar().mailbox());
        synchronized (this) {
            SubState s = subscriptions.get(subscription.id());
            if (s == null || s.ended) {
                throw new NotFoundException(
                        "subscription " + subscription.id() + " has expired or was stopped; subscribe again", c);
            }
            s.expiresAt = clock.instant().plus(cap(request.ttl()));
            s.clientState = request.clientState();
            return s.toSubscription();
        }
    }

    public void unsubscribe(Subscription subscription) {
        Checks.notNull(subscription, "subscription");
        enter(SpiOperation.UNSUBSCRIBE, subscription.calendar().mailbox());
        synchronized (this) {
            subscriptions.remove(subscription.id());
        }
    }

    public List<String> subscriptionIds(WebhookRequest request) {
        return MemoryWebhooks.subscriptionIds(Checks.notNull(request, "request"));
    }

    /** Checks the request against the subscriptions the host stored: nothing of this store's own is consulted. */
    public WebhookResponse handle(WebhookRequest request, java.util.Collection<Subscription> stored) {
        return MemoryWebhooks.handle(Checks.notNull(request, "request"), Checks.notNull(stored, "subscriptions"));
    }

    private Duration cap(Duration ttl) {
        return ttl.compareTo(maxSubscriptionTtl) > 0 ? maxSubscriptionTtl : ttl;
    }

    private static void requireCallback(SubscriptionRequest request) {
        String url = request.callbackUrl();
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("callbackUrl", "this service pushes to webhooks: give a callbackUrl");
        }
        try {
            URI u = URI.create(url);
            if (!"https".equalsIgnoreCase(u.getScheme()) && !"http".equalsIgnoreCase(u.getScheme())) {
                throw new InvalidInputException("callbackUrl", "callbackUrl must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("callbackUrl", "callbackUrl is not a URL", ErrorContext.NONE, e);
        }
    }

    // ------------------------------------------------------------------ access helpers

    private void authorizeLocked(Mailbox self, Mailbox target, ErrorContext c) {
        if (self != null && !self.equals(target)) {
            throw new PermissionDeniedException(
                    "connected as " + self + ": no access to the calendars of " + target, c);
        }
        if (self == null && !serviceAccountScope.test(target)) {
            throw new PermissionDeniedException(
                    "mailbox " + target
                            + " is outside the service account's scope; ask the administrator to grant access",
                    c);
        }
    }

    private UserState userLocked(Mailbox mailbox, ErrorContext c) {
        UserState u = users.get(mailbox);
        if (u == null) {
            throw new NotFoundException("no mailbox " + mailbox + " in this organization", c);
        }
        return u;
    }

    private CalState calendarLocked(Mailbox self, CalendarRef ref, ErrorContext c, boolean write) {
        Checks.notNull(ref, "calendar");
        authorizeLocked(self, ref.mailbox(), c);
        CalState cal = inspectLocked(ref, c);
        if (write && cal.readOnly) {
            throw new PermissionDeniedException("calendar '" + ref.id() + "' is read-only", c);
        }
        return cal;
    }

    /** The calendar, without access checks (for set-up and assertions). */
    private CalState inspectLocked(CalendarRef ref, ErrorContext c) {
        UserState u = userLocked(ref.mailbox(), c);
        CalState cal = ref.isPrimary() ? u.primary() : u.calendars.get(ref.id());
        if (cal == null) {
            throw new NotFoundException("no calendar '" + ref.id() + "' for " + ref.mailbox(), c);
        }
        return cal;
    }

    private UserState addUserLocked(Mailbox mailbox, String displayName, boolean enabled) {
        Checks.notNull(mailbox, "mailbox");
        UserState u = users.computeIfAbsent(mailbox, m -> new UserState(m, "u" + (++ids)));
        u.displayName = displayName == null ? u.displayName : displayName;
        u.enabled = enabled;
        return u;
    }

    // ------------------------------------------------------------------ state

    /** One change of an event; {@code before} is its state before the change (null when it was created). */
    private record LogEntry(long seq, String eventId, Event before) {}

    private record Deletion(String uid, EventKey key) {}

    private static final class UserState {
        final Mailbox mailbox;
        final String directoryId;
        String displayName;
        boolean enabled = true;
        DirectoryEntry.Kind kind = DirectoryEntry.Kind.PERSON;
        List<Mailbox> aliases = List.of();
        Integer capacity;
        String building;
        final Map<String, CalState> calendars = new LinkedHashMap<>();

        UserState(Mailbox mailbox, String directoryId) {
            this.mailbox = mailbox;
            this.directoryId = directoryId;
            String primaryId = mailbox.normalized();
            calendars.put(primaryId, new CalState(mailbox, primaryId, "Calendar", true));
        }

        CalState primary() {
            return calendars.values().stream()
                    .filter(c -> c.primary)
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static final class CalState {
        final Mailbox mailbox;
        final String id;
        final String displayName;
        final boolean primary;
        boolean readOnly;
        final TreeMap<String, Event> events = new TreeMap<>();
        final Map<EventKey, String> keys = new HashMap<>();
        final Map<String, Deletion> deletions = new HashMap<>();
        final List<LogEntry> log = new ArrayList<>();
        long lastSeq;
        long epoch;

        CalState(Mailbox mailbox, String id, String displayName, boolean primary) {
            this.mailbox = mailbox;
            this.id = id;
            this.displayName = displayName == null ? id : displayName;
            this.primary = primary;
        }

        String key() {
            return mailbox.normalized() + "/" + id;
        }
    }

    private static final class SubState {
        final String id;
        final CalendarRef ref;
        final CalState cal;
        Secret clientState;
        final String callbackUrl;
        Instant expiresAt;
        final String resourceId;
        boolean ended;

        SubState(
                String id,
                CalendarRef ref,
                CalState cal,
                Secret clientState,
                String callbackUrl,
                Instant expiresAt,
                String resourceId) {
            this.id = id;
            this.ref = ref;
            this.cal = cal;
            this.clientState = clientState;
            this.callbackUrl = callbackUrl;
            this.expiresAt = expiresAt;
            this.resourceId = resourceId;
        }

        Subscription toSubscription() {
            return new Subscription(id, ref, resourceId, expiresAt, clientState);
        }
    }
}
