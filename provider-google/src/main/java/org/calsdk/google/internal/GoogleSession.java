package org.calsdk.google.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.ResponseClass;
import org.calsdk.http.ResponseClassifier;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/**
 * What every facet of a Google connection (and every impersonated view of it) shares: the transport, the
 * API root, where tokens come from, the codec and the settings. Sends single calls and batches; a 403
 * {@code rateLimitExceeded}/{@code usageLimits} is classified as throttling, so the transport retries it
 * like 429 and 5xx, and a batch re-sends only its throttled parts.
 */
public final class GoogleSession {
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpTransport transport;
    private final HttpUrl base;
    private final Tokens tokens;
    private final Sleeper sleeper;
    private final ZoneId zone;
    private final ErrorContext ctx;
    private final EventCodec codec;
    private final int pageSize;
    private final String sendUpdates;
    private final Duration freeBusyWindow;
    private final Runnable onClose;
    private final Mailbox pinned;
    private HttpUrl directoryRoot;
    private Tokens resourceTokens;
    private Tokens groupTokens;

    public GoogleSession(
            HttpTransport transport,
            HttpUrl base,
            Tokens tokens,
            Sleeper sleeper,
            ZoneId zone,
            ErrorContext ctx,
            int pageSize,
            String sendUpdates,
            Duration freeBusyWindow,
            Runnable onClose) {
        this.transport = transport;
        this.base = base;
        this.tokens = tokens;
        this.sleeper = sleeper;
        this.zone = zone;
        this.ctx = ctx;
        this.codec = new EventCodec(zone, ctx);
        this.pageSize = pageSize;
        this.sendUpdates = sendUpdates;
        this.freeBusyWindow = freeBusyWindow;
        this.onClose = onClose;
        this.pinned = null;
    }

    private GoogleSession(GoogleSession parent, Mailbox pinned) {
        this.transport = parent.transport;
        this.base = parent.base;
        this.tokens = parent.tokens;
        this.sleeper = parent.sleeper;
        this.zone = parent.zone;
        this.ctx = parent.ctx;
        this.codec = parent.codec;
        this.pageSize = parent.pageSize;
        this.sendUpdates = parent.sendUpdates;
        this.freeBusyWindow = parent.freeBusyWindow;
        this.onClose = null;
        this.pinned = pinned;
        this.directoryRoot = parent.directoryRoot;
        this.resourceTokens = parent.resourceTokens;
        this.groupTokens = parent.groupTokens;
    }

    /** The root of the Admin SDK Directory API ({@code /admin/directory/v1/...}); the API root unless set. */
    public HttpUrl directoryRoot() {
        return directoryRoot == null ? base : directoryRoot;
    }

    /** Sets the Directory API root (Google serves it from {@code https://admin.googleapis.com/}). */
    public GoogleSession directoryRoot(HttpUrl root) {
        this.directoryRoot = root;
        return this;
    }

    /**
     * Where the tokens for the Admin SDK's calendar resources come from (a service account asks for that scope
     * apart); the session's own tokens unless set.
     */
    public Tokens resourceTokens() {
        return resourceTokens == null ? tokens : resourceTokens;
    }

    /** Sets where the tokens for calendar resource calls come from. */
    public GoogleSession resourceTokens(Tokens tokens) {
        this.resourceTokens = tokens;
        return this;
    }

    /**
     * Where the tokens for the Admin SDK's group calls come from (a service account asks for the group scope
     * apart, like the resource scope); the session's own tokens unless set.
     */
    public Tokens groupTokens() {
        return groupTokens == null ? tokens : groupTokens;
    }

    /** Sets where the tokens for group calls come from. */
    public GoogleSession groupTokens(Tokens tokens) {
        this.groupTokens = tokens;
        return this;
    }

    /**
     * A session whose every call carries {@code mailbox}'s token, whichever calendar it names: an
     * impersonated view acts as its mailbox alone. It shares this session's transport and token cache.
     */
    public GoogleSession pinnedTo(Mailbox mailbox) {
        return new GoogleSession(this, mailbox);
    }

    public ErrorContext ctx(Mailbox mailbox) {
        return ctx.withMailbox(mailbox);
    }

    public EventCodec codec() {
        return codec;
    }

    public ZoneId zone() {
        return zone;
    }

    public Clock clock() {
        return transport.clock();
    }

    public Tokens tokens() {
        return tokens;
    }

    public int pageSize() {
        return pageSize;
    }

    public Duration freeBusyWindow() {
        return freeBusyWindow;
    }

    /** Google's {@code sendUpdates} for writes (write options land in the core later: one place to adapt). */
    public String sendUpdates() {
        return sendUpdates;
    }

    /** {@code /calendar/v3/} plus {@code segments} (each encoded as one path segment). */
    public HttpUrl.Builder api(String... segments) {
        HttpUrl.Builder b = base.newBuilder().addPathSegment("calendar").addPathSegment("v3");
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b;
    }

    /** {@code /calendar/v3/calendars/{id}/events} plus {@code more} segments, for a calendar. */
    public HttpUrl.Builder events(CalendarRef calendar, String... more) {
        HttpUrl.Builder b = api("calendars", calendarId(calendar), "events");
        for (String s : more) {
            b.addPathSegment(s);
        }
        return b;
    }

    /** Google's id of a calendar: the primary calendar's id is its owner's address. */
    public static String calendarId(CalendarRef calendar) {
        return calendar.isPrimary() ? calendar.mailbox().email() : calendar.id();
    }

    /** The path and query of {@code url} below the API root, as a batch part names it. */
    public String relative(HttpUrl url) {
        String root = base.encodedPath();
        String path = url.encodedPath();
        String rel = root.endsWith("/") && path.startsWith(root) ? "/" + path.substring(root.length()) : path;
        return url.encodedQuery() == null ? rel : rel + "?" + url.encodedQuery();
    }

    public static RequestBody json(byte[] body) {
        return RequestBody.create(body, JSON);
    }

    /**
     * Google throttles with 403 as well as 429: a 403 whose reason is {@code rateLimitExceeded},
     * {@code userRateLimitExceeded} or a {@code usageLimits} one was not processed, so the transport retries
     * it like a 429 (with its policy's backoff) and past the retries fails with a RateLimitedException.
     */
    static final ResponseClassifier THROTTLING = r -> r.status() == 403 && GoogleErrors.isRateLimited(r)
            ? ResponseClass.rateLimited(null, "rateLimitExceeded")
            : ResponseClass.byStatus();

    /**
     * Sends one call as {@code actAs} (Google's 403 throttling retried by the transport, see
     * {@link #THROTTLING}); returns any answer the transport returns (2xx, 3xx, 4xx).
     */
    public HttpResponse send(String operation, Mailbox target, Request request, boolean idempotent) {
        return send(operation, target, request, idempotent, tokens);
    }

    private HttpResponse send(String operation, Mailbox target, Request request, boolean idempotent, Tokens via) {
        Mailbox actAs = pinned != null ? pinned : target;
        Authorizer auth = Authorizer.bearer(via.forMailbox(actAs));
        return transport.execute(HttpCall.builder(request)
                .operation(operation)
                .mailbox(actAs)
                .authorizer(auth)
                .idempotent(idempotent)
                .classifier(THROTTLING)
                .build());
    }

    /** {@link #send}, then the JSON object of a 2xx answer, or the typed error of any other. */
    public Map<String, Object> call(String operation, Mailbox actAs, Request request, boolean idempotent, String what) {
        return call(operation, actAs, request, idempotent, what, tokens);
    }

    /** {@link #call}, with a token from {@code via} (another scope of the same grant). */
    public Map<String, Object> call(
            String operation, Mailbox actAs, Request request, boolean idempotent, String what, Tokens via) {
        HttpResponse r = send(operation, actAs, request, idempotent, via);
        if (!r.isSuccessful()) {
            throw GoogleErrors.toException(r, ctx(actAs), what, clock());
        }
        return r.body().length == 0 ? Map.of() : Json.object(r.body(), ctx(actAs));
    }

    /**
     * Sends {@code calls} as {@code actAs} in as few batch requests as Google allows ({@value Batch#MAX_CALLS}
     * calls each). Parts Google throttled are sent again, in a new batch, after a backoff; the answers
     * come back in call order.
     */
    public List<Batch.Answer> batch(String operation, Mailbox actAs, List<Batch.Call> calls) {
        List<Batch.Answer> answers = new ArrayList<>(calls.size());
        for (int from = 0; from < calls.size(); from += Batch.MAX_CALLS) {
            List<Batch.Call> chunk = calls.subList(from, Math.min(calls.size(), from + Batch.MAX_CALLS));
            answers.addAll(batchChunk(operation, actAs, chunk));
        }
        return answers;
    }

    private List<Batch.Answer> batchChunk(String operation, Mailbox actAs, List<Batch.Call> chunk) {
        Batch.Answer[] out = new Batch.Answer[chunk.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            pending.add(i);
        }
        RetryPolicy policy = transport.retryPolicy();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Batch.Call> send = new ArrayList<>();
            pending.forEach(i -> send.add(chunk.get(i)));
            List<Batch.Answer> got = sendBatch(operation, actAs, send);
            List<Integer> throttled = new ArrayList<>();
            for (int k = 0; k < got.size(); k++) {
                Batch.Answer a = got.get(k);
                int index = pending.get(k);
                HttpResponse asResponse = new HttpResponse(a.status(), a.headers(), a.body(), attempt);
                if (GoogleErrors.isRateLimited(asResponse) && attempt < policy.maxAttempts()) {
                    throttled.add(index);
                } else {
                    out[index] = a;
                }
            }
            if (!throttled.isEmpty()) {
                pause(policy.backoff(attempt));
            }
            pending = throttled;
        }
        return List.of(out);
    }

    private List<Batch.Answer> sendBatch(String operation, Mailbox actAs, List<Batch.Call> calls) {
        String[] body = Batch.encode(calls);
        HttpUrl url = base.newBuilder()
                .addPathSegment("batch")
                .addPathSegment("calendar")
                .addPathSegment("v3")
                .build();
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(
                        body[0].getBytes(StandardCharsets.UTF_8),
                        MediaType.get("multipart/mixed; boundary=" + body[1])))
                .build();
        boolean idempotent = calls.stream()
                .allMatch(c -> c.method().equals("GET") || c.pathAndQuery().endsWith("/freeBusy"));
        HttpResponse r = send(operation, actAs, request, idempotent);
        if (!r.isSuccessful()) {
            throw GoogleErrors.toException(
                    r, ctx(actAs), operation + " (batch of " + calls.size() + " calls)", clock());
        }
        return Batch.decode(r.header("Content-Type"), r.body(), calls.size(), ctx(actAs));
    }

    /** The typed error of a batch part's answer. */
    public CalendarException error(Batch.Answer a, Mailbox mailbox, String what) {
        return GoogleErrors.toException(
                new HttpResponse(a.status(), a.headers(), a.body(), 1), ctx(mailbox), what, clock());
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while backing off from Google's rate limit");
        }
    }

    public void close() {
        if (pinned != null) {
            return;
        }
        transport.close();
        if (onClose != null) {
            onClose.run();
        }
    }
}
