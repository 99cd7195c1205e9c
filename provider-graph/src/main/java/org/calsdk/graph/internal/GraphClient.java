package org.calsdk.graph.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpErrors;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.model.Mailbox;

/**
 * Sends Graph requests through the SDK's {@link HttpTransport} (retries, Retry-After, per-mailbox
 * concurrency, deadlines, accounting): every call carries {@code Prefer: outlook.timezone="UTC"} and
 * {@code IdType="ImmutableId"}, and Graph's error bodies become typed errors.
 */
public final class GraphClient {
    public static final String PROVIDER = "graph";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    static final String PREFER = "outlook.timezone=\"UTC\", IdType=\"ImmutableId\", outlook.body-content-type=\"text\"";

    /** Graph's error codes that mean "throttled", whatever the status they come with. */
    private static final java.util.Set<String> THROTTLED = java.util.Set.of(
            "TooManyRequests",
            "ApplicationThrottled",
            "activityLimitReached",
            "MailboxConcurrency",
            "ErrorServerBusy",
            "ErrorTooManyObjectsOpened");
    /** Graph's error codes that mean "not processed, try later". */
    private static final java.util.Set<String> UNAVAILABLE =
            java.util.Set.of("ServiceUnavailable", "ErrorServiceUnavailable", "serviceNotAvailable");

    /**
     * How the transport (and the {@code $batch} sub-response loop) reads Graph's answers: 429 and 503 by
     * status ({@code Retry-After} honoured by the transport), and a throttling or "unavailable" error code in
     * the body of any other error status (Outlook answers some throttling as 400/403/500 with
     * {@code ApplicationThrottled} or {@code ErrorServerBusy}) as a rate limit or an unavailable server.
     */
    public static final org.calsdk.http.ResponseClassifier THROTTLING = r -> {
        if (r.status() < 400
                || r.status() == 429
                || r.status() == 503
                || r.body().length == 0
                || r.body().length > 64 * 1024) {
            return org.calsdk.http.ResponseClass.byStatus();
        }
        String code;
        try {
            code = errorCode(Json.object(r.body()));
        } catch (IllegalArgumentException e) {
            return org.calsdk.http.ResponseClass.byStatus();
        }
        if (THROTTLED.contains(code)) {
            return org.calsdk.http.ResponseClass.rateLimited(null, code);
        }
        if (UNAVAILABLE.contains(code) && r.status() >= 500) {
            return org.calsdk.http.ResponseClass.unavailable(null, code);
        }
        return org.calsdk.http.ResponseClass.byStatus();
    };

    private final HttpTransport transport;
    private final Authorizer authorizer;
    private final HttpUrl base;
    private final Clock clock;
    private final java.util.function.Supplier<String> relink;

    public GraphClient(HttpTransport transport, Authorizer authorizer, HttpUrl base, Clock clock) {
        this(transport, authorizer, base, clock, null);
    }

    /**
     * @param relink where the user or administrator grants access again (a consent URL), attached to every
     *               {@link ReauthorizationRequiredException} that carries none; null when not configured
     */
    public GraphClient(
            HttpTransport transport,
            Authorizer authorizer,
            HttpUrl base,
            Clock clock,
            java.util.function.Supplier<String> relink) {
        this.transport = transport;
        this.authorizer = authorizer;
        this.base = base;
        this.clock = clock;
        this.relink = relink;
    }

    public HttpUrl base() {
        return base;
    }

    public Clock clock() {
        return clock;
    }

    public HttpTransport transport() {
        return transport;
    }

    /** {@code base} + {@code /segments...} (each segment encoded). */
    public HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b;
    }

    /** The path of a URL under the base, as a {@code $batch} sub-request names it ({@code /users/...?...}). */
    public String relative(HttpUrl url) {
        String basePath = base.encodedPath().endsWith("/")
                ? base.encodedPath().substring(0, base.encodedPath().length() - 1)
                : base.encodedPath();
        String path = url.encodedPath().substring(basePath.length());
        return url.encodedQuery() == null ? path : path + "?" + url.encodedQuery();
    }

    /** Whether {@code url} lies under the configured base (a link from a cursor or a page token). */
    public boolean isUnderBase(HttpUrl url) {
        return url.scheme().equals(base.scheme())
                && url.host().equalsIgnoreCase(base.host())
                && url.port() == base.port()
                && url.encodedPath().startsWith(base.encodedPath());
    }

    /**
     * A link Graph handed out ({@code @odata.nextLink}, {@code @odata.deltaLink}), checked before it is followed
     * with the connection's token: null stays null; a link outside the configured base URL is malformed data.
     */
    public HttpUrl serverLink(String link, Mailbox mailbox) {
        if (link == null) {
            return null;
        }
        HttpUrl u = HttpUrl.parse(link);
        if (u == null || !isUnderBase(u)) {
            throw new org.calsdk.errors.MalformedDataException(
                    "Graph sent a link outside the configured base URL; refusing to follow it", context(mailbox), null);
        }
        return u;
    }

    public ErrorContext context(Mailbox mailbox) {
        return ErrorContext.of(PROVIDER).withMailbox(mailbox);
    }

    /** Sends one request; non-2xx answers other than 429/5xx (which the transport turns into errors) come back as they are. */
    public HttpResponse send(
            String operation, Mailbox mailbox, String method, HttpUrl url, Object body, Map<String, String> headers) {
        Request.Builder rb =
                new Request.Builder().url(url).header("Prefer", PREFER).header("Accept", "application/json");
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k.equalsIgnoreCase("Prefer")) {
                    rb.header("Prefer", PREFER + ", " + v);
                } else {
                    rb.header(k, v);
                }
            });
        }
        RequestBody rbody = body == null
                ? (method.equals("POST") ? RequestBody.create(new byte[0], JSON) : null)
                : RequestBody.create(Json.write(body), JSON);
        rb.method(method, rbody);
        HttpCall.Builder call = HttpCall.builder(rb.build())
                .operation(operation)
                .mailbox(mailbox)
                .authorizer(authorizer)
                .classifier(THROTTLING);
        if (method.equals("PATCH") && headers != null && headers.containsKey("If-Match")) {
            call.idempotent(true);
        }
        try {
            return transport.execute(call.build());
        } catch (ReauthorizationRequiredException e) {
            throw withRelink(e);
        }
    }

    /** {@code e} with the configured consent URL, when it has none (a refused token, revoked consent). */
    public ReauthorizationRequiredException withRelink(ReauthorizationRequiredException e) {
        if (relink == null || e.relinkUrl().isPresent()) {
            return e;
        }
        String message = e.getMessage();
        int cut = message.lastIndexOf(" [provider=");
        String base = cut > 0 ? message.substring(0, cut) : message; // the new exception appends the context again
        ReauthorizationRequiredException out = new ReauthorizationRequiredException(
                base + "; grant access again at the relink URL", e.context(), relink.get(), e);
        out.withAttempts(e.attempts());
        return out;
    }

    /** Sends one request and reads a 2xx JSON answer (an empty map for an empty body); other answers throw. */
    public Map<String, Object> json(
            String operation, Mailbox mailbox, String method, HttpUrl url, Object body, Map<String, String> headers) {
        HttpResponse r = send(operation, mailbox, method, url, body, headers);
        if (!r.isSuccessful()) {
            throw error(r, mailbox, operation);
        }
        return parse(r, mailbox, operation);
    }

    public Map<String, Object> get(String operation, Mailbox mailbox, HttpUrl url) {
        return json(operation, mailbox, "GET", url, null, null);
    }

    public Map<String, Object> parse(HttpResponse r, Mailbox mailbox, String operation) {
        if (r.body().length == 0) {
            return Map.of();
        }
        try {
            return Json.object(r.body());
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException(
                    "Graph " + operation + " answered with a body that is not a JSON object (" + e.getMessage() + ")",
                    context(mailbox).withStatusCode(r.status()),
                    e);
        }
    }

    /** Graph's error code of an error body, or empty. */
    public static String errorCode(Map<String, Object> body) {
        String c = Json.str(Json.obj(body, "error"), "code");
        return c == null ? "" : c;
    }

    /** The typed error for a non-2xx answer, reading Graph's {@code {"error":{"code","message"}}}. */
    public CalendarException error(HttpResponse r, Mailbox mailbox, String operation) {
        Map<String, Object> body;
        try {
            body = r.body().length == 0 ? Map.of() : Json.object(r.body());
        } catch (IllegalArgumentException e) {
            body = Map.of();
        }
        return error(r.status(), body, r, mailbox, operation);
    }

    /** Same, for a status and body (also of a {@code $batch} sub-response; {@code raw} may be null then). */
    public CalendarException error(
            int status, Map<String, Object> body, HttpResponse raw, Mailbox mailbox, String operation) {
        String code = errorCode(body);
        String message = Json.str(Json.obj(body, "error"), "message");
        String detail = code.isEmpty() ? "" : " (" + code + (message == null ? "" : ": " + clip(message)) + ")";
        String what = "Graph " + operation + (mailbox == null ? "" : " for " + mailbox);
        HttpResponse r = raw != null ? raw : new HttpResponse(status, okhttp3.Headers.of(), Json.write(body), 1);
        CalendarException base = HttpErrors.toException(r, context(mailbox), what, clock);
        if (base instanceof ReauthorizationRequiredException re) {
            return withRelink(re);
        }
        ErrorContext ctx = base.context();
        if (status == 403
                && (code.equals("ErrorAccessDenied")
                        || code.equals("Authorization_RequestDenied")
                        || code.equals("AccessDenied"))) {
            return new PermissionDeniedException(
                            what + " failed: access denied (HTTP 403" + detail + "); the "
                                    + "mailbox is most likely outside the application access policy or the RBAC for Applications "
                                    + "management scope that limits this app, or the app lacks the Calendars permission with admin "
                                    + "consent",
                            ctx)
                    .withAttempts(r.attempts());
        }
        if (status == 404
                && (code.equals("ErrorInvalidUser")
                        || code.equals("Request_ResourceNotFound")
                        || code.equals("MailboxNotEnabledForRESTAPI")
                        || code.equals("ErrorMailRecipientNotFound"))) {
            return new NotFoundException(what + " failed: no such mailbox (HTTP 404" + detail + ")", ctx)
                    .withAttempts(r.attempts());
        }
        if (status == 412 || status == 409) {
            return new ConflictException(
                            what + " failed: the item changed since it was read (HTTP " + status + detail
                                    + "); read it again and retry with its new change key",
                            ctx)
                    .withAttempts(r.attempts());
        }
        if (status == 400) {
            return new InvalidInputException(
                            null,
                            what + " failed: Graph rejected the request as invalid (HTTP 400" + detail + ")",
                            ctx,
                            null)
                    .withAttempts(r.attempts());
        }
        return base;
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", " ");
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** The value list of a collection answer. */
    public static List<Map<String, Object>> values(Map<String, Object> page) {
        return Json.objects(page, "value");
    }
}
