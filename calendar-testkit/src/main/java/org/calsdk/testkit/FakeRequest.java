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
public record FakeRequest(
        String method,
        HttpUrl url,
        Map<String, String> pathParams,
        Headers headers,
        byte[] body,
        String operation,
        @Nullable String mailbox,
        List<String> mailboxes,
        Map<String, String> mailboxErrors) {
    /**
     * Checks and copies the components: the body, path variables, mailboxes and mailbox errors are copied (null
     * mailboxes become {@code mailbox} alone, null errors none).
     *
     * @param method HTTP method, upper case
     * @param url the full request URL
     * @param pathParams variables captured by the route pattern ({@code /users/{user}/events} → {@code user})
     * @param headers request headers
     * @param body request body (empty when none)
     * @param operation the matched route's operation name ({@code "unmatched"} when no route matched)
     * @param mailbox the mailbox the request concerns (the first, for a call about several), or null
     * @param mailboxes every mailbox the request concerns, in order (several for Google freeBusy or Graph
     *     getSchedule, see {@link MailboxExtractor}); empty when unknown
     * @param mailboxErrors per-mailbox errors injected into this call ({@link Fault#mailboxError}): mailbox to the
     *     provider's error code; the handler (or the route's {@link MailboxErrorInjector}) answers them inside a good
     *     answer
     * @throws org.calsdk.errors.InvalidInputException if {@code method} or {@code operation} is blank
     * @throws NullPointerException if {@code url}, {@code pathParams} or {@code headers} is null
     */
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

    /**
     * A request about at most one mailbox, without injected per-mailbox errors.
     *
     * @param method HTTP method, upper case
     * @param url the full request URL
     * @param pathParams variables captured by the route pattern
     * @param headers request headers
     * @param body request body, or null for none
     * @param operation the matched route's operation name
     * @param mailbox the mailbox the request concerns, or null
     */
    public FakeRequest(
            String method,
            HttpUrl url,
            Map<String, String> pathParams,
            Headers headers,
            byte[] body,
            String operation,
            String mailbox) {
        this(method, url, pathParams, headers, body, operation, mailbox, null, null);
    }

    /**
     * The request body.
     *
     * @return a copy of the bytes, empty when the request had none
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the body decoded as UTF-8, malformed bytes replaced
     */
    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The decoded path, such as {@code /calendars/alice%40example.com/events} → {@code
     * /calendars/alice@example.com/events}.
     *
     * @return the percent-decoded path, starting with {@code /}
     */
    public String path() {
        return "/" + String.join("/", url.pathSegments());
    }

    /**
     * The path variable {@code name}, or an {@link IllegalArgumentException} when the route has none.
     *
     * @param name the variable's name as written in the route pattern
     * @return its value, percent-decoded
     * @throws IllegalArgumentException when the route captured no such variable
     */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException(
                    "the route has no path variable '" + name + "' (has " + pathParams.keySet() + ")");
        }
        return v;
    }

    /**
     * The first query parameter {@code name}.
     *
     * @param name the parameter name (case-sensitive)
     * @return its first value, decoded, or empty when absent
     */
    public Optional<String> query(String name) {
        return Optional.ofNullable(url.queryParameter(name));
    }

    /**
     * The header {@code name} (case-insensitive).
     *
     * @param name the header name, in any case
     * @return its first value, or empty when absent
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /**
     * A copy with the operation and mailbox set (used by the server once the route is known).
     *
     * @param newOperation the route's operation name
     * @param newMailbox the mailbox it concerns, or null
     * @return the copy (its mailbox list is {@code newMailbox} alone)
     */
    public FakeRequest with(String newOperation, String newMailbox) {
        return new FakeRequest(
                method,
                url,
                pathParams,
                headers,
                body,
                newOperation,
                newMailbox,
                newMailbox == null ? List.of() : List.of(newMailbox),
                mailboxErrors);
    }

    /**
     * A copy about {@code newMailboxes} (the first becomes {@link #mailbox()}).
     *
     * @param newMailboxes the mailboxes, in order
     * @return the copy
     */
    public FakeRequest withMailboxes(List<String> newMailboxes) {
        List<String> m = List.copyOf(newMailboxes);
        return new FakeRequest(
                method, url, pathParams, headers, body, operation, m.isEmpty() ? null : m.get(0), m, mailboxErrors);
    }

    /**
     * A copy carrying the per-mailbox errors {@code errors}.
     *
     * @param errors mailbox to the provider's error code
     * @return the copy
     */
    public FakeRequest withMailboxErrors(Map<String, String> errors) {
        return new FakeRequest(method, url, pathParams, headers, body, operation, mailbox, mailboxes, errors);
    }

    /**
     * A copy with the route's path variables.
     *
     * @param vars the captured variables, by name
     * @return the copy
     */
    public FakeRequest withPathParams(Map<String, String> vars) {
        return new FakeRequest(method, url, vars, headers, body, operation, mailbox, mailboxes, mailboxErrors);
    }

    @Override
    public String toString() {
        // Never print headers: they carry credentials.
        return "FakeRequest[" + method + " " + path() + ", operation=" + operation + "]";
    }
}
