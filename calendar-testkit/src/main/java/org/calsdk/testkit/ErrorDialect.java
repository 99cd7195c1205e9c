package org.calsdk.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import org.calsdk.internal.Checks;

/**
 * How a provider writes an error body, so injected faults ({@link Fault#status}, {@link Fault#error}) and
 * the server's own 404/405/500 answers look like the real service's: Google's JSON error object, Graph's,
 * an EWS SOAP fault, a WebDAV {@code DAV:error}. Set a fake's dialect with
 * {@link FakeServer.Builder#errorDialect}; give one fault its own with {@link Fault.Error#in}.
 *
 * <pre>{@code
 * FakeServer.builder(state).errorDialect(ErrorDialect.google())...
 * server.faults().add(FaultRule.on("freebusy").inject(Fault.error(403, "rateLimitExceeded", "Rate Limit Exceeded")));
 * // → 403 {"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded",...}]}}
 * }</pre>
 *
 * @since 0.1
 */
public interface ErrorDialect {

    /**
     * The error answer.
     *
     * @param status     HTTP status
     * @param code       the provider's error code or reason, or null for the dialect's usual one for {@code status}
     * @param message    a human-readable message
     * @param retryAfter a back-off hint, or null (sent as {@code Retry-After}, and in the body where the provider does)
     * @return the answer
     */
    FakeResponse render(int status, String code, String message, Duration retryAfter);

    /**
     * The generic form this testkit used so far: {@code {"error":{"code":STATUS,"message":...}}}.
     *
     * @return the generic JSON dialect
     */
    static ErrorDialect generic() {
        return (status, code, message, retryAfter) -> {
            ObjectNode err = JsonNodeFactory.instance.objectNode();
            err.putObject("error").put("code", status).put("message", message);
            if (code != null) {
                ((ObjectNode) err.get("error")).put("reason", code);
            }
            return retry(FakeResponse.json(status, err.toString()), retryAfter);
        };
    }

    /**
     * Google APIs: {@code {"error":{"code":403,"message":...,"errors":[{"domain":...,"reason":...,"message":...}],"status":...}}};
     * default reasons {@code badRequest}, {@code authError}, {@code forbidden}, {@code notFound}, {@code duplicate},
     * {@code deleted}, {@code conditionNotMet}, {@code rateLimitExceeded}, {@code backendError}.
     *
     * @return the Google API error dialect
     */
    static ErrorDialect google() {
        return (status, code, message, retryAfter) -> {
            String reason = code != null
                    ? code
                    : switch (status) {
                        case 400 -> "badRequest";
                        case 401 -> "authError";
                        case 403 -> "forbidden";
                        case 404 -> "notFound";
                        case 409 -> "duplicate";
                        case 410 -> "deleted";
                        case 412 -> "conditionNotMet";
                        case 429 -> "rateLimitExceeded";
                        default -> "backendError";
                    };
            String domain = reason.contains("imit") ? "usageLimits" : "global";
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            ObjectNode err = root.putObject("error").put("code", status).put("message", message);
            err.putArray("errors")
                    .addObject()
                    .put("domain", domain)
                    .put("reason", reason)
                    .put("message", message);
            err.put(
                    "status",
                    switch (status) {
                        case 400 -> "INVALID_ARGUMENT";
                        case 401 -> "UNAUTHENTICATED";
                        case 403 -> "PERMISSION_DENIED";
                        case 404 -> "NOT_FOUND";
                        case 409 -> "ALREADY_EXISTS";
                        case 412 -> "FAILED_PRECONDITION";
                        case 429 -> "RESOURCE_EXHAUSTED";
                        case 503 -> "UNAVAILABLE";
                        default -> status >= 500 ? "INTERNAL" : "UNKNOWN";
                    });
            return retry(FakeResponse.json(status, root.toString()), retryAfter);
        };
    }

    /**
     * Microsoft Graph: {@code {"error":{"code":...,"message":...,"innerError":{"date":...,"request-id":...}}}};
     * default codes {@code BadRequest}, {@code InvalidAuthenticationToken}, {@code ErrorAccessDenied},
     * {@code ErrorItemNotFound}, {@code ErrorIrresolvableConflict}, {@code TooManyRequests},
     * {@code ServiceNotAvailable}, {@code generalException}.
     *
     * @return the Microsoft Graph error dialect
     */
    static ErrorDialect graph() {
        return (status, code, message, retryAfter) -> {
            String c = code != null
                    ? code
                    : switch (status) {
                        case 400 -> "BadRequest";
                        case 401 -> "InvalidAuthenticationToken";
                        case 403 -> "ErrorAccessDenied";
                        case 404 -> "ErrorItemNotFound";
                        case 409, 412 -> "ErrorIrresolvableConflict";
                        case 429 -> "TooManyRequests";
                        case 503 -> "ServiceNotAvailable";
                        default -> "generalException";
                    };
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            ObjectNode err = root.putObject("error").put("code", c).put("message", message);
            err.putObject("innerError")
                    .put("date", "2026-01-01T00:00:00")
                    .put("request-id", "00000000-0000-0000-0000-000000000000");
            return retry(FakeResponse.json(status, root.toString()), retryAfter);
        };
    }

    /**
     * EWS: a SOAP 1.1 fault whose detail carries the EWS {@code ResponseCode} (and, with a back-off, the
     * {@code BackOffMilliseconds} value of {@code ErrorServerBusy}); default codes {@code ErrorServerBusy}
     * (429, 503), {@code ErrorAccessDenied}, {@code ErrorItemNotFound}, {@code ErrorInvalidRequest},
     * {@code ErrorInternalServerError}.
     *
     * @return the EWS SOAP fault dialect
     */
    static ErrorDialect soap() {
        return (status, code, message, retryAfter) -> {
            String c = code != null
                    ? code
                    : switch (status) {
                        case 400 -> "ErrorInvalidRequest";
                        case 401, 403 -> "ErrorAccessDenied";
                        case 404 -> "ErrorItemNotFound";
                        case 429, 503 -> "ErrorServerBusy";
                        default -> "ErrorInternalServerError";
                    };
            String back = retryAfter == null
                    ? ""
                    : "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
                            + "<t:Value Name=\"BackOffMilliseconds\">"
                            + retryAfter.toMillis() + "</t:Value></t:MessageXml>";
            String body =
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                            + "<s:Body><s:Fault><faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:"
                            + c
                            + "</faultcode><faultstring xml:lang=\"en-US\">" + xml(message) + "</faultstring><detail>"
                            + "<e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">"
                            + c
                            + "</e:ResponseCode><e:Message xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">"
                            + xml(message) + "</e:Message>"
                            + back
                            + "</detail></s:Fault></s:Body></s:Envelope>";
            return retry(FakeResponse.body(status, "text/xml; charset=utf-8", body), retryAfter);
        };
    }

    /**
     * WebDAV / CalDAV: {@code <D:error>} with the precondition element {@code code} (a name such as
     * {@code valid-sync-token}, {@code D:need-privileges} or {@code C:no-uid-conflict}; no prefix means
     * {@code DAV:}); no element when code is null.
     *
     * @return the WebDAV/CalDAV {@code D:error} dialect
     */
    static ErrorDialect dav() {
        return (status, code, message, retryAfter) -> {
            String element = "";
            if (code != null) {
                String name = code.contains(":") ? code : "D:" + code;
                if (!name.matches("[DC]:[A-Za-z][A-Za-z0-9-]*")) {
                    name = "D:" + code.replaceAll("[^A-Za-z0-9-]", "-");
                }
                element = "<" + name + "/>";
            }
            String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\" "
                    + "xmlns:C=\"urn:ietf:params:xml:ns:caldav\">" + element + "<!-- "
                    + xml(message).replace("--", "- -")
                    + " --></D:error>";
            return retry(FakeResponse.xml(status, body), retryAfter);
        };
    }

    private static FakeResponse retry(FakeResponse r, Duration retryAfter) {
        return retryAfter == null ? r : r.withHeader("Retry-After", Long.toString(Math.max(0, retryAfter.toSeconds())));
    }

    private static String xml(String s) {
        return Checks.notNull(s, "message")
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }

    /**
     * The preset named {@code name} ({@code generic}, {@code google}, {@code graph}, {@code soap}, {@code dav}).
     *
     * @param name the preset's name
     * @return the preset
     * @throws org.calsdk.errors.InvalidInputException for another name
     */
    static ErrorDialect named(String name) {
        return switch (Checks.notBlank(name, "name").toLowerCase(Locale.ROOT)) {
            case "generic" -> generic();
            case "google" -> google();
            case "graph" -> graph();
            case "soap", "ews" -> soap();
            case "dav", "caldav" -> dav();
            default -> throw new org.calsdk.errors.InvalidInputException("name", "no error dialect " + name);
        };
    }
}
