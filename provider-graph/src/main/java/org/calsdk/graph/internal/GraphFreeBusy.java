package org.calsdk.graph.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import okhttp3.HttpUrl;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Free/busy through {@code calendar/getSchedule}: at most 20 mailboxes per call, windows of 62 days or
 * more split, several calls packed into {@code $batch} requests of 20 (sent in parallel, at most 4 in
 * flight for the anchor mailbox, which the transport's per-mailbox limit enforces); sub-requests Graph
 * throttled (429/503) are sent again after their Retry-After, and an error for one schedule is that
 * mailbox's own result.
 */
public final class GraphFreeBusy implements FreeBusyQuery {
    static final int SCHEDULES_PER_CALL = 20;
    static final int REQUESTS_PER_BATCH = 20;
    /** Graph wants the window shorter than 62 days. */
    static final Duration MAX_WINDOW = Duration.ofDays(62).minusMinutes(1);

    private static final int ANCHOR_TRIES = 3;

    private final GraphSession s;
    private final Mailbox self;

    public GraphFreeBusy(GraphSession session, Mailbox self) {
        this.s = session;
        this.self = self;
    }

    /** One getSchedule call. */
    private static final class Call {
        final List<Mailbox> mailboxes;
        final TimeWindow window;
        int attempts;
        int anchorIndex;
        Duration wait = Duration.ZERO;

        Call(List<Mailbox> mailboxes, TimeWindow window) {
            this.mailboxes = mailboxes;
            this.window = window;
        }
    }

    /** What one call answered: a status and body (a $batch sub-response, or a direct answer). */
    private record Answer(int status, Map<String, Object> body, Duration retryAfter) {}

    @Override
    public FreeBusyResult query(FreeBusyRequest request) {
        List<Call> pending = new ArrayList<>();
        for (TimeWindow piece : request.window().split(MAX_WINDOW)) {
            for (List<Mailbox> chunk : request.chunks(SCHEDULES_PER_CALL)) {
                pending.add(new Call(chunk, piece));
            }
        }
        Map<Mailbox, List<BusyInterval>> busy = new LinkedHashMap<>();
        Map<Mailbox, CalendarException> errors = new HashMap<>();
        int maxAttempts = s.retryPolicy().maxAttempts();
        while (!pending.isEmpty()) {
            Duration pause = pending.stream()
                    .map(c -> c.wait)
                    .max(Comparator.naturalOrder())
                    .orElse(Duration.ZERO);
            if (!pause.isZero()) {
                sleep(pause);
            }
            List<Answer> answers = send(pending);
            List<Call> again = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Call c = pending.get(i);
                Answer a = answers.get(i);
                c.attempts++;
                // a sub-response is read as the transport reads a whole one (status, then Graph's error code)
                org.calsdk.http.ResponseClass cls = a.status() <= 0
                        ? org.calsdk.http.ResponseClass.byStatus()
                        : GraphClient.THROTTLING.classify(new org.calsdk.http.HttpResponse(
                                a.status(), okhttp3.Headers.of(), Json.write(a.body()), 1));
                boolean throttled = a.status() == 429
                        || a.status() == 503
                        || cls.kind() == org.calsdk.http.ResponseClass.Kind.RATE_LIMITED
                        || cls.kind() == org.calsdk.http.ResponseClass.Kind.UNAVAILABLE;
                if (throttled && c.attempts < maxAttempts) {
                    c.wait = a.retryAfter() != null
                            ? a.retryAfter()
                            : s.retryPolicy().backoff(c.attempts);
                    again.add(c);
                    continue;
                }
                if (a.status() == 403
                        && self == null
                        && c.anchorIndex + 1 < Math.min(ANCHOR_TRIES, c.mailboxes.size())
                        && GraphClient.errorCode(a.body()).equals("ErrorAccessDenied")) {
                    c.anchorIndex++; // the anchor mailbox is outside the app's reach: ask through another one
                    c.wait = Duration.ZERO;
                    again.add(c);
                    continue;
                }
                absorb(c, a, busy, errors);
            }
            pending = again;
        }
        List<FreeBusy> out = new ArrayList<>();
        for (Mailbox m : request.mailboxes()) {
            CalendarException e = errors.get(m);
            out.add(e != null ? FreeBusy.failed(m, e) : FreeBusy.of(m, merge(busy.getOrDefault(m, List.of()))));
        }
        return new FreeBusyResult(out);
    }

    private void sleep(Duration d) {
        try {
            s.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.calsdk.errors.CalendarException(
                    "free/busy interrupted while waiting out Graph's Retry-After",
                    s.client().context(self),
                    false,
                    e);
        }
    }

    private Mailbox anchor(Call c) {
        return self != null ? self : c.mailboxes.get(c.anchorIndex);
    }

    private HttpUrl.Builder scheduleUrl(Mailbox anchor) {
        return s.client().url("users", anchor.email(), "calendar", "getSchedule");
    }

    private static Map<String, Object> body(Call c) {
        List<Object> ids = new ArrayList<>();
        c.mailboxes.forEach(m -> ids.add(m.email()));
        long minutes = c.window.duration().toMinutes();
        int interval = (int) Math.max(5, Math.min(1440, minutes / 48 == 0 ? 30 : Math.min(1440, minutes / 48)));
        return Json.map(
                "schedules",
                ids,
                "startTime",
                EventMapper.utc(c.window.start()),
                "endTime",
                EventMapper.utc(c.window.end()),
                "availabilityViewInterval",
                interval);
    }

    /** Sends the calls: one alone directly, more as $batch requests of 20, the batches in parallel. */
    private List<Answer> send(List<Call> calls) {
        if (calls.size() == 1) {
            Call c = calls.get(0);
            Mailbox anchor = anchor(c);
            HttpResponse r;
            try {
                r = s.client()
                        .send("getSchedule", anchor, "POST", scheduleUrl(anchor).build(), body(c), null);
            } catch (CalendarException e) {
                return List.of(failure(e));
            }
            return List.of(new Answer(r.status(), s.client().parse(r, anchor, "getSchedule"), null));
        }
        List<List<Call>> batches = new ArrayList<>();
        for (int i = 0; i < calls.size(); i += REQUESTS_PER_BATCH) {
            batches.add(calls.subList(i, Math.min(calls.size(), i + REQUESTS_PER_BATCH)));
        }
        // the other batches go to the executor; whichever of them no pool thread has started yet, the caller
        // runs itself, so a caller that is itself on a busy pool never waits for work queued behind it
        List<java.util.concurrent.atomic.AtomicBoolean> claimed = new ArrayList<>();
        List<CompletableFuture<List<Answer>>> futures = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            claimed.add(new java.util.concurrent.atomic.AtomicBoolean());
            futures.add(new CompletableFuture<>());
        }
        for (int i = 1; i < batches.size(); i++) {
            int n = i;
            s.executor().execute(() -> runClaimed(batches.get(n), claimed.get(n), futures.get(n)));
        }
        for (int i = 0; i < batches.size(); i++) {
            runClaimed(batches.get(i), claimed.get(i), futures.get(i));
        }
        List<Answer> out = new ArrayList<>();
        for (CompletableFuture<List<Answer>> f : futures) {
            try {
                out.addAll(f.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return out;
    }

    private void runClaimed(
            List<Call> calls,
            java.util.concurrent.atomic.AtomicBoolean claimed,
            CompletableFuture<List<Answer>> result) {
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        try {
            result.complete(batch(calls));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    private List<Answer> batch(List<Call> calls) {
        List<Object> requests = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            requests.add(Json.map(
                    "id",
                    Integer.toString(i + 1),
                    "method",
                    "POST",
                    "url",
                    s.client().relative(scheduleUrl(anchor(c)).build()),
                    "headers",
                    Json.map("Content-Type", "application/json", "Prefer", GraphClient.PREFER),
                    "body",
                    body(c)));
        }
        Mailbox anchor = anchor(calls.get(0));
        Map<String, Object> answer;
        try {
            answer = s.client()
                    .json(
                            "batch",
                            anchor,
                            "POST",
                            s.client().url("$batch").build(),
                            Json.map("requests", requests),
                            null);
        } catch (CalendarException e) {
            List<Answer> failed = new ArrayList<>();
            calls.forEach(c -> failed.add(failure(e)));
            return failed;
        }
        Map<String, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> r : Json.objects(answer, "responses")) {
            byId.put(Json.str(r, "id"), r);
        }
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Map<String, Object> r = byId.get(Integer.toString(i + 1));
            if (r == null) {
                out.add(new Answer(
                        -1,
                        Json.map(
                                "error",
                                Json.map(
                                        "code",
                                        "MissingResponse",
                                        "message",
                                        "the $batch answer has no response for this request")),
                        null));
                continue;
            }
            int status = (int) Json.number(r, "status", 0);
            String after = Json.str(Json.obj(r, "headers"), "Retry-After");
            Duration retryAfter = null;
            if (after != null && after.strip().matches("\\d{1,6}")) {
                retryAfter = Duration.ofSeconds(Long.parseLong(after.strip()));
            }
            out.add(new Answer(status, Json.obj(r, "body"), retryAfter));
        }
        return out;
    }

    /** A transport-level failure of a whole call (after the transport's own retries). */
    private static Answer failure(CalendarException e) {
        return new Answer(-2, Json.map("exception", e), null);
    }

    private void absorb(
            Call c, Answer a, Map<Mailbox, List<BusyInterval>> busy, Map<Mailbox, CalendarException> errors) {
        if (a.status() == -2) {
            CalendarException e = (CalendarException) a.body().get("exception");
            c.mailboxes.forEach(m -> errors.putIfAbsent(m, e));
            return;
        }
        if (a.status() < 200 || a.status() >= 300) {
            CalendarException e = a.status() == -1
                    ? new MalformedDataException(
                            "Graph's $batch answer has no response for a getSchedule request",
                            s.client().context(anchor(c)),
                            null)
                    : s.client().error(a.status(), a.body(), null, anchor(c), "getSchedule");
            for (Mailbox m : c.mailboxes) {
                errors.putIfAbsent(m, e);
            }
            return;
        }
        Map<String, Mailbox> asked = new HashMap<>();
        c.mailboxes.forEach(m -> asked.put(m.normalized(), m));
        for (Map<String, Object> info : GraphClient.values(a.body())) {
            String id = Json.str(info, "scheduleId");
            Mailbox m = id == null ? null : asked.remove(id.toLowerCase(Locale.ROOT));
            if (m == null) {
                continue;
            }
            Map<String, Object> err = Json.obj(info, "error");
            if (!err.isEmpty()) {
                errors.putIfAbsent(m, scheduleError(m, err));
                continue;
            }
            List<BusyInterval> list = busy.computeIfAbsent(m, k -> new ArrayList<>());
            for (Map<String, Object> item : Json.objects(info, "scheduleItems")) {
                BusyStatus status = status(Json.str(item, "status"));
                if (status == null) {
                    continue;
                }
                Instant start = EventMapper.instant(Json.obj(item, "start"));
                Instant end = EventMapper.instant(Json.obj(item, "end"));
                if (start.isBefore(c.window.start())) {
                    start = c.window.start();
                }
                if (end.isAfter(c.window.end())) {
                    end = c.window.end();
                }
                if (end.isAfter(start)) {
                    list.add(BusyInterval.of(start, end, status));
                }
            }
        }
        for (Mailbox missing : asked.values()) {
            errors.putIfAbsent(
                    missing,
                    new MalformedDataException(
                            "Graph's getSchedule answer has no schedule for " + missing,
                            s.client().context(missing),
                            null));
        }
    }

    private CalendarException scheduleError(Mailbox m, Map<String, Object> err) {
        String code = String.valueOf(Json.str(err, "responseCode"));
        String message = Json.str(err, "message");
        String detail = " (" + code + (message == null ? "" : ": " + message.replaceAll("\\p{Cntrl}", " ")) + ")";
        return switch (code) {
            case "ErrorMailRecipientNotFound",
                    "ErrorInvalidUser",
                    "ErrorNonExistentMailbox",
                    "ErrorInvalidSmtpAddress" ->
                new NotFoundException(
                        "Graph getSchedule: no mailbox " + m + detail,
                        s.client().context(m));
            case "ErrorAccessDenied", "ErrorFreeBusyAccessDenied" ->
                new PermissionDeniedException(
                        "Graph getSchedule: "
                                + "access to " + m + " denied" + detail
                                + "; the mailbox is most likely outside the application "
                                + "access policy or RBAC for Applications scope of this app, or does not share its free/busy",
                        s.client().context(m));
            default ->
                new org.calsdk.errors.CalendarException(
                        "Graph getSchedule failed for " + m + detail, s.client().context(m));
        };
    }

    private static BusyStatus status(String graph) {
        if (graph == null) {
            return BusyStatus.BUSY;
        }
        return switch (graph) {
            case "busy" -> BusyStatus.BUSY;
            case "tentative" -> BusyStatus.TENTATIVE;
            case "oof" -> BusyStatus.OUT_OF_OFFICE;
            case "workingElsewhere" -> BusyStatus.WORKING_ELSEWHERE;
            default -> null; // free, unknown
        };
    }

    /** Sorted, with overlapping or touching intervals of one status merged (pieces of a split window meet). */
    static List<BusyInterval> merge(List<BusyInterval> in) {
        List<BusyInterval> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::end));
        List<BusyInterval> out = new ArrayList<>();
        for (BusyInterval b : sorted) {
            boolean merged = false;
            for (int i = out.size() - 1; i >= 0 && i >= out.size() - 8; i--) {
                BusyInterval o = out.get(i);
                if (o.status() == b.status()
                        && !b.start().isAfter(o.end())
                        && !o.start().isAfter(b.end())) {
                    out.set(
                            i,
                            BusyInterval.of(
                                    o.start().isBefore(b.start()) ? o.start() : b.start(),
                                    o.end().isAfter(b.end()) ? o.end() : b.end(),
                                    o.status()));
                    merged = true;
                    break;
                }
            }
            if (!merged) {
                out.add(b);
            }
        }
        return out;
    }
}
