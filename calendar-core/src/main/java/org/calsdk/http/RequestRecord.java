package org.calsdk.http;

import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * What one HTTP attempt did, handed to a {@link RequestListener} after the attempt ends: which provider,
 * operation and mailbox it was for, the method and host, the status (0 when no response arrived), the
 * attempt number (1 for the first try), how long it took and how many body bytes went each way. It holds
 * no URL, header or body, so it carries no secret.
 *
 * @param provider      provider id of the transport
 * @param operation     the call's operation name ({@code "propfind"}, {@code "freebusy"}, …)
 * @param mailbox       the mailbox the call acted for, or null
 * @param method        HTTP method
 * @param host          target host
 * @param status        HTTP status, or 0 when the attempt failed without a response
 * @param attempt       1-based attempt number within the call
 * @param durationNanos wall time of the attempt, including reading the body
 * @param requestBytes  request body size (0 when none or unknown)
 * @param responseBytes response body bytes read
 * @since 0.1
 */
public record RequestRecord(
        String provider,
        String operation,
        @Nullable Mailbox mailbox,
        String method,
        String host,
        int status,
        int attempt,
        long durationNanos,
        long requestBytes,
        long responseBytes) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param provider provider id of the transport
     * @param operation the call's operation name ({@code "propfind"}, {@code "freebusy"}, …)
     * @param mailbox the mailbox the call acted for, or null
     * @param method HTTP method
     * @param host target host
     * @param status HTTP status, or 0 when the attempt failed without a response
     * @param attempt 1-based attempt number within the call
     * @param durationNanos wall time of the attempt, including reading the body
     * @param requestBytes request body size (0 when none or unknown)
     * @param responseBytes response body bytes read
     */
    public RequestRecord {
        Checks.notNull(provider, "provider");
        Checks.notNull(operation, "operation");
        Checks.notNull(method, "method");
        Checks.notNull(host, "host");
    }
}
