package org.calsdk.testkit.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.EventChange;
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
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WriteOptions;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.calsdk.testkit.memory.internal.Occurrences;
import org.junit.jupiter.api.AfterEach;

/**
 * Deliberately broken providers, each a wrapper around the reference provider with one defect, and
 * their TCK subclasses. Not run by surefire directly (the class names do not end in "Test"):
 * {@link BrokenProvidersTest} runs them through the JUnit Platform Launcher and checks which rules fail.
 */
final class BrokenProviders {
    private BrokenProviders() {}

    /** A connection that forwards everything to {@code inner}; subclasses break one facet. */
    static class Delegating implements CalendarConnection {
        final CalendarConnection inner;

        Delegating(CalendarConnection inner) {
            this.inner = inner;
        }

        @Override
        public String providerId() {
            return inner.providerId();
        }

        @Override
        public Set<Capability> capabilities() {
            return inner.capabilities();
        }

        @Override
        public ConnectionScope scope() {
            return inner.scope();
        }

        @Override
        public Optional<Mailbox> self() {
            return inner.self();
        }

        @Override
        public FreeBusyQuery freeBusy() {
            return inner.freeBusy();
        }

        @Override
        public EventReader reader() {
            return inner.reader();
        }

        @Override
        public EventWriter writer() {
            return inner.writer();
        }

        @Override
        public ChangeFeed changes() {
            return inner.changes();
        }

        @Override
        public DirectoryReader directory() {
            return inner.directory();
        }

        @Override
        public PushChannels push() {
            return inner.push();
        }

        @Override
        public ServiceAccountImpersonator impersonator() {
            return inner.impersonator();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** A reader that forwards to {@code inner}. */
    static class DelegatingReader implements EventReader {
        final EventReader inner;

        DelegatingReader(EventReader inner) {
            this.inner = inner;
        }

        @Override
        public List<CalendarInfo> calendars(Mailbox mailbox) {
            return inner.calendars(mailbox);
        }

        @Override
        public EventPage list(EventQuery query) {
            return inner.list(query);
        }

        @Override
        public Optional<Event> get(CalendarRef calendar, String eventId) {
            return inner.get(calendar, eventId);
        }

        @Override
        public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
            return inner.findByKey(calendar, key);
        }
    }

    // ---------------------------------------------------------------- defect 1: ignores EXDATE

    /** Reads series without their EXDATEs and computes its own free/busy from them. */
    static final class IgnoresExdate extends Delegating {
        IgnoresExdate(CalendarConnection inner) {
            super(inner);
        }

        private static Event stripExdates(Event e) {
            return e.recurrence()
                    .map(r -> e.toBuilder().recurrence(r.withExdates(List.of())).build())
                    .orElse(e);
        }

        @Override
        public EventReader reader() {
            return new DelegatingReader(inner.reader()) {
                @Override
                public EventPage list(EventQuery query) {
                    EventPage p = inner.list(query);
                    return new EventPage(
                            p.events().stream().map(IgnoresExdate::stripExdates).toList(), p.nextPageToken());
                }

                @Override
                public Optional<Event> get(CalendarRef calendar, String eventId) {
                    return inner.get(calendar, eventId).map(IgnoresExdate::stripExdates);
                }
            };
        }

        @Override
        public FreeBusyQuery freeBusy() {
            FreeBusyQuery real = inner.freeBusy();
            return new FreeBusyQuery() {
                @Override
                public FreeBusyResult query(FreeBusyRequest request) {
                    List<FreeBusy> out = new ArrayList<>();
                    for (FreeBusy fb : real.query(request).results()) {
                        if (fb.ok() && fb.mailbox().equals(self().orElse(null))) {
                            List<Event> events = reader().listAll(CalendarRef.primary(fb.mailbox()), request.window());
                            out.add(FreeBusy.of(
                                    fb.mailbox(),
                                    Occurrences.busy(events, request.window(), java.time.ZoneOffset.UTC)));
                        } else {
                            out.add(fb);
                        }
                    }
                    return new FreeBusyResult(out);
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 2: drops the last page

    /** Returns every page but the last of a multi-page listing (the last one comes back empty). */
    static final class DropsLastPage extends Delegating {
        DropsLastPage(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public EventReader reader() {
            return new DelegatingReader(inner.reader()) {
                @Override
                public EventPage list(EventQuery query) {
                    EventPage p = inner.list(query);
                    if (p.nextPageToken() == null && query.pageToken() != null) {
                        return new EventPage(List.of(), null);
                    }
                    return p;
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 3: blind create retry

    /**
     * Creates like a naive POST client: the host's key is only stored as a property (never used for
     * idempotency), and a failed create is retried once as a brand-new event.
     */
    static final class BlindRetryCreate extends Delegating {
        static final String KEY_PROPERTY = "x-host-key";

        BlindRetryCreate(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public EventWriter writer() {
            EventWriter real = inner.writer();
            return new EventWriter() {
                @Override
                public Event create(CalendarRef calendar, EventKey key, Event event) {
                    Event withKey = event.toBuilder()
                            .property(KEY_PROPERTY, key.value())
                            .build();
                    try {
                        return real.create(calendar, EventKey.of("post-" + UUID.randomUUID()), withKey);
                    } catch (CalendarException e) {
                        return real.create(calendar, EventKey.of("post-" + UUID.randomUUID()), withKey);
                    }
                }

                @Override
                public Event create(CalendarRef calendar, EventKey key, Event event, WriteOptions options) {
                    Event withKey = event.toBuilder()
                            .property(KEY_PROPERTY, key.value())
                            .build();
                    return real.create(calendar, EventKey.of("post-" + UUID.randomUUID()), withKey, options);
                }

                @Override
                public Event update(CalendarRef c, Event e) {
                    return real.update(c, e);
                }

                @Override
                public void delete(CalendarRef c, String id, String v) {
                    real.delete(c, id, v);
                }

                @Override
                public Event update(CalendarRef c, Event e, WriteOptions o) {
                    return real.update(c, e, o);
                }

                @Override
                public void delete(CalendarRef c, String id, String v, WriteOptions o) {
                    real.delete(c, id, v, o);
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r, WriteOptions o) {
                    return real.respond(c, id, m, r, o);
                }

                @Override
                public Event updateOccurrence(CalendarRef c, String s, Event o, String v) {
                    return real.updateOccurrence(c, s, o, v);
                }

                @Override
                public Event cancelOccurrence(CalendarRef c, String s, EventTime r, String v) {
                    return real.cancelOccurrence(c, s, r, v);
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r) {
                    return real.respond(c, id, m, r);
                }
            };
        }

        @Override
        public EventReader reader() {
            return new DelegatingReader(inner.reader()) {
                @Override
                public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
                    ChangeBatch b = inner().changes().changes(calendar, SyncCursor.START);
                    if (b instanceof ChangeBatch.Changes c) {
                        List<Event> all = new ArrayList<>();
                        SyncCursor cursor;
                        ChangeBatch.Changes page = c;
                        while (true) {
                            page.changes().stream()
                                    .filter(EventChange.Upserted.class::isInstance)
                                    .map(x -> ((EventChange.Upserted) x).event())
                                    .forEach(all::add);
                            if (!page.hasMore()) {
                                break;
                            }
                            cursor = page.next();
                            page = (ChangeBatch.Changes) inner().changes().changes(calendar, cursor);
                        }
                        return all.stream()
                                .filter(e -> key.value().equals(e.properties().get(KEY_PROPERTY)))
                                .reduce((first, second) -> second);
                    }
                    return Optional.empty();
                }
            };
        }

        private CalendarConnection inner() {
            return inner;
        }
    }

    // ---------------------------------------------------------------- defect 4: ignores versions

    /** Writes without the version the caller read (last writer wins), like a client that drops If-Match. */
    static final class IgnoresVersions extends Delegating {
        IgnoresVersions(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public EventWriter writer() {
            EventWriter real = inner.writer();
            return new EventWriter() {
                @Override
                public Event create(CalendarRef c, EventKey k, Event e) {
                    return real.create(c, k, e);
                }

                @Override
                public Event update(CalendarRef c, Event e) {
                    return real.update(c, e.toBuilder().version(null).build());
                }

                @Override
                public void delete(CalendarRef c, String id, String v) {
                    real.delete(c, id, null);
                }

                @Override
                public Event create(CalendarRef c, EventKey k, Event e, WriteOptions o) {
                    return real.create(c, k, e, o);
                }

                @Override
                public Event update(CalendarRef c, Event e, WriteOptions o) {
                    return real.update(c, e.toBuilder().version(null).build(), o);
                }

                @Override
                public void delete(CalendarRef c, String id, String v, WriteOptions o) {
                    real.delete(c, id, null, o);
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r, WriteOptions o) {
                    return real.respond(c, id, m, r, o);
                }

                @Override
                public Event updateOccurrence(CalendarRef c, String s, Event o, String v) {
                    return real.updateOccurrence(c, s, o, null);
                }

                @Override
                public Event cancelOccurrence(CalendarRef c, String s, EventTime r, String v) {
                    return real.cancelOccurrence(c, s, r, null);
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r) {
                    return real.respond(c, id, m, r);
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 5: loses deletions

    /** Drops deletions from incremental reads (a sync engine would keep ghosts forever). */
    static final class LosesDeletions extends Delegating {
        LosesDeletions(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public ChangeFeed changes() {
            ChangeFeed real = inner.changes();
            return new ChangeFeed() {
                @Override
                public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
                    ChangeBatch b = real.changes(calendar, cursor);
                    if (b instanceof ChangeBatch.Changes c) {
                        return new ChangeBatch.Changes(
                                c.changes().stream()
                                        .filter(ch -> !(ch instanceof EventChange.Deleted))
                                        .toList(),
                                c.next(),
                                c.hasMore(),
                                c.full());
                    }
                    return b;
                }

                @Override
                public java.util.Map<CalendarRef, String> changedCalendars(
                        Mailbox mailbox, java.util.Map<String, String> tags) {
                    return real.changedCalendars(mailbox, tags);
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 6: never resyncs

    /** Answers an invalid cursor with "no changes" instead of ResyncRequired (changes are silently lost). */
    static final class NeverResyncs extends Delegating {
        NeverResyncs(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public ChangeFeed changes() {
            ChangeFeed real = inner.changes();
            return new ChangeFeed() {
                @Override
                public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
                    ChangeBatch b = real.changes(calendar, cursor);
                    return b instanceof ChangeBatch.ResyncRequired
                            ? new ChangeBatch.Changes(List.of(), cursor, false, false)
                            : b;
                }

                @Override
                public java.util.Map<CalendarRef, String> changedCalendars(
                        Mailbox mailbox, java.util.Map<String, String> tags) {
                    return real.changedCalendars(mailbox, tags);
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 7: one bad mailbox fails all

    /** Fails the whole free/busy call when one mailbox fails, instead of reporting it per mailbox. */
    static final class AllOrNothingFreeBusy extends Delegating {
        AllOrNothingFreeBusy(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public FreeBusyQuery freeBusy() {
            FreeBusyQuery real = inner.freeBusy();
            return new FreeBusyQuery() {
                @Override
                public FreeBusyResult query(FreeBusyRequest request) {
                    FreeBusyResult r = real.query(request);
                    for (FreeBusy fb : r.results()) {
                        if (fb.error() != null) {
                            throw fb.error();
                        }
                    }
                    return r;
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 8: vague access checks

    /** Reports every refused mailbox as UNKNOWN, as a provider that does not read the refusal's cause does. */
    static final class VagueAccessChecks extends Delegating {
        VagueAccessChecks(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public ServiceAccountImpersonator impersonator() {
            ServiceAccountImpersonator real = inner.impersonator();
            return new ServiceAccountImpersonator() {
                @Override
                public AccessCheck checkAccess(Mailbox mailbox) {
                    return vague(real.checkAccess(mailbox));
                }

                @Override
                public List<AccessCheck> checkAccess(List<Mailbox> mailboxes) {
                    return real.checkAccess(mailboxes).stream()
                            .map(VagueAccessChecks::vague)
                            .toList();
                }

                @Override
                public SetupCheck checkSetup() {
                    return real.checkSetup();
                }

                @Override
                public CalendarConnection actAs(Mailbox mailbox) {
                    return real.actAs(mailbox);
                }
            };
        }

        private static AccessCheck vague(AccessCheck c) {
            return c.allowed() ? c : AccessCheck.denied(c.mailbox(), AccessCheck.Reason.UNKNOWN, "access denied");
        }
    }

    // ---------------------------------------------------------------- defect 9: ignores cancel

    /** Treats a cancellation as a no-op (the meeting stays on), as a client that drops the option does. */
    static final class IgnoresCancel extends Delegating {
        IgnoresCancel(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public EventWriter writer() {
            EventWriter real = inner.writer();
            return new EventWriter() {
                @Override
                public Event create(CalendarRef c, EventKey k, Event e) {
                    return real.create(c, k, e);
                }

                @Override
                public Event create(CalendarRef c, EventKey k, Event e, WriteOptions o) {
                    return real.create(c, k, e, o);
                }

                @Override
                public Event update(CalendarRef c, Event e) {
                    return real.update(c, e);
                }

                @Override
                public Event update(CalendarRef c, Event e, WriteOptions o) {
                    return real.update(c, e, o);
                }

                @Override
                public void delete(CalendarRef c, String id, String v) {
                    real.delete(c, id, v);
                }

                @Override
                public void delete(CalendarRef c, String id, String v, WriteOptions o) {
                    if (o.removal() != WriteOptions.Removal.CANCEL) {
                        real.delete(c, id, v, o);
                    }
                }

                @Override
                public Event updateOccurrence(CalendarRef c, String s, Event o, String v) {
                    return real.updateOccurrence(c, s, o, v);
                }

                @Override
                public Event cancelOccurrence(CalendarRef c, String s, EventTime r, String v) {
                    return real.cancelOccurrence(c, s, r, v);
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r) {
                    return real.respond(c, id, m, r);
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r, WriteOptions o) {
                    return real.respond(c, id, m, r, o);
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 8: update keeps only the summary

    /** An update that sends only the new summary (every other field keeps its stored value): the review's first hole. */
    static final class UpdateKeepsOnlySummary extends Delegating {
        UpdateKeepsOnlySummary(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public EventWriter writer() {
            EventWriter real = inner.writer();
            return new ForwardingWriter(real) {
                @Override
                public Event update(CalendarRef c, Event e) {
                    Event stored = inner.reader()
                            .get(c, e.id().orElseThrow())
                            .orElseThrow(() -> new org.calsdk.errors.NotFoundException(
                                    "no event " + e.id().orElseThrow(),
                                    org.calsdk.errors.ErrorContext.of(inner.providerId())));
                    return real.update(
                            c,
                            stored.toBuilder()
                                    .summary(e.summary())
                                    .version(e.version().orElse(null))
                                    .build());
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 9: change feed stops after one page

    /**
     * A change feed that hands out only the first page of a multi-page read and then the final cursor,
     * as a client that ignores the "more" marker and keeps the last token: the review's second hole.
     */
    static final class FeedStopsAfterFirstPage extends Delegating {
        FeedStopsAfterFirstPage(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public ChangeFeed changes() {
            ChangeFeed real = inner.changes();
            return new ForwardingFeed(real) {
                @Override
                public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
                    ChangeBatch b = real.changes(calendar, cursor);
                    if (!(b instanceof ChangeBatch.Changes first) || !first.hasMore()) {
                        return b;
                    }
                    ChangeBatch.Changes last = first;
                    while (last.hasMore()) {
                        last = (ChangeBatch.Changes) real.changes(calendar, last.next());
                    }
                    return new ChangeBatch.Changes(first.changes(), last.next(), false, first.full());
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 10: deletions without keys

    /** Reports deletions by id only, dropping the host's key the service still knew. */
    static final class DeletionsWithoutKeys extends Delegating {
        DeletionsWithoutKeys(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public ChangeFeed changes() {
            ChangeFeed real = inner.changes();
            return new ForwardingFeed(real) {
                @Override
                public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
                    ChangeBatch b = real.changes(calendar, cursor);
                    if (b instanceof ChangeBatch.Changes c) {
                        return new ChangeBatch.Changes(
                                c.changes().stream()
                                        .map(ch -> ch instanceof EventChange.Deleted d
                                                ? new EventChange.Deleted(d.eventId(), d.uid(), null)
                                                : ch)
                                        .toList(),
                                c.next(),
                                c.hasMore(),
                                c.full());
                    }
                    return b;
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 11: tentative reads as busy

    /** Free/busy that reports every taken interval as BUSY, losing TENTATIVE. */
    static final class TentativeAsBusy extends Delegating {
        TentativeAsBusy(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public FreeBusyQuery freeBusy() {
            FreeBusyQuery real = inner.freeBusy();
            return new FreeBusyQuery() {
                @Override
                public FreeBusyResult query(FreeBusyRequest request) {
                    return new FreeBusyResult(real.query(request).results().stream()
                            .map(fb -> fb.ok()
                                    ? FreeBusy.of(
                                            fb.mailbox(),
                                            fb.busy().stream()
                                                    .map(b -> b.status() == BusyStatus.TENTATIVE
                                                            ? BusyInterval.of(b.start(), b.end(), BusyStatus.BUSY)
                                                            : b)
                                                    .toList())
                                    : fb)
                            .toList());
                }
            };
        }
    }

    // ---------------------------------------------------------------- defect 12: create loses the zone

    /**
     * Creates events with their times converted to UTC (the instants stay right, the zone is lost), as a
     * client that maps times through {@code Instant}: a series then keeps UTC time across daylight saving.
     */
    static final class CreateLosesZone extends Delegating {
        CreateLosesZone(CalendarConnection inner) {
            super(inner);
        }

        private static EventTime utc(EventTime t) {
            return t instanceof EventTime.Zoned z ? EventTime.utc(z.dateTime().toInstant()) : t;
        }

        private static Event inUtc(Event e) {
            Event.Builder b = e.toBuilder()
                    .time(utc(e.start()), utc(e.end()))
                    .overrides(
                            e.overrides().stream().map(CreateLosesZone::inUtc).toList());
            e.recurrenceId().ifPresent(r -> b.recurrenceId(utc(r)));
            e.recurrence()
                    .ifPresent(r -> b.recurrence(r.withExdates(
                            r.exdates().stream().map(CreateLosesZone::utc).toList())));
            return b.build();
        }

        @Override
        public EventWriter writer() {
            return new ForwardingWriter(inner.writer()) {
                @Override
                public Event create(CalendarRef c, EventKey k, Event e) {
                    return real.create(c, k, inUtc(e));
                }
            };
        }
    }

    /** A writer that forwards to {@code real}. */
    static class ForwardingWriter implements EventWriter {
        final EventWriter real;

        ForwardingWriter(EventWriter real) {
            this.real = real;
        }

        @Override
        public Event create(CalendarRef c, EventKey k, Event e) {
            return real.create(c, k, e);
        }

        @Override
        public Event update(CalendarRef c, Event e) {
            return real.update(c, e);
        }

        @Override
        public void delete(CalendarRef c, String id, String v) {
            real.delete(c, id, v);
        }

        @Override
        public Event updateOccurrence(CalendarRef c, String s, Event o, String v) {
            return real.updateOccurrence(c, s, o, v);
        }

        @Override
        public Event cancelOccurrence(CalendarRef c, String s, EventTime r, String v) {
            return real.cancelOccurrence(c, s, r, v);
        }

        @Override
        public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r) {
            return real.respond(c, id, m, r);
        }

        // With the default options a write takes the (possibly broken) form above; with other options it goes
        // to the real writer, so a wrapper's defect shows in the rules about that defect and not in WR-203.
        @Override
        public Event create(CalendarRef c, EventKey k, Event e, org.calsdk.api.WriteOptions o) {
            return isDefault(o) ? create(c, k, e) : real.create(c, k, e, o);
        }

        @Override
        public Event update(CalendarRef c, Event e, org.calsdk.api.WriteOptions o) {
            return isDefault(o) ? update(c, e) : real.update(c, e, o);
        }

        @Override
        public void delete(CalendarRef c, String id, String v, org.calsdk.api.WriteOptions o) {
            if (isDefault(o)) {
                delete(c, id, v);
            } else {
                real.delete(c, id, v, o);
            }
        }

        @Override
        public Event respond(
                CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r, org.calsdk.api.WriteOptions o) {
            return isDefault(o) ? respond(c, id, m, r) : real.respond(c, id, m, r, o);
        }

        private static boolean isDefault(org.calsdk.api.WriteOptions o) {
            return org.calsdk.api.WriteOptions.defaults().equals(o);
        }
    }

    // ---------------------------------------------------------------- RD-102: credential reported invalid

    /** A one-user connection whose set-up check calls its working credential refused. */
    static final class CredentialReportedInvalid extends Delegating {
        CredentialReportedInvalid(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public SetupCheck checkSetup() {
            return new SetupCheck(List.of(new SetupCheck.Item(
                    SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.MISSING, "the credential was refused")));
        }
    }

    // ---------------------------------------------------------------- WR-203: ignores Notify.NONE

    /** Declares NOTIFY_CONTROL (as the reference does) but writes with the default notifications whatever it is asked. */
    static final class IgnoresNotifyNone extends Delegating {
        IgnoresNotifyNone(CalendarConnection inner) {
            super(inner);
        }

        private static WriteOptions loud(WriteOptions o) {
            return o.notifications() == WriteOptions.Notify.NONE
                    ? o.withNotifications(WriteOptions.defaults().notifications())
                    : o;
        }

        @Override
        public EventWriter writer() {
            EventWriter real = inner.writer();
            return new ForwardingWriter(real) {
                @Override
                public Event create(CalendarRef c, EventKey k, Event e, WriteOptions o) {
                    return real.create(c, k, e, loud(o));
                }

                @Override
                public Event update(CalendarRef c, Event e, WriteOptions o) {
                    return real.update(c, e, loud(o));
                }

                @Override
                public void delete(CalendarRef c, String id, String v, WriteOptions o) {
                    real.delete(c, id, v, loud(o));
                }

                @Override
                public Event respond(CalendarRef c, String id, Mailbox m, Attendee.ResponseStatus r, WriteOptions o) {
                    return real.respond(c, id, m, r, loud(o));
                }
            };
        }
    }

    // ---------------------------------------------------------------- IM-103: a set-up item reported failing

    /** An organization connection whose set-up check reports the impersonation role missing although all is well. */
    static final class SetupItemFails extends Delegating {
        SetupItemFails(CalendarConnection inner) {
            super(inner);
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
                public List<AccessCheck> checkAccess(List<Mailbox> mailboxes) {
                    return real.checkAccess(mailboxes);
                }

                @Override
                public CalendarConnection actAs(Mailbox mailbox) {
                    return real.actAs(mailbox);
                }

                @Override
                public SetupCheck checkSetup() {
                    List<SetupCheck.Item> items =
                            new ArrayList<>(real.checkSetup().items());
                    items.removeIf(i -> i.requirement() == SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT);
                    items.add(new SetupCheck.Item(
                            SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT,
                            SetupCheck.Status.MISSING,
                            "the service account lacks the impersonation role"));
                    return new SetupCheck(items);
                }
            };
        }
    }

    // ---------------------------------------------------------------- DIR-101 and DIR-102: directory defects

    /** A directory that forwards to {@code inner}. */
    static class ForwardingDirectory implements DirectoryReader {
        final DirectoryReader inner;

        ForwardingDirectory(DirectoryReader inner) {
            this.inner = inner;
        }

        @Override
        public DirectoryPage users(String pageToken) {
            return inner.users(pageToken);
        }

        @Override
        public DirectoryPage rooms(String pageToken) {
            return inner.rooms(pageToken);
        }

        @Override
        public DirectoryPage groupMembers(String groupId, String pageToken) {
            return inner.groupMembers(groupId, pageToken);
        }
    }

    /** Lists the rooms among the people too, as a client that reads every mailbox of the directory as a user. */
    static final class UsersIncludeRooms extends Delegating {
        UsersIncludeRooms(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public DirectoryReader directory() {
            return new ForwardingDirectory(inner.directory()) {
                @Override
                public DirectoryPage users(String pageToken) {
                    DirectoryPage p = inner.users(pageToken);
                    if (p.nextPageToken() != null) {
                        return p;
                    }
                    List<DirectoryEntry> entries = new ArrayList<>(p.entries());
                    entries.addAll(inner.allRooms());
                    return new DirectoryPage(entries, null);
                }
            };
        }
    }

    /** Answers the members of an unknown group with an empty page, as a client that reads a 404 as "no members". */
    static final class UnknownGroupIsEmpty extends Delegating {
        UnknownGroupIsEmpty(CalendarConnection inner) {
            super(inner);
        }

        @Override
        public DirectoryReader directory() {
            return new ForwardingDirectory(inner.directory()) {
                @Override
                public DirectoryPage groupMembers(String groupId, String pageToken) {
                    try {
                        return inner.groupMembers(groupId, pageToken);
                    } catch (NotFoundException e) {
                        return new DirectoryPage(List.of(), null);
                    }
                }
            };
        }
    }

    /** {@code real} with its organization connection wrapped by {@code wrap}: the defect of an organization wrapper shows there. */
    static TckFixture wrappingOrganization(TckFixture real, java.util.function.UnaryOperator<CalendarConnection> wrap) {
        return (TckFixture) java.lang.reflect.Proxy.newProxyInstance(
                TckFixture.class.getClassLoader(), new Class<?>[] {TckFixture.class}, (proxy, method, args) -> {
                    try {
                        Object r = method.invoke(real, args);
                        return method.getName().equals("connectOrganization") ? wrap.apply((CalendarConnection) r) : r;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A change feed that forwards to {@code real}. */
    static class ForwardingFeed implements ChangeFeed {
        final ChangeFeed real;

        ForwardingFeed(ChangeFeed real) {
            this.real = real;
        }

        @Override
        public ChangeBatch changes(CalendarRef calendar, SyncCursor cursor) {
            return real.changes(calendar, cursor);
        }

        @Override
        public java.util.Map<CalendarRef, String> changedCalendars(
                Mailbox mailbox, java.util.Map<String, String> tags) {
            return real.changedCalendars(mailbox, tags);
        }
    }

    // ---------------------------------------------------------------- the TCK subclasses

    /** The TCK over a broken wrapper of a fresh reference service. */
    abstract static class BrokenTck extends ProviderTck {
        final InMemoryCalendarService service = InMemoryProviderTckTest.newService();

        abstract CalendarConnection wrap(CalendarConnection real);

        @Override
        protected CalendarConnection connect() {
            return wrap(service.connect(InMemoryProviderTckTest.ALICE));
        }

        @Override
        protected TckFixture fixture() {
            return service.tckFixture(InMemoryProviderTckTest.ALICE);
        }

        @AfterEach
        void closeService() {
            service.close();
        }
    }

    static final class IgnoresExdateTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new IgnoresExdate(real);
        }
    }

    static final class DropsLastPageTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new DropsLastPage(real);
        }
    }

    static final class BlindRetryCreateTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new BlindRetryCreate(real);
        }
    }

    static final class IgnoresVersionsTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new IgnoresVersions(real);
        }
    }

    static final class LosesDeletionsTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new LosesDeletions(real);
        }
    }

    static final class NeverResyncsTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new NeverResyncs(real);
        }
    }

    static final class VagueAccessChecksTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new VagueAccessChecks(real);
        }

        /** The organization connection is the one with the defect. */
        @Override
        protected TckFixture fixture() {
            TckFixture real = super.fixture();
            return (TckFixture) java.lang.reflect.Proxy.newProxyInstance(
                    TckFixture.class.getClassLoader(), new Class<?>[] {TckFixture.class}, (proxy, method, args) -> {
                        try {
                            Object r = method.invoke(real, args);
                            return method.getName().equals("connectOrganization")
                                    ? new VagueAccessChecks((CalendarConnection) r)
                                    : r;
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    static final class IgnoresCancelTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new IgnoresCancel(real);
        }
    }

    static final class AllOrNothingFreeBusyTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new AllOrNothingFreeBusy(real);
        }
    }

    static final class UpdateKeepsOnlySummaryTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new UpdateKeepsOnlySummary(real);
        }
    }

    static final class FeedStopsAfterFirstPageTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new FeedStopsAfterFirstPage(real);
        }
    }

    static final class DeletionsWithoutKeysTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new DeletionsWithoutKeys(real);
        }
    }

    static final class TentativeAsBusyTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new TentativeAsBusy(real);
        }
    }

    static final class CreateLosesZoneTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new CreateLosesZone(real);
        }
    }

    static final class CredentialReportedInvalidTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new CredentialReportedInvalid(real);
        }
    }

    static final class IgnoresNotifyNoneTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new IgnoresNotifyNone(real);
        }
    }

    static final class SetupItemFailsTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new SetupItemFails(real);
        }

        @Override
        protected TckFixture fixture() {
            return wrappingOrganization(super.fixture(), SetupItemFails::new);
        }
    }

    static final class UsersIncludeRoomsTck extends BrokenTck {
        {
            // a room to be listed wrongly; added last, so it is nobody's "other mailbox"
            service.addUser(ROOM, "Room 1");
            service.makeResource(ROOM, DirectoryEntry.Kind.ROOM, 8, "HQ");
        }

        static final Mailbox ROOM = Mailbox.of("zz-room-1@example.com");

        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new UsersIncludeRooms(real);
        }

        @Override
        protected TckFixture fixture() {
            return wrappingOrganization(super.fixture(), UsersIncludeRooms::new);
        }
    }

    static final class UnknownGroupIsEmptyTck extends BrokenTck {
        @Override
        CalendarConnection wrap(CalendarConnection real) {
            return new UnknownGroupIsEmpty(real);
        }

        @Override
        protected TckFixture fixture() {
            return wrappingOrganization(super.fixture(), UnknownGroupIsEmpty::new);
        }
    }
}
