package org.calsdk.testkit;

import java.time.Duration;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One misbehaviour a {@link FakeServer} can show on a call, scheduled by a {@link FaultRule}.
 *
 * <ul>
 *   <li>{@link #latency}: the call is answered normally, late.</li>
 *   <li>{@link #status}, {@link #error}, {@link #tooManyRequests()}, {@link #serverError()}, {@link #unavailable()}:
 *   the call is answered with that status instead of being handled, the body in the fake's
 *   {@link ErrorDialect} (Google or Graph JSON, SOAP fault, DAV error); {@link #respond}: with that answer.</li>
 *   <li>{@link #mailboxError}: a call about several mailboxes is answered, with an error inside for one.</li>
 *   <li>{@link #connectionReset()}: the connection closes after the request is read; nothing is handled.</li>
 *   <li>{@link #dropResponseAfterCommit()}: the call is handled (its change is made), then the connection
 *   closes before the answer: the ambiguous failure idempotent writes exist for.</li>
 *   <li>{@link #truncatedBody()}: handled; half the body is sent, then the connection closes.</li>
 *   <li>{@link #slowBody}: handled; the body trickles out.</li>
 *   <li>{@link #noResponse()}: the server reads the request and never answers (the client times out).</li>
 *   <li>{@link #invalidSyncToken()}, {@link #expiredSubscription()}, {@link #revokedToken()}: answered in the
 *   provider's own form, as its fake's {@link ProtocolFaults} says.</li>
 * </ul>
 *
 * @since 0.1
 */
public sealed interface Fault {

    /**
     * The call is handled and answered normally, after {@code delay} (a slow server).
     *
     * @param delay the wait before handling, zero or positive
     * @return the fault
     * @throws NullPointerException if {@code delay} is null
     * @throws org.calsdk.errors.InvalidInputException if {@code delay} is negative
     */
    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    /**
     * An error answer with {@code status}, its body in the server's {@link ErrorDialect}.
     *
     * @param status the HTTP status, 100 to 599
     * @return the fault, with the message {@code injected fault}
     * @throws org.calsdk.errors.InvalidInputException if {@code status} is outside 100..599
     */
    static Error status(int status) {
        return new Error(status, null, "injected fault", null, null);
    }

    /**
     * An error answer in the server's {@link ErrorDialect}: {@code code} is the provider's error code or
     * reason ({@code rateLimitExceeded}, {@code ErrorServerBusy}, {@code valid-sync-token}).
     *
     * @param status the HTTP status, 100 to 599
     * @param code the provider's error code, not blank
     * @param message the human-readable message, not null
     * @return the fault
     * @throws org.calsdk.errors.InvalidInputException if {@code status} is out of range or {@code code} is blank
     */
    static Error error(int status, String code, String message) {
        return new Error(status, Checks.notBlank(code, "code"), Checks.notNull(message, "message"), null, null);
    }

    /**
     * 429 without Retry-After.
     *
     * @return the fault
     */
    static Error tooManyRequests() {
        return new Error(429, null, "Too many requests", null, null);
    }

    /**
     * 429 with {@code Retry-After} in whole seconds (and, in the EWS dialect, {@code BackOffMilliseconds}).
     *
     * @param retryAfter the back-off the server asks for (rounded down to whole seconds in the header)
     * @return the fault
     * @throws NullPointerException if {@code retryAfter} is null
     */
    static Error tooManyRequests(Duration retryAfter) {
        return new Error(429, null, "Too many requests", Checks.notNull(retryAfter, "retryAfter"), null);
    }

    /**
     * Inside a good answer to a call about several mailboxes (Google freeBusy, Graph getSchedule), an error
     * for the mailbox the rule names ({@link FaultRule.Builder#forMailbox}); {@code code} is the provider's
     * per-mailbox code ({@code notFound}, {@code ErrorMailboxNotFound}). The route's
     * {@link MailboxErrorInjector} writes it into the answer; a route without one sees it in
     * {@link FakeRequest#mailboxErrors()}.
     *
     * @param code the provider's per-mailbox error code, not blank
     * @return the fault
     * @throws org.calsdk.errors.InvalidInputException if {@code code} is blank
     */
    static MailboxError mailboxError(String code) {
        return new MailboxError(Checks.notBlank(code, "code"));
    }

    /**
     * A 500 Internal Server Error answer, the body in the server's {@link ErrorDialect}.
     *
     * @return the fault
     */
    static Fault serverError() {
        return status(500);
    }

    /**
     * A 503 Service Unavailable answer (without Retry-After), the body in the server's {@link ErrorDialect}.
     *
     * @return the fault
     */
    static Fault unavailable() {
        return status(503);
    }

    /**
     * Answers with {@code response} instead of handling the call.
     *
     * @param response the answer to give, not null
     * @return the fault
     */
    static Fault respond(FakeResponse response) {
        return new Status(response);
    }

    /**
     * The connection closes right after the request is read; the call is not handled, so nothing changes.
     *
     * @return the fault
     */
    static Fault connectionReset() {
        return new ConnectionReset();
    }

    /**
     * The call is handled (its change is made), then the connection closes before the answer: the client cannot tell
     * whether its write happened.
     *
     * @return the fault
     */
    static Fault dropResponseAfterCommit() {
        return new DropResponseAfterCommit();
    }

    /**
     * The call is handled; half of the answer's body is sent, then the connection closes.
     *
     * @return the fault
     */
    static Fault truncatedBody() {
        return new TruncatedBody();
    }

    /**
     * Sends {@code bytesPerPeriod} bytes of the body every {@code period}.
     *
     * @param bytesPerPeriod how many bytes each chunk has, positive
     * @param period the pause between chunks
     * @return the fault
     * @throws org.calsdk.errors.InvalidInputException if {@code bytesPerPeriod} is not positive
     */
    static Fault slowBody(long bytesPerPeriod, Duration period) {
        return new SlowBody(bytesPerPeriod, period);
    }

    /**
     * The request is read and never answered; the client's own timeout ends the call.
     *
     * @return the fault
     */
    static Fault noResponse() {
        return new NoResponse();
    }

    /**
     * The provider's own "sync token no longer valid" answer (Google 410, Graph resync, CalDAV {@code
     * valid-sync-token}), as the fake's {@link ProtocolFaults} form it.
     *
     * @return the fault
     */
    static Fault invalidSyncToken() {
        return new InvalidSyncToken();
    }

    /**
     * The provider's own "push subscription expired or unknown" answer, as the fake's {@link ProtocolFaults} form it.
     *
     * @return the fault
     */
    static Fault expiredSubscription() {
        return new ExpiredSubscription();
    }

    /**
     * The provider's own "grant revoked" answer (OAuth {@code invalid_grant} or a 401), as the fake's {@link
     * ProtocolFaults} form it.
     *
     * @return the fault
     */
    static Fault revokedToken() {
        return new RevokedToken();
    }

    /** @param delay added before the call is handled */
    record Latency(Duration delay) implements Fault {
        /**
         * Checks the delay.
         *
         * @param delay added before the call is handled
         * @throws NullPointerException if {@code delay} is null
         * @throws org.calsdk.errors.InvalidInputException if {@code delay} is negative
         */
        public Latency {
            Checks.notNull(delay, "delay");
            Checks.check(!delay.isNegative(), "delay", "delay must not be negative");
        }
    }

    /**
     * An error answer rendered in a provider's {@link ErrorDialect}.
     *
     * @param status     HTTP status
     * @param code       the provider's code, or null for the dialect's usual one
     * @param message    the message
     * @param retryAfter a back-off hint, or null
     * @param dialect    the dialect, or null for the server's
     */
    record Error(
            int status,
            @Nullable String code,
            String message,
            @Nullable Duration retryAfter,
            @Nullable ErrorDialect dialect)
            implements Fault {
        /**
         * Checks the status and message.
         *
         * @param status HTTP status
         * @param code the provider's code, or null for the dialect's usual one
         * @param message the message
         * @param retryAfter a back-off hint, or null
         * @param dialect the dialect, or null for the server's
         * @throws org.calsdk.errors.InvalidInputException if {@code status} is outside 100..599
         * @throws NullPointerException if {@code message} is null
         */
        public Error {
            Checks.check(status >= 100 && status <= 599, "status", "status must be 100..599, was " + status);
            Checks.notNull(message, "message");
        }

        /**
         * This error in {@code d} rather than the server's dialect.
         *
         * @param d the dialect to render in, not null
         * @return a copy with that dialect
         */
        public Error in(ErrorDialect d) {
            return new Error(status, code, message, retryAfter, Checks.notNull(d, "dialect"));
        }

        /**
         * The answer in {@code serverDialect} (unless this fault has its own).
         *
         * @param serverDialect the dialect of the server the fault fires on
         * @return the error answer with status, body and, when set, {@code Retry-After}
         */
        public FakeResponse render(ErrorDialect serverDialect) {
            return (dialect != null ? dialect : serverDialect).render(status, code, message, retryAfter);
        }
    }

    /** @param code the provider's per-mailbox error code */
    record MailboxError(String code) implements Fault {
        /**
         * Checks the code.
         *
         * @param code the provider's per-mailbox error code
         * @throws org.calsdk.errors.InvalidInputException if {@code code} is blank (null: {@link NullPointerException})
         */
        public MailboxError {
            Checks.notBlank(code, "code");
        }
    }

    /** @param response the answer given instead of handling the call */
    record Status(FakeResponse response) implements Fault {
        /**
         * Checks the response.
         *
         * @param response the answer given instead of handling the call
         * @throws NullPointerException if {@code response} is null
         */
        public Status {
            Checks.notNull(response, "response");
        }
    }

    /** Connection closed after the request was read, before handling. */
    record ConnectionReset() implements Fault {}

    /** Handled, then the connection closed before the answer. */
    record DropResponseAfterCommit() implements Fault {}

    /** Handled; half the body sent, then the connection closed. */
    record TruncatedBody() implements Fault {}

    /**
     * @param bytesPerPeriod bytes sent each period
     * @param period         the pause between chunks
     */
    record SlowBody(long bytesPerPeriod, Duration period) implements Fault {
        /**
         * Checks the pacing.
         *
         * @param bytesPerPeriod bytes sent each period
         * @param period the pause between chunks
         * @throws org.calsdk.errors.InvalidInputException if {@code bytesPerPeriod} is not positive
         * @throws NullPointerException if {@code period} is null
         */
        public SlowBody {
            Checks.check(bytesPerPeriod > 0, "bytesPerPeriod", "bytesPerPeriod must be positive");
            Checks.notNull(period, "period");
        }
    }

    /** Never answered. */
    record NoResponse() implements Fault {}

    /** The provider's "sync token invalid" answer. */
    record InvalidSyncToken() implements Fault {}

    /** The provider's "subscription expired" answer. */
    record ExpiredSubscription() implements Fault {}

    /** The provider's "grant revoked" answer. */
    record RevokedToken() implements Fault {}
}
