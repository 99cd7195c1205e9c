package org.calsdk.google.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.internal.Rfc3339;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Free/busy through {@code freeBusy.query}: the mailboxes in chunks of {@value #PER_CALL} (Google's
 * limit), the window in pieces no longer than Google accepts, and every resulting call of the request in
 * as few multipart batches as possible ({@value Batch#MAX_CALLS} calls each): 1,000 mailboxes over 30
 * days are 20 calls in one HTTP round trip. A calendar's own error ({@code notFound},
 * {@code groupTooBig}, …) is reported for its mailbox alone; a call that fails as a whole fails its
 * chunk's mailboxes, except throttling past the retries and a dead grant, which fail the request.
 * Google's free/busy knows only "busy": for other mailboxes tentative events are reported busy; a user
 * connection's own mailbox is answered from its expanded events (one {@code events.list} in the same
 * batch), so its tentative time stays tentative and its free and declined events take no time.
 */
final class GoogleFreeBusy implements FreeBusyQuery {
    static final int PER_CALL = 50;

    private final GoogleSession s;
    private final Mailbox actAs;
    private final Mailbox own;

    /**
     * @param actAs whose token the calls carry (the connected user, or the organization's subject)
     * @param own   the mailbox whose events this connection reads in full (a user connection's own), or null:
     *              its busy time comes from its expanded events in the same batch, keeping tentative time
     *              apart from busy time, which {@code freeBusy} cannot
     */
    GoogleFreeBusy(GoogleSession s, Mailbox actAs, Mailbox own) {
        this.s = s;
        this.actAs = actAs;
        this.own = own;
    }

    private record Call(List<Mailbox> mailboxes, TimeWindow window) {}

    @Override
    public FreeBusyResult query(FreeBusyRequest request) {
        List<TimeWindow> windows = request.window().split(s.freeBusyWindow());
        List<Call> calls = new ArrayList<>();
        List<Batch.Call> wire = new ArrayList<>();
        boolean ownAsked = own != null && request.mailboxes().contains(own);
        List<Mailbox> others = request.mailboxes().stream()
                .filter(m -> !ownAsked || !m.equals(own))
                .toList();
        for (int from = 0; from < others.size(); from += PER_CALL) {
            List<Mailbox> chunk = others.subList(from, Math.min(others.size(), from + PER_CALL));
            for (TimeWindow w : windows) {
                calls.add(new Call(chunk, w));
                wire.add(new Batch.Call("POST", s.relative(s.api("freeBusy").build()), body(chunk, w)));
            }
        }
        if (ownAsked) {
            wire.add(new Batch.Call("GET", s.relative(ownEvents(request.window(), null)), null));
        }
        List<Batch.Answer> answers = s.batch("freebusy", actAs, wire);
        Map<Mailbox, List<BusyInterval>> busy = new HashMap<>();
        Map<Mailbox, CalendarException> errors = new HashMap<>();
        if (ownAsked) {
            try {
                busy.put(own, ownBusy(answers.get(answers.size() - 1), request.window()));
            } catch (RateLimitedException | ReauthorizationRequiredException e) {
                throw e;
            } catch (CalendarException e) {
                errors.put(own, e);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            Batch.Answer a = answers.get(i);
            if (a.status() < 200 || a.status() > 299) {
                CalendarException e =
                        s.error(a, null, "free/busy for " + c.mailboxes().size() + " mailboxes");
                if (e instanceof RateLimitedException || e instanceof ReauthorizationRequiredException) {
                    throw e;
                }
                for (Mailbox m : c.mailboxes()) {
                    errors.putIfAbsent(m, withMailbox(e, m));
                }
                continue;
            }
            Map<String, Object> calendars = Json.map(Json.object(a.body(), s.ctx(actAs)), "calendars");
            Map<String, Map<String, Object>> byId = new HashMap<>();
            if (calendars != null) {
                calendars.forEach((k, v) -> {
                    if (v instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> entry = (Map<String, Object>) map;
                        byId.put(k.toLowerCase(Locale.ROOT), entry);
                    }
                });
            }
            for (Mailbox m : c.mailboxes()) {
                Map<String, Object> entry = byId.get(m.normalized());
                if (entry == null) {
                    errors.putIfAbsent(
                            m, new ProviderUnavailableException("free/busy: Google's answer left out " + m, s.ctx(m)));
                    continue;
                }
                List<Map<String, Object>> errs = Json.objects(entry, "errors");
                if (!errs.isEmpty()) {
                    errors.putIfAbsent(m, calendarError(m, Json.str(errs.get(0), "reason")));
                    continue;
                }
                List<BusyInterval> list = busy.computeIfAbsent(m, k -> new ArrayList<>());
                for (Map<String, Object> b : Json.objects(entry, "busy")) {
                    Instant start = Rfc3339.parseInstant(Json.str(b, "start"));
                    Instant end = Rfc3339.parseInstant(Json.str(b, "end"));
                    if (end.isAfter(start)) {
                        list.add(BusyInterval.of(start, end, BusyStatus.BUSY));
                    }
                }
            }
        }
        List<FreeBusy> results = new ArrayList<>();
        for (Mailbox m : request.mailboxes()) {
            CalendarException e = errors.get(m);
            List<BusyInterval> b = busy.getOrDefault(m, List.of());
            results.add(e != null ? FreeBusy.failed(m, e) : FreeBusy.of(m, m.equals(own) ? b : merge(b)));
        }
        return new FreeBusyResult(results);
    }

    private okhttp3.HttpUrl ownEvents(TimeWindow w, String pageToken) {
        okhttp3.HttpUrl.Builder u = s.events(org.calsdk.model.CalendarRef.primary(own))
                .addQueryParameter("timeMin", w.start().toString())
                .addQueryParameter("timeMax", w.end().toString())
                .addQueryParameter("singleEvents", "true")
                .addQueryParameter("maxResults", "2500");
        if (pageToken != null) {
            u.addQueryParameter("pageToken", pageToken);
        }
        return u.build();
    }

    /** The own mailbox's busy time from its occurrences (following further pages, rarely needed). */
    private List<BusyInterval> ownBusy(Batch.Answer first, TimeWindow window) {
        if (first.status() < 200 || first.status() > 299) {
            throw s.error(first, own, "reading " + own + "'s events for free/busy");
        }
        List<org.calsdk.model.Event> events = new ArrayList<>();
        Map<String, Object> page = Json.object(first.body(), s.ctx(own));
        while (true) {
            for (Map<String, Object> e : Json.objects(page, "items")) {
                if (!EventCodec.isCancelled(e) && !declined(e)) {
                    events.add(s.codec().event(e).toBuilder().recurrence(null).build());
                }
            }
            String next = Json.str(page, "nextPageToken");
            if (next == null) {
                break;
            }
            page = s.call(
                    "events.list",
                    own,
                    new okhttp3.Request.Builder().url(ownEvents(window, next)).build(),
                    true,
                    "reading " + own + "'s events for free/busy");
        }
        return org.calsdk.ical.Recurrences.busy(events, window, s.zone());
    }

    private boolean declined(Map<String, Object> e) {
        for (Map<String, Object> a : Json.objects(e, "attendees")) {
            if (Json.bool(a, "self") || own.normalized().equalsIgnoreCase(String.valueOf(Json.str(a, "email")))) {
                return "declined".equals(Json.str(a, "responseStatus"));
            }
        }
        return false;
    }

    private byte[] body(List<Mailbox> chunk, TimeWindow w) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("timeMin", w.start().toString());
            g.writeStringField("timeMax", w.end().toString());
            g.writeStringField("timeZone", "UTC");
            g.writeArrayFieldStart("items");
            for (Mailbox m : chunk) {
                g.writeStartObject();
                g.writeStringField("id", m.email());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private CalendarException calendarError(Mailbox m, String reason) {
        ErrorContext c = s.ctx(m);
        String r = reason == null ? "unknown" : reason;
        return switch (r) {
            case "notFound" -> new NotFoundException("free/busy: Google knows no calendar " + m + " (notFound)", c);
            case "groupTooBig", "tooManyCalendarsRequested" ->
                new InvalidInputException(
                        "mailboxes",
                        "free/busy: " + m + " is a group too big to expand (" + r + "); ask for its members instead",
                        c,
                        null);
            case "internalError", "backendError" ->
                new ProviderUnavailableException(
                        "free/busy: Google could not " + "answer for " + m + " (" + r + "); try again later", c);
            default ->
                new CalendarException("free/busy: Google gave no busy time for " + m + " (" + r + ")", c, false, null);
        };
    }

    private static CalendarException withMailbox(CalendarException e, Mailbox m) {
        if (e instanceof NotFoundException) {
            return new NotFoundException(e.getMessage(), e.context().withMailbox(m), e);
        }
        if (e instanceof org.calsdk.errors.PermissionDeniedException) {
            return new org.calsdk.errors.PermissionDeniedException(
                    e.getMessage(), e.context().withMailbox(m), e);
        }
        if (e instanceof InvalidInputException) {
            return new InvalidInputException(null, e.getMessage(), e.context().withMailbox(m), e);
        }
        return new ProviderUnavailableException(e.getMessage(), e.context().withMailbox(m), e);
    }

    /** Sorted, with pieces of adjacent windows that touch joined again. */
    private static List<BusyInterval> merge(List<BusyInterval> in) {
        List<BusyInterval> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> a.start().compareTo(b.start()));
        List<BusyInterval> out = new ArrayList<>();
        for (BusyInterval b : sorted) {
            if (!out.isEmpty() && !b.start().isAfter(out.get(out.size() - 1).end())) {
                BusyInterval last = out.remove(out.size() - 1);
                out.add(BusyInterval.of(
                        last.start(), b.end().isAfter(last.end()) ? b.end() : last.end(), BusyStatus.BUSY));
            } else {
                out.add(b);
            }
        }
        return out;
    }
}
