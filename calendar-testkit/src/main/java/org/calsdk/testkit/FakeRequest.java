package org.calsdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import okhttp3.Headers;
import okhttp3.HttpUrl;

import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as a fake's route handler sees it: method, path, the variables its route pattern
 * captured, query, headers and body, plus the operation name of the matched route and the mailbox the
 * request concerns (when the fake can tell).
 *
 * @param method     HTTP method, upper case
 * @param url        the full request URL
 * @param pathParams variables captured by the route pattern ({@code /users/{user}/events} → {@code user})
 * @param headers    request headers
 * @param body       request body (empty when none)
 * @param operation  the matched route's operation name ({@code "unmatched"} when no route matched)
 * @param mailbox    the mailbox the request concerns (the first, for a call about several), or null
 * @param mailboxes  every mailbox the request concerns, in order (several for Google freeBusy or Graph
 *                   getSchedule, see {@link MailboxExtractor}); empty when unknown
 * @param mailboxErrors per-mailbox errors injected into this call ({@link Fault#mailboxError}): mailbox to
 *                   the provider's error code; the handler (or the route's {@link MailboxErrorInjector})
 *                   answers them inside a good answer
 * @since 0.1
 */
public record FakeRequest(String method, HttpUrl url, Map<String, String> pathParams, Headers headers, byte[] body,
                          String operation, @Nullable String mailbox, List<String> mailboxes, Map<String, String> mailboxErrors) {
    public FakeRequest {
        Checks.notBlank(method, "method");
        Checks.notNull(url, "url");
        pathParams = Map.copyOf(Checks.notNull(pathParams, "pathParams"));
        Checks.notNull(headers, "headers");
        body = body == null ? new byte[0] : body.clone();
        Checks.notBlank(operation, "operation");
        mailboxes = mailboxes == null ? (mailbox == null ? List.of() : List.of(mailbox)) : List.copyOf(mailboxes);
        mailboxErrors = mailboxErrors == null ? Map.of() : Map.copyOf(mailboxErrors);
    }

    /** A request about at most one mailbox, without injected per-mailbox errors. */
    public FakeRequest(String method, HttpUrl url, Map<String, String> pathParams, Headers headers, byte[] body,
                       String operation, String mailbox) {
        this(method, url, pathParams, headers, body, operation, mailbox, null, null);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The decoded path, such as {@code /calendars/alice%40example.com/events} → {@code /calendars/alice@example.com/events}. */
    public String path() {
        return "/" + String.join("/", url.pathSegments());
    }

    /** The path variable {@code name}, or an {@link IllegalArgumentException} when the route has none. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no path variable '" + name + "' (has " + pathParams.keySet() + ")");
        }
        return v;
    }

    /** The first query parameter {@code name}. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(url.queryParameter(name));
    }

    /** The header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** A copy with the operation and mailbox set (used by the server once the route is known). */
    public FakeRequest with(String newOperation, String newMailbox) {
        return new FakeRequest(method, url, pathParams, headers, body, newOperation, newMailbox,
                newMailbox == null ? List.of() : List.of(newMailbox), mailboxErrors);
    }

    /** A copy about {@code newMailboxes} (the first becomes {@link #mailbox()}). */
    public FakeRequest withMailboxes(List<String> newMailboxes) {
        List<String> m = List.copyOf(newMailboxes);
        return new FakeRequest(method, url, pathParams, headers, body, operation, m.isEmpty() ? null : m.get(0), m,
                mailboxErrors);
    }

    /** A copy carrying the per-mailbox errors {@code errors}. */
    public FakeRequest withMailboxErrors(Map<String, String> errors) {
        return new FakeRequest(method, url, pathParams, headers, body, operation, mailbox, mailboxes, errors);
    }

    /** A copy with the route's path variables. */
    public FakeRequest withPathParams(Map<String, String> vars) {
        return new FakeRequest(method, url, vars, headers, body, operation, mailbox, mailboxes, mailboxErrors);
    }

    @Override
    public String toString() {
        // Never print headers: they carry credentials.
        return "FakeRequest[" + method + " " + path() + ", operation=" + operation + "]";
    }
}
