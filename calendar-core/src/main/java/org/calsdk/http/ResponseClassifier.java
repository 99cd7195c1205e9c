package org.calsdk.http;

/**
 * Reads what a response means from its body, for providers whose status codes do not say it alone. Set
 * per call with {@link HttpCall.Builder#classifier}; the transport asks it about every response except a
 * 401 (which the {@link Authorizer} handles), after reading the body, and its {@link RetryPolicy} acts on
 * the answer ({@link RetryPolicy#isRetryable(ResponseClass, int, boolean)}). A 5xx body is kept for it
 * even when it is larger than {@code maxResponseBytes} allows: its first {@link HttpTransport#MAX_ERROR_BODY_BYTES}
 * bytes are read and the rest dropped, so a classifier never misses a server's throttling fault.
 *
 * <p>It must be fast, side-effect free and thread-safe; if it throws, the transport decides by status.
 *
 * <pre>{@code
 * // Google: 403 with reason rateLimitExceeded or userRateLimitExceeded is a rate limit, not a refusal
 * ResponseClassifier google = r -> r.status() == 403 && r.bodyString().contains("RateLimitExceeded\"")
 *         ? ResponseClass.rateLimited(null, "rateLimitExceeded") : ResponseClass.byStatus();
 * HttpCall call = HttpCall.builder(request).operation("events.list").classifier(google).build();
 * }</pre>
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ResponseClassifier {

    /**
     * How to treat {@code response}; never null ({@link ResponseClass#byStatus()} when nothing applies).
     *
     * @param response the response, its body read
     * @return the class
     */
    ResponseClass classify(HttpResponse response);

    /**
     * The default: every response is judged by its status.
     *
     * @return the classifier that returns {@link ResponseClass#byStatus()} for every response
     */
    static ResponseClassifier byStatus() {
        return r -> ResponseClass.byStatus();
    }
}
