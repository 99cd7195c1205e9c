package org.calsdk.testkit;

import java.time.Duration;

import org.calsdk.testkit.internal.Args;

/**
 * One misbehaviour a {@link FakeServer} can show on a call, scheduled by a {@link FaultRule}.
 *
 * <ul>
 *   <li>{@link #latency}: the call is answered normally, late.</li>
 *   <li>{@link #status}, {@link #tooManyRequests()}, {@link #serverError()}, {@link #unavailable()},
 *   {@link #respond}: the call is answered with that status instead of being handled.</li>
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

    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    static Fault status(int status) {
        return new Status(FakeResponse.json(status, "{\"error\":{\"code\":" + status + ",\"message\":\"injected fault\"}}"));
    }

    /** 429 without Retry-After. */
    static Fault tooManyRequests() {
        return status(429);
    }

    /** 429 with {@code Retry-After} in whole seconds. */
    static Fault tooManyRequests(Duration retryAfter) {
        Args.notNull(retryAfter, "retryAfter");
        return new Status(FakeResponse.json(429, "{\"error\":{\"code\":429,\"message\":\"Too many requests\"}}")
                .withHeader("Retry-After", Long.toString(Math.max(0, retryAfter.toSeconds()))));
    }

    static Fault serverError() {
        return status(500);
    }

    static Fault unavailable() {
        return status(503);
    }

    /** Answers with {@code response} instead of handling the call. */
    static Fault respond(FakeResponse response) {
        return new Status(response);
    }

    static Fault connectionReset() {
        return new ConnectionReset();
    }

    static Fault dropResponseAfterCommit() {
        return new DropResponseAfterCommit();
    }

    static Fault truncatedBody() {
        return new TruncatedBody();
    }

    /** Sends {@code bytesPerPeriod} bytes of the body every {@code period}. */
    static Fault slowBody(long bytesPerPeriod, Duration period) {
        return new SlowBody(bytesPerPeriod, period);
    }

    static Fault noResponse() {
        return new NoResponse();
    }

    static Fault invalidSyncToken() {
        return new InvalidSyncToken();
    }

    static Fault expiredSubscription() {
        return new ExpiredSubscription();
    }

    static Fault revokedToken() {
        return new RevokedToken();
    }

    /** @param delay added before the call is handled */
    record Latency(Duration delay) implements Fault {
        public Latency {
            Args.notNull(delay, "delay");
            Args.check(!delay.isNegative(), "delay", "delay must not be negative");
        }
    }

    /** @param response the answer given instead of handling the call */
    record Status(FakeResponse response) implements Fault {
        public Status {
            Args.notNull(response, "response");
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
        public SlowBody {
            Args.check(bytesPerPeriod > 0, "bytesPerPeriod", "bytesPerPeriod must be positive");
            Args.notNull(period, "period");
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
